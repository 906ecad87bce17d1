"""The Django settings of a project, as far as middleware goes: which classes ``MIDDLEWARE``
lists. Found through ``manage.py``'s ``DJANGO_SETTINGS_MODULE`` or a ``settings.py`` beside
the module or above it; parsed, never imported."""

from __future__ import annotations

import ast
import os
from pathlib import Path
from typing import Any

from twilio_lint.facts.module import (
    FileMemo,
    is_file_probed,
    module_files,
    read_module,
    relative_base,
)
from twilio_lint.semantic.model import SemanticModel

SEARCH_LEVELS = 4
MAX_SETTINGS_BYTES = 1_000_000
MIDDLEWARE_NAMES = frozenset({"MIDDLEWARE", "MIDDLEWARE_CLASSES"})
#: ``from .base import *`` chains followed from the settings module.
MAX_STAR_IMPORTS = 3

#: Per settings file, in order: the modules it star-imports and the middleware it lists;
#: per manage.py, the settings module it names. Each memo is per file version and holds only
#: what the file says: the module files are looked for on every call, so every file read or
#: looked for is a dependency of each result (a cached result goes when any of them changes,
#: or when one looked for and missing appears).
_SETTINGS = FileMemo()
_MANAGE = FileMemo()
_IMPORT, _LISTED = "import", "listed"


def listed_middleware(module: SemanticModel) -> list[tuple[str, str]]:
    """``(settings file, "app.middleware.TwilioSignatureMiddleware")`` for each middleware the
    project's settings list."""
    if module.project is None or module.path.startswith("<"):
        return []
    found: list[tuple[str, str]] = []
    for path in _settings_files(Path(os.path.abspath(module.path)).parent):
        found.extend((path, dotted) for dotted in _middleware_of(path, MAX_STAR_IMPORTS))
    return found


def _settings_files(directory: Path) -> list[str]:
    files: list[str] = []
    for _ in range(SEARCH_LEVELS):
        for candidate in (directory / "settings.py", directory / "settings" / "__init__.py"):
            if is_file_probed(candidate):
                files.append(str(candidate))
        manage = directory / "manage.py"
        if is_file_probed(manage):
            _depends_on(str(manage))
            dotted = _MANAGE.get(str(manage), _settings_module_named, None)
            if dotted:
                files.extend(module_files(directory, dotted.split(".")))
            break
        if directory.parent == directory:
            break
        directory = directory.parent
    return list(dict.fromkeys(files))


def _depends_on(path: str) -> None:
    from twilio_lint.cache import record_dependency

    record_dependency(path)  # a cached result must go when this file changes


def _settings_module_named(manage: str) -> str | None:
    """The module of ``os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")``."""
    model = read_module(manage, MAX_SETTINGS_BYTES)
    if model is None:
        return None
    for call in model.calls:
        args = call.args
        if len(args) == 2 and model.string_value(args[0]) == "DJANGO_SETTINGS_MODULE":
            dotted = model.string_value(args[1])
            if dotted:
                return dotted
    return None


def _middleware_of(path: str, star_imports: int) -> list[str]:
    _depends_on(path)
    found: list[str] = []
    for kind, value in _SETTINGS.get(path, _read_settings, []):
        if kind == _LISTED:
            found.append(value)
        elif star_imports > 0:
            folder, level, parts = value
            base = relative_base(Path(folder), level)  # looked up on every call: recorded
            for file in module_files(base, list(parts)) if base is not None else ():
                found.extend(_middleware_of(file, star_imports - 1))
    return found


def _read_settings(path: str) -> list[tuple[str, Any]]:
    """What one settings file says, in order: star-imported modules (their folder and dotted
    parts) and listed middleware."""
    model = read_module(path, MAX_SETTINGS_BYTES)
    if model is None:
        return []
    entries: list[tuple[str, Any]] = []
    for node in model.tree.body:
        if isinstance(node, ast.ImportFrom) and node.level and node.module:
            if any(alias.name == "*" for alias in node.names):
                where = (os.path.dirname(path), node.level, tuple(node.module.split(".")))
                entries.append((_IMPORT, where))
        entries.extend((_LISTED, dotted) for dotted in _listed(model, node))
    return entries


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
