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


@pytest.mark.parametrize("patterns", [PATTERNS, [*PATTERNS, "!pkg/build/x.py"]])
def test_an_entry_of_a_folder_matches_as_its_path_does(patterns, tmp_path):
    """A walk asks ``matches_in(folder, name)``: the folder's relative path is computed once
    per folder (also outside the root), and the answers are the per-path ones."""
    import os

    globs = GlobSet(patterns, str(tmp_path / "root"))
    for path in [*PATHS, *PATHS]:  # twice: the second time from the per-folder memo
        absolute = os.path.normpath(str(tmp_path / "root" / path))
        directory, name = os.path.split(absolute)
        for is_dir in (False, True):
            assert globs.matches_in(directory, name, is_dir) == globs.matches(absolute, is_dir), path


def test_negation_is_decided_in_order(tmp_path):
    globs = GlobSet(["gen/*.py", "!gen/keep.py"], str(tmp_path))
    assert globs.matches(str(tmp_path / "gen" / "drop.py"))
    assert not globs.matches(str(tmp_path / "gen" / "keep.py"))


def test_thousands_of_patterns_compile_once_and_still_match(tmp_path):
    globs = GlobSet([f"gen/mod_{i}/*.py" for i in range(5000)], str(tmp_path))
    assert globs.matches(str(tmp_path / "gen" / "mod_4999" / "x.py"))
    assert not globs.matches(str(tmp_path / "gen" / "mod_5000" / "x.py"))


# --- .gitignore/.ignore decided once per folder -------------------------------------------------

IGNORE_TREE = {
    ".git/info/exclude": "secret_*.py\n",
    ".gitignore": "build/\ngen_*.py\n!gen_keep.py\n",
    "app.py": "", "gen_a.py": "", "gen_keep.py": "", "build/x.py": "", "build/gen_keep.py": "",
    "pkg/build": "",  # a file: "build/" matches folders only
    "pkg/.gitignore": "!gen_b.py\nlocal/\n*.tmp.py\n!keep.tmp.py\n",
    "pkg/gen_b.py": "", "pkg/gen_c.py": "", "pkg/x.tmp.py": "", "pkg/keep.tmp.py": "",
    "pkg/local/a.py": "", "pkg/sub/local": "",
    "pkg/sub/.ignore": "!x.tmp.py\nonly_here.py\n",
    "pkg/sub/.gitignore": "x.tmp.py\n",  # .ignore has precedence in the same folder
    "pkg/sub/x.tmp.py": "", "pkg/sub/only_here.py": "", "pkg/sub/y.tmp.py": "",
    "pkg/sub/deeper/.gitignore": "/anchored.py\n",
    "pkg/sub/deeper/anchored.py": "", "pkg/sub/deeper/more/anchored.py": "",
    "pkg/sub/deeper/gen_d.py": "", "pkg/sub/deeper/secret_1.py": "", "pkg/sub/deeper/ok.py": "",
}


def _ignore_tree(root) -> None:
    for relative, text in IGNORE_TREE.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _reference_ignored(path: str, is_dir: bool, repository: str) -> bool:
    """Git's rule, file by file with pathspec and nothing memoised: the deepest ignore file
    with a matching line decides (``.ignore`` before ``.gitignore``), then info/exclude."""
    import os

    def verdict(ignore_file: str, folder: str) -> bool | None:
        if not os.path.isfile(ignore_file):
            return None
        with open(ignore_file) as handle:
            spec = pathspec.GitIgnoreSpec.from_lines(handle.read().splitlines())
        return spec.check_file(os.path.relpath(path, folder) + ("/" if is_dir else "")).include

    folder = os.path.dirname(path)
    while True:
        for name in (".ignore", ".gitignore"):
            answer = verdict(os.path.join(folder, name), folder)
            if answer is not None:
                return answer
        if folder == repository:
            break
        folder = os.path.dirname(folder)
    return verdict(os.path.join(repository, ".git", "info", "exclude"), repository) is True


def _entries(root) -> list[tuple[str, bool]]:
    import os

    found = []
    for directory, folders, files in os.walk(root):
        folders[:] = [name for name in folders if name != ".git"]
        found += [(os.path.join(directory, name), True) for name in folders]
        found += [(os.path.join(directory, name), False) for name in files]
    return found


def test_ignore_decisions_per_folder_answer_as_file_by_file(tmp_path):
    import os
    import random

    from twilio_lint.globs import IgnoreFiles

    _ignore_tree(tmp_path)
    entries = _entries(tmp_path)
    expected = {entry: _reference_ignored(*entry, str(tmp_path)) for entry in entries}
    # The memo must not depend on the order of the questions, nor on which entry point.
    for seed in range(3):
        random.Random(seed).shuffle(entries)
        ignores = IgnoreFiles()
        for path, is_dir in entries:
            directory, name = os.path.split(path)
            assert ignores.is_ignored_in(directory, name, is_dir) == expected[path, is_dir], path
            assert ignores.is_ignored(path, is_dir) == expected[path, is_dir], path
    ignored = sorted(os.path.relpath(path, tmp_path) for (path, _), yes in expected.items() if yes)
    assert ignored == [
        "build", "build/x.py", "gen_a.py", "pkg/gen_c.py", "pkg/local", "pkg/local/a.py",
        "pkg/sub/deeper/anchored.py",
        "pkg/sub/deeper/gen_d.py", "pkg/sub/deeper/secret_1.py", "pkg/sub/only_here.py",
        "pkg/sub/y.tmp.py", "pkg/x.tmp.py",
    ]


def test_discovery_skips_what_the_ignore_files_say(tmp_path):
    import os

    from twilio_lint.config import Settings
    from twilio_lint.engine import Linters, discover

    _ignore_tree(tmp_path)
    discovered = discover([str(tmp_path)], Linters.of(Settings()))
    found = [os.path.relpath(path, tmp_path) for path, _, _ in discovered]
    assert found == [
        "app.py", "gen_keep.py", "pkg/gen_b.py", "pkg/keep.tmp.py",
        "pkg/sub/deeper/more/anchored.py", "pkg/sub/deeper/ok.py", "pkg/sub/x.tmp.py",
    ]


def test_a_walk_looks_up_only_the_ignore_files_its_listings_show(tmp_path, monkeypatch):
    """The walk lists every folder anyway: an ignore file or ``.git`` it did not list is not
    looked for there (folders above the walked one are still looked up)."""
    import os

    from twilio_lint.config import Settings
    from twilio_lint.engine import Linters, discover

    _ignore_tree(tmp_path)
    looked_up = []

    def recording(real):
        def call(path, *args, **kwargs):
            if os.path.basename(path) in (".git", ".gitignore", ".ignore"):
                looked_up.append(os.path.relpath(path, tmp_path))
            return real(path, *args, **kwargs)

        return call

    # .git is looked up with lstat, ignore files are opened (never through a link)
    monkeypatch.setattr(os, "lstat", recording(os.lstat))
    monkeypatch.setattr(os, "open", recording(os.open))
    found = [path for path, _, _ in discover([str(tmp_path)], Linters.of(Settings()))]
    assert len(found) == 7
    assert sorted(path for path in looked_up if not path.startswith("..")) == [
        ".git", ".gitignore", "pkg/.gitignore", "pkg/sub/.gitignore", "pkg/sub/.ignore",
        "pkg/sub/deeper/.gitignore",
    ]


def test_outside_a_repository_only_ignore_files_inside_the_walked_folder_count(tmp_path):
    """No ``.git`` above: the ignore files read are those from the walked folder down (the
    per-folder memo is per walked folder too)."""
    import os

    from twilio_lint.config import Settings
    from twilio_lint.engine import Linters, discover
    from twilio_lint.globs import IgnoreFiles

    if IgnoreFiles().repository_root(str(tmp_path)) is not None:
        pytest.skip("the temporary folder is inside a git repository")
    for relative, text in {
        "outer/.gitignore": "*.py\n", "outer/inner/.gitignore": "!keep.py\ndrop.py\n",
        "outer/inner/sub/x.py": "", "outer/inner/sub/keep.py": "", "outer/inner/sub/drop.py": "",
    }.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(text)

    def found(top: str) -> list[str]:
        discovered = discover([str(tmp_path / top)], Linters.of(Settings()))
        return sorted(os.path.relpath(path, tmp_path / top) for path, _, _ in discovered)

    assert found("outer/inner") == ["sub/keep.py", "sub/x.py"]
    assert found("outer") == ["inner/sub/keep.py"]
    ignores = IgnoreFiles()  # one memo, two walked folders
    folder = str(tmp_path / "outer" / "inner" / "sub")
    assert [ignores.is_ignored_in(folder, "x.py", top=str(tmp_path / top))
            for top in ("outer/inner", "outer", "outer/inner")] == [False, True, False]
