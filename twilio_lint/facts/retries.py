"""Retries and error handling around Twilio calls, read from the ``ast`` tree.

Shared by the resilience rules: TWL301 asks whether a write is covered by a retry, TWL302 how
that retry waits and whether it stops, TWL303/TWL304 what an ``except`` catches. The library
facts (default waits and stops of tenacity, backoff, stamina, retrying, retry, Celery) are
tables in ``knowledge/sdk.py``; this module applies them to code. Rules ask
``RetryFacts.of(module).retries_around(node)`` / ``.retry_mechanisms()`` and
``caught_exceptions(module, handler)``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.facts.waits import is_pause
from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import (
    DEF_TYPES,
    LOOP_TYPES,
    TRY_TYPES,
    dotted_name,
    is_none,
    last_name,
    own_nodes,
)
from twilio_lint.semantic.propagate import propagate

# How a retry waits between attempts, and whether it ever gives up.
GROWING, CONSTANT, NO_WAIT, UNKNOWN = "growing", "constant", "none", "unknown"
BOUNDED, UNBOUNDED = "bounded", "unbounded"

#: A call whose name says it waits: a helper we cannot read, so the wait is unknown.
WAIT_HINTS = ("sleep", "wait", "backoff", "delay", "throttle", "pause")
#: A decorator whose name says it retries (``@with_retries``, ``@retry_on_429``) is the
#: project's own retry: trusted, like the names in the ``retry-decorators`` option.
RETRY_NAME_HINTS = ("retry", "retries", "backoff")
#: Calls whose result stays in a constant range when the arguments do (jitter, rounding).
CONSTANT_CALLS = frozenset(
    {
        "random.uniform",
        "random.random",
        "random.randint",
        "random.randrange",
        "min",
        "max",
        "int",
        "float",
        "round",
        "abs",
    }
)
BOUNDED_ITERATORS = frozenset({"range"})
ENDLESS_ITERATORS = frozenset({"itertools.count", "itertools.repeat"})


@dataclass(frozen=True)
class Retry:
    """One retry mechanism: a decorator, a retrying loop or a Celery retry."""

    kind: str  # tenacity, backoff, stamina, retrying, retry, celery, loop, custom
    node: ast.AST  # where it is written: the decorator, the ``for``/``while``, ``self.retry``
    covers: tuple[ast.AST, ...]  # the code it re-runs: a function, a loop, try bodies
    wait: str  # GROWING, CONSTANT, NO_WAIT or UNKNOWN
    stop: str  # BOUNDED, UNBOUNDED or UNKNOWN
    wait_node: ast.AST | None = None  # the constant sleep, where a hand-written loop waits
    handlers: tuple[ast.ExceptHandler, ...] = ()  # the ``except`` clauses a loop retries from

    def covers_node(self, node: ast.AST, module: SemanticModel) -> bool:
        chain = {id(a) for a in module.ancestors(node)} | {id(node)}
        return any(id(region) in chain for region in self.covers)


class RetryFacts(Facts):
    """The retry mechanisms of one module: ``RetryFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self._retries: list[Retry] | None = None

    def retry_mechanisms(self) -> list[Retry]:
        """Every retry in the module: retry decorators, ``Retrying`` loops, hand-written
        retry loops, Celery retries; each with how it waits and whether it stops."""
        if self._retries is None:
            self._retries = find_retries(self.module)
        return self._retries

    def retries_around(self, node: ast.AST) -> list[Retry]:
        """The retries that re-run ``node`` when it raises."""
        return [retry for retry in self.retry_mechanisms() if retry.covers_node(node, self.module)]


# --- finding the mechanisms ---------------------------------------------------------------------


def find_retries(module: SemanticModel) -> list[Retry]:
    """Every retry mechanism in the module, in source order."""
    found: list[Retry] = []
    for func in module.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        found.extend(_decorator_retries(module, func))
    for loop in module.nodes(*LOOP_TYPES):
        retry = _iterating_retry(module, loop) or _hand_written_retry(module, loop)
        if retry is not None:
            found.append(retry)
    found.extend(_celery_manual_retries(module))
    return found


def _decorator_retries(module: SemanticModel, func: ast.AST) -> Iterator[Retry]:
    custom = tuple(module.options.get("retry-decorators", ()) or ())
    for decorator in func.decorator_list:  # type: ignore[attr-defined]
        written = target = decorator.func if isinstance(decorator, ast.Call) else decorator
        call = decorator if isinstance(decorator, ast.Call) else None
        if call is None and isinstance(decorator, ast.Name):
            # twilio_retry = retry(wait=…, stop=…) at module level, then @twilio_retry
            bound = module.module_constant(decorator.id)
            if isinstance(bound, ast.Call):
                target, call = bound.func, bound
        qualname = module.qualname(target)
        library = sdk.RETRY_LIBRARY.get(qualname or "")
        if library is not None:
            wait, stop = judge_policy(module, library, call)
            yield Retry(library, decorator, tuple(func.body), wait, stop)
        elif call is not None and _is_celery_autoretry(module, call):
            wait, stop = _celery_policy(call)
            yield Retry("celery", decorator, tuple(func.body), wait, stop)
        elif (
            qualname in sdk.RETRY_DECORATORS
            or _matches_custom(module, written, custom)
            or _named_like_a_retry(written)
        ):
            yield Retry("custom", decorator, tuple(func.body), UNKNOWN, UNKNOWN)


def _named_like_a_retry(target: ast.AST) -> bool:
    name = last_name(target) or ""
    return any(hint in name.lower() for hint in RETRY_NAME_HINTS)


def _matches_custom(module: SemanticModel, target: ast.AST, names: tuple[str, ...]) -> bool:
    if not names:
        return False
    written = dotted_name(target)
    resolved = module.qualname(target)
    for name in names:
        if name in (written, resolved):
            return True
        if "." not in name and resolved is not None and resolved.rsplit(".", 1)[-1] == name:
            return True
    return False


def _iterating_retry(module: SemanticModel, loop: ast.AST) -> Retry | None:
    """``for attempt in Retrying(...): with attempt: ...`` (tenacity, stamina.retry_context)."""
    if not isinstance(loop, (ast.For, ast.AsyncFor)):
        return None
    call = _bound_call(module, loop.iter)
    if call is None:
        return None
    library = sdk.RETRY_LIBRARY.get(module.qualname(call.func) or "")
    if library not in ("tenacity", "stamina"):
        return None
    wait, stop = judge_policy(module, library, call)
    return Retry(library, call, (loop,), wait, stop)


def _bound_call(module: SemanticModel, expr: ast.AST) -> ast.Call | None:
    """``expr`` itself if a call, or the one call a local name was bound to in its scope."""
    if isinstance(expr, ast.Call):
        return expr
    if not isinstance(expr, ast.Name):
        return None
    scope = module.enclosing_scope(expr)
    values = [
        node.value
        for node in own_nodes(scope)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets)
    ]
    if len(values) == 1 and isinstance(values[0], ast.Call):
        return values[0]
    return None


def judge_policy(module: SemanticModel, library: str, call: ast.Call | None) -> tuple[str, str]:
    """(wait, stop) of a retry library's decorator or retrying object; ``call`` is None for a
    bare ``@retry``."""
    if call is not None and any(k.arg is None for k in call.keywords):
        return UNKNOWN, UNKNOWN  # **options: we cannot see the policy
    judge = {
        "tenacity": _tenacity_policy,
        "backoff": _backoff_policy,
        "stamina": _stamina_policy,
        "retrying": _retrying_policy,
        "retry": _retry_pkg_policy,
    }[library]
    return judge(module, call)


def _keywords(call: ast.Call | None) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in call.keywords if k.arg} if call is not None else {}


def _number(expr: ast.AST | None) -> float | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, (int, float)):
        return float(expr.value)
    if isinstance(expr, ast.UnaryOp) and isinstance(expr.op, ast.USub):
        inner = _number(expr.operand)
        return -inner if inner is not None else None
    return None


def _tenacity_policy(module: SemanticModel, call: ast.Call | None) -> tuple[str, str]:
    kwargs = _keywords(call)
    wait = _tenacity_wait(module, kwargs["wait"]) if "wait" in kwargs else NO_WAIT
    stop = _tenacity_stop(module, kwargs["stop"]) if "stop" in kwargs else UNBOUNDED
    return wait, stop


def _tenacity_name(module: SemanticModel, expr: ast.AST) -> str | None:
    target = expr.func if isinstance(expr, ast.Call) else expr
    qualname = module.qualname(target)
    if qualname is None or not qualname.startswith("tenacity."):
        return None
    return qualname.rsplit(".", 1)[-1]


def _tenacity_wait(module: SemanticModel, expr: ast.AST) -> str:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):  # wait_exp + wait_random
        return _combine_waits(
            [_tenacity_wait(module, expr.left), _tenacity_wait(module, expr.right)]
        )
    name = _tenacity_name(module, expr)
    if name == "wait_combine" and isinstance(expr, ast.Call):
        return _combine_waits([_tenacity_wait(module, arg) for arg in expr.args])
    if name in sdk.TENACITY_GROWING_WAITS:
        return GROWING
    if name == "wait_none":
        return NO_WAIT
    if name in sdk.TENACITY_CONSTANT_WAITS:
        return CONSTANT
    return UNKNOWN


def _combine_waits(waits: list[str]) -> str:
    if GROWING in waits:
        return GROWING
    if UNKNOWN in waits or not waits:
        return UNKNOWN
    return CONSTANT if CONSTANT in waits else NO_WAIT


def _tenacity_stop(module: SemanticModel, expr: ast.AST) -> str:
    if isinstance(expr, ast.BinOp) and isinstance(expr.op, (ast.BitOr, ast.BitAnd)):
        sides = [_tenacity_stop(module, expr.left), _tenacity_stop(module, expr.right)]
        if isinstance(expr.op, ast.BitOr):  # stops when either does
            return BOUNDED if BOUNDED in sides else (UNKNOWN if UNKNOWN in sides else UNBOUNDED)
        return BOUNDED if sides == [BOUNDED, BOUNDED] else UNKNOWN
    name = _tenacity_name(module, expr)
    if name in sdk.TENACITY_STOPS:
        return BOUNDED
    if name in sdk.TENACITY_NO_STOP:
        return UNBOUNDED
    return UNKNOWN


def _backoff_policy(module: SemanticModel, call: ast.Call | None) -> tuple[str, str]:
    if call is None:
        return UNKNOWN, UNKNOWN
    kwargs = _keywords(call)
    wait_gen = kwargs.get("wait_gen", call.args[0] if call.args else None)
    qualname = module.qualname(wait_gen) if wait_gen is not None else None
    name = qualname.rsplit(".", 1)[-1] if qualname and qualname.startswith("backoff.") else None
    if name in sdk.BACKOFF_GROWING_WAITS:
        wait = GROWING
    elif name in sdk.BACKOFF_CONSTANT_WAITS:
        wait = CONSTANT
    else:
        wait = UNKNOWN
    bounded = any(
        param in kwargs and not is_none(kwargs[param]) for param in sdk.BACKOFF_STOP_PARAMS
    )
    return wait, BOUNDED if bounded else UNBOUNDED


def _stamina_policy(module: SemanticModel, call: ast.Call | None) -> tuple[str, str]:
    kwargs = _keywords(call)
    base = _number(kwargs.get("wait_exp_base"))
    wait = CONSTANT if base is not None and base <= 1 else GROWING
    unbounded = all(
        param in kwargs and is_none(kwargs[param]) for param in sdk.STAMINA_STOP_PARAMS
    )
    return wait, UNBOUNDED if unbounded else BOUNDED


def _retrying_policy(module: SemanticModel, call: ast.Call | None) -> tuple[str, str]:
    params = set(_keywords(call))
    if params & sdk.RETRYING_GROWING_PARAMS:
        wait = GROWING
    elif params & sdk.RETRYING_UNKNOWN_WAIT_PARAMS:
        wait = UNKNOWN
    elif params & sdk.RETRYING_CONSTANT_PARAMS:
        wait = CONSTANT
    else:
        wait = NO_WAIT
    return wait, BOUNDED if params & sdk.RETRYING_STOP_PARAMS else UNBOUNDED


def _retry_pkg_policy(module: SemanticModel, call: ast.Call | None) -> tuple[str, str]:
    if call is None:
        return UNKNOWN, UNKNOWN
    values = dict(zip(sdk.RETRY_PKG_PARAMS, call.args))
    values.update(_keywords(call))
    backoff, delay = values.get("backoff"), values.get("delay")
    if backoff is not None and _number(backoff) is None:
        wait = UNKNOWN
    elif backoff is not None and (_number(backoff) or 0) > 1:
        wait = GROWING
    elif delay is None or _number(delay) == 0:
        wait = NO_WAIT
    else:
        wait = CONSTANT if _number(delay) is not None else UNKNOWN
    tries = values.get("tries")
    if tries is None:
        stop = UNBOUNDED  # tries=-1: forever
    else:
        count = _number(tries)
        stop = UNKNOWN if count is None else (UNBOUNDED if count < 0 else BOUNDED)
    return wait, stop


# --- Celery -------------------------------------------------------------------------------------


def _is_celery_task_decorator(module: SemanticModel, call: ast.Call) -> bool:
    if module.is_qualname(call.func, sdk.CELERY_TASK_DECORATORS):
        return True
    # ``@app.task(...)`` on a Celery app we may not see being built.
    return isinstance(call.func, ast.Attribute) and call.func.attr == "task"


def _is_celery_autoretry(module: SemanticModel, call: ast.Call) -> bool:
    kwargs = _keywords(call)
    return sdk.CELERY_AUTORETRY in kwargs and _is_celery_task_decorator(module, call)


def _celery_policy(call: ast.Call) -> tuple[str, str]:
    kwargs = _keywords(call)
    retry_kwargs = kwargs.get("retry_kwargs")
    extra: dict[str, ast.expr] = {}
    if isinstance(retry_kwargs, ast.Dict):
        for key, value in zip(retry_kwargs.keys, retry_kwargs.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                extra[key.value] = value
    backoff = kwargs.get("retry_backoff")
    if backoff is None or (isinstance(backoff, ast.Constant) and not backoff.value):
        wait = CONSTANT  # every retry waits default_retry_delay (180 s)
    else:
        wait = GROWING
    max_retries = kwargs.get("max_retries", extra.get("max_retries"))
    return wait, UNBOUNDED if is_none(max_retries) else BOUNDED


def _celery_manual_retries(module: SemanticModel) -> Iterator[Retry]:
    """``raise self.retry(exc=exc, countdown=…)`` in a handler of a bound Celery task: the
    try body it guards is retried."""
    for func in module.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
        task_self = _bound_task_self(module, func)
        if task_self is None:
            continue
        for try_node in own_nodes(func, *TRY_TYPES):
            for handler in try_node.handlers:
                for call in own_nodes(handler, ast.Call):
                    if _is_self_retry(call, task_self):
                        wait = _celery_countdown(call)
                        yield Retry(
                            "celery", call, tuple(try_node.body), wait, UNKNOWN, None, (handler,)
                        )


def _bound_task_self(module: SemanticModel, func: ast.AST) -> str | None:
    for decorator in func.decorator_list:  # type: ignore[attr-defined]
        if not isinstance(decorator, ast.Call) or not _is_celery_task_decorator(module, decorator):
            continue
        bind = _keywords(decorator).get("bind")
        args = func.args.posonlyargs + func.args.args  # type: ignore[attr-defined]
        if isinstance(bind, ast.Constant) and bind.value is True and args:
            return args[0].arg
    return None


def _is_self_retry(call: ast.Call, task_self: str) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "retry"
        and isinstance(func.value, ast.Name)
        and func.value.id == task_self
    )


def _celery_countdown(call: ast.Call) -> str:
    countdown = _keywords(call).get("countdown")
    if countdown is None:
        return UNKNOWN  # the task's default_retry_delay / retry_backoff decide
    if _number(countdown) is not None:
        return CONSTANT
    return GROWING if _mentions(countdown, "retries") else UNKNOWN


# --- hand-written retry loops -------------------------------------------------------------------


def _hand_written_retry(module: SemanticModel, loop: ast.AST) -> Retry | None:
    """``for attempt in range(n)`` / ``while`` around a ``try`` whose success leaves the loop."""
    if isinstance(loop, (ast.For, ast.AsyncFor)) and not _is_counting_iter(module, loop.iter):
        return None
    tries = [t for t in _loop_nodes(loop, TRY_TYPES) if _retried_try(loop, t)]
    if not tries:
        return None
    wait, wait_node = _loop_wait(module, loop)
    stop = _loop_stop(module, loop, tries)
    covers = tuple(stmt for t in tries for stmt in t.body)
    handlers = tuple(h for t in tries for h in t.handlers)
    return Retry("loop", loop, covers, wait, stop, wait_node, handlers)


def _is_counting_iter(module: SemanticModel, iterable: ast.AST) -> bool:
    if not isinstance(iterable, ast.Call):
        return False
    if isinstance(iterable.func, ast.Name) and iterable.func.id in BOUNDED_ITERATORS:
        return True
    return module.is_qualname(iterable.func, ENDLESS_ITERATORS)


def _loop_nodes(loop: ast.AST, types: tuple[type, ...]) -> Iterator[ast.AST]:
    """Nodes of ``types`` in the loop's body, not inside nested loops or functions."""
    stack: list[ast.AST] = list(loop.body) + list(getattr(loop, "orelse", ()))
    while stack:
        node = stack.pop()
        if isinstance(node, DEF_TYPES):
            continue
        if isinstance(node, types):
            yield node
        if isinstance(node, LOOP_TYPES):
            continue
        stack.extend(ast.iter_child_nodes(node))


def _exits(statements: list[ast.stmt]) -> bool:
    """An unconditional ``break`` or ``return`` in the block: success leaves the loop. (A
    ``break`` under an ``if`` is a worker loop's shutdown, not a retry's success.)"""
    return any(isinstance(stmt, (ast.Break, ast.Return)) for stmt in statements)


def _handler_gives_up(handler: ast.ExceptHandler) -> bool:
    """The handler always leaves the loop: it ends with raise/return/break and has no
    ``continue`` (``if error.status == 429: sleep(); continue`` retries)."""
    body = handler.body
    if not body or not isinstance(body[-1], (ast.Raise, ast.Return, ast.Break)):
        return False
    return not _has_own(body, ast.Continue)


def _has_own(statements: list[ast.stmt], node_type: type | tuple[type, ...]) -> bool:
    """A ``node_type`` among the statements, not inside nested loops or functions."""
    stack: list[ast.AST] = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, node_type):
            return True
        if isinstance(node, DEF_TYPES + LOOP_TYPES):
            continue
        stack.extend(ast.iter_child_nodes(node))
    return False


def _retried_try(loop: ast.AST, try_node: ast.AST) -> bool:
    """Does the loop run this ``try`` again after a failure and leave after a success?"""
    handlers = try_node.handlers
    if not handlers or all(_handler_gives_up(h) for h in handlers):
        return False
    if _exits(try_node.body) or _exits(try_node.orelse):
        return True
    if _break_follows(loop, try_node):
        return True
    # ``while not sent: try: …; sent = True``
    if isinstance(loop, ast.While):
        stored = {
            n.id
            for stmt in try_node.body
            for n in ast.walk(stmt)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
        }
        tested = {n.id for n in ast.walk(loop.test) if isinstance(n, ast.Name)}
        return bool(stored & tested)
    return False


def _break_follows(loop: ast.AST, try_node: ast.AST) -> bool:
    """``try: … except: continue`` followed by ``break`` in the same block."""
    for block in _blocks(loop):
        if try_node in block:
            after = block[block.index(try_node) + 1 :]
            return any(isinstance(stmt, (ast.Break, ast.Return)) for stmt in after)
    return False


def _blocks(loop: ast.AST) -> Iterator[list[ast.stmt]]:
    stack: list[ast.AST] = [loop]
    while stack:
        node = stack.pop()
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and block and isinstance(block[0], ast.stmt):
                yield block
                stack.extend(s for s in block if not isinstance(s, DEF_TYPES + LOOP_TYPES))
        for handler in getattr(node, "handlers", ()):
            yield handler.body
            stack.extend(handler.body)


def _loop_wait(module: SemanticModel, loop: ast.AST) -> tuple[str, ast.AST | None]:
    sleeps = [
        call
        for call in _loop_nodes(loop, (ast.Call,))
        if is_pause(module, call)
    ]
    if not sleeps:
        hinted = any(_names_a_wait(call) for call in _loop_nodes(loop, (ast.Call,)))
        return (UNKNOWN if hinted else NO_WAIT), None
    varying = _varying_names(loop)
    verdicts = [_sleep_growth(module, call, varying) for call in sleeps]
    if GROWING in verdicts:
        return GROWING, None
    if all(v == CONSTANT for v in verdicts):
        return CONSTANT, sleeps[0]
    return UNKNOWN, None


def _names_a_wait(call: ast.Call) -> bool:
    func = call.func
    name = last_name(func) or ""
    return any(hint in name.lower() for hint in WAIT_HINTS)


def _varying_names(loop: ast.AST) -> set[str]:
    """Names whose value changes from one attempt to the next: the ``for`` target, counters
    (``+=``, ``*=``) and whatever is computed from them inside the loop."""
    varying: set[str] = set()
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        varying |= {n.id for n in ast.walk(loop.target) if isinstance(n, ast.Name)}
    assigns: list[tuple[list[ast.AST], ast.AST]] = []
    for node in _loop_nodes(loop, (ast.AugAssign, ast.Assign, ast.AnnAssign, ast.NamedExpr)):
        if isinstance(node, ast.AugAssign):
            key = dotted_name(node.target)
            if key:
                varying.add(key)
        elif node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assigns.append((targets, node.value))
            own = {key for target in targets if (key := dotted_name(target))}
            if _references(node.value, own):  # delay = min(delay * 2, 60)
                varying |= own

    def step() -> None:  # next = delay * 2 varies when delay does
        for targets, value in assigns:
            if _references(value, varying):
                for target in targets:
                    varying.update(key for sub in ast.walk(target) if (key := dotted_name(sub)))

    propagate(step, varying, rounds=None)
    return varying


def _references(expr: ast.AST, names: set[str]) -> bool:
    return any(
        isinstance(node, (ast.Name, ast.Attribute)) and dotted_name(node) in names
        for node in ast.walk(expr)
    )


def _mentions(expr: ast.AST, fragment: str) -> bool:
    return any(
        fragment in (node.attr if isinstance(node, ast.Attribute) else node.id)
        for node in ast.walk(expr)
        if isinstance(node, (ast.Name, ast.Attribute))
    )


def _sleep_growth(module: SemanticModel, call: ast.Call, varying: set[str]) -> str:
    arg = (
        call.args[0]
        if call.args
        else next((k.value for k in call.keywords if k.arg in ("secs", "seconds", "delay")), None)
    )
    if arg is None:
        return UNKNOWN
    return _expression_growth(module, arg, varying)


def _expression_growth(module: SemanticModel, expr: ast.AST, varying: set[str]) -> str:
    """GROWING if the value depends on the attempt (or is a power), CONSTANT if built from
    literals and unchanging names only, else UNKNOWN."""
    if _references(expr, varying):
        return GROWING
    if any(
        isinstance(n, ast.BinOp) and isinstance(n.op, (ast.Pow, ast.LShift)) for n in ast.walk(expr)
    ):
        return GROWING
    for node in ast.walk(expr):
        if isinstance(node, ast.Call):
            if not module.is_qualname(node.func, CONSTANT_CALLS) and not (
                isinstance(node.func, ast.Name) and node.func.id in CONSTANT_CALLS
            ):
                return UNKNOWN
        elif not isinstance(
            node,
            (
                ast.Constant,
                ast.Name,
                ast.Attribute,
                ast.BinOp,
                ast.UnaryOp,
                ast.Load,
                ast.operator,
                ast.unaryop,
                ast.keyword,
            ),
        ):
            return UNKNOWN
    return CONSTANT


def _loop_stop(module: SemanticModel, loop: ast.AST, tries: list[ast.AST]) -> str:
    if isinstance(loop, (ast.For, ast.AsyncFor)):
        if isinstance(loop.iter, ast.Call) and module.is_qualname(
            loop.iter.func, ENDLESS_ITERATORS
        ):
            return _exit_stop(loop, tries)
        return BOUNDED
    test = loop.test
    if isinstance(test, ast.Constant) and test.value:
        return _exit_stop(loop, tries)
    if any(isinstance(n, ast.Compare) for n in ast.walk(test)):
        return BOUNDED
    counters = {dotted_name(n.target) for n in _loop_nodes(loop, (ast.AugAssign,))}
    if _references(test, {c for c in counters if c}):
        return BOUNDED  # while attempts_left: … attempts_left -= 1
    return _exit_stop(loop, tries)


def _exit_stop(loop: ast.AST, tries: list[ast.AST]) -> str:
    """An endless loop is bounded by a handler that gives up, or an ``if … raise`` outside the
    guarded code."""
    for try_node in tries:
        for handler in try_node.handlers:
            if any(True for _ in own_nodes(handler, ast.Raise, ast.Return, ast.Break)):
                return BOUNDED
    guarded = {id(n) for t in tries for stmt in t.body for n in ast.walk(stmt)}
    for node in _loop_nodes(loop, (ast.If,)):
        if id(node) in guarded:
            continue
        if any(
            isinstance(n, (ast.Raise, ast.Return, ast.Break))
            for s in node.body
            for n in ast.walk(s)
        ):
            return BOUNDED
    return UNBOUNDED


# --- what an ``except`` catches -----------------------------------------------------------------

BARE, BROAD, OTHER = "bare", "broad", "other"


def caught_exceptions(
    module: SemanticModel, handler: ast.ExceptHandler
) -> list[tuple[str, ast.AST]]:
    """(class, node) for each class the handler names: a canonical Twilio exception name,
    ``"broad"`` (Exception/BaseException), ``"bare"`` or ``"other"``."""
    if handler.type is None:
        return [(BARE, handler)]
    elements = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    return [(exception_class(module, element), element) for element in elements]


def exception_class(module: SemanticModel, expr: ast.AST) -> str:
    qualname = module.qualname(expr)
    if qualname is None:
        if isinstance(expr, ast.Name) and expr.id in sdk.BROAD_EXCEPTIONS:
            return BROAD
        return OTHER
    if qualname.startswith("twilio."):
        last = qualname.rsplit(".", 1)[-1]
        current = f"twilio.base.exceptions.{last}"
        if qualname in sdk.LEGACY_EXCEPTIONS:
            return qualname  # a 5.x path: keep it apart from the current classes
        if current in (
            sdk.TWILIO_EXCEPTION,
            sdk.TWILIO_REST_EXCEPTION,
            sdk.TWILIO_SERVICE_EXCEPTION,
        ):
            return current
    if qualname in ("builtins.Exception", "builtins.BaseException"):
        return BROAD
    return OTHER


def catches_twilio_errors(module: SemanticModel, handler: ast.ExceptHandler) -> bool:
    """Bare, broad or a Twilio exception class (any SDK version)."""
    return any(catches_twilio_kind(kind) for kind, _ in caught_exceptions(module, handler))


def catches_twilio_kind(kind: str) -> bool:
    """Does a class of this kind (from ``exception_class``) catch Twilio's errors?"""
    return kind in (BARE, BROAD) or kind in sdk.TWILIO_ERROR_CLASSES


# --- requests under a node ----------------------------------------------------------------------


def request_calls(
    module: SemanticModel, roots: tuple[ast.AST, ...] | list[ast.AST]
) -> list[ast.Call]:
    """Twilio REST request calls under ``roots``, not inside nested functions or lambdas."""
    resources = ResourceFacts.of(module)
    found = []
    for root in roots:
        if isinstance(root, DEF_TYPES):
            continue  # a function defined here runs later, outside the try or retry
        nodes = [root] if isinstance(root, ast.Call) else []
        nodes.extend(own_nodes(root, ast.Call))
        found.extend(call for call in nodes if resources.request_method(call) is not None)
    return found


def describe_request(call: ast.Call) -> str:
    """``messages.create`` for ``client.api.v2010.messages.create_async(...)``: what a message
    names, without the client's path."""
    func = call.func
    if not isinstance(func, ast.Attribute):
        return "the request"
    owner = func.value
    while isinstance(owner, (ast.Call, ast.Subscript)):
        owner = owner.func if isinstance(owner, ast.Call) else owner.value
        if isinstance(owner, ast.Attribute) and owner.attr == "get":
            owner = owner.value  # ``applications.get(sid=…)``: the context getter, not a name
    if isinstance(owner, ast.Attribute):
        return f"{owner.attr}.{func.attr}"
    if isinstance(owner, ast.Name):
        return f"{owner.id}.{func.attr}"
    return func.attr
