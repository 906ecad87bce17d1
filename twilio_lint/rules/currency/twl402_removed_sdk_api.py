"""TWL402 removed-sdk-api: names, attributes and call shapes that the current twilio SDK no
longer has (5.x clients and modules, old exception and JWT paths, dropped product domains…)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

from twilio_lint.facts.clients import ClientFacts, uses_twilio
from twilio_lint.facts.module import import_prefixes
from twilio_lint.facts.resources import ResourceFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import removed, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import chain_shape

CODE = "TWL402"
NAME = "removed-sdk-api"
SUMMARY = "Name, attribute or call removed from the current twilio SDK"
DEFAULT_ON = True
FIX = "sometimes-unsafe"  # import moves are safe; call-shape rewrites are unsafe

DOC = RuleDoc(
    what=(
        "Flags what the current twilio SDK no longer has. Imports: the 5.x clients "
        "(`TwilioRestClient`, `TwilioLookupsClient`, …), `twilio.twiml.Response` and the 5.x "
        "TwiML verbs, `twilio.util`, `twilio.access_token`, `twilio.task_router`, the 5.x "
        "exception paths, `twilio.compat`, `IpMessagingGrant`, `ConversationsGrant`; reported "
        "at the import, or at the use where the module still exists "
        "(`twilio.twiml.Response()`). Uses on a REST client: `client.sms.messages`, "
        "`client.caller_ids`, `client.phone_numbers`, `client.calls.hangup(sid)`, product "
        "domains the SDK dropped (`client.fax`, `client.autopilot`, … derived from the SDK's "
        "releases into `twilio_lint/knowledge/data/dropped_domains.json`), "
        "`client.http_client.last_response`, and attribute reads on `client.X(sid)` / "
        "`client.X.get(sid)` without `.fetch()`. TwiML and JWT: `Say.ssml_*()`, "
        "`Refer.refer_sip()`, `to_jwt(algorithm=…)`. Later uses of a name whose import is "
        "already reported are not reported again. Compatibility code is not reported: an "
        "`if` on the SDK version (`twilio.__version_info__`, `twilio.__version__`, "
        "`importlib.metadata.version(\"twilio\")`, or a global holding a test of them) and a "
        "`try`/`except ImportError` that imports one SDK's spelling and falls back to the "
        "other's."
    ),
    why=(
        "Each of these raises `ImportError`, `AttributeError` or `TypeError` on the current "
        "SDK, so the code either pins a years-old major (no fixes, no new Python versions) or "
        "breaks on upgrade. The 5.x `client.messages.get(sid)` fetched the record; since 6.0 it "
        "only builds a context, so `client.messages.get(sid).status` fails."
    ),
    example=(
        "from twilio.rest import TwilioRestClient\n"
        "from twilio.util import RequestValidator\n"
        "\n"
        "client = TwilioRestClient(api_key, api_secret)\n"
        "status = client.messages.get(message_sid).status\n"
    ),
    use_instead=(
        "from twilio.request_validator import RequestValidator\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(api_key, api_secret, account_sid)\n"
        "status = client.messages(message_sid).fetch().status\n"
    ),
    fix_safety=(
        "Safe where only the import path or name changes: `twilio.util.RequestValidator` → "
        "`twilio.request_validator.RequestValidator`, the 5.x exception paths → "
        "`twilio.base.exceptions`, `twilio.access_token.AccessToken` → "
        "`twilio.jwt.access_token.AccessToken`, `grants.IpMessagingGrant` → `grants.ChatGrant` "
        "(uses renamed too), and the TwiML methods removed in 8.0.0 (`ssml_break()` → "
        "`break_()`, `refer_sip()` → `sip()`). Unsafe, because call shapes or behaviour "
        "change: `TwilioRestClient` → `Client` when every call passes at most the account and "
        "token positionally, `from twilio.twiml import Response` → "
        "`VoiceResponse`/`MessagingResponse` when every builder call maps, "
        "`client.calls.hangup(sid)`/`cancel(sid)` → `client.calls(sid).update(status=…)`, "
        "`client.sms.messages` → `client.messages` for keyword-only calls, and dropping "
        "`to_jwt`'s algorithm argument (tokens are signed with HS256). No fix for the other "
        "`Twilio*Client` classes, `TwilioCapability`, the 5.x grants and TaskRouter "
        "capabilities, `calls.route(…)`, `client.caller_ids`, `client.phone_numbers`, dropped "
        "product domains, star imports or reads on unfetched contexts."
    ),
    references=(twilio_docs.SDK_CHANGELOG, twilio_docs.SDK_UPGRADE_GUIDE),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    if not uses_twilio(module):
        return
    guarded: list[tuple[int, int]] | None = None  # looked for on the first finding only
    for finding in _findings(module):
        if guarded is None:
            guarded = _compatibility_lines(module)
        if not any(first <= finding.line <= last for first, last in guarded):
            yield finding


def _findings(module: SemanticModel) -> Iterator[Finding]:
    reported: set[str] = set()
    yield from _removed_imports(module, reported)
    yield from _removed_name_uses(module, reported)
    yield from _client_attributes(module)
    yield from _call_list_methods(module)
    yield from _twiml_methods(module)
    yield from _to_jwt_algorithm(module)
    yield from _last_response(module)
    yield from _context_reads(module)


# --- compatibility code: what only runs on old SDKs ------------------------------------------


def _compatibility_lines(module: SemanticModel) -> list[tuple[int, int]]:
    """Line ranges of code written for old SDKs beside current ones: an ``if`` on the twilio
    version (``twilio.__version_info__ < (6,)``, ``twilio.__version__``,
    ``importlib.metadata.version("twilio")``), and a ``try``/``except ImportError`` around
    twilio imports, whose fallback only runs where the first import fails."""
    ranges: list[tuple[int, int]] = []
    version_names = _version_names(module)
    for node in module.nodes(ast.If, ast.Try):
        if isinstance(node, ast.If):
            if _reads_sdk_version(module, node.test, version_names):
                ranges.append((node.lineno, node.end_lineno or node.lineno))
        elif _import_fallback(module, node):
            ranges.append((node.lineno, node.end_lineno or node.lineno))
    return ranges


def _reads_sdk_version(module: SemanticModel, expr: ast.AST, names: set[str]) -> bool:
    for child in ast.walk(expr):
        if isinstance(child, ast.Name) and child.id in names:
            return True
        if isinstance(child, (ast.Name, ast.Attribute)):
            if module.qualname(child) in removed.SDK_VERSION_NAMES:
                return True
        elif isinstance(child, ast.Call) and child.args:
            # importlib.metadata.version("twilio"), pkg_resources.get_distribution("twilio");
            # not any call given "twilio" (``settings.get("twilio")``)
            if module.string_value(child.args[0], follow_constants=False) == "twilio" and (
                module.qualname(child.func) in removed.PACKAGE_VERSION_GETTERS
            ):
                return True
    return False


def _version_names(module: SemanticModel) -> set[str]:
    """Module globals holding the SDK version or a test of it: ``TWILIO_6 = ... >= (6,)``."""
    names: set[str] = set()
    for node in module.tree.body:
        if isinstance(node, ast.Assign) and _reads_sdk_version(module, node.value, set()):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def _import_fallback(module: SemanticModel, node: ast.Try) -> bool:
    catches_import_error = any(
        handler.type is not None
        and any(
            isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError")
            for n in ast.walk(handler.type)
        )
        for handler in node.handlers
    )
    if not catches_import_error:
        return False
    fallbacks = [stmt for handler in node.handlers for stmt in handler.body]
    return _imports_twilio(node.body) and _imports_twilio(fallbacks)


def _imports_twilio(body: list[ast.stmt]) -> bool:
    """Does ``body`` import from twilio (one SDK's spelling, beside the other's)?"""
    for stmt in body:
        if isinstance(stmt, ast.ImportFrom):
            if stmt.level == 0 and (stmt.module or "").split(".")[0] == "twilio":
                return True
        elif isinstance(stmt, ast.Import):
            if any(alias.name.split(".")[0] == "twilio" for alias in stmt.names):
                return True
    return False



# --- removed modules and names ------------------------------------------------------------------


def _removed_imports(module: SemanticModel, reported: set[str]) -> Iterator[Finding]:
    """``from twilio.util import RequestValidator``, ``import twilio.access_token``: reported at
    the imported name; its key goes in ``reported`` so that uses are not reported again."""
    for node in module.nodes(ast.Import, ast.ImportFrom):
        if isinstance(node, ast.ImportFrom) and (node.level or not node.module):
            continue
        for alias in node.names:
            if isinstance(node, ast.ImportFrom):
                full = node.module if alias.name == "*" else f"{node.module}.{alias.name}"
            else:
                full = alias.name
            hit = removed.removed_name(full)
            if hit is None:
                continue
            key, entry = hit
            reported.add(key)
            where = node if alias.name == "*" else alias
            data = None if where is node or isinstance(node, ast.Import) else _import_fix(full)
            yield _fixable(module, where, _removed_message(full, key, entry), data)


def _removed_name_uses(module: SemanticModel, reported: set[str]) -> Iterator[Finding]:
    """``twilio.twiml.Response()`` after ``import twilio.twiml``: the module exists, the name
    does not. Reported at the innermost attribute that names something removed."""
    if not any(map(_may_reach_removed, module.imports.values())):
        return  # no import leads to a removed module or name: skip the walk over attributes
    for node in module.nodes(ast.Attribute):
        if not isinstance(node.ctx, ast.Load):
            continue
        qualname = module.qualname(node)
        if qualname is None or not qualname.startswith("twilio."):
            continue
        hit = removed.removed_name(qualname)
        if hit is None or _under(qualname, reported):
            continue
        inner = module.qualname(node.value)
        if inner is not None and removed.removed_name(inner) is not None:
            continue  # the inner attribute is the one reported
        # ``twilio.util.RequestValidator``: name the class, which has its own replacement.
        parent = module.parent(node)
        if isinstance(parent, ast.Attribute):
            outer = module.qualname(parent)
            if outer in removed.REMOVED_NAMES:
                node, qualname, hit = parent, outer, (outer, removed.REMOVED_NAMES[outer])
        data = _use_fix(module, node, qualname)
        yield _fixable(module, node, _removed_message(qualname, *hit), data)


@lru_cache(maxsize=4096)  # asked of every import of every module: the same names recur
def _may_reach_removed(imported: str) -> bool:
    """Could an attribute chain on this import end in a removed name? (``import twilio``
    can; ``from twilio.base import values`` cannot.)"""
    return imported in _removed_prefixes() or removed.removed_name(imported) is not None


@lru_cache(maxsize=1)
def _removed_prefixes() -> frozenset[str]:
    """Every dotted prefix of a removed module or name (``twilio``, ``twilio.rest``, …)."""
    return import_prefixes(removed.REMOVED_MODULES, removed.REMOVED_NAMES)


def _under(qualname: str, keys: set[str]) -> bool:
    return any(qualname == key or qualname.startswith(key + ".") for key in keys)


def _removed_message(name: str, key: str, entry: removed.Removed) -> str:
    what = f"{name} (in removed module {key})" if key != name else name
    return f"{what} was removed in twilio {entry.removed_in}; {entry.hint}"


# The fix of each finding is chosen here (``Finding.data["rewrite"]``), with what it needs:
# - ``move_import``: ``replacement``, the new import path, and ``legacy_client`` (the 5.x
#   ``TwilioRestClient``: unsafe, and only when every call keeps a 6.x shape);
# - ``twiml_response``: ``from twilio.twiml import Response`` → Voice/MessagingResponse;
# - ``rename_use``: a name renamed within its module (``replacement``, ``legacy_client``);
# - ``rename_method`` (``new``), ``call_update`` (``status``), ``sms_messages``,
#   ``drop_argument``. No data: no fix.

def _fixable(module: SemanticModel, node: ast.AST, message: str, data: dict | None) -> Finding:
    """A finding whose fix is the rewrite ``data`` names, declared as the fix will find it
    (``facts/removed_rewrites.py``: call shapes, bindings, builder calls, the written text)."""
    applicability = None
    if data:  # imported only when there is a fix to declare (start-up of other files)
        from twilio_lint.facts.imports import ModuleImports
        from twilio_lint.facts.removed_rewrites import applicability as declared

        applicability = declared(ModuleImports.of(module), node, data)
    return module.finding(CODE, node, message, data=data, fix_applicability=applicability)


#: The 5.x REST client that becomes ``Client`` (unsafe: its API differs in places).
_LEGACY_CLIENTS = frozenset({"twilio.rest.TwilioRestClient", "twilio.rest.client.TwilioRestClient"})
_TWIML_RESPONSE = "twilio.twiml.Response"
#: 5.x ``client.calls.hangup(sid)`` / ``cancel(sid)`` → ``calls(sid).update(status=…)``.
_CALL_UPDATE_STATUS = {"hangup": "completed", "cancel": "canceled"}


def _replacement(name: str) -> tuple[str, bool] | None:
    """(the new path, is it the 5.x client) when a fix moves ``name``: an entry of
    ``removed.REMOVED_NAMES`` with a one-to-one replacement marked safe, or the 5.x client."""
    entry = removed.REMOVED_NAMES.get(name)
    if entry is None or entry.replacement is None:
        return None
    legacy = name in _LEGACY_CLIENTS
    return (entry.replacement, legacy) if entry.fix == "safe" or legacy else None


def _import_fix(full: str) -> dict | None:
    """The fix data of ``from <module> import <name>`` (``full``)."""
    if full == _TWIML_RESPONSE:
        return {"rewrite": "twiml_response"}
    found = _replacement(full)
    if found is None:
        return None
    return {"rewrite": "move_import", "replacement": found[0], "legacy_client": found[1]}


def _use_fix(module: SemanticModel, node: ast.Attribute, qualname: str) -> dict | None:
    """The fix data of a use (``grants.IpMessagingGrant``): only a name that moved within the
    module it is used through, which keeps its prefix."""
    found = _replacement(qualname)
    if found is None:
        return None
    old_module = qualname.rsplit(".", 1)[0]
    if module.qualname(node.value) != old_module or old_module != found[0].rsplit(".", 1)[0]:
        return None
    return {"rewrite": "rename_use", "replacement": found[0], "legacy_client": found[1]}


# --- attributes and methods of the REST client ---------------------------------------------------


def _client_attributes(module: SemanticModel) -> Iterator[Finding]:
    """``client.sms.messages``, ``client.caller_ids``, ``client.fax``,
    ``client.preview.understand``."""
    if not ResourceFacts.of(module).might_have_resources():
        return  # every case below hangs off a client instance, and the file has none
    dropped: dict | None = None
    for node in module.nodes(ast.Attribute):
        if not isinstance(node.ctx, ast.Load):
            continue
        legacy = removed.REMOVED_CLIENT_ATTRIBUTES.get(node.attr)
        if legacy is not None and ClientFacts.of(module).is_client(node.value):
            yield _legacy_client_attribute(module, node, legacy[1])
            continue
        if dropped is None:
            dropped = removed.dropped_domains()
        finding = _dropped_domain(module, node, dropped)
        if finding is not None:
            yield finding


def _legacy_client_attribute(module: SemanticModel, node: ast.Attribute, hint: str) -> Finding:
    parent = module.parent(node)
    if node.attr == "sms" and isinstance(parent, ast.Attribute) and parent.attr == "messages":
        message = f"client.sms.messages was removed in twilio 6.0.0; {hint}"
        return _fixable(module, parent, message, {"rewrite": "sms_messages"})
    return module.finding(CODE, node, f"client.{node.attr} was removed in twilio 6.0.0; {hint}")


def _dropped_domain(module: SemanticModel, node: ast.Attribute, dropped: dict) -> Finding | None:
    entry = dropped["client_attributes"].get(node.attr)
    if entry is not None and ClientFacts.of(module).is_client(node.value):
        return module.finding(CODE, node, _dropped_message(f"client.{node.attr}", entry))
    domain = node.value
    if not isinstance(domain, ast.Attribute):
        return None
    entry = dropped["domain_versions"].get(f"{domain.attr}.{node.attr}")
    if entry is not None and ClientFacts.of(module).is_client(domain.value):
        name = f"client.{domain.attr}.{node.attr}"
        return module.finding(CODE, node, _dropped_message(name, entry))
    return None


def _dropped_message(name: str, entry: dict[str, str]) -> str:
    return (
        f"{name} is not in the current twilio SDK (last in {entry['last_seen']}, gone by "
        f"{entry['first_missing']}): this code only runs on twilio {entry['last_seen']} or "
        "older; migrate off this API"
    )


def _call_list_methods(module: SemanticModel) -> Iterator[Finding]:
    """5.x ``client.calls.hangup(sid)`` / ``cancel`` / ``route``: reported at the call."""
    if not ClientFacts.of(module).may_hold_clients():
        return  # each case is rooted at a client
    for call in module.calls:
        func = call.func
        if not isinstance(func, ast.Attribute) or func.attr not in removed.REMOVED_CALL_LIST_METHODS:
            continue
        calls = func.value
        if not (isinstance(calls, ast.Attribute) and calls.attr == "calls"):
            continue
        if not (call.args or call.keywords) or not ClientFacts.of(module).is_client_rooted(calls):
            continue
        new = removed.REMOVED_CALL_LIST_METHODS[func.attr]
        status = _CALL_UPDATE_STATUS.get(func.attr)
        data = {"rewrite": "call_update", "status": status} if status is not None else None
        yield _fixable(
            module, call, f"calls.{func.attr}(sid) was removed in twilio 6.0.0; use {new}", data
        )


def _last_response(module: SemanticModel) -> Iterator[Finding]:
    if not ClientFacts.of(module).may_hold_http_clients():
        return  # each case is read on an http client
    for node in module.nodes(ast.Attribute):
        if node.attr != removed.LEGACY_LAST_RESPONSE or not isinstance(node.ctx, ast.Load):
            continue
        if ClientFacts.of(module).is_http_client(node.value):
            yield module.finding(
                CODE,
                node,
                "http_client.last_response was removed in twilio 8.0.0 (its private successor "
                "is test-only); " + removed.WITH_HTTP_INFO_HINT,
            )


# --- TwiML builders and JWTs ---------------------------------------------------------------------


def _imports_from(module: SemanticModel, prefixes: tuple[str, ...]) -> bool:
    below = tuple(prefix + "." for prefix in prefixes)
    for target in module.imports.values():
        if target in prefixes or target.startswith(below):
            return True
    # ``import twilio`` then ``twilio.twiml.voice_response.VoiceResponse()``
    return "twilio" in module.imports.values() and any(p in module.source for p in prefixes)


def _twiml_methods(module: SemanticModel) -> Iterator[Finding]:
    """``say.ssml_break()`` and ``refer.refer_sip()``: removed in 8.0.0."""
    if not _imports_from(module, removed.TWIML_MODULES):
        return
    for call in module.calls:
        func = call.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr in removed.REMOVED_TWIML_METHODS
            and not _built_elsewhere(module, func.value)
        ):
            new = removed.REMOVED_TWIML_METHODS[func.attr]
            yield _fixable(
                module, call, f".{func.attr}() was removed in twilio 8.0.0; use .{new}()",
                {"rewrite": "rename_method", "new": new},
            )


def _to_jwt_algorithm(module: SemanticModel) -> Iterator[Finding]:
    """``token.to_jwt(algorithm='HS256')``: the parameter went away in 7.0.0. A positional
    string is the old algorithm too (the first parameter is now ``ttl``)."""
    if not _imports_from(module, removed.JWT_MODULES):
        return
    for call in module.calls:
        func = call.func
        if not (isinstance(func, ast.Attribute) and func.attr == "to_jwt"):
            continue
        if _built_elsewhere(module, func.value):
            continue
        for keyword in call.keywords:
            if keyword.arg == "algorithm":
                yield _jwt_finding(module, keyword)
        if call.args and module.string_value(call.args[0], follow_constants=False) is not None:
            yield _jwt_finding(module, call.args[0])


def _built_elsewhere(module: SemanticModel, receiver: ast.AST) -> bool:
    """Is ``receiver`` visibly made by something other than the twilio package: a call of a
    class imported from elsewhere or defined in this module, or a name bound to one?"""
    if isinstance(receiver, ast.Call):
        qualname = module.qualname(receiver.func)
        if qualname is not None:
            return not qualname.startswith("twilio.")
        return isinstance(receiver.func, ast.Name) and receiver.func.id in _local_defs(module)
    if isinstance(receiver, ast.Name):
        scope = module.enclosing_scope(receiver)
        for node in module.nodes(ast.Assign):
            if (
                any(isinstance(t, ast.Name) and t.id == receiver.id for t in node.targets)
                and module.enclosing_scope(node) is scope
                and isinstance(node.value, ast.Call)
                and _built_elsewhere(module, node.value)
            ):
                return True
    return False


def _local_defs(module: SemanticModel) -> set[str]:
    return {
        node.name
        for node in module.tree.body
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
    }


def _jwt_finding(module: SemanticModel, node: ast.AST) -> Finding:
    return _fixable(
        module,
        node,
        "to_jwt() lost its algorithm parameter in twilio 7.0.0 (tokens are signed with "
        "HS256); call to_jwt() without it",
        {"rewrite": "drop_argument"},
    )


# --- reads on a context without .fetch() -------------------------------------------------------


def _context_reads(module: SemanticModel) -> Iterator[Finding]:
    """``client.messages.get(sid).status`` and ``m = client.messages(sid); m.status``: a context
    has no record fields until ``.fetch()`` (5.x ``get(sid)`` fetched)."""
    if not ClientFacts.of(module).may_hold_clients():
        return  # a context hangs off a client (``_is_context``)
    named = _context_names(module)
    seen: set[tuple[ast.AST, str]] = set()
    for node in module.nodes(ast.Attribute):
        receiver = node.value
        if isinstance(receiver, ast.Name) and named:
            key = (module.enclosing_scope(receiver), receiver.id)
            if key not in named or key in seen or not _is_field_read(module, node):
                continue
            seen.add(key)  # one finding per context variable
            origin = named[key]
        elif isinstance(receiver, ast.Call) and _is_context(module, receiver):
            if not _is_field_read(module, node):
                continue
            origin = receiver
        else:
            continue
        yield module.finding(CODE, node, _context_message(module, origin, node.attr))


def _is_field_read(module: SemanticModel, node: ast.Attribute) -> bool:
    if not isinstance(node.ctx, ast.Load) or node.attr.startswith("_"):
        return False
    if node.attr in removed.context_members():
        return False
    parent = module.parent(node)
    return not (isinstance(parent, ast.Call) and parent.func is node)  # a method we don't know


def _is_context(module: SemanticModel, expr: ast.AST) -> bool:
    """``<client chain>.messages(sid)`` or ``<client chain>.messages.get(sid)``."""
    if not isinstance(expr, ast.Call) or len(expr.args) != 1 or expr.keywords:
        return False
    func = expr.func
    if not isinstance(func, ast.Attribute):
        return False
    resource = func.value if func.attr == "get" else func
    if not isinstance(resource, ast.Attribute):
        return False
    if resource.attr not in removed.resource_list_names():
        return False
    root = ClientFacts.of(module).client_root(resource)
    return root is not None and root is not resource


def _context_names(module: SemanticModel) -> dict[tuple[ast.AST, str], ast.Call]:
    """Names whose every binding in their scope is a context: (scope, name) → the context."""
    contexts: dict[tuple[ast.AST, str], ast.Call] = {}
    plain: dict[tuple[ast.AST, str], int] = {}
    for node in module.nodes(ast.Assign):
        target = node.targets[0]
        if len(node.targets) != 1 or not isinstance(target, ast.Name):
            continue
        if not _is_context(module, node.value):
            continue
        key = (module.enclosing_scope(target), target.id)
        contexts.setdefault(key, node.value)
        plain[key] = plain.get(key, 0) + 1
    if not contexts:
        return contexts
    # Any other binding (loop target, augmented or tuple assignment…) makes it uncertain.
    wanted = {name for _, name in contexts}
    bindings: dict[tuple[ast.AST, str], int] = {}
    for name in module.nodes(ast.Name):
        if name.id in wanted and isinstance(name.ctx, ast.Store):
            key = (module.enclosing_scope(name), name.id)
            bindings[key] = bindings.get(key, 0) + 1
    return {key: call for key, call in contexts.items() if plain[key] == bindings.get(key)}


def _context_message(module: SemanticModel, context: ast.Call, attr: str) -> str:
    shown = chain_shape(context.func)
    resource = shown.removesuffix(".get")
    return (
        f"{shown}(sid) builds a context without fetching: .{attr} is not there (AttributeError) "
        f"until you fetch it: {resource}(sid).fetch().{attr}"
    )
