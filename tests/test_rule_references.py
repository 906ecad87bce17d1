"""Each rule's page and ``explain`` end with References: the Twilio docs the rule enforces."""

from __future__ import annotations

import pytest

from tests.helpers import run_cli
from twilio_lint.registry import all_rules

# TWL0xx are the tool's own diagnostics (a file it could not check), TWL5xx its hygiene rules.
TWILIO_RULES = [rule for rule in all_rules() if "TWL100" <= rule.code < "TWL500"]


@pytest.mark.parametrize("rule", TWILIO_RULES, ids=[rule.code for rule in TWILIO_RULES])
def test_every_twilio_rule_cites_twilio_docs(rule):
    assert rule.doc.references, f"{rule.code} cites no documentation"
    for url in rule.doc.references:
        assert url.startswith(("https://www.twilio.com/docs/", "https://support.twilio.com/",
                               "https://github.com/twilio/twilio-python/")), url
        assert " " not in url and url == url.strip()


def test_explain_ends_with_the_references_as_plain_urls():
    proc = run_cli("explain", "TWL301")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.endswith(
        "## References\n"
        "\n"
        "- https://www.twilio.com/docs/api/errors/20429\n"
        "- https://support.twilio.com/hc/en-us/articles/"
        "360044308153-Twilio-API-response-Error-429-Too-Many-Requests\n"
    )


def test_rule_page_ends_with_the_references():
    from pathlib import Path

    page = (Path(__file__).parent.parent / "docs" / "rules" / "TWL104.md").read_text()
    assert page.endswith(
        "## References\n"
        "\n"
        "- https://www.twilio.com/docs/usage/webhooks/webhooks-security\n"
        "- https://www.twilio.com/docs/usage/api-security-reference-guide/webhook\n"
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("TWL101", "https://www.twilio.com/docs/iam/api-keys"),
        ("TWL205", "https://www.twilio.com/docs/messaging/guides/track-outbound-message-status"),
        ("TWL401", "https://github.com/twilio/twilio-python/blob/main/VERSIONS.md"),
        ("TWL402", "https://github.com/twilio/twilio-python/blob/main/CHANGES.md"),
    ],
)
def test_topics_cite_their_page(code, expected):
    rule = next(rule for rule in all_rules() if rule.code == code)
    assert expected in rule.doc.references
