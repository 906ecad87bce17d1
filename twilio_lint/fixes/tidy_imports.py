"""Imports after the fixes, as a reviewer expects them (what Ruff's F401 and I001 check):

- ``drop_unused_imports``: after ``except TwilioRestException`` became ``except
  TwilioException`` (or a removed name was renamed), the old name's import would be left
  behind. Only names of ``from twilio… import`` statements at module level that the file used
  before its fixes and no longer uses at all are removed; a name still mentioned anywhere
  (code, a string annotation, ``__all__``) stays.
- ``keep_imports_sorted``: a fix that moves an import to another module path
  (``twilio.util`` → ``twilio.request_validator``) puts that line back in sorted place among
  the package's other one-line ``from`` imports, when they were sorted before the fixes (a
  file whose imports were not sorted is not reordered).
"""

from __future__ import annotations

import ast
import re
import warnings

from twilio_lint.fixes.context import SourceText

_WORD = re.compile(r"[A-Za-z_]\w*")


class ImportsBefore:
    """What the file's imports were before its fixes: parsed once per file, not once per fix
    round. Keeps no tree of the original, only what the tidying compares with; and the tree of
    the last text it parsed, which the next step asks for again."""

    def __init__(self, original: str) -> None:
        tree = _parse(original)
        self.parsed = tree is not None
        self.mentioned = _mentioned(tree) if tree is not None else set()
        self.unsorted = (
            {_package(run[0]) for run in _import_runs(tree) if not _is_sorted(run)}
            if tree is not None
            else set()
        )
        self.lines = set(original.splitlines())
        self._last: tuple[str, ast.Module | None] | None = None

    def parse(self, text: str) -> ast.Module | None:
        if self._last is None or self._last[0] is not text:
            self._last = (text, _parse(text))
        return self._last[1]


def drop_unused_imports(before: ImportsBefore, fixed: str) -> str:
    """``fixed`` without the twilio imports the file used before its fixes and no longer does."""
    after = before.parse(fixed)
    if not before.parsed or after is None:
        return fixed
    used_before, used_after = before.mentioned, _mentioned(after)
    source = SourceText(fixed)
    edits: list[tuple[int, int, str]] = []
    for node in after.body:
        if not _is_twilio_from_import(node):
            continue
        gone = [
            alias
            for alias in node.names
            if _local(alias) in used_before and _local(alias) not in used_after
        ]
        if gone:
            edits.extend(_removal(source, after, node, gone))
    for start, end, content in sorted(edits, reverse=True):
        fixed = fixed[:start] + content + fixed[end:]
    return fixed


def _parse(text: str) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _local(alias: ast.alias) -> str:
    return alias.asname or alias.name


def _is_twilio_from_import(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.ImportFrom)
        and not node.level
        and (node.module or "").split(".")[0] == "twilio"
        and node.names[0].name != "*"
    )


def _mentioned(tree: ast.Module) -> set[str]:
    """Names read anywhere, and every word of every string (string annotations, ``__all__``):
    a name that may still be meant is kept."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(_WORD.findall(node.value))
    return names


def _removal(
    source: SourceText, tree: ast.Module, node: ast.ImportFrom, gone: list[ast.alias]
) -> list[tuple[int, int, str]]:
    """Offsets and new text removing ``gone`` from ``node``; nothing when the layout is one we
    cannot edit cleanly (statements sharing a line, several names on one line of a wrapped
    import)."""
    if any(other is not node and _shares(other, node) for other in tree.body):
        return []
    first = source.offset(node.lineno, 0)
    last = source.offset(node.end_lineno + 1, 0) if node.end_lineno < source.line_count else None
    if len(gone) == len(node.names):
        if node.col_offset != 0:
            return []
        return [(first, last if last is not None else len(source.text), "")]
    if node.lineno == node.end_lineno:
        kept = [alias for alias in node.names if alias not in gone]
        start = _alias_offset(source, node.names[0], start=True)
        end = _alias_offset(source, node.names[-1], start=False)
        text = ", ".join(
            source.text[_alias_offset(source, a, True) : _alias_offset(source, a, False)]
            for a in kept
        )
        return [(start, end, text)]
    edits = []
    for alias in gone:
        line = source.line_text(alias.lineno).strip()
        written = source.text[
            _alias_offset(source, alias, True) : _alias_offset(source, alias, False)
        ]
        if line not in (written, written + ","):
            return []
        start = source.offset(alias.lineno, 0)
        edits.append((start, source.offset(alias.lineno + 1, 0), ""))
    return edits


def _alias_offset(source: SourceText, alias: ast.alias, start: bool) -> int:
    line = alias.lineno if start else alias.end_lineno
    byte_col = alias.col_offset if start else alias.end_col_offset
    text = source.line_text(line)
    col = len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))
    return source.offset(line, col)


def _shares(other: ast.stmt, node: ast.stmt) -> bool:
    return other.lineno <= node.end_lineno and node.lineno <= other.end_lineno


def keep_imports_sorted(before: ImportsBefore, fixed: str) -> str:
    """``fixed`` with each run of consecutive one-line ``from <package>… import`` lines that
    the fixes changed sorted by module, when the package's runs were sorted before."""
    tree = before.parse(fixed)
    if tree is None or not before.parsed:
        return fixed
    unsorted, kept = before.unsorted, before.lines
    source = SourceText(fixed)
    for run in reversed(_import_runs(tree)):
        lines = [source.line_text(node.lineno) for node in run]
        if _package(run[0]) in unsorted or all(line in kept for line in lines):
            continue
        ordered = [line for _, line in sorted(zip(run, lines), key=lambda p: p[0].module.lower())]
        if ordered == lines:
            continue
        start = source.offset(run[0].lineno, 0)
        end = start + len(source.newline.join(lines))
        fixed = fixed[:start] + source.newline.join(ordered) + fixed[end:]
    return fixed


def _package(node: ast.ImportFrom) -> str:
    return (node.module or "").split(".")[0]


def _is_sorted(run: list[ast.ImportFrom]) -> bool:
    modules = [node.module.lower() for node in run]
    return modules == sorted(modules)


def _import_runs(tree: ast.Module) -> list[list[ast.ImportFrom]]:
    """Runs of module-level one-line ``from`` imports on consecutive lines, one package each."""
    runs: list[list[ast.ImportFrom]] = []
    for node in tree.body:
        if not (
            isinstance(node, ast.ImportFrom)
            and not node.level
            and node.module
            and node.lineno == node.end_lineno
            and node.col_offset == 0
        ):
            continue
        run = runs[-1] if runs else None
        if (
            run
            and run[-1].lineno + 1 == node.lineno
            and _package(run[-1]) == _package(node)
        ):
            run.append(node)
        else:
            runs.append([node])
    return [run for run in runs if len(run) > 1]
