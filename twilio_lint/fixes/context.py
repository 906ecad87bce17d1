"""What a fix function gets: the file's text, its trees, and helpers that turn changes into edits.

Positions follow ``twilio_lint.findings``: 1-based lines, 0-based *character* columns. Lines are
split the way Python's tokenizer splits them (``\\r\\n``, ``\\r``, ``\\n``), so CRLF files keep
their line endings: inserted lines use the file's own newline.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from twilio_lint.facts.imports import LINE_LENGTH, ModuleImports
from twilio_lint.findings import Edit, Finding
from twilio_lint.semantic.source import SourceText

_STATEMENT_HEAD = re.compile(
    r"[ \t]*(?:[A-Za-z_][\w.]*[ \t]*(?::[^=()]+)?=[ \t]*|return[ \t]+|await[ \t]+)?"
)
_STATEMENT_TAIL = re.compile(r"[ \t]*(?:#.*)?")
#: Tokens for fine-grained edits: names, runs of spaces, whole string literals, single marks.
_TOKEN = re.compile(
    r"""[A-Za-z_0-9]+|[ \t]+|\r\n|\r|\n|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'|.""",
    re.S,
)


def _token_edits(source: SourceText, start: int, old: str, new: str) -> tuple[Edit, ...]:
    """Edits turning the text ``old`` found at ``start`` of ``source`` into ``new``, token by
    token: a token that stays (a string literal, a comment) is never part of an edit."""
    old_tokens = _TOKEN.findall(old)
    new_tokens = _TOKEN.findall(new)
    if "".join(old_tokens) != old or "".join(new_tokens) != new:  # cannot happen
        return (source.edit(start, start + len(old), new),)
    offsets = [0]
    for token in old_tokens:
        offsets.append(offsets[-1] + len(token))
    matcher = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits.append(
                source.edit(start + offsets[i1], start + offsets[i2], "".join(new_tokens[j1:j2]))
            )
    return tuple(edits)


def minimal_edits(old: str, new: str) -> tuple[Edit, ...]:
    """The edits turning the whole text ``old`` into ``new``: the changed lines, narrowed to
    the changed tokens (an editor applying them never receives a line that did not change,
    nor a credential the change kept)."""
    source = SourceText(old)
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            old_chunk, new_chunk = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
            edits.extend(_token_edits(source, starts[i1], old_chunk, new_chunk))
    return tuple(edits)


class TextFixContext:
    """For fixes of non-Python files (manifests): the text and its lines."""

    def __init__(self, path: str, text: str, options: dict[str, Any] | None = None) -> None:
        self.path = path
        self.text = text
        self.options = options or {}
        self.source = SourceText(text)
        self.newline = self.source.newline


#: Deeper ``ast`` trees get no fixes (see ``PythonFixContext._wrapper``); real code is far
#: shallower, generated or hostile code can be thousands of levels deep.
MAX_CST_DEPTH = 300


def _depth(tree: ast.AST) -> int:
    """The depth of an ``ast`` tree, without recursion."""
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


class PythonFixContext(TextFixContext):
    """For fixes of Python files: the ``ast`` model (to resolve names) and the libcst tree
    (to rewrite code keeping comments and formatting)."""

    # --- trees ----------------------------------------------------------------------------------

    @cached_property
    def tree(self) -> ast.Module:
        return ast.parse(self.text, filename=self.path)

    @cached_property
    def model(self):
        from twilio_lint.facts.module import twilio_module

        return twilio_module(self.tree, self.text, self.path, self.options)

    @cached_property
    def _wrapper(self) -> MetadataWrapper:
        if _depth(self.tree) > MAX_CST_DEPTH:
            # libcst's parser needs gigabytes for deep trees (2,500 nested lambdas: 1.2 GB).
            # A RecursionError is what attach_fixes treats as "libcst cannot read this file".
            raise RecursionError(f"nested more than {MAX_CST_DEPTH} levels deep: no fixes")
        return MetadataWrapper(cst.parse_module(self.text))

    @property
    def module(self) -> cst.Module:
        return self._wrapper.module

    @cached_property
    def _positions(self):
        return self._wrapper.resolve(PositionProvider)

    def span_of(self, node: cst.CSTNode) -> tuple[int, int]:
        """Start and end offsets of a libcst node in the text."""
        code_range = self._positions[node]
        return (
            self.source.offset(code_range.start.line, code_range.start.column),
            self.source.offset(code_range.end.line, code_range.end.column),
        )

    def finding_span(self, finding: Finding) -> tuple[int, int]:
        return (
            self.source.offset(finding.line, finding.col),
            self.source.offset(finding.end_line, finding.end_col),
        )

    def find(self, finding: Finding, *types: type) -> Any:
        """The smallest libcst node of one of ``types`` that covers the finding's span (a
        parenthesized node covers its parentheses, which ``ast`` leaves out)."""
        start, end = self.finding_span(finding)
        return self.find_span(start, end, *types)

    @cached_property
    def _spans(self) -> list[tuple[int, int, cst.CSTNode]]:
        """(start, end, node) of every libcst node, computed once (fixes ask per finding)."""
        offset = self.source.offset
        return sorted(
            (
                (offset(r.start.line, r.start.column), offset(r.end.line, r.end.column), node)
                for node, r in self._positions.items()
            ),
            key=lambda span: span[:2],
        )

    def find_span(self, start: int, end: int, *types: type) -> Any:
        import bisect

        best = None
        best_size = None
        # A node that covers the span may start only before parentheses and whitespace.
        lowest = len(self.text[:start].rstrip("() \t\r\n\\"))
        spans = self._spans
        first = bisect.bisect_left(spans, lowest, key=lambda span: span[0])
        last = bisect.bisect_right(spans, start, key=lambda span: span[0])
        for node_start, node_end, node in spans[first:last]:
            if end > node_end or not isinstance(node, types):
                continue
            # only parentheses (and the whitespace inside them) may lie outside the span
            outside = self.text[node_start:start] + self.text[end:node_end]
            if outside.strip("() \t\r\n\\"):
                continue
            size = node_end - node_start
            if best_size is None or size < best_size:
                best, best_size = node, size
        return best

    def ast_node(self, finding: Finding, *types: type) -> Any:
        """The ``ast`` node of one of ``types`` spanning exactly the finding."""
        for node in self.model.nodes(*types):
            if not hasattr(node, "lineno"):
                continue
            line, end_line = node.lineno, node.end_lineno
            col = self.char_col(line, node.col_offset)
            end_col = self.char_col(end_line, node.end_col_offset)
            if (line, col, end_line, end_col) == (
                finding.line,
                finding.col,
                finding.end_line,
                finding.end_col,
            ):
                return node
        return None

    def char_col(self, line: int, byte_col: int) -> int:
        return self.source.char_col(line, byte_col)

    def ast_span(self, node: ast.AST) -> tuple[int, int]:
        return self.source.ast_span(node)

    # --- edits ----------------------------------------------------------------------------------

    def replace(self, old: cst.CSTNode, new: cst.CSTNode) -> tuple[Edit, ...]:
        """The edits that turn ``old`` into ``new``, rendered in place (so indentation, the
        file's newline and every untouched comment and space stay as they are). Only what
        changed is in the edits: text that stays (a string literal, a comment) is never
        repeated in an edit's content, so reports that show fixes cannot echo it."""
        start, end = self.span_of(old)
        return self.text_edits(start, self.text[start:end], self._rendered(old, new))

    def _rendered(self, old: cst.CSTNode, new: cst.CSTNode) -> str:
        """The code of ``new`` where ``old`` is. Rendered alone with the indentation of the
        line it starts on when that renders ``old`` exactly as written (regenerating the whole
        module for each fix made many fixes in one file quadratic); else in the module."""
        start, end = self.span_of(old)
        line = self.source.line_text(self.source.position(start)[0])
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if self._code_for(old, indent) == self.text[start:end]:
            return self._code_for(new, indent)
        new_code = self.module.deep_replace(old, new).code
        tail = len(self.text) - end
        if (
            new_code[:start] != self.text[:start]
            or new_code[len(new_code) - tail :] != self.text[end:]
        ):
            raise ValueError("the change reaches outside the replaced node")
        return new_code[start : len(new_code) - tail]

    def _code_for(self, node: cst.CSTNode, indent: str) -> str:
        """``Module.code_for_node`` inside a block indented by ``indent``."""
        from libcst._nodes.internal import CodegenState

        state = CodegenState(
            default_indent=self.module.default_indent,
            default_newline=self.module.default_newline,
            indent_tokens=[indent] if indent else [],
        )
        node._codegen(state)
        return "".join(state.tokens)

    def text_edits(self, start: int, old: str, new: str) -> tuple[Edit, ...]:
        """Edits turning the text ``old`` found at ``start`` into ``new``, token by token."""
        return _token_edits(self.source, start, old, new)

    def replace_call(
        self, old: cst.Call, new: cst.Call, line_length: int = LINE_LENGTH
    ) -> tuple[Edit, ...]:
        """``replace`` for a call whose arguments grew: a one-line call that would no longer fit
        in ``line_length`` characters is laid out one argument per line, as a formatter would."""
        edits = self.replace(old, new)
        start, end = self.span_of(old)
        if "\n" in self.text[start:end] or "\r" in self.text[start:end] or not new.args:
            return edits
        line, _ = self.source.position(start)
        line_start = self.source.line_starts[line - 1]
        head = self.text[line_start:start]
        tail_end = (
            self.source.line_starts[line] if line < self.source.line_count else len(self.text)
        )
        new_line = head + self._rendered(old, new) + self.text[end:tail_end].rstrip("\r\n")
        if len(new_line) <= line_length or not self._on_statement_line(start, end):
            return edits
        return self.replace(old, one_per_line(new))

    def _on_statement_line(self, start: int, end: int) -> bool:
        """Is the code at [start, end) the whole value of a simple statement on its line
        (``x = <call>``, ``return <call>``, ``<call>``), so one level deeper than the line's
        indentation is the right place for its arguments?"""
        line, _ = self.source.position(start)
        end_line, _ = self.source.position(end)
        if line != end_line:
            return False
        line_start = self.source.line_starts[line - 1]
        head = self.text[line_start:start]
        tail = self.source.line_text(line)[end - line_start :]
        return bool(_STATEMENT_HEAD.fullmatch(head)) and bool(_STATEMENT_TAIL.fullmatch(tail))

    def expression(self, code: str) -> cst.BaseExpression:
        return cst.parse_expression(code)

    def statement_lines(self, stmt: ast.stmt) -> tuple[int, int, str] | None:
        """(start, end, indentation) of the whole lines a statement occupies, when nothing else
        shares them (``a; b``) and it starts its line; None otherwise."""
        return self.imports.statement_lines(stmt)

    def delete_statement(self, stmt: ast.stmt) -> Edit | None:
        """Remove a statement's lines; a statement alone in its block becomes ``pass``."""
        where = self.statement_lines(stmt)
        if where is None:
            return None
        start, end, indent = where
        parent = self.model.parent(stmt)
        block = next(
            getattr(parent, f)
            for f in ("body", "orelse", "finalbody", "handlers")
            if isinstance(getattr(parent, f, None), list) and stmt in getattr(parent, f)
        )
        content = ""
        if len(block) == 1 and not isinstance(parent, ast.Module):
            ending = self.newline if self.text[end - 1 : end] in ("\n", "\r") else ""
            content = f"{indent}pass{ending}"
        return self.source.edit(start, end, content)

    # --- imports (decided in facts.imports, where rules that declare fixes ask the same) ----

    @cached_property
    def imports(self) -> ModuleImports:
        return ModuleImports.of(self.model)

    def bindings(self, name: str) -> list[tuple[str, ast.AST]]:
        """Every node that binds ``name`` anywhere in the module, with its kind: ``import``
        (an ``import`` alias), ``from`` (a ``from … import`` alias) or ``other``."""
        return self.imports.bindings(name)

    def import_module(self, module: str) -> tuple[str, list[Edit]] | None:
        """The local name under which ``module`` (e.g. ``os``) is usable everywhere in the file,
        and the edit that imports it when it is not imported at module level yet. None when the
        name is taken by something else (then no fix is offered)."""
        return self.imports.import_module(module)

    def import_name(self, module: str, name: str) -> tuple[str, list[Edit]] | None:
        """Like ``import_module`` for ``from module import name``."""
        return self.imports.import_name(module, name)


def environ_lookup(os_name: str, variable: str) -> str:
    return f'{os_name}.environ["{variable}"]'


def with_arg(args: Iterable[cst.Arg], index: int, new: cst.Arg) -> list[cst.Arg]:
    """``args`` with ``new`` inserted at ``index``, commas and line breaks copied from the
    neighbours so a one-line call stays on one line and a one-per-line call stays so."""
    args = list(args)
    if not args:
        return [new.with_changes(comma=cst.MaybeSentinel.DEFAULT)]
    default_sep = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if index < len(args):
        # The separator that already sits between two arguments, if there is one.
        if index > 0:
            sep = args[index - 1].comma
        else:
            sep = args[0].comma if len(args) >= 2 else default_sep
        sep = _plain(sep) if isinstance(sep, cst.Comma) else default_sep
        return [*args[:index], new.with_changes(comma=sep), *args[index:]]
    last = args[-1]
    if len(args) >= 2 and isinstance(args[-2].comma, cst.Comma):
        sep = _plain(args[-2].comma)
    else:
        sep = default_sep
    new = new.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg)
    last = last.with_changes(comma=sep, whitespace_after_arg=cst.SimpleWhitespace(""))
    return [*args[:-1], last, new]


def _plain(comma: cst.Comma) -> cst.Comma:
    """A copy of a separator without the comments it may carry (they must not be duplicated)."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace):
        after = after.with_changes(
            first_line=cst.TrailingWhitespace(newline=after.first_line.newline), empty_lines=[]
        )
    return comma.with_changes(whitespace_after=after)


def one_per_line(call: cst.Call) -> cst.Call:
    """The call with each argument on its own line, indented one level, and a trailing comma."""

    def line_break(indent: str) -> cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(
            first_line=cst.TrailingWhitespace(),
            empty_lines=[],
            indent=True,
            last_line=cst.SimpleWhitespace(indent),
        )

    count = len(call.args)
    args = [
        arg.with_changes(
            comma=cst.Comma(
                whitespace_before=cst.SimpleWhitespace(""),
                whitespace_after=line_break("    " if i < count - 1 else ""),
            ),
            whitespace_after_arg=cst.SimpleWhitespace(""),
        )
        for i, arg in enumerate(call.args)
    ]
    return call.with_changes(args=args, whitespace_before_args=line_break("    "))


def comment_after(arg: cst.Arg) -> cst.TrailingWhitespace | None:
    """The end-of-line comment right after an argument's comma (``a,  # note``), if any."""
    comma = arg.comma
    if isinstance(comma, cst.Comma) and isinstance(
        comma.whitespace_after, cst.ParenthesizedWhitespace
    ):
        first = comma.whitespace_after.first_line
        if first.comment is not None:
            return first
    return None


def set_comment_after(arg: cst.Arg, line: cst.TrailingWhitespace | None) -> cst.Arg | None:
    """``arg`` with its end-of-line comment replaced (None removes it); None when the argument
    is not followed by a line break, so a comment cannot go there."""
    comma = arg.comma
    if not (
        isinstance(comma, cst.Comma)
        and isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        return None
    first = (
        line
        if line is not None
        else cst.TrailingWhitespace(newline=comma.whitespace_after.first_line.newline)
    )
    return arg.with_changes(
        comma=comma.with_changes(
            whitespace_after=comma.whitespace_after.with_changes(first_line=first)
        )
    )


def without_arg(args: Iterable[cst.Arg], index: int) -> list[cst.Arg]:
    """``args`` without the one at ``index``. When the last argument goes, the one before it
    takes over its closing layout (trailing comma or not, the line break before ``)``), keeps
    its own end-of-line comment, and the comment that trailed the removed argument goes with
    it. Own-line comments around the removed argument are kept."""
    args = list(args)
    removed = args.pop(index)
    if index != len(args) or not args:
        return args
    prev = args[-1]
    prev_ws = prev.comma.whitespace_after if isinstance(prev.comma, cst.Comma) else None
    if isinstance(removed.comma, cst.Comma):
        closing = removed.comma.whitespace_after
    else:
        closing = removed.whitespace_after_arg
    if isinstance(prev_ws, cst.ParenthesizedWhitespace) and isinstance(
        closing, cst.ParenthesizedWhitespace
    ):
        merged = prev_ws.with_changes(
            empty_lines=[*prev_ws.empty_lines, *closing.empty_lines],
            indent=closing.indent,
            last_line=closing.last_line,
        )
        if isinstance(removed.comma, cst.Comma):
            new_prev = prev.with_changes(
                comma=prev.comma.with_changes(whitespace_after=merged),
                whitespace_after_arg=removed.whitespace_after_arg,
            )
        else:
            new_prev = prev.with_changes(
                comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=merged
            )
    else:
        new_prev = prev.with_changes(
            comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg
        )
    args[-1] = new_prev
    return args
