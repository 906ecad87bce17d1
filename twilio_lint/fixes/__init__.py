"""Fixes: one module per rule code (``fixes/twl101.py``), discovered like the rules.

A fix module defines ``CODE`` and one of

- ``fix(ctx: PythonFixContext, finding) -> Fix | None`` for findings in Python files, built with
  libcst (comments and formatting kept) through the helpers of ``PythonFixContext``;
- ``fix_text(ctx: TextFixContext, finding) -> Fix | None`` for findings in other files
  (manifests), as plain text edits.

Fixes live here, not in the rule modules, so that detection stays cheap: nothing in this
package is imported by the engine, the CLI's plain ``check`` or the flake8 plugin, and libcst is
imported only when a fix is computed (``--fix``, ``--diff``, ``--show-fixes``,
``--unsafe-fixes``, JSON output, editor code actions). A fix function returns None when it
cannot be sure of the change (say nothing you cannot do safely); it may raise, in which case the
finding simply has no fix.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from types import ModuleType


@lru_cache(maxsize=1)
def fixers() -> dict[str, ModuleType]:
    """Fix modules by rule code."""
    from twilio_lint import fixes as package

    found: dict[str, ModuleType] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("twl"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        code = getattr(module, "CODE", None)
        if code is None or not (hasattr(module, "fix") or hasattr(module, "fix_text")):
            raise TypeError(f"fix module {module.__name__} needs CODE and fix() or fix_text()")
        if code in found:
            raise TypeError(f"two fix modules for {code}")
        found[code] = module
    return found


@lru_cache(maxsize=1)
def fixable_codes() -> frozenset[str]:
    """Rule codes that have a fix module (no libcst import)."""
    from twilio_lint import fixes as package

    codes = set()
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("twl"):
            codes.add(info.name[:6].upper())
    return frozenset(codes)


# --- the command line (cheap: no libcst here) -------------------------------------------------


def add_fix_arguments(check) -> None:
    """The fix options of ``check`` (and of the ``fix`` verb)."""
    group = check.add_argument_group("fixes")
    group.add_argument(
        "--fix",
        action="store_true",
        default=None,
        help="apply the safe fixes in place (files are re-parsed before they are written)",
    )
    group.add_argument(
        "--fix-only",
        action="store_true",
        help="apply the safe fixes and report nothing else; exit 0 unless "
        "--exit-non-zero-on-fix (as Ruff's --fix-only)",
    )
    group.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="also apply unsafe fixes with --fix (without --fix: show them as available)",
    )
    group.add_argument(
        "--diff",
        action="store_true",
        help="print the fixes as a unified diff and write nothing; exit 1 if there are any",
    )
    group.add_argument(
        "--show-fixes",
        action="store_true",
        help="show each finding's fix, and after --fix list the fixes applied",
    )
    group.add_argument(
        "--exit-non-zero-on-fix",
        action="store_true",
        help="exit 1 when a fix was applied, even if no finding is left",
    )


def wants_fixes(args) -> bool:
    """Does this run compute fixes (and so import libcst)?"""
    return bool(
        getattr(args, "fix", False)
        or getattr(args, "fix_only", False)
        or getattr(args, "diff", False)
        or getattr(args, "show_fixes", False)
        or getattr(args, "unsafe_fixes", False)
        or getattr(args, "output_format", None) in FIX_FORMATS
    )


#: Output formats that carry each finding's fix (computed for them).
FIX_FORMATS = frozenset({"json", "json-lines", "sarif"})
