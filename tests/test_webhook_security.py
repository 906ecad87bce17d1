"""TWL103–TWL105 details the fixture files cannot express: options, spans, the prefilter."""

from __future__ import annotations

import textwrap

import pytest

from twilio_lint.config import ConfigError, Settings, settings_from_table
from twilio_lint.engine import Linter
from twilio_lint.rules.webhooks.twl103_insecure_webhook_url import is_insecure_url

CUSTOM_DECORATOR_APP = textwrap.dedent(
    """\
    from flask import Flask, request
    from twilio.twiml.messaging_response import MessagingResponse

    from vendor.security import twilio_required

    app = Flask(__name__)


    @app.route("/sms", methods=["POST"])
    @twilio_required
    def sms():
        return str(MessagingResponse().message(request.form["Body"]))
    """
)


def _codes(source: str, code: str, options: dict | None = None, prefilter: bool = True):
    linter = Linter(Settings(select=[code], options=options or {}), prefilter=prefilter)
    result = linter.lint_source(source, "app.py")
    assert result.error is None, result.error
    return result


def test_unknown_decorator_is_not_trusted():
    findings = _codes(CUSTOM_DECORATOR_APP, "TWL104").findings
    assert [(f.code, f.line, f.col) for f in findings] == [("TWL104", 11, 0)]


@pytest.mark.parametrize("name", ["twilio_required", "vendor.security.twilio_required"])
def test_validation_decorators_option(name):
    result = _codes(CUSTOM_DECORATOR_APP, "TWL104", {"validation-decorators": [name]})
    assert result.findings == []


def test_validation_decorators_option_is_checked():
    settings = settings_from_table({"validation-decorators": ["a", "b.c"]}, "pyproject.toml")
    assert settings.options["validation-decorators"] == ["a", "b.c"]
    with pytest.raises(ConfigError):
        settings_from_table({"validation-decorators": "twilio_required"}, "pyproject.toml")


def test_handler_finding_spans_def_to_name():
    source = textwrap.dedent(
        """\
        from fastapi import FastAPI, Form

        app = FastAPI()


        @app.post("/status")
        async def delivery_status(MessageSid: str = Form(...)):
            return {"sid": MessageSid}
        """
    )
    (finding,) = _codes(source, "TWL104").findings
    assert (finding.line, finding.col, finding.end_line, finding.end_col) == (7, 0, 7, 25)
    assert "delivery_status" in finding.message and "RequestValidator" in finding.message


def test_trigger_keeps_the_prefilter_narrow():
    form_only = textwrap.dedent(
        """\
        from flask import Flask, request

        app = Flask(__name__)


        @app.route("/contact", methods=["POST"])
        def contact():
            return request.form["Body"]
        """
    )
    assert _codes(form_only, "TWL104").skipped
    with_sid = form_only.replace('"Body"', '"CallSid"')
    result = _codes(with_sid, "TWL104")
    assert not result.skipped and [f.line for f in result.findings] == [7]


@pytest.mark.parametrize(
    ("text", "insecure"),
    [
        ("http://hooks.example.com/sms", True),
        ("HTTP://hooks.example.com", True),
        ("https://hooks.example.com/sms", False),
        ("http://localhost:5000/sms", False),
        ("http://127.0.0.1/sms", False),
        ("http://[::1]:8000/sms", False),
        ("http://app.localhost/sms", False),
        ("ftp://files.example.com", False),
        ("http://", False),
    ],
)
def test_is_insecure_url(text, insecure):
    assert is_insecure_url(text) is insecure


def test_fstring_with_dynamic_host_is_insecure():
    assert is_insecure_url("http://", partial=True)


def test_constant_reported_once_at_its_literal():
    source = textwrap.dedent(
        """\
        from twilio.rest import Client

        STATUS = "http://hooks.example.com/status"
        client = Client()
        client.messages.create(to="+15558675310", body="a", status_callback=STATUS)
        client.calls.create(to="+15558675310", url="https://x.example.com", status_callback=STATUS)
        """
    )
    findings = _codes(source, "TWL103").findings
    assert [(f.line, f.col) for f in findings] == [(3, 9)]
    assert "used on line 5" in findings[0].message


def test_media_only_constant_is_quiet():
    source = textwrap.dedent(
        """\
        from twilio.twiml.voice_response import VoiceResponse

        MUSIC = "http://media.example.com/hold.mp3"
        response = VoiceResponse()
        response.play(MUSIC)
        response.enqueue("support", wait_url="https://ivr.example.com/hold")
        """
    )
    assert _codes(source, "TWL103").findings == []


def test_verify_false_toward_other_host_is_quiet_even_in_twilio_module():
    source = textwrap.dedent(
        """\
        import requests
        from twilio.rest import Client

        client = Client()
        requests.post("https://hooks.slack.com/services/x", json={}, verify=False)
        """
    )
    assert _codes(source, "TWL105").findings == []
