"""Replayed checks (``twilio_lint/replay.py``): the same check on unchanged inputs prints the
recorded output without importing the linter, and any change to an input is a miss whose
answer is the one a run without the cache gives.

Every run is the real command in a subprocess. A run records only when none of its inputs
changed within two seconds of its start (a stamp cannot see a change made in the same clock
tick): the trees are made once, then the fixture waits that long.
"""

from __future__ import annotations

import compileall
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from twilio_lint import inputs, replay

APP = (
    "import os\n"
    "import twilio\n"
    "from twilio.rest import Client\n"
    "from helpers import get_client\n"
    "\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    "get_client().messages.list()\n"
)
HELPERS_WITHOUT_CLIENT = "def get_client():\n    return None\n"
HELPERS_WITH_CLIENT = "from twilio.rest import Client\n\ndef get_client():\n    return Client()\n"
IGNORE_TWL101 = '[project]\nname = "shop"\n\n[tool.twilio-lint]\nignore = ["TWL101"]\n'


def _make_tree(top: Path) -> Path:
    project = top / "project"
    project.mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (project / "app.py").write_text(APP)
    (project / "helpers.py").write_text(HELPERS_WITHOUT_CLIENT)
    (project / "requirements.txt").write_text("twilio==7.16.0\n")
    (project / "notes.txt").write_text("nothing to lint here\n")
    (project / "jobs").mkdir()
    (project / "jobs" / "__init__.py").write_text("")
    return project


def _edit(project: Path, env: dict) -> None:
    (project / "app.py").write_text(APP.replace("client = Client", "client = None  # Client"))


def _add(project: Path, env: dict) -> None:
    (project / "other.py").write_text(APP)


def _add_below(project: Path, env: dict) -> None:
    (project / "jobs" / "nightly.py").write_text(APP)


def _remove(project: Path, env: dict) -> None:
    (project / "app.py").unlink()


def _rename(project: Path, env: dict) -> None:
    (project / "notes.txt").rename(project / "notes.py")
    (project / "notes.py").write_text(APP)


def _project_module(project: Path, env: dict) -> None:
    (project / "helpers.py").write_text(HELPERS_WITH_CLIENT)


def _manifest(project: Path, env: dict) -> None:
    (project / "requirements.txt").write_text("twilio>=9.13.0\n")


def _config_edited(project: Path, env: dict) -> None:
    (project / "pyproject.toml").write_text(IGNORE_TWL101)


def _config_above(project: Path, env: dict) -> None:
    (project.parent / "pyproject.toml").write_text(IGNORE_TWL101.replace("[project]\n", ""))
    (project / "pyproject.toml").unlink()  # else it is the project's root: nothing above counts


def _config_above_kept(project: Path, env: dict) -> None:
    (project.parent / ".twilio-lint.yaml").write_text("ignore: [TWL101]\n")


def _gitignore(project: Path, env: dict) -> None:
    (project / ".gitignore").write_text("app.py\n")


def _repository_above(project: Path, env: dict) -> None:
    (project.parent / ".git").mkdir()
    (project.parent / ".gitignore").write_text("project/app.py\n")


def _mode(project: Path, env: dict) -> None:
    os.chmod(project / "app.py", 0o600)


def _environment(project: Path, env: dict) -> None:
    env["TWILIO_LINT_TEST_SOMETHING"] = "1"


CHANGES = {
    "a file edited": _edit,
    "a file added": _add,
    "a file added in a folder below": _add_below,
    "a file removed": _remove,
    "a file renamed into a candidate": _rename,
    "a project module it reads edited": _project_module,
    "a manifest edited": _manifest,
    "its pyproject.toml given a [tool.twilio-lint] table": _config_edited,
    "a config file made above the tree": _config_above,
    "a config file made above its folder without our table": _config_above_kept,
    "a .gitignore made": _gitignore,
    "a repository made above it": _repository_above,
    "a file's mode changed": _mode,
    "an environment variable set": _environment,
}


def _per_file_ignores_tree(top: Path) -> Path:
    project = _make_tree(top)
    (project / "sub").mkdir()
    (project / "sub" / "app.py").write_text(APP)
    (project / "pyproject.toml").write_text(PER_FILE_IGNORES)
    return project


def _per_file_ignores_moved(project: Path) -> None:
    """The same table in a subproject: its patterns are now relative to sub/."""
    (project / "sub" / "pyproject.toml").write_text(PER_FILE_IGNORES)


def _linked_package_tree(top: Path) -> Path:
    project = _make_tree(top)
    (project / "app.py").write_text(APP.replace("from helpers ", "from lib.helpers "))
    shared = top / "shared" / "lib"
    shared.mkdir(parents=True)
    (shared / "__init__.py").write_text("")
    (shared / "helpers.py").write_text(HELPERS_WITH_CLIENT)
    (project / "lib").symlink_to(shared)  # read for facts only through real folders
    return project


def _linked_package_vendored(project: Path) -> None:
    (project / "lib").unlink()
    shutil.copytree(project.parent / "shared" / "lib", project / "lib")


def _dangling_config_tree(top: Path) -> Path:
    project = _make_tree(top)
    (top / "pyproject.toml").symlink_to(top / "shared.toml")  # names nothing yet
    return project


def _dangling_config_target_made(project: Path) -> None:
    (project.parent / "shared.toml").write_text(IGNORE_TWL101.replace("[project]\n", ""))


def _linked_lock_tree(top: Path) -> Path:
    from tests.test_cache_probes import HELD_BACK_PYPROJECT, LOCKED_8_13

    project = _make_tree(top)
    (project / "pyproject.toml").write_text(HELD_BACK_PYPROJECT)
    (top / "elsewhere.lock").write_text(LOCKED_8_13)
    (project / "poetry.lock").symlink_to(top / "elsewhere.lock")  # a link is never read
    return project


def _linked_lock_copied(project: Path) -> None:
    (project / "poetry.lock").unlink()
    shutil.copyfile(project.parent / "elsewhere.lock", project / "poetry.lock")


PER_FILE_IGNORES = '[tool.twilio-lint]\nper-file-ignores = { "sub/app.py" = ["TWL101"] }\n'
#: What a file looked for is (a file, a folder, a link) and the settings' folder matter, not
#: only whether it is there: each change below turns the answer around.
KIND_CHANGES = {
    "per-file-ignores re-anchored": (_per_file_ignores_tree, _per_file_ignores_moved, (".",)),
    "a linked package folder vendored": (
        _linked_package_tree, _linked_package_vendored, ("app.py",)
    ),
    "a dangling config link's target made": (
        _dangling_config_tree, _dangling_config_target_made, (".",)
    ),
    "a linked lock made a file": (
        _linked_lock_tree, _linked_lock_copied, ("--select", "TWL401", "pyproject.toml")
    ),
}


@pytest.mark.parametrize("change", KIND_CHANGES)
def test_a_change_of_what_a_path_is_or_where_settings_sit_is_a_miss(trees, change):
    project = trees[change]
    env = _env(project)
    args = (*KIND_CHANGES[change][2], "--output-format", "concise")
    recorded = _run(project, *args, env=env)
    assert len(_records(project)) == 1, recorded
    KIND_CHANGES[change][1](project)
    after = _run(project, *args, env=env, importtime=True)
    uncached = _run(project, *args, "--no-cache", env=env)
    assert after[:3] == uncached[:3]
    assert after[1] != recorded[1]  # the change turned the answer around


#: Runs that write files, or do not use the cache.
NOT_RECORDED = [
    ("--no-cache",),
    ("--output-file", "report.txt"),
    ("--fix",),
    ("--fix-only", "--diff"),
    ("--write-baseline", "baseline.json"),
    ("--add-noqa",),
    ("--show-settings",),
]


@pytest.fixture(scope="module")
def trees(tmp_path_factory) -> dict[str, Path]:
    names = [*CHANGES, *(" ".join(args) for args in NOT_RECORDED), "same", "forged", "linked",
             "in-tree cache", "stdin", "module outside", "audited", "repository",
             "linked folder"]
    made = {name: _make_tree(tmp_path_factory.mktemp("replay")) for name in names}
    for name, (build, _change, _args) in KIND_CHANGES.items():
        made[name] = build(tmp_path_factory.mktemp("replay"))
    (made["repository"] / ".git" / "info").mkdir(parents=True)
    # The tool's folders are inputs: a first run must not be the one that adds their
    # __pycache__ (a fresh checkout), or a record would be a miss for the next run.
    compileall.compile_dir(os.path.dirname(replay.__file__), quiet=1)
    (made["repository"] / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    _make_it_read_everything(made["audited"])
    time.sleep(replay.RACY_WINDOW_NS / 1e9 + 0.2)  # older than a clock tick's doubt
    return made


def _make_it_read_everything(project: Path) -> None:
    """Every kind of file a check reads besides the checked ones: a config file with a
    baseline, ignore files, a requirement include, a project module, Django settings."""
    (project / ".twilio-lint.yaml").write_text("baseline: baseline.json\nextend-select: [ALL]\n")
    (project / "baseline.json").write_text('{"version": 1, "findings": []}\n')
    (project / ".gitignore").write_text("*.log\n")
    (project / "jobs" / ".ignore").write_text("scratch/\n")
    (project / "requirements").mkdir()
    (project / "requirements" / "base.txt").write_text("twilio==8.0.0\n")
    (project / "requirements.txt").write_text("-r requirements/base.txt\nflask==3.0.0\n")
    (project / "manage.py").write_text(
        'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
    )
    (project / "shop").mkdir()
    (project / "shop" / "__init__.py").write_text("")
    (project / "shop" / "settings.py").write_text('TWILIO_ACCOUNT_SID = "x"\n')
    (project / "shop" / "urls.py").write_text(
        "from django.urls import path\nfrom shop import views\n"
        'urlpatterns = [path("sms", views.sms)]\n'
    )
    (project / "shop" / "views.py").write_text(
        "from twilio.twiml.messaging_response import MessagingResponse\n\n"
        "def sms(request):\n    return MessagingResponse()\n"
    )


AUDITED_RUN = """
import json, os, sys
opened = set()
def hook(event, args):
    if event in ("open", "os.scandir", "os.listdir") and args and isinstance(args[0], str):
        opened.add(os.path.abspath(args[0]))
sys.addaudithook(hook)
from twilio_lint.cli import main
code = main(["check", ".", "-j", "1"], replayable=True)
print(json.dumps(sorted(opened)), file=sys.stderr)
"""


def test_every_file_a_check_opens_or_lists_is_an_input_of_its_record(trees):
    """What the run read, found by the interpreter's audit events (open, scandir, listdir),
    not by our own bookkeeping: each path of the tree among them is in the record."""
    import json

    project = trees["audited"]
    proc = subprocess.run(
        [sys.executable, "-c", AUDITED_RUN], cwd=project, env=_env(project),
        capture_output=True, text=True, timeout=300,
    )
    opened = {path for path in json.loads(proc.stderr.splitlines()[-1])
              if path == str(project) or path.startswith(str(project) + os.sep)}
    [record] = _records(project)
    code, lines, _ = replay._parse(record.read_bytes())
    recorded = {os.path.abspath(os.path.join(project, line.partition(" ")[2])) for line in lines}
    assert opened - recorded == set()
    names = {os.path.relpath(path, project) for path in opened}
    # The run did read each kind of file (else the test proves nothing about it).
    assert {".twilio-lint.yaml", "baseline.json", ".gitignore", "jobs/.ignore",
            "requirements/base.txt", "shop/settings.py", "shop/urls.py", "helpers.py"} <= names
    # And the libraries that read them: an upgrade in place is a miss.
    import pathspec
    import yaml

    assert {pathspec.__file__, yaml.__file__} <= recorded


def _run(project: Path, *args: str, env: dict, importtime: bool = False):
    command = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "twilio_lint"]
    proc = subprocess.run(
        [*command, "check", *args], cwd=project, env=env, capture_output=True, text=True,
        timeout=300,
    )
    lines = proc.stderr.splitlines(keepends=True)
    imported = [
        line.rsplit("|", 1)[-1].strip() for line in lines if line.startswith("import time:")
    ]
    stderr = "".join(line for line in lines if not line.startswith("import time:"))
    return proc.returncode, proc.stdout, stderr, imported


def _env(project: Path) -> dict:
    return {**os.environ, "TWILIO_LINT_CACHE_DIR": str(project.parent / "cache")}


def _records(project: Path) -> list[Path]:
    return sorted((project.parent / "cache" / replay.FOLDER).glob("*"))


def test_an_unchanged_check_is_replayed_without_importing_the_linter(trees):
    project = trees["same"]
    env = _env(project)
    first = _run(project, ".", "--output-format", "concise", env=env)
    assert first[0] == 1
    assert "app.py:6:10: TWL101 " in first[1] and "requirements.txt:1:7: TWL401 " in first[1]
    assert len(_records(project)) == 1
    again = _run(project, ".", "--output-format", "concise", env=env, importtime=True)
    assert again[:3] == first[:3]
    assert "twilio_lint.replay" in again[3]
    linter = ("twilio_lint.cli", "twilio_lint.engine")
    assert not [name for name in again[3] if name.startswith(linter)]
    # Another command line is another record.
    other = _run(project, ".", "--output-format", "json", env=env)
    assert other[0] == 1 and other[1].startswith("[")
    assert len(_records(project)) == 2


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_an_input_is_a_miss_with_the_uncached_answer(trees, change):
    project = trees[change]
    env = _env(project)
    args = (".", "--output-format", "concise")
    recorded = _run(project, *args, env=env)
    assert len(_records(project)) == 1, recorded
    CHANGES[change](project, env)
    after = _run(project, *args, env=env, importtime=True)
    assert "twilio_lint.cli" in after[3]  # a miss: the linter ran
    uncached = _run(project, *args, "--no-cache", env=env)
    assert after[:3] == uncached[:3]


def test_a_project_module_read_but_not_checked_is_an_input(trees):
    """``check app.py``: helpers.py is not checked, only read for what get_client returns."""
    project = trees["module outside"]
    env = _env(project)
    recorded = _run(project, "app.py", env=env)
    assert "TWL203" not in recorded[1] and len(_records(project)) == 1
    _project_module(project, env)
    after = _run(project, "app.py", env=env, importtime=True)
    assert "twilio_lint.cli" in after[3]
    assert "app.py:7:1: TWL203" in after[1]


def test_what_git_writes_in_its_folder_is_not_an_input(trees):
    """Every git command writes in .git (its index, logs): only whether .git is there and
    what info/exclude says can change the answer."""
    project = trees["repository"]
    env = _env(project)
    recorded = _run(project, ".", env=env)
    (project / ".git" / "index").write_bytes(b"DIRC")
    (project / ".git" / "HEAD").write_text("ref: refs/heads/other\n")
    again = _run(project, ".", env=env, importtime=True)
    assert again[:3] == recorded[:3] and "twilio_lint.cli" not in again[3]
    (project / ".git" / "info" / "exclude").write_text("app.py\n")
    after = _run(project, ".", env=env, importtime=True)
    assert "twilio_lint.cli" in after[3] and "app.py" not in after[1]


def test_what_changes_the_answer_changes_it(trees):
    """The cases above are real changes of the answer where they should be (a miss that
    gives the same answer would pass them too)."""
    answers = {}
    for change in ("a file edited", "a project module it reads edited", "a manifest edited",
                   "a config file made above the tree", "a repository made above it"):
        project = trees[change]
        answers[change] = _run(project, ".", "--output-format", "concise", "--no-cache",
                               env=_env(project))[1]
    baseline = _run(trees["same"], ".", "--output-format", "concise", "--no-cache",
                    env=_env(trees["same"]))[1]
    assert "app.py:6:10: TWL101" in baseline and "TWL203" not in baseline
    assert "app.py:6:10: TWL101" not in answers["a file edited"]
    assert "app.py:7:1: TWL203" in answers["a project module it reads edited"]
    assert "TWL401" not in answers["a manifest edited"]
    assert "TWL101" not in answers["a config file made above the tree"]
    assert "app.py" not in answers["a repository made above it"]


def test_a_check_whose_inputs_just_changed_is_not_recorded(tmp_path):
    project = _make_tree(tmp_path)  # made this instant: within a clock tick's doubt
    soon = time.time() + 60  # and, however slow the machine, still changed "recently"
    os.utime(project / "app.py", (soon, soon))
    env = _env(project)
    assert _run(project, ".", env=env)[0] == 1
    assert _records(project) == []


@pytest.mark.parametrize("args", NOT_RECORDED)
def test_checks_that_write_files_are_never_recorded(trees, args):
    project = trees[" ".join(args)]
    env = _env(project)
    _run(project, ".", *args, env=env)
    assert _records(project) == []


def test_stdin_is_never_recorded(trees):
    project = trees["stdin"]
    env = _env(project)
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, "-m", "twilio_lint", "check", "-", "--stdin-filename", "app.py"],
            input=APP, cwd=project, env=env, capture_output=True, text=True, timeout=300,
        )
        assert proc.returncode == 1 and "app.py:6:10: TWL101" in proc.stdout
    assert _records(project) == []


def test_a_corrupted_or_forged_record_is_a_miss(trees):
    project = trees["forged"]
    env = {**_env(project), "PYTHONIOENCODING": "utf-8"}  # strict: no surrogateescape
    honest = _run(project, ".", env=env)
    [record] = _records(project)
    data = record.read_bytes()
    forgeries = [
        b"",
        b"garbage",
        data.replace(b"exit 1\n", b"exit 7\n", 1),  # only 0 and 1 are ever recorded
        data[: len(data) // 2],  # torn
        data.replace(b"Found ", b"Lost ", 1).replace(b"exit 1\n", b"exit 0\n", 1)
        + b"1 5\nfake\n",
    ]
    head, size, rest = data[len(replay.HEADER):].split(b"\n", 2)
    block = rest[: int(size)]

    def made_up(lines: bytes, output: bytes) -> bytes:
        return replay.HEADER + b"exit 0\n%d\n" % len(lines) + lines + output

    forgeries += [
        # trusts nothing of the tool: only the files a forger could name
        made_up(b"- /nonexistent\n", b"1 19\nAll checks passed!\n"),
        made_up(b" /x\n" + block, b"1 19\nAll checks passed!\n"),  # a stamp missing
        made_up(block, b"1 5\n\xff\xfe!\n\n"),  # text the run could not have written
    ]
    # A record whose stamps are not the files' (copied from another tree, or made up).
    stamp_line = next(line for line in data.split(b"\n") if line.endswith(b" app.py"))
    forgeries.append(data.replace(stamp_line, b"1:2:3:4:33188 " + stamp_line.split(b" ", 1)[1]))
    for forged in forgeries:
        record.write_bytes(forged)
        missed = _run(project, ".", env=env, importtime=True)
        assert "twilio_lint.cli" in missed[3] and "Traceback" not in missed[2]
        assert _run(project, ".", env=env)[:3] == honest[:3]


def test_a_record_in_a_linked_cache_folder_is_not_read(trees, tmp_path):
    """The run never writes through a linked .twilio_lint_cache: nor does a replay read one.
    Run from the folder above the project, whose cache folder is no input of the check."""
    project = trees["linked folder"]
    top = project.parent
    env = dict(os.environ)
    env.pop("TWILIO_LINT_CACHE_DIR", None)
    _run(top, "project", env=env)
    assert "twilio_lint.cli" not in _run(top, "project", env=env, importtime=True)[3]
    outside = tmp_path / "outside"
    (top / ".twilio_lint_cache").rename(outside)
    (top / ".twilio_lint_cache").symlink_to(outside)
    ran = _run(top, "project", env=env, importtime=True)
    assert "twilio_lint.cli" in ran[3]
    assert "is a symbolic link: the run goes on without a cache" in ran[2]


def test_a_record_reached_through_a_link_is_not_read(trees, tmp_path):
    project = trees["linked"]
    env = _env(project)
    _run(project, ".", env=env)
    [record] = _records(project)
    elsewhere = tmp_path / "elsewhere"
    record.rename(elsewhere)
    record.symlink_to(elsewhere)
    assert "twilio_lint.cli" in _run(project, ".", env=env, importtime=True)[3]


def test_the_default_in_tree_cache_replays_from_the_third_run(trees):
    """The first run creates .twilio_lint_cache in the folder it listed: its record is a
    miss for the second run, which records again; the third replays."""
    project = trees["in-tree cache"]
    env = dict(os.environ)
    env.pop("TWILIO_LINT_CACHE_DIR", None)
    first = _run(project, ".", env=env)
    time.sleep(replay.RACY_WINDOW_NS / 1e9 + 0.2)
    second = _run(project, ".", env=env, importtime=True)
    assert second[:3] == first[:3] and "twilio_lint.cli" in second[3]
    assert len(list((project / ".twilio_lint_cache" / replay.FOLDER).iterdir())) == 1
    third = _run(project, ".", env=env, importtime=True)
    assert third[:3] == first[:3] and "twilio_lint.cli" not in third[3]


def test_a_worker_that_saw_another_version_of_a_file_stops_the_record():
    inputs.start()
    try:
        inputs.watch(__file__)
        mark = len(inputs.order)
        inputs.watch(os.path.dirname(__file__))
        folder = os.path.dirname(__file__)
        assert inputs.since(mark) == [(folder, inputs.stamp(folder))]
        inputs.merge([("/nonexistent/x.py", inputs.MISSING)])
        assert inputs.refused is None and inputs.watched["/nonexistent/x.py"] == inputs.MISSING
        inputs.merge([(__file__, "1:2:3:4:5")])
        assert inputs.refused == f"{__file__} changed during the run"
    finally:
        inputs.stop()


POOLED_MODULE = (
    "import twilio\n"
    "from helpers import get_client\n"
    "\n"
    "get_client().messages.list()\n"
) + "".join(
    f"\n\ndef handler_{index}(payload):\n"
    f"    total = sum(item['amount'] for item in payload if item.get('kind') == 'sms')\n"
    f"    return {{'handler': {index}, 'total': total, 'count': len(payload)}}\n"
    for index in range(400)
)


@pytest.mark.slow
def test_what_workers_read_is_an_input_of_the_record(tmp_path):
    """With a pool (enough files and bytes to parse), helpers.py is read in the workers only:
    their stamps come back with the results."""
    project = tmp_path / "project"
    (project / "src").mkdir(parents=True)
    (project / "pyproject.toml").write_text('[project]\nname = "shop"\n')
    (project / "helpers.py").write_text(HELPERS_WITHOUT_CLIENT)
    for index in range(20):
        (project / "src" / f"module_{index:02}.py").write_text(POOLED_MODULE)
    assert sum(path.stat().st_size for path in (project / "src").iterdir()) > 1_000_000
    time.sleep(replay.RACY_WINDOW_NS / 1e9 + 0.2)
    env = _env(project)
    args = ("src", "-j", "2", "--output-format", "concise")
    recorded = _run(project, *args, env=env)
    assert recorded[0] == 0 and len(_records(project)) == 1
    [record] = _records(project)
    lines = replay._parse(record.read_bytes())[1]
    assert any(line.endswith(os.sep + "helpers.py") for line in lines)
    _project_module(project, env)
    after = _run(project, *args, env=env, importtime=True)
    assert "twilio_lint.cli" in after[3]
    assert after[1].count(": TWL203 ") == 20


def test_what_a_spawned_worker_read_is_watched_from_its_dependencies(tmp_path):
    """Where workers are spawned, not forked, they record no stamps: the files their results
    depended on are watched when the result is stored."""
    from twilio_lint.config import Settings
    from twilio_lint.engine import FileResult
    from twilio_lint.runner import FileLinter

    helper, marker = tmp_path / "helpers.py", tmp_path / "pyproject.toml"
    helper.write_text(HELPERS_WITHOUT_CLIENT)
    result = FileResult(str(tmp_path / "app.py"))
    result.observed = (None, "", {str(helper): True, str(marker): False}, [])
    inputs.start()
    try:
        FileLinter(Settings(select=["ALL"]), None).store(result)
        assert inputs.watched == {str(helper): inputs.stamp(str(helper)), str(marker): "?0"}
    finally:
        inputs.stop()
