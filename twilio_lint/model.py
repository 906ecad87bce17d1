"""The module model: one ``ast`` parse, one walk, and the Twilio facts every rule shares.

Rules ask the model what a name refers to (``twilio.rest.Client``?), whether an expression is a
REST client instance, what encloses a node (loops, functions, classes), and turn nodes into
findings with character-accurate positions. They never walk imports themselves.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from twilio_lint import sdk
from twilio_lint.findings import Finding, Fix

if TYPE_CHECKING:
    from twilio_lint.project import ProjectIndex

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef
LOOP_TYPES = (ast.For, ast.AsyncFor, ast.While)
COMPREHENSION_TYPES = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
SCOPE_TYPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.Module)


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
        self._collect_clients()

    # --- the walk ---------------------------------------------------------------------------

    def _index_tree(self) -> None:
        # Iterative, so 3,000-branch elif chains don't overflow the stack.
        stack: list[ast.AST] = [self.tree]
        parents = self._parents
        by_type = self._by_type
        while stack:
            node = stack.pop()
            by_type[type(node)].append(node)
            for child in ast.iter_child_nodes(node):
                parents[child] = node
                stack.append(child)
        for nodes in by_type.values():
            nodes.sort(key=_position)

    def nodes(self, *types: type) -> list[Any]:
        """All nodes of the given types, in source order."""
        if len(types) == 1:
            return list(self._by_type.get(types[0], ()))
        found: list[ast.AST] = []
        for node_type in types:
            found.extend(self._by_type.get(node_type, ()))
        found.sort(key=_position)
        return found

    @property
    def calls(self) -> list[ast.Call]:
        return self._by_type.get(ast.Call, [])  # type: ignore[return-value]

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
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, ast.ClassDef):
                return ancestor
        return None

    def enclosing_scope(self, node: ast.AST) -> ast.AST:
        """The function, lambda, class or module whose local names ``node`` sees first."""
        for ancestor in self.ancestors(node):
            if isinstance(ancestor, SCOPE_TYPES):
                return ancestor
        return self.tree

    def enclosing_loops(self, node: ast.AST, stop_at_function: bool = True) -> list[ast.AST]:
        """Loops (and comprehensions) around ``node``, innermost first."""
        loops: list[ast.AST] = []
        child = node
        for ancestor in self.ancestors(node):
            if stop_at_function and isinstance(ancestor, (ast.FunctionDef, ast.AsyncFunctionDef)):
                break
            if isinstance(ancestor, LOOP_TYPES) and child not in _loop_header(ancestor):
                loops.append(ancestor)
            elif isinstance(ancestor, COMPREHENSION_TYPES):
                loops.append(ancestor)
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
        dotted = dotted_name(node)
        if dotted is None:
            return None
        root, _, rest = dotted.partition(".")
        target = self.imports.get(root)
        if target is None:
            return None
        return canonical(f"{target}.{rest}" if rest else target)

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
        return [call for call in self.calls if self.is_client_constructor(call)]

    def is_legacy_client_constructor(self, call: ast.Call) -> bool:
        return self.is_qualname(call.func, sdk.LEGACY_REST_CLIENTS)

    def client_credentials(self, call: ast.Call) -> ClientCredentials:
        """The credentials a client constructor call is given (5.x parameter names too)."""
        return client_credentials(call, legacy=self.is_legacy_client_constructor(call))

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
        for func in self.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            if func.name in self._client_factories:
                continue
            for ret in _own_returns(func):
                if ret.value is not None and self.is_client(ret.value):
                    self._client_factories.add(self._function_key(func))
                    break

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
        node = expr
        while True:
            if isinstance(node, ast.Await):
                node = node.value
            elif isinstance(node, ast.Call):
                if self.is_client(node):
                    return node
                node = node.func
            elif isinstance(node, ast.Attribute):
                if self.is_client(node):
                    return node
                node = node.value
            elif isinstance(node, ast.Subscript):
                node = node.value
            else:
                return node if isinstance(node, ast.Name) and self.is_client(node) else None

    def is_client_rooted(self, expr: ast.AST) -> bool:
        return self.client_root(expr) is not None

    # --- resources and requests -------------------------------------------------------------------

    def is_resource(self, expr: ast.AST) -> bool:
        """Is ``expr`` a Twilio resource list, context or instance?

        ``client.messages``, ``client.calls(sid)``, ``client.api.v2010.accounts(sid).recordings``,
        ``client.messages.get(sid)``, a name bound to one, the result of a ``create``/``fetch``,
        or the loop variable of ``for r in client.recordings.list()``.
        """
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
        return self._resource_names_cache

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
        return self.request_method(iterable) in ("list", "stream")

    def client_factory_names(self) -> set[str]:
        """Functions of this module that return a REST client (``get_client``, ``Cls.meth``)."""
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
        """Functions of this module (decorators and helpers) that validate the signature."""
        return {
            func.name
            for func in self.nodes(ast.FunctionDef, ast.AsyncFunctionDef)
            if self.validates_signature(func)
        }

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
        )

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.source, node) or ""


# --- helpers ---------------------------------------------------------------------------------


def rule_name(code: str) -> str:
    from twilio_lint.registry import rules_by_code  # the registry imports the rules, which import us

    rule = rules_by_code().get(code)
    return rule.name if rule is not None else ""


def _position(node: ast.AST) -> tuple[int, int]:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _loop_header(loop: ast.AST) -> tuple[ast.AST, ...]:
    """Parts of a loop evaluated once (a ``for``'s iterable), not per iteration."""
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        return (loop.iter, loop.target)
    return ()


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


def _own_returns(func: FunctionNode) -> Iterator[ast.Return]:
    """``return`` statements of ``func`` itself, not of functions nested in it."""
    stack: list[ast.AST] = list(func.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Return):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _binds_locally(scope: ast.AST, name: str) -> bool:
    if isinstance(scope, ast.Module):
        return False
    stack: list[ast.AST] = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global) and name in node.names:
            return False
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            return True
        if isinstance(node, ast.arg) and node.arg == name:
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


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
