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

from twilio_lint.findings import Edit, Finding, Fix
from twilio_lint.fixes.context import PythonFixContext, without_arg

CODE = "TWL402"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule chose the rewrite and looked up what it needs (``finding.data``, see the rule
    # module); here the node is found at the finding's position and only what the rewrite
    # itself requires is checked (call shapes, bindings, builder calls).
    data = finding.data
    rewrite = data.get("rewrite")
    if rewrite in ("move_import", "twiml_response"):
        alias = ctx.ast_node(finding, ast.alias)
        statement = ctx.model.parent(alias) if alias is not None else None
        if not isinstance(statement, ast.ImportFrom) or statement.level or not statement.module:
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
        return _renamed_use(ctx, node, data)
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
        keyword = ctx.ast_node(finding, ast.keyword)
        if keyword is not None:
            return _drop_jwt_argument(ctx, keyword)
        value = ctx.ast_node(finding, ast.Constant)
        call = ctx.model.parent(value) if value is not None else None
        if isinstance(call, ast.Call) and call.args and call.args[0] is value:
            return _drop_jwt_argument(ctx, value)
    return None


# --- imports ----------------------------------------------------------------------------------


#: 5.x ``Response`` builder methods that exist with the same leading parameter on the 6.x+
#: ``VoiceResponse`` / ``MessagingResponse``.
VOICE_VERBS = frozenset(
    {
        "say",
        "play",
        "pause",
        "gather",
        "dial",
        "redirect",
        "hangup",
        "reject",
        "record",
        "enqueue",
        "leave",
    }
)
MESSAGING_VERBS = frozenset({"message", "redirect"})
COMMON = frozenset({"toxml", "append"})
RENAMED_KEYWORDS = frozenset({"text", "msg", "body", "url", "number", "uri", "name"})


def _move_import(
    ctx: PythonFixContext, statement: ast.ImportFrom, alias: ast.alias, data: dict
) -> Fix | None:
    """``from <old module> import <name>`` → the ``replacement`` the rule found; the 5.x
    client (``legacy_client``) only when every call keeps a 6.x shape."""
    replacement = data.get("replacement")
    if not isinstance(replacement, str) or "." not in replacement:
        return None
    legacy = bool(data.get("legacy_client"))
    new_module, new_name = replacement.rsplit(".", 1)
    local = alias.asname or alias.name
    new_local = alias.asname or new_name
    edits: list[Edit] = []
    if new_local != local:  # the name itself changes: rename every use
        uses = _renamable_uses(ctx, local, new_local, replacement)
        if uses is None:
            return None
        edits.extend(ctx.source.edit(*ctx.ast_span(use), new_local) for use in uses)
    if legacy and not _client_calls_map(ctx, local):
        return None
    already = _imported_as(ctx, new_local, replacement)
    statement_edits = _rewrite_statement(ctx, statement, alias, new_module, new_name, already)
    if statement_edits is None:
        return None
    edits.extend(statement_edits)
    applicability = "unsafe" if legacy else "safe"
    title = f"Import {new_name} from {new_module}"
    return Fix(title, applicability, tuple(edits))


def _imported_as(ctx: PythonFixContext, local: str, qualname: str) -> bool:
    """Is ``local`` already imported at module level as ``qualname``?"""
    from twilio_lint.knowledge.sdk import canonical

    node = ctx.model.import_nodes.get(local)
    return node in ctx.tree.body and canonical(ctx.model.imports.get(local, "")) == canonical(
        qualname
    )


def _renamable_uses(
    ctx: PythonFixContext, old: str, new: str, qualname: str
) -> list[ast.Name] | None:
    """The uses of ``old`` to rename to ``new``, or None if renaming is not clear-cut: ``old``
    is bound by something else too, or ``new`` names something else."""
    bindings = ctx.bindings(old)
    if len(bindings) != 1 or bindings[0][0] != "from":
        return None
    for kind, _node in ctx.bindings(new):
        if kind != "from" or not _imported_as(ctx, new, qualname):
            return None
    uses = [
        node
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.Name) and node.id == old and isinstance(node.ctx, ast.Load)
    ]
    for use in uses:
        # a name in a nested scope that declares it global/nonlocal is still ours; other
        # local bindings were excluded above
        if ctx.text[slice(*ctx.ast_span(use))] != old:
            return None
    return uses


def _client_calls_map(ctx: PythonFixContext, local: str) -> bool:
    """Every ``TwilioRestClient(...)`` call passes at most (account, token) positionally."""
    for node in ast.walk(ctx.tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == local:
            if node.keywords or len(node.args) > 2:
                return False
            if any(isinstance(arg, ast.Starred) for arg in node.args):
                return False
    return True


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


# --- uses -----------------------------------------------------------------------------------------


def _renamed_use(ctx: PythonFixContext, node: ast.Attribute, data: dict) -> Fix | None:
    """``twilio.rest.TwilioRestClient(...)`` → ``twilio.rest.Client(...)``,
    ``grants.IpMessagingGrant`` → ``grants.ChatGrant``: a name that moved within the same module
    (the rule checked that) keeps its prefix."""
    replacement = data.get("replacement")
    if not isinstance(replacement, str) or "." not in replacement:
        return None
    legacy = bool(data.get("legacy_client"))
    new_module, new_name = replacement.rsplit(".", 1)
    if legacy:
        call = ctx.model.parent(node)
        if (
            not (isinstance(call, ast.Call) and call.func is node)
            or call.keywords
            or len(call.args) > 2
        ):
            return None
    applicability = "unsafe" if legacy else "safe"
    return _rename_attribute(ctx, node, new_name, applicability, f"Use {new_module}.{new_name}")


def _rename_attribute(
    ctx: PythonFixContext, node: ast.Attribute, new: str, applicability: str, title: str
) -> Fix | None:
    _, end = ctx.ast_span(node)
    start = end - len(node.attr)
    if ctx.text[start:end] != node.attr:
        return None
    return Fix(title, applicability, (ctx.source.edit(start, end, new),))  # type: ignore[arg-type]


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
    """``from twilio.twiml import Response`` → ``VoiceResponse`` or ``MessagingResponse`` when
    every ``Response()`` in the file is a bare constructor bound to a name whose builder calls
    all exist on one of them (voice verbs, or ``message``); ``.toxml()`` → ``.to_xml()``."""
    local = alias.asname or alias.name
    bindings = ctx.bindings(local)
    if len(bindings) != 1:
        return None
    uses = [
        node
        for node in ast.walk(ctx.tree)
        if isinstance(node, ast.Name) and node.id == local and isinstance(node.ctx, ast.Load)
    ]
    if not uses:
        return None
    methods: set[str] = set()
    renames: list[ast.Attribute] = []
    for use in uses:
        call = ctx.model.parent(use)
        if not (isinstance(call, ast.Call) and call.func is use) or call.args or call.keywords:
            return None
        assign = ctx.model.parent(call)
        if not (
            isinstance(assign, ast.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
        ):
            return None
        found = _builder_calls(ctx, assign.targets[0].id, ctx.model.enclosing_scope(assign))
        if found is None:
            return None
        for attribute in found:
            methods.add(attribute.attr)
            if attribute.attr == "toxml":
                renames.append(attribute)
    verbs = methods - COMMON
    if verbs and verbs <= VOICE_VERBS and not verbs <= MESSAGING_VERBS:
        module, name = "twilio.twiml.voice_response", "VoiceResponse"
    elif verbs and verbs <= MESSAGING_VERBS and "message" in verbs:
        module, name = "twilio.twiml.messaging_response", "MessagingResponse"
    else:
        return None
    if ctx.bindings(name):
        return None
    edits: list[Edit] = [ctx.source.edit(*ctx.ast_span(use), name) for use in uses]
    for attribute in renames:
        _, end = ctx.ast_span(attribute)
        edits.append(ctx.source.edit(end - len("toxml"), end, "to_xml"))
    statement_edits = _rewrite_statement(ctx, statement, alias, module, name, False)
    if statement_edits is None:
        return None
    # the alias (``Response as R``) is dropped with the rename
    if alias.asname:
        return None
    edits.extend(statement_edits)
    return Fix(f"Use {name}", "unsafe", tuple(edits))


def _builder_calls(ctx: PythonFixContext, name: str, scope: ast.AST) -> list[ast.Attribute] | None:
    """The ``name.method`` attributes called on the builder in ``scope``; None when the name
    is used in a way we cannot follow (rebound, or an attribute that is not a call)."""
    found: list[ast.Attribute] = []
    assignments = 0
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Load):
                assignments += 1
                continue
            parent = ctx.model.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                call = ctx.model.parent(parent)
                if not (isinstance(call, ast.Call) and call.func is parent):
                    return None
                if any(k.arg in RENAMED_KEYWORDS or k.arg is None for k in call.keywords):
                    return None  # 5.x `say(text=…)`, `message(msg=…)`: renamed in 6.x
                found.append(parent)
    if assignments != 1:
        return None
    return found


# --- 5.x REST shapes ------------------------------------------------------------------------------


def _call_context_update(ctx: PythonFixContext, call: ast.Call, status: object) -> Fix | None:
    """``client.calls.hangup(sid)`` → ``client.calls(sid).update(status="completed")``;
    ``cancel`` → ``status="canceled"``; ``route(sid, url[, method])`` →
    ``update(url=url, method=method)``. Unsafe: the 6.x call returns the updated instance."""
    if not isinstance(status, str):
        return None  # route(sid, url[, method]): no fix
    if call.keywords or any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    if len(call.args) != 1:
        return None
    update = f'status="{status}"'
    sid = ctx.text[slice(*ctx.ast_span(call.args[0]))]
    if "\n" in sid or "\r" in sid:
        return None
    _, calls_end = ctx.ast_span(call.func.value)  # type: ignore[union-attr]
    _, end = ctx.ast_span(call)
    edit = ctx.source.edit(calls_end, end, f"({sid}).update({update})")
    return Fix(f"Use calls(sid).update({update})", "unsafe", (edit,))


def _sms_messages(ctx: PythonFixContext, node: ast.Attribute) -> Fix | None:
    """``client.sms.messages`` → ``client.messages`` (unsafe: 5.x ``create``'s first positional
    argument was ``from_``; only keyword calls are rewritten)."""
    sms = node.value  # the rule checked that it hangs off a client
    if not isinstance(sms, ast.Attribute):
        return None
    parent = ctx.model.parent(node)
    if isinstance(parent, ast.Attribute):
        call = ctx.model.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            return None
    _, receiver_end = ctx.ast_span(sms.value)
    _, end = ctx.ast_span(node)
    if ctx.text[receiver_end:end] != ".sms.messages":
        return None
    edit = ctx.source.edit(receiver_end, end, ".messages")
    return Fix("Use client.messages", "unsafe", (edit,))
