"""Dependency manifests of every ecosystem Twilio ships a server SDK for.

``parse(source)`` returns the ``Pin``s (dependencies on a Twilio SDK, with the exact span of
their version text) of one manifest; ``pinned_twilio_version(path)`` and
``lowest_twilio_version(path)`` answer, for a Python file, which twilio versions its
project's manifests let pip install. Parsers never raise on broken input: a manifest that does
not parse has no pins.

Importing this package is cheap (Python rules import it at start-up): the parsers,
``packaging`` and the release data load on first use.
"""

from __future__ import annotations

import fnmatch
import importlib
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, TypeVar

from twilio_lint.files import decode, is_within, read_regular_file
from twilio_lint.manifests.pins import Pin, Source

if TYPE_CHECKING:
    from packaging.version import Version

    from twilio_lint.manifests.releases import History, Release
    from twilio_lint.manifests.specs import Spec

__all__ = [
    "FILE_PATTERNS", "PYTHON_PATTERNS", "Pin", "Source", "compile_pin", "default_reference_date",
    "history", "lowest_twilio_version", "matches", "newest_admitted", "parse",
    "pinned_twilio_version", "read_text",
]

Parser = Callable[[Source], list[Pin]]
T = TypeVar("T")
R = TypeVar("R")
REQUIREMENTS = "python.requirements"

#: (glob, "module.function"), Python manifests most exact first (a lock file says what is
#: installed). A glob with a "/" also names the parent folder (``requirements/*.txt``).
PYTHON_PARSERS: tuple[tuple[str, str], ...] = (
    ("uv.lock", "python.toml_lock"),
    ("poetry.lock", "python.toml_lock"),
    ("Pipfile.lock", "python.pipfile_lock"),
    ("pyproject.toml", "python.pyproject"),
    ("setup.cfg", "python.setup_cfg"),
    ("setup.py", "python.setup_py"),
    ("Pipfile", "python.pipfile"),
    ("requirements*.txt", REQUIREMENTS),
    ("requirements*.in", REQUIREMENTS),
    ("constraints*.txt", REQUIREMENTS),
    ("requirements/*.txt", REQUIREMENTS),
    ("requirements/*.in", REQUIREMENTS),
)
OTHER_PARSERS: tuple[tuple[str, str], ...] = (
    ("package.json", "jsonfiles.package_json"),
    ("composer.json", "jsonfiles.composer_json"),
    ("Gemfile", "ruby.gemfile"),
    ("gems.rb", "ruby.gemfile"),
    ("Gemfile.lock", "ruby.gemfile_lock"),
    ("gems.locked", "ruby.gemfile_lock"),
    ("pom.xml", "jvm.pom_xml"),
    ("build.gradle", "jvm.build_gradle"),
    ("build.gradle.kts", "jvm.build_gradle"),
    ("libs.versions.toml", "jvm.version_catalog"),
    ("go.mod", "golang.go_mod"),
    ("*.csproj", "dotnet.project_file"),
    ("*.fsproj", "dotnet.project_file"),
    ("*.vbproj", "dotnet.project_file"),
    ("Directory.Packages.props", "dotnet.project_file"),
    ("packages.config", "dotnet.project_file"),
)
PARSERS = PYTHON_PARSERS + OTHER_PARSERS
PYTHON_PATTERNS = tuple(pattern for pattern, _ in PYTHON_PARSERS)
#: The names a folder listing for Python manifests looks at (``requirements`` for the folder
#: of ``requirements/*.txt``), and those it looks at in that folder.
_LISTED_NAMES = tuple(dict.fromkeys(pattern.split("/")[0] for pattern in PYTHON_PATTERNS))
_NESTED_NAMES = tuple(
    pattern.split("/", 1)[1] for pattern in PYTHON_PATTERNS if pattern.startswith("requirements/")
)
FILE_PATTERNS = tuple(pattern for pattern, _ in PARSERS)
MAX_BYTES = 2_000_000


def _load(name: str) -> Parser:
    module, function = name.split(".")
    return getattr(importlib.import_module(f"{__name__}.{module}"), function)


def matches(path: str, pattern: str) -> bool:
    posix = path.replace(os.sep, "/")
    if "/" in pattern:
        return fnmatch.fnmatchcase(posix, pattern) or fnmatch.fnmatchcase(posix, "*/" + pattern)
    return fnmatch.fnmatchcase(posix.rsplit("/", 1)[-1], pattern)


def _parser_for(path: str, parsers: tuple[tuple[str, str], ...] = PARSERS) -> str | None:
    return next((parser for pattern, parser in parsers if matches(path, pattern)), None)


def _record(path: str) -> None:
    """Tell the result cache that the file being linted depends on ``path``."""
    from twilio_lint.cache import record_dependency

    record_dependency(path)


def _record_listing(directory: str, patterns: tuple[str, ...]) -> None:
    """Tell the result cache that the file being linted depends on which names in
    ``directory`` match ``patterns`` (a manifest created there later drops the result)."""
    from twilio_lint.cache import record_listing

    record_listing(directory, patterns)


def _replaying_reads(function: Callable[[T], R]) -> Callable[[T], R]:
    """``lru_cache`` for a function of a project's manifests that reads more files (their
    includes): each call records those files again for the file being linted, not only the
    call that computed the answer."""

    @lru_cache(maxsize=256)
    def computed(argument: T) -> tuple[R, dict[str, bool]]:
        from twilio_lint.cache import recording

        return recording(lambda: function(argument))

    @wraps(function)
    def call(argument: T) -> R:
        from twilio_lint.cache import replay

        value, read = computed(argument)
        replay(read)
        return value

    # --fix forgets manifest caches between passes (fixes/apply.py), by this name
    call.cache_clear = computed.cache_clear  # type: ignore[attr-defined]
    return call


#: Texts that stand for files on disk while ``--diff`` previews a later fix pass: the
#: manifests as ``--fix`` would have written them (absolute path → text).
_PREVIEW: dict[str, str] = {}


@contextmanager
def previewing(texts: dict[str, str]) -> Iterator[None]:
    """Read ``texts`` (path → text) instead of those files while the block runs."""
    _PREVIEW.update({os.path.abspath(path): text for path, text in texts.items()})
    try:
        yield
    finally:
        _PREVIEW.clear()


def read_text(path: str) -> str | None:
    """A manifest's text, or None when it is unreadable, too big or not UTF-8. The file
    becomes a dependency of the result being computed (an include, a project manifest)."""
    _record(path)
    preview = _PREVIEW.get(os.path.abspath(path)) if _PREVIEW else None
    if preview is not None:
        return preview
    try:
        raw = read_regular_file(path, MAX_BYTES)
        return None if raw is None else decode(raw, python=False).text
    except (OSError, ValueError):  # ValueError: not UTF-8, or a NUL in the path
        return None


def _inside_project(path: str, includer: str) -> bool:
    """Whether the include ``path`` is inside the project, links resolved: under the folder
    of the manifest being linted or under its project's folder (``_project_folder``). A
    committed ``-r /dev/stdin`` or ``-r ../../elsewhere.txt`` is never followed."""
    real = os.path.realpath(path)
    folder = os.path.realpath(os.path.dirname(os.path.abspath(includer)))
    return any(
        top is not None and real != top and is_within(real, top)
        for top in (folder, _project_folder(folder))
    )


def _project_folder(folder: str) -> str | None:
    """The project of a manifest in ``folder`` (real), for a manifest under the working
    directory: the nearest folder holding a root marker, up to the working directory, which
    stands for it when none does. Run from a broad folder (``cd ~ && twilio-lint check
    repos/x``), a repository's includes stay in the repository. None outside the working
    directory: only the manifest's own folder counts there."""
    top = os.path.realpath(os.getcwd())
    if not is_within(folder, top):
        return None
    from pathlib import Path

    from twilio_lint.facts.module import has_marker  # the project index's root, recorded

    current = folder
    while current != top and not has_marker(Path(current)):
        current = os.path.dirname(current)
    return current


#: Manifests with a grammar: one that names twilio but does not parse has pins nobody can read.
_SYNTAX = {
    "python.toml_lock": "TOML", "python.pyproject": "TOML", "python.pipfile": "TOML",
    "jvm.version_catalog": "TOML", "python.pipfile_lock": "JSON",
    "jsonfiles.package_json": "JSON", "jsonfiles.composer_json": "JSON",
    "jvm.pom_xml": "XML", "dotnet.project_file": "XML",
}


def syntax_problem(path: str, text: str) -> str | None:
    """Why the manifest ``path`` is not valid TOML, JSON or XML (None: it is, or it is a
    line-based format that always reads)."""
    kind = _SYNTAX.get(_parser_for(path) or "")
    try:
        if kind == "TOML":
            from twilio_lint.manifests.python import tomllib

            tomllib.loads(text)
        elif kind == "JSON":
            import json

            json.loads(text)
        elif kind == "XML":
            from twilio_lint.manifests import safexml

            safexml.parse(text.encode("utf-8"))
    except RecursionError:
        return f"not valid {kind}: nested too deeply"
    except Exception as exc:  # noqa: BLE001 - each grammar's own error: a one-line reason
        detail = " ".join(str(exc).split())[:200]
        return f"not valid {kind}: {detail}" if detail else f"not valid {kind}"
    return None


def parse(source: Source, follow_includes: bool = True) -> list[Pin]:
    """The Twilio SDK pins of one manifest. A requirements file's ``-r``/``-c`` includes that
    are not manifests on their own (``-r common.pip``) are read and reported in that file."""
    parser = _parser_for(source.path)
    if parser is None:
        return []
    if parser == REQUIREMENTS:
        from twilio_lint.manifests import python

        def follow(path: str) -> bool:
            # a manifest is linted on its own; a plain file is read by its first includer only,
            # so requirements.txt and requirements-dev.txt both including it report it once
            return (
                follow_includes
                and _parser_for(path) is None
                and _inside_project(path, source.path)
                and _first_includer(source, path)
            )

        return python.requirements(source, follow, read_text)
    return _load(parser)(source)


def _first_includer(source: Source, target: str) -> bool:
    """Whether no sibling requirements file sorting before ``source`` includes ``target``."""
    directory = os.path.dirname(source.path) or "."
    _record_listing(directory, _requirement_names(directory))  # a new sibling may include it
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return True
    from twilio_lint.manifests import python

    mine = os.path.basename(source.path)
    real_target = os.path.realpath(target)
    for name in names:
        if name >= mine:
            break
        sibling = os.path.join(directory, name)
        if _parser_for(sibling) != REQUIREMENTS:
            continue
        text = read_text(sibling)
        if text and real_target in python.includes(Source(sibling, text)):
            return False
    return True


def _requirement_names(directory: str) -> tuple[str, ...]:
    """The names of requirements files in ``directory`` (``*.txt`` in a ``requirements``
    folder)."""
    folder = os.path.basename(os.path.abspath(directory))
    return tuple(dict.fromkeys(
        pattern.rsplit("/", 1)[-1]
        for pattern, parser in PYTHON_PARSERS
        if parser == REQUIREMENTS and pattern.split("/")[0] in (pattern, folder)
    ))


def compile_pin(pin: Pin) -> Spec | None:
    from twilio_lint.manifests.specs import compile_spec
    from twilio_lint.manifests.specs import ruby as ruby_spec

    if pin.flavor == "ruby":
        return ruby_spec(list(pin.ruby_requirements))
    return compile_spec(pin.flavor, pin.spec)


def newest_admitted(
    spec: Spec, releases: tuple[Release, ...]
) -> Release | None:
    """The newest installable release ``spec`` admits; for an exact pin of a yanked, never
    published or unknown version, that version itself (pip installs a yanked ``==`` pin)."""
    from twilio_lint.manifests.releases import Release

    candidates = [r for r in releases if r.installable and spec.admits(r.version)]
    if candidates:
        return max(candidates, key=lambda r: r.version)
    if spec.exact is not None:
        known = next((r for r in releases if r.version == spec.exact), None)
        return known or Release(spec.exact, str(spec.exact), None)
    return None


# --- for Python rules: which twilio does this file's project install? -----------------------


def pinned_twilio_version(path: str) -> Version | None:
    """The newest twilio version the manifests of ``path``'s project admit (a lock file's
    version when there is one), or None if they do not mention twilio. A file's project is
    its nearest folder with a Python manifest."""
    manifests = _nearest_project(path)
    return None if manifests is None else _project_version(manifests)


def _python_manifests(directory: str) -> tuple[str, ...]:
    """The Python manifests in ``directory`` and its ``requirements/`` folder. Both listings
    are dependencies of the result being computed: a manifest created later drops it."""
    _record_listing(directory, _LISTED_NAMES)
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return ()
    found = [os.path.join(directory, n) for n in names if _parser_for(n, PYTHON_PARSERS)]
    nested = os.path.join(directory, "requirements")
    if "requirements" in names and os.path.isdir(nested):
        _record_listing(nested, _NESTED_NAMES)
        try:
            found += [os.path.join(nested, n) for n in sorted(os.listdir(nested))
                      if _parser_for(os.path.join(nested, n), PYTHON_PARSERS)]
        except OSError:
            pass
    return tuple(sorted((p for p in found if os.path.isfile(p)), key=_preference))


def _preference(path: str) -> int:
    """Lock files first (they say what is installed), then declarations."""
    return next(i for i, (pattern, _) in enumerate(PYTHON_PARSERS) if matches(path, pattern))


def _stamped(manifests: tuple[str, ...]) -> tuple[tuple[str, int, int], ...]:
    """Cache keys that change when a manifest does (an editor session outlives edits)."""
    stamps = []
    for path in manifests:
        try:
            info = os.stat(path)
            stamps.append((path, info.st_mtime_ns, info.st_size))
        except OSError:
            stamps.append((path, -1, -1))
    return tuple(stamps)


@_replaying_reads
def _project_version(manifests: tuple[tuple[str, int, int], ...]) -> Version | None:
    pins: list[Pin] = []
    for path, _, _ in manifests:
        text = read_text(path)
        if text is not None:
            pins += parse(Source(path, text))
    if not pins:
        return None
    from datetime import date

    releases = history("pypi").known_on(date.max)
    locked = [pin for pin in pins if pin.flavor == "exact"]
    if locked:
        spec = compile_pin(locked[0])
        return spec.exact if spec is not None else None
    specs = [spec for spec in map(compile_pin, pins) if spec is not None]
    candidates = [
        r for r in releases if r.installable and all(s.admits(r.version) for s in specs)
    ]
    if candidates:
        return max(r.version for r in candidates)
    exact = [s.exact for s in specs if s.exact is not None]
    return exact[0] if exact else None


def lowest_twilio_version(path: str) -> Version | None:
    """The twilio version every install of ``path``'s project is at least (a lock file's
    version when there is one), or None when no twilio constraint has a lower bound: what a
    rule needs before it relies on a feature (``twilio>=9.10,<10`` gives 9.10)."""
    manifests = _nearest_project(path)
    return None if manifests is None else _project_floor(manifests)


def _nearest_project(path: str) -> tuple[tuple[str, int, int], ...] | None:
    """The stamped Python manifests of ``path``'s project: its nearest folder that has one."""
    directory = os.path.dirname(os.path.abspath(path))
    while True:
        manifests = _python_manifests(directory)
        if manifests:
            for manifest in manifests:
                _record(manifest)
            return _stamped(manifests)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


@_replaying_reads
def _project_floor(manifests: tuple[tuple[str, int, int], ...]) -> Version | None:
    floors: list[Version] = []
    for path, _, _ in manifests:  # lock files come first: what they pin is what is installed
        text = read_text(path)
        pins = parse(Source(path, text)) if text is not None else []
        locked = [pin for pin in pins if pin.flavor == "exact"]
        if locked:
            return _floor(locked[0])
        # every constraint of one manifest holds at once; separate manifests may be
        # alternative ways to install, so the project is only as new as the lowest of them
        found = [f for f in (_floor(pin) for pin in pins) if f is not None]
        if found:
            floors.append(max(found))
    return min(floors) if floors else None


def _floor(pin: Pin) -> Version | None:
    spec = compile_pin(pin)
    return spec.floor() if spec is not None else None


def history(ecosystem: str) -> History:
    """The shipped release history of one ecosystem (loaded on first use)."""
    from twilio_lint.manifests import releases

    return releases.history(ecosystem)


def default_reference_date():
    """"Today" for staleness: the newest date in the shipped data (reproducible)."""
    from twilio_lint.manifests import releases

    return releases.default_reference_date()
