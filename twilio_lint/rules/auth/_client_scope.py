"""Which parts of the API a client built by one ``Client(...)`` call reaches: the attributes
read on it (``client.messages``, ``client.video``) where the module shows them, through the
name or attribute it is bound to and the local factory that returns it."""

from __future__ import annotations

import ast

from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import dotted_name, last_name

#: How many factory hops (``get_client()`` → ``make()`` → ``Client(...)``) are followed.
MAX_FACTORY_DEPTH = 2


def attributes_read(module: SemanticModel, call: ast.Call) -> set[str] | None:
    """The attributes read on the client ``call`` builds, or None when the module does not
    show them all: the client is passed on, stored in a container, returned out of sight or
    never used here."""
    return _attributes_read(module, call, MAX_FACTORY_DEPTH)


def _attributes_read(module: SemanticModel, expr: ast.expr, depth: int) -> set[str] | None:
    parent = module.parent(expr)
    if isinstance(parent, ast.Attribute) and parent.value is expr:
        return {parent.attr}
    if isinstance(parent, ast.Await):
        return _attributes_read(module, parent, depth)
    if isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is expr:
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        keys = [dotted_name(t) for t in targets]
        if not keys or None in keys:
            return None  # unpacked, subscripted: out of sight
        return _reads_through(module, {k for k in keys if k is not None}, parent)
    if isinstance(parent, ast.Return) and depth > 0:
        func = module.enclosing_function(parent)
        return None if func is None else _factory_reads(module, func.name, depth - 1)
    return None


def _reads_through(module: SemanticModel, keys: set[str], binding: ast.AST) -> set[str] | None:
    """Attributes read on ``client`` / ``self.client``; None if the holder escapes. A local
    name is looked up in its own function only."""
    found: set[str] = set()
    local_to = module.enclosing_function(binding)
    for node in module.nodes(ast.Name, ast.Attribute):
        if not isinstance(node.ctx, ast.Load) or dotted_name(node) not in keys:
            continue
        if local_to is not None and isinstance(node, ast.Name):
            if module.enclosing_function(node) is not local_to:
                continue
        parent = module.parent(node)
        if not (isinstance(parent, ast.Attribute) and parent.value is node):
            return None  # passed, returned, stored: used where we cannot see
        found.add(parent.attr)
    return found or None


def _factory_reads(module: SemanticModel, name: str, depth: int) -> set[str] | None:
    found: set[str] = set()
    for call in module.calls:
        func = call.func
        called = last_name(func)
        if called != name:
            continue
        reads = _attributes_read(module, call, depth)
        if reads is None:
            return None
        found |= reads
    return found or None
