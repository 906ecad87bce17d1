"""The twilio-lint command, run for real in a subprocess."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import run_cli

VIOLATION = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)
CLEAN = (
    "import os\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],\n'
    '                os.environ["TWILIO_ACCOUNT_SID"])\n'
)
#: The closing line of a run whose one fixable finding has an unsafe fix (as Ruff says it).
UNSAFE_HINT = "1 unsafe fix available with `--fix --unsafe-fixes`" + "."


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(VIOLATION)
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def test_findings_exit_1_with_concise_lines(project):
    proc = run_cli("check", "--isolated", "--output-format", "concise", ".", cwd=project)
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("app.py:4:10: TWL101 ")
    assert proc.stdout.splitlines()[-2:] == ["Found 1 finding.", UNSAFE_HINT]
    assert proc.stderr == ""


def test_check_is_the_default_verb(project):
    proc = run_cli("--isolated", "--output-format", "concise", "app.py", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout.startswith("app.py:4:10: TWL101 ")


def test_clean_file_exits_0(project):
    proc = run_cli("check", "--isolated", "clean.py", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "All checks passed!\n"


def test_full_format_shows_the_source_line_and_a_caret(project):
    proc = run_cli("check", "--isolated", "app.py", cwd=project)
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("app.py:4:10: TWL101 ")
    assert lines[1] == '  4 | client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])'
    assert lines[2] == "      " + " " * 9 + "^" * 73


def test_json_follows_ruffs_schema(project):
    proc = run_cli("check", "--isolated", "--output-format", "json", ".", cwd=project)
    assert proc.returncode == 1
    (item,) = json.loads(proc.stdout)
    assert set(item) >= {
        "code", "name", "message", "filename", "location", "end_location", "fix", "url",
        "noqa_row",
    }
    assert item["code"] == "TWL101"
    assert item["name"] == "auth-token-client"
    assert item["filename"] == str((project / "app.py").resolve())
    assert item["location"] == {"row": 4, "column": 10}
    assert item["end_location"] == {"row": 4, "column": 83}
    assert item["noqa_row"] == 4
    assert item["url"].endswith("/TWL101.md")


def test_exit_zero_and_quiet(project):
    proc = run_cli("check", "--isolated", "--exit-zero", "-q", "--output-format", "concise",
                   "app.py", cwd=project)
    assert proc.returncode == 0
    assert proc.stdout.count("\n") == 1  # the finding, no summary


def test_statistics(project):
    (project / "more.py").write_text(VIOLATION + "other = Client()\n")
    proc = run_cli("check", "--isolated", "--statistics", ".", cwd=project)
    assert proc.returncode == 1
    assert proc.stdout.split()[:2] == ["3", "TWL101"]


def test_select_ignore_and_extend_select(project):
    ignored = run_cli("check", "--isolated", "--ignore", "TWL101", "app.py", cwd=project)
    assert ignored.returncode == 0
    selected = run_cli("check", "--isolated", "--select", "TWL106", "app.py", cwd=project)
    assert selected.returncode == 0
    prefix = run_cli("check", "--isolated", "--select", "TWL1", "app.py", cwd=project)
    assert prefix.returncode == 1


@pytest.mark.parametrize("flag", ["--select", "--ignore", "--extend-select"])
def test_unknown_rule_code_is_a_usage_error(project, flag):
    proc = run_cli("check", "--isolated", flag, "TWL999", "app.py", cwd=project)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "twilio-lint: error: unknown rule code or prefix: 'TWL999'"


def test_stdin(project):
    proc = run_cli("check", "--isolated", "--output-format", "concise", "-",
                   "--stdin-filename", "src/app.py", stdin=VIOLATION, cwd=project)
    assert proc.returncode == 1
    assert proc.stdout.startswith("src/app.py:4:10: TWL101 ")


def test_noqa_is_honoured(project):
    (project / "app.py").write_text(VIOLATION.rstrip("\n") + "  # noqa: TWL101\n")
    proc = run_cli("check", "--isolated", "app.py", cwd=project)
    assert proc.returncode == 0, proc.stdout


def test_rules_table_and_json():
    proc = run_cli("rules")
    assert proc.returncode == 0
    assert proc.stdout.splitlines()[0].split() == ["code", "name", "default", "fix", "summary"]
    assert any(line.startswith("TWL101 auth-token-client") for line in proc.stdout.splitlines())
    rows = json.loads(run_cli("rules", "--output-format", "json").stdout)
    assert {"code": "TWL106", "name": "api-key-without-account-sid"}.items() <= rows[
        [r["code"] for r in rows].index("TWL106")
    ].items()


def test_explain_by_code_and_by_name():
    by_code = run_cli("explain", "TWL101")
    assert by_code.returncode == 0
    assert by_code.stdout.startswith("# TWL101 auth-token-client\n")
    for heading in ("## What it does", "## Why does it matter?", "## Example",
                    "## Use instead", "## Fix safety"):
        assert heading in by_code.stdout
    assert run_cli("explain", "auth-token-client").stdout == by_code.stdout
    unknown = run_cli("explain", "TWL999")
    assert unknown.returncode == 2
    assert "unknown rule 'TWL999'" in unknown.stderr


def test_help_explains_verbs_and_exit_codes():
    top = run_cli("--help")
    assert top.returncode == 0
    assert "explain CODE" in top.stdout and "Exit codes" in top.stdout
    check = run_cli("check", "--help")
    for flag in ("--select", "--ignore", "--extend-select", "--exclude", "--output-format",
                 "--exit-zero", "--statistics", "--config", "--quiet", "--stdin-filename"):
        assert flag in check.stdout


def test_help_is_wrapped_to_the_terminal_as_argparse_wraps_it(monkeypatch):
    """The parser finds the terminal's width itself (argparse would import shutil for it):
    the help is the one argparse's own formatter gives, at the width the terminal has."""
    import argparse

    from twilio_lint.cli import build_parser

    shown = {}
    for columns in ("50", "150"):
        monkeypatch.setenv("COLUMNS", columns)
        check = build_parser("check").get_default("verb_parsers")["check"]
        shown[columns] = check.format_help()
        check.formatter_class = argparse.RawDescriptionHelpFormatter
        assert shown[columns] == check.format_help()
        assert run_cli("check", "--help", env={"COLUMNS": columns}).stdout == shown[columns]
    usage = {columns: text.split("\n\n")[0].splitlines() for columns, text in shown.items()}
    assert len(usage["50"][0]) <= 48 < len(usage["150"][0]) <= 148
    assert len(usage["50"]) > len(usage["150"])


def test_a_run_builds_only_its_verbs_parser():
    from twilio_lint.cli import VERBS, build_parser

    every = build_parser().get_default("verb_parsers")
    assert sorted(every) == sorted(VERBS)
    for verb in VERBS:
        alone = build_parser(verb).get_default("verb_parsers")
        assert list(alone) == [verb]
        assert alone[verb].format_help() == every[verb].format_help()
        assert alone[verb].get_default("fix") == every[verb].get_default("fix")


def test_python_dash_m_and_version():
    proc = run_cli("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("twilio-lint ")


# --- bad input: one line per file, the run goes on ---------------------------------------------


def test_bad_files_are_file_not_checked_and_the_run_goes_on(project):
    # Changed by issue 15: a file that may hold findings but cannot be checked is TWL001 (a
    # finding that fails the gate), no longer only a line on stderr.
    (project / "broken.py").write_text("import twilio\ndef f(:\n")
    (project / "latin1.py").write_bytes(b"import twilio\nname = '\xe9t\xe9'\n")
    (project / "nul.py").write_bytes(b"import twilio\x00\n")
    (project / "dir.py").mkdir()
    os.symlink(project / "missing-target.py", project / "dangling.py")
    proc = run_cli("check", "--isolated", "--output-format", "concise", ".", "nope.py",
                   cwd=project)
    assert proc.returncode == 1
    assert "app.py:4:10: TWL101" in proc.stdout
    assert (proc.stderr, [line for line in proc.stdout.splitlines() if "TWL001" in line]) == ("", [
        "broken.py:2:7: TWL001 not checked: cannot parse: invalid syntax (line 2, column 7)",
        "dangling.py:1:1: TWL001 not checked: no such file or directory",
        "latin1.py:1:1: TWL001 not checked: cannot decode: 'utf-8' codec can't decode byte 0xe9 "
        "in position 22: invalid continuation byte",
        "nope.py:1:1: TWL001 not checked: no such file or directory",
        "nul.py:1:1: TWL001 not checked: cannot parse: source code string cannot contain null "
        "bytes",
    ])
    assert proc.stdout.splitlines()[-2:] == ["Found 6 findings.", UNSAFE_HINT]


def test_file_not_checked_can_be_ignored_and_then_is_a_notice(tmp_path):
    (tmp_path / "broken.py").write_text("import twilio\ndef f(:\n")
    proc = run_cli("check", "--isolated", "--ignore", "TWL001", "broken.py", cwd=tmp_path)
    assert proc.returncode == 0
    assert proc.stderr == "twilio-lint: error: broken.py: cannot parse: invalid syntax (line 2, column 7)\n"
    assert proc.stdout == "No findings. 1 file could not be checked (see the errors above).\n"


def test_file_not_checked_is_reported_whatever_select_says(tmp_path):
    # As Ruff reports syntax errors: a --select without TWL001 must not let the gate pass on a
    # file it never read. Only an explicit ignore turns it into a notice.
    (tmp_path / "broken.py").write_text("import twilio\ndef f(:\n")
    proc = run_cli("check", "--isolated", "--select", "TWL101", "--output-format", "concise",
                   "broken.py", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        "broken.py:2:7: TWL001 not checked: cannot parse: invalid syntax (line 2, column 7)"
    )
    ignored = run_cli("check", "--isolated", "--select", "TWL101", "--ignore", "TWL0",
                      "broken.py", cwd=tmp_path)
    assert ignored.returncode == 0


def test_coding_cookie_and_bom_are_decoded(project):
    (project / "cookie.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom twilio.rest import Client\nc = Client()  # \xe9\n"
    )
    (project / "bom.py").write_bytes(b"\xef\xbb\xbffrom twilio.rest import Client\nc = Client()\n")
    proc = run_cli("check", "--isolated", "--output-format", "concise", "cookie.py", "bom.py",
                   cwd=project)
    assert proc.stderr == ""
    assert proc.stdout.splitlines()[:2] == [
        "bom.py:2:5: TWL101 " + proc.stdout.splitlines()[0].split(" TWL101 ", 1)[1],
        "cookie.py:3:5: TWL101 " + proc.stdout.splitlines()[1].split(" TWL101 ", 1)[1],
    ]


def test_columns_count_characters_not_bytes(project):
    (project / "unicode.py").write_text(
        "from twilio.rest import Client\nnote = 'héllo'; c = Client()\n", encoding="utf-8"
    )
    proc = run_cli("check", "--isolated", "--output-format", "concise", "unicode.py", cwd=project)
    assert proc.stdout.startswith("unicode.py:2:21: TWL101 ")


def test_default_excludes_are_not_walked(project):
    for name in (".venv", "venv", "node_modules", "build", "dist", "__pycache__", ".tox", ".git"):
        (project / name).mkdir()
        (project / name / "vendored.py").write_text(VIOLATION)
    proc = run_cli("check", "--isolated", "--output-format", "concise", ".", cwd=project)
    assert [line.split(":")[0] for line in proc.stdout.splitlines()[:-2]] == ["app.py"]
