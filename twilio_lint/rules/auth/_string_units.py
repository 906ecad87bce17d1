"""The string expressions of a module taken as wholes ("units"), and their static text: a literal,
an f-string, or a ``+`` chain holding literals, each the outermost such expression (a part of
a concatenation or of an f-string is never a unit of its own)."""

from __future__ import annotations

import ast

from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import POSITION_ATTRS


def string_units(module: SemanticModel) -> list[ast.expr]:
    """Outermost string expressions in source order. A lone literal without ``AC``/``SK`` in
    it is left out when it is shorter than 32 characters or a bare string statement (a
    docstring): alone it can be neither a SID nor a secret (TWL102 reads no secret from a
    docstring)."""
    inside: set[ast.AST] = set()  # parts of a concatenation already taken as one unit
    units: list[ast.expr] = []
    for node in module.nodes(ast.BinOp):
        if node in inside or not isinstance(node.op, ast.Add):
            continue
        parts = _add_chain(node)
        inside.update(parts)  # inner chains are parts of this one, text or not
        if any(_is_literal_text(part) for part in parts):
            units.append(node)
    for node in module.unordered(ast.Constant):
        text = node.value
        if type(text) is not str:
            continue
        may_hold_sid = "AC" in text or "SK" in text
        if (len(text) < 32 and not may_hold_sid) or node in inside:
            continue
        parent = module.parent(node)
        if isinstance(parent, (ast.JoinedStr, ast.FormattedValue)):
            continue  # part of a concatenation or an f-string: that is the unit
        if isinstance(parent, ast.Expr) and not may_hold_sid:
            continue  # most literals of a module: its docstrings
        units.append(node)
    for node in module.unordered(ast.JoinedStr):
        if node not in inside and not isinstance(module.parent(node), ast.FormattedValue):
            units.append(node)
    units.sort(key=POSITION_ATTRS)
    return units


def unit_text(unit: ast.expr) -> str:
    """The literal text of a unit; ``\\0`` stands for each part not known statically."""
    if isinstance(unit, ast.Constant):
        return unit.value  # most units (docstrings): no assembly needed
    parts: list[str] = []
    stack: list[ast.AST] = [unit]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            parts.append(node.value)
        elif isinstance(node, ast.JoinedStr):
            stack.extend(reversed(node.values))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            stack.extend((node.right, node.left))
        else:
            parts.append("\0")
    return "".join(parts)


def _is_literal_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


def _add_chain(node: ast.BinOp) -> list[ast.AST]:
    """Every node of a ``+`` tree (iterative: generated code chains thousands of terms)."""
    found: list[ast.AST] = []
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        found.append(current)
        if isinstance(current, ast.BinOp) and isinstance(current.op, ast.Add):
            stack.extend((current.left, current.right))
    return found
