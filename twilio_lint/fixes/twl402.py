"""TWL402 fixes: move off names the current SDK no longer has.

Safe (same objects, same call shapes, only the import path or the name changes):
- ``from twilio.util import RequestValidator`` → ``from twilio.request_validator import
  RequestValidator``; the 5.x exception paths (``from twilio import TwilioRestException``,
  ``twilio.rest.exceptions``, ``twilio.exceptions``) → ``twilio.base.exceptions``;
  ``twilio.access_token.AccessToken`` → ``twilio.jwt.access_token.AccessToken``;
  ``IpMessagingGrant`` → ``ChatGrant``; ``TwimlException`` → ``TwiMLException``… (every entry of
  ``removed.REMOVED_NAMES`` marked safe). A renamed class is renamed at its uses too;
- ``say.ssml_break()`` → ``say.break_()`` and the other TwiML methods removed in 8.0.0
  (same parameters).

Unsafe (call shapes or behaviour change; review the result):
- ``TwilioRestClient`` → ``Client``, only when every call passes at most the account and the
  token positionally (5.x keywords such as ``timeout=`` or ``base=`` have no 1:1 equivalent); the
  client's API differs in places (``messages.create``'s first positional argument, ``.list()``
  paging), and the call may then get TWL101's API-key fix;
- ``to_jwt(algorithm=…)`` / ``to_jwt("HS512")``: the argument is removed (tokens are HS256).
- ``from twilio.twiml import Response`` → ``VoiceResponse`` / ``MessagingResponse`` where every
  builder call maps (``.toxml()`` → ``.to_xml()``);
- ``client.calls.hangup(sid)`` / ``cancel(sid)`` → ``client.calls(sid).update(status=…)``;
  ``client.sms.messages`` → ``client.messages`` (keyword calls only).

No fix for the rest (the other ``Twilio*Client`` classes, removed modules
without a 1:1 replacement, REST resources that moved, reads on unfetched contexts).
"""

from __future__ import annotations

import ast

import libcst as cst

from twilio_lint.facts import removed_rewrites as plans
from twilio_lint.findings import Edit, Finding, Fix
from twilio_lint.fixes.context import PythonFixContext, without_arg

CODE = "TWL402"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule chose the rewrite and looked up what it needs (``finding.data``, see the rule
    # module); the node is found at the finding's position, and whether the rewrite can be
    # made is decided in facts/removed_rewrites.py, where the rule declared it: here it is
    # only rendered.
    data = finding.data
    rewrite = data.get("rewrite")
    imports = ctx.imports
    if rewrite in ("move_import", "twiml_response"):
        alias = ctx.ast_node(finding, ast.alias)
        statement = plans.import_statement(imports, alias) if alias is not None else None
        if statement is None:
            return None
        if rewrite == "twiml_response":
            return _response(ctx, statement, alias)
        return _move_import(ctx, statement, alias, data)
    if rewrite in ("rename_use", "sms_messages"):
        node = ctx.ast_node(finding, ast.Attribute)
        if node is None:
            return None
        if rewrite == "sms_messages":
            return _sms_messages(ctx, node)
        applicability = plans.renamed_use(imports, node, data)
        if applicability is None:
            return None
        new_module, new_name = data["replacement"].rsplit(".", 1)
        return _rename_attribute(ctx, node, new_name, applicability, f"Use {new_module}.{new_name}")
    if rewrite in ("rename_method", "call_update"):
        call = ctx.ast_node(finding, ast.Call)
        if call is None or not isinstance(call.func, ast.Attribute):
            return None
        if rewrite == "call_update":
            return _call_context_update(ctx, call, data.get("status"))
        new = data.get("new")
        if not isinstance(new, str):
            return None
        return _rename_attribute(ctx, call.func, new, "safe", f"Use .{new}()")
    if rewrite == "drop_argument":
        arg = ctx.ast_node(finding, ast.keyword) or ctx.ast_node(finding, ast.Constant)
        if arg is not None and plans.jwt_argument_call(imports, arg) is not None:
            return _drop_jwt_argument(ctx, arg)
    return None


# --- imports ----------------------------------------------------------------------------------


def _move_import(
    ctx: PythonFixContext, statement: ast.ImportFrom, alias: ast.alias, data: dict
) -> Fix | None:
    """``from <old module> import <name>`` → the ``replacement`` the rule found."""
    move = plans.import_move(ctx.imports, statement, alias, data)
    if move is None:
        return None
    new_local = alias.asname or move.new_name
    edits: list[Edit] = [ctx.source.edit(*ctx.ast_span(use), new_local) for use in move.uses]
    statement_edits = _rewrite_statement(
        ctx, statement, alias, move.new_module, move.new_name, move.already
    )
    if statement_edits is None:
        return None
    edits.extend(statement_edits)
    title = f"Import {move.new_name} from {move.new_module}"
    return Fix(title, move.applicability, tuple(edits))  # type: ignore[arg-type]


def _rewrite_statement(
    ctx: PythonFixContext,
    statement: ast.ImportFrom,
    alias: ast.alias,
    new_module: str,
    new_name: str,
    already: bool,
) -> list[Edit] | None:
    start, end = ctx.ast_span(statement)
    node = ctx.find_span(start, end, cst.ImportFrom)
    if node is None or isinstance(node.names, cst.ImportStar):
        return None
    index = statement.names.index(alias)
    names = list(node.names)
    old = names[index]
    asname = old.asname
    if asname is not None and asname.name.value == new_name:
        asname = None
    new_alias = old.with_changes(name=cst.Name(new_name), asname=asname)
    same_module = new_module == statement.module
    if len(names) == 1:
        if already:
            edit = ctx.delete_statement(statement)
            return [edit] if edit is not None else None
        module = cst.parse_expression(new_module)
        new_node = node.with_changes(module=module, names=[new_alias])
        return list(ctx.replace(node, new_node))
    if same_module and not already:
        names[index] = new_alias
        return list(ctx.replace(node, node.with_changes(names=names)))
    # Take the name out of this statement; import it on a line of its own after it.
    kept = _without_alias(names, index)
    edits = list(ctx.replace(node, node.with_changes(names=kept)))
    if not already:
        where = ctx.statement_lines(statement)
        if where is None:
            return None
        _, line_end, indent = where
        imported = cst.Module([]).code_for_node(
            new_alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)
        )
        text = f"{indent}from {new_module} import {imported}"
        if line_end == len(ctx.text) and not ctx.text.endswith(("\n", "\r")):
            edits.append(ctx.source.edit(line_end, line_end, ctx.newline + text))
        else:
            edits.append(ctx.source.edit(line_end, line_end, text + ctx.newline))
    return edits


def _without_alias(names: list[cst.ImportAlias], index: int) -> list[cst.ImportAlias]:
    names = list(names)
    removed = names.pop(index)
    if index == len(names) and names:
        names[-1] = names[-1].with_changes(comma=removed.comma)
    return names


def _rename_attribute(
    ctx: PythonFixContext, node: ast.Attribute, new: str, applicability: str, title: str
) -> Fix | None:
    span = plans.attribute_span(ctx.imports, node)
    if span is None:
        return None
    return Fix(title, applicability, (ctx.source.edit(*span, new),))  # type: ignore[arg-type]


def _drop_jwt_argument(ctx: PythonFixContext, arg: ast.AST) -> Fix | None:
    call = ctx.model.parent(arg)
    if not isinstance(call, ast.Call):
        return None
    start, end = ctx.ast_span(call)
    node = ctx.find_span(start, end, cst.Call)
    if node is None:
        return None
    if isinstance(arg, ast.keyword):
        index = [
            i
            for i, a in enumerate(node.args)
            if a.keyword is not None and a.keyword.value == arg.arg
        ]
    else:
        index = [0] if node.args and node.args[0].keyword is None and not node.args[0].star else []
    if len(index) != 1:
        return None
    new = node.with_changes(args=without_arg(node.args, index[0]))
    return Fix(
        "Remove the algorithm argument (tokens are signed with HS256)",
        "unsafe",
        ctx.replace(node, new),
    )


# --- twiml.Response ---------------------------------------------------------------------------


def _response(ctx: PythonFixContext, statement: ast.ImportFrom, alias: ast.alias) -> Fix | None:
    """``from twilio.twiml import Response`` → ``VoiceResponse`` or ``MessagingResponse`` (see
    ``removed_rewrites.response_move``); ``.toxml()`` → ``.to_xml()``."""
    move = plans.response_move(ctx.imports, statement, alias)
    if move is None:
        return None
    edits: list[Edit] = [ctx.source.edit(*ctx.ast_span(use), move.new_name) for use in move.uses]
    for attribute in move.to_xml:
        _, end = ctx.ast_span(attribute)
        edits.append(ctx.source.edit(end - len("toxml"), end, "to_xml"))
    statement_edits = _rewrite_statement(
        ctx, statement, alias, move.new_module, move.new_name, False
    )
    if statement_edits is None:
        return None
    edits.extend(statement_edits)
    return Fix(f"Use {move.new_name}", "unsafe", tuple(edits))


# --- 5.x REST shapes ------------------------------------------------------------------------------


def _call_context_update(ctx: PythonFixContext, call: ast.Call, status: object) -> Fix | None:
    """``client.calls.hangup(sid)`` → ``client.calls(sid).update(status="completed")``;
    ``cancel`` → ``status="canceled"``. Unsafe: the 6.x call returns the updated instance."""
    sid = plans.call_update_sid(ctx.imports, call, status)
    if sid is None:
        return None
    update = f'status="{status}"'
    _, calls_end = ctx.ast_span(call.func.value)  # type: ignore[union-attr]
    _, end = ctx.ast_span(call)
    edit = ctx.source.edit(calls_end, end, f"({sid}).update({update})")
    return Fix(f"Use calls(sid).update({update})", "unsafe", (edit,))


def _sms_messages(ctx: PythonFixContext, node: ast.Attribute) -> Fix | None:
    """``client.sms.messages`` → ``client.messages`` (unsafe: 5.x ``create``'s first positional
    argument was ``from_``; only keyword calls are rewritten)."""
    span = plans.sms_messages_span(ctx.imports, node)
    if span is None:
        return None
    edit = ctx.source.edit(*span, ".messages")
    return Fix("Use client.messages", "unsafe", (edit,))
