"""TWL105 fix: turn TLS verification back on (unsafe: a host whose certificate does not verify
will now fail, which is the point, but it must be fixed before deploying).

- ``verify=False`` (also ``ssl=False``, ``verify_ssl=False``) is removed from the call: the
  default verifies certificates.
- ``session.verify = False`` is removed (a lone statement in its block becomes ``pass``).
- ``ssl._create_unverified_context`` becomes ``ssl.create_default_context``.
"""

from __future__ import annotations

import ast

import libcst as cst

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import PythonFixContext, without_arg

CODE = "TWL105"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule says which of its three cases it flagged (finding.data["rewrite"]).
    rewrite = finding.data.get("rewrite")
    if rewrite == "drop_keyword":
        keyword = ctx.ast_node(finding, ast.keyword)
        return _drop_keyword(ctx, finding, keyword) if keyword is not None else None
    if rewrite == "drop_statement":
        assign = ctx.ast_node(finding, ast.Assign)
        return _drop_statement(ctx, assign) if assign is not None else None
    if rewrite == "default_context":
        node = ctx.ast_node(finding, ast.Call, ast.Attribute)
        return _default_context(ctx, node) if node is not None else None
    return None


def _drop_keyword(ctx: PythonFixContext, finding: Finding, keyword: ast.keyword) -> Fix | None:
    call = ctx.model.parent(keyword)
    if not isinstance(call, ast.Call):
        return None
    start, end = ctx.ast_span(call)
    cst_call = ctx.find_span(start, end, cst.Call)
    if cst_call is None:
        return None
    index = [
        i
        for i, arg in enumerate(cst_call.args)
        if arg.keyword is not None and arg.keyword.value == keyword.arg
    ]
    if len(index) != 1:
        return None
    new_call = cst_call.with_changes(args=without_arg(cst_call.args, index[0]))
    edits = ctx.replace(cst_call, new_call)
    return Fix(f"Remove `{keyword.arg}=False`", "unsafe", edits)


def _drop_statement(ctx: PythonFixContext, assign: ast.Assign) -> Fix | None:
    if len(assign.targets) != 1:
        return None
    edit = ctx.delete_statement(assign)
    if edit is None:
        return None
    return Fix("Remove `.verify = False`", "unsafe", (edit,))


def _default_context(ctx: PythonFixContext, node: ast.AST) -> Fix | None:
    target = node.func if isinstance(node, ast.Call) else node
    if not (isinstance(target, ast.Attribute) and target.attr == "_create_unverified_context"):
        return None  # a bare imported name: its replacement would need an import
    start, end = ctx.ast_span(target)
    attr_start = end - len(target.attr)
    if ctx.text[attr_start:end] != target.attr:
        return None
    edit = ctx.source.edit(attr_start, end, "create_default_context")
    return Fix("Use ssl.create_default_context()", "unsafe", (edit,))
