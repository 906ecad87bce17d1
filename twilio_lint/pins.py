"""The twilio version a Python file's project pins, from its nearest manifest.

A stop-gap for TWL304 until the SDK-currency manifest parsing (``twilio_lint/manifests/``)
lands; the lead merges the two. A file's project is its nearest folder (walking up) holding a
``requirements*.txt`` or a ``pyproject.toml``. Read-only and cached per folder.
"""

from __future__ import annotations

import os
import re
import sys
from functools import lru_cache
from pathlib import Path

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

MAX_MANIFEST_BYTES = 1_000_000
MAX_INCLUDE_DEPTH = 5
REQUIREMENTS_RE = re.compile(r"^requirements.*\.txt$")
#: Poetry's ``^9.10`` / ``~9.10`` ranges start at the version they name.
POETRY_RANGE_RE = re.compile(r"^\s*[\^~]\s*([0-9][0-9A-Za-z.+-]*)\s*$")


def pinned_twilio_version(path: str) -> Version | None:
    """The lowest twilio version the project of ``path`` admits, or None (no manifest, no
    twilio requirement, or one without a lower bound such as ``twilio`` or ``twilio<10``).

    ``twilio==9.11.0`` gives 9.11.0; ``twilio>=9.10,<10`` 9.10; ``^9.12`` 9.12. The lowest
    admitted version is what every install is at least, so a rule can rely on it.
    """
    directory = os.path.dirname(os.path.abspath(path))
    return _version_for_directory(directory)


@lru_cache(maxsize=256)
def _version_for_directory(directory: str) -> Version | None:
    current = Path(directory)
    for folder in (current, *current.parents):
        manifests = _manifests_in(folder)
        if manifests:
            versions = [v for m in manifests if (v := _lowest_in_manifest(m)) is not None]
            return min(versions) if versions else None
    return None


def _manifests_in(folder: Path) -> list[Path]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found = [folder / name for name in names if REQUIREMENTS_RE.match(name)]
    if "pyproject.toml" in names:
        found.append(folder / "pyproject.toml")
    return [path for path in found if path.is_file()]


def _read(path: Path) -> str | None:
    try:
        if path.stat().st_size > MAX_MANIFEST_BYTES:
            return None
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _lowest_in_manifest(path: Path) -> Version | None:
    if path.name == "pyproject.toml":
        return _lowest_in_pyproject(path)
    return _lowest_in_requirements(path, depth=0, seen=set())


def _lowest_in_requirements(path: Path, depth: int, seen: set[Path]) -> Version | None:
    text = _read(path)
    if text is None or path in seen or depth > MAX_INCLUDE_DEPTH:
        return None
    seen.add(path)
    versions: list[Version] = []
    for raw in text.replace("\\\n", " ").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        include = re.match(r"^(?:-r|--requirement|-c|--constraint)[\s=]+(\S+)", line)
        if include:
            found = _lowest_in_requirements(path.parent / include.group(1), depth + 1, seen)
        elif line.startswith("-"):
            continue
        else:
            found = _lowest_in_requirement_string(line.split(" --", 1)[0])
        if found is not None:
            versions.append(found)
    return max(versions) if versions else None


def _lowest_in_requirement_string(text: str) -> Version | None:
    try:
        requirement = Requirement(text.strip())
    except InvalidRequirement:
        return None
    if canonicalize_name(requirement.name) != "twilio":
        return None
    return lowest_admitted(requirement.specifier)


def lowest_admitted(specifier: SpecifierSet) -> Version | None:
    """The version every install satisfying ``specifier`` is at least (None: no lower bound)."""
    bounds: list[Version] = []
    for spec in specifier:
        if spec.operator in ("==", "===", ">=", "~=", ">"):
            version = spec.version.replace(".*", "")
            try:
                bounds.append(Version(version))
            except InvalidVersion:
                continue
    return max(bounds) if bounds else None


def _lowest_in_pyproject(path: Path) -> Version | None:
    text = _read(path)
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    strings: list[str] = []
    project = data.get("project", {})
    strings.extend(_strings(project.get("dependencies")))
    for group in _dict(project.get("optional-dependencies")).values():
        strings.extend(_strings(group))
    for group in _dict(data.get("dependency-groups")).values():
        strings.extend(_strings(group))
    versions = [v for s in strings if (v := _lowest_in_requirement_string(s)) is not None]
    poetry = _dict(_dict(data.get("tool")).get("poetry"))
    for table in [_dict(poetry.get("dependencies"))] + [
        _dict(_dict(group).get("dependencies")) for group in _dict(poetry.get("group")).values()
    ]:
        found = _lowest_in_poetry(table.get("twilio"))
        if found is not None:
            versions.append(found)
    return min(versions) if versions else None


def _lowest_in_poetry(value: object) -> Version | None:
    if isinstance(value, dict):
        value = value.get("version")
    if not isinstance(value, str):
        return None
    caret = POETRY_RANGE_RE.match(value)
    try:
        if caret:
            return Version(caret.group(1))
        if value.strip() and value.strip()[0].isdigit():
            return Version(value.strip())  # a bare version pins it exactly in Poetry
        return lowest_admitted(SpecifierSet(value))
    except (InvalidVersion, ValueError):
        return None


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
