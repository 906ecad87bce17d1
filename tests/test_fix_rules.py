"""Each fix, through the real CLI: exact text before and after ``--fix --unsafe-fixes``.

Cases marked UNCHANGED are code where the fix must not be offered. All cases of one rule are
written to one directory and fixed by one CLI run with ``--select`` that rule; credentials are
``{{FAKE_…}}`` placeholders filled in at run time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers import fill, run_cli

UNCHANGED = None


class Case(NamedTuple):
    code: str
    name: str
    before: str
    after: str | None


PYTHON_CASES = [
    Case("TWL101", "env_pair",
         '''\
import os

from twilio.rest import Client

client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])
''',
         '''\
import os

from twilio.rest import Client

client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
)
'''),
    Case("TWL101", "adds_import_os_sorted",
         '''\
"""Send reminders."""
import logging
import time

from twilio.rest import Client

log = logging.getLogger(__name__)
client = Client(settings.ACCOUNT_SID, settings.AUTH_TOKEN)
''',
         '''\
"""Send reminders."""
import logging
import os
import time

from twilio.rest import Client

log = logging.getLogger(__name__)
client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    settings.ACCOUNT_SID,
)
'''),
    Case("TWL101", "no_credentials_and_http_client",
         '''\
import os
from twilio.rest import Client

default = Client()
proxied = Client(http_client=http)
''',
         '''\
import os
from twilio.rest import Client

default = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
)
proxied = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
    http_client=http,
)
'''),
    Case("TWL101", "multiline_comments_kept",
         '''\
import os
from twilio.rest import Client as TwilioClient


def make():
    return TwilioClient(
        account_sid,  # the main account
        auth_token,  # from the vault
    )
''',
         '''\
import os
from twilio.rest import Client as TwilioClient


def make():
    return TwilioClient(
        os.environ["TWILIO_API_KEY"],
        os.environ["TWILIO_API_SECRET"],
        account_sid,  # the main account
    )
'''),
    Case("TWL101", "keywords_and_subaccount",
         '''\
import os
from twilio.rest import Client

a = Client(username=account_sid, password=auth_token)
b = Client(account_sid, auth_token, subaccount_sid)
''',
         '''\
import os
from twilio.rest import Client

a = Client(
    username=os.environ["TWILIO_API_KEY"],
    password=os.environ["TWILIO_API_SECRET"],
    account_sid=account_sid,
)
b = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    subaccount_sid,
)
'''),
    Case("TWL101", "aliased_os",
         '''\
import os as operating_system
import twilio.rest

client = twilio.rest.Client(account_sid, auth_token)
''',
         '''\
import os as operating_system
import twilio.rest

client = twilio.rest.Client(
    operating_system.environ["TWILIO_API_KEY"],
    operating_system.environ["TWILIO_API_SECRET"],
    account_sid,
)
'''),
    Case("TWL101", "no_fix_os_taken", '''\
from twilio.rest import Client


def make(os):
    return Client(os.sid, os.token)
''', UNCHANGED),
    Case("TWL101", "no_fix_legacy_client", '''\
from twilio.rest import TwilioRestClient

client = TwilioRestClient(account_sid, auth_token, timeout=5)
''', UNCHANGED),
    Case("TWL106", "adds_account_sid",
         '''\
import os

from twilio.rest import Client

client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"])
''',
         '''\
import os

from twilio.rest import Client

client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    account_sid=os.environ["TWILIO_ACCOUNT_SID"],
)
'''),
    Case("TWL106", "multiline_trailing_comma_and_import",
         '''\
from twilio.rest import Client

client = Client(
    api_key,  # key
    api_secret,
)
''',
         '''\
import os

from twilio.rest import Client

client = Client(
    api_key,  # key
    api_secret,
    account_sid=os.environ["TWILIO_ACCOUNT_SID"],
)
'''),
    Case("TWL103", "literal_and_constant",
         '''\
import os

from twilio.rest import Client

STATUS = "http://hooks.example.com/status"
client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], os.environ["TWILIO_ACCOUNT_SID"])
client.messages.create(to="+15005550006", from_="+15005550001", body="hi", status_callback=STATUS)
client.calls.create(to="+15005550006", from_="+15005550001", url='http://hooks.example.com/voice')  # keep
client.calls.create(to="+15005550006", from_="+15005550001", url=f"http://{host}/voice")
''',
         '''\
import os

from twilio.rest import Client

STATUS = "https://hooks.example.com/status"
client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], os.environ["TWILIO_ACCOUNT_SID"])
client.messages.create(to="+15005550006", from_="+15005550001", body="hi", status_callback=STATUS)
client.calls.create(to="+15005550006", from_="+15005550001", url='https://hooks.example.com/voice')  # keep
client.calls.create(to="+15005550006", from_="+15005550001", url=f"https://{host}/voice")
'''),
    Case("TWL102", "literals_to_environ",
         '''\
import os

from twilio.rest import Client
from twilio.request_validator import RequestValidator

TWILIO_ACCOUNT_SID = "{{FAKE_ACCOUNT_SID}}"  # the account
TWILIO_AUTH_TOKEN = "{{FAKE_AUTH_TOKEN}}"
validator = RequestValidator("{{FAKE_AUTH_TOKEN}}")
token = os.getenv("TWILIO_AUTH_TOKEN", "{{FAKE_AUTH_TOKEN}}")
''',
         '''\
import os

from twilio.rest import Client
from twilio.request_validator import RequestValidator

TWILIO_ACCOUNT_SID = os.environ["TWILIO_ACCOUNT_SID"]  # the account
TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]
validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])
token = os.environ["TWILIO_AUTH_TOKEN"]
'''),
    Case("TWL102", "no_fix_inside_url_or_default", '''\
import os

from twilio.rest import Client

URL = "https://{{FAKE_ACCOUNT_SID}}:{{FAKE_AUTH_TOKEN}}@api.twilio.com/2010-04-01"
os.environ["TWILIO_AUTH_TOKEN"] = "{{FAKE_AUTH_TOKEN}}"


def send(auth_token="{{FAKE_AUTH_TOKEN}}"):
    return auth_token
''', UNCHANGED),
    Case("TWL105", "verify_false",
         '''\
import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

http = TwilioHttpClient(timeout=10)
http.session.verify = False


def fetch(url):
    return requests.get(
        "https://api.twilio.com/2010-04-01/Accounts.json",
        timeout=10,
        verify=False,  # corporate proxy
    )
''',
         '''\
import requests
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

http = TwilioHttpClient(timeout=10)


def fetch(url):
    return requests.get(
        "https://api.twilio.com/2010-04-01/Accounts.json",
        timeout=10,
    )
'''),
    Case("TWL105", "unverified_context_and_lone_statement",
         '''\
import ssl

from twilio.http.http_client import TwilioHttpClient

ssl._create_default_https_context = ssl._create_unverified_context


class InsecureClient(TwilioHttpClient):
    def __init__(self, proxied):
        super().__init__(timeout=10)
        if proxied:
            self.session.verify = False  # corporate proxy
''',
         '''\
import ssl

from twilio.http.http_client import TwilioHttpClient

ssl._create_default_https_context = ssl.create_default_context


class InsecureClient(TwilioHttpClient):
    def __init__(self, proxied):
        super().__init__(timeout=10)
        if proxied:
            pass
'''),
    Case("TWL304", "catch_twilio_exception",
         '''\
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)


def numbers():
    try:
        return client.incoming_phone_numbers.list(limit=20)
    except TwilioRestException:
        return []


def calls():
    try:
        return client.calls.list(limit=20)
    except TwilioRestException as error:
        log(error.code)
        return []
''',
         '''\
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)


def numbers():
    try:
        return client.incoming_phone_numbers.list(limit=20)
    except TwilioException:
        return []


def calls():
    try:
        return client.calls.list(limit=20)
    except TwilioRestException as error:
        log(error.code)
        return []
'''),
    # The fix made the old name unused: its import goes (Ruff's F401 would flag it).
    Case("TWL304", "drops_the_import_it_made_unused",
         '''\
import logging

from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

log = logging.getLogger(__name__)
client = Client(api_key, api_secret, account_sid)


def recent_messages(number):
    try:
        return client.messages.list(to=number, limit=20)
    except TwilioRestException:
        log.exception("could not list messages to %s", number)
        return []
''',
         '''\
import logging

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

log = logging.getLogger(__name__)
client = Client(api_key, api_secret, account_sid)


def recent_messages(number):
    try:
        return client.messages.list(to=number, limit=20)
    except TwilioException:
        log.exception("could not list messages to %s", number)
        return []
'''),
    # A wrapped import gets the new name on its own line, in sorted place; the unused one goes.
    Case("TWL304", "wrapped_import",
         '''\
from twilio.base.exceptions import (
    TwilioRestException,
    TwiMLException,
)
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)


def reply(number):
    try:
        return client.messages.list(to=number, limit=1)
    except TwilioRestException:
        return []
''',
         '''\
from twilio.base.exceptions import (
    TwilioException,
    TwiMLException,
)
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)


def reply(number):
    try:
        return client.messages.list(to=number, limit=1)
    except TwilioException:
        return []
'''),
    Case("TWL306", "http_client_with_timeout",
         '''\
import os

from twilio.rest import Client

client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], os.environ["TWILIO_ACCOUNT_SID"])
''',
         '''\
import os

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
    http_client=TwilioHttpClient(timeout=30),
)
'''),
    Case("TWL306", "timeout_on_existing_http_client",
         '''\
from twilio.http.http_client import TwilioHttpClient as Http
from twilio.rest import Client

http = Http(pool_connections=False)
none = Http(timeout=None)
client = Client(api_key, api_secret, account_sid, http_client=http)
''',
         '''\
from twilio.http.http_client import TwilioHttpClient as Http
from twilio.rest import Client

http = Http(pool_connections=False, timeout=30)
none = Http(timeout=30)
client = Client(api_key, api_secret, account_sid, http_client=http)
'''),
    Case("TWL402", "import_moves",
         '''\
from twilio import TwilioRestException
from twilio.util import RequestValidator as Validator
from twilio.jwt.access_token.grants import IpMessagingGrant, VideoGrant

grant = IpMessagingGrant(service_sid=service_sid)
''',
         '''\
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator as Validator
from twilio.jwt.access_token.grants import ChatGrant, VideoGrant

grant = ChatGrant(service_sid=service_sid)
'''),
    Case("TWL402", "legacy_client_unsafe",
         '''\
from twilio.rest import TwilioRestClient

client = TwilioRestClient(account_sid, auth_token)
''',
         '''\
from twilio.rest import Client

client = Client(account_sid, auth_token)
'''),
    Case("TWL402", "twiml_methods_and_jwt",
         '''\
from twilio.jwt.access_token import AccessToken
from twilio.twiml.voice_response import VoiceResponse

response = VoiceResponse()
say = response.say("Hi")
say.ssml_break(time="1s")
token = AccessToken(account_sid, api_key, api_secret).to_jwt(algorithm="HS512")
''',
         '''\
from twilio.jwt.access_token import AccessToken
from twilio.twiml.voice_response import VoiceResponse

response = VoiceResponse()
say = response.say("Hi")
say.break_(time="1s")
token = AccessToken(account_sid, api_key, api_secret).to_jwt()
'''),
    Case("TWL402", "twiml_response_to_voice_response",
         '''\
from twilio.twiml import Response


def answer(text):
    resp = Response()
    resp.say(text, voice="alice")  # greeting
    with resp.gather(num_digits=1, action="/menu") as gather:
        gather.say("Press 1")
    return resp.toxml()
''',
         '''\
from twilio.twiml.voice_response import VoiceResponse


def answer(text):
    resp = VoiceResponse()
    resp.say(text, voice="alice")  # greeting
    with resp.gather(num_digits=1, action="/menu") as gather:
        gather.say("Press 1")
    return resp.to_xml()
'''),
    Case("TWL402", "twiml_response_messaging_and_voice_mixed", '''\
from twilio.twiml import Response


def reply(text):
    resp = Response()
    resp.message(text)
    return str(resp)


def answer(text):
    resp = Response()
    resp.say(text)
    return str(resp)
''', UNCHANGED),
    Case("TWL402", "twiml_response_to_messaging_response",
         '''\
import twilio.twiml
from twilio.twiml import Response


def reply(text):
    resp = Response()
    resp.message(text)
    return str(resp)
''',
         '''\
import twilio.twiml
from twilio.twiml.messaging_response import MessagingResponse


def reply(text):
    resp = MessagingResponse()
    resp.message(text)
    return str(resp)
'''),
    Case("TWL402", "rest_shapes_of_5x",
         '''\
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)
inbox = client.sms.messages.list(to="+15005550006")
client.calls.hangup(call_sid)
client.calls.cancel(queued["sid"])
''',
         '''\
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)
inbox = client.messages.list(to="+15005550006")
client.calls(call_sid).update(status="completed")
client.calls(queued["sid"]).update(status="canceled")
'''),
    Case("TWL403", "preferred_paths",
         '''\
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)
calls = client.api.calls.list(limit=20)
services = client.chat.services.list()
''',
         '''\
from twilio.rest import Client

client = Client(api_key, api_secret, account_sid)
calls = client.api.account.calls.list(limit=20)
services = client.chat.v2.services.list()
'''),
]

#: Manifests: (code, file name, before, after); one directory per file.
MANIFEST_CASES = [
    Case("TWL401", "requirements.txt", 'flask==3.0.3\ntwilio==7.16.0  # pinned for the legacy app\n', 'flask==3.0.3\ntwilio==9.13.0  # pinned for the legacy app\n'),
    Case("TWL401", "pyproject.toml", '[project]\nname = "app"\ndependencies = [\n    "twilio>=8.0, <9",\n    "flask",\n]\n', '[project]\nname = "app"\ndependencies = [\n    "twilio>=9.13.0, <10",\n    "flask",\n]\n'),
    Case("TWL401", "package.json", '{\n  "dependencies": {\n    "twilio": "^3.84.0"\n  }\n}\n', '{\n  "dependencies": {\n    "twilio": "^6.3.1"\n  }\n}\n'),
    Case("TWL401", "Gemfile", "source 'https://rubygems.org'\ngem 'twilio-ruby', '~> 5.0'\n", "source 'https://rubygems.org'\ngem 'twilio-ruby', '~> 7.11'\n"),
    Case("TWL401", "poetry.lock", '[[package]]\nname = "twilio"\nversion = "7.16.0"\n', UNCHANGED),
]

CASES = PYTHON_CASES + MANIFEST_CASES
CODES = sorted({case.code for case in CASES})


def _path(root: Path, case: Case) -> Path:
    if case.name.endswith((".txt", ".toml", ".json", ".lock")) or case.name == "Gemfile":
        return root / case.code / case.name.replace(".", "_") / case.name
    return root / case.code / f"{case.name}.py"


@pytest.fixture(scope="module")
def fixed(tmp_path_factory) -> dict:
    """Every case written and fixed, one CLI run per rule; what each run printed, by code."""
    root = tmp_path_factory.mktemp("fix-cases")
    for case in CASES:
        path = _path(root, case)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(fill(case.before), encoding="utf-8")
    json_before = {}
    runs = {}
    for code in CODES:
        if any(case.code == code and case.after is UNCHANGED for case in CASES):
            proc = run_cli("check", "--isolated", "--select", code, "--output-format", "json",
                           str(root / code))
            json_before[code] = json.loads(proc.stdout)
        runs[code] = run_cli("check", "--isolated", "--select", code, "--fix", "--unsafe-fixes",
                             "--output-format", "concise", str(root / code))
    return {"root": root, "runs": runs, "json": json_before}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{c.name}" for c in CASES])
def test_fix_gives_exactly_the_expected_text(fixed, case):
    run = fixed["runs"][case.code]
    assert "Traceback" not in run.stderr, run.stderr
    text = _path(fixed["root"], case).read_text(encoding="utf-8")
    expected = fill(case.before if case.after is UNCHANGED else case.after)
    assert text == expected


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.after is UNCHANGED],
    ids=[f"{c.code}-{c.name}" for c in CASES if c.after is UNCHANGED],
)
def test_no_fix_is_offered_where_it_must_not_be(fixed, case):
    path = str(_path(fixed["root"], case).resolve())
    items = [item for item in fixed["json"][case.code] if item["filename"] == path]
    assert items, "the case must still be a finding, only without a fix"
    assert all(item["fix"] is None for item in items)


@pytest.mark.parametrize("code", CODES)
def test_fixed_findings_are_gone_and_a_second_run_changes_nothing(fixed, code):
    root = fixed["root"] / code
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    again = run_cli("check", "--isolated", "--select", code, "--fix", "--unsafe-fixes",
                    "--output-format", "json", str(root))
    assert again.returncode in (0, 1), again.stderr
    assert all(item["fix"] is None for item in json.loads(again.stdout))
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_each_python_case_has_its_rule_code():
    # A case whose rule went quiet would pass "UNCHANGED" for the wrong reason.
    assert {c.code for c in PYTHON_CASES} == {
        "TWL101", "TWL102", "TWL103", "TWL105", "TWL106", "TWL304", "TWL306", "TWL402", "TWL403"
    }


# --- fixes read what the rule decided (Finding.data), never the message --------------------------

#: Rules whose findings carry in ``Finding.data`` what their fix needs.
DATA_CODES = {
    "TWL101", "TWL102", "TWL105", "TWL106", "TWL304", "TWL306", "TWL401", "TWL402", "TWL403"
}
DATA_CASES = [c for c in CASES if c.code in DATA_CODES and c.after is not UNCHANGED]
UNRELATED = 'unrelated: use os.environ["TWILIO_NOPE"]; raise the pin to 0.0.1 or not'


def _fixes_of(findings: list, text: str, path: Path) -> list:
    from twilio_lint.config import Settings
    from twilio_lint.fixes.apply import attach_fixes

    assert attach_fixes(findings, text, str(path), Settings().effective_options()) == []
    return [finding.fix for finding in findings]


@pytest.mark.parametrize("case", DATA_CASES, ids=[f"{c.code}-{c.name}" for c in DATA_CASES])
def test_fix_comes_from_the_finding_data_not_from_its_message(tmp_path, case):
    import pickle
    from dataclasses import replace

    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter
    from twilio_lint.findings import finding_from_dict, finding_to_dict

    path = _path(tmp_path, case)
    path.parent.mkdir(parents=True)
    text = fill(case.before)
    path.write_text(text, encoding="utf-8")
    linter = Linter(Settings(select=[case.code]), prefilter=False)
    findings = linter.lint_source(text, str(path)).findings
    blind = [replace(f, message=UNRELATED) for f in findings]
    # What the result cache (JSON) and the worker processes (pickle) hand back.
    cached = [
        finding_from_dict(json.loads(json.dumps({**finding_to_dict(f), "message": UNRELATED})))
        for f in findings
    ]
    from_worker = [pickle.loads(pickle.dumps(finding)) for finding in blind]
    without_data = [replace(f, data={}) for f in findings]
    expected = _fixes_of(findings, text, path)
    assert any(fix is not None for fix in expected), "the case must be fixable"
    assert _fixes_of(blind, text, path) == expected
    assert _fixes_of(cached, text, path) == expected
    assert _fixes_of(from_worker, text, path) == expected
    # The fix does not decide again what the rule decided: no data, no fix.
    assert _fixes_of(without_data, text, path) == [None] * len(findings)
