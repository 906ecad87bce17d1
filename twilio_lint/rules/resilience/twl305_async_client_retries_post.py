"""TWL305 async-client-retries-post: ``AsyncTwilioHttpClient(max_retries=…)`` retries POSTs."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.module import import_prefixes, may_resolve_to
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL305"
NAME = "async-client-retries-post"
SUMMARY = "AsyncTwilioHttpClient(max_retries=…) retries every 5xx, POST included"
DEFAULT_ON = True
FIX = None

DOC = RuleDoc(
    what=(
        "Flags `AsyncTwilioHttpClient(max_retries=…)` (keyword or sixth positional argument) "
        "with more than one attempt."
    ),
    why=(
        "With `max_retries=n` the async client wraps its aiohttp session in aiohttp-retry's "
        "`RetryClient(ExponentialRetry(attempts=n))`. Its defaults retry every 5xx response "
        "on every HTTP method, POST included: when Twilio accepted a `messages.create` or "
        "`calls.create` but the response was lost or came back as a 5xx, the message is sent "
        "or the call is placed again. It also does not retry 429, the one error Twilio "
        "guarantees is safe to retry (`statuses` is empty). Leave `max_retries` unset and "
        "retry `create_async` yourself on 429, with exponential backoff."
    ),
    example=(
        "import os\n"
        "\n"
        "from twilio.http.async_http_client import AsyncTwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        "    http_client=AsyncTwilioHttpClient(max_retries=3),\n"
        ")\n"
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
        "from twilio.http.async_http_client import AsyncTwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        "    http_client=AsyncTwilioHttpClient(),\n"
        ")\n"
        "\n"
        "\n"
        "def is_rate_limited(error: BaseException) -> bool:\n"
        "    return isinstance(error, TwilioRestException) and error.status == 429\n"
        "\n"
        "\n"
        "@retry(\n"
        "    retry=retry_if_exception(is_rate_limited),\n"
        "    wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1),\n"
        "    stop=stop_after_attempt(5),\n"
        "    reraise=True,\n"
        ")\n"
        "async def send(to: str, body: str):\n"
        "    return await client.messages.create_async(\n"
        '        to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=body\n'
        "    )\n"
    ),
    fix_safety=(
        "No automatic fix: dropping `max_retries` also drops the retries of idempotent requests "
        "(GETs) that the code may rely on."
    ),
    references=(twilio_docs.CUSTOM_HTTP_CLIENT, twilio_docs.TOO_MANY_REQUESTS),
)


#: What an import must name for a call to reach the async http client.
_REACH = import_prefixes(sdk.ASYNC_HTTP_CLIENT)


def check(module: SemanticModel) -> Iterator[Finding]:
    if not may_resolve_to(module, _REACH):
        return
    for call in module.calls:
        if not module.is_qualname(call.func, sdk.ASYNC_HTTP_CLIENT):
            continue
        value = _max_retries(call)
        if value is None or _at_most_one_attempt(value):
            continue
        yield module.finding(
            CODE,
            value,
            "AsyncTwilioHttpClient(max_retries=…) retries every 5xx on every method, POST "
            "included, so a message or call can be sent twice, and it never retries 429; "
            "drop max_retries and retry create_async() on 429 with exponential backoff "
            "(e.g. tenacity)",
        )


def _max_retries(call: ast.Call) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == "max_retries":
            return keyword.value
    index = sdk.ASYNC_HTTP_CLIENT_PARAMS.index("max_retries")
    if len(call.args) > index and not any(isinstance(a, ast.Starred) for a in call.args):
        return call.args[index]
    return None


def _at_most_one_attempt(value: ast.expr) -> bool:
    """``None``, 0 and 1: no RetryClient, or one attempt (aiohttp-retry counts the first)."""
    if not isinstance(value, ast.Constant):
        return False
    return value.value is None or (
        isinstance(value.value, int) and not isinstance(value.value, bool) and value.value <= 1
    )
