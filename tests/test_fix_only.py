"""``--fix-only`` through the real command line: the safe fixes are applied and nothing else is
reported; the exit code is 0 unless ``--exit-non-zero-on-fix`` (as Ruff's ``--fix-only``)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import run_cli
from tests.test_fix_cli import MIXED, MIXED_ALL_FIXED, MIXED_SAFE_FIXED


def fix_only(*args: str, cwd: Path, **kwargs):
    return run_cli("check", "--isolated", "--fix-only", *args, cwd=cwd, **kwargs)


def test_fix_only_applies_safe_fixes_and_reports_nothing_left(tmp_path):
    (tmp_path / "app.py").write_text(MIXED)
    proc = fix_only("app.py", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == MIXED_SAFE_FIXED
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "Fixed 1 finding.\n", "")


def test_fix_only_with_nothing_to_fix_prints_nothing_and_exits_0(tmp_path):
    (tmp_path / "app.py").write_text(MIXED_SAFE_FIXED)  # TWL101 is left: an unsafe fix only
    proc = fix_only("app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (tmp_path / "app.py").read_text() == MIXED_SAFE_FIXED


def test_fix_only_with_unsafe_fixes_and_show_fixes(tmp_path):
    (tmp_path / "app.py").write_text(MIXED)
    proc = fix_only("--unsafe-fixes", "--show-fixes", "app.py", cwd=tmp_path)
    assert (tmp_path / "app.py").read_text() == MIXED_ALL_FIXED
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "Fixed 2 findings:",
        "- app.py:",
        "    1 × TWL101 (auth-token-client)",
        "    1 × TWL403 (deprecated-domain-shortcut)",
        "Fixed 2 findings.",
    ]


def test_fix_only_exit_non_zero_on_fix(tmp_path):
    (tmp_path / "app.py").write_text(MIXED)
    proc = fix_only("--exit-non-zero-on-fix", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (1, "Fixed 1 finding.\n")
    proc = fix_only("--exit-non-zero-on-fix", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout) == (0, "")  # nothing left to fix


def test_fix_only_quiet_prints_nothing(tmp_path):
    (tmp_path / "app.py").write_text(MIXED)
    proc = fix_only("--quiet", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")
    assert (tmp_path / "app.py").read_text() == MIXED_SAFE_FIXED


def test_fix_only_on_stdin_prints_the_fixed_source_only(tmp_path):
    proc = fix_only("-", "--stdin-filename", "app.py", cwd=tmp_path, stdin=MIXED)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, MIXED_SAFE_FIXED, "")
