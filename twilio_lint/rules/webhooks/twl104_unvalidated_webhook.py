"""TWL104 unvalidated-webhook: a Twilio webhook handler that never checks X-Twilio-Signature.

A route handler (Flask, Django, FastAPI, Starlette; see ``webframeworks.py``) serves a Twilio
webhook when it returns TwiML (``VoiceResponse``/``MessagingResponse``, a ``<Response>``
document, TaskRouter ``instruction`` JSON) or reads Twilio's request parameters
(``request.form["CallSid"]``, ``request.POST.get("From")``, FastAPI ``Form(...)``): one that
only Twilio sends (``sdk.WEBHOOK_TWILIO_ONLY_PARAMS``), or ``From`` in a module that imports
twilio (``To``/``Body`` alone are also your own "send an SMS" form). It is
validated when the signature is checked in the handler, in a helper or decorator of the same
module or of an imported project module, in a ``before_request`` hook, middleware or FastAPI
dependency of the same module, by django-twilio's ``twilio_view``, or by a decorator named in
the ``validation-decorators`` option. Reading the ``X-Twilio-Signature`` header at all counts
as validation (a hand-rolled HMAC check): when unsure, stay quiet.

One finding per handler, at its ``def`` (the ``async`` of ``async def``), spanning the name.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from weakref import WeakKeyDictionary

from twilio_lint.knowledge import sdk
from twilio_lint.findings import Finding
from twilio_lint.model import FunctionNode, ModuleModel, dotted_name
from twilio_lint.registry import Option, RuleDoc
from twilio_lint.facts.twiml import returns_twiml
from twilio_lint.facts.webframeworks import RouteHandler, request_params_read, route_handlers

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
    b"MediaUrl0",
)

OPTIONS = {
    "validation-decorators": Option(
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
        "— it returns TwiML (`VoiceResponse`, `MessagingResponse`, TaskRouter instructions) or "
        "reads Twilio request parameters (`From`, `Body`, `CallSid`, `MessageSid`, "
        "`CallStatus`, `Digits`, …) from `request.form`, `request.values`, `request.POST` or "
        "FastAPI `Form(...)` parameters — when nothing checks the `X-Twilio-Signature` header: "
        "no `RequestValidator(...).validate(...)` in the handler, in a helper or decorator of "
        "the same module or of an imported project module, in a `before_request` hook, "
        "middleware or FastAPI `Depends(...)` dependency of the same module, no django-twilio "
        "`twilio_view`, and no decorator named in the `validation-decorators` option. The "
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
)

#: Decorators whose receiver-level registration validates every route of the module.
HOOK_DECORATOR_ATTRS = frozenset({"before_request", "before_app_request", "middleware"})
HOOK_REGISTRATION_ATTRS = frozenset({"before_request", "before_app_request", "add_middleware"})
APP_CLASSES = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})

_VALIDATORS: WeakKeyDictionary[ModuleModel, set[str]] = WeakKeyDictionary()


def check(module: ModuleModel) -> Iterator[Finding]:
    handlers = route_handlers(module)
    if not handlers:
        return
    webhooks = [h for h in handlers if is_twilio_webhook(module, h.func)]
    if not webhooks or _module_hook_validates(module):
        return
    for handler in webhooks:
        if not _handler_validated(module, handler):
            yield _finding(module, handler)


# --- is it a Twilio webhook? ---------------------------------------------------------------------


def is_twilio_webhook(module: ModuleModel, func: FunctionNode) -> bool:
    if returns_twiml(module, func) or _returns_taskrouter_instruction(func):
        return True
    params = request_params_read(module, func)
    if params & sdk.WEBHOOK_TWILIO_ONLY_PARAMS:
        return True
    # ``To``/``Body`` alone is also a "send an SMS" form of your own app; an incoming webhook
    # reads who it came from.
    return module.uses_twilio() and "From" in params


def _returns_taskrouter_instruction(func: FunctionNode) -> bool:
    """An assignment callback answers ``{"instruction": "dequeue", …}``."""
    for node in ast.walk(func):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        for child in ast.walk(node.value):
            if isinstance(child, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "instruction" for k in child.keys
            ):
                return True
            if isinstance(child, ast.Call) and any(k.arg == "instruction" for k in child.keywords):
                return True
    return False


# --- is it validated? ----------------------------------------------------------------------------


def validator_names(module: ModuleModel) -> set[str]:
    """Local functions and classes that check the signature, directly or through another."""
    cached = _VALIDATORS.get(module)
    if cached is not None:
        return cached
    names = set(module.signature_validator_names())
    defs = module.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    names.update(node.name for node in defs if _reads_signature_header(node))
    for _ in range(3):  # helper → decorator → dependency chains
        before = len(names)
        for node in defs:
            if node.name not in names and _uses_validator(module, node, names):
                names.add(node.name)
        if len(names) == before:
            break
    _VALIDATORS[module] = names
    return names


def _reads_signature_header(node: ast.AST) -> bool:
    """A hand-rolled check reads the header too: ``request.headers["X-Twilio-Signature"]``."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            if child.value.lower() in sdk.SIGNATURE_HEADER_SPELLINGS:
                return True
        elif isinstance(child, ast.Attribute) and child.attr == "SIGNATURE_HEADER":
            return True
    return False


def _uses_validator(module: ModuleModel, node: ast.AST, names: set[str]) -> bool:
    """Does ``node`` call, depend on or get decorated by a validator?"""
    for child in ast.walk(node):
        if isinstance(child, ast.Call) and _is_validator_ref(module, child, names):
            return True  # validate(...), self._check(...), Depends(verify)
        refs: list[ast.expr] = []
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            refs.extend(child.decorator_list)
        if isinstance(child, ast.ClassDef):
            refs.extend(child.bases)
        if any(_is_validator_ref(module, ref, names) for ref in refs):
            return True
    return False


def _is_validator_ref(module: ModuleModel, expr: ast.AST, names: set[str] | None = None) -> bool:
    """``validate_twilio``, ``self._check_signature``, ``decorators.twilio_required``,
    ``twilio_view``, ``Depends(verify)``, ``method_decorator(twilio_view, …)``, a name from
    the ``validation-decorators`` option — or a call building one: ``validate(token)``."""
    names = validator_names(module) if names is None else names
    if isinstance(expr, ast.Call):
        if _is_validator_ref(module, expr.func, names):
            return True
        # Depends(verify), method_decorator(twilio_view, name="dispatch"), Security(verify)
        return any(_is_validator_ref(module, arg, names) for arg in _call_refs(expr))
    if isinstance(expr, ast.Name) and expr.id in names:
        return True
    if (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in ("self", "cls")
        and expr.attr in names
    ):
        return True
    return _known_validator(module, expr)


def _call_refs(call: ast.Call) -> Iterator[ast.expr]:
    for arg in call.args:
        if isinstance(arg, (ast.List, ast.Tuple)):
            yield from arg.elts
        elif isinstance(arg, (ast.Name, ast.Attribute)):
            yield arg
    for keyword in call.keywords:
        if keyword.arg in ("dependency", "dependencies", "decorators"):
            value = keyword.value
            yield from value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]


def _known_validator(module: ModuleModel, expr: ast.AST) -> bool:
    """A validator defined elsewhere: django-twilio, the option, or a project module."""
    dotted = dotted_name(expr)
    if dotted is None:
        return False
    qualname = module.qualname(expr)
    configured = set(module.options.get("validation-decorators", ()))
    if configured & {dotted, dotted.rsplit(".", 1)[-1], qualname or ""}:
        return True
    if qualname is None:
        return False
    if qualname in sdk.VALIDATING_DECORATORS:
        return True
    return module.project is not None and module.project.is_signature_validator(
        qualname, module.path
    )


def _module_hook_validates(module: ModuleModel) -> bool:
    """A ``before_request`` hook, HTTP middleware or app-wide dependency of this module."""
    for func in module.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        hooked = any(_hook_decorator(d) for d in func.decorator_list)
        if hooked and func.name in validator_names(module):
            return True
    for call in module.calls:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in HOOK_REGISTRATION_ATTRS
            and any(_is_validator_ref(module, arg) for arg in call.args)
        ):
            return True
        if module.is_qualname(call.func, APP_CLASSES):  # app-wide, unlike an APIRouter's
            for keyword in call.keywords:
                if keyword.arg in ("dependencies", "middleware") and _any_validator(
                    module, keyword.value
                ):
                    return True
    return False


def _hook_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in HOOK_DECORATOR_ATTRS


def _is_app_constructor(module: ModuleModel, call: ast.Call) -> bool:
    return module.is_qualname(call.func, APP_CLASSES | {"fastapi.APIRouter"})


def _any_validator(module: ModuleModel, value: ast.expr) -> bool:
    elements: Iterable[ast.expr] = (
        value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
    )
    return any(_is_validator_ref(module, element) for element in elements)


def _handler_validated(module: ModuleModel, handler: RouteHandler) -> bool:
    func = handler.func
    names = validator_names(module)
    if func.name in names and handler.cls is None:
        return True  # validates in its body, or through a validating helper/decorator
    if _uses_validator(module, func, names) or _reads_signature_header(func):
        return True
    if any(_is_validator_ref(module, d) for d in func.decorator_list):
        return True
    if _defaults_validate(module, func):
        return True
    for registration in handler.registrations:
        if isinstance(registration, ast.Call) and _registration_validates(module, registration):
            return True
    for context, wrapper in handler.wrappers:
        if _is_validator_ref(context, wrapper):
            return True
    return handler.cls is not None and _class_validates(module, handler.cls, names)


def _defaults_validate(module: ModuleModel, func: FunctionNode) -> bool:
    """FastAPI ``sig: None = Depends(verify_twilio)`` / ``Annotated[..., Depends(...)]``."""
    args = func.args
    defaults = list(args.defaults) + [d for d in args.kw_defaults if d is not None]
    annotations = [a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs]
    for expr in defaults + [a for a in annotations if a is not None]:
        for child in ast.walk(expr):
            if isinstance(child, ast.Call) and _is_validator_ref(module, child):
                return True
    return False


def _registration_validates(module: ModuleModel, call: ast.Call) -> bool:
    """``@router.post("/sms", dependencies=[Depends(verify)])`` or a router built with one."""
    for keyword in call.keywords:
        if keyword.arg == "dependencies" and _any_validator(module, keyword.value):
            return True
    if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
        router = module.module_constant(call.func.value.id)
        if isinstance(router, ast.Call) and _is_app_constructor(module, router):
            for keyword in router.keywords:
                if keyword.arg == "dependencies" and _any_validator(module, keyword.value):
                    return True
    return False


def _class_validates(module: ModuleModel, cls: ast.ClassDef, names: set[str]) -> bool:
    """A class-based view that validates in ``dispatch``/a mixin/``decorators = [...]``."""
    if cls.name in names or _reads_signature_header(cls):
        return True
    if any(_is_validator_ref(module, d) for d in cls.decorator_list):
        return True
    if any(_is_validator_ref(module, base) for base in cls.bases):
        return True
    for node in cls.body:
        if (
            isinstance(node, ast.Assign)
            and any(
                isinstance(t, ast.Name) and t.id in ("decorators", "method_decorators")
                for t in node.targets
            )
            and _any_validator(module, node.value)
        ):
            return True
    return False


# --- the finding ---------------------------------------------------------------------------------


def _finding(module: ModuleModel, handler: RouteHandler) -> Finding:
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


def _def_span(module: ModuleModel, func: FunctionNode) -> ast.AST:
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
