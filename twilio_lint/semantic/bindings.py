"""Every name a module binds, anywhere in it, and whether a module can be imported under its
own name: what a fix that adds ``import os`` needs, and what its rule checks to declare it."""

from __future__ import annotations

import ast
from functools import cached_property

from twilio_lint.semantic.model import Facts

Bindings = dict[str, list[tuple[str, ast.AST]]]


def module_bindings(tree: ast.Module) -> Bindings:
    """Every node that binds each name anywhere in the module, with its kind: ``import`` (an
    ``import`` alias), ``from`` (a ``from … import`` alias) or ``other``; one walk."""
    found: Bindings = {}

    def add(name: str, kind: str, node: ast.AST) -> None:
        found.setdefault(name, []).append((kind, node))

    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            add(node.id, "other", node)
        elif isinstance(node, ast.arg):
            add(node.arg, "other", node)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            add(node.name, "other", node)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.asname or alias.name.split(".")[0], "import", alias)
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                add(alias.asname or alias.name, "from", alias)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            add(node.name, "other", node)
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            for name in node.names:
                add(name, "other", node)
    return found


def only_imports_of(bindings: Bindings, name: str, module: str) -> bool:
    """Is every binding of ``name`` an ``import`` of ``module`` itself?"""
    for kind, node in bindings.get(name, []):
        if kind != "import":
            return False
        if node.asname:  # type: ignore[attr-defined]
            if node.name != module:  # type: ignore[attr-defined]
                return False
        elif node.name.split(".")[0] != module:  # type: ignore[attr-defined]
            return False
    return True


def module_import(tree: ast.Module, bindings: Bindings, module: str) -> tuple[str, bool] | None:
    """(the local name under which ``module`` is usable everywhere in the file, is it imported
    at module level already); None when its name is taken by something else."""
    for node in tree.body:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname and alias.name == module:
                    if only_imports_of(bindings, alias.asname, module):
                        return alias.asname, True
                elif not alias.asname and alias.name.split(".")[0] == module:
                    if only_imports_of(bindings, module, module):
                        return module, True
    if not only_imports_of(bindings, module, module):
        return None
    return module, False


class ModuleBindings(Facts):
    """``module_bindings`` of a module, computed once (rules that declare fixes ask per
    finding)."""

    @cached_property
    def bindings(self) -> Bindings:
        return module_bindings(self.module.tree)

    def can_import(self, module: str) -> bool:
        return module_import(self.module.tree, self.bindings, module) is not None
