"""TWL103 insecure-webhook-url: a plain ``http://`` URL that Twilio will call back.

Looks at the webhook/callback parameters of Twilio REST calls (``status_callback``,
``voice_url``, ``sms_url``…, ``sdk.CALLBACK_PARAMS``) and at the TwiML attributes that make
Twilio request a URL (``action``, ``<Redirect>``'s URL, ``status_callback``…). The URL is found
as a literal, an f-string, a concatenation/``.format``/``%`` whose text starts the URL, or a
name (a module constant, or a local assigned once) that carries such a literal; the finding is
reported at the literal, where the fix goes. Media and content URLs (``media_url``,
``<Play>``, ``<Media>``) and URLs inside message bodies are never looked at.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from twilio_lint.facts.clients import uses_twilio
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.twiml import callback_attributes
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.literals import starts_with_http
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.scopes import binds_locally

CODE = "TWL103"
NAME = "insecure-webhook-url"
SUMMARY = "Webhook or callback URL given to Twilio uses plain http://"
DEFAULT_ON = True
FIX = "unsafe"

DOC = RuleDoc(
    what=(
        "Flags an `http://` URL given to a webhook or callback parameter of a Twilio REST call "
        "(`status_callback`, `url`, `voice_url`, `sms_url`, `*_fallback_url`, "
        "`recording_status_callback`, … 62 names) or to a TwiML attribute that makes Twilio "
        "request a URL (`action`, the URL of `<Redirect>`, `status_callback`, `wait_url`, …). "
        "The URL may be a literal, an f-string, a concatenation, or a module constant or local "
        "variable holding such a literal; the finding points at the literal. Media and content "
        "URLs (`media_url`, `<Play>`, `<Media>`) and loopback hosts are not reported."
    ),
    why=(
        "Over plain HTTP the webhook request — caller numbers, message bodies, recording URLs — "
        "travels unencrypted, and your TwiML response can be read or replaced on the way back. "
        "The `X-Twilio-Signature` header does not help: it signs the request, not the response, "
        "and anyone on the path can replay a captured request. Twilio supports HTTPS webhooks "
        "everywhere."
    ),
    example=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client()\n"
        "client.messages.create(\n"
        '    to="+15558675310",\n'
        '    from_="+15017122661",\n'
        '    body="Your order has shipped",\n'
        '    status_callback="http://example.com/sms/status",\n'
        ")\n"
    ),
    use_instead=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client()\n"
        "client.messages.create(\n"
        '    to="+15558675310",\n'
        '    from_="+15017122661",\n'
        '    body="Your order has shipped",\n'
        '    status_callback="https://example.com/sms/status",\n'
        ")\n"
    ),
    fix_safety=(
        "Unsafe: `http://` becomes `https://` at the start of the literal the finding points "
        "at; a URL held in a constant is changed where the constant is defined. It is unsafe "
        "because the server must answer HTTPS on that host, with a valid certificate, before "
        "Twilio can reach it, and the constant may also be used for other URLs. No fix is "
        "offered for bytes literals or when the literal's text does not start with `http://` "
        'in the source itself (escapes, `"http" "://…"`).'
    ),
    references=(twilio_docs.WEBHOOK_SECURITY, twilio_docs.WEBHOOK_SECURITY_GUIDE),
)

LOOPBACK_HOSTS = ("localhost", "127.", "0.0.0.0", "[::1]")
#: ``wait_url="http://…/hold.mp3"``: Twilio plays a file there, it does not post call data.
MEDIA_FILE = re.compile(
    r"\.(?:mp3|wav|ogg|oga|aiff?|gsm|ulaw|mp4|m4a|jpe?g|png|gif)(?:[?#]|$)", re.IGNORECASE
)
MAX_DEPTH = 4  # constant → constant → concatenation chains seen in practice


def check(module: SemanticModel) -> Iterator[Finding]:
    reported: set[tuple[int, int]] = set()
    for param, value, call in _callback_values(module):
        for literal in http_literals(module, value):
            key = (literal.lineno, literal.col_offset)
            if key in reported:
                continue
            reported.add(key)
            yield module.finding(
                CODE, literal, _message(param, literal, call),
                # the fix rewrites the scheme only where the source itself spells it
                fix_applicability=FIX if starts_with_http(module.segment(literal)) else None,
            )


def _callback_values(module: SemanticModel) -> Iterator[tuple[str, ast.expr, ast.Call]]:
    """(parameter, value, call) for every URL Twilio will call back."""
    twilio_module = uses_twilio(module)
    # Cheap test first (resolving the receiver is the expensive part): the calls given a
    # callback parameter, found from the keywords (most calls have none).
    given = {
        module.parent(keyword)
        for keyword in module.unordered(ast.keyword)
        if keyword.arg in sdk.CALLBACK_PARAMS
    }
    for call in module.calls if given else ():
        if call not in given or not isinstance(call.func, ast.Attribute):
            continue
        rest = ResourceFacts.of(module).request_method(call) is not None
        shaped_only = not rest and twilio_module and _looks_like_rest_write(call)
        if not rest and not shaped_only:
            continue
        allowed = sdk.TWILIO_SHAPED_CALLBACK_PARAMS if shaped_only else sdk.CALLBACK_PARAMS
        for keyword in call.keywords:
            if keyword.arg in allowed and keyword.arg not in sdk.CONTENT_URL_PARAMS:
                yield keyword.arg, keyword.value, call
    for attribute in callback_attributes(module):
        yield attribute.attr, attribute.value, attribute.call


def _looks_like_rest_write(call: ast.Call) -> bool:
    # ``client.messages.create`` where ``client`` is a parameter the model cannot type.
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and sdk.request_method_base(func.attr) in sdk.WRITE_METHODS
        and isinstance(func.value, (ast.Attribute, ast.Call))
        and not (isinstance(func.value, ast.Attribute) and func.value.attr == "objects")  # ORM
    )


def http_literals(module: SemanticModel, expr: ast.AST, depth: int = 0) -> list[ast.expr]:
    """The literal(s) that make ``expr`` an insecure ``http://`` URL: where a fix would go."""
    if depth > MAX_DEPTH:
        return []
    if isinstance(expr, ast.Constant):
        text = expr.value
        if not isinstance(text, str) or MEDIA_FILE.search(text):
            return []
        return [expr] if is_insecure_url(text) else []
    if isinstance(expr, ast.JoinedStr):
        return _fstring_literals(module, expr, depth)
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.Add, ast.Mod)):
        return http_literals(module, expr.left, depth + 1)
    if isinstance(expr, ast.Call):
        return _call_literals(module, expr, depth)
    if isinstance(expr, ast.Name):
        value = _name_value(module, expr)
        return http_literals(module, value, depth + 1) if value is not None else []
    return []


def _fstring_literals(module: SemanticModel, expr: ast.JoinedStr, depth: int) -> list[ast.expr]:
    if not expr.values:
        return []
    first = expr.values[0]
    if isinstance(first, ast.Constant):
        prefix = module.string_value(expr, follow_constants=False) or ""
        return [expr] if is_insecure_url(prefix, partial=True) else []
    if isinstance(first, ast.FormattedValue):  # f"{BASE_URL}/sms/status"
        return http_literals(module, first.value, depth + 1)
    return []


def _call_literals(module: SemanticModel, call: ast.Call, depth: int) -> list[ast.expr]:
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "format":  # "http://{}/x".format(host)
        return http_literals(module, func.value, depth + 1)
    if module.is_qualname(func, "urllib.parse.urljoin") and call.args:
        return http_literals(module, call.args[0], depth + 1)
    return []


def _name_value(module: SemanticModel, name: ast.Name) -> ast.expr | None:
    """What a name holds: a local assigned exactly once in its function, else a module constant."""
    scope = module.enclosing_scope(name)
    if _is_parameter(scope, name.id):
        return None  # the caller's value (and what _single_local_assignment would answer)
    if not isinstance(scope, ast.Module) and binds_locally(scope, name.id):
        return _single_local_assignment(scope, name.id)
    return module.module_constant(name.id)


def _is_parameter(scope: ast.AST, name: str) -> bool:
    """A named parameter of the function or lambda ``scope`` (not ``*args``/``**kwargs``)."""
    if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return False
    args = scope.args
    return any(arg.arg == name for arg in args.args + args.posonlyargs + args.kwonlyargs)


def _single_local_assignment(scope: ast.AST, name: str) -> ast.expr | None:
    values: list[ast.expr] = []
    for node in ast.walk(scope):
        if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and t.id == name for t in targets):
                if isinstance(node, ast.AugAssign) or node.value is None:
                    return None
                values.append(node.value)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith, ast.arguments)):
            if any(isinstance(n, ast.Name) and n.id == name for n in _loop_or_with_targets(node)):
                return None
            if isinstance(node, ast.arguments) and any(
                arg.arg == name for arg in node.args + node.posonlyargs + node.kwonlyargs
            ):
                return None
    return values[0] if len(values) == 1 else None


def _loop_or_with_targets(node: ast.AST) -> Iterator[ast.AST]:
    if isinstance(node, (ast.For, ast.AsyncFor)):
        yield from ast.walk(node.target)
    elif isinstance(node, (ast.With, ast.AsyncWith)):
        for item in node.items:
            if item.optional_vars is not None:
                yield from ast.walk(item.optional_vars)


def is_insecure_url(text: str, partial: bool = False) -> bool:
    """``http://`` to a host Twilio could reach (loopback URLs are local test values)."""
    if text[:7].lower() != "http://":
        return False
    rest = text[7:].lower()
    host = rest.split("]", 1)[0] + "]" if rest.startswith("[") else re.split(r"[/:?#]", rest)[0]
    if not host and partial:
        return True  # f"http://{host}/sms": plain HTTP whatever the host
    return bool(host) and not host.startswith(LOOPBACK_HOSTS) and not host.endswith(".localhost")


def _message(param: str, literal: ast.expr, call: ast.Call) -> str:
    where = f"`{param}`"
    if literal.lineno != call.lineno and not _inside(literal, call):
        where += f" (used on line {call.lineno})"
    return (
        f"Plain http:// URL given to {where}: Twilio sends the webhook unencrypted; "
        "use an https:// URL"
    )


def _inside(node: ast.AST, container: ast.AST) -> bool:
    start = (container.lineno, container.col_offset)  # type: ignore[attr-defined]
    end = (container.end_lineno, container.end_col_offset)  # type: ignore[attr-defined]
    return start <= (node.lineno, node.col_offset) <= end  # type: ignore[attr-defined]
