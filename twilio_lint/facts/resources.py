"""Twilio resources and the requests made on them: which expressions are a resource list,
context or record (``client.calls(sid)``, a name bound to one, a loop variable over a
``list()``), which calls send a REST request and with what method, and which resource path an
expression names (``("calls()", "recordings")``)."""

from __future__ import annotations

import ast
from collections.abc import Iterable

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import binding
from twilio_lint.semantic.propagate import propagate
from twilio_lint.semantic.scopes import binds_locally

#: How many name bindings a resource path (or a created SID) is followed through.
MAX_FOLLOW = 4
#: Request methods whose result is one record.
RECORD_METHODS = frozenset({"create", "fetch", "update"})


def join_path(base: Iterable[str], segments: Iterable[str]) -> tuple[str, ...]:
    """``base`` extended by ``segments`` (``"()"`` marks the last one a record; account
    segments are dropped)."""
    path = list(base)
    for segment in segments:
        if segment == "()":
            if path and not path[-1].endswith("()"):
                path[-1] += "()"
        elif segment not in sdk.ACCOUNT_PATH_SEGMENTS:
            path.append(segment)
    return tuple(path)


class ResourceFacts(Facts):
    """Resources and requests of one module: ``ResourceFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self.clients = ClientFacts.of(module)
        self._collecting_resources = False
        self._resource_answers: dict[ast.AST, bool] = {}  # is_resource, after the fixpoint
        self._resource_names_cache: set[tuple[ast.AST, str]] | None = None
        self._might_have_resources: bool | None = None

    def is_resource(self, expr: ast.AST) -> bool:
        """Is ``expr`` a Twilio resource list, context or instance?

        ``client.messages``, ``client.calls(sid)``, ``client.api.v2010.accounts(sid).recordings``,
        ``client.messages.get(sid)``, a name bound to one, the result of a ``create``/``fetch``,
        or the loop variable of ``for r in client.recordings.list()``.
        """
        if not self.might_have_resources():
            return False
        if self._resource_names_cache is None or self._collecting_resources:
            return self._is_resource(expr)  # answers change until the fixpoint: no memo
        answer = self._resource_answers.get(expr)
        if answer is None:
            answer = self._resource_answers[expr] = self._is_resource(expr)
        return answer

    def _is_resource(self, expr: ast.AST) -> bool:
        if isinstance(expr, ast.Await):
            expr = expr.value
        root = self.clients.client_root(expr)
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
        scope = self.module.enclosing_scope(name)
        if (scope, name.id) in names:
            return True
        return (self.module.tree, name.id) in names and not binds_locally(scope, name.id)

    def _resource_names(self) -> set[tuple[ast.AST, str]]:
        if self._resource_names_cache is not None:
            return self._resource_names_cache
        self._resource_names_cache = set()
        self._collecting_resources = True
        try:
            self._collect_resource_names()
        finally:
            self._collecting_resources = False
        return self._resource_names_cache

    def _collect_resource_names(self) -> None:
        # x = client.messages; m = x.create(...); for r in x.list(): ...
        names = self._resource_names_cache
        assert names is not None
        propagate(lambda: self._collect_step(names), names)

    def _collect_step(self, names: set[tuple[ast.AST, str]]) -> None:
        module = self.module
        for node in module.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem):
            value, targets = binding(node)
            if value is not None and self._yields_resource(value):
                for target in targets:
                    if isinstance(target, ast.Name):
                        names.add((module.enclosing_scope(target), target.id))
        for loop in module.nodes(ast.For, ast.AsyncFor, ast.comprehension):
            if self._iterates_resources(loop.iter) and isinstance(loop.target, ast.Name):
                names.add((module.enclosing_scope(loop.target), loop.target.id))

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

    def might_have_resources(self) -> bool:
        """Cheap gate for the traffic rules: every resource hangs off a client, so a file with
        no client instance, no client factory and no import that may be one has none (the
        SDK's own modules, most of a project)."""
        cached = self._might_have_resources
        if cached is None:
            clients = self.clients
            cached = clients.has_client_bindings() or bool(clients.client_constructions())
            if not cached:
                cached = clients.imports_project_factory() or any(
                    qualname.startswith("django_twilio")
                    for qualname in self.module.imports.values()
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
            if self.clients.is_client(node):  # self.client, get_client()
                return join_path((), reversed(raw))
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
                if method is not None and method not in RECORD_METHODS:
                    return None  # a list, a page or a bool: not a resource
                node = func.value if method is not None or func.attr == "get" else func
            else:
                return None
        base = () if self.clients.is_client(node) else self._name_path(node, depth)
        return None if base is None else join_path(base, reversed(raw))

    def _name_path(self, name: ast.Name, depth: int) -> tuple[str, ...] | None:
        if depth >= MAX_FOLLOW:
            return None
        paths: set[tuple[str, ...] | None] = set()
        for _, value in self.module.bindings(name):
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
        if depth >= MAX_FOLLOW:
            return None
        if isinstance(iterable, ast.Await):
            iterable = iterable.value
        if isinstance(iterable, ast.Name):
            bindings = self.module.bindings(iterable)
            paths = {
                self._records_path(value, depth + 1) if isinstance(value, ast.expr) else None
                for _, value in bindings
            }
            return paths.pop() if len(paths) == 1 else None
        if self.request_method(iterable) not in ("list", "stream"):
            return None
        base = self._resource_path(iterable.func.value, depth + 1)  # type: ignore[attr-defined]
        return None if base is None else join_path(base, ["()"])

    def _holds_listed_records(self, iterable: ast.AST) -> bool:
        """``msgs = client.messages.list(...)`` … ``for m in msgs``: a name holding records."""
        if not isinstance(iterable, ast.Name):
            return False
        bindings = self.module.bindings(iterable)
        return bool(bindings) and all(
            isinstance(value, ast.expr) and self.request_method(value) in ("list", "stream")
            for _, value in bindings
        )
