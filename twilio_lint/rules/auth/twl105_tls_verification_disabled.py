"""TWL105 tls-verification-disabled: certificate checks switched off on traffic to Twilio.

Flags ``verify=False`` (and aiohttp's ``ssl=False``/``verify_ssl=False``) inside a
``TwilioHttpClient``/``HttpClient`` subclass, ``verify=False`` on a ``requests``/``httpx`` call or
client whose URL literal is on ``twilio.com``, ``<session>.verify = False`` on a Twilio http
client's session (in a subclass, on a ``TwilioHttpClient()`` instance or through
``client.http_client``), and ``ssl._create_unverified_context`` in modules that use the Twilio
REST client. ``verify=False`` toward any other host is none of this rule's business.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.imports import ModuleImports
from twilio_lint.facts.module import import_prefixes, may_resolve_to
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import POSITION_ATTRS, dotted_name
from twilio_lint.semantic.propagate import propagate

CODE = "TWL105"
NAME = "tls-verification-disabled"
SUMMARY = "TLS certificate verification disabled on requests to Twilio"
DEFAULT_ON = True
FIX = "unsafe"

DOC = RuleDoc(
    what=(
        "Flags TLS certificate verification switched off on traffic to Twilio: `verify=False` "
        "(or aiohttp's `ssl=False`) in a `TwilioHttpClient` subclass, `session.verify = False` "
        "on a Twilio http client's session, `verify=False` on a `requests`/`httpx` call or "
        "client whose URL is on `twilio.com`, and `ssl._create_unverified_context()` in a "
        "module that uses the Twilio REST client. `verify=False` toward other hosts is not "
        "reported."
    ),
    why=(
        "Every REST request carries your Account SID and Auth Token (or API key secret) in "
        "its Authorization header. Without certificate verification anyone who can intercept "
        "the connection — a hostile Wi-Fi, a compromised proxy — can present any certificate, "
        "read the credentials and take over the account. Corporate TLS-intercepting proxies "
        "are handled by trusting their CA (`REQUESTS_CA_BUNDLE`), not by turning checks off."
    ),
    example=(
        "from twilio.http.http_client import TwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "\n"
        "class ProxyHttpClient(TwilioHttpClient):\n"
        "    def __init__(self, proxy_url):\n"
        '        super().__init__(proxy={"https": proxy_url})\n'
        "        self.session.verify = False\n"
        "\n"
        "\n"
        'client = Client(http_client=ProxyHttpClient("http://proxy.internal:3128"))\n'
    ),
    use_instead=(
        "from twilio.http.http_client import TwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "\n"
        "class ProxyHttpClient(TwilioHttpClient):\n"
        "    def __init__(self, proxy_url, ca_bundle):\n"
        '        super().__init__(proxy={"https": proxy_url})\n'
        "        self.session.verify = ca_bundle  # trust the proxy's CA, keep verification on\n"
        "\n"
        "\n"
        'client = Client(http_client=ProxyHttpClient("http://proxy.internal:3128", "/etc/ca.pem"))\n'
    ),
    fix_safety=(
        "Unsafe: `verify=False` (also `ssl=False`, `verify_ssl=False`) is removed from the "
        "call, a `session.verify = False` statement is deleted (`pass` if it was alone in its "
        "block), and `ssl._create_unverified_context` becomes `ssl.create_default_context`. It "
        "is unsafe because requests to a host whose certificate does not verify (a "
        "TLS-intercepting proxy) now fail until its CA is configured (`REQUESTS_CA_BUNDLE`, "
        '`verify="/path/ca.pem"`). No fix is offered for `_create_unverified_context` imported '
        "as a bare name or for chained assignments (`a.verify = b.verify = False`)."
    ),
    references=(twilio_docs.WEBHOOK_SECURITY, twilio_docs.CUSTOM_HTTP_CLIENT),
)

#: Base classes whose subclasses send every request to Twilio.
HTTP_CLIENT_BASES = sdk.HTTP_CLIENT_CLASSES | {"twilio.http.HttpClient"}
_HTTP_CLIENT_REACH = import_prefixes(HTTP_CLIENT_BASES)
#: Keywords that turn certificate checks off (requests/httpx ``verify``, aiohttp ``ssl``).
DISABLING_KEYWORDS = frozenset({"verify", "ssl", "verify_ssl"})
UNVERIFIED_CONTEXT = "ssl._create_unverified_context"
#: Imports that mean "this module talks to Twilio's REST API".
CLIENT_MODULE_PREFIXES = (
    "twilio.rest",
    "twilio.http",
    "twilio.base.client_base",
    "django_twilio.client",
)
URL_KEYWORDS = ("url", "base_url")
_HOST = re.compile(r"^https?://([^/:?#]+)", re.IGNORECASE)

MESSAGE = (
    "TLS certificate verification is disabled on traffic to Twilio: anyone on the network "
    "path can read the credentials in the Authorization header; remove {what} (behind an "
    "intercepting proxy, trust its CA with REQUESTS_CA_BUNDLE instead)"
)


def check(module: SemanticModel) -> Iterator[Finding]:
    http_classes = _http_client_classes(module)
    yield from _disabling_keywords(module, http_classes)
    yield from _verify_assignments(module, http_classes)
    yield from _unverified_contexts(module)


def _http_client_classes(module: SemanticModel) -> set[str]:
    """Names of this module's classes that extend a Twilio http client (directly or not)."""
    classes: set[str] = set()
    if not may_resolve_to(module, _HTTP_CLIENT_REACH):
        return classes  # the first subclass needs a Twilio base; the others, a first one
    nodes = module.nodes(ast.ClassDef)

    def step() -> None:
        for cls in nodes:
            if any(_is_http_base(module, base, classes) for base in cls.bases):
                classes.add(cls.name)

    propagate(step, classes)
    return classes


def _is_http_base(module: SemanticModel, base: ast.expr, local: set[str]) -> bool:
    if isinstance(base, ast.Name) and base.id in local:
        return True
    return module.is_qualname(base, HTTP_CLIENT_BASES)


def _in_http_client_class(module: SemanticModel, node: ast.AST, classes: set[str]) -> bool:
    cls = module.enclosing_class(node)
    return cls is not None and cls.name in classes


def _disabling_keywords(module: SemanticModel, classes: set[str]) -> Iterator[Finding]:
    keywords = module.unordered(ast.keyword)
    if not [k for k in keywords if k.arg in DISABLING_KEYWORDS and _is_false(k.value)]:
        return  # cheap test first: most modules never say ``verify=False``
    for call in module.calls:
        for keyword in call.keywords:
            if keyword.arg not in DISABLING_KEYWORDS or not _is_false(keyword.value):
                continue
            if _in_http_client_class(module, call, classes) or (
                keyword.arg == "verify" and _targets_twilio(module, call)
            ):
                yield module.finding(
                    CODE, keyword, MESSAGE.format(what=f"`{keyword.arg}=False`"),
                    data={"rewrite": "drop_keyword"},  # the fix removes the argument
                    fix_applicability=FIX,
                )


def _is_false(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is False


def _targets_twilio(module: SemanticModel, call: ast.Call) -> bool:
    """The request's URL (first/second positional, ``url=``, ``base_url=``) is on twilio.com."""
    candidates = list(call.args[:2]) + [k.value for k in call.keywords if k.arg in URL_KEYWORDS]
    return any(_is_twilio_url(module.string_value(arg)) for arg in candidates)


def _is_twilio_url(text: str | None) -> bool:
    if not text:
        return False
    match = _HOST.match(text)
    if match is None:
        return False
    host = match.group(1).lower().rstrip(".")
    return host == sdk.TWILIO_API_DOMAIN or host.endswith("." + sdk.TWILIO_API_DOMAIN)


def _verify_assignments(module: SemanticModel, classes: set[str]) -> Iterator[Finding]:
    falses = [
        node
        for node in module.unordered(ast.Assign)
        if isinstance(node.value, ast.Constant) and node.value.value is False  # _is_false
    ]
    falses.sort(key=POSITION_ATTRS)  # in source order, without sorting every assignment
    if not falses:
        return  # the sessions and instances below are only looked for beside a ``= False``
    instances = _http_client_instances(module, classes)
    given = _sessions_given_to_twilio(module, instances)
    for node in falses:
        for target in node.targets:
            if not (isinstance(target, ast.Attribute) and target.attr == "verify"):
                continue
            if (
                _in_http_client_class(module, node, classes)
                or _is_twilio_session(module, target.value, instances)
                or dotted_name(target.value) in given
            ):
                yield module.finding(
                    CODE, node, MESSAGE.format(what="`.verify = False`"),
                    data={"rewrite": "drop_statement"},  # the fix removes the statement
                    fix_applicability=FIX if _removable(module, node) else None,
                )


def _removable(module: SemanticModel, node: ast.Assign) -> bool:
    """Can the fix remove the statement: one target (not ``a = b.verify = False``), on lines
    of its own (not ``s.verify = False; go()``)?"""
    return len(node.targets) == 1 and ModuleImports.of(module).statement_lines(node) is not None


def _http_client_instances(module: SemanticModel, classes: set[str]) -> set[str]:
    """Dotted names bound to ``TwilioHttpClient(...)`` or a local subclass instance."""
    names: set[str] = set()
    for node in module.nodes(ast.Assign, ast.AnnAssign):
        value = node.value
        if not isinstance(value, ast.Call):
            continue
        func = value.func
        if not (
            module.is_qualname(func, HTTP_CLIENT_BASES)
            or (isinstance(func, ast.Name) and func.id in classes)
        ):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        names.update(d for t in targets if (d := dotted_name(t)) is not None)
    return names


def _sessions_given_to_twilio(module: SemanticModel, instances: set[str]) -> set[str]:
    """``s`` in ``http_client.session = s``: a session the Twilio http client will use."""
    names: set[str] = set()
    for node in module.nodes(ast.Assign):
        source = dotted_name(node.value)
        if source is None:
            continue
        for target in node.targets:
            if isinstance(target, ast.Attribute) and _is_twilio_session(module, target, instances):
                names.add(source)
    return names


def _is_twilio_session(module: SemanticModel, expr: ast.expr, instances: set[str]) -> bool:
    """``http.session`` for a Twilio http client ``http``, or ``client.http_client.session``."""
    clients = ClientFacts.of(module)
    if not (isinstance(expr, ast.Attribute) and expr.attr == "session"):
        return False
    owner = expr.value
    if dotted_name(owner) in instances:
        return True
    return (
        isinstance(owner, ast.Attribute)
        and owner.attr == "http_client"
        and clients.is_client(owner.value)
    )


def _unverified_contexts(module: SemanticModel) -> Iterator[Finding]:
    if not _uses_rest_client(module) or "_create_unverified_context" not in module.source:
        return
    for node in module.nodes(ast.Attribute, ast.Name):
        if module.qualname(node) != UNVERIFIED_CONTEXT:
            continue
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Attribute):
            continue  # only the outermost name of a dotted chain
        parent = module.parent(node)
        anchor = parent if isinstance(parent, ast.Call) and parent.func is node else node
        # ssl._create_unverified_context → ssl.create_default_context; a bare imported name
        # would need an import: no fix.
        data = {"rewrite": "default_context"} if isinstance(node, ast.Attribute) else None
        yield module.finding(
            CODE,
            anchor,
            MESSAGE.format(
                what="ssl._create_unverified_context, use ssl.create_default_context()"
            ),
            data=data,
            fix_applicability=FIX if data else None,
        )


def _uses_rest_client(module: SemanticModel) -> bool:
    clients = ClientFacts.of(module)
    if clients.client_constructions():
        return True
    return any(q.startswith(CLIENT_MODULE_PREFIXES) for q in module.imports.values())
