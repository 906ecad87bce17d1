"""TWL203 unbounded-list: ``list()`` of a high-volume resource with no limit and no date filter.

``list()`` with ``limit=None`` follows every page: on messages, calls or recordings that is the
account's whole history, held in memory at once. Which lists are high-volume, and which
filters bound them, is SDK knowledge in ``sdk.py`` (``is_high_volume_list``,
``DATE_FILTER_PARAMS``).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import is_none

CODE = "TWL203"
NAME = "unbounded-list"
SUMMARY = "list() of a high-volume resource with no limit= and no date filter"
DEFAULT_ON = True
FIX = None

DOC = RuleDoc(
    what=(
        "Flags `list()` (and `list_async()`, `list_with_http_info()`…) on a resource that grows "
        "with traffic (messages, calls, recordings, conferences, transcriptions, notifications, "
        "monitor alerts and events, usage records, verification attempts, Studio executions, "
        "video rooms and compositions, serverless logs, Voice Insights call summaries) when it "
        "passes neither `limit=` nor a date filter (`date_sent_after=`, `start_time_after=`, "
        "`date_created_after=`, `start_date=`…; one side of the range is enough). `status=`, "
        "`to=` or `from_=` do not bound the result. Not flagged: `stream()` and `page()`, "
        "low-volume lists (incoming phone numbers, messaging services, applications…), "
        "sub-lists of one record (`client.calls(sid).recordings.list()`), and lists filtered "
        "to one parent (`parent_call_sid=`, `call_sid=`, `conference_sid=`)."
    ),
    why=(
        "With no `limit`, `list()` requests page after page until the end and returns "
        "everything as one Python list: for an account with years of messages that is "
        "thousands of requests, minutes of latency, rate limiting (HTTP 429) and memory "
        "growth, and it gets worse every day the account is used."
    ),
    example=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "failed = [m for m in client.messages.list() if m.status == 'failed']\n"
    ),
    use_instead=(
        "import os\n"
        "from datetime import datetime, timedelta, timezone\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(os.environ['TWILIO_API_KEY'], os.environ['TWILIO_API_SECRET'],\n"
        "                os.environ['TWILIO_ACCOUNT_SID'])\n"
        "\n"
        "since = datetime.now(timezone.utc) - timedelta(days=1)\n"
        "failed = [m for m in client.messages.list(date_sent_after=since, page_size=1000)\n"
        "          if m.status == 'failed']\n"
        "recent = client.messages.list(limit=20)\n"
        "for message in client.messages.stream(page_size=500):  # one page at a time\n"
        "    print(message.sid)\n"
    ),
    references=(twilio_docs.PAGINATION, twilio_docs.TOO_MANY_REQUESTS),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    resources = ResourceFacts.of(module)
    if not resources.might_have_resources():
        return
    for call in module.calls:
        func = call.func
        if not isinstance(func, ast.Attribute) or sdk.request_method_base(func.attr) != "list":
            continue
        if _bounded(call) or resources.request_method(call) != "list":
            continue
        path = resources.resource_path(func.value)
        if path is None or not sdk.is_high_volume_list(path):
            continue
        date_filter = sdk.DATE_FILTER_EXAMPLES.get(path[-1], "start_date")
        shown = ".".join(segment.replace("()", "(…)") for segment in path)
        yield module.finding(
            CODE,
            call,
            f"{shown}.list() without limit= or a date filter pulls the whole history, page "
            f"after page, into memory; pass limit=…, a date range such as {date_filter}=…, or "
            "iterate lazily with stream()",
        )


def _bounded(call: ast.Call) -> bool:
    """A limit, a date filter or a one-parent filter, or arguments we cannot see."""
    if call.args:
        return True  # positional filters (or *args): say nothing we cannot see
    for keyword in call.keywords:
        if keyword.arg is None:
            return True  # **options
        if is_none(keyword.value):
            continue  # limit=None / date_sent_after=None are "unset"
        if keyword.arg in sdk.LIMIT_PARAMS | sdk.DATE_FILTER_PARAMS | sdk.PARENT_FILTER_PARAMS:
            return True
    return False
