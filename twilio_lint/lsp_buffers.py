"""Linting one editor buffer for the language server, and the small answers built on it (no
pygls here): the findings of a buffer with the configuration the CLI would use for its path,
each with its fix; the fixed text of "fix all"; which path a buffer is linted as."""

from __future__ import annotations

import logging
import os
import re
import stat
from dataclasses import dataclass, field
from typing import Any

from twilio_lint.config import FILE_NOT_CHECKED
from twilio_lint.files import PYTHON_SUFFIXES
from twilio_lint.findings import Finding

#: The code of a file that could not be checked (the CLI's and the engine's too).
NOT_CHECKED = FILE_NOT_CHECKED
NOT_CHECKED_NAME = "file-not-checked"
log = logging.getLogger("twilio_lint.lsp")

@dataclass
class Linted:
    """One buffer version, linted: its findings (fixes attached), or why it was not."""

    text: str
    path: str
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None  # a configuration error: nothing was checked
    settings: Any = None


def buffer_bytes(text: str, path: str) -> bytes:
    """An editor buffer as the bytes its file would hold: a Python buffer with a coding cookie
    (``latin-1``, ``shift_jis``) in that encoding, so it is decoded, and its columns counted,
    as the file is; UTF-8 otherwise."""
    from twilio_lint.files import DECODE_ERRORS, decode

    raw = text.encode("utf-8", "surrogatepass")
    if not path.endswith(PYTHON_SUFFIXES):
        return raw
    head = b"".join(raw.splitlines(keepends=True)[:2])  # where a coding cookie may be
    try:
        encoding = decode(head, python=True).encoding
        return raw if encoding == "utf-8" else text.encode(encoding)
    except (*DECODE_ERRORS, UnicodeError):
        return raw


def lint_buffer(text: str, path: str, display_lines: list[str] | None = None) -> Linted:
    """Findings for an editor buffer, with the configuration the CLI would use for ``path``,
    each with its fix (for ``data.fixable`` and the code actions). For a notebook (an
    ``.ipynb`` path), ``text`` is its joined code cells (``Notebook.code``) and
    ``display_lines`` their lines as the cells show them; findings know their cell."""
    from twilio_lint.config import ConfigError, load_settings
    from twilio_lint.engine import Linter
    from twilio_lint.notebooks import is_notebook, place_findings

    try:
        settings = load_settings([path])
    except ConfigError as exc:
        return Linted(text, path, problem=f"configuration error: {exc}")
    linted = Linted(text, path, settings=settings)
    if settings.is_excluded(path):
        return linted
    notebook = is_notebook(path)
    linter = Linter(settings)
    raw = text.encode("utf-8", "surrogatepass") if notebook else buffer_bytes(text, path)
    result = linter.over_the_limit(raw, path)  # as a file on disk or stdin: not linted
    if result is None:
        result = linter.lint_notebook_code(text, path) if notebook else linter.lint_source(raw, path)
    if result.error is not None:
        linted.findings = [not_checked(text, path, result.error.message)]
        if notebook:
            place_findings(linted.findings, text)
        return linted
    if settings.baseline and result.findings:  # `baseline = "…"` in the configuration
        from twilio_lint.adoption.baseline import BaselineError, apply_baseline

        try:
            result.findings, _ = apply_baseline(
                result.findings, settings.baseline, {path: display_lines or text.splitlines()}
            )
        except BaselineError as exc:
            log.warning("%s", exc)
    linted.findings = result.findings
    if result.findings:
        from twilio_lint.fixes.apply import attach_fixes

        for problem in attach_fixes(result.findings, text, path, settings.effective_options()):
            log.warning("%s: %s", path, problem)
    return linted


_WHERE = re.compile(r"\(line (\d+), column (\d+)\)")


def not_checked(text: str, path: str, reason: str) -> Finding:
    """The diagnostic of a buffer the engine could not check, at the syntax error if any."""
    from twilio_lint.masking import redact_credentials

    line, col = 1, 0
    where = _WHERE.search(reason)
    if where:
        line, col = int(where.group(1)), max(int(where.group(2)) - 1, 0)
    lines = text.splitlines() or [""]
    line = min(max(line, 1), len(lines))
    width = len(lines[line - 1])
    col = min(col, width)
    return Finding(
        code=NOT_CHECKED,
        message=f"File not checked: {redact_credentials(reason)}",
        path=path,
        line=line,
        col=col,
        end_line=line,
        end_col=width if col < width else col,
        name=NOT_CHECKED_NAME,
    )


def fix_all(linted: Linted) -> str | None:
    """The buffer with every safe fix applied (rounds, imports made unused: what ``--fix``
    writes), or None when nothing changes."""
    from twilio_lint.engine import Linter
    from twilio_lint.fixes.apply import fix_text

    fixable = [f for f in linted.findings if f.fix is not None and f.fix.applicability == "safe"]
    if not fixable or linted.settings is None:
        return None
    path = linted.path
    result = fix_text(
        Linter(linted.settings), linted.text, path, list(linted.findings), unsafe=False,
        encode=lambda text: buffer_bytes(text, path),
    )
    return result.text if result.changed else None


def refusal(path: str) -> str | None:
    """Why a document is not linted, or None: a ``file:`` URI must name a regular file (or no
    file yet); ``/dev/zero``, a FIFO or a directory is refused."""
    try:
        info = os.stat(path)
    except OSError:
        return None  # not saved yet: the buffer is all there is
    if not stat.S_ISREG(info.st_mode):
        return f"{path}: not a regular file (skipped)"
    return None


def buffer_path(
    uri: str, language_id: str | None, root: str, suffixes: tuple[str, ...] = PYTHON_SUFFIXES
) -> str | None:
    """The path a buffer is linted as: its file, or for an unsaved buffer (``untitled:``) of a
    Python document a name in the workspace root ending in one of ``suffixes`` (``.py``;
    ``.ipynb`` for a notebook), so the workspace's configuration applies and it is linted like
    stdin."""
    from pygls.uris import to_fs_path

    if uri.startswith("file:"):
        return to_fs_path(uri)
    if language_id != "python":
        return None
    name = re.sub(r"[^\w.-]", "_", uri.rsplit("/", 1)[-1].rsplit(":", 1)[-1]) or "untitled"
    return os.path.join(root, name if name.endswith(suffixes) else name + suffixes[0])


def hover_markdown(codes: list[str]) -> str:
    """The documentation of the rules behind the diagnostics under the cursor."""
    from twilio_lint.registry import rules_by_code
    from twilio_lint.rule_docs import rule_markdown

    rules = rules_by_code()
    parts = []
    for code in dict.fromkeys(codes):
        if code in rules:
            parts.append(rule_markdown(rules[code]))
        elif code == NOT_CHECKED:
            parts.append(
                f"# {NOT_CHECKED} {NOT_CHECKED_NAME}\n\ntwilio-lint could not check this file "
                "(it does not parse, cannot be decoded or is too big), so it may hide findings."
            )
    return "\n---\n\n".join(parts)


def kind_wanted(only: list[str] | None, kind: str) -> bool:
    """Does ``context.only`` ask for actions of ``kind`` (a kind asks for its sub-kinds)?"""
    return only is None or any(kind == want or kind.startswith(want + ".") for want in only)


def overlaps(a, b) -> bool:
    """Whether LSP ranges ``a`` and ``b`` touch (an empty request range at a cursor counts)."""
    a_start, a_end = (a.start.line, a.start.character), (a.end.line, a.end.character)
    b_start, b_end = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return a_start <= b_end and b_start <= a_end


def line_edit(old: str, new: str) -> tuple[int, int, str]:
    """The one span of line ``old`` to replace (start, end, text) to get ``new``: an added
    ``# noqa`` comment is an insertion at the end, never the whole line again."""
    start = len(os.path.commonprefix([old, new]))
    tail = len(os.path.commonprefix([old[start:][::-1], new[start:][::-1]]))
    return start, len(old) - tail, new[start : len(new) - tail]


def lines_of(text: str) -> list[str]:
    from twilio_lint.adoption.add_noqa import physical_lines

    return [line.rstrip("\r\n") for line in physical_lines(text)]
