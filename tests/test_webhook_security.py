"""TWL103–TWL105 details the fixture files cannot express: options, spans, the prefilter."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_cli_json
from twilio_lint.config import ConfigError, Settings, settings_from_table
from twilio_lint.engine import Linter
from twilio_lint.rules.webhooks.twl103_insecure_webhook_url import is_insecure_url

CUSTOM_DECORATOR_APP = textwrap.dedent(
    """\
    from flask import Flask, request
    from twilio.twiml.messaging_response import MessagingResponse

    from vendor.security import webhook_required

    app = Flask(__name__)


    @app.route("/sms", methods=["POST"])
    @webhook_required
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


@pytest.mark.parametrize("name", ["webhook_required", "vendor.security.webhook_required"])
def test_validation_decorators_option(name):
    result = _codes(CUSTOM_DECORATOR_APP, "TWL104", {"validation-decorators": [name]})
    assert result.findings == []


def test_third_party_decorator_named_for_twilio_validation_is_trusted():
    source = CUSTOM_DECORATOR_APP.replace("webhook_required", "verify_twilio_signature")
    assert _codes(source, "TWL104").findings == []


def test_undefined_decorator_named_for_twilio_validation_is_trusted():
    source = CUSTOM_DECORATOR_APP.replace(
        "from vendor.security import webhook_required\n", ""
    ).replace("webhook_required", "validate_twilio_request")
    assert _codes(source, "TWL104").findings == []


def test_local_decorator_named_for_validation_is_judged_by_its_body():
    source = CUSTOM_DECORATOR_APP.replace(
        "from vendor.security import webhook_required\n",
        "def validate_twilio_request(view):\n    return view\n",
    ).replace("webhook_required", "validate_twilio_request")
    findings = _codes(source, "TWL104").findings
    assert [(f.code, f.line, f.col) for f in findings] == [("TWL104", 12, 0)]


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


# --- validators imported from a project module (the project index, through the real CLI) ------

HAND_ROLLED_DECORATORS = textwrap.dedent(
    """\
    \"\"\"The team's decorators: one checks the signature by hand, one only logs.\"\"\"

    import base64
    import functools
    import hashlib
    import hmac
    import os

    from flask import abort, request


    def twilio_signed(view):
        @functools.wraps(view)
        def checked(*args, **kwargs):
            payload = request.url + "".join(k + v for k, v in sorted(request.form.items()))
            key = os.environ["TWILIO_AUTH_TOKEN"].encode()
            digest = hmac.new(key, payload.encode(), hashlib.sha1).digest()
            expected = base64.b64encode(digest).decode()
            if not hmac.compare_digest(expected, request.headers.get("X-Twilio-Signature", "")):
                abort(403)
            return view(*args, **kwargs)

        return checked


    def log_requests(view):
        @functools.wraps(view)
        def logged(*args, **kwargs):
            print(request.method, request.path)
            return view(*args, **kwargs)

        return logged
    """
)

ROUTES_WITH_IMPORTED_DECORATORS = textwrap.dedent(
    """\
    from flask import Flask, request
    from twilio.twiml.messaging_response import MessagingResponse

    import decorators as security
    from decorators import log_requests, twilio_signed

    app = Flask(__name__)


    @app.route("/sms", methods=["POST"])
    @twilio_signed
    def sms():
        return str(MessagingResponse().message(request.form["Body"]))


    @app.route("/mms", methods=["POST"])
    @security.twilio_signed
    def mms():
        return str(MessagingResponse().message(request.form["MediaUrl0"]))


    @app.route("/status", methods=["POST"])
    @log_requests
    def status():
        return {"sid": request.form["MessageSid"]}
    """
)


def _project_twl104(tmp_path) -> list[tuple[str, int, int]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'webhooks'\n")
    (tmp_path / "decorators.py").write_text(HAND_ROLLED_DECORATORS)
    (tmp_path / "app.py").write_text(ROUTES_WITH_IMPORTED_DECORATORS)
    findings = run_cli_json(
        "check", "--isolated", "--no-cache", "--select", "TWL104", str(tmp_path)
    )
    return sorted(
        (Path(item["filename"]).name, item["location"]["row"], item["location"]["column"])
        for item in findings
    )


def test_imported_decorator_that_reads_the_signature_header_validates(tmp_path):
    # Defined in the route's own module, a decorator reading X-Twilio-Signature counts (a
    # hand-rolled HMAC check); imported from a project module it counts the same.
    found = _project_twl104(tmp_path)
    assert ("app.py", 12, 1) not in found  # @twilio_signed
    assert ("app.py", 18, 1) not in found  # @security.twilio_signed


def test_imported_decorator_that_does_not_validate_still_flags(tmp_path):
    assert _project_twl104(tmp_path) == [("app.py", 24, 1)]  # @log_requests def status


def test_same_module_and_imported_validators_agree(tmp_path):
    # The same decorators defined in the route's module: the same findings.
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'webhooks'\n")
    routes = ROUTES_WITH_IMPORTED_DECORATORS.replace(
        "import decorators as security\nfrom decorators import log_requests, twilio_signed\n",
        "",
    ).replace("@security.twilio_signed", "@twilio_signed")
    (tmp_path / "app.py").write_text(HAND_ROLLED_DECORATORS + "\n\n" + routes)
    findings = run_cli_json(
        "check", "--isolated", "--no-cache", "--select", "TWL104", str(tmp_path)
    )
    names = [item["message"].split("`")[1] for item in findings]
    assert names == ["status"]


def test_django_settings_are_never_read_through_a_linked_folder(tmp_path: Path):
    """The settings module manage.py names is read only through real folders: a committed
    ``hotline -> /anywhere`` link proves nothing about this project's middleware."""
    import shutil

    from tests.helpers import FIXTURES

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "twl104" / "django_site", site)
    quiet = run_cli_json("check", "--isolated", "--no-cache", "calls/views.py", cwd=site)
    assert quiet == []
    shutil.move(str(site / "hotline"), str(tmp_path / "elsewhere"))
    (site / "hotline").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    linked = run_cli_json("check", "--isolated", "--no-cache", "calls/views.py", cwd=site)
    assert [(f["code"], f["location"]["row"]) for f in linked] == [("TWL104", 9), ("TWL104", 17)]


@pytest.mark.parametrize("bound", ["working directory", "root marker"])
def test_a_relative_import_never_climbs_out_of_the_project(tmp_path: Path, bound):
    """``from ...leak import *`` in the settings would climb above the project: the module
    there (listing the validating middleware) is never read, whether the project's top is
    the working directory or a folder holding a root marker."""
    import shutil

    from tests.helpers import FIXTURES

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "twl104" / "django_site", site)
    settings = site / "hotline" / "settings.py"
    (tmp_path / "leak.py").write_text(settings.read_text())
    settings.write_text("from ...leak import *\n")
    if bound == "working directory":
        found = run_cli_json("check", "--isolated", "--no-cache", "calls/views.py", cwd=site)
    else:
        (site / "pyproject.toml").write_text('[project]\nname = "hotline"\n')
        found = run_cli_json(
            "check", "--isolated", "--no-cache", "site/calls/views.py", cwd=tmp_path
        )
    assert [(f["code"], f["location"]["row"]) for f in found] == [("TWL104", 9), ("TWL104", 17)]


def test_a_settings_module_named_by_a_path_is_never_read(tmp_path: Path):
    """``DJANGO_SETTINGS_MODULE`` set to ``/anywhere/x`` or ``..x`` is not a module name: no
    file outside the project is read for its middleware."""
    import shutil

    from tests.helpers import FIXTURES

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "twl104" / "django_site", site)
    outside = tmp_path / "elsewhere"
    shutil.move(str(site / "hotline"), str(outside))
    manage = site / "manage.py"
    manage.write_text(manage.read_text().replace('"hotline.settings"', f'"{outside}/settings"'))
    found = run_cli_json("check", "--isolated", "--no-cache", "calls/views.py", cwd=site)
    assert [(f["code"], f["location"]["row"]) for f in found] == [("TWL104", 9), ("TWL104", 17)]


def test_a_cached_result_goes_when_a_star_imported_settings_file_changes(tmp_path: Path):
    """``settings.py`` does ``from .base import *`` and base.py lists the middleware: base.py
    is a dependency of the cached result too."""
    import json
    import shutil

    from tests.helpers import FIXTURES, run_cli

    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "twl104" / "django_site", site)
    settings = site / "hotline" / "settings.py"
    (site / "hotline" / "base.py").write_text(settings.read_text())
    settings.write_text("from .base import *  # noqa: F403\n")
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}

    def rows() -> list[int]:
        proc = run_cli("check", "--isolated", "--output-format", "json", "calls/views.py",
                       cwd=site, env=env)
        return [f["location"]["row"] for f in json.loads(proc.stdout)]

    assert rows() == []
    base = site / "hotline" / "base.py"
    base.write_text(base.read_text().replace('MIDDLEWARE += ["calls.middleware.', "# "))
    assert rows() == [9, 17]
