"""TwiML builders as the model sees them: response objects, nested verbs and their attributes.

``VoiceResponse()``, ``r.gather(action=…)``, ``with r.gather() as g: g.say(…)``,
``Gather(action=…)`` from ``twilio.twiml.voice_response`` — which expressions are TwiML nodes,
which calls set attributes on them, and which handlers return them. Shared by TWL103 (callback
attributes) and TWL104 (a handler that returns TwiML serves a Twilio webhook).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import binding, own_returns
from twilio_lint.semantic.propagate import propagate
from twilio_lint.semantic.scopes import binds_locally

_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True)
class TwimlAttribute:
    """One attribute given to a TwiML verb: ``r.gather(action=<value>)``."""

    call: ast.Call
    verb: str  # "gather", "Gather", "redirect"…
    attr: str  # the keyword as written ("action", "statusCallback", "url")
    value: ast.expr


def is_twiml_class(module: SemanticModel, func: ast.AST) -> str | None:
    """The class name when ``func`` resolves to a TwiML response or verb class."""
    qualname = module.qualname(func)
    if qualname is None:
        return None
    for prefix in sdk.TWIML_CLASS_MODULES:
        if qualname.startswith(prefix):
            name = qualname[len(prefix):]
            if "." not in name and name[:1].isupper() and not name.endswith("Exception"):
                return name
            return None
    return None


def is_twiml(module: SemanticModel, expr: ast.AST) -> bool:
    """Is ``expr`` a TwiML node: a response/verb constructor, a builder method's result, or a
    name bound to one?"""
    if isinstance(expr, ast.Call):
        if is_twiml_class(module, expr.func):
            return True
        func = expr.func
        return (
            isinstance(func, ast.Attribute)
            and func.attr not in sdk.TWIML_TEXT_METHODS
            and is_twiml(module, func.value)
        )
    if isinstance(expr, ast.Name):
        names = TwimlFacts.of(module).names()
        scope = module.enclosing_scope(expr)
        if (scope, expr.id) in names:
            return True
        return (module.tree, expr.id) in names and not binds_locally(scope, expr.id)
    return False


class TwimlFacts(Facts):
    """Names bound to TwiML nodes in one module: ``TwimlFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self._names: set[tuple[ast.AST, str]] | None = None

    def names(self) -> set[tuple[ast.AST, str]]:
        """(scope, name) of every variable bound to a TwiML node. Shared: don't mutate it."""
        if self._names is not None:
            return self._names
        module = self.module
        # Published before it is filled: ``is_twiml`` reads what is known so far.
        names: set[tuple[ast.AST, str]] = set()
        self._names = names
        bindings = module.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr, ast.withitem)

        def step() -> None:  # r = VoiceResponse(); d = r.dial(); n = d.number(...)
            for node in bindings:
                value, targets = binding(node)
                if value is None or not is_twiml(module, value):
                    continue
                for target in targets:
                    if isinstance(target, ast.Name):
                        names.add((module.enclosing_scope(target), target.id))

        propagate(step, names)
        return names


def uses_twiml(module: SemanticModel) -> bool:
    """Could this module build TwiML at all? (``import twilio`` or a ``twilio.twiml`` import.)"""
    return any(q == "twilio" or q.startswith("twilio.twiml") for q in module.imports.values())


def snake(name: str) -> str:
    """``statusCallback`` → ``status_callback`` (TwiML also accepts camelCase kwargs)."""
    return _CAMEL.sub("_", name).lower()


def twiml_call_verb(module: SemanticModel, call: ast.Call) -> str | None:
    """The verb a call builds: ``Gather`` for ``Gather(...)``, ``gather`` for ``r.gather(...)``."""
    cls = is_twiml_class(module, call.func)
    if cls is not None:
        return cls
    func = call.func
    if isinstance(func, ast.Attribute) and is_twiml(module, func.value):
        return func.attr
    return None


def callback_attributes(module: SemanticModel) -> Iterator[TwimlAttribute]:
    """Attributes of TwiML verbs that make Twilio request a URL (never media URLs)."""
    if not uses_twiml(module):
        return
    for call in module.calls:
        verb = twiml_call_verb(module, call)
        if verb is None:
            continue
        content = verb in sdk.TWIML_CONTENT_VERBS or verb.lower() in sdk.TWIML_CONTENT_VERBS
        for keyword in call.keywords:
            if keyword.arg is None:
                continue
            attr = snake(keyword.arg)
            if attr not in sdk.TWIML_CALLBACK_ATTRS or (content and attr == "url"):
                continue
            yield TwimlAttribute(call, verb, keyword.arg, keyword.value)
        # <Redirect>'s URL is its first positional argument: redirect(url, method=None).
        if verb.lower() == "redirect" and call.args:
            yield TwimlAttribute(call, verb, "url", call.args[0])


def returns_twiml(module: SemanticModel, func: ast.AST, depth: int = 0) -> bool:
    """Does a ``return`` of ``func`` hand back TwiML: a builder, ``str(resp)``, ``resp.to_xml()``,
    ``Response(str(resp), …)``, a literal ``<Response>`` document, or what a module function
    that returns TwiML gives (``return build_reply(body)``)?"""
    if not uses_twiml(module) and "<Response" not in module.source:
        return False
    for node in own_returns(func):
        if node.value is None:
            continue
        for child in ast.walk(node.value):
            if isinstance(child, (ast.Name, ast.Call)) and is_twiml(module, child):
                return True
            if depth < 2 and isinstance(child, ast.Call) and isinstance(child.func, ast.Name):
                helper = _module_function(module, child.func.id)
                if helper not in (None, func) and returns_twiml(module, helper, depth + 1):
                    return True
            if (
                isinstance(child, ast.Constant)
                and isinstance(child.value, str)
                and "<Response" in child.value
            ):
                return True
    return False


def _module_function(module: SemanticModel, name: str) -> ast.AST | None:
    for node in module.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return node
    return None

