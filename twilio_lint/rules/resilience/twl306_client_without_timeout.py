"""TWL306 client-without-timeout (opt-in): a REST client whose HTTP requests never time out."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.imports import ModuleImports
from twilio_lint.facts.module import import_prefixes, may_resolve_to
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import dotted_name

CODE = "TWL306"
NAME = "client-without-timeout"
SUMMARY = "Twilio REST client or TwilioHttpClient without a timeout"
DEFAULT_ON = False
FIX = "unsafe"

DOC = RuleDoc(
    what=(
        "Flags a `twilio.rest.Client(...)` built without `http_client=` (it then uses a "
        "default `TwilioHttpClient()`), and a `TwilioHttpClient(...)` built without "
        "`timeout=` or with `timeout=None`. Opt-in: enable it with `--extend-select TWL306`. "
        "Quiet when the module sets `<client>.http_client.timeout` itself."
    ),
    why=(
        "The SDK's default HTTP client has no timeout (`TwilioHttpClient().timeout is None`), "
        "and requests then waits on a stalled connection forever: a web request, a worker or "
        "a cron job hangs with it, holding its thread and its database connection. Give the "
        "client a timeout so a network problem becomes an exception you can retry or report."
    ),
    example=(
        "import os\n"
        "\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
    ),
    use_instead=(
        "import os\n"
        "\n"
        "from twilio.http.http_client import TwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        "    http_client=TwilioHttpClient(timeout=30),\n"
        ")\n"
    ),
    fix_safety=(
        "Unsafe: a `Client(…)` without `http_client=` gets "
        "`http_client=TwilioHttpClient(timeout=30)` and `from twilio.http.http_client import "
        "TwilioHttpClient` (added once); a `TwilioHttpClient(…)` without a timeout, or with "
        "`timeout=None`, gets `timeout=30`. It is unsafe because requests slower than 30 "
        "seconds now fail instead of waiting: pick the value your callers can wait. No fix is "
        "offered for calls with `*args`/`**kwargs`, for a timeout or http client passed "
        "positionally, for 5.x `TwilioRestClient`, or when the name `TwilioHttpClient` means "
        "something else in the file."
    ),
    references=(twilio_docs.CUSTOM_HTTP_CLIENT,),
)


#: What an import must name for a call to reach ``TwilioHttpClient``.
_HTTP_CLIENT_REACH = import_prefixes(sdk.HTTP_CLIENT)


def check(module: SemanticModel) -> Iterator[Finding]:
    clients = ClientFacts.of(module)
    http_calls = module.calls if may_resolve_to(module, _HTTP_CLIENT_REACH) else []
    if not (clients.client_constructions() or http_calls) or _sets_timeout_later(module):
        return  # nothing to report, or the timeout is set after construction
    for call in clients.client_constructions():
        if clients.is_legacy_client_constructor(call) or _has_argument(call, "http_client"):
            continue
        yield module.finding(
            CODE,
            call,
            "Twilio client without http_client= uses the default TwilioHttpClient, which has "
            "no timeout, so a stalled connection blocks forever; pass "
            "http_client=TwilioHttpClient(timeout=30)",
            data={"rewrite": "http_client"},  # the fix adds http_client=TwilioHttpClient(…)
            fix_applicability=FIX if _can_import_http_client(module) else None,
        )
    for call in http_calls:
        if module.is_qualname(call.func, sdk.HTTP_CLIENT) and not _has_timeout(call):
            yield module.finding(
                CODE,
                call,
                "TwilioHttpClient without timeout= never times out, so a stalled connection "
                "blocks forever; pass timeout=30 (seconds) or what your caller can wait",
                data={"rewrite": "timeout"},  # the fix adds (or sets) timeout=30
                # timeout=None given positionally is left to a human
                fix_applicability=None if _timeout_positional(call) else FIX,
            )


def _has_argument(call: ast.Call, name: str) -> bool:
    """The argument is given by keyword or position, or may be (``*args``/``**kwargs``)."""
    if any(keyword.arg in (name, None) for keyword in call.keywords):
        return True
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return True
    return len(call.args) > sdk.CLIENT_PARAMS.index(name)


def _has_timeout(call: ast.Call) -> bool:
    for keyword in call.keywords:
        if keyword.arg is None:
            return True
        if keyword.arg == "timeout":
            return not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
    if any(isinstance(arg, ast.Starred) for arg in call.args):
        return True
    index = sdk.HTTP_CLIENT_PARAMS.index("timeout")
    if len(call.args) > index:
        value = call.args[index]
        return not (isinstance(value, ast.Constant) and value.value is None)
    return False


def _can_import_http_client(module: SemanticModel) -> bool:
    """Unless the name ``TwilioHttpClient`` means something else in the file."""
    imports = ModuleImports.of(module)
    return imports.import_name(*sdk.HTTP_CLIENT.rsplit(".", 1)) is not None


def _timeout_positional(call: ast.Call) -> bool:
    return len(call.args) > sdk.HTTP_CLIENT_PARAMS.index("timeout")


def _sets_timeout_later(module: SemanticModel) -> bool:
    """``client.http_client.timeout = 10`` anywhere in the module."""
    for node in module.nodes(ast.Assign):
        for target in node.targets:
            name = dotted_name(target) or ""
            if name.endswith("http_client.timeout"):
                return True
    return False
