"""TWL204 unthrottled-bulk-delete: ``delete()`` of Twilio resources in a loop with no pacing.

Pacing (``SemanticModel.is_paced``) is a pause in the loop or in an enclosing loop (batches with
a pause between them): ``time.sleep``/``asyncio.sleep``/``trio``/``anyio``/``gevent``/
``eventlet`` sleeps, a rate limiter or token bucket call (``limiter.acquire()``,
``bucket.consume(1)``, ``throttle()``), ``with``/``async with`` a limiter, or a loop over a
throttled iterable. The names are in ``sdk.SLEEP_FUNCTIONS`` and ``sdk.RATE_LIMITER_HINTS``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.traffic._loops import TrafficFacts
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL204"
NAME = "unthrottled-bulk-delete"
SUMMARY = "Twilio resources deleted in a loop with no pacing"
DEFAULT_ON = True
FIX = None

#: A loop over a literal this short (``for sid in (a, b)``) is not a bulk delete.
SMALL_LITERAL = 5

DOC = RuleDoc(
    what=(
        "Flags `delete()` (and `delete_async()`, `delete_with_http_info()`…) of a Twilio "
        "resource inside a loop or comprehension when neither that loop nor an enclosing one "
        "paces it. Pacing is: a sleep (`time.sleep`, `asyncio.sleep`, `trio.sleep`, "
        "`anyio.sleep`, `gevent.sleep`, `eventlet.sleep`), a rate limiter or token bucket call "
        "(`limiter.acquire()`, `limiter.try_acquire(…)`, `bucket.consume(1)`, `throttle()`, any "
        "name with `limiter`, `ratelimit`, `rate_limit` or `throttle`), `with`/`async with` a "
        "limiter, a loop over a throttled iterable, or batches with a pause between them (a "
        "sleep in the outer loop). Retry attempts and loops over a short literal tuple are not "
        "flagged. `asyncio.gather` of `delete_async()` calls with no pause is flagged: it is "
        "one burst."
    ),
    why=(
        "Bulk deletes (old recordings, message logs for data retention) fire one request per "
        "record as fast as the loop runs. They hit the account's concurrency limit and rate "
        "limits (HTTP 429), which then fails the application's real traffic on the same "
        "account. Twilio's guidance is to delete stored data at a controlled rate."
    ),
    example=(
        "import os\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "cutoff = datetime.now(timezone.utc) - timedelta(days=30)\n"
        "\n"
        "for recording in client.recordings.stream(date_created_before=cutoff):\n"
        "    recording.delete()\n"
    ),
    use_instead=(
        "import os\n"
        "import time\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "cutoff = datetime.now(timezone.utc) - timedelta(days=30)\n"
        "\n"
        "for recording in client.recordings.stream(date_created_before=cutoff):\n"
        "    recording.delete()\n"
        "    time.sleep(0.2)  # at most 5 deletes a second\n"
    ),
    references=(twilio_docs.ERROR_429, twilio_docs.TOO_MANY_REQUESTS),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    traffic = TrafficFacts.of(module)
    if not resources.might_have_resources():
        return
    for call in module.calls:
        func = call.func
        if not isinstance(func, ast.Attribute) or not func.attr.startswith("delete"):
            continue
        if resources.request_method(call) != "delete":
            continue
        loops = module.enclosing_loops(call)
        if not loops or traffic.in_retry_attempt(call, loops[0]) or _small_literal(loops[0]):
            continue
        if any(traffic.is_paced(loop) for loop in loops):
            continue
        yield module.finding(
            CODE,
            call,
            "delete() of Twilio resources in a loop with no pacing; delete at a controlled "
            "rate: sleep between deletes or batches (time.sleep/asyncio.sleep) or acquire a "
            "rate limiter before each delete",
        )


def _small_literal(loop: ast.AST) -> bool:
    iterable = getattr(loop, "iter", None)
    return isinstance(iterable, (ast.Tuple, ast.List, ast.Set)) and (
        len(iterable.elts) <= SMALL_LITERAL
    )
