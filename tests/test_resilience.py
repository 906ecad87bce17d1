"""Resilience rules (TWL301–TWL306) beyond the fixtures: the retry-decorators option, the
twilio pin lookup, the shared retry model, and opt-in TWL306 through flake8."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tests.helpers import run_cli_json, run_flake8
from twilio_lint.config import ConfigError, Settings, settings_from_table
from twilio_lint.engine import Linter
from twilio_lint.facts.module import twilio_module
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.retries import RetryFacts, caught_exceptions
from twilio_lint.semantic.model import SemanticModel

CUSTOM_DECORATOR = textwrap.dedent(
    """\
    from twilio.rest import Client
    from myapp.resilience import resilient_send

    client = Client(API_KEY, API_SECRET, ACCOUNT_SID)


    @resilient_send
    def send_all(numbers):
        for number in numbers:
            client.messages.create(to=number, body="hi")
    """
)


def _codes(source: str, select: str, options: dict | None = None) -> list[tuple[str, int, int]]:
    linter = Linter(Settings(select=[select], options=options or {}), prefilter=False)
    result = linter.lint_source(source, "example.py")
    assert result.error is None, result.error
    return [(f.code, f.line, f.col + 1) for f in result.findings]


# --- the retry-decorators option ------------------------------------------------------------


def test_unknown_decorator_does_not_cover_a_batch():
    assert _codes(CUSTOM_DECORATOR, "TWL301") == [("TWL301", 10, 9)]


@pytest.mark.parametrize("names", [["resilient_send"], ["myapp.resilience.resilient_send"]])
def test_retry_decorators_option_covers_the_batch(names):
    options = {"retry-decorators": names}
    assert _codes(CUSTOM_DECORATOR, "TWL301", options) == []
    assert _codes(CUSTOM_DECORATOR, "TWL302", options) == []  # its policy is trusted


def test_retry_decorators_option_is_validated():
    settings = settings_from_table({"retry-decorators": ["with_retries"]}, None)
    assert settings.option("retry-decorators") == ["with_retries"]
    with pytest.raises(ConfigError, match="retry-decorators"):
        settings_from_table({"retry-decorators": "with_retries"}, None)
    with pytest.raises(ConfigError, match="retry-decorators"):
        settings_from_table({"retry-decorators": [1]}, None)


def test_retry_decorators_option_from_pyproject(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(
        '[tool.twilio-lint]\nretry-decorators = ["resilient_send"]\n'
    )
    (tmp_path / "app.py").write_text(CUSTOM_DECORATOR)
    assert run_cli_json("check", "app.py", cwd=tmp_path) == []


# --- TWL304 and the project's twilio pin (twilio_lint.manifests.lowest_twilio_version) -------

NARROW_SEND = textwrap.dedent(
    """\
    from twilio.base.exceptions import TwilioRestException
    from twilio.rest import Client

    client = Client(API_KEY, API_SECRET, ACCOUNT_SID)


    def send(to):
        try:
            return client.messages.create(to=to, body="hi")
        except TwilioRestException as error:
            return error.code
    """
)


@pytest.mark.parametrize(
    ("name", "text", "flagged"),
    [
        ("requirements.txt", "twilio==9.10.0\n", True),
        ("requirements.txt", "twilio>=9.10,<10\n", True),
        ("requirements.txt", "twilio==9.9.1\n", False),
        ("requirements.txt", "twilio>=8\n", False),  # admits releases before 9.10
        ("requirements.txt", "twilio\n", False),
        ("requirements.txt", "flask\n", False),
        (
            "pyproject.toml",
            '[project]\nname = "x"\nversion = "1"\ndependencies = ["twilio~=9.11"]\n',
            True,
        ),
        ("poetry.lock", '[[package]]\nname = "twilio"\nversion = "9.12.0"\n', True),
    ],
)
def test_twl304_follows_the_projects_lowest_twilio(tmp_path: Path, name, text, flagged):
    (tmp_path / name).write_text(text)
    (tmp_path / "app.py").write_text(NARROW_SEND)
    found = [
        (f["code"], f["location"]["row"], f["location"]["column"])
        for f in run_cli_json("check", "--isolated", "--select", "TWL304", "app.py", cwd=tmp_path)
    ]
    assert found == ([("TWL304", 10, 12)] if flagged else [])


# --- the shared model -----------------------------------------------------------------------


def _model(source: str) -> SemanticModel:
    source = textwrap.dedent(source)
    return twilio_module(ast.parse(source), source, "example.py")


def test_retries_around_names_the_covering_mechanisms():
    module = _model(
        """
        import time
        from tenacity import retry, stop_after_attempt, wait_fixed
        from twilio.rest import Client
        client = Client(A, B, C)

        @retry(stop=stop_after_attempt(3), wait=wait_fixed(2))
        def send(to):
            for attempt in range(3):
                try:
                    return client.messages.create(to=to)
                except Exception:
                    time.sleep(2 ** attempt)
        """
    )
    call = next(c for c in module.calls if ResourceFacts.of(module).request_method(c) == "create")
    found = {(r.kind, r.wait, r.stop) for r in RetryFacts.of(module).retries_around(call)}
    assert found == {("tenacity", "constant", "bounded"), ("loop", "growing", "bounded")}


def test_batch_loop_that_logs_is_not_a_retry():
    module = _model(
        """
        from twilio.rest import Client
        client = Client(A, B, C)
        for n in range(10):
            try:
                client.messages.create(to=n)
            except Exception as error:
                print(error)
        """
    )
    assert RetryFacts.of(module).retry_mechanisms() == []


def test_caught_exceptions_resolves_twilio_classes():
    module = _model(
        """
        import twilio.base.exceptions as tx
        from twilio.base.exceptions import TwilioRestException as E
        try:
            pass
        except (E, tx.TwilioException, Exception, KeyError):
            pass
        except:
            pass
        """
    )
    first, bare = module.nodes(ast.ExceptHandler)
    assert [kind for kind, _ in caught_exceptions(module, first)] == [
        "twilio.base.exceptions.TwilioRestException",
        "twilio.base.exceptions.TwilioException",
        "broad",
        "other",
    ]
    assert [kind for kind, _ in caught_exceptions(module, bare)] == ["bare"]


# --- opt-in TWL306 through flake8 -----------------------------------------------------------

OPT_IN_SOURCE = (
    "import os\nfrom twilio.rest import Client\n"
    'client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], '
    'os.environ["TWILIO_ACCOUNT_SID"])\n'
)


def test_flake8_hides_opt_in_twl306_by_default_and_reports_it_when_selected(tmp_path: Path):
    (tmp_path / "app.py").write_text(OPT_IN_SOURCE)
    default = run_flake8("app.py", cwd=tmp_path)
    assert "TWL306" not in default.stdout, default.stdout
    for selection in (["--select", "TWL"], ["--extend-select", "TWL306"]):
        selected = run_flake8(*selection, "app.py", cwd=tmp_path)
        assert "app.py:3:10: TWL306 " in selected.stdout, selected.stdout + selected.stderr


def test_cli_reports_opt_in_twl306_only_when_selected(tmp_path: Path):
    (tmp_path / "app.py").write_text(OPT_IN_SOURCE)
    assert not [
        f
        for f in run_cli_json("check", "--isolated", "app.py", cwd=tmp_path)
        if f["code"] == "TWL306"
    ]
    selected = run_cli_json(
        "check", "--isolated", "--extend-select", "TWL306", "app.py", cwd=tmp_path
    )
    assert [(f["code"], f["location"]["row"]) for f in selected if f["code"] == "TWL306"] == [
        ("TWL306", 3)
    ]


# --- messages that say only what is true ---------------------------------------------------------

PAGED_AND_FETCHED = textwrap.dedent(
    """\
    from twilio.base.exceptions import TwilioRestException
    from twilio.rest import Client

    client = Client(API_KEY, API_SECRET, ACCOUNT_SID)


    def sync(call_sid):
        try:
            call = client.calls(call_sid).fetch()
            return call, client.recordings.list(call_sid=call_sid, limit=20)
        except TwilioRestException as error:
            raise RuntimeError(error.msg) from error


    def only_listed():
        try:
            return client.recordings.list(limit=20)
        except TwilioRestException as error:
            raise RuntimeError(error.msg) from error


    def drop(app_sid):
        try:
            client.api.applications.get(sid=app_sid).delete()
        except TwilioRestException:
            pass
    """
)


def _messages(source: str, select: str) -> list[tuple[int, str]]:
    linter = Linter(Settings(select=[select]), prefilter=False)
    result = linter.lint_source(source, "app.py")
    assert result.error is None, result.error
    return [(f.line, f.message) for f in result.findings]


def test_twl304_says_never_runs_only_when_nothing_else_raises_it():
    assert _messages(PAGED_AND_FETCHED, "TWL304") == [
        (
            11,
            'recordings.list() raises a plain TwilioException ("Unable to fetch page"), not '
            "TwilioRestException, so this handler misses its errors; catch "
            "twilio.base.exceptions.TwilioException",
        ),
        (
            18,
            'recordings.list() raises a plain TwilioException ("Unable to fetch page"), not '
            "TwilioRestException, so this handler never runs; catch "
            "twilio.base.exceptions.TwilioException",
        ),
    ]


def test_twl303_names_the_resource_of_a_context_got_with_get():
    assert _messages(PAGED_AND_FETCHED, "TWL303") == [
        (
            25,
            "except TwilioRestException around applications.delete() discards the error, and "
            "with it the Twilio error code, HTTP status and request; log it (code, status, msg, "
            "uri) or re-raise it",
        ),
    ]
