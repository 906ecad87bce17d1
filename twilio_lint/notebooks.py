"""Jupyter notebooks (``.ipynb``), linted as Ruff lints them.

The code cells are joined into one Python module, each cell after a marker comment line
(``# twilio-lint-cell 3``: the cell's 1-based number among all the notebook's cells, as Ruff
and Jupyter count them). IPython escapes that are not Python (``%magic``, ``!shell``,
``x = !cmd``, ``obj?``) become ``pass`` statements that remember the line they stand for
(``%env NAME=value`` becomes ``NAME = "value"``, so TWL102 sees a credential set that way), and
cells in another language (``%%bash``) are left out. So the engine lints the joined text with
``ast`` like any module, findings are mapped back to their cell and row from the markers, and a
fix edits the joined text, which ``Notebook.with_code`` splits back into the cells (escapes
restored) and serialises with the notebook's own indentation, key order and final newline:
outputs and metadata are kept as they were.

The standard ``json`` module reads and writes the file: ``nbformat`` would validate against
the schema (jsonschema and traitlets on every run) and writes every notebook with sorted keys
and an indent of 1, which would rewrite notebooks that were not formatted that way.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from twilio_lint.files import NOTEBOOK_SUFFIX as SUFFIX  # noqa: F401 - named here too
from twilio_lint.files import MAX_TEXT_BYTES, decode, is_notebook, read_regular_file  # noqa: F401
CELL_MARKER = "# twilio-lint-cell "
_MARKER_LINE = re.compile(r"# twilio-lint-cell (\d+)\n?\Z")
ESCAPE_MARK = "  # twilio-lint-escape "
_ESCAPE_LINE = re.compile(r".*  # twilio-lint-escape (?P<number>\d+)\Z")
#: ``%env NAME=value`` (``%set_env NAME value``, ``!export NAME=value``): kept visible to the
#: rules as the Python assignment ``NAME = "value"``, its value at the column it has in the
#: cell, so a credential set through a magic is found (TWL102) where it is. No fix may edit
#: such a line.
_ENV_MAGIC = re.compile(
    r"(?P<head>[ \t]*(?:%(?:env|set_env)|!export)[ \t]+)(?P<name>[A-Za-z_]\w*)"
    r"(?P<sep>[ \t]*=[ \t]*|[ \t]+)(?P<value>[^\s\"\\]+)[ \t]*\n?\Z"
)
#: An IPython escape: a line magic, a shell escape, help (``?obj``), autocall (``/f x``), or
#: the assignment of one (``files = !ls``, ``t = %timeit -o f()``).
_ESCAPE = re.compile(
    r"[ \t]*(?:[%!?/]|[A-Za-z_][\w.]*(?:[ \t]*,[ \t]*[A-Za-z_][\w.]*)*[ \t]*=[ \t]*[%!])"
)
_HELP = re.compile(r"[ \t]*[A-Za-z_][\w.]*\?\??[ \t]*\n?\Z")  # ``obj?``, ``obj.attr??``
#: Cell magics whose body is still Python (Ruff's list); any other ``%%`` cell is not linted.
PYTHON_CELL_MAGICS = frozenset(
    {"capture", "debug", "prun", "pypy", "python", "python3", "time", "timeit"}
)


class NotebookError(ValueError):
    """The file is not a notebook twilio-lint can read: one line for the report."""


@dataclass
class _Cell:
    index: int  # position in the notebook's "cells" (0-based)
    lines: list[str]  # the cell's source lines, each ending in "\n"
    ends_with_newline: bool
    as_list: bool  # the notebook stored the source as a list of lines


@dataclass
class Notebook:
    document: dict
    cells: list[_Cell]
    indent: int | None
    final_newline: bool
    ensure_ascii: bool
    escapes: dict[int, str] = field(default_factory=dict)  # escape number -> original line

    # --- reading ------------------------------------------------------------------------------

    @classmethod
    def from_bytes(cls, raw: bytes) -> Notebook:
        """Raises ``NotebookError`` (or a decode error) for anything that is not a notebook."""
        text = decode(raw, python=False).text
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise NotebookError(
                f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            ) from None
        except RecursionError:
            raise NotebookError("invalid JSON: nested too deeply") from None
        if not isinstance(document, dict) or not isinstance(document.get("cells"), list):
            raise NotebookError("not a Jupyter notebook: no list of cells")
        cells = [
            cell
            for index, item in enumerate(document["cells"])
            if (cell := _code_cell(index, item)) is not None
        ]
        return cls(
            document=document,
            cells=cells,
            indent=_indent_of(text),
            final_newline=text.endswith("\n"),
            ensure_ascii=text.isascii() and "\\u" in text,
        )

    def is_python(self) -> bool:
        """Notebooks of another kernel (R, Julia…) are not linted, as in Ruff."""
        metadata = self.document.get("metadata")
        if not isinstance(metadata, dict):
            return True
        info = metadata.get("language_info")
        name = info.get("name") if isinstance(info, dict) else None
        if name is None:
            kernel = metadata.get("kernelspec")
            name = kernel.get("language") if isinstance(kernel, dict) else None
        return name is None or str(name).lower() == "python"

    # --- the joined module --------------------------------------------------------------------

    def code(self) -> str:
        """The code cells as one Python module, escapes masked."""
        out: list[str] = []
        self.escapes.clear()
        for cell in self.cells:
            out.append(f"{CELL_MARKER}{cell.index + 1}\n")
            out.extend(self._masked(cell.lines))
        return "".join(out)

    def display_lines(self) -> list[str]:
        """The joined module's lines as the notebook shows them (escapes not masked), for
        the source quoted by reports and the fingerprints of a baseline."""
        lines: list[str] = []
        for cell in self.cells:
            lines.append("")
            lines.extend(line.rstrip("\n") for line in cell.lines)
        return lines

    def _masked(self, lines: list[str]) -> list[str]:
        masked: list[str] = []
        scanner = _Scanner()
        escape_indent: str | None = None  # set while an escape continues with a backslash
        for number, line in enumerate(lines):
            magic = number == 0 and line.startswith("%%")  # a Python cell magic (%%time)
            starts_escape = magic or (scanner.at_statement_start and _is_escape(line))
            if escape_indent is None and starts_escape:
                escape_indent = re.match(r"[ \t]*", line).group()
            if escape_indent is None:
                scanner.feed(line)
                masked.append(line)
                continue
            key = len(self.escapes)
            self.escapes[key] = line
            masked.append(f"{_stand_in(line, escape_indent)}{ESCAPE_MARK}{key}\n")
            if not line.rstrip("\n").endswith("\\"):
                escape_indent = None
        return masked

    # --- writing ------------------------------------------------------------------------------

    def with_code(self, code: str) -> str:
        """The notebook's JSON text with its code cells replaced by the cells of ``code`` (a
        fixed version of ``code()``). Raises NotebookError if the cell markers are gone."""
        sources = self._split(code)
        for cell in self.cells:
            lines = [self._unmasked(line) for line in sources[cell.index + 1]]
            if lines and not cell.ends_with_newline:
                lines[-1] = lines[-1][:-1] if lines[-1].endswith("\n") else lines[-1]
            raw_cell = self.document["cells"][cell.index]
            raw_cell["source"] = lines if cell.as_list else "".join(lines)
        text = json.dumps(self.document, indent=self.indent, ensure_ascii=self.ensure_ascii)
        return text + "\n" if self.final_newline else text

    def _split(self, code: str) -> dict[int, list[str]]:
        sources: dict[int, list[str]] = {}
        preamble: list[str] = []  # text a fix put before the first marker joins the first cell
        current = preamble
        for line in code.splitlines(keepends=True):
            match = _MARKER_LINE.match(line)
            if match:
                current = sources.setdefault(int(match.group(1)), [])
                current.extend(preamble)
                preamble.clear()
                continue
            current.append(line if line.endswith("\n") else line + "\n")
        if {cell.index + 1 for cell in self.cells} != set(sources):
            raise NotebookError("the fixed code lost a cell boundary")
        return sources

    def _unmasked(self, line: str) -> str:
        match = _ESCAPE_LINE.match(line.rstrip("\n"))
        if match is None:
            return line
        return self.escapes[int(match.group("number"))]


@dataclass(frozen=True)
class CellMap:
    """Where each cell starts in the joined module: maps a line to (cell, row in the cell)."""

    starts: tuple[tuple[int, int], ...]  # (marker line number, cell number), in order

    @classmethod
    def of(cls, code: str) -> CellMap:
        starts = []
        for number, line in enumerate(code.splitlines(), start=1):
            if line.startswith(CELL_MARKER) and _MARKER_LINE.match(line):
                starts.append((number, int(line[len(CELL_MARKER):])))
        return cls(tuple(starts))

    def locate(self, line: int) -> tuple[int, int]:
        """(cell number, number of joined lines before the cell's first line)."""
        found = (self.starts[0][1], self.starts[0][0]) if self.starts else (1, 0)
        for marker_line, cell in self.starts:
            if marker_line >= line:
                break
            found = (cell, marker_line)
        return found


def place_findings(findings: list, code: str) -> None:
    """Tell each finding of the joined ``code`` its cell and the offset of its rows."""
    cells = CellMap.of(code)
    markers = {marker_line for marker_line, _ in cells.starts}
    for finding in findings:
        if finding.line in markers:  # no code there: a file-wide TWL001 (no position)
            finding.line += 1
            finding.end_line = max(finding.end_line, finding.line)
        finding.cell, finding.cell_offset = cells.locate(finding.line)


def read_display_lines(path: str) -> list[str]:
    """The lines a report quotes for a notebook's findings (see ``display_lines``). Raises
    OSError, a decode error or NotebookError."""
    return Notebook.from_bytes(_read_notebook(path)).display_lines()


def cell_map_of_file(path: str) -> CellMap | None:
    """The cells of the notebook ``path`` (None when it cannot be read), for reports that
    place a fix's edits, which may lie in other cells than the finding. Asked for every
    finding with a fix: read and joined once per version of the file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return _cell_map(path, info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=16)
def _cell_map(path: str, mtime_ns: int, size: int) -> CellMap | None:
    try:
        return CellMap.of(Notebook.from_bytes(_read_notebook(path)).code())
    except (OSError, ValueError):  # NotebookError and UnicodeDecodeError are ValueErrors
        return None


def _read_notebook(path: str) -> bytes:
    """A notebook's bytes: a regular file (a FIFO put in its place must not hang the report)
    of at most MAX_TEXT_BYTES."""
    raw = read_regular_file(path, MAX_TEXT_BYTES)
    if raw is None:
        raise OSError(f"{path}: not a regular file, or too large")
    return raw


def _code_cell(index: int, item: object) -> _Cell | None:
    if not isinstance(item, dict) or item.get("cell_type") != "code":
        return None
    source = item.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        text, as_list = "".join(source), True
    elif isinstance(source, str):
        text, as_list = source, False
    else:
        raise NotebookError(f"cell {index + 1}: its source is not text")
    if not text.strip():
        return None
    first = text.lstrip().split(None, 1)[0] if text.lstrip() else ""
    if first.startswith("%%") and first[2:] not in PYTHON_CELL_MAGICS:
        return None  # %%bash, %%html, %%sql…: not Python
    lines = text.splitlines(keepends=True)
    lines = [line if line.endswith("\n") else line + "\n" for line in lines]
    return _Cell(index, lines, text.endswith("\n"), as_list)


class _Scanner:
    """Whether the next line starts a statement: not inside brackets, a string or a
    backslash continuation. ``%`` or ``/`` opening a continued line is an operator."""

    def __init__(self) -> None:
        self.depth = 0
        self.quote: str | None = None  # the open triple quote
        self.continued = False

    @property
    def at_statement_start(self) -> bool:
        return not (self.depth or self.quote or self.continued)

    def feed(self, line: str) -> None:
        index, size = 0, len(line)
        comment = False
        while index < size:
            if self.quote is not None:
                end = line.find(self.quote, index)
                if end < 0:
                    break
                self.quote, index = None, end + 3
                continue
            char = line[index]
            if char == "#":
                comment = True
                break
            if line.startswith(('"""', "'''"), index):
                self.quote, index = line[index : index + 3], index + 3
                continue
            if char in "\"'":
                index = _string_end(line, index)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(0, self.depth - 1)
            index += 1
        ending = line.rstrip("\r\n")
        self.continued = not comment and self.quote is None and ending.endswith("\\")


def _string_end(line: str, start: int) -> int:
    """The index after the one-line string literal opening at ``start``."""
    quote, index = line[start], start + 1
    while index < len(line):
        if line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            return index + 1
        index += 1
    return index


def _stand_in(line: str, indent: str) -> str:
    """The Python statement an escape line is linted as: ``pass``, or for ``%env NAME=value``
    the assignment ``NAME = "value"`` with the opening quote where the value starts."""
    match = _ENV_MAGIC.match(line)
    if match is None or not line.startswith(indent):
        return f"{indent}pass"
    name = match.group("name")
    start = match.start("value")  # the quote goes here: the finding points at the value
    padding = start - len(indent) - len(name) - 1
    return f"{indent}{name}{' ' * padding}=\"{match.group('value')}\""


def escape_lines(code: str) -> set[int]:
    """The 1-based lines of the joined code that stand for IPython escapes: no fix edits them
    (they are written back as they were)."""
    return {
        number
        for number, line in enumerate(code.splitlines(), start=1)
        if ESCAPE_MARK in line and _ESCAPE_LINE.match(line)
    }


def _is_escape(line: str) -> bool:
    stripped = line.strip()
    if not stripped or stripped.startswith("#"):
        return False
    return bool(_ESCAPE.match(line) or _HELP.match(line))


def _indent_of(text: str) -> int | None:
    """The indentation the notebook was written with (Jupyter: 1), None for one line."""
    lines = text.strip().split("\n", 2)
    if len(lines) < 2:
        return None
    second = lines[1]
    return len(second) - len(second.lstrip(" "))
