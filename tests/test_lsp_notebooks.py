"""Jupyter notebooks in ``twilio-lint lsp``, driven as VS Code's Jupyter editor drives a server
with LSP 3.17 notebook document sync: the real server over stdio, pytest-lsp's client sending
``notebookDocument/didOpen``, ``didChange``, ``didSave`` and ``didClose``; diagnostics come
back on each CELL's URI, at the row and column in the cell.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("pygls")
pytest_lsp = pytest.importorskip("pytest_lsp")

import attrs  # noqa: E402 - lsprotocol's
from lsprotocol import types  # noqa: E402
from pytest_lsp import LanguageClient  # noqa: E402

from tests.helpers import FAKE  # noqa: E402
from tests.test_lsp import CAPABILITIES as TEXT_CAPABILITIES  # noqa: E402
from tests.test_lsp import SERVER, code_actions, start_session  # noqa: E402

TIMEOUT = 20.0
pytestmark = pytest.mark.asyncio(loop_scope="module")

#: What test_lsp's editor can do, and sync notebooks.
CAPABILITIES = attrs.evolve(
    TEXT_CAPABILITIES,
    notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    ),
)


@pytest_lsp.fixture(config=SERVER, scope="module")
async def client(lsp_client: LanguageClient, tmp_path_factory):
    result = await start_session(lsp_client, tmp_path_factory.mktemp("lsp-notebooks"), CAPABILITIES)
    sync = result.capabilities.notebook_document_sync
    assert sync.save is True
    (selector,) = sync.notebook_selector
    assert selector.notebook == "jupyter-notebook"
    assert [cell.language for cell in selector.cells] == ["python"]
    yield
    await lsp_client.shutdown_session()


# --- what the editor does ---------------------------------------------------------------------

MARKDOWN, CODE = types.NotebookCellKind.Markup, types.NotebookCellKind.Code


def cell_uri(notebook: Path, number: int) -> str:
    """A cell's URI as VS Code makes them (the notebook's path, the cell in the fragment)."""
    return f"vscode-notebook-cell:{notebook.as_posix()}#W{number}sZmlsZQ%3D%3D"


def open_notebook(client: LanguageClient, notebook: Path, cells: list[tuple]) -> list[str]:
    """Open ``notebook`` with ``cells`` ((kind, language, text) each); its cell URIs."""
    uris = [cell_uri(notebook, number) for number in range(len(cells))]
    for uri in uris:
        client.diagnostics.pop(uri, None)
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.as_uri(),
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kind, document=uri)
                    for uri, (kind, _, _) in zip(uris, cells)
                ],
                metadata={"language_info": {"name": "python"}},
            ),
            cell_text_documents=[
                types.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)
                for uri, (_, language, text) in zip(uris, cells)
            ],
        )
    )
    return uris


def forget(client: LanguageClient, uris: list[str]) -> None:
    for uri in uris:
        client.diagnostics.pop(uri, None)


def change_notebook(
    client: LanguageClient, notebook: Path, version: int, cells: types.NotebookDocumentCellChanges
) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                version=version, uri=notebook.as_uri()
            ),
            change=types.NotebookDocumentChangeEvent(cells=cells),
        )
    )


def change_cell_text(
    client: LanguageClient, notebook: Path, version: int, uri: str, text: str
) -> None:
    change_notebook(client, notebook, version, types.NotebookDocumentCellChanges(
        text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        ]
    ))


def remove_cell(client: LanguageClient, notebook: Path, version: int, index: int, uri: str):
    change_notebook(client, notebook, version, types.NotebookDocumentCellChanges(
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(start=index, delete_count=1),
            did_close=[types.TextDocumentIdentifier(uri=uri)],
        )
    ))


def close_notebook(client: LanguageClient, notebook: Path, uris: list[str]) -> None:
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook.as_uri()),
            cell_text_documents=[types.TextDocumentIdentifier(uri=uri) for uri in uris],
        )
    )


async def published(client: LanguageClient, uris: list[str]) -> dict[str, list[tuple]]:
    """The next diagnostics published for each of ``uris``, summarised."""
    async with asyncio.timeout(TIMEOUT):
        while not all(uri in client.diagnostics for uri in uris):
            await asyncio.sleep(0.02)
    return {uri: summary(client.diagnostics[uri]) for uri in uris}


def summary(diags) -> list[tuple]:
    return [
        (d.code, d.range.start.line, d.range.start.character, d.range.end.line,
         d.range.end.character)
        for d in diags
    ]


# --- the notebook ------------------------------------------------------------------------------

CLIENT_LINE = 'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])'
INTRO = "# Send a text\nThe client reads its credentials from the environment."
SETUP = (
    "%pip install twilio\n"
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    + CLIENT_LINE
)
SETUP_WITH_KEY = (
    "%pip install twilio\n"
    "import os\n"
    "\n"
    "from twilio.rest import Client\n"
    "\n"
    'client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"],\n'
    '                os.environ["TWILIO_ACCOUNT_SID"])'
)
SEND = (
    'message = client.messages.create(to="+15005550006", from_="+15005550001", body="hi")\n'
    "print(message.sid)\n"
)
#: TWL101 in cell 2, row 6 (line 5 from 0), columns 9..82: where the CLI puts it too.
TWL101_IN_SETUP = ("TWL101", 5, 9, 5, 82)


def sms_cells(setup: str = SETUP) -> list[tuple]:
    return [(MARKDOWN, "markdown", INTRO), (CODE, "python", setup), (CODE, "python", SEND)]


async def test_findings_go_to_their_cell_and_clear_when_fixed(client, tmp_path: Path):
    notebook = tmp_path / "sms.ipynb"
    intro, setup, send = open_notebook(client, notebook, sms_cells())
    assert await published(client, [setup, send]) == {setup: [TWL101_IN_SETUP], send: []}
    assert intro not in client.diagnostics  # a markdown cell is never linted

    forget(client, [setup, send])
    change_cell_text(client, notebook, 2, setup, SETUP_WITH_KEY)
    assert await published(client, [setup, send]) == {setup: [], send: []}

    forget(client, [setup, send])
    close_notebook(client, notebook, [intro, setup, send])
    assert await published(client, [setup, send]) == {setup: [], send: []}


async def test_quick_changes_are_debounced_and_the_last_one_reported(client, tmp_path: Path):
    notebook = tmp_path / "typing.ipynb"
    imports = "from twilio.rest import Client\n"
    first, second = open_notebook(client, notebook, [(CODE, "python", imports),
                                                     (CODE, "python", "")])
    assert await published(client, [first, second]) == {first: [], second: []}
    forget(client, [first, second])
    for version, text in enumerate(["c = Cl", "c = Client(", "c = Client()"], start=2):
        change_cell_text(client, notebook, version, second, text)
    assert await published(client, [first, second]) == {
        first: [], second: [("TWL101", 0, 4, 0, 12)]
    }
    close_notebook(client, notebook, [first, second])


async def test_a_removed_cell_loses_its_diagnostics(client, tmp_path: Path):
    notebook = tmp_path / "removed.ipynb"
    cells = [(CODE, "python", SETUP.replace(CLIENT_LINE, "")), (CODE, "python", CLIENT_LINE)]
    first, second = open_notebook(client, notebook, cells)
    assert await published(client, [first, second]) == {
        first: [], second: [("TWL101", 0, 9, 0, 82)]
    }
    forget(client, [first, second])
    remove_cell(client, notebook, 2, 1, second)  # the cell with the finding is deleted
    assert await published(client, [first, second]) == {first: [], second: []}
    close_notebook(client, notebook, [first])


async def test_the_notebook_is_saved_and_relinted_from_what_the_editor_sent(
    client, tmp_path: Path
):
    notebook = tmp_path / "sms.ipynb"
    notebook.write_text("not a notebook: never read", encoding="utf-8")
    cells = open_notebook(client, notebook, sms_cells())
    assert (await published(client, cells[1:]))[cells[1]] == [TWL101_IN_SETUP]
    forget(client, cells)
    client.notebook_document_did_save(
        types.DidSaveNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook.as_uri())
        )
    )
    assert (await published(client, cells[1:]))[cells[1]] == [TWL101_IN_SETUP]
    close_notebook(client, notebook, cells)


async def test_a_cell_that_does_not_parse_says_so_in_that_cell(client, tmp_path: Path):
    notebook = tmp_path / "broken.ipynb"
    cells = [(CODE, "python", "from twilio.rest import Client\n"),
             (CODE, "python", "x = 1\nclient = Client(\n")]
    first, second = open_notebook(client, notebook, cells)
    assert await published(client, [first, second]) == {
        first: [], second: [("TWL001", 1, 15, 1, 15)]
    }
    forget(client, [first, second])
    change_cell_text(client, notebook, 2, second, "x = 1\nclient = Client(ACCOUNT_SID, AUTH_TOKEN)")
    assert await published(client, [first, second]) == {
        first: [], second: [("TWL101", 1, 9, 1, 40)]
    }
    close_notebook(client, notebook, [first, second])


async def test_hover_on_a_cell_diagnostic_explains_the_rule(client, tmp_path: Path):
    notebook = tmp_path / "hover.ipynb"
    cells = open_notebook(client, notebook, sms_cells())
    await published(client, cells[1:])
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=cells[1]),
            position=types.Position(line=5, character=20),
        )
    )
    assert hover.contents.value.startswith("# TWL101 auth-token-client\n")
    assert hover.range == types.Range(types.Position(5, 9), types.Position(5, 82))
    outside = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=cells[2]),
            position=types.Position(line=0, character=20),
        )
    )
    assert outside is None
    close_notebook(client, notebook, cells)


MAGICS = (
    "import os\n"
    "from twilio.rest import Client\n"
    "%time client = Client(os.environ['TWILIO_ACCOUNT_SID'], os.environ['TWILIO_AUTH_TOKEN'])\n"
    "!python -c 'from twilio.rest import Client; Client()'\n"
)


async def test_magic_lines_that_look_like_code_are_not_flagged(client, tmp_path: Path):
    """The escapes hold what would be findings if they were Python; masked, they are not."""
    notebook = tmp_path / "magics.ipynb"
    cells = [
        (CODE, "python", MAGICS),
        (CODE, "python", "%%bash\npython -c 'from twilio.rest import Client; Client()'\n"),
    ]
    first, second = open_notebook(client, notebook, cells)
    assert await published(client, [first, second]) == {first: [], second: []}
    close_notebook(client, notebook, [first, second])

    # The same line without its "%time " is a finding: the magic is what keeps it quiet.
    unmasked = tmp_path / "unmasked.ipynb"
    cells = [(CODE, "python", MAGICS.replace("%time ", ""))]
    (only,) = open_notebook(client, unmasked, cells)
    assert await published(client, [only]) == {only: [("TWL101", 2, 9, 2, 82)]}
    close_notebook(client, unmasked, [only])


async def test_per_file_ignores_use_the_notebooks_path(client, tmp_path: Path):
    (tmp_path / ".twilio-lint.yaml").write_text(
        "per-file-ignores:\n  'ignored.ipynb': [TWL101]\n", encoding="utf-8"
    )
    ignored, kept = tmp_path / "ignored.ipynb", tmp_path / "kept.ipynb"
    ignored_cells = open_notebook(client, ignored, sms_cells())
    kept_cells = open_notebook(client, kept, sms_cells())
    assert (await published(client, ignored_cells[1:]))[ignored_cells[1]] == []
    assert (await published(client, kept_cells[1:]))[kept_cells[1]] == [TWL101_IN_SETUP]
    close_notebook(client, ignored, ignored_cells)
    close_notebook(client, kept, kept_cells)


# --- quick fixes inside cells ----------------------------------------------------------------


def cell_edits(action: types.CodeAction) -> dict[str, list[tuple]]:
    return {
        change.text_document.uri: [
            (e.range.start.line, e.range.start.character, e.range.end.line,
             e.range.end.character, e.new_text)
            for e in change.edits
        ]
        for change in action.edit.document_changes
    }


async def test_quick_fixes_edit_only_the_cells_they_lie_in(client, tmp_path: Path):
    notebook = tmp_path / "fixes.ipynb"
    cells = [
        (CODE, "python", "%pip install twilio\nfrom twilio.rest import Client\n"),
        (CODE, "python", "client = Client(ACCOUNT_SID, AUTH_TOKEN)\n"),
    ]
    imports, creation = open_notebook(client, notebook, cells)
    assert (await published(client, [imports, creation]))[creation] == [
        ("TWL101", 0, 9, 0, 40)
    ]
    actions = await code_actions(client, creation, types.Range(
        types.Position(0, 12), types.Position(0, 12)))
    fix, noqa = actions
    assert fix.title == (
        "TWL101: Authenticate with an API key (TWILIO_API_KEY, TWILIO_API_SECRET) "
        "(unsafe: review the change)"
    )
    assert fix.is_preferred is False
    # The added import goes to the top of the first cell, the rest to the finding's cell.
    assert cell_edits(fix) == {
        creation: [
            (0, 16, 0, 16,
             '\n    os.environ["TWILIO_API_KEY"],\n    os.environ["TWILIO_API_SECRET"],\n    '),
            (0, 28, 0, 39, "\n"),
        ],
        imports: [(0, 0, 0, 0, "import os\n")],
    }
    assert noqa.title == "Disable TWL101 for this line (# noqa)"
    assert cell_edits(noqa) == {creation: [(0, 40, 0, 40, "  # noqa: TWL101")]}
    close_notebook(client, notebook, [imports, creation])


async def test_no_quick_fix_or_noqa_edits_a_magic_line(client, tmp_path: Path):
    """A credential set with %env is a TWL102 finding in its cell; its line is written back
    as it was, so neither a fix nor "# noqa" is offered there."""
    notebook = tmp_path / "env.ipynb"
    token = FAKE["FAKE_AUTH_TOKEN"]
    (cell,) = open_notebook(client, notebook, [
        (CODE, "python", f"%env TWILIO_AUTH_TOKEN={token}\nfrom twilio.rest import Client\n")
    ])
    assert await published(client, [cell]) == {cell: [("TWL102", 0, 23, 0, 23 + len(token))]}
    assert await code_actions(client, cell, types.Range(
        types.Position(0, 30), types.Position(0, 30))) == []
    close_notebook(client, notebook, [cell])


async def test_a_configuration_change_relints_open_notebooks(client, tmp_path: Path):
    notebook = tmp_path / "reconfigured.ipynb"
    cells = open_notebook(client, notebook, sms_cells())
    assert (await published(client, cells[1:]))[cells[1]] == [TWL101_IN_SETUP]
    forget(client, cells)
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"twilio-lint": {"debounce": 0.2}})
    )
    assert await published(client, cells[1:]) == {cells[1]: [TWL101_IN_SETUP], cells[2]: []}
    assert cells[0] not in client.diagnostics  # the markdown cell: still never linted
    close_notebook(client, notebook, cells)
