"""TWL102 beyond the generic fixture test: config files, severities, masking in every output.

Fixtures in ``tests/fixtures/twl102/config/`` carry inline ``# TWL102:<col>`` expectations like
the Python fixtures (column of the value itself); JSON has no comments, so its expectations
are listed here. Every credential value is a ``{{FAKE_…}}`` placeholder filled at run time.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import FAKE, FIXTURES, expectations, run_cli, run_cli_json

CONFIG = FIXTURES / "twl102" / "config"
CONFIG_FILES = sorted(path for path in CONFIG.iterdir() if path.is_file())
JSON_EXPECTATIONS = {
    "app.json": {("TWL102", 4, 38), ("TWL102", 5, 27), ("TWL102", 7, 27), ("TWL102", 7, 78)},
    "package.json": set(),
}


def _expected(path: Path) -> set[tuple[str, int, int]]:
    if path.suffix == ".json":
        return JSON_EXPECTATIONS[path.name]
    return expectations(path, "TWL102")


@pytest.fixture(scope="module")
def twl102_tree(fixture_tree: Path) -> Path:
    return fixture_tree / "twl102"


@pytest.fixture(scope="module")
def config_results(twl102_tree: Path) -> list[dict]:
    return run_cli_json("check", "--isolated", "--select", "TWL102", str(twl102_tree / "config"))


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[p.name for p in CONFIG_FILES])
def test_config_file_findings(path: Path, config_results: list[dict]):
    actual = {
        (item["code"], item["location"]["row"], item["location"]["column"])
        for item in config_results
        if Path(item["filename"]).name == path.name
    }
    assert sorted(actual) == sorted(_expected(path))


def test_every_config_format_is_covered():
    patterns = {".env", "prod.env", ".ini", ".cfg", ".yml", ".yaml", ".json", ".toml"}
    names = {path.name for path in CONFIG_FILES}
    for pattern in patterns:
        assert any(name.endswith(pattern) for name in names), pattern


def test_account_sids_are_warnings_and_secrets_errors(twl102_tree: Path):
    results = run_cli_json("check", "--isolated", "--select", "TWL102", str(twl102_tree))
    assert results
    for item in results:
        is_account = item["message"].startswith("Account SID")
        assert item["severity"] == ("warning" if is_account else "error"), item["message"]
        if is_account:
            assert "identifier, not a secret" in item["message"]
        else:
            assert "Hard-coded Twilio" in item["message"]
            assert "os.environ" in item["message"] or "environment" in item["message"]


def _all_fake_values() -> list[str]:
    """Every full credential the fixtures hold, including the ones they build by concatenation."""
    values = list(FAKE.values())
    values.append("AC" + FAKE["FAKE_AUTH_TOKEN"])
    values.append("0f8e1d2c3b4a5968" + "7f6e5d4c3b2a1908")
    return values


def _output_formats() -> list[str]:
    from twilio_lint.report import FORMATS

    return sorted(FORMATS)


EXTRA_OUTPUTS = {"--statistics": ["--statistics"], "--diff": ["--diff", "--unsafe-fixes"]}


@pytest.mark.slow
@pytest.mark.parametrize("output_format", [*_output_formats(), *EXTRA_OUTPUTS])
def test_no_output_format_shows_a_whole_secret(fixture_tree: Path, output_format: str):
    """Run every rule over every fixture: no format may print a complete credential."""
    args = ["check", "--isolated", "--select", "ALL", str(fixture_tree)]
    args += EXTRA_OUTPUTS.get(output_format, ["--output-format", output_format])
    proc = run_cli(*args)
    assert proc.returncode in (0, 1), proc.stderr
    assert "TWL102" in proc.stdout or output_format in EXTRA_OUTPUTS
    output = proc.stdout + proc.stderr
    leaks = [_leak_context(output, value) for value in _all_fake_values() if value in output]
    if leaks:
        pytest.fail(f"{output_format} prints a full credential:\n" + "\n".join(leaks))


def _leak_context(output: str, value: str) -> str:
    """Where a credential leaked, with the credential itself masked in the failure message."""
    at = output.index(value)
    window = output[max(0, at - 200): at + len(value) + 40]
    for known in _all_fake_values():
        window = window.replace(known, f"<{known[:4]}… in full>")
    return window


def test_full_format_masks_the_quoted_source_line(fixture_tree: Path):
    proc = run_cli(
        "check", "--isolated", "--select", "TWL102", "--output-format", "full",
        str(fixture_tree / "twl102" / "flag_settings_and_clients.py"),
    )
    token = FAKE["FAKE_AUTH_TOKEN"]
    assert f'TWILIO_AUTH_TOKEN = "{token[:4]}…"' in proc.stdout
    assert token not in proc.stdout


def test_fingerprints_never_hold_the_secret(fixture_tree: Path):
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter

    linter = Linter(Settings(select=["TWL102"]))
    findings = [
        finding
        for result in linter.lint_paths([str(fixture_tree / "twl102")])
        for finding in result.findings
    ]
    assert len(findings) > 40
    prints = {finding.fingerprint_text for finding in findings}
    assert None not in prints
    for value in _all_fake_values():
        assert not any(value in text for text in prints)
        assert not any(value in finding.message for finding in findings)


def test_trigger_parses_files_that_only_hold_a_sid(tmp_path: Path):
    """No "twilio" in the file: the prefilter lets it through for a SID, not for any hex."""
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter

    with_sid = tmp_path / "billing.py"
    with_sid.write_text(f'ACCOUNT = "{FAKE["FAKE_ACCOUNT_SID"]}"\n', encoding="utf-8")
    only_hex = tmp_path / "hashes.py"
    only_hex.write_text(f'EXPECTED = "{FAKE["FAKE_AUTH_TOKEN"]}"\n', encoding="utf-8")
    linter = Linter(Settings(select=["TWL102"]))
    sid_result = linter.lint_path(str(with_sid))
    assert [(f.code, f.line, f.col) for f in sid_result.findings] == [("TWL102", 1, 10)]
    assert linter.lint_path(str(only_hex)).skipped


def test_noqa_in_an_env_file(tmp_path: Path):
    env = tmp_path / ".env"
    env.write_text(
        f"TWILIO_AUTH_TOKEN={FAKE['FAKE_AUTH_TOKEN']}  # noqa: TWL102\n"
        f"TWILIO_API_SECRET={FAKE['FAKE_API_SECRET']}\n",
        encoding="utf-8",
    )
    results = run_cli_json("check", "--isolated", "--select", "TWL102", str(tmp_path))
    assert [(item["location"]["row"], item["location"]["column"]) for item in results] == [(2, 19)]


def test_stdin_with_a_config_filename():
    proc = run_cli(
        "check", "--isolated", "--select", "TWL102", "--output-format", "json",
        "--stdin-filename", "settings/.env.local", "-",
        stdin=f"TWILIO_AUTH_TOKEN={FAKE['FAKE_AUTH_TOKEN']}\n",
    )
    results = json.loads(proc.stdout)
    assert [(item["code"], item["location"]["row"]) for item in results] == [("TWL102", 1)]
