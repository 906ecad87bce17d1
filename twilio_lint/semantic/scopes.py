"""Which names a scope binds itself: Python's scoping rules, memoised per scope."""

from __future__ import annotations

import ast
import weakref

from twilio_lint.semantic.nodes import DEF_TYPES, child_nodes

#: The names each scope binds: every reference to a global in a large function asks, and a
#: walk of the whole function per question was quadratic (a 3,000-branch elif).
_BINDS_CACHE: weakref.WeakKeyDictionary[ast.AST, frozenset[str]] = weakref.WeakKeyDictionary()


def binds_locally(scope: ast.AST, name: str) -> bool:
    """Does ``scope`` (a function, lambda or class) bind ``name`` itself? A module never
    shadows its own globals."""
    if isinstance(scope, ast.Module):
        return False
    bound = _BINDS_CACHE.get(scope)
    if bound is None:
        bound = _BINDS_CACHE[scope] = _local_bindings(scope)
    return name in bound


def _local_bindings(scope: ast.AST) -> frozenset[str]:
    """Names assigned or taken as parameters in ``scope`` itself (not in nested functions or
    classes), less those it declares ``global``."""
    stores: set[str] = set()
    declared_global: set[str] = set()
    stack: list[ast.AST] = list(child_nodes(scope))
    while stack:
        node = stack.pop()
        kind = type(node)
        if kind is ast.Name:
            if isinstance(node.ctx, ast.Store):
                stores.add(node.id)
            continue  # a Name has no child nodes
        if kind is ast.arg:
            stores.add(node.arg)
        elif kind is ast.Global:
            declared_global.update(node.names)
        if isinstance(node, DEF_TYPES):
            continue
        stack.extend(child_nodes(node))
    return frozenset(stores - declared_global)
