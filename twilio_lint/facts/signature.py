"""Webhook signature validation: the one definition of "this validates X-Twilio-Signature".

``SignatureFacts.validator_names()`` says which functions and classes of a module validate the
signature (decorators, helpers, middleware, dependencies); TWL104 asks it of the module it
checks, and the project index asks it of the modules a route imports its decorators from, so
a validator counts the same wherever it is defined. ``handler_validated`` and
``hooks_validate_every_route`` say whether a route handler is covered by one.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import (
    FunctionNode,
    binding,
    calls_any_of,
    dotted_name,
    refers_to_any_of,
)
from twilio_lint.semantic.propagate import propagate

if TYPE_CHECKING:
    from twilio_lint.facts.webframeworks import RouteHandler

#: The option (TWL104's) naming a project's own validating decorators and dependencies.
VALIDATION_DECORATORS_OPTION = "validation-decorators"
#: Decorators whose receiver-level registration validates every route of the module.
HOOK_DECORATOR_ATTRS = frozenset({"before_request", "before_app_request", "middleware"})
HOOK_REGISTRATION_ATTRS = frozenset({"before_request", "before_app_request", "add_middleware"})
APP_CLASSES = frozenset({"fastapi.FastAPI", "starlette.applications.Starlette"})
#: Class-level lists of decorators (Flask) or DRF permission classes applied to every method
#: of a class-based view.
CLASS_DECORATOR_LISTS = ("decorators", "method_decorators", "permission_classes")


def reads_signature_header(node: ast.AST) -> bool:
    """A hand-rolled check reads the header too: ``request.headers["X-Twilio-Signature"]``.
    When unsure, reading it at all counts as validating."""
    for child in ast.walk(node):
        if isinstance(child, ast.Constant) and isinstance(child.value, str):
            if child.value.lower() in sdk.SIGNATURE_HEADER_SPELLINGS:
                return True
        elif isinstance(child, ast.Attribute) and child.attr == "SIGNATURE_HEADER":
            return True
    return False


class SignatureFacts(Facts):
    """Signature validation in one module: ``SignatureFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self._request_validators: set[str] | None = None
        self._validators: set[str] | None = None
        self._defined: set[str] | None = None

    # --- RequestValidator ---------------------------------------------------------------------

    def is_request_validator(self, expr: ast.AST) -> bool:
        """``RequestValidator(...)`` or a name/attribute bound to one anywhere in the module."""
        if isinstance(expr, ast.Call):
            return self.module.is_qualname(expr.func, sdk.REQUEST_VALIDATOR_CLASSES)
        key = dotted_name(expr)
        return key is not None and key in self._request_validator_names()

    def _request_validator_names(self) -> set[str]:
        if self._request_validators is None:
            names: set[str] = set()
            for node in self.module.nodes(ast.Assign, ast.AnnAssign):
                value, targets = binding(node)
                if isinstance(value, ast.Call) and self.module.is_qualname(
                    value.func, sdk.REQUEST_VALIDATOR_CLASSES
                ):
                    names.update(k for t in targets if (k := dotted_name(t)) is not None)
            self._request_validators = names
        return self._request_validators

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

    # --- the validators of this module ----------------------------------------------------------

    def validator_names(self) -> set[str]:
        """Functions and classes of this module that validate the signature: the one definition,
        for the module's own routes (TWL104) and for modules that import them (the project
        index). Shared: don't mutate it.

        A function or class validates when it calls ``RequestValidator(...).validate(...)``,
        reads the ``X-Twilio-Signature`` header, or calls, depends on (``Depends(check)``),
        is decorated by or inherits from a validator: one of this module (helper → decorator
        → middleware/dependency chains), django-twilio's ``twilio_view``, one named in the
        ``validation-decorators`` option, or one the project index finds in an imported
        project module.
        """
        if self._validators is None:
            self._validators = self._find_validators()
        return self._validators

    def _find_validators(self) -> set[str]:
        defs = self.module.nodes(ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        names = {node.name for node in defs if self.validates_signature(node)}
        # helper → decorator → middleware, by plain calls first
        propagate(
            lambda: names.update(node.name for node in defs if calls_any_of(node, names)), names
        )
        names.update(node.name for node in defs if reads_signature_header(node))

        def step() -> None:  # then any use: decorators, bases, dependencies, chains of them
            for node in defs:
                if node.name not in names and self.uses_validator(node, names):
                    names.add(node.name)

        propagate(step, names)
        return names

    def uses_validator(self, node: ast.AST, names: set[str] | None = None) -> bool:
        """Does ``node`` call, depend on or get decorated by a validator?"""
        names = self.validator_names() if names is None else names
        for child in ast.walk(node):
            if isinstance(child, ast.Call) and self.is_validator_ref(child, names):
                return True  # validate(...), self._check(...), Depends(verify)
            refs: list[ast.expr] = []
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                refs.extend(child.decorator_list)
            if isinstance(child, ast.ClassDef):
                refs.extend(child.bases)
            if any(self.is_validator_ref(ref, names) for ref in refs):
                return True
        return False

    def is_validator_ref(self, expr: ast.AST, names: set[str] | None = None) -> bool:
        """``validate_twilio``, ``self._check_signature``, ``decorators.twilio_required``,
        ``twilio_view``, ``Depends(verify)``, ``method_decorator(twilio_view, …)``, a name from
        the ``validation-decorators`` option — or a call building one: ``validate(token)``."""
        names = self.validator_names() if names is None else names
        if isinstance(expr, ast.Call):
            if self.is_validator_ref(expr.func, names):
                return True
            # Depends(verify), method_decorator(twilio_view, name="dispatch"), Security(verify)
            return any(self.is_validator_ref(arg, names) for arg in _call_refs(expr))
        return refers_to_any_of(expr, names) or self._known_validator(expr)

    def _known_validator(self, expr: ast.AST) -> bool:
        """A validator defined elsewhere: django-twilio, the option, or a project module."""
        dotted = dotted_name(expr)
        if dotted is None:
            return False
        module = self.module
        qualname = module.qualname(expr)
        configured = set(module.options.get(VALIDATION_DECORATORS_OPTION, ()))
        if configured & {dotted, dotted.rsplit(".", 1)[-1], qualname or ""}:
            return True
        if qualname is None:
            # undefined here: a snippet, or a module not scanned (``from x import *``)
            return (
                isinstance(expr, ast.Name)
                and sdk.names_twilio_validator(expr.id)
                and expr.id not in self._defined_names()
            )
        if qualname in sdk.VALIDATING_DECORATORS:
            return True
        project = module.project
        if project is not None and project.can_read(qualname, module.path):
            return project.is_signature_validator(qualname, module.path)
        # third-party, or a project file the index cannot read: trust what the name says
        return sdk.names_twilio_validator(qualname.rsplit(".", 1)[-1])

    def _defined_names(self) -> set[str]:
        """Names the module binds at its top level: its functions, classes and globals."""
        if self._defined is None:
            defined: set[str] = set()
            for node in self.module.tree.body:
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    defined.add(node.name)
                else:
                    defined.update(
                        child.id
                        for child in ast.walk(node)
                        if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store)
                    )
            self._defined = defined
        return self._defined

    def _any_validator(self, value: ast.expr) -> bool:
        elements: Iterable[ast.expr] = (
            value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]
        )
        return any(self.is_validator_ref(element) for element in elements)

    # --- is a route covered? --------------------------------------------------------------------

    def hooks_validate_every_route(self) -> bool:
        """A ``before_request`` hook, HTTP middleware or app-wide dependency of this module, or
        a validating middleware the project's Django settings list."""
        module = self.module
        if self._settings_middleware_validates():
            return True
        for func in module.nodes(ast.FunctionDef, ast.AsyncFunctionDef):
            hooked = any(_hook_decorator(d) for d in func.decorator_list)
            if hooked and func.name in self.validator_names():
                return True
        for call in module.calls:
            func = call.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in HOOK_REGISTRATION_ATTRS
                and any(self.is_validator_ref(arg) for arg in call.args)
            ):
                return True
            if module.is_qualname(call.func, APP_CLASSES):  # app-wide, unlike an APIRouter's
                for keyword in call.keywords:
                    if keyword.arg in ("dependencies", "middleware") and self._any_validator(
                        keyword.value
                    ):
                        return True
        return False

    def _settings_middleware_validates(self) -> bool:
        module = self.module
        project = module.project
        if project is None or not any(q.startswith("django") for q in module.imports.values()):
            return False
        from twilio_lint.facts.django_settings import listed_middleware

        for settings_path, dotted in listed_middleware(module):
            if project.can_read(dotted, settings_path):
                if project.is_signature_validator(dotted, settings_path):
                    return True
            elif sdk.names_twilio_validator(dotted.rsplit(".", 1)[-1]):
                return True
        return False

    def handler_validated(self, handler: RouteHandler) -> bool:
        """Is the signature checked for requests to ``handler``: in its body, by a decorator,
        a dependency, its registration, a wrapper in ``urls.py`` or its class-based view?"""
        func = handler.func
        names = self.validator_names()
        if func.name in names and handler.cls is None:
            return True  # validates in its body, or through a validating helper/decorator
        if self.uses_validator(func, names) or reads_signature_header(func):
            return True
        if any(self.is_validator_ref(d) for d in func.decorator_list):
            return True
        if self._defaults_validate(func):
            return True
        for registration in handler.registrations:
            if isinstance(registration, ast.Call) and self._registration_validates(registration):
                return True
        for context, wrapper in handler.wrappers:
            if SignatureFacts.of(context).is_validator_ref(wrapper):
                return True
        return handler.cls is not None and self._class_validates(handler.cls, names)

    def _defaults_validate(self, func: FunctionNode) -> bool:
        """FastAPI ``sig: None = Depends(verify_twilio)`` / ``Annotated[..., Depends(...)]``."""
        args = func.args
        defaults = list(args.defaults) + [d for d in args.kw_defaults if d is not None]
        annotations = [a.annotation for a in args.posonlyargs + args.args + args.kwonlyargs]
        for expr in defaults + [a for a in annotations if a is not None]:
            for child in ast.walk(expr):
                if isinstance(child, ast.Call) and self.is_validator_ref(child):
                    return True
        return False

    def _registration_validates(self, call: ast.Call) -> bool:
        """``@router.post("/sms", dependencies=[Depends(verify)])`` or a router built with one."""
        module = self.module
        for keyword in call.keywords:
            if keyword.arg == "dependencies" and self._any_validator(keyword.value):
                return True
        if isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name):
            router = module.module_constant(call.func.value.id)
            if isinstance(router, ast.Call) and _is_app_constructor(module, router):
                for keyword in router.keywords:
                    if keyword.arg == "dependencies" and self._any_validator(keyword.value):
                        return True
        return False

    def _class_validates(self, cls: ast.ClassDef, names: set[str]) -> bool:
        """A class-based view that validates in ``dispatch``/a mixin/``decorators = [...]``."""
        if cls.name in names or reads_signature_header(cls):
            return True
        if any(self.is_validator_ref(d) for d in cls.decorator_list):
            return True
        if any(self.is_validator_ref(base) for base in cls.bases):
            return True
        for node in cls.body:
            if (
                isinstance(node, ast.Assign)
                and any(
                    isinstance(t, ast.Name) and t.id in CLASS_DECORATOR_LISTS
                    for t in node.targets
                )
                and self._any_validator(node.value)
            ):
                return True
        return False


def _call_refs(call: ast.Call) -> Iterator[ast.expr]:
    for arg in call.args:
        if isinstance(arg, (ast.List, ast.Tuple)):
            yield from arg.elts
        elif isinstance(arg, (ast.Name, ast.Attribute)):
            yield arg
    for keyword in call.keywords:
        if keyword.arg in ("dependency", "dependencies", "decorators"):
            value = keyword.value
            yield from value.elts if isinstance(value, (ast.List, ast.Tuple)) else [value]


def _hook_decorator(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(target, ast.Attribute) and target.attr in HOOK_DECORATOR_ATTRS


def _is_app_constructor(module: SemanticModel, call: ast.Call) -> bool:
    return module.is_qualname(call.func, APP_CLASSES | {"fastapi.APIRouter"})
