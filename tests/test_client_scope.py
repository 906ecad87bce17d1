"""TWL106 says what is true: which requests fail without the account SID, and how surely."""

from __future__ import annotations

import textwrap

from twilio_lint.config import Settings
from twilio_lint.engine import Linter

SOURCE = textwrap.dedent(
    """\
    import os

    from twilio.rest import Client

    API_KEY = os.environ["TWILIO_API_KEY"]


    def send(to):
        client = Client(API_KEY, os.environ["TWILIO_API_SECRET"])
        return client.messages.create(to=to, from_="+15005550006", body="hi")


    def handed_on():
        return Client(API_KEY, os.environ["TWILIO_API_SECRET"])


    def rooms():
        client = Client(API_KEY, os.environ["TWILIO_API_SECRET"])
        return client.video.v1.rooms.list(limit=5)
    """
)


def _findings(source: str):
    result = Linter(Settings(select=["TWL106"]), prefilter=False).lint_source(source, "app.py")
    assert result.error is None, result.error
    return [(f.line, f.severity, f.message, f.data) for f in result.findings]


def test_account_scoped_use_is_an_error_unknown_use_a_milder_warning_other_domains_quiet():
    assert _findings(SOURCE) == [
        (
            9,
            "error",
            "Twilio client built from an API key without the account SID: requests go to "
            "/Accounts/SK…/ and fail; pass account_sid=… as the third argument",
            {"env": "TWILIO_ACCOUNT_SID"},
        ),
        (
            14,
            "warning",
            "Twilio client built from an API key without the account SID: account-scoped "
            "resources (messages, calls, recordings, incoming_phone_numbers…) will fail with "
            "it; pass account_sid=… as the third argument if it is used for them",
            {"env": "TWILIO_ACCOUNT_SID"},  # the fix is the same: only the certainty differs
        ),
    ]

