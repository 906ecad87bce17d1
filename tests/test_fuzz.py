"""Property tests: the engine never raises on any input (text or bytes), its findings are
deterministic, and the fixes (``fixer.fix_text``, what ``--fix --unsafe-fixes`` runs) always give
a file that parses, and fixing that file again changes nothing.

Inputs: arbitrary text and bytes (hypothesis), valid Python from the grammar (hypothesmith),
and shuffled top-level statements of every rule's fixtures (credentials filled in), which carry
the Twilio shapes the rules and fixes look for. Example counts stay small: the suite is fast."""

from __future__ import annotations

import ast
from functools import lru_cache

import hypothesmith
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import FIXTURES, fill
from twilio_lint.config import Settings
from twilio_lint.engine import Linter
from twilio_lint.fixes import apply as fixer

# Generated programs are valid but odd ("..."[0]): compiling them warns, which is theirs to do.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.filterwarnings("ignore::SyntaxWarning"),
]

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples in CI every time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much],
    database=None,
)
PREFIXES = ["", "import twilio\n", "from twilio.rest import Client\n",
            "# -*- coding: latin-1 -*-\nimport twilio\n", "\ufeffimport twilio\n"]
NAMES = ["fuzz.py", "requirements.txt", "pyproject.toml", "package.json", "setup.py",
         "settings.yaml", ".env", "pom.xml", "Pipfile.lock", "poetry.lock", "go.mod", "Gemfile"]


@lru_cache(maxsize=1)
def linter() -> Linter:
    return Linter(Settings(select=["ALL"]))


@lru_cache(maxsize=1)
def fixture_statements() -> tuple[str, ...]:
    """Every top-level statement of every Python fixture, as source text."""
    found: list[str] = []
    for path in sorted(FIXTURES.rglob("*.py")):
        text = fill(path.read_text(encoding="utf-8"))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue
        for node in tree.body:
            segment = ast.get_source_segment(text, node)
            if segment:
                found.append(segment)
    return tuple(found)


def _lint(source: str | bytes, path: str):
    result = linter().lint_source(source, path)
    return [(f.code, f.line, f.col, f.end_line, f.end_col, f.message) for f in result.findings], (
        result.error.message if result.error else None
    )


def _assert_deterministic(source: str | bytes, path: str) -> None:
    first = _lint(source, path)
    assert _lint(source, path) == first
    fresh = Linter(Settings(select=["ALL"])).lint_source(source, path)  # no state carried over
    assert [(f.code, f.line, f.col) for f in fresh.findings] == [
        (code, line, col) for code, line, col, *_ in first[0]
    ]
    errors = first[1] or ""
    assert "internal error" not in errors and "nested too deeply" not in errors, errors


def _assert_fix_is_sound(source: str, path: str = "fuzz.py") -> None:
    findings = linter().lint_source(source, path).findings
    once = fixer.fix_text(linter(), source, path, findings, unsafe=True)
    assert not [p for p in once.problems if "would make the file invalid" in p], once.problems
    ast.parse(once.text)
    again = fixer.fix_text(
        linter(), once.text, path, linter().lint_source(once.text, path).findings, unsafe=True
    )
    assert again.text == once.text, "a second fix changed the file"


@FUZZ
@given(prefix=st.sampled_from(PREFIXES), body=st.text(max_size=400),
       name=st.sampled_from(NAMES))
def test_engine_never_raises_on_text(prefix, body, name):
    _assert_deterministic(prefix + body, name)


@FUZZ
@given(prefix=st.sampled_from([p.encode("utf-8") for p in PREFIXES]),
       body=st.binary(max_size=400), name=st.sampled_from(NAMES))
def test_engine_never_raises_on_bytes(prefix, body, name):
    _assert_deterministic(prefix + body, name)


@FUZZ
@given(source=hypothesmith.from_grammar())
def test_valid_python_from_the_grammar(source):
    text = "import twilio\nfrom twilio.rest import Client\n" + source
    _assert_deterministic(text, "fuzz.py")
    _assert_fix_is_sound(text)


@FUZZ
@given(source=hypothesmith.from_node())
def test_valid_python_from_libcst_nodes(source):
    text = "from twilio.rest import Client\n" + source
    _assert_deterministic(text, "fuzz.py")
    _assert_fix_is_sound(text)


@settings(FUZZ, max_examples=60)
@given(data=st.data())
def test_shuffled_fixture_statements_fix_soundly(data):
    statements = fixture_statements()
    chosen = data.draw(st.lists(st.sampled_from(statements), min_size=1, max_size=12))
    separator = data.draw(st.sampled_from(["\n", "\n\n", "\r\n"]))
    source = separator.join(chosen) + separator
    _assert_deterministic(source, "fuzz.py")
    _assert_fix_is_sound(source.replace("\r\n", "\n"))


@FUZZ
@given(data=st.data())
def test_mutated_fixture_statements_never_crash(data):
    """Fixture code with a random slice deleted or a random text inserted: often invalid."""
    statements = fixture_statements()
    source = "\n".join(data.draw(st.lists(st.sampled_from(statements), min_size=1, max_size=5)))
    start = data.draw(st.integers(0, len(source)))
    end = data.draw(st.integers(start, min(len(source), start + 40)))
    insert = data.draw(st.text(max_size=10))
    mutated = source[:start] + insert + source[end:]
    _assert_deterministic(mutated, "fuzz.py")
    try:
        ast.parse(mutated)
    except (SyntaxError, ValueError):
        return
    _assert_fix_is_sound(mutated)
