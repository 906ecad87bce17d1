"""The fix machinery through the real command line: --fix, --unsafe-fixes, --diff, --show-fixes,
--exit-non-zero-on-fix, the ``fix`` verb, JSON fix objects, and the safety of writes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli

#: One safe fix (TWL403) and one unsafe fix (TWL101) in one file.
MIXED = (
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    "calls = client.api.calls.list(limit=20)\n"
)
MIXED_SAFE_FIXED = MIXED.replace("client.api.calls", "client.api.account.calls")
MIXED_ALL_FIXED = (
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    "client = Client(\n"
    '    os.environ["TWILIO_API_KEY"],\n'
    '    os.environ["TWILIO_API_SECRET"],\n'
    '    os.environ["TWILIO_ACCOUNT_SID"],\n'
    ")\n"
    "calls = client.api.account.calls.list(limit=20)\n"
)
SAFE_ONLY = (
    "from twilio.rest import Client\n"
    "\n"
    "client = Client(api_key, api_secret, account_sid)\n"
    "services = client.chat.services.list()\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(MIXED)
    return tmp_path


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run_cli("check", "--isolated", *args, cwd=cwd)


# --- what gets applied ---------------------------------------------------------------------------


def test_fix_applies_safe_fixes_only_and_reports_what_is_left(project):
    proc = check("--fix", "--output-format", "concise", "app.py", cwd=project)
    assert (project / "app.py").read_text() == MIXED_SAFE_FIXED
    assert proc.returncode == 1  # the TWL101 finding is left
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("app.py:5:10: TWL101 ")
    assert lines[-2:] == [
        "Fixed 1 finding (1 remaining).",
        "1 remaining finding has an unsafe fix: add `--unsafe-fixes` to apply it.",
    ]


def test_fix_with_unsafe_fixes_applies_both(project):
    proc = check("--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert (project / "app.py").read_text() == MIXED_ALL_FIXED
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "Fixed 2 findings (0 remaining)."


def test_fix_verb_is_check_fix(project):
    proc = run_cli("fix", "--isolated", "--unsafe-fixes", "app.py", cwd=project)
    assert proc.returncode == 0, proc.stderr
    assert (project / "app.py").read_text() == MIXED_ALL_FIXED
    assert "fix [PATHS...]" in run_cli("--help").stdout


def test_unsafe_fixes_without_fix_shows_them_and_writes_nothing(project):
    proc = check("--unsafe-fixes", "app.py", cwd=project)
    assert (project / "app.py").read_text() == MIXED
    assert proc.returncode == 1
    assert "  = help: Authenticate with an API key (TWILIO_API_KEY, TWILIO_API_SECRET) (unsafe fix)" in proc.stdout
    assert "  = help: Use api.account.calls (safe fix)" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "[*] 2 fixable with `--fix --unsafe-fixes`."


def test_show_fixes_counts_fixable_and_hidden(project):
    proc = check("--show-fixes", "--output-format", "concise", "app.py", cwd=project)
    assert (project / "app.py").read_text() == MIXED
    assert proc.stdout.splitlines()[-2:] == [
        "Found 2 findings.",
        "[*] 1 fixable with `--fix` (1 unsafe fix available with "
        "`--fix --unsafe-fixes`).",
    ]


def test_show_fixes_after_fix_lists_what_was_fixed(project):
    proc = check("--fix", "--unsafe-fixes", "--show-fixes", "app.py", cwd=project)
    assert proc.stdout.splitlines() == [
        "Fixed 2 findings:",
        "- app.py:",
        "    1 × TWL101 (auth-token-client)",
        "    1 × TWL403 (deprecated-domain-shortcut)",
        "Fixed 2 findings (0 remaining).",
    ]


def test_plain_check_ends_with_what_fix_and_unsafe_fixes_would_fix(project):
    proc = check("--output-format", "concise", "app.py", cwd=project)
    assert proc.stdout.splitlines()[-2:] == [
        "Found 2 findings.",
        "[*] 1 fixable with `--fix` (1 unsafe fix available with "
        "`--fix --unsafe-fixes`).",
    ]
    assert (project / "app.py").read_text() == MIXED
    full = check("app.py", cwd=project)  # the findings are shown without their fixes
    assert "help:" not in full.stdout and full.stdout.splitlines()[-1] == proc.stdout.splitlines()[-1]
    assert check("-q", "--output-format", "concise", "app.py", cwd=project).stdout.count("\n") == 2


def test_fixable_hint_counts_only_safe_fixes_as_fixable(tmp_path):
    (tmp_path / "app.py").write_text(MIXED + "more = client.api.messages.list(limit=20)\n")
    proc = check("--output-format", "concise", "app.py", cwd=tmp_path)
    assert proc.stdout.splitlines()[-2:] == [
        "Found 3 findings.",
        "[*] 2 fixable with `--fix` (1 unsafe fix available with "
        "`--fix --unsafe-fixes`).",
    ]
    safe_only = check("--output-format", "concise", "--select", "TWL403", "app.py", cwd=tmp_path)
    assert safe_only.stdout.splitlines()[-2:] == [
        "Found 2 findings.", "[*] 2 fixable with `--fix`.",
    ]


def test_exit_non_zero_on_fix(tmp_path):
    (tmp_path / "app.py").write_text(SAFE_ONLY)
    proc = check("--fix", "app.py", cwd=tmp_path)
    assert proc.returncode == 0 and "Fixed 1 finding (0 remaining)." in proc.stdout
    (tmp_path / "app.py").write_text(SAFE_ONLY)
    proc = check("--fix", "--exit-non-zero-on-fix", "app.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert "client.chat.v2.services" in (tmp_path / "app.py").read_text()
    proc = check("--fix", "--exit-non-zero-on-fix", "app.py", cwd=tmp_path)
    assert proc.returncode == 0  # nothing left to fix


# --- --diff ------------------------------------------------------------------------------------


def test_diff_prints_a_unified_diff_writes_nothing_and_exits_1(project):
    proc = check("--diff", "--unsafe-fixes", "app.py", cwd=project)
    assert proc.returncode == 1
    assert (project / "app.py").read_text() == MIXED
    assert proc.stdout == (
        "--- a/app.py\n"
        "+++ b/app.py\n"
        "@@ -2,5 +2,9 @@\n"
        " \n"
        " from twilio.rest import Client\n"
        " \n"
        '-client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
        "-calls = client.api.calls.list(limit=20)\n"
        "+client = Client(\n"
        '+    os.environ["TWILIO_API_KEY"],\n'
        '+    os.environ["TWILIO_API_SECRET"],\n'
        '+    os.environ["TWILIO_ACCOUNT_SID"],\n'
        "+)\n"
        "+calls = client.api.account.calls.list(limit=20)\n"
    )
    assert proc.stderr == "Would fix 2 findings.\n"


def test_diff_without_changes_exits_0(project):
    (project / "app.py").write_text(MIXED_ALL_FIXED)
    proc = check("--diff", "--unsafe-fixes", "app.py", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout == ""
    assert proc.stderr == "No fixes available.\n"


def test_diff_of_safe_fixes_only(project):
    proc = check("--diff", "app.py", cwd=project)
    assert proc.returncode == 1
    assert "+calls = client.api.account.calls.list(limit=20)\n" in proc.stdout
    assert "TWILIO_API_KEY" not in proc.stdout


# --- JSON ---------------------------------------------------------------------------------------


def test_json_carries_each_fix_in_ruffs_schema(project):
    proc = check("--output-format", "json", "app.py", cwd=project)
    items = {item["code"]: item for item in json.loads(proc.stdout)}
    assert items["TWL403"]["fix"] == {
        "applicability": "safe",
        "message": "Use api.account.calls",
        "edits": [
            {
                "content": ".api.account.calls",
                "location": {"row": 6, "column": 15},
                "end_location": {"row": 6, "column": 25},
            }
        ],
    }
    fix = items["TWL101"]["fix"]
    assert fix["applicability"] == "unsafe"
    assert fix["message"] == "Authenticate with an API key (TWILIO_API_KEY, TWILIO_API_SECRET)"
    assert not any("import os" in edit["content"] for edit in fix["edits"])  # it is there
    # Edits hold only what changes: the account SID expression that stays is not repeated.
    assert not any('"TWILIO_ACCOUNT_SID"' in edit["content"] for edit in fix["edits"])


def test_fixes_and_diffs_never_print_a_credential(tmp_path):
    from tests.helpers import FAKE

    (tmp_path / "app.py").write_text(
        "from twilio.rest import Client\n"
        "\n"
        f'client = Client("{FAKE["FAKE_API_KEY_SID"]}", "{FAKE["FAKE_API_SECRET"]}")\n'
    )
    for args in (("--output-format", "json"), ("--diff", "--unsafe-fixes"),
                 ("--unsafe-fixes", "--show-fixes")):
        proc = check("--select", "ALL", *args, "app.py", cwd=tmp_path)
        output = proc.stdout + proc.stderr
        assert not any(value in output for value in FAKE.values()), args
    proc = check("--select", "ALL", "--diff", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert 'os.environ["TWILIO_API_SECRET"]' in proc.stdout


# --- imports, overlaps, iterations --------------------------------------------------------------


def test_import_is_added_once_for_several_fixes(tmp_path):
    (tmp_path / "app.py").write_text(
        "from twilio.rest import Client\n"
        "\n"
        "a = Client(sid_a, token_a)\n"
        "b = Client(sid_b, token_b)\n"
    )
    proc = check("--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    text = (tmp_path / "app.py").read_text()
    assert text.startswith("import os\n\nfrom twilio.rest import Client\n")
    assert text.count("import os") == 1
    assert text.count('os.environ["TWILIO_API_KEY"]') == 2


def test_overlapping_fixes_are_applied_over_several_rounds(tmp_path):
    # TWL101 rewrites the whole call; TWL306 adds an argument to the same call: the second
    # fix is computed again on the result of the first.
    (tmp_path / "app.py").write_text(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(account_sid, auth_token)\n"
    )
    proc = check("--select", "TWL101,TWL306", "--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "app.py").read_text() == (
        "import os\n"
        "\n"
        "from twilio.http.http_client import TwilioHttpClient\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        "    account_sid,\n"
        "    http_client=TwilioHttpClient(timeout=30),\n"
        ")\n"
    )
    assert "Fixed 2 findings (0 remaining)." in proc.stdout


def test_a_fix_that_leads_to_another_rules_fix(tmp_path):
    # TWL402 turns TwilioRestClient into Client; then TWL101 moves it to an API key.
    (tmp_path / "app.py").write_text(
        "from twilio.rest import TwilioRestClient\n"
        "\n"
        "client = TwilioRestClient(account_sid, auth_token)\n"
    )
    proc = check("--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert (tmp_path / "app.py").read_text() == (
        "import os\n"
        "\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        "    account_sid,\n"
        ")\n"
    )


# --- safety of writes ---------------------------------------------------------------------------


def test_crlf_line_endings_are_kept(tmp_path):
    path = tmp_path / "app.py"
    path.write_bytes(
        b"from twilio.rest import Client\r\n"
        b"\r\n"
        b"client = Client(\r\n"
        b"    api_key,  # the key\r\n"
        b"    api_secret,\r\n"
        b")\r\n"
    )
    proc = check("--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout
    assert path.read_bytes() == (
        b"import os\r\n"
        b"\r\n"
        b"from twilio.rest import Client\r\n"
        b"\r\n"
        b"client = Client(\r\n"
        b"    api_key,  # the key\r\n"
        b"    api_secret,\r\n"
        b'    account_sid=os.environ["TWILIO_ACCOUNT_SID"],\r\n'
        b")\r\n"
    )


def test_crlf_one_line_call_that_grows_keeps_crlf(tmp_path):
    path = tmp_path / "app.py"
    path.write_bytes(
        b"import os\r\nfrom twilio.rest import Client\r\n\r\n"
        b"twilio_client = Client(account_sid, auth_token)\r\n"
    )
    check("--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert path.read_bytes() == (
        b"import os\r\nfrom twilio.rest import Client\r\n\r\n"
        b"twilio_client = Client(\r\n"
        b'    os.environ["TWILIO_API_KEY"],\r\n'
        b'    os.environ["TWILIO_API_SECRET"],\r\n'
        b"    account_sid,\r\n"
        b")\r\n"
    )


def test_encoding_and_bom_are_kept(tmp_path):
    latin = tmp_path / "latin.py"
    latin.write_bytes(
        b"# -*- coding: latin-1 -*-\n"
        b"from twilio.rest import Client\n"
        b"\n"
        b"# Caf\xe9 reminders\n"
        b"services = Client(key, secret, sid).chat.services.list()\n"
    )
    bom = tmp_path / "bom.py"
    bom.write_bytes(
        b"\xef\xbb\xbffrom twilio.rest import Client\n"
        b"services = Client(key, secret, sid).chat.services.list()  # \xc3\xa9\n"
    )
    proc = check("--fix", "latin.py", "bom.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert latin.read_bytes() == (
        b"# -*- coding: latin-1 -*-\n"
        b"from twilio.rest import Client\n"
        b"\n"
        b"# Caf\xe9 reminders\n"
        b"services = Client(key, secret, sid).chat.v2.services.list()\n"
    )
    assert bom.read_bytes() == (
        b"\xef\xbb\xbffrom twilio.rest import Client\n"
        b"services = Client(key, secret, sid).chat.v2.services.list()  # \xc3\xa9\n"
    )


@pytest.mark.skipif(os.name != "posix", reason="permission bits")
def test_atomic_write_keeps_the_mode_and_leaves_no_temp_file(project):
    path = project / "app.py"
    path.chmod(0o640)
    inode = path.stat().st_ino
    check("--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert path.read_text() == MIXED_ALL_FIXED
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert not [p.name for p in project.iterdir() if p.name.endswith(".tmp")]


def test_unparseable_files_are_left_byte_for_byte(tmp_path):
    broken = b"from twilio.rest import Client\r\nclient = Client(sid, token\r\n\x00"
    (tmp_path / "broken.py").write_bytes(broken)
    proc = check("--fix", "--unsafe-fixes", "--output-format", "concise", "broken.py",
                 cwd=tmp_path)
    assert proc.returncode == 1  # file-not-checked (TWL001) fails the gate: issue 15
    assert proc.stdout.startswith("broken.py:1:1: TWL001 not checked: cannot parse: ")
    assert (tmp_path / "broken.py").read_bytes() == broken


def test_a_fix_that_would_break_the_file_is_dropped_and_reported(tmp_path):
    (tmp_path / "app.py").write_text(MIXED)
    script = (
        "import sys\n"
        "from twilio_lint import fixes\n"
        "from twilio_lint.findings import Edit, Fix\n"
        "real = fixes.fixers()\n"
        "class Broken:\n"
        "    CODE = 'TWL101'\n"
        "    @staticmethod\n"
        "    def fix(ctx, finding):\n"
        "        return Fix('break it', 'unsafe', (Edit(finding.line, finding.col, finding.line,\n"
        "                   finding.col, '(('),))\n"
        "patched = dict(real, TWL101=Broken)\n"
        "fixes.fixers = lambda: patched\n"
        "from twilio_lint.cli import main\n"
        "sys.exit(main(['check', '--isolated', '--fix', '--unsafe-fixes', 'app.py']))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert "the fix for TWL101 would make the file invalid; it was not applied" in proc.stderr
    assert (tmp_path / "app.py").read_text() == MIXED_SAFE_FIXED  # the good fix still applies
    assert proc.returncode == 1  # TWL101 is left


def test_second_fix_run_changes_nothing(project):
    check("--fix", "--unsafe-fixes", "app.py", cwd=project)
    first = (project / "app.py").read_bytes()
    proc = check("--fix", "--unsafe-fixes", "app.py", cwd=project)
    assert (project / "app.py").read_bytes() == first
    assert proc.stdout.splitlines()[-1] == "All checks passed!"


# --- fixes of findings served from the result cache ---------------------------------------------

CACHED_APP = (
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    'TWILIO_ACCOUNT_SID = "{{FAKE_ACCOUNT_SID}}"  # the account\n'
    'TWILIO_AUTH_TOKEN = "{{FAKE_AUTH_TOKEN}}"\n'
    'token = os.getenv("TWILIO_AUTH_TOKEN", "{{FAKE_AUTH_TOKEN}}")\n'
)
CACHED_APP_FIXED = (
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    'TWILIO_ACCOUNT_SID = os.environ["TWILIO_ACCOUNT_SID"]  # the account\n'
    'TWILIO_AUTH_TOKEN = os.environ["TWILIO_AUTH_TOKEN"]\n'
    'token = os.environ["TWILIO_AUTH_TOKEN"]\n'
)


def test_findings_from_the_cache_still_get_their_fixes(tmp_path):
    """A finding served from the result cache carries what its fix needs (``Finding.data``):
    TWL102 and TWL401 findings that come back from the cache, with their messages replaced,
    are fixed exactly as freshly computed ones are. The cache never holds the credential."""
    from tests.helpers import FAKE, fill

    (tmp_path / "app.py").write_text(fill(CACHED_APP))
    (tmp_path / "requirements.txt").write_text("flask==3.0.3\ntwilio==7.16.0  # legacy app\n")
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--isolated", "--select", "TWL102,TWL401", "app.py", "requirements.txt")
    cold = run_cli(*args, cwd=tmp_path, env=env)
    assert cold.returncode == 1, cold.stderr
    [index] = (tmp_path / "cache").rglob("index.json")
    stored = index.read_text(encoding="utf-8")
    assert not any(value in stored for value in FAKE.values())
    # Mark every cached finding: what follows must come from the cache, and the fixes must
    # not depend on the messages.
    entries = json.loads(stored)
    cached = [item for entry in entries.values() for item in entry.get("findings", ())]
    assert sorted(item["code"] for item in cached) == ["TWL102"] * 3 + ["TWL401"]
    for item in cached:
        assert item["data"]
        item["message"] = "served from the result cache"
    index.write_text(json.dumps(entries), encoding="utf-8")

    shown = run_cli(*args, "--unsafe-fixes", "--output-format", "json", cwd=tmp_path, env=env)
    items = json.loads(shown.stdout)
    assert {item["message"] for item in items} == {"served from the result cache"}
    assert all(item["fix"] is not None for item in items)

    fixed = run_cli(*args, "--fix", "--unsafe-fixes", cwd=tmp_path, env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Fixed 4 findings (0 remaining)." in fixed.stdout
    assert (tmp_path / "app.py").read_text() == CACHED_APP_FIXED
    assert (tmp_path / "requirements.txt").read_text() == (
        "flask==3.0.3\ntwilio==9.13.0  # legacy app\n"
    )


# --- stdin -----------------------------------------------------------------------------------------


def test_fix_stdin_prints_the_fixed_source(tmp_path):
    proc = run_cli("check", "--isolated", "--fix", "--unsafe-fixes", "-", cwd=tmp_path, stdin=MIXED)
    assert proc.stdout == MIXED_ALL_FIXED
    assert proc.returncode == 0


def test_diff_stdin(tmp_path):
    proc = run_cli("check", "--isolated", "--diff", "-", cwd=tmp_path, stdin=MIXED)
    assert proc.returncode == 1
    assert "+calls = client.api.account.calls.list(limit=20)\n" in proc.stdout


# --- detection stays cheap ------------------------------------------------------------------------


def test_plain_check_and_flake8_plugin_do_not_import_libcst(project):
    script = (
        "import sys\n"
        "from twilio_lint.cli import main\n"
        "code = main(['check', '--isolated', '--quiet', 'app.py'])\n"
        "import twilio_lint.flake8_plugin\n"
        "from twilio_lint.engine import Linter\n"
        "Linter().lint_path('app.py')\n"
        "print('libcst' in sys.modules, code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.stdout.splitlines()[-1] == "False 1", proc.stderr


def test_the_fixable_hint_of_a_plain_check_does_not_import_libcst(project, tmp_path):
    """Rules declare their fixes when they report (Finding.fix_applicability): a plain run
    prints the fixable hint without computing a fix, for every rule (TWL402's rewrites too)."""
    (tmp_path / "ok.py").write_text("print('no Twilio here')\n")
    (tmp_path / "legacy.py").write_text("from twilio.util import RequestValidator\n")
    script = (
        "import sys\n"
        "from twilio_lint.cli import main\n"
        "code = main(['check', '--isolated', sys.argv[1]])\n"
        "print('libcst' in sys.modules, code)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(path)], cwd=project, capture_output=True,
            text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)},
        ).stdout.splitlines()[-2:]
        for path in (tmp_path / "ok.py", project / "app.py", tmp_path / "legacy.py")
    ]
    assert [run[-1] for run in runs] == ["False 0", "False 1", "False 1"]
    assert runs[2][0] == "[*] 1 fixable with `--fix`."


def test_fixes_import_libcst_only_when_asked(project):
    script = (
        "import sys\n"
        "from twilio_lint.cli import main\n"
        "main(['check', '--isolated', '--diff', 'app.py'])\n"
        "print('libcst' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=project, capture_output=True, text=True, timeout=300,
    )
    assert proc.stdout.splitlines()[-1] == "True", proc.stderr


# --- passes, includes, hashes, encodings, masking -----------------------------------------------

SHOP_APP = ROOT / "tests" / "data" / "shop_app"
SHOP_APP_NOTIFY_FIXED = '''\
"""Text customers when their order ships."""

import logging
import os

from twilio.base.exceptions import TwilioException
from twilio.rest import Client

log = logging.getLogger(__name__)

client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
)
STATUS_URL = "https://shop.example.com/twilio/status"


def notify_shipped(order):
    try:
        client.messages.create(
            to=order.phone,
            from_=os.environ["TWILIO_FROM_NUMBER"],
            body=f"Order {order.number} has shipped.",
            status_callback=STATUS_URL,
        )
    except TwilioException:
        log.exception("could not text order %s", order.number)
'''


SHOP_APP_REPORTS_FIXED = '''\
"""Nightly call report for the support team."""

import os
from datetime import date, timedelta

from twilio.request_validator import RequestValidator
from twilio.rest import Client

client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], os.environ["TWILIO_ACCOUNT_SID"])
validator = RequestValidator(os.environ["TWILIO_AUTH_TOKEN"])


def yesterdays_calls():
    since = date.today() - timedelta(days=1)
    return client.api.account.calls.list(start_time_after=since, limit=500)
'''


def _tree(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".twilio_lint_cache" not in path.parts
    }


def test_diff_previews_exactly_what_fix_does_passes_included(tmp_path):
    """The raised pin (an included requirements file) makes TWL304 apply in a second pass:
    --diff shows that pass too, and applying its output gives what --fix writes."""
    import shutil

    previewed, fixed = tmp_path / "previewed", tmp_path / "fixed"
    shutil.copytree(SHOP_APP, previewed)
    shutil.copytree(SHOP_APP, fixed)
    diff = check("--no-cache", "--diff", "--unsafe-fixes", ".", cwd=previewed)
    assert diff.returncode == 1, diff.stderr
    assert diff.stderr == "Would fix 6 findings.\n"
    assert _tree(previewed) == _tree(SHOP_APP)  # --diff writes nothing
    run = check("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=fixed)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "Fixed 6 findings (0 remaining).\n"
    assert (fixed / "notify.py").read_text() == SHOP_APP_NOTIFY_FIXED
    assert (fixed / "reports.py").read_text() == SHOP_APP_REPORTS_FIXED
    assert (fixed / "requirements" / "common.txt").read_text() == "flask==3.0.3\ntwilio==9.13.0\n"
    apply = subprocess.run(["git", "apply", "-p1", "-"], input=diff.stdout, cwd=previewed,
                           capture_output=True, text=True, timeout=60)
    assert apply.returncode == 0, apply.stderr
    assert _tree(previewed) == _tree(fixed)
    again = check("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=fixed)
    assert again.stdout == "All checks passed!\n"


def test_a_pin_in_a_plain_included_file_is_fixed_there(tmp_path):
    """``-r common.txt`` (not a manifest name of its own): the pin is reported and raised in
    common.txt, and no false 'changed while being linted' warning is printed."""
    (tmp_path / "requirements.txt").write_text("-r common.txt\ngunicorn==22.0.0\n")
    (tmp_path / "common.txt").write_text("flask==3.0.3\ntwilio==7.16.0  # SMS\n")
    before = check("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert before.stdout.splitlines()[0].startswith("common.txt:2:7: TWL401 ")
    run = check("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (run.stdout, run.stderr) == ("Fixed 1 finding (0 remaining).\n", "")
    assert (tmp_path / "common.txt").read_text() == "flask==3.0.3\ntwilio==9.13.0  # SMS\n"
    assert (tmp_path / "requirements.txt").read_text() == "-r common.txt\ngunicorn==22.0.0\n"


def test_a_hashed_requirement_keeps_its_pin(tmp_path):
    """Raising a pin and keeping its --hash lines would make pip --require-hashes fail: no fix
    (re-compile instead), and the finding stays."""
    hashed = (
        "flask==3.0.3 \\\n"
        "    --hash=sha256:" + "a" * 64 + "\n"
        "twilio==7.16.0 \\\n"
        "    --hash=sha256:" + "b" * 64 + " \\\n"
        "    --hash=sha256:" + "c" * 64 + "\n"
    )
    (tmp_path / "requirements.txt").write_text(hashed)
    run = check("--no-cache", "--fix", "--unsafe-fixes", "--output-format", "concise", ".",
                cwd=tmp_path)
    assert run.returncode == 1 and run.stderr == ""
    assert run.stdout.startswith("requirements.txt:3:7: TWL401 ")
    assert run.stdout.endswith("Found 1 finding.\n")
    assert (tmp_path / "requirements.txt").read_text() == hashed
    # The same pin without hashes is raised.
    (tmp_path / "requirements.txt").write_text("twilio==7.16.0\n")
    check("--no-cache", "--fix", "--unsafe-fixes", ".", cwd=tmp_path)
    assert (tmp_path / "requirements.txt").read_text() == "twilio==9.13.0\n"


SHIFT_JIS_APP = '''\
# -*- coding: shift_jis -*-
import os

from twilio.rest import Client

# 予約リマインダー
client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])  # 本番
calls = client.api.calls.list(limit=20)  # 通話
'''
SHIFT_JIS_APP_FIXED = '''\
# -*- coding: shift_jis -*-
import os

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

# 予約リマインダー
client = Client(
    os.environ["TWILIO_API_KEY"],
    os.environ["TWILIO_API_SECRET"],
    os.environ["TWILIO_ACCOUNT_SID"],
    http_client=TwilioHttpClient(timeout=30),
)  # 本番
calls = client.api.account.calls.list(limit=20)  # 通話
'''


def test_a_coding_cookie_holds_over_several_rounds(tmp_path):
    """TWL101 and TWL306 touch one call, so they take two rounds: the second round reads the
    text in the file's declared encoding (no 'cannot decode'), and a second run is clean."""
    app = tmp_path / "app.py"
    app.write_bytes(SHIFT_JIS_APP.encode("shift_jis"))
    run = check("--select", "ALL", "--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert (run.returncode, run.stderr) == (0, "")
    assert run.stdout == "Fixed 3 findings (0 remaining).\n"
    assert app.read_bytes() == SHIFT_JIS_APP_FIXED.encode("shift_jis")
    again = check("--select", "ALL", "--fix", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert (again.stdout, again.stderr) == ("All checks passed!\n", "")
    assert app.read_bytes() == SHIFT_JIS_APP_FIXED.encode("shift_jis")


def test_a_latin1_file_keeps_its_columns_after_a_round(tmp_path):
    """A finding left after a round is reported at the right column of a latin-1 line."""
    app = tmp_path / "app.py"
    app.write_bytes(
        b"# -*- coding: latin-1 -*-\n"
        b"from twilio.rest import Client\n"
        b"\n"
        b"client = Client(key, secret, sid)\n"
        b"caf\xe9 = client.api.calls.list(limit=20); x = Client()\n"
    )
    run = check("--fix", "--output-format", "concise", "app.py", cwd=tmp_path)
    assert run.stderr == ""
    assert run.stdout.splitlines()[0].startswith("app.py:5:53: TWL101 ")
    assert app.read_bytes().splitlines()[-1] == (
        b"caf\xe9 = client.api.account.calls.list(limit=20); x = Client()"
    )


def test_a_masked_diff_says_it_cannot_be_applied(tmp_path):
    from tests.helpers import FAKE

    token = FAKE["FAKE_AUTH_TOKEN"]
    (tmp_path / "app.py").write_text(
        "from twilio.rest import Client\n"
        "\n"
        f'client = Client("{FAKE["FAKE_ACCOUNT_SID"]}", "{token}")\n'
    )
    proc = check("--select", "TWL102", "--diff", "--unsafe-fixes", "app.py", cwd=tmp_path)
    assert token not in proc.stdout + proc.stderr
    assert proc.stdout.startswith(
        "# twilio-lint: credentials in this diff are masked (first 4 characters, then …), so\n"
        "# the hunks that show them cannot be applied with `git apply`; run --fix to apply them.\n"
        "--- a/app.py\n"
    )
    assert f'-client = Client("{FAKE["FAKE_ACCOUNT_SID"][:4]}…' in proc.stdout
    # A diff without credentials has no such note.
    (tmp_path / "app.py").write_text(MIXED)
    proc = check("--diff", "app.py", cwd=tmp_path)
    assert proc.stdout.startswith("--- a/app.py\n")
