"""Glob patterns as git and Ruff read them, and the ignore files git and Ruff respect.

Patterns use gitwildmatch, the .gitignore syntax (``pathspec.GitIgnoreSpec``): a pattern
without a ``/`` matches a name at any depth (``build``, ``*.pyc``), one with a ``/`` is
anchored to the folder of the file that declares it (``scripts/legacy_*.py``), ``**`` matches
zero or more folders (``tests/**/*.py`` covers ``tests/test_x.py``), a trailing ``/`` matches
folders only, ``!`` re-includes.

A set of patterns is compiled once. Without ``!`` patterns the set is one regular expression
(5,000 excludes cost one match per path, not 5,000); with them, pathspec decides in order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from twilio_lint import inputs
from twilio_lint.files import read_regular_file

#: An ignore file bigger than this is not read (a hostile tree could hold a huge one).
MAX_IGNORE_FILE_BYTES = 1_000_000
IGNORE_FILE_NAMES = (".ignore", ".gitignore")  # the first has precedence, as in Ruff
LOOKED_UP = (".git", *IGNORE_FILE_NAMES)


class GlobSet:
    """Gitwildmatch patterns relative to the folder ``root``."""

    def __init__(self, patterns: Iterable[str], root: str) -> None:
        import pathspec  # here: a run without excludes or ignore files never imports it

        self.root = root
        lines = [_anchor_absolute(pattern, root) for pattern in patterns]
        # Python's re: pathspec's default backend compiles a Hyperscan database per set
        # (~15 ms for a five-line .gitignore, paid by every run in a repository), and a set
        # is matched below as one regex of its own, or pattern by pattern with negations.
        self._spec = pathspec.GitIgnoreSpec.from_lines(lines, backend="simple")
        compiled = [p for p in self._spec.patterns if p.include is not None]
        self._empty = not compiled
        self._combined: re.Pattern[str] | None = None
        self._prefixes: dict[str, str] = {}
        if compiled and all(p.include for p in compiled):
            # pathspec names a group in every pattern: unnamed, they can share one regex.
            self._combined = re.compile(
                "|".join(f"(?:{_unnamed(p.regex.pattern)})" for p in compiled)
            )

    def __bool__(self) -> bool:
        return not self._empty

    def matches(self, path: str, is_dir: bool = False) -> bool:
        return self.check(path, is_dir) is True

    def matches_in(self, directory: str, name: str, is_dir: bool = False) -> bool:
        """``matches`` for the entry ``name`` of ``directory`` (absolute and normal): a walk
        asks of every entry, and the folder's path relative to ``root`` is found once."""
        if self._empty:
            return False
        prefix = self._prefixes.get(directory)
        if prefix is None:
            prefix = self._prefixes[directory] = _prefix(directory, self.root)
        return self.check_relative(prefix + name + ("/" if is_dir else "")) is True

    def check(self, path: str, is_dir: bool = False) -> bool | None:
        """True: a pattern matches; False: the last match is a ``!`` pattern; None: none."""
        if self._empty:
            return None
        return self.check_relative(relative_posix(path, self.root) + ("/" if is_dir else ""))

    def check_relative(self, relative: str) -> bool | None:
        """``check`` for a path already relative to ``root`` (``/`` separators, a trailing
        ``/`` for a folder)."""
        if self._empty:
            return None
        if self._combined is not None:
            return True if self._combined.match(relative) else None
        return self._spec.check_file(relative).include


def relative_posix(path: str, root: str) -> str:
    """``path`` relative to ``root`` with ``/`` separators (``../x`` when outside it)."""
    try:
        relative = os.path.relpath(os.path.abspath(path), root)
    except ValueError:  # another drive on Windows
        relative = os.path.abspath(path)
    return relative.replace(os.sep, "/")


def _anchor_absolute(pattern: str, root: str) -> str:
    """An absolute pattern inside ``root`` becomes one anchored to it."""
    if os.path.isabs(pattern):
        inside = relative_posix(pattern, root)
        if not inside.startswith("../"):
            return "/" + inside
    return pattern


def _unnamed(regex: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", regex)


class IgnoreFiles:
    """``.ignore``, ``.gitignore`` and ``.git/info/exclude``, read as git reads them: each
    file's patterns are relative to its folder, a deeper file overrides a shallower one, the
    last matching line of a file wins. Files are read from the folder of a path up to the
    repository root (the folder holding ``.git``), or only inside ``top`` outside a
    repository. Only regular files are read; each once.

    Which ignore files apply, and where each one's folder is, depend only on the folder a
    path is in: that is found once per folder; each path is then one match per ignore file."""

    def __init__(self) -> None:
        self._specs: dict[str, list[GlobSet]] = {}
        self._roots: dict[str, str | None] = {}
        self._chains: dict[tuple[str, str | None, bool], list[tuple[str, GlobSet]]] = {}
        self._listed: dict[str, frozenset[str]] = {}

    def listed(self, folder: str, names: set[str]) -> None:
        """The names a walk found in ``folder`` (absolute and normal): an ignore file or
        ``.git`` not among them needs no lookup there."""
        self._listed[folder] = frozenset(name for name in LOOKED_UP if name in names)

    def _may_exist(self, folder: str, name: str) -> bool:
        listed = self._listed.get(folder)
        return listed is None or name in listed

    def is_ignored(self, path: str, is_dir: bool = False, top: str | None = None) -> bool:
        directory, name = os.path.split(os.path.abspath(path))
        return self.is_ignored_in(directory, name, is_dir, top)

    def is_ignored_in(
        self, directory: str, name: str, is_dir: bool = False, top: str | None = None,
        inside: bool = False,
    ) -> bool:
        """``is_ignored`` for the entry ``name`` of ``directory`` (absolute and normal);
        with ``inside``, only the ignore files in ``top`` and below it count."""
        entry = name + "/" if is_dir else name
        for prefix, spec in self._chain(directory, top, inside):
            verdict = spec.check_relative(prefix + entry)
            if verdict is not None:
                return verdict
        return False

    def any_in(self, directory: str, top: str | None = None, inside: bool = False) -> bool:
        """Whether any ignore file applies to the entries of ``directory``."""
        return bool(self._chain(directory, top, inside))

    def _chain(
        self, directory: str, top: str | None, inside: bool = False
    ) -> list[tuple[str, GlobSet]]:
        """The ignore files that apply in ``directory``, deepest first (``info/exclude``
        last), each with the path of ``directory`` relative to its folder."""
        key = (directory, top, inside)
        chain = self._chains.get(key)
        if chain is None:
            root = None if inside and top else self.repository_root(directory)
            stop = root or (os.path.abspath(top) if top else directory)
            chain = [
                (_prefix(directory, folder), spec)
                for folder in _folders_up(directory, stop)
                for spec in self._specs_in(folder)
            ]
            exclude = self._info_exclude(root) if root is not None else None
            if exclude is not None:
                chain.append((_prefix(directory, root), exclude))
            self._chains[key] = chain
        return chain

    def repository_root(self, directory: str) -> str | None:
        if directory not in self._roots:
            parent = os.path.dirname(directory)
            if self._may_exist(directory, ".git") and _looked_for(os.path.join(directory, ".git")):
                self._roots[directory] = directory
            elif parent == directory:
                self._roots[directory] = None
            else:
                self._roots[directory] = self.repository_root(parent)
        return self._roots[directory]

    def _specs_in(self, folder: str) -> list[GlobSet]:
        specs = self._specs.get(folder)
        if specs is None:
            specs = self._specs[folder] = [
                spec
                for name in IGNORE_FILE_NAMES
                if self._may_exist(folder, name)
                and (spec := _read_ignore_file(os.path.join(folder, name), folder))
            ]
        return specs

    def _info_exclude(self, root: str) -> GlobSet | None:
        key = os.path.join(root, ".git", "info", "exclude")
        if key not in self._specs:
            spec = _read_ignore_file(key, root)
            self._specs[key] = [spec] if spec else []
        return self._specs[key][0] if self._specs[key] else None


def _folders_up(directory: str, stop: str) -> list[str]:
    """``directory`` and its parents up to ``stop`` (just ``directory`` if not under it)."""
    folders = [directory]
    while directory != stop:
        parent = os.path.dirname(directory)
        if parent == directory or not (directory + os.sep).startswith(stop.rstrip(os.sep) + os.sep):
            break
        directory = parent
        folders.append(directory)
    return folders


def _prefix(directory: str, folder: str) -> str:
    """What to put before a name in ``directory`` (absolute and normal) to make it relative
    to ``folder``: ``""`` for the folder itself, ``"../x/"`` outside it."""
    if directory == folder:
        return ""
    parent = folder.rstrip(os.sep) + os.sep
    if directory.startswith(parent):  # below it (the usual case): no relpath needed
        return directory[len(parent):].replace(os.sep, "/") + "/"
    return relative_posix(directory, folder) + "/"


def _looked_for(path: str) -> bool:
    inputs.watch_presence(path)  # a .git made or removed later moves the repository
    return os.path.lexists(path)


def _read_ignore_file(path: str, folder: str) -> GlobSet | None:
    inputs.watch(path)
    try:  # a link, a FIFO or a huge file (also one swapped in meanwhile): never read
        raw = read_regular_file(path, MAX_IGNORE_FILE_BYTES, follow_links=False)
    except OSError:
        return None
    if raw is None:
        return None
    spec = GlobSet(raw.decode("utf-8", "replace").splitlines(), folder)
    return spec or None
