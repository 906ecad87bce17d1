"""REST client instances: which expressions are a Twilio ``Client`` (constructed, returned by a
factory, bound to a name or attribute, annotated), and the ``TwilioHttpClient``s beside them."""

from __future__ import annotations

import ast

from twilio_lint.facts.credentials import ClientCredentials, client_credentials
from twilio_lint.facts.module import import_prefixes, may_resolve_to
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import (
    FunctionNode,
    attr_key,
    binding,
    dotted_name,
    last_name,
)
from twilio_lint.semantic.propagate import propagate
from twilio_lint.semantic.scopes import binds_locally

#: django-twilio's shared client instance, a client without a constructor in sight.
_DJANGO_TWILIO_CLIENT = "django_twilio.client.twilio_client"
#: What an import must name for a call to reach a client class (re-exports included).
_CLIENT_CLASS_PREFIXES = import_prefixes(sdk.REST_CLIENT_CLASSES)
#: ... for a name to be a client without a binding of this module: a class or django-twilio's.
_CLIENT_PREFIXES = import_prefixes(sdk.REST_CLIENT_CLASSES, _DJANGO_TWILIO_CLIENT)
_HTTP_CLIENT_CLASS_PREFIXES = import_prefixes(sdk.HTTP_CLIENT_CLASSES)
#: The last attribute of every path ``_twilio_path_root`` recognises.
_SHAPE_LAST_ATTRS = sdk.TWILIO_ONLY_CLIENT_ATTRS | {
    last for _, last in sdk.TWILIO_ONLY_CLIENT_PATHS
}


def uses_twilio(module: SemanticModel) -> bool:
    """Does the module import anything from the ``twilio`` package?"""
    return any(q == "twilio" or q.startswith("twilio.") for q in module.imports.values())


class ClientFacts(Facts):
    """Where a module makes or holds REST clients: ``ClientFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self._client_names: set[tuple[ast.AST, str]] = set()
        self._client_attrs: set[tuple[ast.AST | None, str]] = set()
        self._client_factories: set[str] = set(module.options.get("client-factories", ()))
        self._clients_collected = False  # collected on the first question about clients
        self._collecting_clients = False
        self._client_answers: dict[ast.AST, bool] = {}  # is_client, once collection is done
        self._client_roots: dict[ast.AST, ast.AST | None] = {}  # client_root, likewise
        self._constructions: list[ast.Call] | None = None
        self._http_clients_cache: set[str] | None = None
        self._shaped_params: set[tuple[ast.AST, str]] | None = None
        self._may_hold: bool | None = None  # may_hold_clients, once asked
        self._project_factories: bool | None = None  # imports_project_factory, likewise

    def has_client_bindings(self) -> bool:
        """Is any name, attribute or local factory known to hold or return a client?"""
        self._ensure_clients()
        return bool(self._client_names or self._client_attrs or self._client_factories)

    def may_hold_clients(self) -> bool:
        """Could ``is_client`` be True of anything in the module? Not when no name, attribute
        or factory holds a client, and no import can reach a client class, django-twilio's
        client, or a module the project index reads (where a factory could be): rules skip
        their walks then."""
        if self._may_hold is None:
            project = self.module.project
            imported = self.module.imports.values()
            self._may_hold = (
                self.has_client_bindings()
                or may_resolve_to(self.module, _CLIENT_PREFIXES)
                or (project is not None and any(map(project.may_read, imported)))
            )
        return self._may_hold

    def may_hold_http_clients(self) -> bool:
        """Could ``is_http_client`` be True of anything in the module? (It needs a client, or
        an import that reaches an http client class.)"""
        return may_resolve_to(self.module, _HTTP_CLIENT_CLASS_PREFIXES) or self.may_hold_clients()

    def is_client_constructor(self, call: ast.AST) -> bool:
        """``Client(...)`` / ``TwilioRestClient(...)`` resolved through imports."""
        return isinstance(call, ast.Call) and self.module.is_qualname(
            call.func, sdk.REST_CLIENT_CLASSES
        )

    def client_constructions(self) -> list[ast.Call]:
        """Every ``Client(...)``-like call, in source order (computed once)."""
        cached = self._constructions
        if cached is None:
            cached = self._constructions = (
                [call for call in self.module.calls if self.is_client_constructor(call)]
                if may_resolve_to(self.module, _CLIENT_CLASS_PREFIXES)
                else []
            )
        return cached

    def is_legacy_client_constructor(self, call: ast.Call) -> bool:
        return self.module.is_qualname(call.func, sdk.LEGACY_REST_CLIENTS)

    def client_credentials(self, call: ast.Call) -> ClientCredentials:
        """The credentials a client constructor call is given (5.x parameter names too)."""
        return client_credentials(call, legacy=self.is_legacy_client_constructor(call))

    def _may_have_clients(self) -> bool:
        """Cheap test before the fixpoint: no client class, factory option or project import
        that could be a factory means no client instance anywhere in the file."""
        if self._client_factories:
            return True
        imported = self.module.imports.values()
        for qualname in imported:
            if qualname in sdk.REST_CLIENT_CLASSES or qualname.startswith("django_twilio"):
                return True
            if qualname in ("twilio", "twilio.rest"):
                return True  # ``import twilio`` → ``twilio.rest.Client(...)``
        if self._twilio_shaped_params():
            return True
        return self.imports_project_factory()

    def imports_project_factory(self) -> bool:
        """Does the module reach a client factory of the project: an import that names one
        (``from services.twilio_client import get_client``), or a call through an imported
        module (``import services.twilio_client`` … ``services.twilio_client.get_client()``)?"""
        if self._project_factories is None:
            self._project_factories = any(
                map(self._project_says_factory, self.module.imports.values())
            ) or self._calls_a_factory_through_a_module()
        return self._project_factories

    def _calls_a_factory_through_a_module(self) -> bool:
        project = self.module.project
        roots = {
            local
            for local, node in self.module.import_nodes.items()
            if isinstance(node, ast.Import)
            and project is not None
            and project.may_read(self.module.imports[local])
        }
        if not roots:
            return False  # no module of the project imported as a module: no walk
        for call in self.module.calls:
            func = call.func
            if isinstance(func, ast.Attribute) and _root_name(func) in roots:
                resolved = self.module.qualname(func)
                if resolved is not None and self._project_says_factory(resolved):
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
        # A name is a client when bound to something that is one (factory → global → attribute).
        self._collect_annotated_client_params()
        self._client_names.update(self._twilio_shaped_params())
        propagate(
            self._collect_step, self._client_names, self._client_attrs, self._client_factories
        )

    def _collect_step(self) -> None:
        self._collect_client_factories()
        for node in self.module.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem):
            value, targets = binding(node)
            if value is None or not self.is_client(value):
                continue
            for target in targets:
                self._bind_client(target)

    def _collect_annotated_client_params(self) -> None:
        for arg in self.module.nodes(ast.arg):
            if arg.annotation is not None and self._annotation_is_client(arg.annotation):
                self._client_names.add((self.module.enclosing_scope(arg), arg.arg))
        for node in self.module.nodes(ast.AnnAssign):
            if isinstance(node.target, ast.Name) and self._annotation_is_client(node.annotation):
                self._client_names.add((self.module.enclosing_scope(node), node.target.id))

    def _twilio_shaped_params(self) -> set[tuple[ast.AST, str]]:
        """Unannotated parameters a module that imports twilio uses with resource paths only
        a Twilio client has: ``client.taskrouter.workspaces``, ``tw.api.account.calls``."""
        if self._shaped_params is None:
            found: set[tuple[ast.AST, str]] = set()
            if uses_twilio(self.module):
                shaped = [
                    node
                    for node in self.module.unordered(ast.Attribute)
                    if node.attr in _SHAPE_LAST_ATTRS  # cheap test first: most name no path
                ]
                for node in shaped:
                    param = _twilio_path_root(node)
                    if param is None:
                        continue
                    func = self.module.enclosing_function(node)
                    if func is not None and _is_unannotated_param(func, param.id):
                        found.add((func, param.id))
            self._shaped_params = found
        return self._shaped_params

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
        if isinstance(annotation, ast.Subscript):  # Optional[Client], Annotated[Client, …]
            inner = annotation.slice
            if isinstance(inner, ast.Tuple):  # Annotated[Client, Depends(…)]: the type first
                return bool(inner.elts) and self._annotation_is_client(inner.elts[0])
            return self._annotation_is_client(inner)
        return self.module.is_qualname(annotation, sdk.REST_CLIENT_CLASSES)

    def _collect_client_factories(self) -> None:
        # From the returns (few) to their function, not from every function to its returns.
        for ret in self.module.nodes(ast.Return):
            if ret.value is None or not self.is_client(ret.value):
                continue
            func = self.module.enclosing_scope(ret)
            if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._client_factories.add(self._function_key(func))
                cls = self.module.enclosing_class(func)
                if cls is not None and any(_is_property(d) for d in func.decorator_list):
                    self._client_attrs.add((cls, f"self.{func.name}"))  # self.client.messages

    def _function_key(self, func: FunctionNode) -> str:
        cls = self.module.enclosing_class(func)
        return f"{cls.name}.{func.name}" if cls is not None else func.name

    def _bind_client(self, target: ast.AST) -> None:
        if isinstance(target, ast.Name):
            self._client_names.add((self.module.enclosing_scope(target), target.id))
        elif isinstance(target, ast.Attribute):
            self._client_attrs.add((self.module.enclosing_class(target), attr_key(target)))

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
            if (self.module.enclosing_class(expr), attr_key(expr)) in self._client_attrs:
                return True
            if (None, attr_key(expr)) in self._client_attrs:
                return True
            return self.module.is_qualname(expr, _DJANGO_TWILIO_CLIENT)
        return False

    def _name_is_client(self, name: ast.Name) -> bool:
        scope = self.module.enclosing_scope(name)
        if (scope, name.id) in self._client_names:
            return True
        if self.module.is_qualname(name, _DJANGO_TWILIO_CLIENT):
            return True
        if (self.module.tree, name.id) not in self._client_names:
            return False
        # A module global, unless the function rebinds the name locally.
        return not binds_locally(scope, name.id)

    def _is_factory_call(self, call: ast.Call) -> bool:
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in self._client_factories:
                return True
            target = self.module.imports.get(func.id)
            return target is not None and self._project_says_factory(target)
        if isinstance(func, ast.Attribute):
            if isinstance(func.value, ast.Name) and func.value.id in ("self", "cls"):
                cls = self.module.enclosing_class(func)
                if cls is not None and f"{cls.name}.{func.attr}" in self._client_factories:
                    return True
            dotted = dotted_name(func)
            if dotted is not None and dotted in self._client_factories:
                return True
            resolved = self.module.qualname(func)
            return resolved is not None and self._project_says_factory(resolved)
        return False

    def _project_says_factory(self, qualname: str) -> bool:
        project = self.module.project
        if project is None or not project.may_read(qualname):
            return False  # no project module to read (twilio, the standard library)
        return project.is_client_factory(qualname, self.module.path)

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
            return self.module.is_qualname(expr.func, sdk.HTTP_CLIENT_CLASSES)
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr == "http_client"
            and self.is_client(expr.value)
        )

    def _http_client_names(self) -> set[str]:
        cached = self._http_clients_cache
        if cached is None:
            cached = set()
            for node in self.module.nodes(ast.Assign, ast.AnnAssign):
                value, targets = binding(node)
                if value is not None and self._makes_http_client(value):
                    cached.update(k for t in targets if (k := dotted_name(t)) is not None)
            self._http_clients_cache = cached
        return cached

    def client_factory_names(self) -> set[str]:
        """Functions of this module that return a REST client (``get_client``, ``Cls.meth``)."""
        self._ensure_clients()
        return set(self._client_factories)


def _is_property(decorator: ast.expr) -> bool:
    """``@property``, ``@functools.cached_property``, ``@cached_property`` (Django's too)."""
    name = last_name(decorator) or ""
    return name in sdk.PROPERTY_DECORATORS


def _root_name(node: ast.AST) -> str | None:
    """``a`` for ``a.b.c``."""
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _twilio_path_root(node: ast.Attribute) -> ast.Name | None:
    """``client`` for ``client.taskrouter.workspaces`` / ``client.incoming_phone_numbers``."""
    inner = node.value
    if isinstance(inner, ast.Name):
        return inner if node.attr in sdk.TWILIO_ONLY_CLIENT_ATTRS else None
    if isinstance(inner, ast.Attribute) and isinstance(inner.value, ast.Name):
        if (inner.attr, node.attr) in sdk.TWILIO_ONLY_CLIENT_PATHS:
            return inner.value
    return None


def _is_unannotated_param(func: FunctionNode, name: str) -> bool:
    args = func.args
    for arg in args.posonlyargs + args.args + args.kwonlyargs:
        if arg.arg == name:
            return arg.annotation is None and name not in ("self", "cls")
    return False
