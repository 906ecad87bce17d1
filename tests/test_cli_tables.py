"""The command line's tables and usage: ``rules`` alignment, ``--statistics``, ``--help``
listing each verb once, per-verb usage on unknown options, ``explain --output-format json``."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli

VIOLATION = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)


def test_rules_table_columns_line_up_on_every_row():
    lines = run_cli("rules").stdout.splitlines()
    header = lines[0]
    starts = [header.index(title) for title in ("name", "default", "fix", "summary")]
    assert starts[0] == 7
    for line in lines[1:]:
        for start in starts:  # every column begins after a space, at the header's column
            assert line[start - 1] == " " and line[start] != " ", (line, start)
    sometimes = [line for line in lines if "safe/unsafe fix" in line]
    assert sometimes, "a rule with sometimes-unsafe fixes is in the table"


def test_help_lists_each_verb_once():
    out = run_cli("--help").stdout
    for verb in ("check [PATHS...]", "fix [PATHS...]", "rules ", "explain CODE", "lsp ", "clean "):
        assert out.count(f"\n  {verb}") == 1, verb
    assert "positional arguments" not in out


@pytest.mark.parametrize("verb", ["check", "fix", "rules", "explain", "clean"])
def test_unknown_option_shows_the_usage_of_its_verb(verb):
    proc = run_cli(verb, "--bogus", *(["TWL101"] if verb == "explain" else []))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"usage: twilio-lint {verb} ")
    assert proc.stderr.splitlines()[-1] == f"twilio-lint {verb}: error: unrecognized arguments: --bogus"


def test_unknown_option_without_a_verb_is_checks():
    proc = run_cli("--bogus", ".")
    assert proc.stderr.startswith("usage: twilio-lint check ")


def test_explain_output_format_json():
    proc = run_cli("explain", "TWL101", "--output-format", "json")
    assert proc.returncode == 0
    row = json.loads(proc.stdout)
    assert {k: row[k] for k in ("code", "name", "default", "fix")} == {
        "code": "TWL101", "name": "auth-token-client", "default": "on", "fix": "unsafe",
    }
    assert row["explanation"] == run_cli("explain", "TWL101").stdout
    assert row["url"].endswith("TWL101.md")


def test_statistics_aligns_columns_and_ends_with_a_total(tmp_path):
    (tmp_path / "a.py").write_text(VIOLATION * 1 + "calls = client.api.calls.list(limit=20)\n" * 11)
    (tmp_path / "b.py").write_text("import requests\nrequests.get('http://api.twilio.com/x')\n")
    proc = run_cli("check", "--isolated", "--statistics", ".", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0] == "11 TWL403 [*] deprecated-domain-shortcut"
    # As Ruff: [*] only on rules with a fix --fix applies; TWL101's is unsafe...
    assert proc.stdout.splitlines()[1] == " 1 TWL101     auth-token-client"
    unsafe = run_cli("check", "--isolated", "--statistics", "--unsafe-fixes", ".", cwd=tmp_path)
    assert unsafe.stdout.splitlines()[1] == " 1 TWL101 [*] auth-token-client"  # ...unless allowed
    assert proc.stdout.splitlines()[-2:] == [  # a total, then Ruff's closing hint
        "Found 12 findings.",
        "[*] 11 fixable with `--fix` (1 unsafe fix available with `--fix --unsafe-fixes`).",
    ]
    assert unsafe.stdout.splitlines()[-1] == "[*] 12 fixable with `--fix --unsafe-fixes`."
