"""``--add-noqa``: append ``# noqa: TWLxxx`` to every flagged line.

An existing ``# noqa: CODES`` comment is merged with the new codes. A line whose end lies inside
a multi-line string (or that continues with a backslash) is never touched: a comment there would
change the string or break the code, so it is skipped and reported. Files are written
atomically, in their own encoding and line endings, and a Python file is re-parsed before it is
written. Also used by the language server's "add noqa" code action.
"""

from __future__ import annotations

import ast
import fnmatch
import io
import os
import re
import tokenize
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from twilio_lint.files import is_notebook, is_python_path
from twilio_lint.findings import Finding
from twilio_lint.noqa import NOQA_INLINE, noqa_codes

#: Files where a ``#`` comment at the end of a line is a comment (basename globs).
HASH_COMMENT_FILES = (
    "*.py", "*.pyi", "*.ipynb", "requirements*.txt", "constraints*.txt", "requirements*.in",
    "*.toml", "Pipfile", "Gemfile",
)
_TRIPLE = re.compile(r'"""|\'\'\'')
_PHYSICAL_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def physical_lines(text: str) -> list[str]:
    """Lines with their endings, split only where Python and ``ast`` count a new line."""
    return _PHYSICAL_LINE.findall(text)


@dataclass
class AddNoqaResult:
    added: int = 0  # noqa directives added or extended
    files: int = 0  # files rewritten
    skipped: list[tuple[str, int, str]] = field(default_factory=list)  # (path, line, reason)


def supports_noqa(path: str) -> bool:
    name = os.path.basename(path)
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in HASH_COMMENT_FILES)


def _is_python(path: str) -> bool:
    """Python source, or a notebook (whose joined code cells get the directives)."""
    return is_python_path(path) or is_notebook(path)


def lines_without_comment_room(text: str, path: str) -> dict[int, str]:
    """1-based lines whose end cannot take a comment, with the reason."""
    lines = [line.rstrip("\r\n") for line in physical_lines(text)]
    blocked: dict[int, str] = {}
    for number, line in enumerate(lines, start=1):
        if line.rstrip().endswith("\\"):
            blocked[number] = "the line continues with a backslash"
    if _is_python(path):
        blocked.update(_python_string_lines(text))
    elif path.endswith(".toml") or os.path.basename(path) == "Pipfile":
        blocked.update(_toml_string_lines(lines))
    return blocked


def _python_string_lines(text: str) -> dict[int, str]:
    reason = "the line ends inside a multi-line string"
    blocked: dict[int, str] = {}
    fstring_starts: list[int] = []
    fstring_start = getattr(tokenize, "FSTRING_START", None)
    fstring_end = getattr(tokenize, "FSTRING_END", None)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == fstring_start:
                fstring_starts.append(token.start[0])
                continue
            if token.type == fstring_end and fstring_starts:
                first = fstring_starts.pop()
            elif token.type == tokenize.STRING:
                first = token.start[0]
            else:
                continue
            for number in range(first, token.end[0]):
                blocked[number] = reason
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # Cannot tell where strings are: treat every line as untouchable.
        return {number: "the file cannot be tokenized" for number in
                range(1, text.count("\n") + 2)}
    return blocked


def _toml_string_lines(lines: list[str]) -> dict[int, str]:
    """Lines that end inside a TOML multi-line string (\"\"\" or ''')."""
    blocked: dict[int, str] = {}
    open_quote: str | None = None
    for number, line in enumerate(lines, start=1):
        position = 0
        while True:
            if open_quote is None:
                # Outside a multi-line string: stop at a comment, or find an opening.
                match = _TRIPLE.search(line, position)
                hash_at = _comment_start(line, position)
                if match is None or (hash_at is not None and hash_at < match.start()):
                    break
                open_quote = match.group()
                position = match.end()
            else:
                close = line.find(open_quote, position)
                if close < 0:
                    break
                open_quote = None
                position = close + 3
        if open_quote is not None:
            blocked[number] = "the line ends inside a multi-line string"
    return blocked


def _comment_start(line: str, start: int) -> int | None:
    """Where a ``#`` comment starts on a TOML line, ignoring ``#`` inside one-line strings."""
    quote: str | None = None
    index = start
    while index < len(line):
        char = line[index]
        if quote is not None:
            if char == "\\" and quote == '"':
                index += 2
                continue
            if char == quote:
                quote = None
        elif line.startswith(('"""', "'''"), index):
            return None  # the caller handles triple quotes
        elif char in "\"'":
            quote = char
        elif char == "#":
            return index
        index += 1
    return None


def with_noqa(line: str, codes: Iterable[str]) -> str | None:
    """``line`` (without its line ending) with ``# noqa`` covering ``codes``, or None when it
    already does (a bare ``# noqa`` covers everything)."""
    wanted = {code.upper() for code in codes}
    existing = noqa_codes(line)
    if existing is not None:
        if not existing or all(any(code.startswith(have) for have in existing) for code in wanted):
            return None
        match = NOQA_INLINE.search(line)
        assert match is not None and match.group("codes")
        codes_text = match.group("codes")
        stripped = codes_text.rstrip(", \t")
        start = match.start()
        end = match.start("codes") + len(stripped)
        merged = sorted(existing | wanted)
        return f"{line[:start]}# noqa: {', '.join(merged)}{line[end:]}"
    body = line.rstrip()
    separator = "  " if body else ""
    return f"{body}{separator}# noqa: {', '.join(sorted(wanted))}"


def add_noqa_to_text(
    text: str, path: str, codes_by_line: dict[int, set[str]]
) -> tuple[str, int, list[tuple[int, str]]]:
    """The new text, how many lines got a directive, and the (line, reason) pairs skipped."""
    blocked = lines_without_comment_room(text, path)
    lines = physical_lines(text)
    added = 0
    skipped: list[tuple[int, str]] = []
    for number in sorted(codes_by_line):
        if not 1 <= number <= len(lines):
            skipped.append((number, "the line is past the end of the file"))
            continue
        if number in blocked:
            skipped.append((number, blocked[number]))
            continue
        raw = lines[number - 1]
        body = raw.rstrip("\r\n")
        ending = raw[len(body):]
        new = with_noqa(body, codes_by_line[number])
        if new is None:
            continue
        lines[number - 1] = new + ending
        added += 1
    return "".join(lines), added, skipped


def _noqa_judges() -> frozenset[str]:
    """The rules about ``# noqa`` directives themselves (TWL501)."""
    from twilio_lint.registry import all_rules

    return frozenset(rule.code for rule in all_rules() if rule.noqa)


def add_noqa(findings: list[Finding], roots: list[str] | None = None) -> AddNoqaResult:
    """Add directives for ``findings`` to their files on disk (only under ``roots``, the
    paths checked, when given)."""
    from twilio_lint.files import (
        DECODE_ERRORS,
        decode,
        may_write,
        read_for_rewrite,
        write_atomic,
    )
    from twilio_lint.notebooks import Notebook, NotebookError, is_notebook

    result = AddNoqaResult()
    by_path: dict[str, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    judges = _noqa_judges()
    for finding in findings:
        if finding.code in judges:
            continue  # like Ruff's RUF100: a stale directive is removed (--fix), not silenced
        by_path[finding.path][finding.line].add(finding.code)
    for path, codes_by_line in sorted(by_path.items()):
        if path == "-":
            result.skipped.append((path, 0, "cannot add noqa to stdin"))
            continue
        if not supports_noqa(path):
            for number in sorted(codes_by_line):
                result.skipped.append(
                    (path, number, "this file type has no '#' comments; use per-file-ignores "
                     "or a baseline")
                )
            continue
        if not may_write(path, roots):
            result.skipped.append((path, 0, "outside the paths checked"))
            continue
        try:
            raw, identity = read_for_rewrite(path)
            decoded = decode(raw, python=path.endswith((".py", ".pyi")))
            notebook = Notebook.from_bytes(raw) if is_notebook(path) else None
        except (OSError, NotebookError, *DECODE_ERRORS) as exc:
            result.skipped.append((path, 0, f"cannot read: {exc}"))
            continue
        text = notebook.code() if notebook else decoded.text
        new_text, added, skipped = add_noqa_to_text(text, path, codes_by_line)
        result.skipped.extend((path, number, reason) for number, reason in skipped)
        if not added:
            continue
        if _is_python(path):
            try:
                ast.parse(new_text, filename=path)
            except (SyntaxError, ValueError) as exc:  # pragma: no cover - defensive
                result.skipped.append((path, 0, f"not written: the edit would not parse ({exc})"))
                continue
        try:
            new_file = notebook.with_code(new_text) if notebook else new_text
            write_atomic(path, decoded.encode(new_file), expected=identity)
        except (OSError, UnicodeEncodeError) as exc:
            result.skipped.append((path, 0, f"cannot write: {exc}"))
            continue
        result.added += added
        result.files += 1
    return result
