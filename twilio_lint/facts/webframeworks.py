"""Web-framework route handlers, as far as one module (and its Django ``urls.py``) shows them.

Flask/Quart (``@app.route``, ``@bp.post``, ``add_url_rule``, ``MethodView``), FastAPI
(``@app.post``, ``@router.api_route``, ``add_api_route``), Starlette (``Route(...)``,
``@app.route``) and Django (views named in a ``urls.py`` next to the module or above it, or
decorated with ``csrf_exempt``/``require_POST``/``api_view``; function and class-based). Also
what a handler reads from the request (``request.form["CallSid"]``, FastAPI ``Form(...)``
parameters). Nothing is imported or executed: ``urls.py`` is parsed like any other file.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from twilio_lint.facts.module import (
    PROJECT_MARKERS,
    FileMemo,
    has_marker,
    import_prefixes,
    is_file_probed,
    may_resolve_to,
    read_module,
)
from twilio_lint.semantic.model import Facts, SemanticModel
from twilio_lint.semantic.nodes import POSITION_ATTRS, FunctionNode
from twilio_lint.semantic.propagate import propagate

#: ``@<router>.<attr>(...)`` registers a route (Flask 2 / FastAPI / Starlette / Quart).
ROUTE_DECORATOR_ATTRS = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "api_route", "options", "head"}
)
#: Django decorators that mark a function (or ``dispatch``) as a view that takes POSTs.
DJANGO_VIEW_DECORATORS = frozenset(
    {
        "django.views.decorators.csrf.csrf_exempt",
        "django.views.decorators.http.require_POST",
        "django.views.decorators.http.require_http_methods",
        "django.views.decorators.http.require_safe",
        "django.views.decorators.http.require_GET",
        "rest_framework.decorators.api_view",
        "django_twilio.decorators.twilio_view",
    }
)
DJANGO_URL_FUNCS = frozenset(
    {"django.urls.path", "django.urls.re_path", "django.conf.urls.url", "django.urls.conf.path"}
)
STARLETTE_ROUTES = frozenset({"starlette.routing.Route", "fastapi.routing.APIRoute"})
_ROUTE_CLASS_REACH = import_prefixes(STARLETTE_ROUTES)
#: Methods that register a view: ``add_url_rule``, ``add_resource``, ``add_api_route``…
REGISTERING_METHODS = frozenset({"add_url_rule", "add_resource", "add_api_route", "add_route"})
#: Methods of a class-based view that handle a request.
HTTP_METHOD_NAMES = frozenset({"get", "post", "put", "patch", "delete", "dispatch", "head"})
#: ``request.<attr>`` holding submitted parameters (Flask, Django, DRF, Starlette).
FORM_ATTRS = frozenset({"form", "values", "POST", "GET", "args", "data", "query_params"})
#: Calls on a form object that keep it a form: ``request.form.to_dict()``.
FORM_COPY_METHODS = frozenset({"to_dict", "dict", "copy"})
FORM_GET_METHODS = frozenset({"get", "getlist", "getall", "getone", "pop"})
FASTAPI_FORM = frozenset({"fastapi.Form", "fastapi.params.Form"})
URLS_SEARCH_LEVELS = 3
ROOT_MARKERS = (*PROJECT_MARKERS, "manage.py")

#: Parsed ``urls.py`` files, shared by every module of a run that looks for its Django routes
#: (not a per-module fact).
_URLS_MODELS = FileMemo()


@dataclass
class RouteHandler:
    """A function that serves a route, and what registers or wraps it."""

    func: FunctionNode
    framework: str
    cls: ast.ClassDef | None = None
    #: ``@app.route(...)`` decorator calls / registering calls, whose receiver is the router.
    registrations: list[ast.expr] = field(default_factory=list)
    #: Wrappers applied outside the module: ``twilio_view(views.sms)`` in ``urls.py``, with the
    #: model that resolves their names.
    wrappers: list[tuple[SemanticModel, ast.expr]] = field(default_factory=list)


class RouteFacts(Facts):
    """The route handlers of one module: ``RouteFacts.of(module)``."""

    def __init__(self, module: SemanticModel) -> None:
        super().__init__(module)
        self._handlers: list[RouteHandler] | None = None

    def handlers(self) -> list[RouteHandler]:
        """Every route handler (one entry per function), in source order. Shared: don't
        mutate it."""
        if self._handlers is None:
            self._handlers = _discover(self.module)
        return self._handlers


def route_handlers(module: SemanticModel) -> list[RouteHandler]:
    """Every route handler of ``module`` (one entry per function), in source order."""
    return RouteFacts.of(module).handlers()


def _discover(module: SemanticModel) -> list[RouteHandler]:
    found: dict[ast.AST, RouteHandler] = {}

    def add(func: FunctionNode, framework: str, cls: ast.ClassDef | None = None) -> RouteHandler:
        if func not in found:
            found[func] = RouteHandler(func, framework, cls)
        return found[func]

    for func in _decorated(module, ast.FunctionDef, ast.AsyncFunctionDef):
        for decorator in func.decorator_list:
            if _is_route_decorator(decorator):
                add(func, framework_of(module)).registrations.append(decorator)
            elif _is_django_view_decorator(module, decorator) or _is_class_view_decorator(
                module, decorator
            ):
                cls = module.enclosing_class(func)
                if cls is not None and func.name == "dispatch":
                    for method in class_handlers(cls):
                        add(method, "django", cls)
                elif cls is None:
                    add(func, "django")
    for cls in _decorated(module, ast.ClassDef):
        if any(_is_class_view_decorator(module, d) for d in cls.decorator_list):
            for method in class_handlers(cls):
                add(method, "django", cls)
    for call in _maybe_registering(module):
        view, framework = _registered_view(module, call)
        if view is not None:
            for func, cls, wrappers in _view_targets(module, view):
                handler = add(func, framework, cls)
                handler.registrations.append(call)
                handler.wrappers.extend((module, w) for w in wrappers)
    if _imports(module, "django"):
        for name, wrappers, urls in _django_url_views(module):
            for func, cls, _ in _local_targets(module, name):
                add(func, "django", cls).wrappers.extend((urls, w) for w in wrappers)
    return sorted(found.values(), key=lambda h: (h.func.lineno, h.func.col_offset))


def framework_of(module: SemanticModel) -> str:
    for framework in ("fastapi", "starlette", "quart", "flask", "django"):
        if _imports(module, framework):
            return framework
    return "web"


def _imports(module: SemanticModel, package: str) -> bool:
    return any(q == package or q.startswith(package) for q in module.imports.values())


def _is_route_decorator(decorator: ast.expr) -> bool:
    return (
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_DECORATOR_ATTRS
        and isinstance(decorator.func.value, (ast.Name, ast.Attribute))
        and (decorator.args or decorator.keywords) != []
    )


def _is_django_view_decorator(module: SemanticModel, decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return module.is_qualname(target, DJANGO_VIEW_DECORATORS)


def _is_class_view_decorator(module: SemanticModel, decorator: ast.expr) -> bool:
    """``@method_decorator(csrf_exempt, name="dispatch")`` on a class-based view."""
    if not isinstance(decorator, ast.Call):
        return False
    if not module.is_qualname(decorator.func, "django.utils.decorators.method_decorator"):
        return False
    return any(_is_django_view_decorator(module, arg) for arg in _decorator_args(decorator))


def _decorator_args(call: ast.Call) -> Iterator[ast.expr]:
    for arg in call.args:
        if isinstance(arg, (ast.List, ast.Tuple)):
            yield from arg.elts
        else:
            yield arg


def class_handlers(cls: ast.ClassDef) -> list[FunctionNode]:
    return [
        node
        for node in cls.body
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.name in HTTP_METHOD_NAMES
        and node.name != "dispatch"
    ]


def _maybe_registering(module: SemanticModel) -> list[ast.Call]:
    """The calls ``_registered_view`` may accept: a registering method's name, or (when the
    module imports from Starlette or FastAPI, where route classes come from) any call."""
    if may_resolve_to(module, _ROUTE_CLASS_REACH):
        return module.calls
    found = [
        call
        for call in module.unordered(ast.Call)
        if isinstance(call.func, ast.Attribute) and call.func.attr in REGISTERING_METHODS
    ]
    found.sort(key=POSITION_ATTRS)  # the order of module.calls, without sorting them all
    return found


def _decorated(module: SemanticModel, *kinds: type) -> list:
    """The definitions of ``kinds`` that have decorators, in the order of
    ``module.nodes(*kinds)`` (without sorting every definition of the module)."""
    found = [node for kind in kinds for node in module.unordered(kind) if node.decorator_list]
    found.sort(key=POSITION_ATTRS)
    return found


def _registered_view(module: SemanticModel, call: ast.Call) -> tuple[ast.expr | None, str]:
    """The view a registering call names: ``add_url_rule(rule, endpoint, view_func)``,
    ``add_api_route(path, endpoint)``, ``Route(path, endpoint)``."""
    func = call.func
    if isinstance(func, ast.Attribute) and func.attr == "add_url_rule":
        return _argument(call, 2, "view_func"), "flask"
    if isinstance(func, ast.Attribute) and func.attr == "add_resource":  # Flask-RESTful
        return _argument(call, 0, "resource"), "flask"
    if isinstance(func, ast.Attribute) and func.attr in ("add_api_route", "add_route"):
        return _argument(call, 1, "endpoint"), framework_of(module)
    if module.is_qualname(func, STARLETTE_ROUTES):
        return _argument(call, 1, "endpoint"), "starlette"
    return None, ""


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    return call.args[position] if len(call.args) > position else None


def unwrap_view(view: ast.expr) -> tuple[ast.expr, bool, list[ast.expr]]:
    """``csrf_exempt(SmsView.as_view())`` → (``SmsView``, is_class, [``csrf_exempt``])."""
    wrappers: list[ast.expr] = []
    while isinstance(view, ast.Call):
        if isinstance(view.func, ast.Attribute) and view.func.attr == "as_view":
            return view.func.value, True, wrappers
        if len(view.args) != 1:
            break
        wrappers.append(view.func)
        view = view.args[0]
    return view, False, wrappers


def _view_targets(
    module: SemanticModel, view: ast.expr
) -> Iterator[tuple[FunctionNode, ast.ClassDef | None, list[ast.expr]]]:
    ref, _, wrappers = unwrap_view(view)
    if isinstance(ref, ast.Name):
        for func, cls, _ in _local_targets(module, ref.id):
            yield func, cls, wrappers


def _local_targets(
    module: SemanticModel, name: str
) -> Iterator[tuple[FunctionNode, ast.ClassDef | None, None]]:
    """The module-level function or class-based view called ``name``."""
    for node in module.tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            yield node, None, None
        elif isinstance(node, ast.ClassDef) and node.name == name:
            for method in class_handlers(node):
                yield method, node, None


# --- Django urls.py -----------------------------------------------------------------------------


def _django_url_views(module: SemanticModel) -> Iterator[tuple[str, list[ast.expr], SemanticModel]]:
    """Names of this module's functions/classes that a nearby ``urls.py`` routes to."""
    if module.project is None or module.path.startswith("<"):
        return
    from twilio_lint.cache import record_dependency

    me = os.path.realpath(module.path)
    for urls_path in _urls_files(module.path):
        record_dependency(urls_path)  # a cached result must go when urls.py changes
        urls = module if os.path.realpath(urls_path) == me else _urls_model(module, urls_path)
        if urls is None:
            continue
        for call in urls.calls:
            if not urls.is_qualname(call.func, DJANGO_URL_FUNCS):
                continue
            view = _argument(call, 1, "view")
            if view is None:
                continue
            ref, _, wrappers = unwrap_view(view)
            name = _name_in_module(module, urls, ref, me)
            if name is not None:
                yield name, wrappers, urls


def _urls_files(path: str) -> Iterator[str]:
    directory = Path(os.path.abspath(path)).parent
    for _ in range(URLS_SEARCH_LEVELS):
        candidate = directory / "urls.py"
        if is_file_probed(candidate):
            yield str(candidate)
        if has_marker(directory, ROOT_MARKERS):
            return
        if directory.parent == directory:
            return
        directory = directory.parent


def _urls_model(module: SemanticModel, path: str) -> SemanticModel | None:
    # Parsed with the asking module's options and project index (per-folder settings may
    # differ); the model keeps both alive, so their ids cannot be reused while it is kept.
    context = (id(module.options), id(module.project))
    return _URLS_MODELS.get(path, lambda where: _parse(module, where), None, context)


def _parse(module: SemanticModel, path: str) -> SemanticModel | None:
    return read_module(path, 1_000_000, module.options, module.project)


def _name_in_module(
    module: SemanticModel, urls: SemanticModel, ref: ast.expr, real_path: str
) -> str | None:
    """For ``views.sms`` in urls.py, ``sms`` when ``views`` is ``module``'s file."""
    if urls is module:
        return ref.id if isinstance(ref, ast.Name) else None
    qualname = urls.qualname(ref)
    if qualname is None or module.project is None:
        return None
    dots = len(qualname) - len(qualname.lstrip("."))
    parts = qualname[dots:].split(".")
    for cut in range(len(parts) - 1, 0, -1):
        name = "." * dots + ".".join(parts[:cut])
        found = module.project.resolve_module(name, urls.path)
        if found is not None and os.path.realpath(found) == real_path:
            return parts[cut]
    return None


# --- What a handler reads from the request -------------------------------------------------------


def request_params_read(module: SemanticModel, func: FunctionNode) -> set[str]:
    """Submitted parameter names the handler reads: ``request.form["Body"]``,
    ``request.POST.get("CallSid")``, ``form = await request.form(); form["From"]``, FastAPI
    ``Body: str = Form(...)`` / ``from_: str = Form(alias="From")``."""
    names = _form_params(module, func)
    aliases = _form_aliases(func)
    for node in ast.walk(func):
        key: ast.AST | None = None
        if isinstance(node, ast.Subscript) and _is_form(node.value, aliases):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FORM_GET_METHODS
            and _is_form(node.func.value, aliases)
        ):
            key = node.args[0] if node.args else _keyword(node, "key")
        elif (
            isinstance(node, ast.Compare)
            and any(isinstance(op, ast.In) for op in node.ops)
            and any(_is_form(c, aliases) for c in node.comparators)
        ):
            key = node.left  # "CallSid" in request.form
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _is_form(expr: ast.AST, aliases: set[str]) -> bool:
    if isinstance(expr, ast.Await):
        expr = expr.value
    if isinstance(expr, ast.Call):
        func = expr.func
        if isinstance(func, ast.Attribute) and func.attr in FORM_COPY_METHODS:
            return _is_form(func.value, aliases)
        if isinstance(func, ast.Attribute) and func.attr == "form":  # await request.form()
            return isinstance(func.value, (ast.Name, ast.Attribute))
        if isinstance(func, ast.Name) and func.id == "dict" and len(expr.args) == 1:
            return _is_form(expr.args[0], aliases)
        return False
    if isinstance(expr, ast.Attribute):
        return expr.attr in FORM_ATTRS and isinstance(expr.value, (ast.Name, ast.Attribute))
    return isinstance(expr, ast.Name) and expr.id in aliases


def _form_aliases(func: FunctionNode) -> set[str]:
    """Local names bound to the submitted form: ``form = request.form``."""
    aliases: set[str] = set()
    assigns = [n for n in ast.walk(func) if isinstance(n, ast.Assign) and len(n.targets) == 1]

    def step() -> None:  # form = request.form; data = form.to_dict()
        for node in assigns:
            target = node.targets[0]
            if isinstance(target, ast.Name) and _is_form(node.value, aliases):
                aliases.add(target.id)

    propagate(step, aliases, rounds=2)
    return aliases


def _form_params(module: SemanticModel, func: FunctionNode) -> set[str]:
    """FastAPI ``Form(...)`` parameters, by alias or name."""
    names: set[str] = set()
    args = func.args
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    pairs = list(zip(positional, defaults + list(args.defaults)))
    pairs += list(zip(args.kwonlyargs, args.kw_defaults))
    for arg, default in pairs:
        form = _form_call(module, default) or _annotated_form(module, arg.annotation)
        if form is None:
            continue
        alias = _keyword(form, "alias")
        if isinstance(alias, ast.Constant) and isinstance(alias.value, str):
            names.add(alias.value)
        else:
            names.add(arg.arg)
    return names


def _form_call(module: SemanticModel, expr: ast.AST | None) -> ast.Call | None:
    if isinstance(expr, ast.Call) and module.is_qualname(expr.func, FASTAPI_FORM):
        return expr
    return None


def _annotated_form(module: SemanticModel, annotation: ast.AST | None) -> ast.Call | None:
    """``Annotated[str, Form()]``."""
    if not isinstance(annotation, ast.Subscript) or not isinstance(annotation.slice, ast.Tuple):
        return None
    for element in annotation.slice.elts[1:]:
        form = _form_call(module, element)
        if form is not None:
            return form
    return None
