"""TWL102 fix: read the hard-coded credential from the environment (unsafe: the variable must
be set wherever the code runs, and a leaked secret must still be rotated).

A string literal that is exactly the credential becomes ``os.environ["TWILIO_…"]``, the name the
finding's message gives (``TWILIO_AUTH_TOKEN``, ``TWILIO_API_KEY``, ``TWILIO_API_SECRET``,
``TWILIO_ACCOUNT_SID``); ``import os`` is added when missing. A fallback value of
``os.environ.get("NAME", "<secret>")`` / ``os.getenv("NAME", "<secret>")`` turns the whole lookup
into ``os.environ["NAME"]``. No fix for credentials inside longer strings, f-strings,
concatenations, match patterns or docstrings, nor in non-Python files.
"""

from __future__ import annotations

import ast
import re

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import PythonFixContext, environ_lookup

CODE = "TWL102"
_ENV_IN_MESSAGE = re.compile(r'os\.environ\["(TWILIO_[A-Z_]+)"\]')
_CREDENTIAL = re.compile(r"[A-Za-z0-9]{32,34}")
_ENV_GETTERS = ("os.getenv", "os.environ.get")
#: Where a literal may be swapped for an expression without changing what the code means
#: structurally (not a docstring, a pattern, an annotation).
_PARENTS = (
    ast.Assign,
    ast.AnnAssign,
    ast.keyword,
    ast.Call,
    ast.Dict,
    ast.Tuple,
    ast.List,
    ast.Set,
    ast.Return,
    ast.NamedExpr,
    ast.Compare,
)
#: Lookups whose fallback a literal may be: their default is left alone (an eager
#: ``os.environ[...]`` there would raise even when the setting exists).
_LOOKUPS = frozenset({"getattr", "get", "getenv", "setdefault", "pop", "config", "env", "str"})


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    match = _ENV_IN_MESSAGE.search(finding.message)
    if match is None:
        return None
    variable = match.group(1)
    literal = ctx.ast_node(finding, ast.Constant)
    if literal is None or not isinstance(literal.value, str):
        return None
    if not _CREDENTIAL.fullmatch(literal.value):
        return None
    parent = ctx.model.parent(literal)
    if not isinstance(parent, _PARENTS):
        return None
    if isinstance(parent, ast.AnnAssign) and parent.value is not literal:
        return None
    if variable == "TWILIO_ACCOUNT_SID" and not _account_slot(ctx, literal, parent):
        return None  # an AC… SID elsewhere may be a subaccount: not the configured account
    imported = ctx.import_module("os")
    if imported is None:
        return None
    os_name, import_edits = imported
    target = literal
    if isinstance(parent, ast.Call) or (
        isinstance(parent, ast.keyword) and parent.arg == "default"
    ):
        call = parent if isinstance(parent, ast.Call) else ctx.model.parent(parent)
        if (
            isinstance(call, ast.Call)
            and ctx.model.is_qualname(call.func, *_ENV_GETTERS)
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
            and call.args[0] is not literal
        ):
            # os.getenv("TWILIO_AUTH_TOKEN", "<secret>") → os.environ["TWILIO_AUTH_TOKEN"]
            variable = call.args[0].value
            target = call
        elif _is_lookup(call):
            return None
    if isinstance(parent, ast.Assign) and any(_is_environ_item(t) for t in parent.targets):
        return None  # os.environ["X"] = "<secret>": the environment itself is being set
    start, end = ctx.ast_span(target)
    edit = ctx.source.edit(start, end, environ_lookup(os_name, variable))
    title = f"Read it from the environment: {environ_lookup(os_name, variable)}"
    return Fix(title, "unsafe", (edit, *import_edits))


def _is_lookup(call: ast.AST) -> bool:
    if not isinstance(call, ast.Call):
        return False
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in _LOOKUPS


def _is_environ_item(target: ast.AST) -> bool:
    from twilio_lint.model import dotted_name

    return isinstance(target, ast.Subscript) and (dotted_name(target.value) or "").endswith(
        "environ"
    )


def _account_slot(ctx: PythonFixContext, literal: ast.expr, parent: ast.AST) -> bool:
    """Is the literal given as *the* account SID (a client's account, a setting named so)?"""
    from twilio_lint.model import credential_name

    names: list[str | None] = []
    if isinstance(parent, ast.Call):
        if ctx.model.is_client_constructor(parent) and parent.args.index(literal) in (0, 2):
            return True
    elif isinstance(parent, ast.keyword):
        names.append(parent.arg)
    elif isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names.extend(credential_name(target) for target in targets)
    elif isinstance(parent, ast.Dict):
        key = parent.keys[parent.values.index(literal)]
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.append(key.value)
    elif isinstance(parent, ast.Tuple):
        assign = ctx.model.parent(parent)
        if isinstance(assign, ast.Assign) and assign.value is parent:
            index = parent.elts.index(literal)
            for target in assign.targets:
                if isinstance(target, (ast.Tuple, ast.List)) and len(target.elts) == len(
                    parent.elts
                ):
                    names.append(credential_name(target.elts[index]))
    return any(name and "account" in name.lower() or name in ("sid", "username") for name in names)
