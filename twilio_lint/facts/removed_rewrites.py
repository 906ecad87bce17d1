"""Which TWL402 rewrites (moving off names the current SDK no longer has) can be made in a
module, decided on the ``ast`` without libcst: the rule declares each finding's fix with them
(``Finding.fix_applicability``) and the fix (``fixes/twl402.py``) renders what they found, so
the two never disagree. Every function answers None (or False) where the fix gives up."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from twilio_lint.facts.imports import ModuleImports
from twilio_lint.knowledge.sdk import canonical

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


@dataclass
class ImportMove:
    """``from <old module> import <name>`` → ``from <new_module> import <new_name>``."""

    new_module: str
    new_name: str
    uses: list[ast.Name]  # to rename when the local name changes
    already: bool  # the new name is imported at module level already
    applicability: str


@dataclass
class ResponseMove:
    """``from twilio.twiml import Response`` → ``VoiceResponse`` or ``MessagingResponse``."""

    new_module: str
    new_name: str
    uses: list[ast.Name]
    to_xml: list[ast.Attribute]  # ``.toxml`` → ``.to_xml``


def applicability(imports: ModuleImports, node: ast.AST, data: dict | None) -> str | None:
    """The applicability of the fix of the TWL402 finding at ``node`` with ``data``."""
    data = data or {}
    rewrite = data.get("rewrite")
    if rewrite in ("move_import", "twiml_response") and isinstance(node, ast.alias):
        statement = import_statement(imports, node)
        if statement is None:
            return None
        if rewrite == "twiml_response":
            return "unsafe" if response_move(imports, statement, node) else None
        move = import_move(imports, statement, node, data)
        return move.applicability if move else None
    if rewrite == "rename_use" and isinstance(node, ast.Attribute):
        return renamed_use(imports, node, data)
    if rewrite == "sms_messages" and isinstance(node, ast.Attribute):
        return "unsafe" if sms_messages_span(imports, node) else None
    if rewrite == "rename_method" and isinstance(node, ast.Call):
        renamable = isinstance(node.func, ast.Attribute) and isinstance(data.get("new"), str)
        return "safe" if renamable and attribute_span(imports, node.func) else None
    if rewrite == "call_update" and isinstance(node, ast.Call):
        return "unsafe" if call_update_sid(imports, node, data.get("status")) else None
    if rewrite == "drop_argument":
        return "unsafe" if jwt_argument_call(imports, node) is not None else None
    return None


# --- imports ----------------------------------------------------------------------------------


def import_statement(imports: ModuleImports, alias: ast.alias) -> ast.ImportFrom | None:
    """The absolute ``from … import`` statement of ``alias``."""
    statement = imports.module.parent(alias)
    if not isinstance(statement, ast.ImportFrom) or statement.level or not statement.module:
        return None
    return statement


def import_move(
    imports: ModuleImports, statement: ast.ImportFrom, alias: ast.alias, data: dict
) -> ImportMove | None:
    """The move to the ``replacement`` the rule found; the 5.x client (``legacy_client``,
    unsafe) only when every call keeps a 6.x shape."""
    replacement = data.get("replacement")
    if not isinstance(replacement, str) or "." not in replacement:
        return None
    legacy = bool(data.get("legacy_client"))
    new_module, new_name = replacement.rsplit(".", 1)
    local = alias.asname or alias.name
    new_local = alias.asname or new_name
    uses: list[ast.Name] = []
    if new_local != local:  # the name itself changes: rename every use
        found = renamable_uses(imports, local, new_local, replacement)
        if found is None:
            return None
        uses = found
    if legacy and not client_calls_map(imports, local):
        return None
    already = imported_as(imports, new_local, replacement)
    if not statement_rewritable(imports, statement, new_module, already):
        return None
    return ImportMove(new_module, new_name, uses, already, "unsafe" if legacy else "safe")


def imported_as(imports: ModuleImports, local: str, qualname: str) -> bool:
    """Is ``local`` already imported at module level as ``qualname``?"""
    module = imports.module
    node = module.import_nodes.get(local)
    return node in imports.tree.body and canonical(module.imports.get(local, "")) == canonical(
        qualname
    )


def renamable_uses(
    imports: ModuleImports, old: str, new: str, qualname: str
) -> list[ast.Name] | None:
    """The uses of ``old`` to rename to ``new``, or None if renaming is not clear-cut: ``old``
    is bound by something else too, or ``new`` names something else."""
    bindings = imports.bindings(old)
    if len(bindings) != 1 or bindings[0][0] != "from":
        return None
    for kind, _node in imports.bindings(new):
        if kind != "from" or not imported_as(imports, new, qualname):
            return None
    uses = _loads_of(imports, old)
    for use in uses:
        # a name in a nested scope that declares it global/nonlocal is still ours; other
        # local bindings were excluded above
        if imports.text[slice(*imports.source.ast_span(use))] != old:
            return None
    return uses


def _loads_of(imports: ModuleImports, name: str) -> list[ast.Name]:
    """Every read of ``name`` in the module, in source order, from the model's index."""
    return [
        node
        for node in imports.module.nodes(ast.Name)
        if node.id == name and isinstance(node.ctx, ast.Load)
    ]


def client_calls_map(imports: ModuleImports, local: str) -> bool:
    """Every ``TwilioRestClient(...)`` call passes at most (account, token) positionally."""
    for node in imports.module.calls:  # the model's index: no walk per finding
        if isinstance(node.func, ast.Name) and node.func.id == local:
            if node.keywords or len(node.args) > 2:
                return False
            if any(isinstance(arg, ast.Starred) for arg in node.args):
                return False
    return True


def statement_rewritable(
    imports: ModuleImports, statement: ast.ImportFrom, new_module: str, already: bool
) -> bool:
    """Can the statement be rewritten: deleted (its one name is imported already), changed
    in place, or the name taken out and imported on a line of its own after it?"""
    if len(statement.names) == 1:
        return not already or imports.statement_lines(statement) is not None
    if new_module == statement.module and not already:
        return True
    return already or imports.statement_lines(statement) is not None


def response_move(
    imports: ModuleImports, statement: ast.ImportFrom, alias: ast.alias
) -> ResponseMove | None:
    """``VoiceResponse`` or ``MessagingResponse`` when every ``Response()`` in the file is a
    bare constructor bound to a name whose builder calls all exist on one of them."""
    if alias.asname:
        return None  # the alias (``Response as R``) would be dropped with the rename
    local = alias.name
    if len(imports.bindings(local)) != 1:
        return None
    uses = _loads_of(imports, local)
    if not uses:
        return None
    methods: set[str] = set()
    to_xml: list[ast.Attribute] = []
    model = imports.module
    for use in uses:
        call = model.parent(use)
        if not (isinstance(call, ast.Call) and call.func is use) or call.args or call.keywords:
            return None
        assign = model.parent(call)
        if not (
            isinstance(assign, ast.Assign)
            and len(assign.targets) == 1
            and isinstance(assign.targets[0], ast.Name)
        ):
            return None
        found = builder_calls(imports, assign.targets[0].id, model.enclosing_scope(assign))
        if found is None:
            return None
        for attribute in found:
            methods.add(attribute.attr)
            if attribute.attr == "toxml":
                to_xml.append(attribute)
    verbs = methods - COMMON
    if verbs and verbs <= VOICE_VERBS and not verbs <= MESSAGING_VERBS:
        module, name = "twilio.twiml.voice_response", "VoiceResponse"
    elif verbs and verbs <= MESSAGING_VERBS and "message" in verbs:
        module, name = "twilio.twiml.messaging_response", "MessagingResponse"
    else:
        return None
    if imports.bindings(name) or not statement_rewritable(imports, statement, module, False):
        return None
    return ResponseMove(module, name, uses, to_xml)


def builder_calls(imports: ModuleImports, name: str, scope: ast.AST) -> list[ast.Attribute] | None:
    """The ``name.method`` attributes called on the builder in ``scope``; None when the name
    is used in a way we cannot follow (rebound, or an attribute that is not a call)."""
    found: list[ast.Attribute] = []
    assignments = 0
    for node in ast.walk(scope):
        if isinstance(node, ast.Name) and node.id == name:
            if not isinstance(node.ctx, ast.Load):
                assignments += 1
                continue
            parent = imports.module.parent(node)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                call = imports.module.parent(parent)
                if not (isinstance(call, ast.Call) and call.func is parent):
                    return None
                if any(k.arg in RENAMED_KEYWORDS or k.arg is None for k in call.keywords):
                    return None  # 5.x `say(text=…)`, `message(msg=…)`: renamed in 6.x
                found.append(parent)
    if assignments != 1:
        return None
    return found


# --- uses -----------------------------------------------------------------------------------------


def renamed_use(imports: ModuleImports, node: ast.Attribute, data: dict) -> str | None:
    """``twilio.rest.TwilioRestClient(...)`` → ``twilio.rest.Client(...)`` (unsafe),
    ``grants.IpMessagingGrant`` → ``grants.ChatGrant`` (safe): a name that moved within the
    same module (the rule checked that) keeps its prefix."""
    replacement = data.get("replacement")
    if not isinstance(replacement, str) or "." not in replacement:
        return None
    legacy = bool(data.get("legacy_client"))
    if legacy:
        call = imports.module.parent(node)
        if (
            not (isinstance(call, ast.Call) and call.func is node)
            or call.keywords
            or len(call.args) > 2
        ):
            return None
    if attribute_span(imports, node) is None:
        return None
    return "unsafe" if legacy else "safe"


def attribute_span(imports: ModuleImports, node: ast.Attribute) -> tuple[int, int] | None:
    """The offsets of the attribute's name, written right at the end of the node."""
    _, end = imports.source.ast_span(node)
    start = end - len(node.attr)
    return (start, end) if imports.text[start:end] == node.attr else None


def jwt_argument_call(imports: ModuleImports, node: ast.AST) -> ast.Call | None:
    """The ``to_jwt`` call whose ``algorithm=`` keyword, or first positional string, ``node``
    is."""
    call = imports.module.parent(node)
    if not isinstance(call, ast.Call):
        return None
    if isinstance(node, ast.keyword):
        return call
    first = isinstance(node, ast.Constant) and call.args and call.args[0] is node
    return call if first else None


# --- 5.x REST shapes ------------------------------------------------------------------------------


def call_update_sid(imports: ModuleImports, call: ast.Call, status: object) -> str | None:
    """The text of the SID of ``client.calls.hangup(sid)`` / ``cancel(sid)``, when it becomes
    ``client.calls(sid).update(status=…)``; not for ``route(sid, url[, method])``."""
    if not isinstance(status, str) or not isinstance(call.func, ast.Attribute):
        return None
    if call.keywords or any(isinstance(arg, ast.Starred) for arg in call.args):
        return None
    if len(call.args) != 1:
        return None
    sid = imports.text[slice(*imports.source.ast_span(call.args[0]))]
    return None if "\n" in sid or "\r" in sid else sid


def sms_messages_span(imports: ModuleImports, node: ast.Attribute) -> tuple[int, int] | None:
    """Where ``.sms.messages`` is written after the client, when it becomes ``.messages``:
    only keyword calls (5.x ``create``'s first positional argument was ``from_``)."""
    sms = node.value  # the rule checked that it hangs off a client
    if not isinstance(sms, ast.Attribute):
        return None
    parent = imports.module.parent(node)
    if isinstance(parent, ast.Attribute):
        call = imports.module.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and call.args:
            return None
    _, receiver_end = imports.source.ast_span(sms.value)
    _, end = imports.source.ast_span(node)
    return (receiver_end, end) if imports.text[receiver_end:end] == ".sms.messages" else None
