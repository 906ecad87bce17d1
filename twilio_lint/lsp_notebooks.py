"""Jupyter notebooks in the language server (LSP 3.17 notebook document sync), as Ruff's server
handles them: the notebook the editor sent (never the file on disk) is linted as the CLI lints
an ``.ipynb`` file (``Notebook.code``: code cells joined, IPython escapes masked), and each
finding goes back to its cell's URI, at its row in the cell.

No pygls here: ``lsp.Session`` speaks the protocol, this module only maps between the joined
code and the cells.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from twilio_lint.findings import Finding
from twilio_lint.notebooks import SUFFIX, CellMap, Notebook

NOTEBOOK_TYPE = "jupyter-notebook"
CELL_LANGUAGE = "python"
CODE_CELL = 2  # lsprotocol's NotebookCellKind.Code

#: A span in one cell: (cell URI, 1-based line, column, 1-based end line, end column).
CellSpan = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class NotebookCells:
    """A notebook as the editor sent it: its code cells joined as the CLI joins them, and the
    URI and text of every cell (by position, markdown cells included, as Jupyter counts)."""

    code: str
    uris: tuple[str, ...]
    texts: dict[str, str]  # code cell URI -> its text
    display_lines: tuple[str, ...]  # the joined lines as the cells show them (baselines)
    python: bool  # the notebook's kernel is Python (or says nothing)
    cell_map: CellMap

    @classmethod
    def of(cls, notebook, text_of: Callable[[str], tuple[str, str | None] | None]) -> NotebookCells:
        """``notebook`` is lsprotocol's NotebookDocument; ``text_of(uri)`` gives a cell's
        (text, language id) from the editor's open documents, None for a cell never opened."""
        uris, texts, cells = [], {}, []
        for cell in notebook.cells:
            opened = text_of(cell.document)
            text, language = opened if opened is not None else ("", None)
            is_code = cell.kind == CODE_CELL and language in (None, CELL_LANGUAGE)
            uris.append(cell.document)
            if cell.kind == CODE_CELL:
                texts[cell.document] = text
            cells.append({"cell_type": "code" if is_code else "markdown", "source": text})
        metadata = notebook.metadata if isinstance(notebook.metadata, dict) else {}
        raw = json.dumps({"cells": cells, "metadata": metadata}).encode("utf-8")
        parsed = Notebook.from_bytes(raw)  # cells are strings: it cannot fail
        code = parsed.code()
        return cls(
            code=code,
            uris=tuple(uris),
            texts=texts,
            display_lines=tuple(parsed.display_lines()),
            python=parsed.is_python(),
            cell_map=CellMap.of(code),
        )

    def lines(self, uri: str) -> list[str]:
        """A cell's lines, without their line breaks (as positions count them)."""
        return self.texts.get(uri, "").split("\n")

    def finding_span(self, finding: Finding) -> CellSpan | None:
        """Where a finding of the joined code is, in its cell (``place_findings`` told it)."""
        if finding.cell is None or not 0 < finding.cell <= len(self.uris):
            return None
        uri = self.uris[finding.cell - 1]
        line, end_line = finding.line - finding.cell_offset, finding.end_line - finding.cell_offset
        return self._clamped(uri, max(line, 1), finding.col, max(end_line, 1), finding.end_col)

    def edit_span(self, line: int, col: int, end_line: int, end_col: int) -> CellSpan | None:
        """An edit of the joined code as an edit of one cell, or None when it would touch a
        cell marker or span cells (an end at the start of the next marker ends the cell)."""
        cells = self.cell_map
        markers = {marker for marker, _ in cells.starts}
        if line in markers or (end_line in markers and end_col > 0):
            return None
        cell, offset = cells.locate(line)
        end_cell, _ = cells.locate(end_line)
        if end_cell != cell or not 0 < cell <= len(self.uris):
            return None
        uri = self.uris[cell - 1]
        return self._clamped(uri, line - offset, col, end_line - offset, end_col)

    def _clamped(self, uri: str, line: int, col: int, end_line: int, end_col: int) -> CellSpan:
        """A span that runs past the cell's end (the joined code ends every cell with a line
        break the cell may not have) ends at the cell's end."""
        lines = self.lines(uri)
        if end_line > len(lines):
            end_line, end_col = len(lines), len(lines[-1])
        if line > end_line:
            line, col = end_line, end_col
        return uri, line, col, end_line, end_col


def notebook_path(path: str) -> str:
    """The path a notebook is linted as: an ``.ipynb`` name, so IPython escapes are masked and
    no fix edits them, whatever the editor called the document."""
    return path if path.endswith(SUFFIX) else path + SUFFIX
