"""The semantic model of a module as the Twilio facts read it."""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from twilio_lint.files import DECODE_ERRORS, read_text
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import SemanticModel

T = TypeVar("T")


def twilio_module(
    tree: ast.Module,
    source: str,
    path: str = "<string>",
    options: dict[str, Any] | None = None,
    project: Any = None,
    index_now: bool = False,
) -> SemanticModel:
    """A semantic model whose qualified names read the SDK's re-exported paths as one name
    (``twilio.rest.client.Client`` is ``twilio.rest.Client``)."""
    return SemanticModel(
        tree, source, path, options, project, aliases=sdk.ALIASES, index_now=index_now
    )


def import_prefixes(*qualnames: str | Iterable[str]) -> frozenset[str]:
    """Every dotted prefix of ``qualnames`` and of the SDK's re-exported paths to them: what
    an import must name for any name of a module to resolve to one of them (``import
    twilio``, ``from twilio import rest`` and ``from twilio.rest import Client as C`` can
    reach ``twilio.rest.Client``; ``from twilio.base import values`` cannot). Build it once,
    test each module with ``may_resolve_to``."""
    names = {name for group in qualnames for name in ([group] if isinstance(group, str) else group)}
    names |= {alias for alias, target in sdk.ALIASES.items() if target in names}
    return frozenset(
        ".".join(parts[:end])
        for parts in (name.split(".") for name in names)
        for end in range(1, len(parts) + 1)
    )


def may_resolve_to(module: SemanticModel, prefixes: frozenset[str]) -> bool:
    """Could ``module.qualname`` of any node be one of the names ``prefixes`` was built from?
    False lets a rule skip asking it of every call: the cheap test before the walk."""
    return not prefixes.isdisjoint(module.imports.values())


def read_module(
    path: str, max_bytes: int, options: dict[str, Any] | None = None, project: Any = None
) -> SemanticModel | None:
    """Another module of the project (imported, or a framework's ``urls.py``), parsed for
    facts; None when it is too big or cannot be read or parsed. Never imported or run."""
    try:
        # A committed link could point anywhere on the machine: other modules are read for
        # facts only when they are files of the tree themselves.
        source = read_text(path, max_bytes, follow_links=False)
        tree = ast.parse(source, filename=path)
    except (OSError, ValueError, RecursionError, *DECODE_ERRORS):
        return None
    return twilio_module(tree, source, path, options, project)


def module_files(base: Path, parts: list[str]) -> list[str]:
    """``base/a/b.py`` and ``base/a/b/__init__.py`` for ``["a", "b"]``, those that are files,
    reached through real folders only: a package folder that is a link could point anywhere
    on the machine (the file itself is opened with O_NOFOLLOW by ``read_module``). What was
    looked for (both candidates, or the missing package folder) is a dependency of the result
    being computed, found or not."""
    if not all(part.isidentifier() for part in parts):
        return []  # ``"/tmp/x"`` or ``".."`` from a string in the repository: not a module name
    if _package_folder_missing(base, parts[:-1]):
        return []  # ``base/django/`` is not there: neither is any module under it
    stem = base.joinpath(*parts)
    candidates = (stem.with_suffix(".py"), stem / "__init__.py")
    return [
        str(candidate)
        for candidate in candidates
        if is_file_probed(candidate) and not _through_a_link(base, candidate)
    ]


def _package_folder_missing(base: Path, packages: list[str]) -> bool:
    """Is one of ``base/a``, ``base/a/b``… missing? The first missing one is recorded as looked
    for (it appearing is what could bring the module): one dependency, not two candidates."""
    folder = base
    for package in packages:
        folder = folder / package
        if not folder.exists():
            _looked_for(folder)
            return True
    return False


def relative_base(start: Path, level: int) -> Path | None:
    """The folder a relative import with ``level`` dots names from a module in ``start``; None
    when it would climb out of the project: out of a folder holding a root marker (its top) or
    out of the working directory. A repository's ``from ...elsewhere import *`` never has
    a file above it read."""
    top = os.getcwd()
    base = start
    for _ in range(level - 1):
        if str(base) == top or has_marker(base):
            return None
        base = base.parent
    return base


def is_file_probed(path: Path) -> bool:
    """``path.is_file()``, recorded for the result cache: a file created later where this
    looked must drop the results that relied on its absence."""
    _looked_for(path)
    return path.is_file()


#: Files that mark a project's root folder, where searches upwards stop.
PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")


def has_marker(directory: Path, markers: tuple[str, ...] = PROJECT_MARKERS) -> bool:
    """Does ``directory`` hold one of ``markers`` (``pyproject.toml``, ``.git``…), where a
    search upwards stops? Each one looked for is recorded for the result cache, by existence
    only (``.git`` changes all the time; that it is there is what counts)."""
    for marker in markers:
        candidate = directory / marker
        _looked_for(candidate)
        if candidate.exists():
            return True
    return False


def _looked_for(path: Path) -> None:
    from twilio_lint.cache import record_probe

    record_probe(str(path))


def _through_a_link(base: Path, candidate: Path) -> bool:
    """Is a folder between ``base`` and ``candidate`` a symbolic link?"""
    folder = candidate.parent
    while folder != base and folder != folder.parent:
        _looked_for(folder)  # a package folder swapped for a link (or back) changes the answer
        if folder.is_symlink():
            return True
        folder = folder.parent
    return False


class FileMemo:
    """What was derived from another file of the project (a Django ``urls.py`` or settings
    module), shared by the modules of a run and kept while the file is unchanged (same
    mtime); at most ``size`` entries, so a long editor session does not grow it forever."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._items: dict[tuple[str, int, Any], Any] = {}

    def get(
        self, path: str, derive: Callable[[str], T], missing: T, context: Any = None
    ) -> T:
        """``derive(path)``, once per version of the file and ``context`` (what else the
        derived value depends on); ``missing`` when it cannot be stat'ed."""
        try:
            key = (path, os.stat(path).st_mtime_ns, context)
        except OSError:
            return missing
        if key not in self._items:
            if len(self._items) >= self.size:
                self._items.pop(next(iter(self._items)))  # the oldest
            self._items[key] = derive(path)
        return self._items[key]
