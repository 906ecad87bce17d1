"""Configuration files: found upward, validated key by key, errors name the file and key."""

from __future__ import annotations

import os
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
    assert [line.split(":")[0] for line in proc.stdout.splitlines()[:-2]] == ["src/pkg/app.py"]


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
            "pyproject.toml: unknown key 'selct' (did you mean 'select'?)",
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


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", "[tool.twilio-lint]\nexclde = ['x']\n",
         "pyproject.toml: unknown key 'exclde' (did you mean 'exclude'?)"),
        (".twilio-lint.yaml", "per_file_ignore: {}\n",
         ".twilio-lint.yaml: unknown key 'per_file_ignore' (did you mean 'per-file-ignores'?)"),
        (".twilio-lint.yaml", "max-sdk-age: 30\n",
         ".twilio-lint.yaml: unknown key 'max-sdk-age' (did you mean 'max-sdk-age-days'?)"),
        ("pyproject.toml", "[tool.twilio-lint]\nignore = ['TWL1O1']\n",
         "pyproject.toml: key 'ignore': unknown rule code or prefix: 'TWL1O1' "
         "(did you mean 'TWL101'?)"),
        ("pyproject.toml", "[tool.twilio-lint]\nmax-sdk-age-days = -5\n",
         "pyproject.toml: key 'max-sdk-age-days' must be between 0 and 3,650, not -5"),
        (".twilio-lint.yaml", "max-file-bytes: 0\n",
         ".twilio-lint.yaml: key 'max-file-bytes' must be between 1 and 1,000,000,000, not 0"),
        ("pyproject.toml", "[tool.twilio_lint]\nignore = ['TWL101']\n",
         "pyproject.toml: the table is [tool.twilio-lint] (with a hyphen), not [tool.twilio_lint]"),
        ("pyproject.toml", "[tool.twilio-lint]\nrespect-gitignore = 'no'\n",
         "pyproject.toml: key 'respect-gitignore' must be true or false"),
        ("pyproject.toml", "[tool.twilio-lint]\nbaseline = 3\n",
         "pyproject.toml: key 'baseline' must be a file name"),
    ],
)
def test_config_mistakes_get_a_hint_and_exit_2(tmp_path, name, text, message):
    root = _tree(tmp_path, name, text)
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2, proc.stdout
    assert proc.stderr.splitlines() == [f"twilio-lint: error: {root / message}"]


def test_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path):
    levels = ["a: &a [" + ", ".join(["lol"] * 10) + "]"]
    for depth in range(1, 9):  # 10**9 strings once expanded
        name, previous = chr(ord("a") + depth), chr(ord("a") + depth - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 10) + "]")
    levels.append("client-factories: *i")
    root = _tree(tmp_path, ".twilio-lint.yaml", "\n".join(levels) + "\n")
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"twilio-lint: error: {root / '.twilio-lint.yaml'}: invalid YAML: aliases expand to "
        "more than 100,000 values (an alias bomb?)"
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_given_as_config_is_an_error_not_a_hang(tmp_path):
    root = _tree(tmp_path, "pyproject.toml", "[project]\nname = 'x'\n")
    os.mkfifo(root / "fifo.toml")
    proc = run_cli("check", "--config", "fifo.toml", "src", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "twilio-lint: error: fifo.toml: cannot read config file: not a regular file"
    ]
    os.mkfifo(root / "src" / ".twilio-lint.yaml")  # found by the search: the same
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"twilio-lint: error: {root / 'src' / '.twilio-lint.yaml'}: cannot read config file: "
        "not a regular file"
    ]


def test_several_config_files_in_one_folder_first_of_yaml_yml_pyproject_wins(tmp_path):
    root = _tree(tmp_path, "pyproject.toml", "[tool.twilio-lint]\nselect = ['TWL2']\n")
    assert run_cli("check", "src", cwd=root).returncode == 0  # pyproject: TWL101 not selected
    (root / ".twilio-lint.yml").write_text("select: [TWL1]\n")
    assert run_cli("check", "src", cwd=root).returncode == 1  # .yml over pyproject.toml
    (root / ".twilio-lint.yaml").write_text("select: [TWL4]\n")
    proc = run_cli("check", "--show-settings", "src/pkg/app.py", cwd=root)
    assert f"config file: {root / '.twilio-lint.yaml'}" in proc.stdout.splitlines()
    assert run_cli("check", "src", cwd=root).returncode == 0  # .yaml over both


def test_baseline_named_in_the_config_is_applied(tmp_path):
    root = _tree(tmp_path, "pyproject.toml",
                 '[tool.twilio-lint]\nbaseline = "twilio-lint-baseline.json"\n')
    missing = run_cli("check", "src", cwd=root)
    assert missing.returncode == 2  # named but not written yet: said, not ignored
    assert "twilio-lint-baseline.json" in missing.stderr
    wrote = run_cli("check", "--write-baseline", "twilio-lint-baseline.json", "src", cwd=root)
    assert wrote.returncode == 0, wrote.stderr
    proc = run_cli("check", ".", cwd=root / "src")  # from anywhere: the config names it
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (root / "src" / "pkg" / "new.py").write_text(VIOLATION)
    proc = run_cli("check", "src", "--output-format", "concise", "-q", cwd=root)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0].startswith("src/pkg/new.py:3:10: TWL101 ")


@pytest.mark.parametrize("value", ["/etc/hostname", "../outside.json"])
def test_a_baseline_outside_the_configs_folder_is_refused(tmp_path, value):
    root = _tree(tmp_path, "pyproject.toml", f'[tool.twilio-lint]\nbaseline = "{value}"\n')
    proc = run_cli("check", "src", cwd=root)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        f"twilio-lint: error: {root / 'pyproject.toml'}: key 'baseline' must name a file "
        f"inside {root}"
    ]


def test_a_yaml_error_never_quotes_the_file(tmp_path):
    # A linked ``.twilio-lint.yaml -> ~/.aws/credentials`` must not print the file's lines.
    secret = "aws_secret = " + "Zq" * 10
    (tmp_path / "creds").write_text(f"[default]\n{secret}\nb: [\n")
    (tmp_path / ".twilio-lint.yaml").symlink_to(tmp_path / "creds")
    (tmp_path / "app.py").write_text("import os\n")
    proc = run_cli("check", "app.py", cwd=tmp_path)
    assert proc.returncode == 2
    assert secret not in proc.stderr and "Zq" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
