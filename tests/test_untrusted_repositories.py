"""Attacks a hostile repository (or a poisoned shared cache) can try on twilio-lint in CI, and
what each one now produces: writes stay inside the checked tree, nothing hangs, nothing is
followed out of the tree (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_cli
from tests.test_speed_features import _git

#: One safe fix (TWL403): ``client.api.calls`` becomes ``client.api.account.calls``.
FIXABLE = (
    "from twilio.rest import Client\n"
    "\n"
    "client = Client(api_key, api_secret, account_sid)\n"
    "calls = client.api.calls.list(limit=20)\n"
)
FIXED = FIXABLE.replace("client.api.calls", "client.api.account.calls")


def check(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_cli("check", "--isolated", *args, cwd=cwd, env=env)


def stderr_lines(proc: subprocess.CompletedProcess) -> list[str]:
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr.splitlines()


# --- --fix never writes through a link, nor a file replaced since it was read --------------------


def victim_and_tree(tmp_path: Path) -> tuple[Path, Path]:
    """``outside/victim.py``, a fixable file out of the tree, and the empty ``tree`` checked."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.py").write_text(FIXABLE)
    tree = tmp_path / "tree"
    tree.mkdir()
    return outside, tree


def test_fix_refuses_to_write_through_a_symlink(tmp_path):
    outside, tree = victim_and_tree(tmp_path)
    os.symlink(outside / "victim.py", tree / "app.py")
    proc = check("--fix", "app.py", cwd=tree)
    assert proc.returncode == 1
    assert stderr_lines(proc) == [
        "twilio-lint: warning: app.py: not fixed: is a symbolic link, not written through"
    ]
    assert (outside / "victim.py").read_text() == FIXABLE
    assert os.path.islink(tree / "app.py")


def test_write_atomic_refuses_a_link_a_fifo_and_a_replaced_file(tmp_path):
    from twilio_lint.files import UnsafeWriteError, write_atomic

    (tmp_path / "target.py").write_text("old\n")
    os.symlink("target.py", tmp_path / "link.py")
    with pytest.raises(UnsafeWriteError, match="^is a symbolic link, not written through$"):
        write_atomic(str(tmp_path / "link.py"), "new\n")
    os.mkfifo(tmp_path / "fifo.py")
    with pytest.raises(UnsafeWriteError, match="^not a regular file, not written$"):
        write_atomic(str(tmp_path / "fifo.py"), "new\n")
    read_identity = os.stat(tmp_path / "target.py")
    (tmp_path / "target.py").rename(tmp_path / "moved.py")
    (tmp_path / "target.py").write_text("swapped in\n")
    with pytest.raises(UnsafeWriteError, match="^another file than the one read, not written$"):
        write_atomic(str(tmp_path / "target.py"), "new\n", expected=read_identity)
    assert (tmp_path / "target.py").read_text() == "swapped in\n"
    assert sorted(os.listdir(tmp_path)) == ["fifo.py", "link.py", "moved.py", "target.py"]
    write_atomic(str(tmp_path / "moved.py"), "new\n", expected=read_identity)  # still the one
    assert (tmp_path / "moved.py").read_text() == "new\n"


def test_stale_temporary_files_are_removed_by_the_next_write_there(tmp_path):
    from twilio_lint.files import STALE_TEMP_SECONDS

    (tmp_path / "app.py").write_text(FIXABLE)
    stale = tmp_path / ".twilio-lint-0123abcd.tmp"
    stale.write_text("half a file from a killed run")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    fresh = tmp_path / ".twilio-lint-fresh.tmp"  # perhaps a concurrent run's: left alone
    fresh.write_text("being written")
    unrelated = tmp_path / "notes.tmp"
    unrelated.write_text("not ours")
    os.utime(unrelated, (old, old))
    proc = check("--fix", "--no-cache", "app.py", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "app.py").read_text() == FIXED
    assert sorted(os.listdir(tmp_path)) == [".twilio-lint-fresh.tmp", "app.py", "notes.tmp"]


# --- the cache is data, never instructions -------------------------------------------------------


@pytest.mark.parametrize("target", ["..", "absolute"])
def test_a_symlinked_cache_folder_is_refused_with_one_warning(tmp_path, target):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "app.py").write_text(FIXABLE)
    os.symlink(".." if target == ".." else str(elsewhere), tree / ".twilio_lint_cache")
    env = {"TWILIO_LINT_CACHE_DIR": ""}
    proc = check("--output-format", "concise", ".", cwd=tree, env=env)
    assert proc.returncode == 1
    assert stderr_lines(proc) == [
        "twilio-lint: warning: .twilio_lint_cache is a symbolic link: the run goes on "
        "without a cache"
    ]
    assert proc.stdout.startswith("app.py:4:9: TWL403 ")
    assert sorted(os.listdir(elsewhere)) == []
    assert sorted(os.listdir(tmp_path)) == ["elsewhere", "tree"]
    assert sorted(os.listdir(tree)) == [".twilio_lint_cache", "app.py"]
    clean = run_cli("clean", cwd=tree, env=env)  # removes the link, never what it names
    assert (clean.returncode, clean.stdout) == (0, f"Removed {tree / '.twilio_lint_cache'}\n")
    assert sorted(os.listdir(tree)) == ["app.py"] and elsewhere.is_dir()


def _poison(cache_dir: Path, edit) -> None:
    """Rewrite every entry of the cache index with ``edit(key, entry)``."""
    (index,) = cache_dir.rglob("index.json")
    entries = json.loads(index.read_text())
    for key, entry in entries.items():
        edit(key, entry)
    index.write_text(json.dumps(entries))


def test_a_poisoned_cache_cannot_send_a_fix_to_another_file(tmp_path):
    outside, tree = victim_and_tree(tmp_path)
    (tree / "app.py").write_text(FIXABLE)
    cache = tmp_path / "cache"
    env = {"TWILIO_LINT_CACHE_DIR": str(cache)}
    assert check(".", cwd=tree, env=env).returncode == 1

    def elsewhere(key, entry):
        for finding in entry["findings"]:
            finding["path"] = str(outside / "victim.py")

    _poison(cache, elsewhere)
    proc = check("--fix", ".", cwd=tree, env=env)
    assert proc.returncode == 0, proc.stderr
    assert stderr_lines(proc) == []
    assert (outside / "victim.py").read_text() == FIXABLE  # never written
    assert (tree / "app.py").read_text() == FIXED  # re-linted and fixed where it belongs


def test_fix_and_add_noqa_write_only_under_the_paths_checked(tmp_path):
    from twilio_lint.adoption.add_noqa import add_noqa
    from twilio_lint.findings import Finding

    (tmp_path / "checked").mkdir()
    (tmp_path / "other.py").write_text(FIXABLE)
    finding = Finding("TWL403", "m", str(tmp_path / "other.py"), 4, 8, 4, 24)
    result = add_noqa([finding], [str(tmp_path / "checked")])
    assert (result.added, result.skipped) == (0, [(finding.path, 0, "outside the paths checked")])
    assert (tmp_path / "other.py").read_text() == FIXABLE
    assert add_noqa([finding], [str(tmp_path)]).added == 1


@pytest.mark.parametrize(
    "poison",
    [
        pytest.param(lambda e: e["findings"][0].update(col=None), id="col-null"),
        pytest.param(lambda e: e["findings"][0].update(code=["TWL403"]), id="code-list"),
        # dependencies that are no paths, listings of odd places, stamps of any type
        pytest.param(lambda e: e.update(deps={
            "\0": None, "/\0*": ["etc"], "/dev/null\0*": None, "app.py\0[": 5, "/": True,
        }), id="deps-hostile"),
    ],
)
def test_cache_entries_of_the_wrong_types_are_a_miss(tmp_path, poison):
    (tmp_path / "app.py").write_text(FIXABLE)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    first = check("--output-format", "concise", "app.py", cwd=tmp_path, env=env)
    _poison(tmp_path / "cache", lambda key, entry: poison(entry))
    second = check("--output-format", "concise", "app.py", cwd=tmp_path, env=env)
    assert stderr_lines(second) == []
    assert (second.returncode, second.stdout) == (1, first.stdout)
    assert second.stdout.startswith("app.py:4:9: TWL403 ")


def test_a_cache_index_nested_100000_deep_is_a_miss(tmp_path):
    (tmp_path / "app.py").write_text(FIXABLE)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    first = check("--output-format", "concise", "app.py", cwd=tmp_path, env=env)
    (index,) = (tmp_path / "cache").rglob("index.json")
    index.write_text("[" * 100_000 + "]" * 100_000)
    second = check("--output-format", "concise", "app.py", cwd=tmp_path, env=env)
    assert stderr_lines(second) == []
    assert (second.returncode, second.stdout) == (1, first.stdout)
    assert json.loads(index.read_text())  # rewritten as a real index


# --- includes are followed only to regular files inside the project ------------------------------


def test_includes_never_read_stdin_a_fifo_or_outside_the_tree(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pins.txt").write_text("twilio==6.0.0\n")
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "pipe.pip")
    (tree / "requirements.txt").write_text(
        f"-r /dev/stdin\n-r pipe.pip\n-c ../outside/pins.txt\n-r {outside / 'pins.txt'}\n"
        "-r /dev/zero\nflask\n"
    )
    with subprocess.Popen(  # stdin left open: reading it would hang
        [sys.executable, "-P", "-m", "twilio_lint", "check", "--isolated", "--no-cache",
         "--select", "ALL", "--output-format", "concise", "."],
        cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        try:
            stdout, stderr = proc.communicate(timeout=60)
        finally:
            proc.kill()
    assert "Traceback" not in stderr, stderr
    assert (proc.returncode, stdout, stderr) == (0, "All checks passed!\n", "")
    # An include inside the project is still followed (from a subfolder too).
    (tree / "requirements.txt").write_text("-r /dev/stdin\n-r requirements/common.pip\n")
    (tree / "requirements").mkdir()
    (tree / "requirements" / "common.pip").write_text("-r ../pipe.pip\ntwilio==6.0.0\n")
    proc = check("--no-cache", "--output-format", "concise", ".", cwd=tree)
    assert proc.returncode == 1, proc.stderr
    assert [line.split(" ")[:2] for line in proc.stdout.splitlines()[:-2]] == [
        ["requirements/common.pip:2:7:", "TWL401"]
    ]


def test_an_include_stays_in_its_repository_when_run_from_above_it(tmp_path):
    """``cd ~ && twilio-lint check repos/untrusted``: the working directory is no longer the
    project, the repository is (its nearest root marker): ``-r ../../secret.txt`` would read a
    file of the home folder. An include between the repository's own folders still counts."""
    home = tmp_path
    (home / "secret.txt").write_text("twilio==6.0.0\n")
    repository = home / "repos" / "untrusted"
    (repository / ".git").mkdir(parents=True)
    (repository / "requirements.txt").write_text("-r ../../secret.txt\nflask==3.0.0\n")
    (repository / "requirements").mkdir()
    (repository / "requirements" / "prod.txt").write_text("-r ../common.pip\n")
    (repository / "common.pip").write_text("gunicorn==22.0.0\ntwilio==6.0.0\n")
    proc = check("--no-cache", "--output-format", "concise", "repos/untrusted", cwd=home)
    assert proc.returncode == 1, proc.stderr
    assert [line.split(" ")[:2] for line in proc.stdout.splitlines()[:-2]] == [
        ["repos/untrusted/common.pip:2:7:", "TWL401"]
    ]


NARROW_HANDLER = (
    "from twilio.base.exceptions import TwilioRestException\n"
    "\n"
    "\n"
    "def send(client):\n"
    "    try:\n"
    "        client.messages.create(to='+15550100', from_='+15550101', body='hi')\n"
    "    except TwilioRestException:\n"
    "        return None\n"
)


def test_a_manifest_that_appears_later_drops_the_cached_result(tmp_path):
    (tmp_path / "app.py").write_text(NARROW_HANDLER)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path.parent / f"{tmp_path.name}-cache")}
    args = ("--select", "TWL304", "--output-format", "concise", "app.py")
    before = check(*args, cwd=tmp_path, env=env)
    assert (before.returncode, before.stdout) == (0, "All checks passed!\n")
    (tmp_path / "requirements.txt").write_text("twilio>=9.10,<10\n")
    after = check(*args, cwd=tmp_path, env=env)
    assert stderr_lines(after) == []
    assert after.returncode == 1
    assert after.stdout.startswith("app.py:7:12: TWL304 the project uses twilio 9.10 or newer")


# --- --changed-since: the repository's git config runs nothing ------------------------------------


def test_changed_since_runs_no_command_from_the_repository_config(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(FIXABLE)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    marker = tmp_path / "RAN"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(0o755)
    _git(repo, "config", "core.fsmonitor", str(hook))
    _git(repo, "config", "diff.external", str(hook))
    _git(repo, "config", "core.pager", str(hook))
    (repo / "app.py").write_text(FIXABLE + "# changed\n")
    proc = check("--no-cache", "--output-format", "concise", "--changed-since", "HEAD", ".",
                 cwd=repo)
    assert stderr_lines(proc) == []
    assert proc.returncode == 1
    assert proc.stdout.startswith("app.py:4:9: TWL403 ")
    assert not marker.exists()


@pytest.mark.parametrize("driver", ["my.driver", "x=y"])
@pytest.mark.parametrize("key", ["clean", "process"])
def test_changed_since_runs_no_filter_driver_of_the_repository(tmp_path, key, driver):
    """A ``.gitattributes`` filter runs its command on every stat-dirty file ``git diff``
    looks at; a driver name with dots or an ``=`` (``-c`` would split it there) and
    ``required = true`` are switched off too."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(FIXABLE)
    (repo / ".gitattributes").write_text(f"*.py filter={driver}\n")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    marker = tmp_path / "RAN"
    _git(repo, "config", f"filter.{driver}.{key}", f"touch {marker}; cat")
    _git(repo, "config", f"filter.{driver}.required", "true")
    (repo / "app.py").write_text(FIXABLE + "# changed\n")
    proc = check("--no-cache", "--output-format", "concise", "--changed-since", "HEAD", ".",
                 cwd=repo)
    assert stderr_lines(proc) == []
    assert proc.stdout.startswith("app.py:4:9: TWL403 ")
    assert proc.returncode == 1
    assert not marker.exists()


@pytest.mark.parametrize("revision", ["--output=written.txt", "-p", ""])
def test_changed_since_rejects_option_like_revisions(tmp_path, revision):
    (tmp_path / "app.py").write_text(FIXABLE)
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "base")
    proc = check(f"--changed-since={revision}", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert stderr_lines(proc) == [
        f"twilio-lint: error: not a git revision: {revision!r} (revisions never start with '-')"
    ]
    assert sorted(os.listdir(tmp_path)) == [".git", "app.py"]


# --- python -m inside a repository ---------------------------------------------------------------


def test_python_m_never_imports_the_repositorys_modules(tmp_path):
    (tmp_path / "json.py").write_text("raise SystemExit('imported the repository json.py')\n")
    (tmp_path / "app.py").write_text("import twilio\n")
    proc = run_cli("check", "--isolated", "--no-cache", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "All checks passed!\n", "")


def test_docs_never_recommend_python_m_without_dash_p():
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    unsafe = [
        (path.name, line)
        for path in docs
        for line in path.read_text(encoding="utf-8").splitlines()
        if "-m twilio_lint" in line and "-P -m twilio_lint" not in line
    ]
    assert unsafe == []


# --- no tracebacks, no hangs: baselines, --write-baseline, sizes ----------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param("[" * 100_000 + "]" * 100_000,
                     "not a twilio-lint baseline (nested too deeply)", id="nested"),
        pytest.param('{"version": 1, "findings": [{"path": "app.py", "code": "TWL403", '
                     '"fingerprint": "x", "count": Infinity}]}',
                     "not a twilio-lint baseline (invalid JSON: Infinity is not a number a "
                     "baseline holds)", id="Infinity"),
        pytest.param('{"version": 1, "findings": [{"path": "app.py", "code": "TWL403", '
                     '"fingerprint": "x", "count": 1e400}]}',
                     "not a twilio-lint baseline (invalid JSON: 1e400 is not a number a "
                     "baseline holds)", id="1e400"),
    ],
)
def test_a_hostile_baseline_is_one_line_and_exit_2(tmp_path, content, reason):
    (tmp_path / "app.py").write_text(FIXABLE)
    (tmp_path / "baseline.json").write_text(content)
    proc = check("--no-cache", "--baseline", "baseline.json", "app.py", cwd=tmp_path)
    assert (proc.returncode, stderr_lines(proc)) == (
        2, [f"twilio-lint: error: baseline.json: {reason}"]
    )


def test_a_fifo_given_as_baseline_is_an_error_not_a_hang(tmp_path):
    (tmp_path / "app.py").write_text(FIXABLE)
    os.mkfifo(tmp_path / "baseline.json")
    proc = check("--no-cache", "--baseline", "baseline.json", "app.py", cwd=tmp_path)
    assert (proc.returncode, stderr_lines(proc)) == (2, [
        "twilio-lint: error: baseline.json: cannot read baseline: not a regular file, or over "
        "256,000,000 bytes"
    ])


def _limit_file_size() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))  # a full disk: writes fail past 64 B


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("folder", "not a regular file, not written"),
        ("missing/baseline.json", "No such file or directory"),
        ("full/baseline.json", "File too large"),
    ],
)
def test_write_baseline_that_cannot_be_written_is_one_line_and_exit_2(tmp_path, target, reason):
    (tmp_path / "app.py").write_text(FIXABLE)
    (tmp_path / "folder").mkdir()
    (tmp_path / "full").mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "twilio_lint", "check", "--isolated", "--no-cache",
         "--write-baseline", target, "app.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        preexec_fn=_limit_file_size if target.startswith("full") else None,
    )
    assert (proc.returncode, proc.stdout, stderr_lines(proc)) == (2, "", [
        f"twilio-lint: error: {target}: cannot write the baseline: {reason}"
    ])
    assert sorted(os.listdir(tmp_path / "full")) == []


def test_stdin_gets_the_max_file_bytes_limit(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.twilio-lint]\nmax-file-bytes = 1000\n")
    big = FIXABLE + "# padding\n" * 200
    proc = run_cli("check", "--no-cache", "--output-format", "concise", "-", "--stdin-filename",
                   "app.py", cwd=tmp_path, stdin=big)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout == (
        "app.py:1:1: TWL001 not checked: skipped: more than 1,000 bytes is over the "
        "max-file-bytes limit (1,000)\nFound 1 finding.\n"
    )


def test_max_file_bytes_too_large_for_an_integer_is_one_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.twilio-lint]\nmax-file-bytes = 99999999999999999999999\n"
    )
    (tmp_path / "app.py").write_text(FIXABLE)
    proc = run_cli("check", "--no-cache", "app.py", cwd=tmp_path)
    assert (proc.returncode, stderr_lines(proc)) == (2, [
        f"twilio-lint: error: {tmp_path / 'pyproject.toml'}: key 'max-file-bytes' is too large "
        "(23 digits)"
    ])


# --- the gate cannot be slipped past: TWL001 file-not-checked ------------------------------------

BROKEN = "from twilio.rest import Client\n\ndef send(client: Client, to:\n    pass\n"
BROKEN_MESSAGE = "not checked: cannot parse: '(' was never closed (line 3, column 9)"


def _gate_tree(root: Path) -> Path:
    (root / "broken.py").write_text(BROKEN)
    return root


def test_file_not_checked_in_json_and_json_lines(tmp_path):
    _gate_tree(tmp_path)
    for fmt in ("json", "json-lines"):
        proc = check("--no-cache", "--output-format", fmt, ".", cwd=tmp_path)
        assert (proc.returncode, proc.stderr) == (1, ""), proc.stderr
        text = proc.stdout
        items = json.loads(text) if fmt == "json" else [json.loads(x) for x in text.splitlines()]
        assert [(i["code"], i["filename"].rsplit("/", 1)[-1], i["location"]["row"],
                 i["location"]["column"], i["message"]) for i in items] == [
            ("TWL001", "broken.py", 3, 9, BROKEN_MESSAGE)
        ]


def test_file_not_checked_in_sarif_junit_and_github(tmp_path):
    _gate_tree(tmp_path)
    sarif = json.loads(check("--no-cache", "--output-format", "sarif", ".", cwd=tmp_path).stdout)
    (run,) = sarif["runs"]
    assert [(r["ruleId"], r["level"], r["message"]["text"]) for r in run["results"]] == [
        ("TWL001", "error", BROKEN_MESSAGE)
    ]
    assert "TWL001" in [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    junit = check("--no-cache", "--output-format", "junit", ".", cwd=tmp_path)
    assert junit.returncode == 1
    assert '<testsuites name="twilio-lint" tests="1" failures="0" errors="1">' in junit.stdout
    assert f'<error message="{BROKEN_MESSAGE}" type="TWL001">' in junit.stdout.replace(
        "&#x27;", "'").replace("&apos;", "'")
    github = check("--no-cache", "--output-format", "github", ".", cwd=tmp_path)
    assert github.returncode == 1
    assert github.stdout == (
        "::error file=broken.py,line=3,endLine=3,col=9,endColumn=9,title=TWL001 file-not-checked"
        f"::TWL001 {BROKEN_MESSAGE}\n"
    )


def test_file_not_checked_per_file_ignores_and_summary(tmp_path):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "old.py").write_text(BROKEN)
    (tmp_path / "new.py").write_text(BROKEN)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.twilio-lint.per-file-ignores]\n"legacy/*" = ["TWL001"]\n'
    )
    proc = run_cli("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == (
        f"new.py:3:9: TWL001 {BROKEN_MESSAGE}\n"
        "Found 1 finding. 1 file could not be checked (see the errors above).\n"
    )
    assert proc.stderr == (
        "twilio-lint: error: legacy/old.py: cannot parse: '(' was never closed (line 3, "
        "column 9)\n"
    )


def test_a_file_over_max_file_bytes_that_may_hold_findings_fails_the_gate(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.twilio-lint]\nmax-file-bytes = 2000\n")
    (tmp_path / "big_twilio.py").write_text("x = 1\n" * 1000 + "from twilio.rest import Client\n")
    (tmp_path / "big_other.py").write_text("x = 1\n" * 1000)
    proc = run_cli("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout == (
        "big_twilio.py:1:1: TWL001 not checked: skipped: 6,031 bytes is over the max-file-bytes "
        "limit (2,000)\n"
        "Found 1 finding. 1 file could not be checked (see the errors above).\n"
    )
    assert proc.stderr == (
        "twilio-lint: error: big_other.py: skipped: 6,000 bytes is over the max-file-bytes "
        "limit (2,000)\n"
    )


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", '[project]\ndependencies = ["twilio==6.0.0"\n',
         "not checked: cannot parse: not valid TOML: "),
        ("package.json", '{"dependencies": {"twilio": "^3.0"',
         "not checked: cannot parse: not valid JSON: "),
        ("pom.xml", "<project><dependencies><artifactId>twilio</artifactId>",
         "not checked: cannot parse: not valid XML: "),
    ],
)
def test_a_manifest_that_names_twilio_but_does_not_parse_fails_the_gate(
    tmp_path, name, text, message
):
    (tmp_path / name).write_text(text)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / name).write_text(text.replace("twilio", "flask"))  # no twilio: quiet
    proc = check("--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (1, "")
    lines = proc.stdout.splitlines()
    assert lines[-1] == "Found 1 finding."
    assert lines[0].startswith(f"{name}:1:1: TWL001 {message}")


def test_a_latin1_file_with_cr_line_endings_and_a_cookie_is_checked(tmp_path):
    source = (
        "# -*- coding: latin-1 -*-\r"
        "from twilio.rest import Client\r"
        "greeting = 'h\xe9llo'\r"
        "client = Client(api_key, api_secret, account_sid)\r"
        "calls = client.api.calls.list(limit=20)\r"
    )
    (tmp_path / "app.py").write_bytes(source.encode("latin-1"))
    proc = check("--no-cache", "--output-format", "concise", "app.py", cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (1, "")
    assert proc.stdout.startswith("app.py:5:9: TWL403 ")


# --- bounded memory: the pool fits the machine -----------------------------------------------------------


def test_jobs_are_capped_by_cpus_and_by_memory():
    from twilio_lint.runner import capped_jobs

    gib = 1 << 30
    # -j 8 on 2 CPUs: 2 workers; with 1.5 GiB available and files up to 2 MB: 2 fit.
    assert capped_jobs(8, 2_000_000, cpus=2, available=64 * gib) == 2
    assert capped_jobs(8, 2_000_000, cpus=16, available=int(1.5 * gib)) == 2
    assert capped_jobs(8, 2_000_000, cpus=16, available=256 * 1 << 20) == 1  # never 0
    assert capped_jobs(8, 10_000, cpus=16, available=int(1.5 * gib)) == 8
    assert capped_jobs(3, 2_000_000, cpus=16, available=64 * gib) == 3  # never more than asked
