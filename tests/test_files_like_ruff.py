"""Which files a run looks at, as Ruff and git decide it, in real temporary git repositories:
gitwildmatch globs for ``exclude`` and ``per-file-ignores``, ``.gitignore``/``.ignore``/
``.git/info/exclude`` respected by default, and one file reached under two names reported once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers import run_cli

if shutil.which("git") is None:  # pragma: no cover
    pytest.skip("git is not installed", allow_module_level=True)

#: One TWL101 finding, at line 3, column 10.
VIOLATION = (
    "import os\nfrom twilio.rest import Client\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)


def git_repo(root: Path, files: dict[str, str]) -> Path:
    """A real git repository holding ``files`` (path -> text)."""
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True, capture_output=True)
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def flagged(*args: str, cwd: Path) -> list[str]:
    """``path:line:col: CODE`` of every finding of a real ``twilio-lint check`` run."""
    proc = run_cli("check", *args, "--output-format", "concise", "-q", "--no-cache", cwd=cwd)
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stderr == "", proc.stderr
    return [line.split(" ", 2)[0] + " " + line.split(" ", 2)[1] for line in proc.stdout.splitlines()]


def test_double_star_matches_zero_or_more_folders_in_per_file_ignores(tmp_path):
    repo = git_repo(tmp_path / "repo", {
        "pyproject.toml": '[tool.twilio-lint]\nper-file-ignores = { "tests/**/*.py" = ["TWL101"] }\n',
        "tests/test_app.py": VIOLATION,
        "tests/unit/test_deep.py": VIOLATION,
        "src/app.py": VIOLATION,
    })
    assert flagged(".", cwd=repo) == ["src/app.py:3:10: TWL101"]


def test_star_stays_inside_one_folder_and_bang_re_includes(tmp_path):
    repo = git_repo(tmp_path / "repo", {
        ".twilio-lint.yaml": 'exclude: ["scripts/*.py", "!scripts/keep.py", "gen/"]\n',
        "scripts/old.py": VIOLATION,
        "scripts/keep.py": VIOLATION,
        "scripts/sub/deeper.py": VIOLATION,  # "*" never crosses a "/"
        "gen/out.py": VIOLATION,  # a folder pattern: everything under it
        "src/gen": "",  # a trailing "/" matches folders only; this is a file
        "src/gen.py": VIOLATION,
    })
    assert flagged(".", cwd=repo) == [
        "scripts/keep.py:3:10: TWL101",
        "scripts/sub/deeper.py:3:10: TWL101",
        "src/gen.py:3:10: TWL101",
    ]


def test_exclude_patterns_with_a_slash_are_anchored_at_the_config_folder(tmp_path):
    repo = git_repo(tmp_path / "repo", {
        "pyproject.toml": '[tool.twilio-lint]\nexclude = ["/legacy", "migrations"]\n',
        "legacy/a.py": VIOLATION,
        "pkg/legacy/b.py": VIOLATION,  # anchored: not this one
        "pkg/migrations/0001.py": VIOLATION,  # a name: at any depth
    })
    assert flagged(".", cwd=repo) == ["pkg/legacy/b.py:3:10: TWL101"]
    assert flagged(".", cwd=repo / "pkg") == ["legacy/b.py:3:10: TWL101"]


def _ignored_tree(tmp_path: Path) -> Path:
    repo = git_repo(tmp_path / "repo", {
        ".gitignore": "generated/\n*_pb2.py\n",
        ".ignore": "vendored/\n",
        "app.py": VIOLATION,
        "generated/client.py": VIOLATION,
        "api/messages_pb2.py": VIOLATION,
        "api/.gitignore": "!keep_pb2.py\n",  # a deeper file overrides a shallower one
        "api/keep_pb2.py": VIOLATION,
        "vendored/lib.py": VIOLATION,
        "scratch.py": VIOLATION,
    })
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "exclude").write_text("scratch.py\n")
    return repo


def test_gitignore_ignore_and_info_exclude_are_respected(tmp_path):
    repo = _ignored_tree(tmp_path)
    assert flagged(".", cwd=repo) == ["api/keep_pb2.py:3:10: TWL101", "app.py:3:10: TWL101"]
    # git agrees on what is ignored (.ignore is Ruff's and ripgrep's, not git's)
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard"],
        cwd=repo, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert sorted(p for p in listed if p.endswith(".py")) == [
        "api/keep_pb2.py", "app.py", "vendored/lib.py",
    ]


def test_ignored_file_named_on_the_command_line_is_linted_unless_force_exclude(tmp_path):
    repo = _ignored_tree(tmp_path)
    assert flagged("generated/client.py", cwd=repo) == ["generated/client.py:3:10: TWL101"]
    assert flagged("generated/client.py", "scratch.py", "--force-exclude", cwd=repo) == []


def test_ignored_or_excluded_folder_named_on_the_command_line_is_walked(tmp_path):
    """As in Ruff: a folder named on the command line is linted even when a .gitignore above
    it or an exclude skips it (a checkout under pyenv's ``/versions``, ``vendor/``); inside
    it, its own ignore files still count. ``--force-exclude`` skips it."""
    repo = git_repo(tmp_path / "repo", {
        ".gitignore": "/versions\n",
        "pyproject.toml": '[tool.twilio-lint]\nexclude = ["vendor"]\n',
        "versions/3.11/lib/os_like.py": VIOLATION,
        "versions/3.11/lib/.gitignore": "build/\n",
        "versions/3.11/lib/build/gen.py": VIOLATION,
        "vendor/pkg/client.py": VIOLATION,
        "app.py": VIOLATION,
    })
    assert flagged(".", cwd=repo) == ["app.py:3:10: TWL101"]
    assert flagged("versions/3.11", cwd=repo) == ["versions/3.11/lib/os_like.py:3:10: TWL101"]
    assert flagged("versions", "vendor/pkg", cwd=repo) == [
        "vendor/pkg/client.py:3:10: TWL101", "versions/3.11/lib/os_like.py:3:10: TWL101",
    ]
    assert flagged("versions/3.11", "vendor/pkg", "--force-exclude", cwd=repo) == []


def test_respect_gitignore_false_lints_ignored_files(tmp_path):
    repo = _ignored_tree(tmp_path)
    (repo / "pyproject.toml").write_text("[tool.twilio-lint]\nrespect-gitignore = false\n")
    assert flagged(".", cwd=repo) == [
        "api/keep_pb2.py:3:10: TWL101",
        "api/messages_pb2.py:3:10: TWL101",
        "app.py:3:10: TWL101",
        "generated/client.py:3:10: TWL101",
        "scratch.py:3:10: TWL101",
        "vendored/lib.py:3:10: TWL101",
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_one_file_under_two_names_is_reported_once(tmp_path):
    repo = git_repo(tmp_path / "repo", {"src/app.py": VIOLATION})
    os.symlink("app.py", repo / "src" / "zz_alias.py")
    assert flagged(".", cwd=repo) == ["src/app.py:3:10: TWL101"]
    assert flagged("src/app.py", "src/zz_alias.py", cwd=repo) == ["src/app.py:3:10: TWL101"]
    assert flagged("src", "src/app.py", cwd=repo) == ["src/app.py:3:10: TWL101"]
