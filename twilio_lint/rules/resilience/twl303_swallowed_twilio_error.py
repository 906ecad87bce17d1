"""TWL303 swallowed-twilio-error: an ``except`` around a Twilio call that throws the error away."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.retries import (
    catches_twilio_errors,
    catches_twilio_kind,
    describe_request,
    exception_class,
    request_calls,
)
from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import TRY_TYPES

CODE = "TWL303"
NAME = "swallowed-twilio-error"
SUMMARY = "Exception from a Twilio call caught and discarded without logging or re-raising"
DEFAULT_ON = True
FIX = None
SUPPRESS = frozenset({"contextlib.suppress"})

DOC = RuleDoc(
    what=(
        "Flags an `except` clause around a Twilio REST call that catches Twilio's errors (a "
        "bare `except:`, `Exception`, `TwilioException`, `TwilioRestException`, "
        "`TwilioServiceException`) and only does `pass`, `continue`, `break` or "
        "`return`/`return <constant>`; and `contextlib.suppress(...)` of those errors around a "
        "Twilio call. Handlers that log, re-raise, call anything or use the exception are "
        "left alone."
    ),
    why=(
        "A Twilio error carries what you need to act on it and what Twilio support asks for: "
        "the HTTP `status`, the Twilio error `code` (21211 invalid number, 21610 unsubscribed "
        "recipient, 20429 too many requests…), the `msg`, the `uri` and `method` of the "
        "request. Discarding it turns a failed message into one that looks sent: nobody "
        "notices the 429s, the invalid numbers or the suspended account until customers "
        "complain, and then there is nothing to investigate with."
    ),
    example=(
        "import os\n"
        "\n"
        "from twilio.base.exceptions import TwilioRestException\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
        "\n"
        "\n"
        "def notify(to: str, text: str) -> None:\n"
        "    try:\n"
        '        client.messages.create(to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=text)\n'
        "    except TwilioRestException:\n"
        "        pass\n"
    ),
    use_instead=(
        "import logging\n"
        "import os\n"
        "\n"
        "from twilio.base.exceptions import TwilioRestException\n"
        "from twilio.rest import Client\n"
        "\n"
        "logger = logging.getLogger(__name__)\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
        "\n"
        "\n"
        "def notify(to: str, text: str) -> None:\n"
        "    try:\n"
        '        client.messages.create(to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=text)\n'
        "    except TwilioRestException as error:\n"
        "        logger.warning(\n"
        '            "SMS not sent: Twilio error %s (HTTP %s) on %s %s: %s",\n'
        "            error.code, error.status, error.method, error.uri, error.msg,\n"
        "        )\n"
    ),
    fix_safety="No automatic fix: whether to log, re-raise or handle the error is a design choice.",
    references=(twilio_docs.PYTHON_SDK,),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    if not ResourceFacts.of(module).might_have_resources():
        return  # no request_calls() anywhere: each finding needs a request in the try or with
    for try_node in module.nodes(*TRY_TYPES):
        calls = request_calls(module, try_node.body)
        if not calls:
            continue
        for handler in try_node.handlers:
            if catches_twilio_errors(module, handler) and _discards(handler.body):
                yield module.finding(
                    CODE,
                    handler,
                    f"{_caught_label(module, handler)} around {describe_request(calls[0])}() "
                    "discards the error, and with it the Twilio error code, HTTP status and "
                    "request; log it (code, status, msg, uri) or re-raise it",
                )
    yield from _suppressed(module)


def _discards(body: list[ast.stmt]) -> bool:
    """Only ``pass``, ``...``, ``continue``, ``break``, ``return`` or ``return <literal>``."""
    for stmt in body:
        if isinstance(stmt, (ast.Pass, ast.Continue, ast.Break)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue
        if isinstance(stmt, ast.Return) and (
            stmt.value is None or isinstance(stmt.value, ast.Constant)
        ):
            continue
        return False
    return True


def _caught_label(module: SemanticModel, handler: ast.ExceptHandler) -> str:
    if handler.type is None:
        return "bare except"
    return f"except {module.segment(handler.type)}"


def _suppressed(module: SemanticModel) -> Iterator[Finding]:
    """``with contextlib.suppress(TwilioRestException): client.messages(sid).delete()``"""
    for with_node in module.nodes(ast.With, ast.AsyncWith):
        for item in with_node.items:
            call = item.context_expr
            if not (isinstance(call, ast.Call) and module.is_qualname(call.func, SUPPRESS)):
                continue
            if not any(catches_twilio_kind(exception_class(module, a)) for a in call.args):
                continue
            calls = request_calls(module, with_node.body)
            if calls:
                yield module.finding(
                    CODE,
                    call,
                    f"{module.segment(call)} around {describe_request(calls[0])}() discards "
                    "the error, and with it the Twilio error code, HTTP status and request; "
                    "catch it and log it (code, status, msg, uri), or re-raise it",
                )
