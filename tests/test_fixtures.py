"""Every rule's fixture files, through the real CLI and the real flake8.

``tests/fixtures/twlNNN/*.py``: each line that must be reported carries ``# TWLNNN:<col>``;
every other line must stay quiet for that rule. One CLI run and one flake8 run cover the
whole tree, then each file is compared on its own.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, expectations, parse_flake8, run_cli_json, run_flake8

FIXTURE_FILES = sorted(
    path
    for path in FIXTURES.glob("twl*/**/*.py")
    if path.is_file()
)


def _rule_code(path: Path) -> str:
    return path.relative_to(FIXTURES).parts[0].upper()


@pytest.fixture(scope="module")
def cli_findings(fixture_tree: Path) -> dict[str, set[tuple[str, int, int]]]:
    found: dict[str, set] = defaultdict(set)
    for item in run_cli_json("check", "--isolated", "--select", "ALL", str(fixture_tree)):
        relative = Path(item["filename"]).resolve().relative_to(fixture_tree.resolve())
        found[relative.as_posix()].add(
            (item["code"], item["location"]["row"], item["location"]["column"])
        )
    return found


@pytest.fixture(scope="module")
def flake8_findings(fixture_tree: Path) -> dict[str, set[tuple[str, int, int]]]:
    proc = run_flake8("--select", "TWL", "--extend-select", "TWL", ".", cwd=fixture_tree)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    found: dict[str, set] = defaultdict(set)
    for path, code, line, col in parse_flake8(proc.stdout):
        found[Path(path).as_posix().removeprefix("./")].add((code, line, col))
    return found


def _ids(paths):
    return [path.relative_to(FIXTURES).as_posix() for path in paths]


def test_every_rule_has_fixtures_it_must_not_flag():
    from twilio_lint.registry import all_rules

    for rule in all_rules():
        directory = FIXTURES / rule.code.lower()
        if rule.check is None:
            continue  # manifest-only rules are tested in their own modules
        files = list(directory.glob("**/*.py"))
        assert files, f"{rule.code} has no fixtures under {directory}"
        quiet = [f for f in files if not expectations(f, rule.code)]
        assert quiet, f"{rule.code} has no must-not-flag fixture file (one with no expectations)"


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=_ids(FIXTURE_FILES))
def test_cli_reports_exactly_the_expected_findings(path: Path, cli_findings):
    code = _rule_code(path)
    relative = path.relative_to(FIXTURES).as_posix()
    actual = {item for item in cli_findings.get(relative, set()) if item[0] == code}
    assert sorted(actual) == sorted(expectations(path, code))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=_ids(FIXTURE_FILES))
def test_flake8_reports_the_same_findings(path: Path, flake8_findings):
    code = _rule_code(path)
    relative = path.relative_to(FIXTURES).as_posix()
    actual = {item for item in flake8_findings.get(relative, set()) if item[0] == code}
    assert sorted(actual) == sorted(expectations(path, code))
