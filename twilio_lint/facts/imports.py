"""Where a fix may import what it adds (``import os``, ``from twilio.http.http_client import
TwilioHttpClient``): the local name to use and the edit adding the import, or None when the
name is taken. Fixes build their edits with it; a rule that declares a fix asks it the same
question when it reports, so the declaration and the fix agree. No libcst here."""

from __future__ import annotations

import ast
from functools import cached_property

from twilio_lint.findings import Edit
from twilio_lint.knowledge.sdk import canonical
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import STDLIB_MODULES
from twilio_lint.semantic.source import SourceText

#: The line length the fixes lay code out for (Black's and Ruff's default).
LINE_LENGTH = 88

Binding = tuple[str, ast.AST]  # ("import" | "from" | "other", the binding node)


def name_bindings(model: SemanticModel, name: str) -> list[Binding]:
    """Every node that binds ``name`` anywhere in the module, with its kind: ``import`` (an
    ``import`` alias), ``from`` (a ``from … import`` alias) or ``other``; from the model's
    nodes by type (no walk of the tree)."""
    found: list[Binding] = [
        ("other", node)
        for node in model.unordered(ast.Name)
        if node.id == name and not isinstance(node.ctx, ast.Load)
    ]
    found.extend(("other", node) for node in model.unordered(ast.arg) if node.arg == name)
    for kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
        found.extend(("other", node) for node in model.unordered(kind) if node.name == name)
    for node in model.unordered(ast.Import):
        found.extend(
            ("import", alias)
            for alias in node.names
            if (alias.asname or alias.name.split(".")[0]) == name
        )
    for node in model.unordered(ast.ImportFrom):
        found.extend(
            ("from", alias) for alias in node.names if (alias.asname or alias.name) == name
        )
    for kind in (ast.ExceptHandler, ast.MatchAs, ast.MatchStar):
        found.extend(("other", node) for node in model.unordered(kind) if node.name == name)
    for kind in (ast.Global, ast.Nonlocal):
        found.extend(("other", node) for node in model.unordered(kind) if name in node.names)
    return found


class ModuleImports(Facts):
    """The imports a fix can add to one module (``ModuleImports.of(module)``), and the whole
    lines a statement it removes or follows occupies."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self.tree = module.tree
        self.text = module.source
        self._bindings: dict[str, list[Binding]] = {}
        self._asked: dict[tuple[str, str | None], tuple[str, list[Edit]] | None] = {}

    @cached_property
    def source(self) -> SourceText:
        """The line table, built when an edit is made (most files never need one)."""
        return SourceText(self.text)

    @property
    def newline(self) -> str:
        return self.source.newline

    def bindings(self, name: str) -> list[Binding]:
        """``name_bindings``, once per name."""
        found = self._bindings.get(name)
        if found is None:
            found = self._bindings[name] = name_bindings(self.module, name)
        return found

    def only_imports_of(self, name: str, module: str) -> bool:
        """Is every binding of ``name`` an ``import`` of ``module`` itself?"""
        for kind, node in self.bindings(name):
            if kind != "import":
                return False
            if node.asname:  # type: ignore[attr-defined]
                if node.name != module:  # type: ignore[attr-defined]
                    return False
            elif node.name.split(".")[0] != module:  # type: ignore[attr-defined]
                return False
        return True

    def usable_import(self, module: str) -> tuple[str, bool] | None:
        """(the local name under which ``module`` is usable everywhere in the file, is it
        imported at module level already); None when its name is taken by something else."""
        for node in self.tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname and alias.name == module:
                        if self.only_imports_of(alias.asname, module):
                            return alias.asname, True
                    elif not alias.asname and alias.name.split(".")[0] == module:
                        if self.only_imports_of(module, module):
                            return module, True
        if not self.only_imports_of(module, module):
            return None
        return module, False

    def statement_lines(self, stmt: ast.stmt) -> tuple[int, int, str] | None:
        """(start, end, indentation) of the whole lines a statement occupies, when nothing else
        shares them (``a; b``) and it starts its line; None otherwise."""
        parent = self.module.parent(stmt)
        for field in ("body", "orelse", "finalbody", "handlers"):
            block = getattr(parent, field, None)
            if isinstance(block, list) and stmt in block:
                break
        else:
            return None
        for other in block:
            if (
                other is not stmt
                and other.lineno <= stmt.end_lineno
                and stmt.lineno <= other.end_lineno
            ):
                return None
        first = self.source.line_text(stmt.lineno)
        indent = first[: len(first) - len(first.lstrip())]
        if self.source.char_col(stmt.lineno, stmt.col_offset) != len(indent):
            return None
        start = self.source.offset(stmt.lineno, 0)
        end = (
            self.source.offset(stmt.end_lineno + 1, 0)
            if stmt.end_lineno < self.source.line_count
            else len(self.text)
        )
        return start, end, indent

    def import_module(self, module: str) -> tuple[str, list[Edit]] | None:
        """See ``_import_module``; asked once per module and name (rules ask per finding)."""
        key = (module, None)
        if key not in self._asked:
            self._asked[key] = self._import_module(module)
        return self._asked[key]

    def import_name(self, module: str, name: str) -> tuple[str, list[Edit]] | None:
        """See ``_import_name``; asked once per module and name."""
        key = (module, name)
        if key not in self._asked:
            self._asked[key] = self._import_name(module, name)
        return self._asked[key]

    def _import_module(self, module: str) -> tuple[str, list[Edit]] | None:
        """The local name under which ``module`` (e.g. ``os``) is usable everywhere in the file,
        and the edit that imports it when it is not imported at module level yet. None when the
        name is taken by something else (then no fix is offered)."""
        found = self.usable_import(module)
        if found is None:
            return None
        local, imported = found
        if imported:
            return local, []
        edit = self._insert_import(f"import {module}", module, None)
        return (module, [edit]) if edit is not None else None

    def _import_name(self, module: str, name: str) -> tuple[str, list[Edit]] | None:
        """Like ``_import_module`` for ``from module import name``."""
        target = canonical(f"{module}.{name}")
        for local, qualname in self.module.imports.items():
            node = self.module.import_nodes.get(local)
            if canonical(qualname) == target and node in self.tree.body:
                if all(kind == "from" for kind, _ in self.bindings(local)):
                    return local, []
        if self.bindings(name):
            return None
        edit = self._merge_import(module, name) or self._insert_import(
            f"from {module} import {name}", module, name
        )
        return (name, [edit]) if edit is not None else None

    def _merge_import(self, module: str, name: str) -> Edit | None:
        """An edit adding ``name`` to the file's top-level ``from module import …`` (a second
        import line of one module is what isort and Ruff's I001 would merge), in sorted place
        when the names are sorted; None when there is no such import to extend."""
        for node in self.tree.body:
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == module
                and not node.level
                and node.names[0].name != "*"
                and not self._shares_line(node.lineno, node)
                and not self._shares_line(node.end_lineno, node)
            ):
                return self._add_alias(node, name)
        return None

    def _add_alias(self, node: ast.ImportFrom, name: str) -> Edit | None:
        keys = [import_sort_key(alias.name) for alias in node.names]
        after = [i for i, key in enumerate(keys) if key > import_sort_key(name)]
        before = after[0] if after and keys == sorted(keys) else None
        anchor = node.names[before if before is not None else -1]
        start, end = self.source.ast_span(anchor)
        own_line = node.lineno != node.end_lineno
        if own_line:  # one name per line: the new one gets its own line, same indentation
            indent = " " * self.source.char_col(anchor.lineno, anchor.col_offset)
            if before is not None:
                return self.source.edit(start, start, f"{name},{self.newline}{indent}")
            return self.source.edit(end, end, f",{self.newline}{indent}{name}")
        line = self.source.line_text(node.lineno)
        if len(line) + len(name) + 2 > LINE_LENGTH:
            return None
        if before is not None:
            return self.source.edit(start, start, f"{name}, ")
        return self.source.edit(end, end, f", {name}")

    def _insert_import(self, statement: str, module: str, name: str | None) -> Edit | None:
        """An edit adding ``statement`` on its own line in the file's top import block."""
        body = self.tree.body
        index = 0
        if (
            body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            index = 1
        while (
            index < len(body)
            and isinstance(body[index], ast.ImportFrom)
            and body[index].module == "__future__"
        ):
            index += 1
        block: list[ast.stmt] = []
        for node in body[index:]:
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                break
            block.append(node)
        newline = self.newline
        line = statement + newline
        top = module.split(".")[0]
        if name is None and top in STDLIB_MODULES:
            plain = [
                node
                for node in block
                if isinstance(node, ast.Import)
                and node.names[0].name.split(".")[0] in STDLIB_MODULES
            ]
            for node in plain:
                if node.names[0].name > module:
                    return self._before(node, line)
            if plain:
                return self._after(plain[-1], line)
            stdlib_any = [node for node in block if _import_top(node) in STDLIB_MODULES]
            if stdlib_any:
                return self._after(stdlib_any[-1], line)
            if block:
                return self._before(block[0], line + newline)
        else:
            same = [node for node in block if _import_top(node) == top]
            # isort and Ruff put a package's ``import x`` lines before its ``from x import``
            kind = ast.Import if name is None else ast.ImportFrom
            same_kind = [node for node in same if isinstance(node, kind)]
            for node in same_kind:  # keep a sorted run of imports sorted
                if _import_module(node) > module:
                    return self._before(node, line)
            if same_kind or same:
                return self._after((same_kind or same)[-1], line)
            if block:
                return self._after(block[-1], line)
        # No import block: after the docstring and __future__ imports, or at the top.
        if index < len(body):
            return self._before(body[index], line + (newline if index else ""))
        if body:
            return self._after(body[-1], line)
        return self.source.edit(0, 0, line)

    def _before(self, node: ast.stmt, content: str) -> Edit | None:
        if node.col_offset != 0 or self._shares_line(node.lineno, node):
            return None
        start = self.source.offset(node.lineno, 0)
        return self.source.edit(start, start, content)

    def _after(self, node: ast.stmt, content: str) -> Edit | None:
        if self._shares_line(node.end_lineno, node):
            return None
        if node.end_lineno >= self.source.line_count:
            end = len(self.text)
            if not self.text.endswith(("\n", "\r")):
                return self.source.edit(end, end, self.newline + content.rstrip("\r\n"))
            return self.source.edit(end, end, content)
        start = self.source.offset(node.end_lineno + 1, 0)
        return self.source.edit(start, start, content)

    def _shares_line(self, line: int, node: ast.stmt) -> bool:
        """Does another top-level statement start or end on ``line`` (``a; b``)?"""
        for other in self.tree.body:
            if other is node:
                continue
            if other.lineno <= line <= other.end_lineno:
                return True
        return False


def import_sort_key(name: str) -> tuple[int, str]:
    """The order isort and Ruff (``order-by-type``) give the names of one ``from`` import:
    CONSTANTS, then Classes, then functions and variables, each case-insensitively."""
    if name.isupper() and len(name) > 1:
        kind = 0
    elif name[:1].isupper():
        kind = 1
    else:
        kind = 2
    return kind, name.lower()


def _import_top(node: ast.stmt) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name.split(".")[0]
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").split(".")[0] if not node.level else ""
    return ""


def _import_module(node: ast.stmt) -> str:
    if isinstance(node, ast.Import):
        return node.names[0].name
    if isinstance(node, ast.ImportFrom):
        return "." * node.level + (node.module or "")
    return ""
