"""TWL301 send-without-retry: REST writes in a loop or batch with no retry on 429."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.retries import RetryFacts, describe_request
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RETRY_DECORATORS_OPTION, RuleDoc
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL301"
NAME = "send-without-retry"
SUMMARY = "Twilio create/update in a loop or batch without a retry on 429 Too Many Requests"
DEFAULT_ON = True
FIX = None
OPTIONS = {"retry-decorators": RETRY_DECORATORS_OPTION}

DOC = RuleDoc(
    what=(
        "Flags `create()`/`update()` calls on Twilio resources (and their `_async` variants) made "
        "in a loop, a comprehension or an `asyncio.gather(...)` batch that no retry covers. A "
        "retry is a decorator from tenacity, backoff, stamina, retrying or retry, a tenacity "
        "`Retrying`/`AsyncRetrying` or `stamina.retry_context` loop, a Celery task with "
        "`autoretry_for` or a `self.retry(...)` in its handler, a hand-written "
        "`for attempt in range(n)`/`while` loop that re-runs a `try` until it succeeds, or a "
        "decorator named in the `retry-decorators` option or named like a retry "
        "(`@with_retries`, `@retry_on_429`). Calls inside a `lambda` are left alone: it may be "
        "handed to a retry helper."
    ),
    why=(
        "Sending many messages or calls quickly runs into Twilio's concurrency and rate limits, "
        "and the API answers `429 Too Many Requests`. Twilio never processes a request it "
        "answered with 429, so retrying it is always safe, and Twilio's guide asks for exactly "
        "that: retry with exponential backoff. Without a retry, every 429 is a message that is "
        "silently never sent. The SDK does not do it for you: by default `TwilioHttpClient` "
        "retries nothing, and `TwilioHttpClient(max_retries=…)` never retries a POST on 429 "
        "(urllib3 only retries idempotent methods), so `messages.create` and `calls.create` are "
        "not covered by it."
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
        "\n"
        "\n"
        "def send_reminders(recipients):\n"
        "    for to in recipients:\n"
        "        client.messages.create(\n"
        "            to=to,\n"
        '            messaging_service_sid=os.environ["TWILIO_MESSAGING_SERVICE_SID"],\n'
        '            body="Your appointment is tomorrow at 10:00.",\n'
        "        )\n"
    ),
    use_instead=(
        "import os\n"
        "\n"
        "from tenacity import (\n"
        "    retry,\n"
        "    retry_if_exception,\n"
        "    stop_after_attempt,\n"
        "    wait_exponential,\n"
        "    wait_random,\n"
        ")\n"
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
        "def is_rate_limited(error: BaseException) -> bool:\n"
        "    # 429 requests were never processed by Twilio: safe to send again.\n"
        "    return isinstance(error, TwilioRestException) and error.status == 429\n"
        "\n"
        "\n"
        "@retry(\n"
        "    retry=retry_if_exception(is_rate_limited),\n"
        "    wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1),\n"
        "    stop=stop_after_attempt(5),\n"
        "    reraise=True,\n"
        ")\n"
        "def send_reminder(to: str):\n"
        "    return client.messages.create(\n"
        "        to=to,\n"
        '        messaging_service_sid=os.environ["TWILIO_MESSAGING_SERVICE_SID"],\n'
        '        body="Your appointment is tomorrow at 10:00.",\n'
        "    )\n"
        "\n"
        "\n"
        "def send_reminders(recipients):\n"
        "    for to in recipients:\n"
        "        send_reminder(to)\n"
    ),
    fix_safety=(
        "No automatic fix: where the retry goes (per message or per batch), which errors to "
        "retry and how long to wait are decisions for the code's author."
    ),
    references=(twilio_docs.ERROR_429, twilio_docs.TOO_MANY_REQUESTS),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    retry_facts = RetryFacts.of(module)
    if not resources.might_have_resources():
        return  # request_method() is None for every call: it asks the same question
    for call in module.calls:
        if resources.request_method(call) not in sdk.WRITE_METHODS:
            continue
        where = _repeated_context(module, call)
        if where is None or retry_facts.retries_around(call):
            continue
        yield module.finding(
            CODE,
            call,
            f"{describe_request(call)}() {where} is not retried when Twilio answers 429 Too "
            "Many Requests; wrap it in a retry with exponential backoff and a stop (e.g. "
            "tenacity: retry on TwilioRestException with status 429, wait_exponential plus "
            "jitter, stop_after_attempt). TwilioHttpClient(max_retries=…) never retries a POST",
        )


def _repeated_context(module: SemanticModel, call: ast.Call) -> str | None:
    """``"in a loop"`` / ``"in an asyncio.gather batch"`` when the call runs many times."""
    if any(isinstance(a, ast.Lambda) for a in module.ancestors(call)):
        return None  # a lambda runs where it is passed to, maybe inside a retry helper
    if module.enclosing_loops(call):
        return "in a loop"
    for ancestor in module.ancestors(call):
        if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            break
        if isinstance(ancestor, ast.Call) and module.is_qualname(
            ancestor.func, sdk.GATHER_FUNCTIONS
        ):
            return "in an asyncio.gather batch"
    return None
