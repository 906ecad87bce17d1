"""``twilio-lint lsp``: a language server on stdio (pygls; ``pip install 'twilio-lint[lsp]'``).

- Diagnostics on open and save, and on change after a short pause (debounced).
- Code actions: each finding's fix (safe or unsafe, labelled), and "add # noqa" for the line.
- Configuration comes from the workspace like on the command line: the nearest
  ``.twilio-lint.yaml`` or ``pyproject.toml`` with ``[tool.twilio-lint]`` above the file;
  files the configuration excludes get no diagnostics.

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

SOURCE = "twilio-lint"
DEFAULT_DEBOUNCE = 0.3
log = logging.getLogger("twilio_lint.lsp")


def _missing_pygls() -> int:
    print(
        "twilio-lint: error: the language server needs pygls: "
        "pip install 'twilio-lint[lsp]'",
        file=sys.stderr,
    )
    return 2


def lint_document(
    text: str, path: str, with_fixes: bool = False
) -> tuple[list[Finding] | None, str | None]:
    """Findings for an editor buffer, with the configuration the CLI would use for ``path``;
    ``with_fixes`` also computes each finding's fix (for code actions).

    Returns (findings, None), or (None, reason) when the buffer cannot be linted (it does not
    parse yet, or the configuration is broken)."""
    from twilio_lint.config import ConfigError, load_settings
    from twilio_lint.engine import Linter

    try:
        settings = load_settings([path])
    except ConfigError as exc:
        return None, f"configuration error: {exc}"
    if settings.is_excluded(path):
        return [], None
    result = Linter(settings).lint_source(text, path)
    if result.error is not None:
        return None, result.error.message
    if settings.baseline and result.findings:  # `baseline = "…"` in the configuration
        from twilio_lint.adoption.baseline import BaselineError, apply_baseline

        try:
            result.findings, _ = apply_baseline(
                result.findings, settings.baseline, {path: text.splitlines()}
            )
        except BaselineError as exc:
            log.warning("%s", exc)
    if with_fixes and result.findings:
        try:
            from twilio_lint.fixes.apply import attach_fixes
        except ImportError:  # pragma: no cover - the fix machinery ships with the package
            return result.findings, None
        for problem in attach_fixes(result.findings, text, path, settings.effective_options()):
            log.warning("%s: %s", path, problem)
    return result.findings, None


def build_server():  # noqa: C901 - one closure per LSP feature reads best together
    from lsprotocol import types
    from pygls.lsp.server import LanguageServer
    from pygls.uris import to_fs_path

    from twilio_lint.adoption.add_noqa import (
        lines_without_comment_room,
        physical_lines,
        supports_noqa,
        with_noqa,
    )
    from twilio_lint.registry import DOCS_URL

    server = LanguageServer(
        "twilio-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental
    )
    state: dict[str, Any] = {"debounce": DEFAULT_DEBOUNCE, "pending": {}, "warned": set()}

    def configure(options: Any) -> None:
        if isinstance(options, dict) and isinstance(options.get("debounce"), (int, float)):
            state["debounce"] = max(0.0, float(options["debounce"]))

    def path_of(uri: str) -> str:
        path = to_fs_path(uri)
        if path:
            return path
        return os.path.join(os.getcwd(), uri.rsplit("/", 1)[-1] or "untitled.py")

    def lines_of(text: str) -> list[str]:
        return [line.rstrip("\r\n") for line in physical_lines(text)]

    def position(lines: list[str], line: int, col: int) -> types.Position:
        """A 1-based line and 0-based character column as an LSP position in client units."""
        number = max(line - 1, 0)
        text = lines[number] if number < len(lines) else ""
        units = server.workspace.position_codec.client_num_units(text[: max(col, 0)])
        return types.Position(line=number, character=units)

    def span(lines: list[str], line: int, col: int, end_line: int, end_col: int) -> types.Range:
        return types.Range(
            start=position(lines, line, col), end=position(lines, max(end_line, line), end_col)
        )

    def diagnostic(finding: Finding, lines: list[str]) -> types.Diagnostic:
        severity = (
            types.DiagnosticSeverity.Warning
            if finding.severity == "warning"
            else types.DiagnosticSeverity.Error
        )
        return types.Diagnostic(
            range=span(lines, finding.line, finding.col, finding.end_line, finding.end_col),
            message=finding.message,
            severity=severity,
            code=finding.code,
            code_description=types.CodeDescription(href=DOCS_URL.format(code=finding.code)),
            source=SOURCE,
            data={"fixable": finding.fix is not None},
        )

    def current(uri: str) -> tuple[str, int | None]:
        document = server.workspace.get_text_document(uri)
        return document.source, document.version

    def warn_once(message: str) -> None:
        if message in state["warned"]:
            return
        state["warned"].add(message)
        server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Warning, message=f"twilio-lint: {message}"
            )
        )

    async def publish(uri: str) -> None:
        text, version = current(uri)
        path = path_of(uri)
        loop = asyncio.get_running_loop()
        findings, problem = await loop.run_in_executor(None, lint_document, text, path)
        if current(uri)[1] != version:
            return  # the buffer changed meanwhile; a newer run will publish
        if findings is None:
            if problem and problem.startswith("configuration error"):
                warn_once(problem)
            server.window_log_message(
                types.LogMessageParams(type=types.MessageType.Log, message=f"{path}: {problem}")
            )
            return  # keep the last diagnostics until the buffer parses again
        lines = lines_of(text)
        server.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=uri, version=version, diagnostics=[diagnostic(f, lines) for f in findings]
            )
        )

    def schedule(uri: str, delay: float) -> None:
        pending = state["pending"].pop(uri, None)
        if pending is not None:
            pending.cancel()

        async def run() -> None:
            try:
                if delay:
                    await asyncio.sleep(delay)
                await publish(uri)
            except asyncio.CancelledError:
                pass
            except Exception as exc:  # noqa: BLE001 - a bad buffer must not kill the server
                log.exception("twilio-lint failed on %s", uri)
                server.window_log_message(
                    types.LogMessageParams(
                        type=types.MessageType.Error,
                        message=f"twilio-lint failed on {uri}: {type(exc).__name__}: {exc}",
                    )
                )
            finally:
                if state["pending"].get(uri) is task:
                    del state["pending"][uri]

        task = asyncio.ensure_future(run())
        state["pending"][uri] = task

    @server.feature(types.INITIALIZE)
    def initialize(ls: LanguageServer, params: types.InitializeParams) -> None:
        configure(params.initialization_options)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: LanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: LanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        schedule(params.text_document.uri, state["debounce"])

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: LanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: LanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        pending = state["pending"].pop(uri, None)
        if pending is not None:
            pending.cancel()
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(
        ls: LanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction]:
        uri = params.text_document.uri
        text, _ = current(uri)
        path = path_of(uri)
        findings, _problem = lint_document(text, path, with_fixes=True)
        if not findings:
            return []
        lines = lines_of(text)
        wanted = params.range
        blocked = lines_without_comment_room(text, path) if supports_noqa(path) else None
        actions: list[types.CodeAction] = []
        noqa_lines: dict[int, tuple[set[str], list[types.Diagnostic]]] = {}
        for finding in findings:
            diag = diagnostic(finding, lines)
            if not _overlaps(diag.range, wanted):
                continue
            fix = finding.fix
            if fix is not None and fix.edits and fix.applicability != "display-only":
                label = "" if fix.applicability == "safe" else " (unsafe: review the change)"
                edits = [
                    types.TextEdit(
                        range=span(lines, e.line, e.col, e.end_line, e.end_col), new_text=e.content
                    )
                    for e in fix.edits
                ]
                actions.append(
                    types.CodeAction(
                        title=f"{finding.code}: {fix.title}{label}",
                        kind=types.CodeActionKind.QuickFix,
                        diagnostics=[diag],
                        is_preferred=fix.applicability == "safe",
                        edit=types.WorkspaceEdit(changes={uri: edits}),
                    )
                )
            if blocked is not None and finding.line not in blocked:
                codes, diags = noqa_lines.setdefault(finding.line, (set(), []))
                codes.add(finding.code)
                diags.append(diag)
        for number, (codes, diags) in sorted(noqa_lines.items()):
            if number > len(lines):
                continue
            new_line = with_noqa(lines[number - 1], codes)
            if new_line is None:
                continue
            edit = types.TextEdit(
                range=span(lines, number, 0, number, len(lines[number - 1])), new_text=new_line
            )
            actions.append(
                types.CodeAction(
                    title=f"Disable {', '.join(sorted(codes))} for this line (# noqa)",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=diags,
                    edit=types.WorkspaceEdit(changes={uri: [edit]}),
                )
            )
        return actions

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: LanguageServer, params: types.DidChangeConfigurationParams
    ) -> None:
        settings = params.settings
        if isinstance(settings, dict):
            configure(settings.get("twilio-lint", settings))
        for uri in list(ls.workspace.text_documents):
            schedule(uri, 0)

    return server


def _overlaps(a, b) -> bool:
    """Whether LSP ranges ``a`` and ``b`` touch (an empty request range at a cursor counts)."""
    a_start, a_end = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b_start, b_end = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a_start <= b_end and b_start <= a_end


def main() -> int:
    try:
        import lsprotocol  # noqa: F401
        import pygls  # noqa: F401
    except ImportError:
        return _missing_pygls()
    server = build_server()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    server.start_io()
    return 0
