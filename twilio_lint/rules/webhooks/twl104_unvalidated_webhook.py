"""TWL104 unvalidated-webhook: a Twilio webhook handler that never checks X-Twilio-Signature.

A route handler (Flask, Django, FastAPI, Starlette; see ``webframeworks.py``) serves a Twilio
webhook when it returns TwiML (``VoiceResponse``/``MessagingResponse``, a ``<Response>``
document), answers a TaskRouter ``instruction`` (returned, or built in a variable first) or
reads Twilio's request parameters (``request.form["CallSid"]``, ``request.POST.get("From")``,
FastAPI ``Form(...)``): one that only Twilio sends (``sdk.WEBHOOK_TWILIO_ONLY_PARAMS``: call,
message, TaskRouter and Wireless ones), or ``From``, ``Digits``, ``EventType`` or ``Command`` in
a module that imports twilio or serves TwiML (``To``/``Body`` alone are also your own "send an
SMS" form). It is validated (``SignatureFacts`` in ``facts/signature.py``, the same definition
the project index applies to imported modules) when the signature is checked in the handler,
in a helper or decorator of the same module or of an imported project module, in a
``before_request`` hook, middleware or FastAPI dependency of the same module, by a DRF
permission class or a Django middleware listed in the settings, by django-twilio's
``twilio_view``, by a decorator named in the ``validation-decorators`` option, or by one the
index cannot read whose name says it validates Twilio requests
(``sdk.names_twilio_validator``). Reading the ``X-Twilio-Signature`` header at all counts as
validation (a hand-rolled HMAC check): when unsure, stay quiet.

One finding per handler, at its ``def`` (the ``async`` of ``async def``), spanning the name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.clients import uses_twilio
from twilio_lint.facts.signature import VALIDATION_DECORATORS_OPTION, SignatureFacts
from twilio_lint.facts.twiml import returns_twiml
from twilio_lint.facts.webframeworks import (
    RouteHandler,
    request_params_read,
    route_handlers,
)
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import Option, RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import FunctionNode

CODE = "TWL104"
NAME = "unvalidated-webhook"
SUMMARY = "Twilio webhook handler does not validate the X-Twilio-Signature header"
DEFAULT_ON = True
FIX = None

#: Webhook apps that never import twilio still name Twilio-only request parameters.
# Plain literals: the prefilter tests each with ``in``, far faster than one regex.
TRIGGER = (
    b"CallSid", b"MessageSid", b"SmsSid", b"CallStatus", b"MessageStatus", b"SmsStatus",
    b"SpeechResult", b"RecordingSid", b"RecordingUrl", b"TranscriptionText", b"NumMedia",
    b"MediaUrl0", b"TaskAttributes", b"TaskSid", b"WorkerSid", b"WorkerActivityName",
    b"ReservationSid", b"WorkspaceSid", b"SimSid", b"CommandSid", b"<Response",
)

OPTIONS = {
    VALIDATION_DECORATORS_OPTION: Option(
        list,
        [],
        "Names of your own decorators, dependencies or middleware that validate the "
        "X-Twilio-Signature header (e.g. 'validate_twilio_request', "
        "'myapp.security.twilio_required').",
        item_type=str,
    ),
}

DOC = RuleDoc(
    what=(
        "Flags a Flask, Django, FastAPI or Starlette route handler that serves a Twilio webhook "
        "— it returns TwiML (`VoiceResponse`, `MessagingResponse`), answers a TaskRouter "
        "`instruction` (also built in a variable first), or reads Twilio request parameters "
        "(`CallSid`, `MessageSid`, `CallStatus`, TaskRouter's `TaskAttributes`/"
        "`WorkerActivityName`, Wireless `SimSid`…; `From`, `Digits`, `EventType` and "
        "`Command` in a module that imports twilio or serves TwiML) from `request.form`, "
        "`request.values`, `request.POST` or "
        "FastAPI `Form(...)` parameters — when nothing checks the `X-Twilio-Signature` header: "
        "no `RequestValidator(...).validate(...)` in the handler, in a helper or decorator of "
        "the same module or of an imported project module, in a `before_request` hook, "
        "middleware or FastAPI `Depends(...)` dependency of the same module, no django-twilio "
        "`twilio_view`, no DRF permission class (`permission_classes`) or Django middleware "
        "listed in the project's settings (`MIDDLEWARE`) that validates, and no decorator "
        "named in the `validation-decorators` option. A decorator, middleware or permission "
        "the project index cannot read (a third-party package, a module not scanned, a name "
        "defined nowhere) is trusted when its name says it validates Twilio requests: it "
        "contains `twilio` and one of `valid`, `verif`, `signature`, `signed`, `authentic`, "
        "`require`, `only`, `secure`, `protect` (`validate_twilio_request`, "
        "`verify_twilio_signature`, `twilio_signature_required`), or is `twilio_view` or "
        "`twilio_request`; name the others in `validation-decorators`. The "
        "finding is on the handler's `def` line (at `def`, or at `async` for `async def`), "
        "once per handler, so a `# noqa: TWL104` goes on that line."
    ),
    why=(
        "Webhook URLs are not secret: they appear in logs, proxies and the Twilio console. "
        "Without signature validation anyone can post a forged `From`, `Body` or `CallStatus` "
        "to the handler — trigger replies to arbitrary numbers (toll fraud), mark payments as "
        "confirmed, or read back TwiML meant for a real caller. Twilio signs every request with "
        "your Auth Token; checking it takes one call."
    ),
    example=(
        "from flask import Flask, request\n"
        "from twilio.twiml.messaging_response import MessagingResponse\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        "\n"
        '@app.route("/sms", methods=["POST"])\n'
        "def sms_reply():\n"
        '    body = request.form.get("Body", "")\n'
        "    reply = MessagingResponse()\n"
        '    reply.message(f"You said: {body}")\n'
        "    return str(reply)\n"
    ),
    use_instead=(
        "import functools\n"
        "import os\n"
        "\n"
        "from flask import Flask, abort, request\n"
        "from twilio.request_validator import RequestValidator\n"
        "from twilio.twiml.messaging_response import MessagingResponse\n"
        "\n"
        "app = Flask(__name__)\n"
        "\n"
        "\n"
        "def validate_twilio_request(view):\n"
        "    @functools.wraps(view)\n"
        "    def wrapper(*args, **kwargs):\n"
        '        validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])\n'
        '        signature = request.headers.get("X-Twilio-Signature", "")\n'
        "        if not validator.validate(request.url, request.form, signature):\n"
        "            abort(403)\n"
        "        return view(*args, **kwargs)\n"
        "\n"
        "    return wrapper\n"
        "\n"
        "\n"
        '@app.route("/sms", methods=["POST"])\n'
        "@validate_twilio_request\n"
        "def sms_reply():\n"
        '    body = request.form.get("Body", "")\n'
        "    reply = MessagingResponse()\n"
        '    reply.message(f"You said: {body}")\n'
        "    return str(reply)\n"
    ),
    fix_safety=(
        "No automatic fix: validation needs the Auth Token (or webhook shared key) at run time "
        "and the public URL Twilio called, which depends on proxies and deployment. Add a "
        "decorator, hook or dependency that calls `RequestValidator(...).validate(...)` and "
        "rejects invalid requests with 403."
    ),
    references=(twilio_docs.WEBHOOK_SECURITY, twilio_docs.WEBHOOK_SECURITY_GUIDE),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    handlers = route_handlers(module)
    if not handlers:
        return
    webhooks = [h for h in handlers if is_twilio_webhook(module, h.func, handlers)]
    if not webhooks:
        return
    # Is it validated? One definition, shared with the project index: facts/signature.py.
    signature = SignatureFacts.of(module)
    if signature.hooks_validate_every_route():
        return
    for handler in webhooks:
        if not signature.handler_validated(handler):
            yield _finding(module, handler)


# --- is it a Twilio webhook? ---------------------------------------------------------------------


def is_twilio_webhook(
    module: SemanticModel, func: FunctionNode, handlers: list[RouteHandler] | None = None
) -> bool:
    if returns_twiml(module, func) or _answers_taskrouter_instruction(module, func):
        return True
    params = request_params_read(module, func)
    if params & sdk.WEBHOOK_TWILIO_ONLY_PARAMS:
        return True
    # ``To``/``Body`` alone is also a "send an SMS" form of your own app; an incoming webhook
    # reads who it came from, the digits pressed, the event or the command.
    if not params & sdk.WEBHOOK_PARAMS_IN_TWILIO_APPS:
        return False
    return uses_twilio(module) or any(returns_twiml(module, h.func) for h in handlers or ())


def _answers_taskrouter_instruction(module: SemanticModel, func: FunctionNode) -> bool:
    """An assignment callback answers ``{"instruction": "dequeue", …}``: a known instruction
    anywhere in the handler (``response = {"instruction": "dequeue"}``,
    ``response["instruction"] = "call"``, ``jsonify(instruction="accept")``), or any
    ``instruction`` returned by a module that imports twilio."""
    twilio_app = uses_twilio(module)
    for node in ast.walk(func):
        if isinstance(node, ast.Dict):
            pairs = list(zip(node.keys, node.values))
        elif isinstance(node, ast.Call):
            pairs = [(ast.Constant(k.arg), k.value) for k in node.keywords if k.arg]
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Subscript):
            pairs = [(node.targets[0].slice, node.value)]
        else:
            continue
        for key, value in pairs:
            if not (isinstance(key, ast.Constant) and key.value == "instruction"):
                continue
            if _is_instruction(value):
                return True
            # A computed value returned by a module about Twilio may be one; a constant that
            # TaskRouter does not know ("Fill in the form") is the app's own.
            if twilio_app and not isinstance(value, ast.Constant) and _in_return(module, node):
                return True
    return False


def _is_instruction(value: ast.AST) -> bool:
    return isinstance(value, ast.Constant) and value.value in sdk.TASKROUTER_INSTRUCTIONS


def _in_return(module: SemanticModel, node: ast.AST) -> bool:
    return any(isinstance(a, ast.Return) for a in module.ancestors(node))



# --- the finding ---------------------------------------------------------------------------------


def _finding(module: SemanticModel, handler: RouteHandler) -> Finding:
    func = handler.func
    anchor = _def_span(module, func)
    label = f"{handler.cls.name}.{func.name}" if handler.cls is not None else func.name
    return module.finding(
        CODE,
        anchor,
        f"Twilio webhook handler `{label}` does not validate the X-Twilio-Signature header; "
        "check it with RequestValidator(auth_token).validate(url, params, signature) in a "
        "decorator, hook or dependency and reject invalid requests with 403",
    )


def _def_span(module: SemanticModel, func: FunctionNode) -> ast.AST:
    """From ``def``/``async`` to the end of the function name (UTF-8 byte columns, as ast)."""
    line = module.lines[func.lineno - 1].encode("utf-8") if module.lines else b""
    start = func.col_offset
    keyword_end = line.find(b"def", start) + 3
    name_at = line.find(func.name.encode("utf-8"), keyword_end) if keyword_end >= 3 else -1
    end = name_at + len(func.name.encode("utf-8")) if name_at >= 0 else start + 3
    return ast.Name(
        id=func.name,
        ctx=ast.Load(),
        lineno=func.lineno,
        col_offset=start,
        end_lineno=func.lineno,
        end_col_offset=end,
    )
