"""TWL201 status-polling-loop: a loop that fetches a resource again and again until it changes.

The shared model decides what polls (``SemanticModel.polling_loop``): a ``while`` loop, a counter
loop or a function calling itself with the same arguments that asks for the same Twilio
resource every round and re-checks its ``status``, or sleeps and tests the result.
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

CODE = "TWL201"
NAME = "status-polling-loop"
SUMMARY = "Loop polls a Twilio resource until its status changes instead of using a status callback"
DEFAULT_ON = True
FIX = None

DOC = RuleDoc(
    what=(
        "Flags a request (`fetch()`, `list()`, `stream()`, `page()`, their `_async` and "
        "`_with_http_info` variants, awaited or not) that asks for the same Twilio resource on "
        "every round of a `while` loop, a counter loop (`for _ in range(n)`) or a function "
        "that calls itself with the same arguments, where the round re-checks the result's "
        "`status`, or sleeps (`time.sleep`, `asyncio.sleep`, …) and tests the result or lists "
        "records again. It is reported once per loop, at the first such request. Loops over "
        "different resources (`for sid in sids: client.calls(sid).fetch()`) and retry loops "
        "(the request in a `try` that leaves the loop on success) are not polling."
    ),
    why=(
        "Each round is an API request that usually returns the same answer. Polling uses up "
        "the account's request concurrency and rate limits (HTTP 429), adds latency up to the "
        "polling interval, and scales with the number of calls or messages in flight. Twilio "
        "pushes the state change to you instead: pass `status_callback` when you create the "
        "call or message (or configure the webhook on the number, service or application) "
        "and handle the callback request."
    ),
    example=(
        "import os\n"
        "import time\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "\n"
        "def wait_for_call(call_sid):\n"
        "    call = client.calls(call_sid).fetch()\n"
        "    while call.status in ('queued', 'ringing', 'in-progress'):\n"
        "        time.sleep(5)\n"
        "        call = client.calls(call_sid).fetch()\n"
        "    return call.status\n"
    ),
    use_instead=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "\n"
        "def start_call(to, from_):\n"
        "    return client.calls.create(\n"
        "        to=to,\n"
        "        from_=from_,\n"
        "        url='https://example.com/voice',\n"
        "        status_callback='https://example.com/call-status',\n"
        "        status_callback_event=['completed'],\n"
        "    )\n"
        "\n"
        "# The /call-status handler receives CallSid and CallStatus when the call ends.\n"
    ),
    fix_safety="This rule has no automatic fix: a callback needs a web endpoint of yours.",
    references=(twilio_docs.STATUS_CALLBACKS, twilio_docs.TOO_MANY_REQUESTS),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    traffic = TrafficFacts.of(module)
    if not resources.might_have_resources():
        return
    reported: set[ast.AST] = set()
    for call in module.calls:
        if not isinstance(call.func, ast.Attribute):
            continue
        if sdk.request_method_base(call.func.attr) not in sdk.READ_METHODS:
            continue  # cheap name test before the model's analysis
        owner = traffic.polling_loop(call)
        if owner is None or owner in reported:
            continue
        reported.add(owner)
        yield module.finding(CODE, call, _message(module, call, owner))


def _message(module: SemanticModel, call: ast.Call, owner: ast.AST) -> str:
    resources = ResourceFacts.of(module)
    how = "by calling itself" if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)) else (
        "in a loop"
    )
    method = resources.request_method(call) or "fetch"
    return (
        f"Polling a Twilio resource with {method}() {how} until its state changes; let "
        "Twilio tell you instead: pass status_callback='https://…' when you create the call or "
        "message (or set the webhook on the number/service) and handle the callback"
    )
