"""Round trip over a corpus of varied Twilio code: every rule's fixtures (credentials filled in)
plus the examples/ app. ``--fix --unsafe-fixes`` with every rule selected must leave files that
parse, no finding whose fix could still be applied, and a second run must change nothing."""

from __future__ import annotations

import ast
import json
import re
import shutil

import pytest

from tests.helpers import FIXTURES, ROOT, materialize, run_cli

pytestmark = pytest.mark.slow  # a system test: run by CI, skipped by -m "not slow"

SUMMARY = re.compile(r"^Fixed (\d+) findings? \((\d+) remaining\)\.$", re.M)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("roundtrip")
    materialize(FIXTURES, root / "fixtures")
    shutil.copytree(ROOT / "examples", root / "examples")
    python_files = sorted(root.rglob("*.py"))
    parsed_before = {}
    for path in python_files:
        try:
            ast.parse(path.read_bytes())
            parsed_before[path] = True
        except (SyntaxError, ValueError):
            parsed_before[path] = False  # deliberately broken inputs stay broken
    args = ("check", "--isolated", "--no-cache", "--select", "ALL")
    before = json.loads(run_cli(*args, "--output-format", "json", ".", cwd=root).stdout)
    first = run_cli(*args, "--fix", "--unsafe-fixes", "--output-format", "concise", ".", cwd=root)
    after_fix = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "cache" not in str(p)}
    second = run_cli(*args, "--fix", "--unsafe-fixes", "--output-format", "json", ".", cwd=root)
    after_second = {
        p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "cache" not in str(p)
    }
    diff = run_cli(*args, "--diff", "--unsafe-fixes", ".", cwd=root)
    return {
        "root": root, "python_files": python_files, "parsed_before": parsed_before,
        "before": before, "first": first, "second": second, "after_fix": after_fix,
        "after_second": after_second, "diff": diff,
    }


def test_the_corpus_has_fixable_findings_of_many_rules(corpus):
    fixable = {item["code"] for item in corpus["before"] if item["fix"] is not None}
    assert len(fixable) >= 6, fixable
    assert "Traceback" not in corpus["first"].stderr, corpus["first"].stderr


def test_fixes_were_applied(corpus):
    match = SUMMARY.search(corpus["first"].stdout)
    assert match is not None, corpus["first"].stdout[-2000:]
    fixed, remaining = int(match.group(1)), int(match.group(2))
    fixable_before = sum(1 for item in corpus["before"] if item["fix"] is not None)
    assert fixed >= fixable_before * 0.8  # overlapping fixes may be merged or superseded
    assert remaining == len(json.loads(corpus["second"].stdout))


def test_every_fixed_python_file_still_parses(corpus):
    for path in corpus["python_files"]:
        if corpus["parsed_before"][path]:
            ast.parse(path.read_bytes(), filename=str(path))


def test_no_applicable_fix_is_left(corpus):
    left = [item for item in json.loads(corpus["second"].stdout) if item["fix"] is not None
            and item["fix"]["applicability"] in ("safe", "unsafe")]
    assert left == []


def test_a_second_run_changes_nothing(corpus):
    assert corpus["after_second"] == corpus["after_fix"]
    assert "Fixed" not in corpus["second"].stdout
    assert corpus["diff"].returncode == 0
    assert corpus["diff"].stdout == ""


def test_fix_messages_never_show_a_credential(corpus):
    from tests.helpers import FAKE

    for item in corpus["before"]:
        if item["fix"] is not None:
            assert not any(value in item["fix"]["message"] for value in FAKE.values())
