"""Configuration files: found upward, validated key by key, errors name the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

VIOLATION = (
    "import os\nfrom twilio.rest import Client\n"
    'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
)


def _tree(tmp_path: Path, config_name: str, config_text: str) -> Path:
    (tmp_path / config_name).write_text(config_text)
    src = tmp_path / "src" / "pkg"
    src.mkdir(parents=True)
    (src / "app.py").write_text(VIOLATION)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_app.py").write_text(VIOLATION)
    return tmp_path


def test_pyproject_found_from_a_subdirectory(tmp_path):
    root = _tree(tmp_path, "pyproject.toml", '[tool.twilio-lint]\nignore = ["TWL101"]\n')
    proc = run_cli("check", "src/pkg/app.py", cwd=root)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    deeper = run_cli("check", "app.py", cwd=root / "src" / "pkg")
    assert deeper.returncode == 0


def test_pyproject_without_our_table_is_skipped_on_the_way_up(tmp_path):
    root = _tree(tmp_path, ".twilio-lint.yaml", "ignore: [TWL101]\n")
    (root / "src" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    proc = run_cli("check", "src/pkg/app.py", cwd=root)
    assert proc.returncode == 0, proc.stdout


def test_yaml_per_file_ignores_and_exclude(tmp_path):
    root = _tree(
        tmp_path,
        ".twilio-lint.yaml",
        "per-file-ignores:\n  'tests/*': [TWL1]\nexclude: [legacy]\n",
    )
    (root / "legacy").mkdir()
    (root / "legacy" / "old.py").write_text(VIOLATION)
    proc = run_cli("check", "--output-format", "concise", ".", cwd=root)
    assert proc.returncode == 1
    assert [line.split(":")[0] for line in proc.stdout.splitlines()[:-1]] == ["src/pkg/app.py"]


def test_named_path_is_linted_even_when_excluded_unless_force_exclude(tmp_path):
    root = _tree(tmp_path, ".twilio-lint.yaml", "exclude: ['src/pkg/app.py']\n")
    assert run_cli("check", "src/pkg/app.py", cwd=root).returncode == 1
    assert run_cli("check", "--force-exclude", "src/pkg/app.py", cwd=root).returncode == 0


def test_explicit_config_flag_and_isolated(tmp_path):
    root = _tree(tmp_path, "other.toml", '[tool.twilio-lint]\nselect = ["TWL106"]\n')
    assert run_cli("check", "--config", "other.toml", "src", cwd=root).returncode == 0
    assert run_cli("check", "--isolated", "src", cwd=root).returncode == 1


def test_cli_flags_override_config(tmp_path):
    root = _tree(tmp_path, ".twilio-lint.yaml", "ignore: [TWL101]\n")
    assert run_cli("check", "--select", "TWL101", "src", cwd=root).returncode == 1


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "pyproject.toml",
            '[tool.twilio-lint]\nselct = ["TWL101"]\n',
            "pyproject.toml: unknown key 'selct'",
        ),
        (
            "pyproject.toml",
            '[tool.twilio-lint]\nclient_factories = ["x"]\n',
            "pyproject.toml: unknown key 'client_factories' (did you mean 'client-factories'?)",
        ),
        (
            "pyproject.toml",
            '[tool.twilio-lint]\nselect = "TWL101"\n',
            "pyproject.toml: key 'select' must be a list of strings",
        ),
        (
            "pyproject.toml",
            '[tool.twilio-lint]\nignore = ["TWL999"]\n',
            "pyproject.toml: key 'ignore': unknown rule code or prefix: 'TWL999'",
        ),
        (
            "pyproject.toml",
            "[tool.twilio-lint]\nmax-file-bytes = true\n",
            "pyproject.toml: key 'max-file-bytes' must be an integer, not a boolean",
        ),
        (
            ".twilio-lint.yaml",
            "client-factories: get_client\n",
            ".twilio-lint.yaml: key 'client-factories' must be a list, not str",
        ),
        (".twilio-lint.yaml", "- just\n- a list\n",
         ".twilio-lint.yaml: the top level must be a mapping of settings"),
    ],
)
def test_config_errors_are_one_line_and_exit_2(tmp_path, name, text, message):
    root = _tree(tmp_path, name, text)
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("twilio-lint: error: ")
    assert lines[0].endswith(message), lines[0]


@pytest.mark.parametrize(
    ("name", "text", "start"),
    [
        ("pyproject.toml", "[tool.twilio-lint\nselect = 1\n", "pyproject.toml: invalid TOML: "),
        (".twilio-lint.yaml", "select: [TWL101\n", ".twilio-lint.yaml: invalid YAML: "),
        (".twilio-lint.yaml", "!!python/object/apply:os.system ['echo hi']\n",
         ".twilio-lint.yaml: invalid YAML: "),
    ],
)
def test_unparseable_config_is_a_clear_error(tmp_path, name, text, start):
    root = _tree(tmp_path, name, text)
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(root / start.split(":")[0]) in proc.stderr or start in proc.stderr
    assert start.split(": ", 1)[1] in proc.stderr


def test_client_factories_option_is_used(tmp_path):
    root = _tree(tmp_path, ".twilio-lint.yaml", "client-factories: [make_twilio]\nselect: [TWL]\n")
    (root / "src" / "pkg" / "app.py").write_text("import twilio\nclient = make_twilio()\n")
    assert run_cli("check", "src", cwd=root).returncode == 0
