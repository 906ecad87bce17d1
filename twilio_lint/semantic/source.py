"""A text with a line table: (1-based line, 0-based character column) ↔ offset, lines split
as Python's tokenizer splits them (``\\r\\n``, ``\\r``, ``\\n``). Fixes turn offsets into edits
with it, and so do the facts rules read to declare their fixes."""

from __future__ import annotations

import ast
import re

from twilio_lint.findings import Edit

NEWLINE = re.compile(r"\r\n|\r|\n")


class SourceText:
    """A text with a line table: (line, column) ↔ offset."""

    def __init__(self, text: str) -> None:
        self.text = text
        starts = [0]
        for match in NEWLINE.finditer(text):
            starts.append(match.end())
        self.line_starts = starts
        first = NEWLINE.search(text)
        self.newline = first.group() if first else "\n"

    @property
    def line_count(self) -> int:
        return len(self.line_starts)

    def offset(self, line: int, col: int) -> int:
        if line > len(self.line_starts):
            return len(self.text)
        return min(self.line_starts[line - 1] + col, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index]

    def line_text(self, line: int) -> str:
        """The line without its newline."""
        start = self.line_starts[line - 1]
        end = self.line_starts[line] if line < len(self.line_starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def edit(self, start: int, end: int, content: str) -> Edit:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Edit(line, col, end_line, end_col, content)

    def char_col(self, line: int, byte_col: int) -> int:
        """The character column of ``ast``'s UTF-8 byte column on ``line``."""
        text = self.line_text(line)
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def ast_span(self, node: ast.AST) -> tuple[int, int]:
        """Start and end offsets of an ``ast`` node."""
        start = self.offset(node.lineno, self.char_col(node.lineno, node.col_offset))
        end = self.offset(node.end_lineno, self.char_col(node.end_lineno, node.end_col_offset))
        return start, end
