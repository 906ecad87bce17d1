"""``twilio-lint lsp``: a language server on stdio (pygls; ``pip install 'twilio-lint[lsp]'``).

- Diagnostics on open and save, and on change after a short pause (debounced). Each carries
  the rule's docs URL (``codeDescription.href``) and whether a fix exists (``data.fixable``);
  a buffer that cannot be checked (it does not parse, it is too big) gets one ``TWL001``
  (file-not-checked) diagnostic saying why, instead of stale ones.
- Unsaved buffers (``untitled:`` URIs of language ``python``) are linted like stdin.
- Jupyter notebooks (LSP 3.17 notebook document sync, ``jupyter-notebook`` with Python cells):
  linted whole as the CLI lints an ``.ipynb`` file, each diagnostic published to its cell's URI
  (``lsp_notebooks``); cells left without findings, removed or closed get an empty list.
  Hover and quick fixes work in cells (a fix whose edit would cross a cell boundary is not
  offered); "fix all" is not offered in notebooks.
- Code actions: ``source.fixAll.twilio-lint`` applies every safe fix at once (like Ruff's
  ``source.fixAll.ruff``); each finding's fix is a quick fix (unsafe ones are labelled and
  never preferred); "add # noqa" for a line. ``context.only`` is honoured. Edits are minimal:
  only the changed span is sent, never a whole line (a line may hold a credential).
- Hover on a diagnostic shows the rule's documentation.
- Configuration comes from the workspace like on the command line: the nearest
  ``.twilio-lint.yaml`` or ``pyproject.toml`` with ``[tool.twilio-lint]`` above the file;
  files the configuration excludes get no diagnostics.
- Hostile input: a malformed message (a wrong ``Content-Length``, bad JSON) is answered with
  an error or dropped and the server reads on; requests after ``shutdown`` get an error;
  ``exit`` exits at once (1 without ``shutdown``), without waiting for a lint in flight; a
  ``file:`` URI that is not a regular file (``/dev/zero``) is refused, and nothing is read
  from disk for a document the editor did not open.

Initialization options (all optional): ``{"debounce": 0.3}`` seconds to wait after a change.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
from typing import Any

from twilio_lint import __version__
from twilio_lint.findings import Finding
from twilio_lint.lsp_buffers import (
    NOT_CHECKED,
    PYTHON_SUFFIXES,
    Linted,
    buffer_path,
    fix_all,
    hover_markdown,
    kind_wanted,
    line_edit,
    lines_of,
    lint_buffer,
    overlaps,
    refusal,
)
from twilio_lint.lsp_notebooks import NOTEBOOK_TYPE, NotebookCells, notebook_path
from twilio_lint.lsp_stream import protocol_class, serve_stdio
from twilio_lint.notebooks import SUFFIX as NOTEBOOK_SUFFIX

SOURCE = "twilio-lint"
DEFAULT_DEBOUNCE = 0.3
FIX_ALL_KIND = "source.fixAll.twilio-lint"
log = logging.getLogger("twilio_lint.lsp")


def _missing_pygls() -> int:
    print(
        "twilio-lint: error: the language server needs pygls: "
        "pip install 'twilio-lint[lsp]'",
        file=sys.stderr,
    )
    return 2


# --- the server ---------------------------------------------------------------------------------


class Session:
    """What the server keeps between messages, and the answers to its features."""

    def __init__(self, server, types) -> None:
        self.server = server
        self.types = types
        self.debounce = DEFAULT_DEBOUNCE
        self.pending: dict[str, asyncio.Future] = {}
        self.warned: set[str] = set()
        self.shut_down = False
        self.linted: dict[str, tuple[int | None, Linted]] = {}
        self.notebooks_linted: dict[str, tuple[int, NotebookCells, Linted]] = {}
        self.published: dict[str, set[str]] = {}  # notebook URI -> cell URIs given diagnostics

    def configure(self, options: Any) -> None:
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            self.debounce = max(0.0, float(options["debounce"]))

    # --- documents (only what the editor opened: nothing is read from disk) -------------------

    def document(self, uri: str):
        from urllib.parse import unquote

        documents = self.server.workspace.text_documents
        return documents.get(uri) or documents.get(unquote(uri))

    def path_of(
        self, uri: str, language_id: str | None, suffixes: tuple[str, ...] = PYTHON_SUFFIXES
    ) -> str | None:
        """The path a document is linted as, or None when it is not linted or refused."""
        root = self.server.workspace.root_path or os.getcwd()
        path = buffer_path(uri, language_id, root, suffixes)
        if path is None:
            return None  # an unsaved buffer that is not Python: nothing to lint
        refused = refusal(path)
        if refused is not None:
            self.log(refused, warn=True)
            return None
        return path

    def lint(self, uri: str) -> Linted | None:
        """The open buffer ``uri`` linted (once per version), or None when it is refused or is
        a notebook's cell (its notebook is linted as a whole: ``lint_notebook``)."""
        document = self.document(uri)
        if document is None or self.notebook_of_cell(uri) is not None:
            return None
        path = self.path_of(uri, getattr(document, "language_id", None))
        if path is None:
            return None
        text, version = document.source, document.version
        cached = self.linted.get(uri)
        if cached is not None and cached[0] == version and cached[1].text == text:
            return cached[1]
        linted = lint_buffer(text, path)
        self.linted[uri] = (version, linted)
        return linted

    def log(self, message: str, warn: bool = False) -> None:
        types = self.types
        if warn and message not in self.warned:
            self.warned.add(message)
            self.server.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Warning, message=f"twilio-lint: {message}"
                )
            )
        self.server.window_log_message(
            types.LogMessageParams(type=types.MessageType.Log, message=message)
        )

    # --- positions and diagnostics ------------------------------------------------------------

    def position(self, lines: list[str], line: int, col: int):
        """A 1-based line and 0-based character column as an LSP position in client units."""
        number = max(line - 1, 0)
        text = lines[number] if number < len(lines) else ""
        units = self.server.workspace.position_codec.client_num_units(text[: max(col, 0)])
        return self.types.Position(line=number, character=units)

    def span(self, lines: list[str], line: int, col: int, end_line: int, end_col: int):
        return self.types.Range(
            start=self.position(lines, line, col),
            end=self.position(lines, max(end_line, line), end_col),
        )

    def diagnostic(self, finding: Finding, lines: list[str], at: tuple | None = None):
        """The finding as a diagnostic on ``lines``, where it is (in a notebook cell: ``at``,
        its (line, col, end line, end col) in the cell)."""
        from twilio_lint.registry import DOCS_URL

        types = self.types
        fix = finding.fix
        fixable = fix is not None and bool(fix.edits) and fix.applicability != "display-only"
        where = at or (finding.line, finding.col, finding.end_line, finding.end_col)
        return types.Diagnostic(
            range=self.span(lines, *where),
            message=finding.message,
            severity=(
                types.DiagnosticSeverity.Warning
                if finding.severity == "warning"
                else types.DiagnosticSeverity.Error
            ),
            code=finding.code,
            code_description=types.CodeDescription(href=DOCS_URL.format(code=finding.code)),
            source=SOURCE,
            data={"fixable": fixable, **({"applicability": fix.applicability} if fixable else {})},
        )

    async def publish(self, uri: str) -> None:
        document = self.document(uri)
        if document is None:
            return
        version = document.version
        linted = await asyncio.get_running_loop().run_in_executor(None, self.lint, uri)
        current = self.document(uri)
        if current is None or current.version != version:
            return  # the buffer changed or closed meanwhile; a newer run will publish
        if linted is None:
            return
        if linted.problem is not None:
            self.log(linted.problem, warn=True)
            return  # keep the last diagnostics until the configuration is fixed
        lines = lines_of(linted.text)
        self.server.text_document_publish_diagnostics(
            self.types.PublishDiagnosticsParams(
                uri=uri,
                version=version,
                diagnostics=[self.diagnostic(f, lines) for f in linted.findings],
            )
        )

    def schedule(self, uri: str, delay: float, publish=None) -> None:
        """Publish the diagnostics of ``uri`` after ``delay`` seconds, unless it is scheduled
        again meanwhile (``publish``: ``publish_notebook`` for a notebook)."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()

        async def run() -> None:
            try:
                if delay:
                    await asyncio.sleep(delay)
                await (publish or self.publish)(uri)
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # noqa: BLE001 - a bad buffer must not kill the server
                log.exception("twilio-lint failed on %s", uri)
                self.log(f"twilio-lint failed on {uri}: {type(exc).__name__}: {exc}")
            finally:
                if self.pending.get(uri) is task:
                    del self.pending[uri]

        task = asyncio.ensure_future(run())
        self.pending[uri] = task

    def forget(self, uri: str) -> None:
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.linted.pop(uri, None)
        self.notebooks_linted.pop(uri, None)

    # --- notebooks: linted whole, diagnostics published to their cells -----------------------

    def notebook_of_cell(self, uri: str):
        return self.server.workspace.get_notebook_document(cell_uri=uri)

    def cell_text(self, uri: str) -> tuple[str, str | None] | None:
        document = self.document(uri)
        if document is None:
            return None
        return document.source, getattr(document, "language_id", None)

    def lint_notebook(self, uri: str) -> tuple[NotebookCells, Linted] | None:
        """The open notebook ``uri`` linted (once per version), from the cells the editor
        sent; None when it is refused or its kernel is not Python."""
        notebook = self.server.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            return None
        cells = NotebookCells.of(notebook, self.cell_text)
        path = self.path_of(uri, "python", (NOTEBOOK_SUFFIX,))
        if path is None or not cells.python:
            return None
        cached = self.notebooks_linted.get(uri)
        if cached is not None and cached[0] == notebook.version and cached[1] == cells:
            return cached[1], cached[2]
        linted = lint_buffer(cells.code, notebook_path(path), list(cells.display_lines))
        self.notebooks_linted[uri] = (notebook.version, cells, linted)
        return cells, linted

    def cell_diagnostics(self, cells: NotebookCells, linted: Linted) -> dict[str, list]:
        """Every code cell's (finding, diagnostic) pairs (none for a clean cell)."""
        found: dict[str, list] = {uri: [] for uri in cells.texts}
        for finding in linted.findings:
            where = cells.finding_span(finding)
            if where is None:
                continue
            uri, *at = where
            found[uri].append((finding, self.diagnostic(finding, cells.lines(uri), tuple(at))))
        return found

    async def publish_notebook(self, uri: str) -> None:
        notebook = self.server.workspace.get_notebook_document(notebook_uri=uri)
        if notebook is None:
            return
        version = notebook.version
        done = await asyncio.get_running_loop().run_in_executor(None, self.lint_notebook, uri)
        current = self.server.workspace.get_notebook_document(notebook_uri=uri)
        if current is None or current.version != version:
            return  # the notebook changed or closed meanwhile; a newer run will publish
        cells, linted = done if done is not None else (None, None)
        if linted is not None and linted.problem is not None:
            self.log(linted.problem, warn=True)
            return  # keep the last diagnostics until the configuration is fixed
        by_cell = self.cell_diagnostics(cells, linted) if cells is not None else {}
        for gone in self.published.get(uri, set()) - set(by_cell):
            self.publish_cell(gone, [])  # a removed cell, or a notebook no longer linted
        self.published[uri] = set(by_cell)
        for cell_uri, pairs in by_cell.items():
            self.publish_cell(cell_uri, [diagnostic for _, diagnostic in pairs])

    def publish_cell(self, uri: str, diagnostics: list) -> None:
        document = self.document(uri)
        self.server.text_document_publish_diagnostics(
            self.types.PublishDiagnosticsParams(
                uri=uri,
                version=document.version if document is not None else None,
                diagnostics=diagnostics,
            )
        )

    def close_notebook(self, uri: str, cell_uris: list[str]) -> None:
        self.forget(uri)
        for cell_uri in self.published.pop(uri, set()) | set(cell_uris):
            self.publish_cell(cell_uri, [])

    # --- code actions and hover ---------------------------------------------------------------

    def code_actions(self, params) -> list:
        types = self.types
        uri = params.text_document.uri
        only = params.context.only if params.context is not None else None
        notebook = self.notebook_of_cell(uri)
        if notebook is not None:  # a cell: its quick fixes (no fix-all across the cells)
            done = self.lint_notebook(notebook.uri)
            if done is None or not kind_wanted(only, types.CodeActionKind.QuickFix):
                return []
            cells, linted = done
            return self.quick_fixes(uri, linted, params.range, cells)
        linted = self.lint(uri)
        if linted is None or not linted.findings:
            return []
        actions = []
        if kind_wanted(only, types.CodeActionKind.QuickFix):
            actions += self.quick_fixes(uri, linted, params.range)
        if kind_wanted(only, FIX_ALL_KIND):
            fixed = fix_all(linted)
            if fixed is not None:
                actions.append(
                    types.CodeAction(
                        title="twilio-lint: Fix all safe fixes",
                        kind=FIX_ALL_KIND,
                        edit=self.documents_edit({uri: self.text_edits(linted.text, fixed)}),
                    )
                )
        return actions

    def quick_fixes(
        self, uri: str, linted: Linted, wanted, cells: NotebookCells | None = None
    ) -> list:
        """Each finding's fix and "# noqa" for its line, for a buffer or a notebook's cell."""
        from twilio_lint.adoption.add_noqa import (
            lines_without_comment_room,
            supports_noqa,
        )
        from twilio_lint.notebooks import escape_lines

        types = self.types
        path = linted.path
        blocked = lines_without_comment_room(linted.text, path) if supports_noqa(path) else None
        if cells is None:
            lines = lines_of(linted.text)
            found = [(finding, self.diagnostic(finding, lines)) for finding in linted.findings]
            frozen: set[int] = set()
        else:
            lines = cells.lines(uri)
            found = self.cell_diagnostics(cells, linted).get(uri, [])
            frozen = escape_lines(linted.text)  # a %magic line is written back as it was
        actions = []
        noqa: dict[int, tuple[set[str], list]] = {}
        for finding, diag in found:
            if not overlaps(diag.range, wanted):
                continue
            fix = finding.fix
            edits = self.fix_edits(fix, uri, lines, cells) if diag.data["fixable"] else None
            if edits is not None:
                label = "" if fix.applicability == "safe" else " (unsafe: review the change)"
                actions.append(
                    types.CodeAction(
                        title=f"{finding.code}: {fix.title}{label}",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=fix.applicability == "safe",
                        edit=self.documents_edit(edits),
                    )
                )
            if finding.code == NOT_CHECKED or blocked is None:
                continue
            if finding.line not in blocked and finding.line not in frozen:
                codes, diags = noqa.setdefault(finding.line - finding.cell_offset, (set(), []))
                codes.add(finding.code)
                diags.append(diag)
        return actions + self.noqa_actions(uri, linted.text, lines, noqa)

    def fix_edits(self, fix, uri: str, lines: list[str], cells: NotebookCells | None):
        """A fix's text edits by document URI: in a notebook, each edit in the cell it lies in
        (it may be another cell than the finding's: an added import); None when an edit would
        cross a cell boundary, so no such fix is offered."""
        by_uri: dict[str, list] = {}
        for edit in fix.edits:
            where = (uri, edit.line, edit.col, edit.end_line, edit.end_col)
            if cells is not None:
                where = cells.edit_span(edit.line, edit.col, edit.end_line, edit.end_col)
                if where is None:
                    return None
            target, *span = where
            target_lines = lines if target == uri else cells.lines(target)
            by_uri.setdefault(target, []).append(
                self.types.TextEdit(range=self.span(target_lines, *span), new_text=edit.content)
            )
        return by_uri

    def noqa_actions(self, uri: str, text: str, lines: list[str], noqa: dict) -> list:
        from twilio_lint.adoption.add_noqa import with_noqa

        types = self.types
        actions = []
        for number, (codes, diags) in sorted(noqa.items()):
            if number > len(lines):
                continue
            new_line = with_noqa(lines[number - 1], codes)
            if new_line is None:
                continue
            start, end, content = line_edit(lines[number - 1], new_line)
            edit = types.TextEdit(
                range=self.span(lines, number, start, number, end), new_text=content
            )
            actions.append(
                types.CodeAction(
                    title=f"Disable {', '.join(sorted(codes))} for this line (# noqa)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diags,
                    edit=self.documents_edit({uri: [edit]}),
                )
            )
        return actions

    def text_edits(self, old: str, new: str) -> list:
        from twilio_lint.fixes.context import minimal_edits

        lines = lines_of(old)
        return [
            self.types.TextEdit(
                range=self.span(lines, e.line, e.col, e.end_line, e.end_col), new_text=e.content
            )
            for e in minimal_edits(old, new)
        ]

    def documents_edit(self, edits: dict[str, list]):
        """Edits for the buffer (or cell) versions they were computed on, when the client can
        check them."""
        types = self.types
        documents = {uri: self.document(uri) for uri in edits}
        capabilities = self.server.client_capabilities
        workspace = getattr(capabilities, "workspace", None)
        edit_support = getattr(workspace, "workspace_edit", None)
        known = all(document is not None for document in documents.values())
        if known and getattr(edit_support, "document_changes", False):
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(
                            uri=uri, version=documents[uri].version
                        ),
                        edits=uri_edits,
                    )
                    for uri, uri_edits in edits.items()
                ]
            )
        return types.WorkspaceEdit(changes=edits)

    def diagnosed(self, uri: str) -> list[tuple[Finding, Any]]:
        """The findings of a buffer or a notebook cell, each with its diagnostic."""
        notebook = self.notebook_of_cell(uri)
        if notebook is not None:
            done = self.lint_notebook(notebook.uri)
            return self.cell_diagnostics(*done).get(uri, []) if done is not None else []
        linted = self.lint(uri)
        if linted is None:
            return []
        lines = lines_of(linted.text)
        return [(finding, self.diagnostic(finding, lines)) for finding in linted.findings]

    def hover(self, params):
        types = self.types
        at = params.position
        point = (at.line, at.character)
        under = [
            (finding, diag.range)
            for finding, diag in self.diagnosed(params.text_document.uri)
            if (diag.range.start.line, diag.range.start.character)
            <= point
            <= (diag.range.end.line, diag.range.end.character)
        ]
        if not under:
            return None
        return types.Hover(
            contents=types.MarkupContent(
                kind=types.MarkupKind.Markdown,
                value=hover_markdown([finding.code for finding, _ in under]),
            ),
            range=under[0][1],
        )


def build_server():
    """The pygls language server with every feature registered."""
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer

    server = LanguageServer(
        "twilio-lint",
        __version__,
        text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
        notebook_document_sync=types.NotebookDocumentSyncOptions(
            notebook_selector=[
                types.NotebookDocumentFilterWithNotebook(
                    notebook=NOTEBOOK_TYPE, cells=[types.NotebookCellLanguage(language="python")]
                )
            ],
            save=True,
        ),
        protocol_cls=protocol_class(),
    )
    session = server.twilio_session = Session(server, types)

    @server.feature(types.INITIALIZE)
    def initialize(ls, params: types.InitializeParams) -> None:
        session.configure(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls, params: types.DidOpenTextDocumentParams) -> None:
        session.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls, params: types.DidChangeTextDocumentParams) -> None:
        session.schedule(params.text_document.uri, session.debounce)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls, params: types.DidSaveTextDocumentParams) -> None:
        session.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls, params: types.DidCloseTextDocumentParams) -> None:
        session.forget(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    async def notebook_did_open(ls, params: types.DidOpenNotebookDocumentParams) -> None:
        session.schedule(params.notebook_document.uri, 0, session.publish_notebook)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    async def notebook_did_change(ls, params: types.DidChangeNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        session.schedule(uri, session.debounce, session.publish_notebook)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    async def notebook_did_save(ls, params: types.DidSaveNotebookDocumentParams) -> None:
        session.schedule(params.notebook_document.uri, 0, session.publish_notebook)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_did_close(ls, params: types.DidCloseNotebookDocumentParams) -> None:
        cells = [cell.uri for cell in params.cell_text_documents]
        session.close_notebook(params.notebook_document.uri, cells)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls, params: types.CodeActionParams) -> list[types.CodeAction]:
        return session.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls, params: types.HoverParams) -> types.Hover | None:
        return session.hover(params)

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(ls, params: types.DidChangeConfigurationParams) -> None:
        settings = params.settings
        if isinstance(settings, dict):
            session.configure(settings.get("twilio-lint", settings))
        session.linted.clear()
        session.notebooks_linted.clear()
        for uri in list(ls.workspace.text_documents):
            if session.notebook_of_cell(uri) is None:
                session.schedule(uri, 0)
        for uri in list(ls.workspace.notebook_documents):
            session.schedule(uri, 0, session.publish_notebook)

    @server.feature(types.SHUTDOWN)
    def shutdown(ls, params: None) -> None:
        session.shut_down = True
        for uri in list(session.pending):
            session.forget(uri)

    @server.feature(types.EXIT)
    def exit_now(ls, params: None) -> None:
        # Right away: a lint in flight (a worker thread) is not waited for.
        logging.shutdown()
        os._exit(0 if session.shut_down else 1)

    return server


def main() -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        return _missing_pygls()
    server = build_server()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    return serve_stdio(server)
