"""``twilio_lint.globs``: gitwildmatch sets compiled into one regex must answer exactly as
pathspec does pattern by pattern (the speed-up must not change a single answer)."""

from __future__ import annotations

import pathspec
import pytest

from twilio_lint.globs import GlobSet

PATTERNS = [
    "build", "*.pyc", "/app.py", "docs/", "tests/**/*.py", "src/**/gen_*.py", "a/*/c.py",
    "**/fixtures", "legacy_[0-9].py", "x?.py", "deep/**", "name with space.py",
]
PATHS = [
    "build", "pkg/build/x.py", "build.py", "m.pyc", "pkg/m.pyc", "app.py", "pkg/app.py",
    "docs/index.py", "pkg/docs/x.py", "docs", "tests/test_x.py", "tests/a/b/test_y.py",
    "tests.py", "src/gen_a.py", "src/p/q/gen_b.py", "a/b/c.py", "a/b/d/c.py", "fixtures/x.py",
    "p/fixtures/y.py", "legacy_1.py", "legacy_x.py", "xy.py", "xyz.py", "deep/a/b.py",
    "name with space.py", "../outside/build/x.py",
]


@pytest.mark.parametrize("path", PATHS)
def test_one_regex_answers_as_pathspec_does(path, tmp_path):
    globs = GlobSet(PATTERNS, str(tmp_path))
    reference = pathspec.GitIgnoreSpec.from_lines(PATTERNS)
    for is_dir in (False, True):
        name = path + ("/" if is_dir else "")
        assert globs.matches(str(tmp_path / path), is_dir) == reference.match_file(name), name


def test_negation_is_decided_in_order(tmp_path):
    globs = GlobSet(["gen/*.py", "!gen/keep.py"], str(tmp_path))
    assert globs.matches(str(tmp_path / "gen" / "drop.py"))
    assert not globs.matches(str(tmp_path / "gen" / "keep.py"))


def test_thousands_of_patterns_compile_once_and_still_match(tmp_path):
    globs = GlobSet([f"gen/mod_{i}/*.py" for i in range(5000)], str(tmp_path))
    assert globs.matches(str(tmp_path / "gen" / "mod_4999" / "x.py"))
    assert not globs.matches(str(tmp_path / "gen" / "mod_5000" / "x.py"))
