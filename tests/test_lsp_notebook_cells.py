"""The language server's map between a notebook's joined code cells and the cells themselves
(``lsp_notebooks.NotebookCells``): which cell, and where in it, a finding or a fix's edit is;
an edit that would cross a cell boundary maps to nothing, so no such fix is offered."""

from __future__ import annotations

import pytest

pytest.importorskip("lsprotocol")

from lsprotocol import types  # noqa: E402

from twilio_lint.findings import Finding  # noqa: E402
from twilio_lint.lsp_notebooks import NotebookCells  # noqa: E402
from twilio_lint.notebooks import place_findings  # noqa: E402

FIRST, NOTES, LAST = "cell:first", "cell:notes", "cell:last"
TEXTS = {
    FIRST: ("import os\nx = 1", "python"),  # no final line break: the joined code adds one
    NOTES: ("Some *notes*", "markdown"),
    LAST: ("y = 2\n", "python"),
}


def cells() -> NotebookCells:
    notebook = types.NotebookDocument(
        uri="file:///work/sms.ipynb",
        notebook_type="jupyter-notebook",
        version=1,
        cells=[
            types.NotebookCell(kind=types.NotebookCellKind.Code, document=FIRST),
            types.NotebookCell(kind=types.NotebookCellKind.Markup, document=NOTES),
            types.NotebookCell(kind=types.NotebookCellKind.Code, document=LAST),
        ],
    )
    return NotebookCells.of(notebook, TEXTS.get)


def test_the_code_cells_are_joined_as_the_cli_joins_them():
    assert cells().code == (
        "# twilio-lint-cell 1\nimport os\nx = 1\n# twilio-lint-cell 3\ny = 2\n"
    )


def test_an_edit_inside_one_cell_maps_to_that_cell():
    mapped = cells()
    assert mapped.edit_span(3, 0, 3, 5) == (FIRST, 2, 0, 2, 5)
    assert mapped.edit_span(5, 4, 5, 5) == (LAST, 1, 4, 1, 5)
    # Deleting the cell's last line with the line break the joined code gave it.
    assert mapped.edit_span(3, 0, 4, 0) == (FIRST, 2, 0, 2, 5)


def test_an_edit_crossing_a_cell_boundary_maps_to_nothing():
    mapped = cells()
    assert mapped.edit_span(3, 0, 5, 0) is None  # from one cell into the next
    assert mapped.edit_span(4, 0, 4, 0) is None  # on the next cell's marker line
    assert mapped.edit_span(3, 2, 4, 3) is None  # into the marker line
    assert mapped.edit_span(1, 0, 2, 0) is None  # the first marker


def test_a_finding_is_placed_in_its_cell():
    mapped = cells()
    finding = Finding("TWL101", "m", "sms.ipynb", line=5, col=4, end_line=5, end_col=5)
    place_findings([finding], mapped.code)
    assert mapped.finding_span(finding) == (LAST, 1, 4, 1, 5)
