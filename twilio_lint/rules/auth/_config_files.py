"""Key/value pairs read from config text: ``.env``, INI/CFG, TOML, YAML and JSON.

A line-based reader, not a parser: it never fails on a file it cannot make sense of, and each
pair keeps the position of its value so a finding can point at it. The format comes from the
file name (``.json``, ``.toml``, ``.yaml``/``.yml``, ``.ini``/``.cfg``; anything else is read
as ``.env``). Values are the text as written, unquoted, never interpolated.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from twilio_lint.semantic.text import TextDocument

_ENV_LINE = re.compile(r"^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.\-]*)[ \t]*=[ \t]*(.*)$")
_INI_LINE = re.compile(r"^[ \t]*([^\s=:#;\[][^=:]*?)[ \t]*[=:][ \t]*(.*)$")
_TOML_PAIR = re.compile(
    r"""(?:^|[{,])[ \t]*([A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')[ \t]*=[ \t]*("[^"\n]*"|'[^'\n]*')"""
)
_YAML_PAIR = re.compile(
    r"""^[ \t]*(?:-[ \t]+)?(["']?)([^"'#:{}\[\],\s][^"'#:{}\[\],]*?)\1[ \t]*:[ \t]+(.+?)[ \t]*$"""
)
_YAML_ENV_ITEM = re.compile(
    r"""^[ \t]*-[ \t]+(["']?)([A-Za-z_][A-Za-z0-9_]*)=(.*?)\1[ \t]*(?:#.*)?$"""
)
_JSON_PAIR = re.compile(r'"((?:[^"\\\n]|\\.)*)"\s*:\s*"((?:[^"\\\n]|\\.)*)"')


class Pair(NamedTuple):
    """One setting: its key, its value as written, and where the value starts."""

    key: str
    value: str
    line: int  # 1-based
    col: int  # 0-based character column of the value


def key_value_pairs(document: TextDocument) -> Iterator[Pair]:
    """Every ``key``/string ``value`` setting of a config file, in file order."""
    name = document.basename.lower()
    if name.endswith(".json"):
        return _json_pairs(document)
    if name.endswith(".toml"):
        return _toml_pairs(document)
    if name.endswith((".yaml", ".yml")):
        return _yaml_pairs(document)
    return _line_pairs(document, _INI_LINE if name.endswith((".ini", ".cfg")) else _ENV_LINE)


def _json_pairs(document: TextDocument) -> Iterator[Pair]:
    """``"key": "value"`` at any depth (string values only; escapes left as written)."""
    for match in _JSON_PAIR.finditer(document.text):
        line, col = document.offset_to_position(match.start(2))
        yield Pair(match.group(1), match.group(2), line, col)


def _line_pairs(document: TextDocument, pattern: re.Pattern[str]) -> Iterator[Pair]:
    """``KEY=value`` (``.env``, ``export`` allowed) or ``key = value`` / ``key: value`` (INI)."""
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith(("#", ";", "[")):
            continue  # a comment or a section header
        match = pattern.match(line)
        if match:
            value, col = _scalar(match.group(2), match.start(2))
            yield Pair(match.group(1).strip(), value, number, col)


def _toml_pairs(document: TextDocument) -> Iterator[Pair]:
    """``key = "value"``, also inside inline tables (string values only)."""
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        for match in _TOML_PAIR.finditer(line):
            key = match.group(1).strip("\"'")
            yield Pair(key, match.group(2)[1:-1], number, match.start(2) + 1)


def _yaml_pairs(document: TextDocument) -> Iterator[Pair]:
    """``key: value``, ``- NAME=value`` (compose), and ``- name: X`` / ``value: …`` (k8s): the
    ``value`` of such an item is given under the name it belongs to."""
    last_name: tuple[int, str] | None = None
    for number, line in enumerate(document.lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        item = _YAML_ENV_ITEM.match(line)
        if item:
            value, col = _scalar(item.group(3), item.start(3))
            yield Pair(item.group(2), value, number, col)
            continue
        match = _YAML_PAIR.match(line)
        if not match:
            continue
        key = match.group(2).strip()
        value, col = _scalar(match.group(3), match.start(3))
        if key == "name":
            last_name = (number, value)
        elif key == "value" and last_name is not None and number - last_name[0] <= 2:
            key = last_name[1]  # the env var this value belongs to
        yield Pair(key, value, number, col)


def _scalar(raw: str, col: int) -> tuple[str, int]:
    """A value as written after ``=``/``:`` and its column: unquoted (inline comment dropped)
    or quoted (the quotes dropped, up to the closing one)."""
    if raw[:1] in ("'", '"'):
        end = raw.find(raw[0], 1)
        return (raw[1:end] if end > 0 else raw[1:]), col + 1
    value = re.split(r"[ \t]+[#;]", raw, maxsplit=1)[0].strip()
    return value, col
