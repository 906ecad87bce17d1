"""TWL102 fix: read the hard-coded credential from the environment (unsafe: the variable must
be set wherever the code runs, and a leaked secret must still be rotated).

A string literal that is exactly the credential becomes ``os.environ["TWILIO_…"]``, the name the
rule puts in the finding's data (``TWILIO_AUTH_TOKEN``, ``TWILIO_API_KEY``, ``TWILIO_API_SECRET``,
``TWILIO_ACCOUNT_SID``); ``import os`` is added when missing. A fallback value of
``os.environ.get("NAME", "<secret>")`` / ``os.getenv("NAME", "<secret>")`` turns the whole lookup
into ``os.environ["NAME"]``. No fix for credentials inside longer strings, f-strings,
concatenations, match patterns or docstrings, nor in non-Python files.
"""

from __future__ import annotations

import ast

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import PythonFixContext, environ_lookup

CODE = "TWL102"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule decided where the fix goes and what it reads (finding.data): "env", the
    # variable, and "replace": the literal itself or the os.getenv(NAME, <literal>) lookup
    # whose fallback it is. No data: no fix (a longer string, a default, a subaccount…).
    variable = finding.data.get("env")
    replace = finding.data.get("replace")
    if not isinstance(variable, str) or replace not in ("literal", "lookup"):
        return None
    literal = ctx.ast_node(finding, ast.Constant)
    if literal is None or not isinstance(literal.value, str):
        return None
    target: ast.AST = literal
    if replace == "lookup":
        parent = ctx.model.parent(literal)
        target = ctx.model.parent(parent) if isinstance(parent, ast.keyword) else parent
        if not isinstance(target, ast.Call):
            return None
    imported = ctx.import_module("os")
    if imported is None:
        return None
    os_name, import_edits = imported
    start, end = ctx.ast_span(target)
    edit = ctx.source.edit(start, end, environ_lookup(os_name, variable))
    title = f"Read it from the environment: {environ_lookup(os_name, variable)}"
    return Fix(title, "unsafe", (edit, *import_edits))
