"""Fixit-style: each rule's documented example is flagged, its 'use instead' is not."""

from __future__ import annotations

import pytest

from tests.helpers import fill
from twilio_lint.config import Settings
from twilio_lint.engine import Linter
from twilio_lint.registry import all_rules

RULES = all_rules()


def _lint(rule, text: str):
    linter = Linter(Settings(select=[rule.code]), prefilter=False)
    result = linter.lint_source(fill(text), rule.doc.example_filename)
    assert result.error is None, result.error
    return [finding for finding in result.findings if finding.code == rule.code]


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_example_is_flagged(rule):
    assert _lint(rule, rule.doc.example), f"{rule.code}: its DOC.example raises nothing"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_use_instead_is_quiet(rule):
    assert _lint(rule, rule.doc.use_instead) == []


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_metadata(rule):
    assert rule.code.startswith("TWL") and len(rule.code) == 6
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.fix in ("safe", "unsafe", "sometimes-unsafe", None)
    for section in (rule.doc.what, rule.doc.why, rule.doc.fix_safety):
        assert section.strip()
    assert rule.module.__name__.rsplit(".", 1)[1].startswith(rule.code.lower() + "_")
