"""TWL302 retry-without-backoff: a retry around Twilio calls with a constant or no wait, or
no limit on attempts."""

from __future__ import annotations

from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.retries import (
    CONSTANT,
    NO_WAIT,
    UNBOUNDED,
    Retry,
    RetryFacts,
    catches_twilio_errors,
    describe_request,
    request_calls,
)
from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.registry import RETRY_DECORATORS_OPTION, RuleDoc
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL302"
NAME = "retry-without-backoff"
SUMMARY = "Retry around Twilio calls that does not back off exponentially or never stops"
DEFAULT_ON = True
FIX = None
OPTIONS = {"retry-decorators": RETRY_DECORATORS_OPTION}

#: What each kind of retry is called in a message, and how to configure it properly.
KIND_LABELS = {
    "tenacity": "tenacity retry",
    "backoff": "backoff retry",
    "stamina": "stamina retry",
    "retrying": "retrying.retry",
    "retry": "retry()",
    "celery": "Celery retry",
    "loop": "retry loop",
}
KIND_ADVICE = {
    "tenacity": "wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1), "
    "stop=stop_after_attempt(5)",
    "backoff": "backoff.on_exception(backoff.expo, TwilioRestException, max_tries=5)",
    "stamina": "keep stamina's default exponential wait and attempts/timeout",
    "retrying": "wait_exponential_multiplier=1000, wait_exponential_max=60000, "
    "stop_max_attempt_number=5",
    "retry": "tries=5, delay=1, backoff=2, jitter=(0, 1)",
    "celery": "retry_backoff=True, retry_jitter=True, max_retries=5 "
    "(or countdown=2 ** self.request.retries)",
    "loop": "for attempt in range(5): … time.sleep(min(60, 2 ** attempt) + random.random())",
}

DOC = RuleDoc(
    what=(
        "Flags a retry around a Twilio REST call that waits a constant time or not at all "
        "between attempts, or never gives up: a bare tenacity `@retry` (no `wait=`, no "
        "`stop=`), `wait_fixed`, a backoff decorator with `backoff.constant` or without "
        "`max_tries`/`max_time`, retrying/retry decorators without an exponential wait or a "
        "limit, a Celery task with `autoretry_for` but no `retry_backoff` (or "
        "`max_retries=None`), and hand-written loops that `time.sleep(5)` a fixed time, do not "
        "sleep, or loop `while True` with no attempt limit. A sleep whose argument grows with "
        "the attempt (`2 ** attempt`, a delay multiplied with `*=`) is backoff, as are "
        "tenacity's `wait_exponential`/`wait_random_exponential`, backoff's `expo`, stamina's "
        "defaults and Celery's `retry_backoff`."
    ),
    why=(
        "A 429 means Twilio is asking you to slow down. Retrying at once, or every second, "
        "keeps the pressure on and all your workers retry in lockstep, so the retries fail too. "
        "Twilio's guide asks for exponential backoff; jitter spreads the retries out. Without a "
        "limit, a permanent failure (an invalid number, a suspended account) is retried "
        "forever and blocks the queue. `AsyncTwilioHttpClient(max_retries=…)` backs off but "
        "retries the wrong things (see TWL305), and `TwilioHttpClient(max_retries=…)` has no "
        "backoff at all."
    ),
    example=(
        "import os\n"
        "\n"
        "from tenacity import retry\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
        "\n"
        "\n"
        "@retry\n"
        "def send_code(to: str, code: str):\n"
        "    return client.messages.create(\n"
        '        to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=f"Your code: {code}"\n'
        "    )\n"
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
        "    return isinstance(error, TwilioRestException) and error.status == 429\n"
        "\n"
        "\n"
        "@retry(\n"
        "    retry=retry_if_exception(is_rate_limited),\n"
        "    wait=wait_exponential(multiplier=1, max=60) + wait_random(0, 1),\n"
        "    stop=stop_after_attempt(5),\n"
        "    reraise=True,\n"
        ")\n"
        "def send_code(to: str, code: str):\n"
        "    return client.messages.create(\n"
        '        to=to, from_=os.environ["TWILIO_FROM_NUMBER"], body=f"Your code: {code}"\n'
        "    )\n"
    ),
    fix_safety=(
        "No automatic fix: the right wait and limit depend on the caller (a web request can "
        "wait seconds, a background job minutes)."
    ),
    references=(twilio_docs.ERROR_429, twilio_docs.TOO_MANY_REQUESTS),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    if not ResourceFacts.of(module).might_have_resources():
        return  # no request_calls() anywhere: each finding needs a request under its retry
    for retry in RetryFacts.of(module).retry_mechanisms():
        if retry.kind not in KIND_LABELS:
            continue  # a custom retry from the options: trusted
        problems = _problems(retry)
        if not problems:
            continue
        if retry.handlers and not any(catches_twilio_errors(module, h) for h in retry.handlers):
            continue  # a loop that retries on other errors (a timeout, a parse error)
        calls = request_calls(module, retry.covers)
        if not calls:
            continue
        node = retry.wait_node if retry.wait == CONSTANT and retry.wait_node else retry.node
        yield module.finding(
            CODE,
            node,
            f"{KIND_LABELS[retry.kind]} around {describe_request(calls[0])}() "
            f"{' and '.join(problems)}; back off exponentially with jitter and stop after a "
            f"few attempts: {KIND_ADVICE[retry.kind]}",
        )


def _problems(retry: Retry) -> list[str]:
    problems = []
    if retry.wait == NO_WAIT:
        problems.append("does not wait between attempts")
    elif retry.wait == CONSTANT:
        problems.append("waits a constant time")
    if retry.stop == UNBOUNDED:
        problems.append("never gives up")
    return problems
