"""The Django settings of a project, as far as middleware goes: which classes ``MIDDLEWARE``
lists. Found through ``manage.py``'s ``DJANGO_SETTINGS_MODULE`` or a ``settings.py`` beside
the module or above it; parsed, never imported."""

from __future__ import annotations

import ast
import os
from pathlib import Path

from twilio_lint.facts.module import FileMemo, module_files, read_module
from twilio_lint.semantic.model import SemanticModel

SEARCH_LEVELS = 4
MAX_SETTINGS_BYTES = 1_000_000
MIDDLEWARE_NAMES = frozenset({"MIDDLEWARE", "MIDDLEWARE_CLASSES"})
#: ``from .base import *`` chains followed from the settings module.
MAX_STAR_IMPORTS = 3

#: A settings file's MIDDLEWARE (dotted paths), shared by a run's modules.
_MIDDLEWARE = FileMemo()


def listed_middleware(module: SemanticModel) -> list[tuple[str, str]]:
    """``(settings file, "app.middleware.TwilioSignatureMiddleware")`` for each middleware the
    project's settings list."""
    if module.project is None or module.path.startswith("<"):
        return []
    from twilio_lint.cache import record_dependency

    found: list[tuple[str, str]] = []
    for path in _settings_files(Path(os.path.abspath(module.path)).parent):
        record_dependency(path)  # a cached result must go when the settings change
        found.extend((path, dotted) for dotted in _middleware_of(module, path))
    return found


def _settings_files(directory: Path) -> list[str]:
    files: list[str] = []
    for _ in range(SEARCH_LEVELS):
        for candidate in (directory / "settings.py", directory / "settings" / "__init__.py"):
            if candidate.is_file():
                files.append(str(candidate))
        manage = directory / "manage.py"
        if manage.is_file():
            files.extend(_from_manage_py(manage))
            break
        if directory.parent == directory:
            break
        directory = directory.parent
    return list(dict.fromkeys(files))


def _from_manage_py(manage: Path) -> list[str]:
    """The file of ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")``."""
    model = read_module(str(manage), MAX_SETTINGS_BYTES)
    if model is None:
        return []
    for call in model.calls:
        args = call.args
        if len(args) == 2 and model.string_value(args[0]) == "DJANGO_SETTINGS_MODULE":
            dotted = model.string_value(args[1])
            if dotted:
                return _module_files(manage.parent, dotted)
    return []


def _module_files(base: Path, dotted: str) -> list[str]:
    return module_files(base, dotted.split("."))


def _middleware_of(module: SemanticModel, path: str) -> list[str]:
    return _MIDDLEWARE.get(path, lambda where: _read_middleware(where, MAX_STAR_IMPORTS), [])


def _read_middleware(path: str, star_imports: int) -> list[str]:
    model = read_module(path, MAX_SETTINGS_BYTES)
    if model is None:
        return []
    found: list[str] = []
    for node in model.tree.body:
        if isinstance(node, ast.ImportFrom) and node.level and star_imports > 0:
            if any(alias.name == "*" for alias in node.names) and node.module:
                base = Path(path).parent
                for _ in range(node.level - 1):
                    base = base.parent
                for file in _module_files(base, node.module):
                    found.extend(_read_middleware(file, star_imports - 1))
        found.extend(_listed(model, node))
    return found


def _listed(model: SemanticModel, node: ast.stmt) -> list[str]:
    """``MIDDLEWARE = [...]``, ``MIDDLEWARE += [...]``, ``MIDDLEWARE.insert(0, "…")``."""
    values: list[ast.expr] = []
    if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if node.value is not None and any(
            isinstance(t, ast.Name) and t.id in MIDDLEWARE_NAMES for t in targets
        ):
            values = [node.value]
    elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
        func = node.value.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in MIDDLEWARE_NAMES
        ):
            values = list(node.value.args)
    strings: list[str] = []
    for value in values:
        for child in ast.walk(value):
            text = model.string_value(child, follow_constants=False)
            if text and "." in text and isinstance(child, ast.Constant):
                strings.append(text)
    return strings
