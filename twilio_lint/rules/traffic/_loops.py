"""What the traffic rules (TWL201–TWL205) share: which loops repeat a request, what changes
from one round of a loop to the next, whether the same request is made again, what paces a
loop, which loops (or self-recursive functions) poll, and which SIDs came from a ``create``."""

from __future__ import annotations

import ast
from collections import defaultdict

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.resources import MAX_FOLLOW, ResourceFacts
from twilio_lint.facts.waits import callee_words, is_pause, names_rate_limiter
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import (
    COMPREHENSION_TYPES,
    LOOP_TYPES,
    TRY_TYPES,
    FunctionNode,
    dotted_name,
    is_one_of,
    mentions,
    position,
    walk_local,
)

_REFRESH_METHODS = frozenset({"fetch", "update"})  # x = <same record>.fetch() keeps its identity

_OPAQUE_TYPES = (
    ast.Lambda,
    ast.Await,
    ast.NamedExpr,
    ast.Yield,
    ast.YieldFrom,
    *COMPREHENSION_TYPES,
)

_COUNTERS = frozenset({"range", "itertools.count", "itertools.repeat"})


class TrafficFacts(Facts):
    """Loops, rounds and polling in one module: ``TrafficFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self.clients = ClientFacts.of(module)
        self.resources = ResourceFacts.of(module)
        self._stores_cache: dict[ast.AST, dict[str, list[ast.AST | None]]] = {}
        self._polling_cache: dict[ast.AST, ast.AST | None] = {}
        self._polling_loops_cache: set[ast.AST] | None = None

    def _stores(self, owner: ast.AST) -> dict[str, list[ast.AST | None]]:
        """What ``owner`` (a loop, comprehension or self-recursive function) may change from one
        round to the next: names and attribute chains rebound in it, with each value bound
        (None: unknown; a loop variable gets the loop's iterable), receivers of method calls
        (``queue.pop()``), and for a function the parameters its recursive calls change."""
        cache = self._stores_cache
        if owner in cache:
            return cache[owner]
        stores: dict[str, list[ast.AST | None]] = defaultdict(list)

        if isinstance(owner, (ast.For, ast.AsyncFor)):
            _store(stores, owner.target, owner.iter if isinstance(owner.target, ast.Name) else None)
        elif isinstance(owner, COMPREHENSION_TYPES):
            for generator in owner.generators:
                _store(stores, generator.target, generator.iter)
        elif isinstance(owner, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for param in self._params_changed_by_recursion(owner):
                stores[param].append(None)
        for node in walk_local(_round_parts(owner)):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    _store(stores, target, node.value)
            elif isinstance(node, (ast.AnnAssign, ast.NamedExpr)):
                _store(stores, node.target, node.value)
            elif isinstance(node, ast.AugAssign):
                _store(stores, node.target, None)
            elif isinstance(node, (ast.For, ast.AsyncFor, ast.comprehension)):
                _store(stores, node.target, node.iter)
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                _store(stores, node.optional_vars, None)
            elif isinstance(node, ast.Delete):
                for target in node.targets:
                    _store(stores, target, None)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                receiver = node.func.value
                key = dotted_name(receiver)
                if (
                    key is not None
                    and key not in ("self", "cls")
                    and key.split(".")[0] not in self.module.imports  # time.sleep(), not a mutation
                    and not self.resources.is_resource(receiver)
                    and not self.clients.is_client(receiver)
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
        derived = not strict and self.resources.request_method(call) in ("list", "stream")
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
            method = self.resources.request_method(value)
            if derived and method is None and not self.resources.is_resource(value):
                same = self._expr_unchanged(value, owner, True, assume | {key}, True)
            elif method in _REFRESH_METHODS:  # call = client.calls(call.sid).fetch()
                same = self._same_request(value, owner, False, assume | {key})  # type: ignore
            elif method is None and self.resources.is_resource(value):  # ctx = client.calls(sid)
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
        method = self.module.enclosing_class(func) is not None
        found = []
        for node in walk_local(func.body):
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

    def is_paced(self, loop: ast.AST) -> bool:
        """Does each round of ``loop`` wait (a sleep, a rate limiter call or ``with limiter:``),
        or does it iterate a throttled source (``for batch in throttled(items)``)?"""
        parts = list(_round_parts(loop))
        if isinstance(loop, (ast.For, ast.AsyncFor)):
            parts.append(loop.iter)
        for node in walk_local(parts):
            if isinstance(node, ast.Call) and is_pause(self.module, node, rate_limiters=True):
                return True
            if isinstance(node, ast.withitem) and names_rate_limiter(
                callee_words(node.context_expr)
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
        for ancestor in self.module.ancestors(node):
            if ancestor is owner:
                break
            if (
                isinstance(ancestor, TRY_TYPES)
                and ancestor.handlers
                and is_one_of(child, ancestor.body)
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
        cache = self._polling_cache
        if call in cache:
            return cache[call]
        found: ast.AST | None = None
        if isinstance(call, ast.Call) and self.resources.request_method(call) in sdk.READ_METHODS:
            loops = self.module.enclosing_loops(call)
            for loop in loops:
                if _is_wait_loop(self.module, loop) and self._polls(call, loop):
                    found = loop
                    break
            func = self.module.enclosing_function(call)
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
        cached = self._polling_loops_cache
        if cached is None:
            cached = set()
            for call in self.module.calls:
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
        if any(loop in polling for loop in self.module.enclosing_loops(node)):
            return True
        return self.module.enclosing_function(node) in polling

    def _polls(self, call: ast.Call, owner: ast.AST) -> bool:
        if self.in_retry_attempt(call, owner) or not self.same_request(call, owner, strict=False):
            return False
        holders = self._result_holders(call, owner)
        if self._status_rechecked(call, owner, holders):
            return True
        if not any(
            isinstance(node, ast.Call) and is_pause(self.module, node)
            for node in walk_local(_round_parts(owner))
        ):
            return False
        return self.resources.request_method(call) in sdk.PAGED_METHODS or self._result_tested(
            call, owner, holders
        )

    def _result_holders(self, call: ast.Call, owner: ast.AST) -> set[str]:
        """Names that ``owner`` binds to ``call``'s result (or part of it)."""
        return {
            key
            for key, values in self._stores(owner).items()
            if any(value is not None and mentions(value, call) for value in values)
        }

    def _status_rechecked(self, call: ast.Call, owner: ast.AST, holders: set[str]) -> bool:
        for node in walk_local(_round_parts(owner)):
            if isinstance(node, ast.Attribute) and node.attr in sdk.STATUS_ATTRS:
                value = node.value.value if isinstance(node.value, ast.Await) else node.value
                if value is call or (isinstance(value, ast.Name) and value.id in holders):
                    return True
        return False

    def _result_tested(self, call: ast.Call, owner: ast.AST, holders: set[str]) -> bool:
        tests = [
            node.test
            for node in walk_local(_round_parts(owner))
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
        if depth > MAX_FOLLOW:
            return None
        if isinstance(expr, ast.Await):
            expr = expr.value
        if isinstance(expr, ast.Call):
            return expr if self.resources.request_method(expr) == "create" else None
        values: list[ast.AST | None] = []
        if isinstance(expr, ast.Attribute) and expr.attr == "sid":
            found = self._created_by(expr.value, at, depth + 1)
            if found is not None:
                return found
        if isinstance(expr, ast.Name):
            values = [v for t, v in self.module.bindings(expr) if position(t) < position(at)]
        elif isinstance(expr, ast.Attribute):
            values = list(self.module.attribute_values(expr))
        for value in values:
            if isinstance(value, ast.expr):
                found = self._created_by(value, value, depth + 1)
                if found is not None:
                    return found
        return None


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


def _is_wait_loop(module: SemanticModel, loop: ast.AST) -> bool:
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


def _store(stores: dict[str, list[ast.AST | None]], target: ast.AST, value: ast.AST | None) -> None:
    """Record that ``target`` is rebound to ``value`` (None: unknown, as for each element of an
    unpacking). A function, not a recursive closure: closures that call themselves are cycles."""
    if isinstance(target, (ast.Tuple, ast.List)):
        for element in target.elts:
            _store(stores, element, None)
    elif isinstance(target, (ast.Starred, ast.Subscript)):
        _store(stores, target.value, None)
    else:
        key = dotted_name(target)
        if key is not None:
            stores[key].append(value)
