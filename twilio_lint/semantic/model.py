"""The semantic model of one Python module: one ``ast`` parse, one walk, and the questions every
analysis asks of it: what encloses a node, what a name refers to through the imports, where a
variable is bound, what a literal says, where a node is in characters.

Fact providers built on it (``facts(Provider)``) are created once per module and cached here.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from typing import Any, TypeVar

from twilio_lint.findings import Applicability, Finding, Fix
from twilio_lint.semantic.nodes import (
    CHILD_FIELDS,
    COMPREHENSION_TYPES,
    DEF_TYPES,
    POSITION_ATTRS,
    SCOPE_TYPES,
    FunctionNode,
    dotted_name,
    is_one_of,
    position,
    statements,
)
from twilio_lint.semantic.scopes import binds_locally

F = TypeVar("F")
P = TypeVar("P", bound="Facts")

#: Nodes that bind names: what ``bindings`` indexes.
IMPORT_TYPES = (ast.Import, ast.ImportFrom)

BINDING_TYPES = (
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.NamedExpr,
    ast.withitem,
    ast.For,
    ast.AsyncFor,
    ast.comprehension,
)


class SemanticModel:
    """Everything generic an analysis needs to know about one parsed Python file."""

    def __init__(
        self,
        tree: ast.Module,
        source: str,
        path: str = "<string>",
        options: dict[str, Any] | None = None,
        project: Any = None,
        aliases: Mapping[str, str] | None = None,
        index_now: bool = False,
    ) -> None:
        self.tree = tree
        self.source = source
        self.path = path
        self.options: dict[str, Any] = options or {}
        #: A cross-module index the caller supplies (the project's other modules); opaque here.
        self.project = project
        #: Re-exported paths mapped to one name (``pkg.sub.Class`` → ``pkg.Class``).
        self.aliases: Mapping[str, str] = aliases or {}
        self._nodes_cache: dict[tuple[Any, ...], list[Any]] = {}
        self._qualnames: dict[ast.AST, str | None] = {}
        self._scopes: dict[ast.AST, ast.AST] = {}
        self._classes: dict[ast.AST, ast.ClassDef | None] = {}  # enclosing_class, memoised
        self._bindings: dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]] | None
        self._bindings = None
        self._attribute_bindings: dict[tuple[ast.AST | None, str], list[ast.AST]] = {}
        self._facts: dict[type, Any] = {}
        if index_now:  # a rule will read every node anyway: one walk serves the imports too
            self._index_tree()
        #: local name → fully qualified name, from every import in the file
        self.imports: dict[str, str] = {}
        self.import_nodes: dict[str, ast.stmt] = {}
        self._collect_imports()

    def facts(self, provider: type[F]) -> F:
        """The facts ``provider`` derives from this module, built on first use and kept with it:
        every provider's caches live in one place and go when the module goes."""
        found = self._facts.get(provider)
        if found is None:
            found = self._facts[provider] = provider(self)
        return found

    def release_facts(self) -> None:
        """Drop the fact providers. They point back at the module, a cycle only the garbage
        collector would free; without them the tree goes by reference counting the moment its
        last user lets go (a run holds one parsed file at a time, not thousands)."""
        self._facts.clear()

    @cached_property
    def lines(self) -> list[str]:
        """The source's lines, split when first asked (most files have no finding to place)."""
        return self.source.splitlines()

    # --- the walk ---------------------------------------------------------------------------

    # The index of every node is built on first use: a file whose rules all stop at its
    # imports (read from the statements alone) is never walked expression by expression.
    # Once built, both are plain attributes, so the hot paths pay nothing for the laziness.
    @cached_property
    def _parents(self) -> dict[ast.AST, ast.AST]:
        return self._index_tree()[0]

    @cached_property
    def _by_type(self) -> dict[type, list[ast.AST]]:
        return self._index_tree()[1]

    def _index_tree(self) -> tuple[dict[ast.AST, ast.AST], dict[type, list[ast.AST]]]:
        # The one walk of the file: parents and nodes by type. Iterative, so 3,000-branch
        # elif chains don't overflow the stack; reads ``_fields`` directly because
        # ``ast.iter_child_nodes`` costs twice as much on the hot path.
        stack: list[ast.AST] = [self.tree]
        parents: dict[ast.AST, ast.AST] = {}
        by_type: dict[type, list[ast.AST]] = defaultdict(list)
        node_type = ast.AST
        while stack:
            node = stack.pop()
            kind = type(node)
            by_type[kind].append(node)
            for name in CHILD_FIELDS[kind]:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, node_type):
                            parents[item] = node
                            stack.append(item)
                elif isinstance(value, node_type):
                    parents[value] = node
                    stack.append(value)
        self.__dict__.update(_parents=parents, _by_type=by_type)
        return parents, by_type

    @property
    def indexed(self) -> bool:
        """Has the whole tree been walked? (Statements alone answer ``imports``.)"""
        return "_by_type" in self.__dict__

    def nodes(self, *types: type) -> list[Any]:
        """All nodes of the given types, in source order. The list is shared: don't mutate it."""
        cached = self._nodes_cache.get(types)
        if cached is not None:
            return cached
        found = self._sorted(types, self._by_type)
        self._nodes_cache[types] = found
        return found

    def statement_nodes(self, *types: type) -> list[Any]:
        """Like ``nodes`` for statement types (and ``ExceptHandler``, ``match_case``), found
        without walking a single expression when the whole tree has not been walked yet."""
        if self.indexed:
            return self.nodes(*types)
        key = ("statements", *types)
        cached = self._nodes_cache.get(key)
        if cached is None:
            cached = self._nodes_cache[key] = self._sorted(types, self._statements_by_type)
        return cached

    @cached_property
    def _statements_by_type(self) -> dict[type, list[ast.AST]]:
        by_type: dict[type, list[ast.AST]] = defaultdict(list)
        for node in statements(self.tree.body):
            by_type[type(node)].append(node)
        return by_type

    @staticmethod
    def _sorted(types: tuple[type, ...], by_type: Mapping[type, list[ast.AST]]) -> list[Any]:
        found: list[ast.AST] = []
        for node_type in types:
            found.extend(by_type.get(node_type, ()))
        # Statements and expressions all have a position: sort by C-level attribute lookups.
        positioned = all("lineno" in getattr(t, "_attributes", ()) for t in types)
        found.sort(key=POSITION_ATTRS if positioned else position)
        return found

    def unordered(self, node_type: type) -> list[Any]:
        """All nodes of one type in no particular order: cheaper than ``nodes`` when the caller
        filters most of them out. Shared: don't mutate it."""
        return self._by_type.get(node_type, [])

    @property
    def calls(self) -> list[ast.Call]:
        return self.nodes(ast.Call)

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        parent = self._parents.get(node)
        while parent is not None:
            yield parent
            parent = self._parents.get(parent)

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return ancestor
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        # Memoised along the whole path: a chain like ``a.b().b().b()…`` asks this of every
        # link, and an uncached walk up thousands of ancestors each time never finished.
        classes = self._classes
        if node in classes:
            return classes[node]
        path = [node]
        found: ast.ClassDef | None = None
        parent = self._parents.get(node)
        while parent is not None:
            if isinstance(parent, ast.ClassDef):
                found = parent
                break
            if parent in classes:
                found = classes[parent]
                break
            path.append(parent)
            parent = self._parents.get(parent)
        for item in path:
            classes[item] = found
        return found

    def enclosing_scope(self, node: ast.AST) -> ast.AST:
        """The function, lambda, class or module whose local names ``node`` sees first."""
        scope = self._scopes.get(node)
        if scope is None:
            scope = self.tree
            for ancestor in self.ancestors(node):
                if isinstance(ancestor, SCOPE_TYPES):
                    scope = ancestor
                    break
            self._scopes[node] = scope
        return scope

    def enclosing_loops(self, node: ast.AST) -> list[ast.AST]:
        """The loops and comprehensions that run ``node`` once per round, innermost first,
        within its function. Parts that run once are not inside: a ``for``'s iterable and
        target, a comprehension's first iterable, a loop's ``else``."""
        loops: list[ast.AST] = []
        child = node
        first_iterable = False
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, DEF_TYPES):
                break
            if isinstance(ancestor, (ast.For, ast.AsyncFor)):
                if is_one_of(child, ancestor.body):
                    loops.append(ancestor)
            elif isinstance(ancestor, ast.While):
                if child is ancestor.test or is_one_of(child, ancestor.body):
                    loops.append(ancestor)
            elif isinstance(ancestor, ast.comprehension):
                owner = self.parent(ancestor)
                first = owner.generators[0]  # type: ignore[union-attr]
                first_iterable = child is ancestor.iter and first is ancestor
            elif isinstance(ancestor, COMPREHENSION_TYPES):
                if not first_iterable:
                    loops.append(ancestor)
                first_iterable = False
            child = ancestor
        return loops

    # --- imports and names ------------------------------------------------------------------

    def _collect_imports(self) -> None:
        for node in self.statement_nodes(*IMPORT_TYPES):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                        self.import_nodes[alias.asname] = node
                    else:
                        top = alias.name.split(".")[0]
                        self.imports[top] = top
                        self.import_nodes[top] = node
            elif node.module and node.level == 0:
                for alias in node.names:
                    if alias.name == "*":
                        continue
                    local = alias.asname or alias.name
                    self.imports[local] = f"{node.module}.{alias.name}"
                    self.import_nodes[local] = node
            elif node.level:
                # Relative imports: remember them with leading dots for the project index.
                for alias in node.names:
                    local = alias.asname or alias.name
                    base = "." * node.level + (node.module or "")
                    sep = "" if base.endswith(".") else "."
                    self.imports[local] = f"{base}{sep}{alias.name}"
                    self.import_nodes[local] = node

    def qualname(self, node: ast.AST) -> str | None:
        """Resolve ``C``, ``twilio.rest.Client`` or ``rest.Client`` to the imported object's
        fully qualified name, or None when the root name was not imported."""
        # Rules ask this of most names in a file, several times each: memoise per node, and
        # give up cheaply when the root was not imported, before building any string.
        try:
            return self._qualnames[node]
        except KeyError:
            pass
        self._qualnames[node] = result = self._resolve_qualname(node)
        return result

    def _resolve_qualname(self, node: ast.AST) -> str | None:
        attrs: list[str] = []
        root = node
        while isinstance(root, ast.Attribute):
            attrs.append(root.attr)
            root = root.value
        if not isinstance(root, ast.Name):
            return None
        target = self.imports.get(root.id)
        if target is None:
            return None
        if attrs:
            attrs.reverse()
            target = f"{target}.{'.'.join(attrs)}"
        return self.aliases.get(target, target)

    def is_qualname(self, node: ast.AST, *names: str | Iterable[str]) -> bool:
        resolved = self.qualname(node)
        if resolved is None:
            return False
        for name in names:
            if isinstance(name, str):
                if resolved == name:
                    return True
            elif resolved in name:
                return True
        return False

    # --- bindings ---------------------------------------------------------------------------

    def bindings(self, name: ast.Name) -> list[tuple[ast.AST, ast.AST | None]]:
        """Where the variable ``name`` reads is bound: ``(target, value)`` in source order.

        The value is the assigned expression, the ``For``/``comprehension`` for a loop
        variable, or None when it cannot be told (parameters, unpacking, ``+=``, ``with``).
        """
        index = self._binding_index()
        scope = self.enclosing_scope(name)
        found = index.get((scope, name.id))
        if found is None and not binds_locally(scope, name.id):
            found = index.get((self.tree, name.id))
        return found or []

    def _binding_index(self) -> dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]]:
        if self._bindings is not None:
            return self._bindings
        index: dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]] = defaultdict(list)
        attrs: dict[tuple[ast.AST | None, str], list[ast.AST]] = defaultdict(list)

        for node in self.nodes(*BINDING_TYPES):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    self._index_binding(index, attrs, target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
                if node.value is not None:
                    self._index_binding(index, attrs, node.target, node.value)
            elif isinstance(node, ast.AugAssign):
                self._index_binding(index, attrs, node.target, None)
            elif isinstance(node, ast.withitem):
                if node.optional_vars is not None:
                    self._index_binding(index, attrs, node.optional_vars, None)
            else:  # For, AsyncFor, comprehension
                loop = node if isinstance(node.target, ast.Name) else None
                self._index_binding(index, attrs, node.target, loop)
        for arg in self.nodes(ast.arg):
            index[(self.enclosing_scope(arg), arg.arg)].append((arg, None))
        for entries in index.values():
            entries.sort(key=lambda entry: position(entry[0]))
        self._attribute_bindings = dict(attrs)
        self._bindings = dict(index)
        return self._bindings

    def _index_binding(
        self,
        index: dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]],
        attrs: dict[tuple[ast.AST | None, str], list[ast.AST]],
        target: ast.AST,
        value: ast.AST | None,
    ) -> None:
        # A method, not a closure: a recursive closure over ``self`` is a reference cycle that
        # would keep the whole tree alive until the cycle collector runs.
        if isinstance(target, ast.Name):
            index[(self.enclosing_scope(target), target.id)].append((target, value))
        elif isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                self._index_binding(index, attrs, element, None)
        elif isinstance(target, ast.Starred):
            self._index_binding(index, attrs, target.value, None)
        elif isinstance(target, ast.Attribute) and value is not None:
            key = dotted_name(target)
            if key is not None:
                attrs[(self.enclosing_class(target), key)].append(value)

    def attribute_values(self, node: ast.Attribute) -> list[ast.AST]:
        """Values assigned to ``self.x`` (the same dotted name) in the class of ``node``."""
        self._binding_index()
        key = dotted_name(node)
        if key is None:
            return []
        return self._attribute_bindings.get((self.enclosing_class(node), key), [])

    # --- literals ---------------------------------------------------------------------------

    def module_constant(self, name: str) -> ast.expr | None:
        """The value of a module-level ``NAME = <expr>`` assigned exactly once."""
        values = [
            node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ]
        return values[0] if len(values) == 1 else None

    def string_value(self, expr: ast.AST, follow_constants: bool = True) -> str | None:
        """The text of a string literal, a concatenation of literals or a module constant;
        an f-string gives its literal prefix (enough to see ``http://``)."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.JoinedStr):
            prefix = []
            for part in expr.values:
                if isinstance(part, ast.Constant) and isinstance(part.value, str):
                    prefix.append(part.value)
                else:
                    break
            return "".join(prefix)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            left = self.string_value(expr.left, follow_constants)
            if left is None:
                return None
            right = self.string_value(expr.right, follow_constants)
            return left + (right or "")
        if follow_constants and isinstance(expr, ast.Name):
            value = self.module_constant(expr.id)
            if value is not None:
                return self.string_value(value, follow_constants=False)
        return None

    # --- positions and findings -------------------------------------------------------------

    def char_col(self, line: int, byte_col: int) -> int:
        """Convert ``ast``'s UTF-8 byte column to a character column."""
        if line < 1 or line > len(self.lines):
            return byte_col
        text = self.lines[line - 1]
        if text.isascii():
            return byte_col
        return len(text.encode("utf-8")[:byte_col].decode("utf-8", "replace"))

    def finding(
        self,
        code: str,
        node: ast.AST,
        message: str,
        *,
        fix: Fix | None = None,
        severity: str = "error",
        fingerprint_text: str | None = None,
        data: dict | None = None,
        fix_applicability: Applicability | None = None,
    ) -> Finding:
        """A finding of rule ``code`` spanning ``node``."""
        line = node.lineno  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or line
        col = self.char_col(line, node.col_offset)  # type: ignore[attr-defined]
        end_col = self.char_col(end_line, getattr(node, "end_col_offset", None) or 0)
        return Finding(
            code=code,
            message=message,
            path=self.path,
            line=line,
            col=col,
            end_line=end_line,
            end_col=end_col,
            severity=severity,  # type: ignore[arg-type]
            fix=fix,
            fingerprint_text=fingerprint_text,
            data=data or {},
            fix_applicability=fix_applicability,
        )

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ""


class Facts:
    """Base of a fact provider: what one kind of analysis derives from a module, built on first
    use and kept with the module (``Provider.of(module)``), its caches with it."""

    def __init__(self, module: SemanticModel) -> None:
        self.module = module

    @classmethod
    def of(cls: type[P], module: SemanticModel) -> P:
        return module.facts(cls)
