"""Per-file configuration, as Ruff resolves it, in a real temporary git repository holding a
monorepo: each file is checked with its nearest configuration file, whatever the order of the
arguments, from ``check .``, file by file (pre-commit), in flake8 and in the language server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import parse_flake8, run_cli, run_flake8
from tests.test_files_like_ruff import VIOLATION, flagged, git_repo

#: TWL101 at 5:10, TWL103 at 13:25.
WORKER = '''import os

from twilio.rest import Client

client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])


def send_receipt(order):
    return client.messages.create(
        to=order.phone,
        from_=os.environ["TWILIO_NUMBER"],
        body=f"Order {order.id} shipped",
        status_callback="http://hooks.example.com/twilio/status",
    )
'''

EXPECTED = sorted([
    "app.py:3:10: TWL101",
    "svcA/worker.py:13:25: TWL103",
    "svcB/app.py:5:10: TWL101",
    "svcB/app.py:13:25: TWL103",
    "svcB/tests/test_app.py:13:25: TWL103",
])


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    return make_monorepo(tmp_path)


def make_monorepo(tmp_path: Path) -> Path:
    return git_repo(tmp_path / "mono", {
        "pyproject.toml": '[tool.twilio-lint]\nignore = ["TWL103"]\n',
        "app.py": VIOLATION,
        "svcA/.twilio-lint.yaml": "ignore: [TWL101]\n",
        "svcA/worker.py": WORKER,
        "svcB/pyproject.toml": (
            '[project]\nname = "svc-b"\n\n[tool.twilio-lint]\nexclude = ["legacy"]\n'
            'per-file-ignores = { "tests/**/*.py" = ["TWL101"] }\n'
        ),
        "svcB/app.py": WORKER,
        "svcB/tests/test_app.py": WORKER,
        "svcB/legacy/old.py": WORKER,
    })


@pytest.mark.parametrize(
    "args",
    [
        ["."],
        ["svcA", "svcB", "app.py"],
        ["svcB", "svcA", "app.py"],
        ["app.py", "svcB", "svcA"],
        # as pre-commit passes staged files, in any order
        ["--force-exclude", "svcB/tests/test_app.py", "svcB/legacy/old.py", "svcA/worker.py",
         "app.py", "svcB/app.py"],
    ],
    ids=["dot", "a-b", "b-a", "root-first", "pre-commit"],
)
def test_same_findings_for_every_argument_order(monorepo: Path, args: list[str]):
    assert sorted(flagged(*args, cwd=monorepo)) == EXPECTED


def test_same_findings_from_a_subfolder_and_with_the_cache(monorepo: Path):
    inside = flagged(".", cwd=monorepo / "svcB")
    assert sorted(inside) == sorted(
        line.removeprefix("svcB/") for line in EXPECTED if line.startswith("svcB/")
    )
    proc = run_cli("check", ".", "--output-format", "concise", "-q", cwd=monorepo)
    assert sorted(_codes(proc.stdout)) == EXPECTED
    # The result cache follows each file's settings: a changed svcA config is seen at once.
    (monorepo / "svcA" / ".twilio-lint.yaml").write_text("ignore: [TWL103]\n")
    again = run_cli("check", ".", "--output-format", "concise", "-q", cwd=monorepo)
    expected = sorted([
        *(line for line in EXPECTED if not line.startswith("svcA/")), "svcA/worker.py:5:10: TWL101"
    ])
    assert sorted(_codes(again.stdout)) == expected


def test_a_walk_looks_up_only_the_config_files_its_listings_show(monorepo: Path, monkeypatch):
    """The walk lists every folder anyway: a configuration file it did not list is not
    looked for there; each file still gets its nearest configuration."""
    import os

    from twilio_lint.config import SettingsResolver
    from twilio_lint.engine import Linters, discover

    config_names = (".twilio-lint.yaml", ".twilio-lint.yml", "pyproject.toml")
    looked_up = []
    for name in ("lstat", "stat"):
        def recording(path, *args, real=getattr(os, name), **kwargs):
            if os.path.basename(path) in config_names:
                looked_up.append(os.path.relpath(path, monorepo))
            return real(path, *args, **kwargs)

        monkeypatch.setattr(os, name, recording)
    resolver = SettingsResolver()
    found = [path for path, _, _ in discover([str(monorepo)], Linters(resolver))]
    monkeypatch.undo()
    # Each once as a configuration, once as a file discovery found (its stat).
    assert sorted(path for path in looked_up if not path.startswith("..")) == [
        "pyproject.toml", "pyproject.toml", "svcA/.twilio-lint.yaml", "svcA/.twilio-lint.yaml",
        "svcB/pyproject.toml", "svcB/pyproject.toml",
    ]
    configs = {
        os.path.relpath(path, monorepo): os.path.relpath(
            resolver.config_for_directory(os.path.dirname(path)), monorepo
        )
        for path in found
    }
    assert configs == {
        "app.py": "pyproject.toml",
        "pyproject.toml": "pyproject.toml",
        "svcA/.twilio-lint.yaml": "svcA/.twilio-lint.yaml",
        "svcA/worker.py": "svcA/.twilio-lint.yaml",
        "svcB/app.py": "svcB/pyproject.toml",
        "svcB/pyproject.toml": "svcB/pyproject.toml",
        "svcB/tests/test_app.py": "svcB/pyproject.toml",
    }


def _codes(stdout: str) -> list[str]:
    return [" ".join(line.split(" ", 2)[:2]) for line in stdout.splitlines()]


def test_flake8_gives_each_file_the_same_findings(monorepo: Path):
    files = ["app.py", "svcA/worker.py", "svcB/app.py", "svcB/tests/test_app.py",
             "svcB/legacy/old.py"]
    proc = run_flake8(*files, cwd=monorepo)  # flake8's defaults: opt-in rules stay off
    assert proc.returncode in (0, 1), proc.stderr
    found = sorted(f"{path}:{line}:{col}: {code}" for path, code, line, col in
                   parse_flake8(proc.stdout))
    assert found == EXPECTED


def test_show_settings_names_the_config_of_one_file(monorepo: Path):
    proc = run_cli("check", "--show-settings", "svcB/tests/test_app.py", cwd=monorepo)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert f"config file: {monorepo / 'svcB' / 'pyproject.toml'}" in lines
    assert f"relative patterns are relative to: {monorepo / 'svcB'}" in lines
    assert "per-file-ignores (this file): ['TWL101']" in lines
    assert "excluded: no" in lines
    legacy = run_cli("check", "--show-settings", "svcB/legacy/old.py", cwd=monorepo)
    assert "excluded: yes" in legacy.stdout.splitlines()
    root = run_cli("check", "--show-settings", "app.py", cwd=monorepo)
    assert f"config file: {monorepo / 'pyproject.toml'}" in root.stdout.splitlines()
    assert "ignore: ['TWL103']" in root.stdout.splitlines()


def test_flake8_says_a_broken_config_once(tmp_path: Path):
    repo = git_repo(tmp_path / "repo", {
        "pyproject.toml": "[tool.twilio-lint]\nignor = ['TWL101']\n",
        "a/app.py": VIOLATION,
        "b/app.py": VIOLATION,
    })
    proc = run_flake8("-j1", "--select", "TWL", "a/app.py", "b/app.py", cwd=repo)
    assert proc.stderr.splitlines() == [
        f"twilio-lint: error: {repo / 'pyproject.toml'}: unknown key 'ignor' "
        "(did you mean 'ignore'?)"
    ]
    found = sorted(f"{path}:{line}:{col}: {code}" for path, code, line, col in
                   parse_flake8(proc.stdout) if code == "TWL101")
    assert found == ["a/app.py:3:10: TWL101", "b/app.py:3:10: TWL101"]  # defaults, still run
