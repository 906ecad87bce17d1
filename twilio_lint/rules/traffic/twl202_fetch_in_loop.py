"""TWL202 fetch-in-loop: the same Twilio data fetched again on every round of a loop.

Two shapes: a read request whose resource and arguments do not change in the loop (hoist
it), and a per-record ``fetch()`` of what the enclosing ``list()``/``stream()`` already
returned. Polling loops are TWL201's; retry attempts and fetches under an ``if`` stay quiet.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.traffic._loops import TrafficFacts
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import COMPREHENSION_TYPES

CODE = "TWL202"
NAME = "fetch-in-loop"
SUMMARY = "The same Twilio data is fetched again on every iteration of a loop"
DEFAULT_ON = True
FIX = None

DOC = RuleDoc(
    what=(
        "Flags a `fetch()`, `list()`, `stream()` or `page()` inside a loop or comprehension "
        "when (1) nothing it depends on changes from one iteration to the next (the same "
        "resource, the same arguments), or (2) it `fetch()`es each record that the loop's own "
        "`list()`/`stream()` already returned (`client.messages(m.sid).fetch()` or "
        "`m.fetch()` inside `for m in client.messages.list(...)`). A client built per "
        "subaccount or a sub-resource listed per item changes with the loop and is not "
        "flagged; a loop that polls for a state change is TWL201's; retry attempts and "
        "requests made only under an `if` are not flagged."
    ),
    why=(
        "Every round is another API request for data you already have: it costs latency, "
        "uses the account's concurrency and rate limits (HTTP 429), and grows with the size "
        "of the loop. Twilio's guidance is to keep data you read repeatedly on your own side: "
        "fetch it once before the loop, or use the fields the list already returned."
    ),
    example=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "SERVICE_SID = os.environ['MESSAGING_SERVICE_SID']\n"
        "\n"
        "\n"
        "def notify(numbers, text):\n"
        "    for number in numbers:\n"
        "        service = client.messaging.v1.services(SERVICE_SID).fetch()\n"
        "        client.messages.create(to=number, messaging_service_sid=service.sid, body=text)\n"
    ),
    use_instead=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "SERVICE_SID = os.environ['MESSAGING_SERVICE_SID']\n"
        "\n"
        "\n"
        "def notify(numbers, text):\n"
        "    service = client.messaging.v1.services(SERVICE_SID).fetch()\n"
        "    for number in numbers:\n"
        "        client.messages.create(to=number, messaging_service_sid=service.sid, body=text)\n"
    ),
    references=(twilio_docs.TOO_MANY_REQUESTS,),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    traffic = TrafficFacts.of(module)
    if not resources.might_have_resources():
        return
    for call in module.calls:
        if not isinstance(call.func, ast.Attribute):
            continue
        if sdk.request_method_base(call.func.attr) not in sdk.READ_METHODS:
            continue
        method = resources.request_method(call)
        if method is None:
            continue
        loops = module.enclosing_loops(call)
        if not loops or traffic.in_polling(call):
            continue
        if method == "fetch" and _refetches_listed_record(module, call, loops):
            yield module.finding(
                CODE,
                call,
                "fetch() of a record that the loop's list()/stream() already returned: one "
                "request per item for data you have; use the listed record's fields instead",
            )
            continue
        innermost = loops[0]
        if traffic.in_retry_attempt(call, innermost) or _conditional(module, call, innermost):
            continue
        if traffic.same_request(call, innermost, strict=True):
            yield module.finding(
                CODE,
                call,
                f"{method}() asks for the same Twilio data on every iteration; make the request "
                "once before the loop (or keep the data on your side) and reuse the result",
            )


def _refetches_listed_record(
    module: SemanticModel, call: ast.Call, loops: list[ast.AST]
) -> bool:
    """``m.fetch()`` or ``client.messages(m.sid).fetch()`` in ``for m in client.messages.list()``:
    the loop's own record, fetched again."""
    resources = ResourceFacts.of(module)
    receiver = call.func.value  # type: ignore[attr-defined]
    for loop in loops:
        for target, iterable in _loop_variables(loop):
            listed = resources.records_path(iterable)
            if listed is None:
                continue
            if isinstance(receiver, ast.Name) and receiver.id == target:
                return True
            if _context_of(receiver, target) and resources.resource_path(receiver) == listed:
                return True
    return False


def _loop_variables(loop: ast.AST) -> list[tuple[str, ast.AST]]:
    if isinstance(loop, (ast.For, ast.AsyncFor)) and isinstance(loop.target, ast.Name):
        return [(loop.target.id, loop.iter)]
    if isinstance(loop, COMPREHENSION_TYPES):
        return [
            (generator.target.id, generator.iter)
            for generator in loop.generators
            if isinstance(generator.target, ast.Name)
        ]
    return []


def _context_of(receiver: ast.AST, target: str) -> bool:
    """``<list>(m.sid)`` or ``<list>.get(m.sid)``: the context of the loop's record ``m``."""
    if not isinstance(receiver, ast.Call) or len(receiver.args) != 1 or receiver.keywords:
        return False
    sid = receiver.args[0]
    return (
        isinstance(sid, ast.Attribute)
        and sid.attr == "sid"
        and isinstance(sid.value, ast.Name)
        and sid.value.id == target
    )


def _conditional(module: SemanticModel, call: ast.Call, loop: ast.AST) -> bool:
    """Made only on some rounds (under an ``if``, a ternary or ``and``/``or``): often a cache
    (``if service is None: service = …fetch()``) or a user's choice, not a repeat."""
    child: ast.AST = call
    for ancestor in module.ancestors(call):
        if ancestor is loop:
            return False
        if isinstance(ancestor, (ast.If, ast.IfExp)) and child is not ancestor.test:
            return True
        if isinstance(ancestor, ast.BoolOp) and child is not ancestor.values[0]:
            return True
        if isinstance(ancestor, ast.Match):
            return True
        child = ancestor
    return False
