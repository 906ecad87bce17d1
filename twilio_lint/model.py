"""The module model: one ``ast`` parse, one walk, and the Twilio facts every rule shares.

Rules ask the model what a name refers to (``twilio.rest.Client``?), whether an expression is a
REST client instance, what encloses a node (loops, functions, classes), and turn nodes into
findings with character-accurate positions. They never walk imports themselves.
"""

from __future__ import annotations

import ast
import operator
import weakref
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twilio_lint.knowledge import sdk
from twilio_lint.findings import Finding, Fix

if TYPE_CHECKING:
    from twilio_lint.facts.project import ProjectIndex
    from twilio_lint.facts.retries import Retry

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
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


def canonical(qualname: str) -> str:
    """Map re-exported paths to one name (``twilio.rest.client.Client`` → ``twilio.rest.Client``)."""
    return sdk.ALIASES.get(qualname, qualname)


class ModuleModel:
    """Everything the rules need to know about one parsed Python file."""

    def __init__(
        self,
        tree: ast.Module,
        source: str,
        path: str = "<string>",
        options: dict[str, Any] | None = None,
        project: ProjectIndex | None = None,
    ) -> None:
        self.tree = tree
        self.source = source
        self.path = path
        self.options: dict[str, Any] = options or {}
        self.project = project
        self.lines = source.splitlines()
        self._parents: dict[ast.AST, ast.AST] = {}
        self._by_type: dict[type, list[ast.AST]] = defaultdict(list)
        self._index_tree()
        #: local name → fully qualified name, from every import in the file
        self.imports: dict[str, str] = {}
        self.import_nodes: dict[str, ast.stmt] = {}
        self._collect_imports()
        self._client_names: set[tuple[ast.AST, str]] = set()
        self._client_attrs: set[tuple[ast.AST | None, str]] = set()
        self._client_factories: set[str] = set(self.options.get("client-factories", ()))
        self._clients_collected = False  # collected on the first question about clients
        self._collecting_clients = False

    # --- the walk ---------------------------------------------------------------------------

    def _index_tree(self) -> None:
        # The one walk of the file: parents and nodes by type. Iterative, so 3,000-branch
        # elif chains don't overflow the stack; reads ``_fields`` directly because
        # ``ast.iter_child_nodes`` costs twice as much on the hot path.
        stack: list[ast.AST] = [self.tree]
        parents = self._parents
        by_type = self._by_type
        node_type = ast.AST
        while stack:
            node = stack.pop()
            kind = type(node)
            by_type[kind].append(node)
            for name in _CHILD_FIELDS[kind]:
                value = getattr(node, name, None)
                if isinstance(value, list):
                    for item in value:
                        if isinstance(item, node_type):
                            parents[item] = node
                            stack.append(item)
                elif isinstance(value, node_type):
                    parents[value] = node
                    stack.append(value)
        self._nodes_cache: dict[tuple[type, ...], list[Any]] = {}
        self._qualnames: dict[ast.AST, str | None] = {}
        self._client_answers: dict[ast.AST, bool] = {}  # is_client, once collection is done
        self._collecting_resources = False
        self._resource_answers: dict[ast.AST, bool] = {}  # is_resource, likewise
        self._client_roots: dict[ast.AST, ast.AST | None] = {}  # client_root, likewise
        self._scopes: dict[ast.AST, ast.AST] = {}
        self._classes: dict[ast.AST, ast.ClassDef | None] = {}  # enclosing_class, memoised

    def nodes(self, *types: type) -> list[Any]:
        """All nodes of the given types, in source order. The list is shared: don't mutate it."""
        cached = self._nodes_cache.get(types)
        if cached is not None:
            return cached
        found: list[ast.AST] = []
        for node_type in types:
            found.extend(self._by_type.get(node_type, ()))
        # Statements and expressions all have a position: sort by C-level attribute lookups.
        positioned = all("lineno" in getattr(t, "_attributes", ()) for t in types)
        found.sort(key=_POSITION_ATTRS if positioned else _position)
        self._nodes_cache[types] = found
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
                if _is_one_of(child, ancestor.body):
                    loops.append(ancestor)
            elif isinstance(ancestor, ast.While):
                if child is ancestor.test or _is_one_of(child, ancestor.body):
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
        for node in self.nodes(ast.Import, ast.ImportFrom):
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
        return canonical(target)

    def call_qualname(self, call: ast.Call) -> str | None:
        return self.qualname(call.func)

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

    def uses_twilio(self) -> bool:
        return any(q == "twilio" or q.startswith("twilio.") for q in self.imports.values())

    # --- REST client instances ------------------------------------------------------------------

    def is_client_constructor(self, call: ast.AST) -> bool:
        """``Client(...)`` / ``TwilioRestClient(...)`` resolved through imports."""
        return isinstance(call, ast.Call) and self.is_qualname(
            call.func, sdk.REST_CLIENT_CLASSES
        )

    def client_constructions(self) -> list[ast.Call]:
        """Every ``Client(...)``-like call, in source order (computed once)."""
        cached = getattr(self, "_constructions", None)
        if cached is None:
            cached = self._constructions = (
                [call for call in self.calls if self.is_client_constructor(call)]
                if self._imports_reach(_CLIENT_CLASS_PATHS)
                else []
            )
        return cached

    def _imports_reach(self, qualnames: Iterable[str]) -> bool:
        """Could any local name resolve to one of ``qualnames``? (``import twilio``, ``from
        twilio import rest``, ``from twilio.rest import Client as C`` all can.)"""
        imported = set(self.imports.values())
        for qualname in qualnames:
            parts = qualname.split(".")
            if any(".".join(parts[:i]) in imported for i in range(1, len(parts) + 1)):
                return True
        return False

    def is_legacy_client_constructor(self, call: ast.Call) -> bool:
        return self.is_qualname(call.func, sdk.LEGACY_REST_CLIENTS)

    def client_credentials(self, call: ast.Call) -> ClientCredentials:
        """The credentials a client constructor call is given (5.x parameter names too)."""
        return client_credentials(call, legacy=self.is_legacy_client_constructor(call))

    def _may_have_clients(self) -> bool:
        """Cheap test before the fixpoint: no client class, factory option or project import
        that could be a factory means no client instance anywhere in the file."""
        if self._client_factories:
            return True
        for local, qualname in self.imports.items():
            if qualname in sdk.REST_CLIENT_CLASSES or qualname.startswith("django_twilio"):
                return True
            if qualname in ("twilio", "twilio.rest"):
                return True  # ``import twilio`` → ``twilio.rest.Client(...)``
            if self.project is not None and qualname.split(".")[0] != "twilio":
                if self.project.is_client_factory(qualname, self.path):
                    return True
        return False

    def _ensure_clients(self) -> None:
        if self._clients_collected:
            return
        self._clients_collected = True  # set first: the collection itself asks is_client
        if self._may_have_clients():
            self._collecting_clients = True  # answers change until the fixpoint: no memo
            try:
                self._collect_clients()
            finally:
                self._collecting_clients = False

    def _collect_clients(self) -> None:
        # Fixpoint over assignments: a name is a client when bound to something that is one.
        # Three passes cover factory → global → attribute chains seen in practice.
        self._collect_annotated_client_params()
        for _ in range(3):
            before = (len(self._client_names), len(self._client_attrs), len(self._client_factories))
            self._collect_client_factories()
            for node in self.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem):
                value, targets = _binding(node)
                if value is None or not self.is_client(value):
                    continue
                for target in targets:
                    self._bind_client(target)
            after = (len(self._client_names), len(self._client_attrs), len(self._client_factories))
            if after == before:
                break

    def _collect_annotated_client_params(self) -> None:
        for arg in self.nodes(ast.arg):
            if arg.annotation is not None and self._annotation_is_client(arg.annotation):
                self._client_names.add((self.enclosing_scope(arg), arg.arg))
        for node in self.nodes(ast.AnnAssign):
            if isinstance(node.target, ast.Name) and self._annotation_is_client(node.annotation):
                self._client_names.add((self.enclosing_scope(node), node.target.id))

    def _annotation_is_client(self, annotation: ast.AST) -> bool:
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            if "Client" not in annotation.value:
                return False  # most string annotations name other types: don't parse them
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return False
        if isinstance(annotation, ast.BinOp):  # Client | None
            return self._annotation_is_client(annotation.left) or self._annotation_is_client(
                annotation.right
            )
        if isinstance(annotation, ast.Subscript):  # Optional[Client]
            return self._annotation_is_client(annotation.slice)
        return self.is_qualname(annotation, sdk.REST_CLIENT_CLASSES)

    def _collect_client_factories(self) -> None:
        # From the returns (few) to their function, not from every function to its returns.
        for ret in self.nodes(ast.Return):
            if ret.value is None or not self.is_client(ret.value):
                continue
            func = self.enclosing_scope(ret)
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._client_factories.add(self._function_key(func))

    def _function_key(self, func: FunctionNode) -> str:
        cls = self.enclosing_class(func)
        return f"{cls.name}.{func.name}" if cls is not None else func.name

    def _bind_client(self, target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self._client_names.add((self.enclosing_scope(target), target.id))
        elif isinstance(target, ast.Attribute):
            self._client_attrs.add((self.enclosing_class(target), _attr_key(target)))

    def is_client(self, expr: ast.AST) -> bool:
        """Does ``expr`` evaluate to a Twilio REST client instance (as far as we can see)?"""
        self._ensure_clients()
        if self._collecting_clients:
            return self._is_client(expr)
        answer = self._client_answers.get(expr)
        if answer is None:
            answer = self._client_answers[expr] = self._is_client(expr)
        return answer

    def _is_client(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Call):
            return self.is_client_constructor(expr) or self._is_factory_call(expr)
        if isinstance(expr, ast.Name):
            return self._name_is_client(expr)
        if isinstance(expr, ast.Attribute):
            if (self.enclosing_class(expr), _attr_key(expr)) in self._client_attrs:
                return True
            if (None, _attr_key(expr)) in self._client_attrs:
                return True
            return self.is_qualname(expr, "django_twilio.client.twilio_client")
        return False

    def _name_is_client(self, name: ast.Name) -> bool:
        scope = self.enclosing_scope(name)
        if (scope, name.id) in self._client_names:
            return True
        if self.is_qualname(name, "django_twilio.client.twilio_client"):
            return True
        if (self.tree, name.id) not in self._client_names:
            return False
        # A module global, unless the function rebinds the name locally.
        return not _binds_locally(scope, name.id)

    def _is_factory_call(self, call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in self._client_factories:
                return True
            target = self.imports.get(func.id)
            return target is not None and self._project_says_factory(target)
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
                cls = self.enclosing_class(func)
                if cls is not None and f"{cls.name}.{func.attr}" in self._client_factories:
                    return True
            dotted = dotted_name(func)
            if dotted is not None and dotted in self._client_factories:
                return True
            resolved = self.qualname(func)
            return resolved is not None and self._project_says_factory(resolved)
        return False

    def _project_says_factory(self, qualname: str) -> bool:
        if self.project is None:
            return False
        return self.project.is_client_factory(qualname, self.path)

    def client_root(self, expr: ast.AST) -> ast.AST | None:
        """For ``client.api.v2010.calls(sid).fetch``, the node of ``client`` if it is a client."""
        self._ensure_clients()
        memo = None if self._collecting_clients else self._client_roots
        visited: list[ast.AST] = []
        node = expr
        root: ast.AST | None = None
        while True:
            if memo is not None and node in memo:
                root = memo[node]  # every link of a long chain asks: answer each once
                break
            visited.append(node)
            if isinstance(node, ast.Await):
                node = node.value
            elif isinstance(node, ast.Call):
                if self.is_client(node):
                    root = node
                    break
                node = node.func
            elif isinstance(node, ast.Attribute):
                if self.is_client(node):
                    root = node
                    break
                node = node.value
            elif isinstance(node, ast.Subscript):
                node = node.value
            else:
                root = node if isinstance(node, ast.Name) and self.is_client(node) else None
                break
        if memo is not None:
            for seen in visited:
                memo[seen] = root
        return root

    def is_client_rooted(self, expr: ast.AST) -> bool:
        return self.client_root(expr) is not None

    def is_http_client(self, expr: ast.AST) -> bool:
        """``TwilioHttpClient(...)`` (or the async/validation one), ``client.http_client`` of a
        REST client, or a name/attribute bound to one of those anywhere in the module."""
        if self._makes_http_client(expr):
            return True
        key = dotted_name(expr)
        return key is not None and key in self._http_client_names()

    def _makes_http_client(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Call):
            return self.is_qualname(expr.func, sdk.HTTP_CLIENT_CLASSES)
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr == "http_client"
            and self.is_client(expr.value)
        )

    def _http_client_names(self) -> set[str]:
        cached = getattr(self, "_http_clients_cache", None)
        if cached is None:
            cached = set()
            for node in self.nodes(ast.Assign, ast.AnnAssign):
                value, targets = _binding(node)
                if value is not None and self._makes_http_client(value):
                    cached.update(k for t in targets if (k := dotted_name(t)) is not None)
            self._http_clients_cache: set[str] = cached
        return cached

    # --- resources and requests -------------------------------------------------------------------

    def is_resource(self, expr: ast.AST) -> bool:
        """Is ``expr`` a Twilio resource list, context or instance?

        ``client.messages``, ``client.calls(sid)``, ``client.api.v2010.accounts(sid).recordings``,
        ``client.messages.get(sid)``, a name bound to one, the result of a ``create``/``fetch``,
        or the loop variable of ``for r in client.recordings.list()``.
        """
        if not self.might_have_resources():
            return False
        if getattr(self, "_resource_names_cache", None) is None or self._collecting_resources:
            return self._is_resource(expr)  # answers change until the fixpoint: no memo
        answer = self._resource_answers.get(expr)
        if answer is None:
            answer = self._resource_answers[expr] = self._is_resource(expr)
        return answer

    def _is_resource(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Await):
            expr = expr.value
        root = self.client_root(expr)
        if root is not None:
            return root is not expr
        node = expr
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name):
            return self._name_is_resource(node)
        return False

    def request_method(self, call: ast.AST) -> str | None:
        """For a call that makes a Twilio REST request, its base method (``create`` for
        ``create_async``/``create_with_http_info``); None for anything else."""
        if isinstance(call, ast.Await):
            call = call.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            return None
        base = sdk.request_method_base(call.func.attr)
        if base is None or not self.is_resource(call.func.value):
            return None
        return base

    def _name_is_resource(self, name: ast.Name) -> bool:
        names = self._resource_names()
        scope = self.enclosing_scope(name)
        if (scope, name.id) in names:
            return True
        return (self.tree, name.id) in names and not _binds_locally(scope, name.id)

    def _resource_names(self) -> set[tuple[ast.AST, str]]:
        cached = getattr(self, "_resource_names_cache", None)
        if cached is not None:
            return cached
        self._resource_names_cache: set[tuple[ast.AST, str]] = set()
        self._collecting_resources = True
        try:
            self._collect_resource_names()
        finally:
            self._collecting_resources = False
        return self._resource_names_cache

    def _collect_resource_names(self) -> None:
        for _ in range(3):  # x = client.messages; m = x.create(...); for r in x.list(): ...
            before = len(self._resource_names_cache)
            for node in self.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem):
                value, targets = _binding(node)
                if value is not None and self._yields_resource(value):
                    for target in targets:
                        if isinstance(target, ast.Name):
                            key = (self.enclosing_scope(target), target.id)
                            self._resource_names_cache.add(key)
            for loop in self.nodes(ast.For, ast.AsyncFor, ast.comprehension):
                if self._iterates_resources(loop.iter) and isinstance(loop.target, ast.Name):
                    key = (self.enclosing_scope(loop.target), loop.target.id)
                    self._resource_names_cache.add(key)
            if len(self._resource_names_cache) == before:
                break

    def _yields_resource(self, value: ast.AST) -> bool:
        if isinstance(value, ast.Await):
            value = value.value
        method = self.request_method(value)
        if method is not None:
            return method in ("create", "fetch", "update")
        return self.is_resource(value)

    def _iterates_resources(self, iterable: ast.AST) -> bool:
        if isinstance(iterable, ast.Await):
            iterable = iterable.value
        if self.request_method(iterable) in ("list", "stream"):
            return True
        return self._holds_listed_records(iterable)  # msgs = x.list(); for m in msgs

    # --- traffic: resource paths, loops, pacing, polling, created SIDs (TWL201–TWL205) ---------
    # What the traffic rules share: which resource an expression names, which loops repeat a
    # node, what changes from one round of a loop to the next, what paces a loop, which loops
    # (or self-recursive functions) poll, and which SIDs came from a ``create``.

    def might_have_resources(self) -> bool:
        """Cheap gate for the traffic rules: every resource hangs off a client, so a file with
        no client instance, no client factory and no import that may be one has none (the
        SDK's own modules, most of a project)."""
        cached = getattr(self, "_might_have_resources", None)
        if cached is None:
            self._ensure_clients()
            cached = bool(self._client_names or self._client_attrs or self._client_factories)
            cached = cached or bool(self.client_constructions())  # Client(...).messages
            if not cached:
                cached = any(
                    qualname.startswith("django_twilio")
                    or (qualname.split(".")[0] != "twilio" and self._project_says_factory(qualname))
                    for qualname in self.imports.values()
                )
            self._might_have_resources = cached
        return cached

    def resource_path(self, expr: ast.AST) -> tuple[str, ...] | None:
        """The Twilio resource ``expr`` names, as path segments below the client.

        ``client.api.v2010.accounts(sid).calls(sid).recordings`` → ``("accounts()", "calls()",
        "recordings")``: a segment ending in ``()`` is one record (a context or an instance).
        ``api``/``v2010``/``account`` are dropped: ``client.api.account.messages`` is
        ``("messages",)``. A name is followed to what it is bound to, a loop variable to the
        list it iterates (``for c in client.calls.list()`` → ``("calls()",)``), the result of
        ``create``/``fetch``/``update`` to its record. None when unsure.
        """
        return self._resource_path(expr, 0)

    def _resource_path(self, expr: ast.AST, depth: int) -> tuple[str, ...] | None:
        raw: list[str] = []  # from the outside in
        node = expr
        while not isinstance(node, ast.Name):
            if self.is_client(node):  # self.client, get_client()
                return _join_path((), reversed(raw))
            if isinstance(node, ast.Await):
                node = node.value
            elif isinstance(node, ast.Attribute):
                raw.append(node.attr)
                node = node.value
            elif isinstance(node, ast.Call):
                raw.append("()")
                func = node.func
                if not isinstance(func, ast.Attribute):
                    node = func
                    continue
                method = sdk.request_method_base(func.attr)
                if method is not None and method not in _RECORD_METHODS:
                    return None  # a list, a page or a bool: not a resource
                node = func.value if method is not None or func.attr == "get" else func
            else:
                return None
        base = () if self.is_client(node) else self._name_path(node, depth)
        return None if base is None else _join_path(base, reversed(raw))

    def _name_path(self, name: ast.Name, depth: int) -> tuple[str, ...] | None:
        if depth >= _MAX_FOLLOW:
            return None
        paths: set[tuple[str, ...] | None] = set()
        for _, value in self.bindings(name):
            if isinstance(value, (ast.For, ast.AsyncFor, ast.comprehension)):
                paths.add(self._records_path(value.iter, depth + 1))
            elif isinstance(value, ast.expr):
                paths.add(self._resource_path(value, depth + 1))
            else:
                return None
        return paths.pop() if len(paths) == 1 else None

    def records_path(self, iterable: ast.AST) -> tuple[str, ...] | None:
        """The records a loop over ``iterable`` gets when it is a ``list()``/``stream()`` (or a
        name holding one): ``client.calls.list()`` → ``("calls()",)``; else None."""
        return self._records_path(iterable, 0)

    def _records_path(self, iterable: ast.AST, depth: int) -> tuple[str, ...] | None:
        if depth >= _MAX_FOLLOW:
            return None
        if isinstance(iterable, ast.Await):
            iterable = iterable.value
        if isinstance(iterable, ast.Name):
            bindings = self.bindings(iterable)
            paths = {
                self._records_path(value, depth + 1) if isinstance(value, ast.expr) else None
                for _, value in bindings
            }
            return paths.pop() if len(paths) == 1 else None
        if self.request_method(iterable) not in ("list", "stream"):
            return None
        base = self._resource_path(iterable.func.value, depth + 1)  # type: ignore[attr-defined]
        return None if base is None else _join_path(base, ["()"])

    def _holds_listed_records(self, iterable: ast.AST) -> bool:
        """``msgs = client.messages.list(...)`` … ``for m in msgs``: a name holding records."""
        if not isinstance(iterable, ast.Name):
            return False
        bindings = self.bindings(iterable)
        return bool(bindings) and all(
            isinstance(value, ast.expr) and self.request_method(value) in ("list", "stream")
            for _, value in bindings
        )

    def bindings(self, name: ast.Name) -> list[tuple[ast.AST, ast.AST | None]]:
        """Where the variable ``name`` reads is bound: ``(target, value)`` in source order.

        The value is the assigned expression, the ``For``/``comprehension`` for a loop
        variable, or None when it cannot be told (parameters, unpacking, ``+=``, ``with``).
        """
        index = self._binding_index()
        scope = self.enclosing_scope(name)
        found = index.get((scope, name.id))
        if found is None and not _binds_locally(scope, name.id):
            found = index.get((self.tree, name.id))
        return found or []

    def _binding_index(self) -> dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]]:
        cached = getattr(self, "_binding_index_cache", None)
        if cached is not None:
            return cached
        index: dict[tuple[ast.AST, str], list[tuple[ast.AST, ast.AST | None]]] = defaultdict(list)
        attrs: dict[tuple[ast.AST | None, str], list[ast.AST]] = defaultdict(list)

        def add(target: ast.AST, value: ast.AST | None) -> None:
            if isinstance(target, ast.Name):
                index[(self.enclosing_scope(target), target.id)].append((target, value))
            elif isinstance(target, (ast.Tuple, ast.List)):
                for element in target.elts:
                    add(element, None)
            elif isinstance(target, ast.Starred):
                add(target.value, None)
            elif isinstance(target, ast.Attribute) and value is not None:
                key = dotted_name(target)
                if key is not None:
                    attrs[(self.enclosing_class(target), key)].append(value)

        for node in self.nodes(*_BINDING_TYPES):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    add(target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
                if node.value is not None:
                    add(node.target, node.value)
            elif isinstance(node, ast.AugAssign):
                add(node.target, None)
            elif isinstance(node, ast.withitem):
                if node.optional_vars is not None:
                    add(node.optional_vars, None)
            else:  # For, AsyncFor, comprehension
                add(node.target, node if isinstance(node.target, ast.Name) else None)
        for arg in self.nodes(ast.arg):
            index[(self.enclosing_scope(arg), arg.arg)].append((arg, None))
        for entries in index.values():
            entries.sort(key=lambda entry: _position(entry[0]))
        self._attr_binding_cache = dict(attrs)
        self._binding_index_cache = dict(index)
        return self._binding_index_cache

    def _attribute_values(self, node: ast.Attribute) -> list[ast.AST]:
        """Values assigned to ``self.x`` (the same dotted name) in the class of ``node``."""
        self._binding_index()
        key = dotted_name(node)
        if key is None:
            return []
        return self._attr_binding_cache.get((self.enclosing_class(node), key), [])

    def _stores(self, owner: ast.AST) -> dict[str, list[ast.AST | None]]:
        """What ``owner`` (a loop, comprehension or self-recursive function) may change from one
        round to the next: names and attribute chains rebound in it, with each value bound
        (None: unknown; a loop variable gets the loop's iterable), receivers of method calls
        (``queue.pop()``), and for a function the parameters its recursive calls change."""
        cache = self._traffic_cache("stores")
        if owner in cache:
            return cache[owner]
        stores: dict[str, list[ast.AST | None]] = defaultdict(list)

        def add(target: ast.AST, value: ast.AST | None) -> None:
            if isinstance(target, (ast.Tuple, ast.List)):
                for element in target.elts:
                    add(element, None)
            elif isinstance(target, (ast.Starred, ast.Subscript)):
                add(target.value, None)
            else:
                key = dotted_name(target)
                if key is not None:
                    stores[key].append(value)

        if isinstance(owner, (ast.For, ast.AsyncFor)):
            add(owner.target, owner.iter if isinstance(owner.target, ast.Name) else None)
        elif isinstance(owner, COMPREHENSION_TYPES):
            for generator in owner.generators:
                add(generator.target, generator.iter)
        elif isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for param in self._params_changed_by_recursion(owner):
                stores[param].append(None)
        for node in _walk_local(_round_parts(owner)):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    add(target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
                add(node.target, node.value)
            elif isinstance(node, ast.AugAssign):
                add(node.target, None)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                add(node.target, node.iter)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                add(node.optional_vars, None)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    add(target, None)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                key = dotted_name(receiver)
                if (
                    key is not None
                    and key not in ("self", "cls")
                    and key.split(".")[0] not in self.imports  # time.sleep(), not a mutation
                    and not self.is_resource(receiver)
                    and not self.is_client(receiver)
                ):
                    stores[key].append(None)  # queue.pop(), items.append(x): mutated
        cache[owner] = dict(stores)
        return cache[owner]

    def same_request(self, call: ast.AST, owner: ast.AST, strict: bool = True) -> bool:
        """Does the request ``call`` ask for the same resource each round of ``owner`` (a loop,
        a comprehension or a self-recursive function)? Nothing in its resource chain changes
        in ``owner`` except names refreshed from a fetch of that same resource
        (``call = client.calls(call.sid).fetch()``). ``strict``: the arguments are unchanged
        too and contain no calls (the same data). Otherwise the same resource, re-asked:
        arguments may hold calls, and the filters of ``list()``/``stream()`` may be recomputed
        each round from what does not change (``since = now() - timedelta(minutes=5)``)."""
        if isinstance(call, ast.Await):
            call = call.value
        if not isinstance(call, ast.Call) or not isinstance(call.func, ast.Attribute):
            return False
        return self._same_request(call, owner, strict, frozenset())

    def _same_request(
        self, call: ast.Call, owner: ast.AST, strict: bool, assume: frozenset[str]
    ) -> bool:
        derived = not strict and self.request_method(call) in ("list", "stream")
        if not self._args_unchanged(call, owner, not strict, assume, derived):
            return False
        return self._chain_unchanged(call.func.value, owner, assume)  # type: ignore[attr-defined]

    def _chain_unchanged(self, node: ast.AST, owner: ast.AST, assume: frozenset[str]) -> bool:
        """``client.calls(sid).recordings``: no name, attribute or argument along it changes."""
        while True:
            if isinstance(node, ast.Await):
                node = node.value
            elif isinstance(node, ast.Attribute):
                key = dotted_name(node)
                if key is not None and not self._key_unchanged(key, owner, assume):
                    return False
                node = node.value
            elif isinstance(node, ast.Call):
                if not self._args_unchanged(node, owner, False, assume):
                    return False
                node = node.func
            elif isinstance(node, ast.Name):
                return self._key_unchanged(node.id, owner, assume)
            else:
                return False

    def _args_unchanged(
        self,
        call: ast.Call,
        owner: ast.AST,
        allow_calls: bool,
        assume: frozenset[str],
        derived: bool = False,
    ) -> bool:
        arguments = [*call.args, *(keyword.value for keyword in call.keywords)]
        return all(
            self._expr_unchanged(arg, owner, allow_calls, assume, derived) for arg in arguments
        )

    def _expr_unchanged(
        self,
        expr: ast.AST,
        owner: ast.AST,
        allow_calls: bool,
        assume: frozenset[str],
        derived: bool,
    ) -> bool:
        for node in ast.walk(expr):
            if isinstance(node, _OPAQUE_TYPES):
                return False
            if isinstance(node, ast.Call) and not allow_calls:
                return False
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                key = dotted_name(node)
                if key is not None and not self._key_unchanged(key, owner, assume, derived):
                    return False
        return True

    def _key_unchanged(
        self, key: str, owner: ast.AST, assume: frozenset[str], derived: bool = False
    ) -> bool:
        """``derived``: a name recomputed each round from unchanged inputs counts as unchanged."""
        stores = self._stores(owner)
        if key in assume or key not in stores:
            return True
        for value in stores[key]:
            if isinstance(value, ast.Await):
                value = value.value
            if value is None:
                return False
            method = self.request_method(value)
            if derived and method is None and not self.is_resource(value):
                same = self._expr_unchanged(value, owner, True, assume | {key}, True)
            elif method in _REFRESH_METHODS:  # call = client.calls(call.sid).fetch()
                same = self._same_request(value, owner, False, assume | {key})  # type: ignore
            elif method is None and self.is_resource(value):  # ctx = client.calls(sid)
                same = self._chain_unchanged(value, owner, assume | {key})
            else:
                same = False
            if not same:
                return False
        return True

    def _params_changed_by_recursion(self, func: FunctionNode) -> set[str]:
        """Parameters that some call of ``func`` to itself passes a different value for."""
        params = [arg.arg for arg in (*func.args.posonlyargs, *func.args.args)]
        every = set(params) | {arg.arg for arg in func.args.kwonlyargs}
        changed: set[str] = set()
        for call in self._self_calls(func):
            positional = params[1:] if isinstance(call.func, ast.Attribute) else params
            passed: dict[str, ast.AST] = dict(zip(positional, call.args))
            if any(isinstance(arg, ast.Starred) for arg in call.args):
                return every
            for keyword in call.keywords:
                if keyword.arg is None:
                    return every
                passed[keyword.arg] = keyword.value
            for param in every:
                value = passed.get(param)
                if not (isinstance(value, ast.Name) and value.id == param):
                    changed.add(param)
        return changed - {"self", "cls"}

    def _self_calls(self, func: FunctionNode) -> list[ast.Call]:
        """Calls of ``func`` to itself: ``poll(sid)``, or ``self.poll(sid)`` in a method."""
        method = self.enclosing_class(func) is not None
        found = []
        for node in _walk_local(func.body):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func
            plain = not method and isinstance(callee, ast.Name) and callee.id == func.name
            bound = (
                method
                and isinstance(callee, ast.Attribute)
                and callee.attr == func.name
                and isinstance(callee.value, ast.Name)
                and callee.value.id in ("self", "cls")
            )
            if plain or bound:
                found.append(node)
        return found

    def is_pause(self, call: ast.AST, rate_limiters: bool = False) -> bool:
        """A call that waits: ``time.sleep``, ``asyncio.sleep``… (``sdk.SLEEP_FUNCTIONS``).
        With ``rate_limiters`` also a rate limiter or token bucket (``limiter.acquire()``,
        ``bucket.consume(1)``, ``throttle()``: ``sdk.RATE_LIMITER_HINTS``) or any ``*sleep*``."""
        if isinstance(call, ast.Await):
            call = call.value
        if not isinstance(call, ast.Call):
            return False
        if self.is_qualname(call.func, sdk.SLEEP_FUNCTIONS):
            return True
        if not rate_limiters:
            return False
        words = _callee_words(call.func)
        return "sleep" in words or _names_rate_limiter(words)

    def is_paced(self, loop: ast.AST) -> bool:
        """Does each round of ``loop`` wait (a sleep, a rate limiter call or ``with limiter:``),
        or does it iterate a throttled source (``for batch in throttled(items)``)?"""
        parts = list(_round_parts(loop))
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            parts.append(loop.iter)
        for node in _walk_local(parts):
            if isinstance(node, ast.Call) and self.is_pause(node, rate_limiters=True):
                return True
            if isinstance(node, ast.withitem) and _names_rate_limiter(
                _callee_words(node.context_expr)
            ):
                return True
        return False

    def in_retry_attempt(self, node: ast.AST, owner: ast.AST) -> bool:
        """Is ``node`` one attempt of a retry rather than a repeat: inside ``owner`` (a loop or
        function) it sits in a ``try`` that leaves on success (``break``/``return`` directly in
        the ``try`` body or its ``else``), or ``owner`` is a loop whose body always leaves?"""
        if isinstance(owner, LOOP_TYPES) and _leaves(owner.body):
            return True
        child = node
        for ancestor in self.ancestors(node):
            if ancestor is owner:
                break
            if (
                isinstance(ancestor, TRY_TYPES)
                and ancestor.handlers
                and _is_one_of(child, ancestor.body)
                and (_leaves(ancestor.body) or _leaves(ancestor.orelse))
            ):
                return True
            child = ancestor
        return False

    def polling_loop(self, call: ast.AST) -> ast.AST | None:
        """The loop (or self-recursive function) in which the read request ``call`` polls.

        Polling: a ``while`` loop, a counter loop (``for _ in range(n)``) or a function that
        calls itself with the same arguments asks for the same resource every round
        (``same_request``), and either re-checks the result's ``status``, or sleeps and tests
        the result (or lists records again). Retry attempts are not polling.
        """
        if isinstance(call, ast.Await):
            call = call.value
        cache = self._traffic_cache("polling")
        if call in cache:
            return cache[call]
        found: ast.AST | None = None
        if isinstance(call, ast.Call) and self.request_method(call) in sdk.READ_METHODS:
            loops = self.enclosing_loops(call)
            for loop in loops:
                if _is_wait_loop(self, loop) and self._polls(call, loop):
                    found = loop
                    break
            func = self.enclosing_function(call)
            if (
                found is None
                and not loops
                and func is not None
                and self._self_calls(func)
                and self._polls(call, func)
            ):
                found = func
        cache[call] = found
        return found

    def polling_loops(self) -> set[ast.AST]:
        """Every loop or function in which some request polls (see ``polling_loop``)."""
        cached = getattr(self, "_polling_loops_cache", None)
        if cached is None:
            cached = set()
            for call in self.calls:
                if isinstance(call.func, ast.Attribute) and sdk.request_method_base(
                    call.func.attr
                ) in sdk.READ_METHODS:
                    loop = self.polling_loop(call)
                    if loop is not None:
                        cached.add(loop)
            self._polling_loops_cache = cached
        return cached

    def in_polling(self, node: ast.AST) -> bool:
        """Is ``node`` inside a loop or function that polls a Twilio resource?"""
        polling = self.polling_loops()
        if not polling:
            return False
        if any(loop in polling for loop in self.enclosing_loops(node)):
            return True
        return self.enclosing_function(node) in polling

    def _polls(self, call: ast.Call, owner: ast.AST) -> bool:
        if self.in_retry_attempt(call, owner) or not self.same_request(call, owner, strict=False):
            return False
        holders = self._result_holders(call, owner)
        if self._status_rechecked(call, owner, holders):
            return True
        if not any(
            isinstance(node, ast.Call) and self.is_pause(node)
            for node in _walk_local(_round_parts(owner))
        ):
            return False
        return self.request_method(call) in sdk.PAGED_METHODS or self._result_tested(
            call, owner, holders
        )

    def _result_holders(self, call: ast.Call, owner: ast.AST) -> set[str]:
        """Names that ``owner`` binds to ``call``'s result (or part of it)."""
        return {
            key
            for key, values in self._stores(owner).items()
            if any(value is not None and _mentions(value, call) for value in values)
        }

    def _status_rechecked(self, call: ast.Call, owner: ast.AST, holders: set[str]) -> bool:
        for node in _walk_local(_round_parts(owner)):
            if isinstance(node, ast.Attribute) and node.attr in sdk.STATUS_ATTRS:
                value = node.value.value if isinstance(node.value, ast.Await) else node.value
                if value is call or (isinstance(value, ast.Name) and value.id in holders):
                    return True
        return False

    def _result_tested(self, call: ast.Call, owner: ast.AST, holders: set[str]) -> bool:
        tests = [
            node.test
            for node in _walk_local(_round_parts(owner))
            if isinstance(node, (ast.If, ast.IfExp, ast.While))
        ]
        if isinstance(owner, ast.While):
            tests.append(owner.test)
        for test in tests:
            for node in ast.walk(test):
                if node is call or (isinstance(node, ast.Name) and node.id in holders):
                    return True
        return False

    def created_by(self, expr: ast.AST, at: ast.AST | None = None) -> ast.Call | None:
        """The ``create`` request whose record or SID ``expr`` holds (as bound before ``at``).

        ``msg`` or ``msg.sid`` after ``msg = client.messages.create(...)``; ``sid`` after
        ``sid = msg.sid`` or ``sid = client.calls.create(...).sid``; ``self.call_sid`` after
        ``self.call_sid = call.sid`` in any method of the same class.
        """
        return self._created_by(expr, at if at is not None else expr, 0)

    def _created_by(self, expr: ast.AST, at: ast.AST, depth: int) -> ast.Call | None:
        if depth > _MAX_FOLLOW:
            return None
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Call):
            return expr if self.request_method(expr) == "create" else None
        values: list[ast.AST | None] = []
        if isinstance(expr, ast.Attribute) and expr.attr == "sid":
            found = self._created_by(expr.value, at, depth + 1)
            if found is not None:
                return found
        if isinstance(expr, ast.Name):
            values = [v for t, v in self.bindings(expr) if _position(t) < _position(at)]
        elif isinstance(expr, ast.Attribute):
            values = list(self._attribute_values(expr))
        for value in values:
            if isinstance(value, ast.expr):
                found = self._created_by(value, value, depth + 1)
                if found is not None:
                    return found
        return None

    def _traffic_cache(self, name: str) -> dict[Any, Any]:
        caches: dict[str, dict[Any, Any]] = self.__dict__.setdefault("_traffic_caches", {})
        return caches.setdefault(name, {})

    def client_factory_names(self) -> set[str]:
        """Functions of this module that return a REST client (``get_client``, ``Cls.meth``)."""
        self._ensure_clients()
        return set(self._client_factories)

    # --- webhook signature validation --------------------------------------------------------------

    def is_request_validator(self, expr: ast.AST) -> bool:
        """``RequestValidator(...)`` or a name/attribute bound to one anywhere in the module."""
        if isinstance(expr, ast.Call):
            return self.is_qualname(expr.func, sdk.REQUEST_VALIDATOR_CLASSES)
        key = dotted_name(expr)
        return key is not None and key in self._validator_names()

    def _validator_names(self) -> set[str]:
        if not hasattr(self, "_validators_cache"):
            names: set[str] = set()
            for node in self.nodes(ast.Assign, ast.AnnAssign):
                value, targets = _binding(node)
                if isinstance(value, ast.Call) and self.is_qualname(
                    value.func, sdk.REQUEST_VALIDATOR_CLASSES
                ):
                    names.update(k for t in targets if (k := dotted_name(t)) is not None)
            self._validators_cache = names
        return self._validators_cache

    def validates_signature(self, node: ast.AST) -> bool:
        """Does the code under ``node`` call ``RequestValidator(...).validate(...)``?"""
        for child in ast.walk(node):
            if (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and child.func.attr == "validate"
                and self.is_request_validator(child.func.value)
            ):
                return True
        return False

    def signature_validator_names(self) -> set[str]:
        """Functions of this module (decorators and helpers) that validate the signature.

        Also classes (middleware) and functions that call one of them: a decorator that calls
        an ``is_valid_twilio_request()`` helper validates too (TWL104)."""
        defs = self.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        names = {node.name for node in defs if self.validates_signature(node)}
        for _ in range(3):  # helper → decorator → middleware
            before = len(names)
            names.update(node.name for node in defs if _calls_any_of(node, names))
            if len(names) == before:
                break
        return names

    # --- retries and error handling (resilience rules TWL301–TWL306; see resilience.py) -------

    def retry_mechanisms(self) -> list[Retry]:
        """Every retry in the module: retry decorators, ``Retrying`` loops, hand-written
        retry loops, Celery retries; each with how it waits and whether it stops."""
        cached = getattr(self, "_retries_cache", None)
        if cached is None:
            from twilio_lint.facts import retries as resilience

            cached = self._retries_cache = resilience.find_retries(self)
        return cached

    def retries_around(self, node: ast.AST) -> list[Retry]:
        """The retries that re-run ``node`` when it raises."""
        return [retry for retry in self.retry_mechanisms() if retry.covers_node(node, self)]

    def caught_exceptions(self, handler: ast.ExceptHandler) -> list[tuple[str, ast.AST]]:
        """(class, node) per class an ``except`` names: a canonical Twilio exception name,
        ``"broad"`` (Exception/BaseException), ``"bare"`` or ``"other"``."""
        from twilio_lint.facts import retries as resilience

        return resilience.caught_exceptions(self, handler)

    # --- literals ------------------------------------------------------------------------------

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

    # --- positions and findings -------------------------------------------------------------------

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
    ) -> Finding:
        """A finding of rule ``code`` spanning ``node``."""
        line = node.lineno  # type: ignore[attr-defined]
        end_line = getattr(node, "end_lineno", None) or line
        col = self.char_col(line, node.col_offset)  # type: ignore[attr-defined]
        end_col = self.char_col(end_line, getattr(node, "end_col_offset", None) or 0)
        return Finding(
            code=code,
            name=rule_name(code),
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
        )

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ""


# --- helpers ---------------------------------------------------------------------------------


def rule_name(code: str) -> str:
    from twilio_lint.registry import rules_by_code  # the registry imports the rules, which import us

    rule = rules_by_code().get(code)
    return rule.name if rule is not None else ""


#: Every import path under which a REST client class can be reached, re-exports included.
_CLIENT_CLASS_PATHS = sdk.REST_CLIENT_CLASSES | {
    alias for alias, target in sdk.ALIASES.items() if target in sdk.REST_CLIENT_CLASSES
}

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
_CHILD_FIELDS: dict[type, tuple[str, ...]] = {kind: _child_fields(kind) for kind in _node_classes()}

_POSITION_ATTRS = operator.attrgetter("lineno", "col_offset")


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _attr_key(node: ast.Attribute) -> str:
    return dotted_name(node) or node.attr


def _binding(node: ast.AST) -> tuple[ast.AST | None, list[ast.AST]]:
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
    stack: list[ast.AST] = list(getattr(func, "body", ()))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node
        elif isinstance(node, DEF_TYPES):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _calls_any_of(node: ast.AST, names: set[str]) -> bool:
    """Does ``node`` call ``name(...)`` or ``self.name(...)`` for one of ``names``?"""
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        if isinstance(func, ast.Name) and func.id in names:
            return True
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in ("self", "cls")
            and func.attr in names
        ):
            return True
    return False


#: The names each scope binds: every reference to a global in a large function asks, and a
#: walk of the whole function per question was quadratic (a 3,000-branch elif).
_BINDS_CACHE: weakref.WeakKeyDictionary[ast.AST, frozenset[str]] = weakref.WeakKeyDictionary()


def _binds_locally(scope: ast.AST, name: str) -> bool:
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
    stack: list[ast.AST] = list(_child_nodes(scope))
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
        stack.extend(_child_nodes(node))
    return frozenset(stores - declared_global)


def _child_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Like ``ast.iter_child_nodes`` without the fields the index walk skips (faster). The
    index walk inlines the same loop: it runs once per node of every file."""
    for name in _CHILD_FIELDS[type(node)]:
        value = getattr(node, name, None)
        if isinstance(value, list):
            for item in value:
                if isinstance(item, ast.AST):
                    yield item
        elif isinstance(value, ast.AST):
            yield value


# --- traffic helpers (TWL201–TWL205) ---------------------------------------------------------

_MAX_FOLLOW = 4  # how many name bindings a resource path or a created SID is followed through
_RECORD_METHODS = frozenset({"create", "fetch", "update"})  # their result is one record
_REFRESH_METHODS = frozenset({"fetch", "update"})  # x = <same record>.fetch() keeps its identity
_OPAQUE_TYPES = (
    ast.Lambda,
    ast.Await,
    ast.NamedExpr,
    ast.Yield,
    ast.YieldFrom,
    *COMPREHENSION_TYPES,
)
_BINDING_TYPES = (
    ast.Assign,
    ast.AnnAssign,
    ast.AugAssign,
    ast.NamedExpr,
    ast.withitem,
    ast.For,
    ast.AsyncFor,
    ast.comprehension,
)
_COUNTERS = frozenset({"range", "itertools.count", "itertools.repeat"})


def _join_path(base: Iterable[str], segments: Iterable[str]) -> tuple[str, ...]:
    path = list(base)
    for segment in segments:
        if segment == "()":
            if path and not path[-1].endswith("()"):
                path[-1] += "()"
        elif segment not in sdk.ACCOUNT_PATH_SEGMENTS:
            path.append(segment)
    return tuple(path)


def _is_one_of(node: ast.AST, nodes: Iterable[ast.AST]) -> bool:
    return any(node is item for item in nodes)


def _leaves(body: list[ast.stmt]) -> bool:
    """Does this block always end with ``break`` or ``return``?"""
    return any(isinstance(statement, (ast.Break, ast.Return)) for statement in body)


def _round_parts(owner: ast.AST) -> list[ast.AST]:
    """The parts of a loop, comprehension or function that run on every round."""
    if isinstance(owner, (ast.For, ast.AsyncFor)):
        return [owner.target, *owner.body]
    if isinstance(owner, ast.While):
        return [owner.test, *owner.body]
    if isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return list(owner.body)
    if isinstance(owner, ast.DictComp):
        parts: list[ast.AST] = [owner.key, owner.value]
    elif isinstance(owner, COMPREHENSION_TYPES):
        parts = [owner.elt]
    else:
        return []
    for number, generator in enumerate(owner.generators):
        parts.extend(generator.ifs)
        if number:
            parts.append(generator.iter)
    return parts


def _walk_local(nodes: Iterable[ast.AST]) -> Iterator[ast.AST]:
    """Every node under ``nodes``, not entering nested functions, lambdas or classes."""
    stack = [node for node in nodes if not isinstance(node, DEF_TYPES)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(
            child for child in ast.iter_child_nodes(node) if not isinstance(child, DEF_TYPES)
        )


def _mentions(tree: ast.AST, node: ast.AST) -> bool:
    return any(child is node for child in ast.walk(tree))


def _callee_words(expr: ast.AST) -> str:
    """The lower-cased names along a callee (``self.rate_limiter.acquire`` → its parts)."""
    words = []
    while True:
        if isinstance(expr, ast.Attribute):
            words.append(expr.attr)
            expr = expr.value
        elif isinstance(expr, ast.Call):
            expr = expr.func
        elif isinstance(expr, ast.Await):
            expr = expr.value
        else:
            if isinstance(expr, ast.Name):
                words.append(expr.id)
            return " ".join(words).lower()


def _names_rate_limiter(words: str) -> bool:
    """``limiter.acquire``, ``throttle``, ``bucket.consume`` (words from ``_callee_words``)."""
    if any(hint in words for hint in sdk.RATE_LIMITER_HINTS):
        return True
    method = words.split(" ", 1)[0]
    return "bucket" in words and method in sdk.TOKEN_BUCKET_METHODS


def _is_wait_loop(module: ModuleModel, loop: ast.AST) -> bool:
    """A loop that can wait for something: ``while``, or ``for _ in range(n)`` and other counters
    (not a loop over work items, and never a comprehension)."""
    if isinstance(loop, ast.While):
        return True
    if not isinstance(loop, ast.For) or not isinstance(loop.iter, ast.Call):
        return False
    func = loop.iter.func
    if isinstance(func, ast.Name) and func.id == "range" and func.id not in module.imports:
        return True
    return module.is_qualname(func, _COUNTERS)


# --- credentials ---------------------------------------------------------------------------------

ENV_LOOKUP_FUNCS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault"})


def credential_name(expr: ast.AST) -> str | None:
    """The name a credential expression goes by: a variable, attribute, dict key or env var.

    ``auth_token``, ``settings.TWILIO_AUTH_TOKEN``, ``os.environ["TWILIO_AUTH_TOKEN"]``,
    ``os.getenv("TWILIO_AUTH_TOKEN")``, ``config("TWILIO_AUTH_TOKEN")``, ``cfg["twilio"]["sid"]``.
    """
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        return credential_name(expr.value)
    if isinstance(expr, ast.Call) and expr.args:
        first = expr.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            return first.value
    return None


def credential_kind(expr: ast.AST | None) -> str | None:
    """``account``, ``key``, ``secret`` or ``token`` from a credential's name or literal shape."""
    if expr is None:
        return None
    if isinstance(expr, ast.Constant):
        return sdk.credential_kind_of_literal(expr.value) if isinstance(expr.value, str) else None
    name = credential_name(expr)
    return sdk.credential_kind_of_name(name) if name else None


@dataclass
class ClientCredentials:
    """The credential arguments of one ``Client(...)`` / ``TwilioRestClient(...)`` call."""

    call: ast.Call
    first: ast.expr | None  # username / account (5.x)
    second: ast.expr | None  # password / token (5.x)
    account_sid: ast.expr | None  # account_sid / request_account (5.x)
    credential_provider: ast.expr | None
    opaque: bool  # *args or **kwargs: we cannot see the credentials

    @property
    def has_credentials(self) -> bool:
        return self.first is not None or self.second is not None

    def auth_kind(self) -> str | None:
        """``token`` (Account SID + Auth Token), ``key`` (API key) or None (cannot tell)."""
        first, second = credential_kind(self.first), credential_kind(self.second)
        if first == "account":
            return "token"
        if first == "key":
            return "key"
        if first is None and second == "token":
            return "token"
        if first is None and second == "secret":
            return "key"
        return None


def client_credentials(call: ast.Call, legacy: bool = False) -> ClientCredentials:
    names = sdk.LEGACY_CLIENT_PARAMS if legacy else sdk.CLIENT_PARAMS
    values: dict[str, ast.expr] = {}
    opaque = any(isinstance(arg, ast.Starred) for arg in call.args)
    for name, arg in zip(names, call.args):
        if isinstance(arg, ast.Starred):
            break
        values[name] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            opaque = True
        else:
            values[keyword.arg] = keyword.value
    first_name, second_name = names[0], names[1]
    account_name = "request_account" if legacy else "account_sid"
    return ClientCredentials(
        call=call,
        first=values.get(first_name),
        second=values.get(second_name),
        account_sid=values.get(account_name),
        credential_provider=values.get("credential_provider"),
        opaque=opaque,
    )
