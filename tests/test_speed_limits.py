"""The one-pass prefilter and lazy rule loading: faster, never different."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import FIXTURES, ROOT, fill

ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*") if p.is_file())
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if p.is_file())


def _raw(path: Path) -> bytes:
    return fill(path.read_text(encoding="utf-8", errors="replace")).encode()


def _every_trigger() -> list[bytes]:
    from twilio_lint.registry import all_rules

    return [trigger for rule in all_rules() for trigger in rule.triggers]


# --- lazy rule loading ----------------------------------------------------------------------------


def test_the_rule_index_says_what_the_rule_modules_say():
    from twilio_lint.registry import _from_index, load_rule_modules
    from twilio_lint.rule_index import RULES

    assert tuple(_from_index(entry) for entry in RULES) == load_rule_modules()


def test_a_rule_module_missing_from_the_index_loads_every_rule_from_its_module(monkeypatch):
    from twilio_lint import registry
    from twilio_lint.rule_index import RULES

    first = RULES[0]["code"]
    monkeypatch.setattr("twilio_lint.rule_index.RULES", RULES[1:])  # added, not indexed yet
    registry.all_rules.cache_clear()
    try:
        rules = registry.all_rules()
    finally:
        registry.all_rules.cache_clear()
    assert rules == registry.load_rule_modules()
    assert rules[0].code == first


IMPORTED = (
    "import sys\nfrom twilio_lint.cli import main\n"
    "try:\n    main(['check', '--isolated', '-q', '--no-cache', sys.argv[1]])\n"
    "except SystemExit:\n    pass\n"
    "print(' '.join(sorted(name for name in sys.modules if name.startswith(("
    "'twilio_lint.rules.', 'twilio_lint.facts', 'twilio_lint.semantic.model', "
    "'twilio_lint.manifests', 'packaging', 'libcst')))))\n"
)


def _imported_by_a_run(tree: Path) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", IMPORTED, str(tree)], capture_output=True, text=True, check=True
    )
    return proc.stdout.split()


def test_a_tree_that_never_mentions_twilio_imports_no_rule_and_no_fact(tmp_path: Path):
    (tmp_path / "app.py").write_text("import json\n\nprint(json.dumps({'sms': 1}))\n")
    (tmp_path / "setup.py").write_text("from setuptools import setup\n\nsetup(name='shop')\n")
    assert _imported_by_a_run(tmp_path) == []
    # A config file TWL102 reads: that rule's module (and what it imports), no other rule.
    (tmp_path / "settings.toml").write_text('name = "shop"\n')
    rules = [name for name in _imported_by_a_run(tmp_path) if ".twl" in name]
    assert rules == ["twilio_lint.rules.auth.twl102_hardcoded_credential"]


@pytest.mark.parametrize(
    "path", ALL_FIXTURES + EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in ALL_FIXTURES + EXAMPLES]
)
def test_lazily_loaded_rules_find_what_imported_rules_find(path: Path, monkeypatch):
    from twilio_lint import engine
    from twilio_lint.config import Settings
    from twilio_lint.registry import load_rule_modules

    raw, name = _raw(path), str(path.relative_to(ROOT))
    lazy = engine.Linter(Settings(select=["ALL"])).lint_bytes(raw, name)
    monkeypatch.setattr(engine, "all_rules", load_rule_modules)
    eager = engine.Linter(Settings(select=["ALL"])).lint_bytes(raw, name)
    assert (lazy.findings, lazy.error, lazy.skipped) == (eager.findings, eager.error, eager.skipped)


# --- the one-pass prefilter -----------------------------------------------------------------------

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
EDGE_CASES = [
    b"",
    b"import json\n",
    b"from TWILIO import rest",  # any case
    b"tWiLiO",
    b"twili o",
    ACCOUNT_SID.encode(),
    ACCOUNT_SID[:-1].encode(),  # one hex digit short
    ("SK" + "F" * 32).encode(),
    ("sk" + "f" * 32).encode(),  # the prefix is case-sensitive
    ("AC" + "g" * 32).encode(),
    b"request.form['CallSid']",
    b"callsid",  # literal triggers are case-sensitive
    b"MediaUrl0",
    b"MediaUrl1",
    b"x\x00twilio\xff",
    "# café ☎ twilio".encode(),
]


@pytest.mark.parametrize("raw", EDGE_CASES)
def test_one_pass_and_simple_scans_agree_on_edge_cases(raw: bytes):
    from twilio_lint.prefilter import Prefilter, _hyperscan_search

    pytest.importorskip("hyperscan")
    simple = Prefilter(_every_trigger(), one_pass=False)
    one_pass = _hyperscan_search(simple.literals, simple.regexes, simple.search_simply)
    assert one_pass is not None
    assert one_pass(raw) == simple.search_simply(raw)


def test_one_pass_and_simple_scans_agree_on_every_fixture():
    from twilio_lint.prefilter import Prefilter, _hyperscan_search

    pytest.importorskip("hyperscan")
    simple = Prefilter(_every_trigger(), one_pass=False)
    one_pass = _hyperscan_search(simple.literals, simple.regexes, simple.search_simply)
    answers = {path: simple.search_simply(_raw(path)) for path in ALL_FIXTURES + EXAMPLES}
    assert {path: one_pass(_raw(path)) for path in answers} == answers
    assert sum(answers.values()) > 50 and not all(answers.values())


def test_the_one_pass_engine_takes_over_after_enough_bytes():
    from twilio_lint import prefilter

    pytest.importorskip("hyperscan")
    scanner = prefilter.Prefilter([b"CallSid"])
    chunk = b"x = 1\n" * 100_000
    for _ in range(prefilter.ONE_PASS_AFTER_BYTES // len(chunk)):
        assert scanner.search(chunk) is False
    assert scanner._one_pass is None  # a small run never pays for building it
    assert scanner.search(chunk) is False
    assert scanner._one_pass is not None
    assert scanner.search(b"form['CallSid']") is True
    assert scanner.search(b"TwIlIo") is True


def test_a_trigger_the_one_pass_engine_cannot_compile_keeps_the_simple_scans():
    from twilio_lint.prefilter import Prefilter, _hyperscan_search

    pytest.importorskip("hyperscan")
    simple = Prefilter([rb"(ab)\1"], one_pass=False)  # back-references: not for Hyperscan
    assert _hyperscan_search(simple.literals, simple.regexes, simple.search_simply) is None
    assert simple.search_simply(b"abab") and not simple.search_simply(b"abba")


# --- the flake8 plugin ----------------------------------------------------------------------------


def test_the_flake8_plugin_builds_one_linter_per_config_not_per_directory(tmp_path: Path):
    from twilio_lint.flake8_plugin import _linter_for

    (tmp_path / ".twilio-lint.yaml").write_text("select: [TWL1]\n")
    for package in ("api", "api/v1", "jobs"):
        (tmp_path / package).mkdir(parents=True, exist_ok=True)
    linters = {id(_linter_for(str(tmp_path / package))) for package in ("api", "api/v1", "jobs")}
    assert len(linters) == 1


def test_rules_are_imported_before_workers_fork_only_when_a_pool_runs():
    probe = (
        "import sys\nfrom twilio_lint.config import Settings\n"
        "from twilio_lint.engine import Linter\n"
        "linter = Linter(Settings(select=['TWL101', 'TWL401']))\n"
        "before = sorted(n for n in sys.modules if '.twl' in n)\n"
        "linter.import_rules()\n"
        "print(before, sorted(n for n in sys.modules if '.twl' in n))\n"
    )
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[] ['twilio_lint.rules.auth.twl101_auth_token_client']"


def test_the_engine_names_the_file_not_checked_code_of_its_rule():
    from twilio_lint.engine import FILE_NOT_CHECKED
    from twilio_lint.rules.general import twl001_file_not_checked

    assert FILE_NOT_CHECKED == twl001_file_not_checked.CODE


def test_a_rule_that_walks_every_node_gets_one_walk_that_serves_the_imports_too(monkeypatch):
    """TWL102 declares WALKS_EVERY_NODE: with it enabled the tree is indexed up front and the
    imports come from that walk (no statement walk of their own); without it, a file whose
    rules stop at its imports is never walked expression by expression."""
    from twilio_lint import registry
    from twilio_lint.config import Settings
    from twilio_lint.engine import Linter
    from twilio_lint.semantic import model

    assert [r.code for r in registry.all_rules() if r.walks_every_node] == ["TWL102"]
    walks = {"statements": 0, "index": 0}
    statements, index = model.statements, model.SemanticModel._index_tree

    def count_statements(body):
        walks["statements"] += 1
        return statements(body)

    def count_index(self):
        walks["index"] += 1
        return index(self)

    monkeypatch.setattr(model, "statements", count_statements)
    monkeypatch.setattr(model.SemanticModel, "_index_tree", count_index)
    source = "from twilio.base import values\n\ndef f(x):\n    return values.of(x)\n"
    Linter(Settings()).lint_python_source(source, "sdk_like.py")
    assert walks == {"statements": 0, "index": 1}
    walks.update(statements=0, index=0)
    Linter(Settings(select={"TWL101"})).lint_python_source(source, "sdk_like.py")
    assert walks == {"statements": 1, "index": 0}
