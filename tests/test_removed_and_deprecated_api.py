"""TWL402–TWL404 over their data: every removed name, every dropped domain, every one of the
157 domain shortcuts, checked one source at a time (exact code, line and column), and the data
itself checked against the installed twilio package when there is one."""

from __future__ import annotations

import importlib
import importlib.util
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from twilio_lint.config import Settings
from twilio_lint.engine import Linter
from twilio_lint.knowledge import removed

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
CLIENT = "from twilio.rest import Client\n\nclient = Client(API_KEY, API_SECRET, ACCOUNT_SID)\n"
SHORTCUTS = sorted(removed.domain_shortcuts().items())
DROPPED = removed.dropped_domains()


@pytest.fixture(scope="module")
def linter() -> Linter:
    return Linter(Settings(select=["TWL402", "TWL403", "TWL404"]), prefilter=False)


def found(linter: Linter, source: str, code: str) -> list[tuple[int, int]]:
    """(line, 0-based column) of each finding of ``code``."""
    result = linter.lint_source(source, "example.py")
    assert result.error is None, result.error
    return [(f.line, f.col) for f in result.findings if f.code == code]


# --- TWL403: every shortcut -------------------------------------------------------------------


def test_shortcut_data_has_the_157_shortcuts_of_twilio_9_13():
    data = json.loads((ROOT / "twilio_lint" / "knowledge" / "data" / "domain_shortcuts.json").read_text())
    assert data["twilio"] == "9.13.0"
    assert data["count"] == len(data["shortcuts"]) == 157
    assert len({key.split(".")[0] for key in data["shortcuts"]}) == 34
    for key, entry in data["shortcuts"].items():
        domain = key.split(".")[0]
        assert entry["replacement"].startswith(domain + "."), key
        assert entry["replacement"] not in data["shortcuts"], key
        assert "is deprecated" in entry["warning"], key


@pytest.mark.parametrize("shortcut", [key for key, _ in SHORTCUTS])
def test_each_shortcut_is_flagged_at_the_start_of_its_chain(linter, shortcut):
    source = CLIENT + f"result = client.{shortcut}\n    \nother = [1, client.{shortcut}]\n"
    assert found(linter, source, "TWL403") == [(4, 9), (6, 12)]


@pytest.mark.parametrize("shortcut,entry", SHORTCUTS, ids=[key for key, _ in SHORTCUTS])
def test_each_replacement_is_quiet(linter, shortcut, entry):
    source = CLIENT + f"result = client.{entry['replacement']}\n"
    if "client_shortcut" in entry:
        source += f"also = client.{entry['client_shortcut']}\n"
    assert found(linter, source, "TWL403") == []
    assert found(linter, source, "TWL402") == []


@pytest.mark.parametrize("shortcut", ["api.calls", "chat.services", "preview.sims"])
def test_shortcuts_on_objects_that_are_not_a_twilio_client_are_quiet(linter, shortcut):
    source = f"from myapp import gateway\nimport twilio\n\nresult = gateway.{shortcut}\n"
    source += f"def f(client):\n    return client.{shortcut}\n"
    assert found(linter, source, "TWL403") == []


def _messages(linter: Linter, path: Path, code: str) -> list[str]:
    result = linter.lint_path(str(path))
    assert result.error is None, result.error
    return [f.message for f in result.findings if f.code == code]


LOOKUP_AND_CALLS = CLIENT + (
    'carrier = client.lookups.phone_numbers("+15005550006").fetch()\n'
    "calls = client.api.calls.list(limit=5)\n"
)


def test_shortcut_message_on_a_project_pinned_below_8_says_it_does_not_warn_yet(
    linter, tmp_path
):
    (tmp_path / "requirements.txt").write_text("twilio>=7.4,<8\n")
    (tmp_path / "app.py").write_text(LOOKUP_AND_CALLS)
    assert _messages(linter, tmp_path / "app.py", "TWL403") == [
        "client.lookups.phone_numbers is deprecated from twilio 8.0.0, where it warns on every "
        "use (this project's pin admits up to 7.17.0, which does not warn yet); use "
        "client.lookups.v1.phone_numbers before upgrading (the current API is "
        "client.lookups.v2.phone_numbers)",
        "client.api.calls is deprecated from twilio 8.0.0, where it warns on every use (this "
        "project's pin admits up to 7.17.0, which does not warn yet); use "
        "client.api.account.calls (or client.calls) before upgrading",
    ]


def test_shortcut_message_on_a_current_project_says_it_warns(linter, tmp_path):
    (tmp_path / "requirements.txt").write_text("twilio>=8.2\n")
    (tmp_path / "app.py").write_text(LOOKUP_AND_CALLS)
    assert _messages(linter, tmp_path / "app.py", "TWL403") == [
        "client.lookups.phone_numbers is deprecated since twilio 8.0.0 and warns on every use; "
        "use client.lookups.v1.phone_numbers (the current API is "
        "client.lookups.v2.phone_numbers)",
        "client.api.calls is deprecated since twilio 8.0.0 and warns on every use; use "
        "client.api.account.calls (or client.calls)",
    ]


# --- TWL402: every removed import -------------------------------------------------------------

REMOVED_NAMES = sorted(removed.REMOVED_NAMES)
REMOVED_MODULES = sorted(removed.REMOVED_MODULES)


def _split(qualname: str) -> tuple[str, str]:
    module, _, name = qualname.rpartition(".")
    return module, name


@pytest.mark.parametrize("qualname", REMOVED_NAMES)
def test_each_removed_name_is_flagged_at_its_import(linter, qualname):
    module, name = _split(qualname)
    source = f"from {module} import {name}\n\nvalue = {name}\nagain = {name}\n"
    assert found(linter, source, "TWL402") == [(1, 5 + len(module) + 8)]


#: Removed names whose module still exists (``twilio.twiml.Response``): reported at the use.
IN_LIVE_MODULES = [q for q in REMOVED_NAMES if removed.removed_name(_split(q)[0]) is None]


@pytest.mark.parametrize("qualname", IN_LIVE_MODULES)
def test_each_removed_name_is_flagged_at_its_use_when_the_module_is_imported(linter, qualname):
    module, _ = _split(qualname)
    source = f"import {module}\n\nvalue = {qualname}\n"
    assert found(linter, source, "TWL402") == [(3, 8)]


@pytest.mark.parametrize("module", REMOVED_MODULES)
def test_each_removed_module_is_flagged_once_at_its_import(linter, module):
    source = f"import {module}\n\nvalue = {module}.anything\nagain = {module}.Other()\n"
    assert found(linter, source, "TWL402") == [(1, 7)]
    source = f"from {module} import first, second as other\n"
    assert found(linter, source, "TWL402") == [(1, 5 + len(module) + 8), (1, 5 + len(module) + 15)]


@pytest.mark.parametrize(
    "source",
    [
        "from twilio.rest import Client\nfrom twilio.request_validator import RequestValidator\n",
        "from twilio.base.exceptions import TwilioRestException, TwilioException\n",
        (
            "from twilio.jwt.access_token import AccessToken\n"
            "from twilio.jwt.access_token.grants import ChatGrant, VoiceGrant, VideoGrant\n"
        ),
        "from twilio.jwt.taskrouter.capabilities import WorkerCapabilityToken\n",
        (
            "from twilio.twiml.voice_response import VoiceResponse, Say, Dial\n"
            "from twilio.twiml.messaging_response import MessagingResponse, Message\n"
            "from twilio.twiml import TwiMLException, TwiML\n"
        ),
        "import twilio.twiml\nresponse = twilio.twiml.voice_response.VoiceResponse()\n",
        "from myapp.util import RequestValidator\nfrom old.twiml import Response\nimport twilio\n",
    ],
)
def test_current_names_and_look_alikes_are_quiet(linter, source):
    assert found(linter, source, "TWL402") == []


def test_replacements_are_recorded_for_every_safe_move():
    for qualname, entry in {**removed.REMOVED_NAMES, **removed.REMOVED_MODULES}.items():
        if entry.fix == "safe":
            assert entry.replacement, qualname
        assert entry.fix in ("safe", "unsafe", None), qualname
        assert entry.hint and entry.removed_in, qualname


# --- TWL402: client attributes, dropped domains, methods ------------------------------------


@pytest.mark.parametrize("attr", sorted(removed.REMOVED_CLIENT_ATTRIBUTES))
def test_each_5x_client_attribute_is_flagged(linter, attr):
    source = CLIENT + f"result = client.{attr}.list()\n"
    assert found(linter, source, "TWL402") == [(4, 9)]


def test_sms_messages_is_reported_once_as_a_whole(linter):
    source = CLIENT + "for sms in client.sms.messages.list():\n    pass\n"
    result = linter.lint_source(source, "example.py")
    (finding,) = [f for f in result.findings if f.code == "TWL402"]
    assert (finding.line, finding.col, finding.end_col) == (4, 11, 30)
    assert "client.messages" in finding.message


@pytest.mark.parametrize("attr", sorted(DROPPED["client_attributes"]))
def test_each_dropped_domain_is_flagged(linter, attr):
    source = CLIENT + f"result = client.{attr}.v1\n"
    assert found(linter, source, "TWL402") == [(4, 9)]


@pytest.mark.parametrize("path", sorted(DROPPED["domain_versions"]))
def test_each_dropped_domain_version_is_flagged(linter, path):
    source = CLIENT + f"result = client.{path}\n"
    assert found(linter, source, "TWL402") == [(4, 9)]


def test_dropped_domain_data_covers_the_known_products():
    assert {"fax", "autopilot", "authy", "microvisor", "assistants"} <= set(
        DROPPED["client_attributes"]
    )
    assert "preview.understand" in DROPPED["domain_versions"]
    assert DROPPED["current"] == "9.13.0"


@pytest.mark.parametrize("method", sorted(removed.REMOVED_CALL_LIST_METHODS))
def test_each_5x_call_list_method_is_flagged_at_the_call(linter, method):
    source = CLIENT + f"client.calls.{method}(CALL_SID)\nclient.calls(CALL_SID).update()\n"
    assert found(linter, source, "TWL402") == [(4, 0)]


@pytest.mark.parametrize("method", sorted(removed.REMOVED_TWIML_METHODS))
def test_each_removed_twiml_method_is_flagged(linter, method):
    source = (
        "from twilio.twiml.voice_response import VoiceResponse\n\n"
        f"say = VoiceResponse().say('hi')\nsay.{method}('x')\n"
        f"say.{removed.REMOVED_TWIML_METHODS[method]}('x')\n"
    )
    assert found(linter, source, "TWL402") == [(4, 0)]


def test_to_jwt_algorithm_is_flagged_at_the_argument(linter):
    source = (
        "from twilio.jwt.access_token import AccessToken\n\n"
        "token = AccessToken(ACCOUNT_SID, KEY, SECRET, identity='a')\n"
        "token.to_jwt(algorithm='HS512')\ntoken.to_jwt('HS256')\ntoken.to_jwt(ttl=60)\n"
    )
    assert found(linter, source, "TWL402") == [(4, 13), (5, 13)]


def test_context_reads_are_flagged_once_per_variable(linter):
    source = CLIENT + (
        "msg = client.messages.get(SID)\nprint(msg.status, msg.body)\n"
        "ok = client.messages(SID).fetch().status\n"
        "media = client.messages(SID).media.list()\n"
    )
    assert found(linter, source, "TWL402") == [(5, 6)]


# --- TWL404 ---------------------------------------------------------------------------------


def test_private_last_response_only_on_twilio_http_clients(linter):
    source = CLIENT + (
        "a = client.http_client._test_only_last_response\n"
        "b = other.http_client._test_only_last_response\n"
        "c = client.http_client.last_response\n"
    )
    assert found(linter, source, "TWL404") == [(4, 4)]
    assert found(linter, source, "TWL402") == [(6, 4)]


# --- the data is loaded lazily -----------------------------------------------------------------


def test_data_files_are_not_read_until_a_rule_needs_them():
    code = (
        "from twilio_lint.knowledge import removed\n"
        "from twilio_lint.config import Settings\n"
        "from twilio_lint.engine import Linter\n"
        "linter = Linter(Settings(select=['ALL']))\n"
        "linter.lint_source('import os\\nprint(os.sep)\\n', 'a.py')\n"
        "print(removed.domain_shortcuts.cache_info().currsize, removed.dropped_domains.cache_info()"
        ".currsize, removed.context_members.cache_info().currsize)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["0", "0", "0"]


# --- the data against the installed SDK (skipped where twilio is not installed) ---------------


def _installed_twilio_version() -> str | None:
    spec = importlib.util.find_spec("twilio")
    if spec is None:
        return None
    return importlib.import_module("twilio").__version__


needs_sdk_9_13 = pytest.mark.skipif(
    _installed_twilio_version() != "9.13.0", reason="needs twilio 9.13.0 installed"
)


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(SCRIPTS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SCRIPTS))
    return module


@needs_sdk_9_13
def test_generated_data_is_up_to_date():
    for name in ("gen_domain_shortcuts", "gen_context_members"):
        assert _script(name).main(["--check"]) == 0, name


@needs_sdk_9_13
def test_every_shortcut_warns_and_every_replacement_does_not():
    from twilio.rest import Client

    client = Client("SK" + "0" * 32, "not-a-secret", "AC" + "0" * 32)
    for shortcut, entry in SHORTCUTS:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            _walk(client, shortcut)
        assert any(issubclass(w.category, DeprecationWarning) for w in caught), shortcut
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            _walk(client, entry["replacement"])
            if "client_shortcut" in entry:
                _walk(client, entry["client_shortcut"])


def _walk(obj, path: str):
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@needs_sdk_9_13
def test_removed_names_are_gone_and_replacements_exist():
    for qualname in removed.REMOVED_MODULES:
        assert importlib.util.find_spec(qualname) is None, qualname
    for qualname, entry in removed.REMOVED_NAMES.items():
        module, name = _split(qualname)
        if importlib.util.find_spec(module.split(".")[0]) and _importable(module):
            assert not hasattr(importlib.import_module(module), name), qualname
        if entry.replacement and entry.replacement.startswith("twilio."):
            new_module, new_name = _split(entry.replacement)
            assert hasattr(importlib.import_module(new_module), new_name), entry.replacement


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


@needs_sdk_9_13
def test_dropped_domains_are_gone_from_the_client():
    from twilio.rest import Client

    for attr in DROPPED["client_attributes"]:
        assert not hasattr(Client, attr), attr
    client = Client("SK" + "0" * 32, "not-a-secret", "AC" + "0" * 32)
    for path in DROPPED["domain_versions"]:
        domain, version = path.split(".")
        assert not hasattr(getattr(client, domain), version), path


# --- the generator scripts, on synthetic SDK sources (no network, no installed twilio) --------

OLD_CLIENT = '''
class Client(object):
    @property
    def api(self):
        return self._api

    @property
    def fax(self):
        return self._fax

    @property
    def calls(self):
        return self.api.account.calls
'''
NEW_CLIENT = '''
class Client(ClientBase):
    @property
    def api(self) -> "Api":
        from twilio.rest.api import Api
        return Api(self)

    @property
    def calls(self) -> "CallList":
        return self.api.account.calls
'''
DOMAIN = '''
class {name}(Domain):
    @property
    def {version}(self):
        if self._{version} is None:
            self._{version} = V(self)
        return self._{version}
'''
API_SHORTCUTS = '''
from warnings import warn


class Api(ApiBase):
    @property
    def account(self):
        return self.v2010.account

    @property
    def calls(self) -> CallList:
        warn(
            "calls is deprecated. Use account.calls instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.account.calls
'''


def _wheel(path: Path, files: dict[str, str]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_gen_dropped_domains_finds_dropped_domains_and_versions(tmp_path):
    script = _script("gen_dropped_domains")
    old = _wheel(tmp_path / "twilio-6.10.0-py2.py3-none-any.whl", {
        "twilio/rest/__init__.py": OLD_CLIENT,
        "twilio/rest/fax/__init__.py": DOMAIN.format(name="Fax", version="v1"),
        "twilio/rest/api/__init__.py": DOMAIN.format(name="Api", version="v2010")
        + DOMAIN.format(name="ApiOld", version="v2008"),
    })
    new = _wheel(tmp_path / "twilio-9.13.0-py2.py3-none-any.whl", {
        "twilio/rest/__init__.py": NEW_CLIENT,
        "twilio/rest/api/__init__.py": API_SHORTCUTS,
        "twilio/rest/api/ApiBase.py": DOMAIN.format(name="ApiBase", version="v2010"),
    })
    data = script.derive([script.Archive(new), script.Archive(old)])
    assert data["current"] == "9.13.0"
    assert data["client_attributes"] == {
        "fax": {
            "first_seen": "6.10.0", "last_seen": "6.10.0", "first_missing": "9.13.0",
            "kind": "domain",
        }
    }
    assert list(data["domain_versions"]) == ["api.v2008"]


def test_gen_domain_shortcuts_reads_the_warning_properties(tmp_path):
    script = _script("gen_domain_shortcuts")
    package = tmp_path / "twilio"
    (package / "rest" / "api").mkdir(parents=True)
    (package / "__init__.py").write_text('__version_info__ = ("9", "99", "0")\n')
    (package / "rest" / "__init__.py").write_text(NEW_CLIENT)
    (package / "rest" / "api" / "__init__.py").write_text(API_SHORTCUTS)
    data = script.derive(package)
    assert data["twilio"] == "9.99.0"
    assert data["shortcuts"] == {
        "api.calls": {
            "replacement": "api.account.calls",
            "warning": "calls is deprecated. Use account.calls instead.",
            "client_shortcut": "calls",
        }
    }
