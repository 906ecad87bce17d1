"""README's first command: `twilio-lint check examples/` finds exactly the deliberate problems.

Regenerate the expectation after a deliberate change (and review the diff):
    twilio-lint check examples/ --output-format concise --quiet > tests/data/examples_expected.txt
"""

from __future__ import annotations

import json

from tests.helpers import ROOT, parse_flake8, run_cli, run_flake8

EXPECTED = ROOT / "tests" / "data" / "examples_expected.txt"


def test_examples_report_exactly_the_expected_findings():
    proc = run_cli("check", "examples/", "--output-format", "concise", "--quiet", cwd=ROOT)
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout == EXPECTED.read_text(encoding="utf-8")


def test_examples_json_is_valid_and_matches_text():
    proc = run_cli("check", "examples/", "--output-format", "json", cwd=ROOT)
    items = json.loads(proc.stdout)
    expected_lines = EXPECTED.read_text(encoding="utf-8").splitlines()
    assert len(items) == len(expected_lines)
    for item, line in zip(items, expected_lines):
        path, row, col, rest = line.split(":", 3)
        assert item["filename"] == str((ROOT / path).resolve())
        assert (item["location"]["row"], item["location"]["column"]) == (int(row), int(col))
        assert rest.strip().startswith(item["code"] + " ")


def test_flake8_reports_the_same_python_findings():
    # flake8's defaults, as a user runs it: opt-in rules stay off, like in the CLI.
    proc = run_flake8("examples/", cwd=ROOT)
    flake8_found = sorted((p, c, line, col) for p, c, line, col in parse_flake8(proc.stdout))
    cli_found = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        path, row, col, rest = line.split(":", 3)
        if path.endswith(".py"):
            cli_found.append((path, rest.split()[0], int(row), int(col)))
    assert flake8_found == sorted(cli_found)
