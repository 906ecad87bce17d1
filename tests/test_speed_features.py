"""Prefilter, result cache, process pool and --changed-since: faster, never different."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, fill, run_cli

VIOLATION = (
    "import os\nfrom twilio.rest import Client\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)
QUIET = "import json\n\nprint(json.dumps({'sms': 'not used'}))\n"

ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())


def _findings(proc) -> list[tuple]:
    assert proc.returncode in (0, 1), proc.stderr
    return [
        (item["filename"], item["code"], item["location"]["row"], item["location"]["column"])
        for item in json.loads(proc.stdout)
    ]


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=[str(p.relative_to(FIXTURES)) for p in ALL_FIXTURES])
def test_prefilter_never_hides_a_finding(path: Path):
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter

    raw = fill(path.read_text(encoding="utf-8", errors="replace")).encode()
    name = str(path.relative_to(FIXTURES))
    with_prefilter = Linter(Settings(select=["ALL"]), prefilter=True).lint_bytes(raw, name)
    without = Linter(Settings(select=["ALL"]), prefilter=False).lint_bytes(raw, name)
    assert with_prefilter.findings == without.findings


def _project(tmp_path: Path, files: int = 3) -> Path:
    src = tmp_path / "src"
    src.mkdir()
    for index in range(files):
        (src / f"module_{index:03}.py").write_text(VIOLATION if index % 3 == 0 else QUIET)
    return tmp_path


def test_cache_gives_the_same_results_and_notices_changes(tmp_path):
    root = _project(tmp_path)
    cache = tmp_path / "cache"
    env = {"TWILIO_LINT_CACHE_DIR": str(cache)}
    args = ("check", "--isolated", "--output-format", "json", "src")
    cold = _findings(run_cli(*args, cwd=root, env=env))
    [index] = cache.rglob("index.json")
    entries = json.loads(index.read_text())
    assert sorted(os.path.basename(path) for path in entries) == [
        "module_000.py", "module_001.py", "module_002.py"
    ]
    # Only the file that could report anything was linted (and its content hash kept); the
    # others are recorded as prefiltered out, so a warm run does not even read them.
    assert [("hash" in entry, entry.get("skipped", False)) for _, entry in sorted(entries.items())] == [
        (True, False), (False, True), (False, True)
    ]
    assert _findings(run_cli(*args, cwd=root, env=env)) == cold
    (root / "src" / "module_000.py").write_text(QUIET)
    assert _findings(run_cli(*args, cwd=root, env=env)) == []


def test_cache_notices_an_edit_that_keeps_size_and_mtime(tmp_path):
    """The stamp holds ctime and inode too: restoring the mtime after a same-size edit (as
    `touch -r`, tar and rsync do) does not fool it."""
    root = _project(tmp_path, files=1)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--isolated", "--output-format", "json", "src")
    target = root / "src" / "module_000.py"
    old = target.stat()
    os.utime(target, ns=(old.st_atime_ns, old.st_mtime_ns - 10**10))  # out of the racy window
    assert len(_findings(run_cli(*args, cwd=root, env=env))) == 1
    before = target.stat()
    quiet = QUIET.ljust(len(VIOLATION))
    assert len(quiet) == len(VIOLATION)
    with open(target, "r+", encoding="utf-8") as handle:  # same inode, same size
        handle.write(quiet)
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert target.stat().st_size == before.st_size
    assert _findings(run_cli(*args, cwd=root, env=env)) == []


def test_cache_hit_after_touch_and_copy(tmp_path):
    """A changed stamp with the same bytes (touch, a fresh checkout) is a hit, not a re-lint;
    a cached result is reported under the path given now."""
    root = _project(tmp_path, files=1)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--isolated", "--output-format", "json")
    cold = _findings(run_cli(*args, "src", cwd=root, env=env))
    os.utime(root / "src" / "module_000.py")
    assert _findings(run_cli(*args, "src", cwd=root, env=env)) == cold
    assert _findings(run_cli(*args, ".", cwd=root / "src", env=env)) == cold
    concise = run_cli("check", "--isolated", "--output-format", "concise", "--quiet", ".",
                      cwd=root / "src", env=env)
    assert concise.stdout.startswith("module_000.py:3:10: TWL101 ")


def test_a_warm_run_stats_each_file_once_and_reads_none(tmp_path, monkeypatch):
    """Discovery's stat (taken to tell a file's names apart) is the one the cache lookup
    uses: a warm run costs one stat per file, no read."""
    from collections import Counter

    from twilio_lint import cache, engine, runner
    from twilio_lint.config import Settings

    root = _project(tmp_path, files=6)
    files = sorted(str(path) for path in (root / "src").iterdir())
    monkeypatch.setattr(cache, "RACY_WINDOW_NS", 0)  # just written: trust their stamps anyway
    cache_dir = str(tmp_path / "cache")
    cold = list(runner.lint_tree(Settings(), [str(root / "src")], jobs=1, cache_dir=cache_dir))
    stats: Counter[str] = Counter()
    real_stat = os.stat

    def counting_stat(path, *args, **kwargs):
        stats[os.fspath(path)] += 1
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", counting_stat)
    monkeypatch.setattr(engine, "read_regular_file", lambda path, *_: pytest.fail(f"read {path}"))
    for jobs in (1, 2):
        stats.clear()
        warm = list(
            runner.lint_tree(Settings(), [str(root / "src")], jobs=jobs, cache_dir=cache_dir)
        )
        assert warm == cold
        assert [len(result.findings) for result in warm] == [1, 0, 0, 1, 0, 0]
        assert {path: stats[path] for path in files} == {path: 1 for path in files}


WARM_IMPORTS = (
    "import sys\nfrom twilio_lint.cli import main\n"
    "try:\n    main(['check', '--isolated', '-q', '--output-format', 'concise', 'src'])\n"
    "except SystemExit:\n    pass\n"
    "print(sorted(name for name in sys.modules if name.startswith(("
    "'hashlib', '_hashlib', 'shutil', 'pathlib', 'twilio_lint.rules.', 'twilio_lint.facts',"
    " 'libcst'))))\n"
)


def test_a_warm_run_imports_no_rule_no_fact_and_no_hashlib(tmp_path):
    """What a warm run needs is in the cache: hashlib (whose import loads OpenSSL) is for
    hashing files that changed, rules and facts for linting them (-q: the summary's
    fixable count is another matter); shutil (argparse's, for the terminal's width) and
    pathlib for nothing. Run without site (-S): an editable install's path finder imports
    pathlib before any of our code."""
    from tests.robustness_helpers import pythonpath_env

    root = _project(tmp_path)
    env = {**os.environ, **pythonpath_env(), "TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-S", "-c", WARM_IMPORTS], cwd=root, env=env, capture_output=True,
            text=True, check=True,
        ).stdout.splitlines()
        for _ in range(2)
    ]
    assert runs[0][:-1] == runs[1][:-1]
    assert runs[1][0].startswith("src/module_000.py:3:10: TWL101 Twilio client authenticated ")
    cold_imports, warm_imports = runs[0][-1], runs[1][-1]
    assert "twilio_lint.rules.auth.twl101_auth_token_client" in cold_imports
    assert warm_imports == "[]"


def test_corrupted_cache_entries_are_ignored(tmp_path):
    root = _project(tmp_path)
    env = {"TWILIO_LINT_CACHE_DIR": str(tmp_path / "cache")}
    args = ("check", "--isolated", "--output-format", "json", "src")
    cold = _findings(run_cli(*args, cwd=root, env=env))
    for entry in (tmp_path / "cache").rglob("*.json"):
        entry.write_text('{"findings": [{"code": ')
    warm = run_cli(*args, cwd=root, env=env)
    assert "Traceback" not in warm.stderr
    assert _findings(warm) == cold
    # Well-formed JSON of the wrong shape is a miss too, even under the file's current stamp.
    from twilio_lint.cache import file_stamp

    for path in (root / "src").iterdir():
        old = path.stat()
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns - 10**10))  # out of the racy window
    for index in (tmp_path / "cache").rglob("index.json"):
        index.write_text(json.dumps({
            str(path): {"stamp": file_stamp(path.stat()), "hash": 7, "findings": "x", "deps": []}
            for path in (root / "src").iterdir()
        }))
    warm = run_cli(*args, cwd=root, env=env)
    assert "Traceback" not in warm.stderr
    assert _findings(warm) == cold


def test_no_cache_writes_nothing_and_clean_removes_the_cache(tmp_path):
    root = _project(tmp_path)
    run_cli("check", "--isolated", "--no-cache", "src", cwd=root)
    assert not (root / ".twilio_lint_cache").exists()
    run_cli("check", "--isolated", "src", cwd=root)
    assert (root / ".twilio_lint_cache" / "CACHEDIR.TAG").is_file()
    cleaned = run_cli("clean", cwd=root)
    assert cleaned.returncode == 0
    assert cleaned.stdout.startswith("Removed ")
    assert not (root / ".twilio_lint_cache").exists()


def test_cache_is_dropped_when_an_imported_project_module_changes(tmp_path):
    from twilio_lint.cache import consulted_files
    from twilio_lint.config import Settings
    from twilio_lint.runner import FileLinter

    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    helper = tmp_path / "helpers.py"
    helper.write_text("def get_client():\n    return None\n")
    app = tmp_path / "app.py"
    app.write_text("import twilio\nfrom helpers import get_client\nget_client().messages.list()\n")
    cache_dir = str(tmp_path / "cache")
    linter = FileLinter(Settings(select=["ALL"]), cache_dir)
    assert linter.lint(str(app)).findings == []
    assert str(helper) in consulted_files
    linter.save()
    warm = FileLinter(Settings(select=["ALL"]), cache_dir)
    assert warm.cache is not None
    # the module read (its stamp) and the package file looked for beside it (missing: None)
    deps = warm.cache.entries[str(app)]["deps"]
    package = str(tmp_path / "helpers" / "__init__.py")
    assert deps.keys() == {str(helper), package}
    assert deps[package] is None and len(deps[str(helper)]) == 3
    helper.write_text("from twilio.rest import Client\ndef get_client():\n    return Client()\n")
    assert [f.code for f in warm.lint(str(app)).findings] == ["TWL203"]


@pytest.mark.slow
def test_jobs_give_the_same_results_as_one_process(tmp_path, monkeypatch):
    from twilio_lint import runner
    from twilio_lint.config import Settings

    root = _project(tmp_path, files=160)  # 54 files to parse
    padding = "# " + "x" * 78 + "\n"
    for path in sorted((root / "src").glob("*.py"))[::3]:  # big enough to be worth a pool
        path.write_text(path.read_text() + padding * 300)
    one = _findings(run_cli("check", "--isolated", "--no-cache", "-j", "1",
                            "--output-format", "json", "src", cwd=root))
    two = _findings(run_cli("check", "--isolated", "--no-cache", "-j", "2",
                            "--output-format", "json", "src", cwd=root))
    assert len(one) == 54
    assert one == two
    # The same run in-process, watching that the pool did start.
    pooled = []
    real_pool = runner._pooled
    monkeypatch.setattr(runner, "_pooled", lambda *a: pooled.append(a) or real_pool(*a))
    results = list(runner.lint_tree(Settings(), [str(root / "src")], jobs=2))
    assert len(pooled) == 1 and len(pooled[0][1]) == 54
    assert sum(len(result.findings) for result in results) == 54


def test_a_small_batch_is_linted_without_a_pool(tmp_path, monkeypatch):
    from twilio_lint import runner
    from twilio_lint.config import Settings

    root = _project(tmp_path, files=160)  # 54 small files to parse: 10 KB in all
    monkeypatch.setattr(runner, "_pooled", lambda *a: pytest.fail("pool started"))
    results = list(runner.lint_tree(Settings(), [str(root / "src")], jobs=2))
    assert sum(len(result.findings) for result in results) == 54


def test_jobs_must_be_positive(tmp_path):
    proc = run_cli("check", "-j", "0", ".", cwd=tmp_path)
    assert proc.returncode == 2
    assert "expected a positive integer" in proc.stderr


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
                        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com",
                        "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(cwd)})


def test_changed_since_lints_only_changed_and_untracked_files(tmp_path):
    root = _project(tmp_path, files=7)  # violations in module_000, 003, 006
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-qm", "base")
    (root / "src" / "module_003.py").write_text(VIOLATION + "# changed\n")
    (root / "src" / "new.py").write_text(VIOLATION)
    proc = run_cli("check", "--isolated", "--output-format", "concise", "--changed-since",
                   "HEAD", "src", cwd=root)
    files = sorted({line.split(":")[0] for line in proc.stdout.splitlines()[:-2]})
    assert files == ["src/module_003.py", "src/new.py"]


def test_changed_since_unknown_revision_is_a_usage_error(tmp_path):
    root = _project(tmp_path)
    _git(root, "init", "-q")
    proc = run_cli("check", "--changed-since", "no-such-rev", "src", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.startswith("twilio-lint: error: git diff")
    assert len(proc.stderr.splitlines()) == 1


def test_cached_findings_follow_the_file_and_its_includes():
    from twilio_lint.runner import _renamed

    # The linted file itself: always the name given now.
    assert _renamed("src/app.py", "src/app.py", "app.py") == "app.py"
    # A finding in a file it included moves with it (linted from another directory).
    assert _renamed("reqs/base.txt", "reqs/requirements.txt", "requirements.txt") == "base.txt"
    assert _renamed("/r/reqs/base.txt", "/r/reqs/requirements.txt", "reqs/requirements.txt") == (
        "reqs/base.txt"
    )
    assert _renamed("other.pip", "requirements.txt", "requirements.txt") == "other.pip"



# --- memory: one parsed file at a time ---------------------------------------------------------

FREED_SOURCE = '''\
import time
from flask import Flask, request
from tenacity import retry, wait_exponential
from twilio.rest import Client
from twilio.twiml.voice_response import VoiceResponse

app = Flask(__name__)
client = Client(key, secret, account)


@retry(wait=wait_exponential())
def send(to):
    return client.messages.create(to=to, body="hi", status_callback="http://x/cb")


@app.route("/voice", methods=["POST"])
def voice():
    response = VoiceResponse()
    response.redirect("http://example.com/next")
    return str(response)


def wait_for(sid):
    call = client.calls(sid).fetch()
    while call.status != "completed":
        time.sleep(5)
        call = client.calls(sid).fetch()
    for recording in client.recordings.list():
        recording.delete()
'''


def test_a_linted_module_is_freed_without_the_cycle_collector():
    # The fact providers point back at their module; the engine drops them after the rules ran,
    # so the tree goes by reference counting (with the collector off, nothing else frees it).
    import ast
    import gc
    import weakref

    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter

    linter = Linter(Settings(select=["ALL"]))
    tree = ast.parse(FREED_SOURCE)
    gone = weakref.ref(tree)
    gc.disable()
    try:
        result = linter.lint_python_source(FREED_SOURCE, "app.py", tree)
        del tree
        assert gone() is None
    finally:
        gc.enable()
    # every kind of fact provider was built: clients, resources, traffic, TwiML, routes, retries
    assert sorted({finding.code for finding in result.findings}) == [
        "TWL103", "TWL104", "TWL201", "TWL203", "TWL204", "TWL302", "TWL306",
    ]
