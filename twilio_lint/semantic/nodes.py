"""Node kinds, names and walks over a Python ``ast`` tree: Python only, nothing about Twilio."""

from __future__ import annotations

import ast
import operator
import sys
from collections.abc import Iterable, Iterator

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
#: Top-level names of the standard library's modules (never a project's or Twilio's).
STDLIB_MODULES = frozenset(sys.stdlib_module_names)
LOOP_TYPES = (ast.For, ast.AsyncFor, ast.While)
COMPREHENSION_TYPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)
#: Definitions whose bodies run later, not where they stand.
DEF_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
TRY_TYPES: tuple[type, ...] = (ast.Try,) + ((ast.TryStar,) if hasattr(ast, "TryStar") else ())


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def last_name(node: ast.AST) -> str | None:
    """``f`` for ``f`` and ``obj.f``: the name a call's function ends with."""
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def chain_shape(node: ast.AST) -> str:
    """``client.chat.v2.services(…).channels`` for a chain of attributes and calls: never the
    arguments, which may be credentials; an unnamed root is shown as ``client``."""
    if isinstance(node, ast.Attribute):
        return f"{chain_shape(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return f"{chain_shape(node.func)}(…)"
    if isinstance(node, ast.Name):
        return node.id
    return "client"


def is_none(expr: ast.AST | None) -> bool:
    """A literal ``None`` (``limit=None``, ``status_callback=None``: the SDK treats it as unset)."""
    return isinstance(expr, ast.Constant) and expr.value is None


#: Fields the index walk never visits: operator and context singletons (shared objects, no
#: parent of their own), and fields that only ever hold identifiers, numbers or flags. Names
#: and constants are most of a tree's nodes, and skipping their scalar fields saves a quarter
#: of the walk.
_SKIPPED_FIELDS = frozenset({
    "ctx", "op", "ops", "type_ignores",
    "id", "attr", "name", "asname", "arg", "module", "level", "kind", "type_comment",
    "is_async", "conversion", "simple",
})


#: Exceptions to the names above, and scalar fields that share a name with node fields.
_NODE_FIELDS_NAMED_LIKE_SCALARS = {"TypeAlias": {"name"}}


_SCALAR_FIELDS_BY_KIND = {
    "Constant": {"value"}, "MatchSingleton": {"value"}, "Global": {"names"}, "Nonlocal": {"names"},
}


def _child_fields(kind: type) -> tuple[str, ...]:
    keep = _NODE_FIELDS_NAMED_LIKE_SCALARS.get(kind.__name__, set())
    scalars = _SCALAR_FIELDS_BY_KIND.get(kind.__name__, set())
    return tuple(
        name
        for name in kind._fields
        if (name in keep or name not in _SKIPPED_FIELDS) and name not in scalars
    )


def _node_classes(base: type = ast.AST) -> Iterator[type]:
    for kind in base.__subclasses__():
        yield kind
        yield from _node_classes(kind)


#: Per node class, the fields that can hold child nodes worth indexing (computed once, for
#: every class this Python's ``ast`` has).
CHILD_FIELDS: dict[type, tuple[str, ...]] = {kind: _child_fields(kind) for kind in _node_classes()}

POSITION_ATTRS = operator.attrgetter("lineno", "col_offset")


def position(node: ast.AST) -> tuple[int, int]:
    """(line, byte column), (0, 0) for nodes without a position."""
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def attr_key(node: ast.Attribute) -> str:
    """``self.client`` for an attribute chain on a name, else the attribute alone."""
    return dotted_name(node) or node.attr


def binding(node: ast.AST) -> tuple[ast.AST | None, list[ast.AST]]:
    """(value, targets) of an assignment, annotated assignment, walrus or ``with … as``."""
    if isinstance(node, ast.Assign):
        return node.value, list(node.targets)
    if isinstance(node, ast.AnnAssign):
        return node.value, [node.target]
    if isinstance(node, ast.NamedExpr):
        return node.value, [node.target]
    if isinstance(node, ast.withitem) and node.optional_vars is not None:
        return node.context_expr, [node.optional_vars]
    return None, []


def own_returns(func: ast.AST) -> Iterator[ast.Return]:
    """``return`` statements of ``func`` itself, not of functions nested in it."""
    for node in walk_local(getattr(func, "body", ())):
        if isinstance(node, ast.Return):
            yield node


def calls_any_of(node: ast.AST, names: set[str]) -> bool:
    """Does ``node`` call ``name(...)`` or ``self.name(...)`` for one of ``names``?"""
    return any(
        isinstance(child, ast.Call) and refers_to_any_of(child.func, names)
        for child in ast.walk(node)
    )


def refers_to_any_of(expr: ast.AST, names: set[str]) -> bool:
    """Is ``expr`` ``name`` or ``self.name`` / ``cls.name`` for one of ``names``?"""
    if isinstance(expr, ast.Name):
        return expr.id in names
    return (
        isinstance(expr, ast.Attribute)
        and isinstance(expr.value, ast.Name)
        and expr.value.id in ("self", "cls")
        and expr.attr in names
    )


def child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Like ``ast.iter_child_nodes`` without the fields the index walk skips (faster). The
    index walk inlines the same loop: it runs once per node of every file."""
    for name in CHILD_FIELDS[type(node)]:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif isinstance(value, ast.AST):
            yield value


def is_one_of(node: ast.AST, nodes: Iterable[ast.AST]) -> bool:
    """Is ``node`` (by identity) one of ``nodes``?"""
    return any(node is item for item in nodes)


def walk_local(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes``, not entering nested functions, lambdas or classes."""
    stack = [node for node in nodes if not isinstance(node, DEF_TYPES)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(
            child for child in ast.iter_child_nodes(node) if not isinstance(child, DEF_TYPES)
        )


def own_nodes(root: ast.AST, *types: type) -> Iterator[ast.AST]:
    """Nodes under ``root`` (not ``root`` itself) of ``types`` (any when none given), not
    entering nested functions, lambdas or classes."""
    for node in walk_local(ast.iter_child_nodes(root)):
        if not types or isinstance(node, types):
            yield node


#: The fields that hold statements: every statement of a module is reached through them.
STATEMENT_FIELDS = ("body", "orelse", "finalbody", "handlers", "cases")
#: Per node class, its statement-holding fields (most statements have none).
_STATEMENT_FIELDS_OF: dict[type, tuple[str, ...]] = {
    kind: tuple(name for name in STATEMENT_FIELDS if name in kind._fields)
    for kind in CHILD_FIELDS
}


def statements(body: Iterable[ast.AST]) -> list[ast.AST]:
    """Every statement under ``body``, nested ones included (in functions, classes, ``if``,
    ``try`` …), without visiting a single expression: a tenth of a full walk."""
    found: list[ast.AST] = []
    stack = list(body)
    fields_of = _STATEMENT_FIELDS_OF
    while stack:
        node = stack.pop()
        found.append(node)
        for name in fields_of[node.__class__]:
            value = getattr(node, name)
            if value.__class__ is list:  # ``Lambda.body``/``IfExp.body`` are expressions
                stack.extend(value)
    return found


def mentions(tree: ast.AST, node: ast.AST) -> bool:
    """Is ``node`` (by identity) inside ``tree``?"""
    return any(child is node for child in ast.walk(tree))
