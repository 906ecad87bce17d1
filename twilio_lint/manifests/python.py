"""Python manifests: requirements files, pyproject.toml, Pipfile, setup.cfg, setup.py, locks."""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from twilio_lint.manifests.pins import Pin, Source, find_quoted, spec_span, toml_table

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

NAME = "twilio"
MAX_INCLUDE_DEPTH = 10


def _is_twilio(name: Any) -> bool:
    return isinstance(name, str) and canonicalize_name(name) == NAME


def _pep508_pin(
    source: Source, requirement: str, offset: int, flavor: str = "pep440"
) -> Pin | None:
    """A pin for the PEP 508 string ``requirement`` found at ``offset`` (-1: not located)."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        return None
    if not _is_twilio(parsed.name) or parsed.url:
        return None
    span = spec_span(requirement)
    located = offset >= 0
    if offset < 0:
        found = source.text.find(requirement.strip())
        located, offset = found >= 0, max(found, 0)
    if span is None:
        name_at = offset + (len(requirement) - len(requirement.lstrip()))
        return Pin("pypi", flavor, "", source, name_at, name_at + len(parsed.name))
    return Pin("pypi", flavor, str(parsed.specifier), source, offset + span[0], offset + span[1],
               located=located)


# --- requirements*.txt / constraints*.txt ----------------------------------------------------

_INCLUDE = re.compile(r"^(?:-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?=\S))(\S+)")
_OPTION = re.compile(r"(?:^|\s)--?[A-Za-z]")
_COMMENT = re.compile(r"(?:^|\s)#")


def _logical_lines(text: str) -> Iterator[tuple[str, list[int]]]:
    """pip's logical lines: backslash continuations joined, with each char's offset in text."""
    chars: list[str] = []
    offsets: list[int] = []
    position = 0
    for physical in text.splitlines(keepends=True):
        body = physical.rstrip("\r\n")
        continued = body.endswith("\\") and not _COMMENT.search(body)
        if continued:
            body = body[:-1]
        chars.append(body)
        offsets.extend(range(position, position + len(body)))
        position += len(physical)
        if not continued:
            yield "".join(chars), offsets
            chars, offsets = [], []
    if chars:
        yield "".join(chars), offsets


def requirements(
    source: Source,
    follow: Callable[[str], bool] = lambda path: False,
    read: Callable[[str], str | None] | None = None,
    _seen: frozenset[str] = frozenset(),
) -> list[Pin]:
    """Pins in a requirements/constraints file. ``-r``/``-c`` includes whose path ``follow``
    accepts are read (with ``read``) and reported in the included file itself."""
    pins: list[Pin] = []
    for logical, offsets in _logical_lines(source.text):
        comment = _COMMENT.search(logical)
        line = logical[: comment.start()] if comment else logical
        stripped = line.strip()
        if not stripped:
            continue
        include = _INCLUDE.match(stripped)
        if include:
            pins.extend(_include(source, include.group(1), follow, read, _seen))
            continue
        if stripped.startswith("-") or "twilio" not in stripped.lower():
            continue  # -e, -i, --hash on its own line, other packages: nothing to judge
        option = _OPTION.search(line, len(line) - len(line.lstrip()) + 1)
        requirement = line[: option.start()] if option else line
        lead = len(requirement) - len(requirement.lstrip())
        text = requirement.strip()
        try:
            parsed = Requirement(text)
        except InvalidRequirement:
            continue
        if not _is_twilio(parsed.name) or parsed.url:
            continue
        span = spec_span(text) or (0, len(parsed.name))
        # map the span from the logical line back to the file (continuations move text)
        start, end = offsets[lead + span[0]], offsets[lead + span[1] - 1] + 1
        spec = str(parsed.specifier) if span[0] else ""
        pins.append(Pin("pypi", "pep440", spec, source, start, end))
    return pins


def includes(source: Source) -> set[str]:
    """Real paths of the files a requirements file includes directly."""
    found = set()
    for logical, _ in _logical_lines(source.text):
        match = _INCLUDE.match(logical.strip())
        if match and "://" not in match.group(1) and "\x00" not in match.group(1):
            found.add(os.path.realpath(os.path.join(os.path.dirname(source.path), match.group(1))))
    return found


def _include(
    source: Source,
    target: str,
    follow: Callable[[str], bool],
    read: Callable[[str], str | None] | None,
    seen: frozenset[str],
) -> list[Pin]:
    if read is None or "://" in target or "\x00" in target or len(seen) >= MAX_INCLUDE_DEPTH:
        return []
    path = os.path.normpath(os.path.join(os.path.dirname(source.path), target))
    real = os.path.realpath(path)
    if real in seen or real == os.path.realpath(source.path) or not follow(path):
        return []
    text = read(path)
    if text is None:
        return []
    seen = seen | {os.path.realpath(source.path), real}
    return requirements(Source(path, text), follow, read, seen)


# --- TOML: pyproject.toml, Pipfile, poetry.lock, uv.lock ------------------------------------


def _toml(source: Source) -> dict[str, Any] | None:
    try:
        data = tomllib.loads(source.text)
    except (tomllib.TOMLDecodeError, RecursionError):
        return None
    return data


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _pep508_list(source: Source, items: Any, header: str) -> list[Pin]:
    """PEP 508 strings of a TOML array in table ``[header]``, located in order."""
    if not isinstance(items, list):
        return []
    region = toml_table(source.text, header) or (0, len(source.text))
    pins = []
    cursor = region[0]
    for item in items:
        if not isinstance(item, str) or "twilio" not in item.lower():
            continue
        found = find_quoted(source.text, item, cursor, region[1])
        if found == -1:
            found = find_quoted(source.text, item)
        else:
            cursor = found + len(item)
        pin = _pep508_pin(source, item, found)
        if pin is not None:
            pins.append(pin)
    return pins


def _table_pins(source: Source, table: Any, header: str, flavor: str) -> list[Pin]:
    """``twilio = "^6"`` / ``twilio = {version = "^6"}`` / a list of such tables (Poetry,
    Pipfile)."""
    if not isinstance(table, dict):
        return []
    pins = []
    region = toml_table(source.text, header) or (0, len(source.text))
    for name, value in table.items():
        if not _is_twilio(name):
            continue
        key = re.compile(r"(?mi)^[ \t]*[\"']?" + re.escape(name) + r"[\"']?[ \t]*=[ \t]*")
        match = key.search(source.text, *region) or key.search(source.text)
        anchor = match.end() if match else 0
        values = value if isinstance(value, list) else [value]
        for item in values:
            version = item.get("version") if isinstance(item, dict) else item
            if isinstance(item, dict) and (version is None) and (
                "git" in item or "path" in item or "url" in item or "file" in item
            ):
                continue
            if version is None:
                version = ""
            if not isinstance(version, str):
                continue
            if isinstance(item, dict):
                found_key = re.compile(r"version\s*=\s*[\"']").search(source.text, anchor)
                found = found_key.end() if found_key and version else -1
                if found != -1 and not source.text.startswith(version, found):
                    found = -1  # another entry's version: do not guess
            else:
                found = find_quoted(source.text, version, anchor) if version else -1
            if found == -1:
                indent = len(match.group(0)) - len(match.group(0).lstrip()) if match else 0
                start = match.start() + indent if match else 0
                pins.append(Pin("pypi", flavor, version, source, start, start + len(name),
                                located=False))
                continue
            anchor = found + len(version)
            pins.append(Pin("pypi", flavor, version, source, found, found + len(version)))
    return pins


def pyproject(source: Source) -> list[Pin]:
    data = _toml(source)
    if data is None:
        return []
    pins = _pep508_list(source, _dig(data, "project", "dependencies"), "project")
    optional = _dig(data, "project", "optional-dependencies")
    for items in optional.values() if isinstance(optional, dict) else ():
        pins += _pep508_list(source, items, "project.optional-dependencies")
    groups = _dig(data, "dependency-groups")
    if isinstance(groups, dict):
        for items in groups.values():
            pins += _pep508_list(source, items, "dependency-groups")
    pdm = _dig(data, "tool", "pdm", "dev-dependencies")
    if isinstance(pdm, dict):
        for items in pdm.values():
            pins += _pep508_list(source, items, "tool.pdm.dev-dependencies")
    poetry = _dig(data, "tool", "poetry")
    if isinstance(poetry, dict):
        for key in ("dependencies", "dev-dependencies"):
            pins += _table_pins(source, poetry.get(key), f"tool.poetry.{key}", "poetry")
        groups = poetry.get("group")
        for group, body in groups.items() if isinstance(groups, dict) else ():
            header = f"tool.poetry.group.{group}.dependencies"
            pins += _table_pins(source, _dig(body, "dependencies"), header, "poetry")
    return _unique(pins)


def pipfile(source: Source) -> list[Pin]:
    data = _toml(source)
    if data is None:
        return []
    pins = []
    for section, table in data.items():
        if section in ("source", "requires", "pipenv", "scripts"):
            continue
        pins += _table_pins(source, table, section, "pipfile")
    return _unique(pins)


_LOCK_NAME = re.compile(r"(?m)^name\s*=\s*[\"']([^\"']+)[\"']")
_LOCK_VERSION = re.compile(r"(?m)^version\s*=\s*[\"']([^\"']+)[\"']")


def toml_lock(source: Source) -> list[Pin]:
    """poetry.lock and uv.lock: ``[[package]]`` blocks with ``name`` and ``version``."""
    data = _toml(source)
    if data is None or not any(
        isinstance(p, dict) and _is_twilio(p.get("name")) for p in data.get("package", [])
    ):
        return []
    pins = []
    headers = [m.end() for m in re.finditer(r"(?m)^\[\[package\]\][ \t]*$", source.text)]
    for index, start in enumerate(headers):
        end = headers[index + 1] if index + 1 < len(headers) else len(source.text)
        name = _LOCK_NAME.search(source.text, start, end)
        version = _LOCK_VERSION.search(source.text, start, end)
        if name and version and _is_twilio(name.group(1)):
            pins.append(Pin("pypi", "exact", version.group(1), source, *version.span(1)))
    return pins


# --- Pipfile.lock ------------------------------------------------------------------------------


def pipfile_lock(source: Source) -> list[Pin]:
    try:
        data = json.loads(source.text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(data, dict):
        return []
    pins = []
    cursor = 0
    for section, packages in data.items():
        if section == "_meta" or not isinstance(packages, dict):
            continue
        for name, info in packages.items():
            if not _is_twilio(name) or not isinstance(info, dict):
                continue
            version = info.get("version")
            if not isinstance(version, str):
                continue
            key = re.compile(r'"' + re.escape(name) + r'"\s*:\s*\{').search(source.text, cursor)
            at = key.end() if key else 0
            found = re.compile(r'"version"\s*:\s*"').search(source.text, at)
            if found is None:
                continue
            cursor = found.end()
            text = version.removeprefix("==")
            offset = found.end() + (len(version) - len(text))
            pins.append(Pin("pypi", "exact", text, source, offset, offset + len(text)))
    return pins


# --- setup.cfg -----------------------------------------------------------------------------------


def setup_cfg(source: Source) -> list[Pin]:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(source.text)
    except configparser.Error:
        return []
    values: list[tuple[str, str]] = []
    if parser.has_option("options", "install_requires"):
        values.append(("options", parser.get("options", "install_requires")))
    if parser.has_section("options.extras_require"):
        for _, value in parser.items("options.extras_require"):
            values.append(("options.extras_require", value))
    pins = []
    for section, value in values:
        header = re.compile(r"(?m)^\[" + re.escape(section) + r"\]").search(source.text)
        cursor = header.end() if header else 0
        for line in value.splitlines():
            requirement = line.split(" #", 1)[0].strip()
            if not requirement or "twilio" not in requirement.lower():
                continue
            found = source.text.find(requirement, cursor)
            if found != -1:
                cursor = found + len(requirement)
            pin = _pep508_pin(source, requirement, found)
            if pin is not None:
                pins.append(pin)
    return pins


# --- setup.py ----------------------------------------------------------------------------------


def setup_py(source: Source) -> list[Pin]:
    """``install_requires``/``extras_require`` list literals of ``setup(...)`` (or a module-level
    name bound to one)."""
    try:
        with warnings.catch_warnings():  # the engine reports Python problems, not this parse
            warnings.simplefilter("ignore")
            tree = ast.parse(source.text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    assigned = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    lines = source.text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    pins: list[Pin] = []
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call) or _call_name(call.func) != "setup":
            continue
        for keyword in call.keywords:
            if keyword.arg not in ("install_requires", "extras_require"):
                continue
            value = keyword.value
            if isinstance(value, ast.Name):
                value = assigned.get(value.id, value)
            lists = value.values if isinstance(value, ast.Dict) else [value]
            for item in lists:
                if isinstance(item, ast.Name):
                    item = assigned.get(item.id, item)
                if isinstance(item, (ast.List, ast.Tuple)):
                    for element in item.elts:
                        pin = _literal_pin(source, element, lines, starts)
                        if pin is not None:
                            pins.append(pin)
    return pins


def _call_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _literal_pin(source: Source, node: ast.expr, lines: list[str], starts: list[int]) -> Pin | None:
    if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
        return None
    line = lines[node.lineno - 1]
    col = len(line.encode("utf-8")[: node.col_offset].decode("utf-8", "replace"))
    literal_start = starts[node.lineno - 1] + col
    quote = re.match(r"[rRuU]*(\"\"\"|'''|\"|')", source.text[literal_start:])
    offset = -1
    if quote:
        body_start = literal_start + quote.end()
        if source.text.startswith(node.value, body_start):
            offset = body_start  # no escapes in the literal: exact span
    pin = _pep508_pin(source, node.value, offset)
    if pin is not None and offset == -1:  # escapes or concatenation: the whole literal
        end = literal_start + len(ast.get_source_segment(source.text, node) or "")
        return Pin(pin.ecosystem, pin.flavor, pin.spec, source, literal_start, end, located=False)
    return pin


def _unique(pins: list[Pin]) -> list[Pin]:
    seen: set[tuple[int, int]] = set()
    result = []
    for pin in pins:
        if (pin.start, pin.end) not in seen:
            seen.add((pin.start, pin.end))
            result.append(pin)
    return result
