"""The SDK's removed and deprecated API (TWL402–TWL404): what each name became, and the derived
tables in ``data/`` that ``scripts/`` regenerate."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# --- SDK currency: removed and deprecated API (TWL402–TWL404) --------------------------------
# Curated from the 5.7.0 → 9.13.0 sources (reference §7). Derived lists live in data files:
# data/domain_shortcuts.json (scripts/gen_domain_shortcuts.py), data/dropped_domains.json
# (scripts/gen_dropped_domains.py), data/context_members.json (scripts/gen_context_members.py).
# Each entry keeps the exact replacement so that a fix is a lookup.


@dataclass(frozen=True)
class Removed:
    """A name the current SDK no longer has, and what replaces it."""

    #: The exact new import path (``twilio.request_validator.RequestValidator``), or None when
    #: there is no one-to-one replacement.
    replacement: str | None
    #: When it went away, for the message (``"6.0.0"``).
    removed_in: str
    #: What to do instead, in words, for the message.
    hint: str
    #: How a fix would apply: ``"safe"`` (pure import move, same call shape), ``"unsafe"``
    #: (call shapes change) or None (no automatic fix possible).
    fix: str | None = None


_TO_CLIENT = "twilio.rest.Client"
_BASE_EXC = "twilio.base.exceptions"
_GRANTS = "twilio.jwt.access_token.grants"
_TR_CAPS = "twilio.jwt.taskrouter.capabilities"
_VOICE = "twilio.twiml.voice_response"
_MESSAGING = "twilio.twiml.messaging_response"

#: Modules that no longer exist: every import from them fails.
REMOVED_MODULES: dict[str, Removed] = {
    "twilio.util": Removed(
        None, "6.0.0", "RequestValidator is in twilio.request_validator; TwilioCapability became "
        "twilio.jwt.client.ClientCapabilityToken"),
    "twilio.access_token": Removed(
        "twilio.jwt.access_token", "6.0.0", "use twilio.jwt.access_token.AccessToken and the "
        "grants in twilio.jwt.access_token.grants"),
    "twilio.task_router": Removed(
        _TR_CAPS, "6.0.0", "use the capability tokens in twilio.jwt.taskrouter.capabilities"),
    "twilio.exceptions": Removed(_BASE_EXC, "6.0.0", "use twilio.base.exceptions", "safe"),
    "twilio.rest.exceptions": Removed(_BASE_EXC, "6.0.0", "use twilio.base.exceptions", "safe"),
    "twilio.rest.resources": Removed(
        None, "6.0.0", "go through twilio.rest.Client (client.messages, client.calls, …); set a "
        "proxy with TwilioHttpClient(proxy=…)"),
    "twilio.rest.base": Removed(
        None, "6.0.0", "set a proxy with twilio.http.http_client.TwilioHttpClient(proxy=…)"),
    "twilio.rest.task_router": Removed(
        _TO_CLIENT, "6.0.0", "use twilio.rest.Client(...).taskrouter", "unsafe"),
    "twilio.compat": Removed(None, "7.0.0", "use urllib.parse.urlencode and the built-in zip"),
    "twilio.jwt.compat": Removed("hmac.compare_digest", "7.0.0", "use hmac.compare_digest"),
}


def _client(domain: str | None) -> Removed:
    where = f"twilio.rest.Client(...).{domain}" if domain else "twilio.rest.Client"
    return Removed(_TO_CLIENT, "6.0.0 (ImportError since 8.0.0)", f"use {where}", "unsafe")


def _voice(name: str, new: str | None = None) -> Removed:
    return Removed(f"{_VOICE}.{new or name}", "6.0.0", f"use {_VOICE}.{new or name}", "unsafe")


#: What code reads to tell which SDK it runs on.
SDK_VERSION_NAMES = frozenset({"twilio.__version_info__", "twilio.__version__"})
#: Calls that read an installed distribution's version from its name: ``version("twilio")``.
PACKAGE_VERSION_GETTERS = frozenset({
    "importlib.metadata.version",
    "importlib.metadata.distribution",
    "importlib_metadata.version",
    "importlib_metadata.distribution",
    "pkg_resources.get_distribution",
    "pkg_resources.require",
})

#: Names that no longer exist in modules that still do (``twilio.rest``, ``twilio.twiml``…).
REMOVED_NAMES: dict[str, Removed] = {
    "twilio.rest.TwilioRestClient": _client(None),
    "twilio.rest.client.TwilioRestClient": _client(None),
    "twilio.rest.TwilioLookupsClient": _client("lookups"),
    "twilio.rest.lookups.TwilioLookupsClient": _client("lookups"),
    "twilio.rest.TwilioTaskRouterClient": _client("taskrouter"),
    "twilio.rest.TwilioIpMessagingClient": _client("chat"),
    "twilio.rest.ip_messaging.TwilioIpMessagingClient": _client("chat"),
    "twilio.rest.TwilioPricingClient": _client("pricing"),
    "twilio.rest.pricing.TwilioPricingClient": _client("pricing"),
    "twilio.rest.TwilioMonitorClient": _client("monitor"),
    "twilio.rest.monitor.TwilioMonitorClient": _client("monitor"),
    "twilio.rest.TwilioTrunkingClient": _client("trunking"),
    "twilio.rest.trunking.TwilioTrunkingClient": _client("trunking"),
    "twilio.rest.set_twilio_proxy": Removed(
        None, "6.0.0", "pass http_client=TwilioHttpClient(proxy={'https': …}) to the Client"),
    "twilio.TwilioRestException": Removed(
        f"{_BASE_EXC}.TwilioRestException", "6.0.0", f"use {_BASE_EXC}.TwilioRestException",
        "safe"),
    "twilio.TwilioException": Removed(
        f"{_BASE_EXC}.TwilioException", "6.0.0", f"use {_BASE_EXC}.TwilioException", "safe"),
    "twilio.TwimlException": Removed(
        "twilio.twiml.TwiMLException", "6.0.0", "use twilio.twiml.TwiMLException", "safe"),
    "twilio.exceptions.TwilioException": Removed(
        f"{_BASE_EXC}.TwilioException", "6.0.0", f"use {_BASE_EXC}.TwilioException", "safe"),
    "twilio.exceptions.TwimlException": Removed(
        "twilio.twiml.TwiMLException", "6.0.0", "use twilio.twiml.TwiMLException", "safe"),
    "twilio.rest.exceptions.TwilioRestException": Removed(
        f"{_BASE_EXC}.TwilioRestException", "6.0.0", f"use {_BASE_EXC}.TwilioRestException",
        "safe"),
    "twilio.util.RequestValidator": Removed(
        "twilio.request_validator.RequestValidator", "6.0.0",
        "use twilio.request_validator.RequestValidator", "safe"),
    "twilio.util.TwilioCapability": Removed(
        "twilio.jwt.client.ClientCapabilityToken", "6.0.0",
        "use twilio.jwt.client.ClientCapabilityToken(...).to_jwt()", "unsafe"),
    "twilio.util.ScopeURI": Removed(
        "twilio.jwt.client.ScopeURI", "6.0.0", "use twilio.jwt.client.ScopeURI", "safe"),
    "twilio.access_token.AccessToken": Removed(
        "twilio.jwt.access_token.AccessToken", "6.0.0", "use twilio.jwt.access_token.AccessToken",
        "safe"),
    # The 5.x grants took other positional parameters: a move changes call shapes.
    "twilio.access_token.VoiceGrant": Removed(
        f"{_GRANTS}.VoiceGrant", "6.0.0", f"use {_GRANTS}.VoiceGrant", "unsafe"),
    "twilio.access_token.VideoGrant": Removed(
        f"{_GRANTS}.VideoGrant", "6.0.0", f"use {_GRANTS}.VideoGrant", "unsafe"),
    "twilio.access_token.IpMessagingGrant": Removed(
        f"{_GRANTS}.ChatGrant", "6.0.0", f"use {_GRANTS}.ChatGrant", "unsafe"),
    "twilio.access_token.ConversationsGrant": Removed(
        f"{_GRANTS}.VoiceGrant", "6.0.0", f"use {_GRANTS}.VoiceGrant", "unsafe"),
    # Same parameters as ChatGrant: a rename.
    f"{_GRANTS}.IpMessagingGrant": Removed(
        f"{_GRANTS}.ChatGrant", "8.0.0", f"use {_GRANTS}.ChatGrant", "safe"),
    f"{_GRANTS}.ConversationsGrant": Removed(
        f"{_GRANTS}.VoiceGrant", "8.0.0", f"use {_GRANTS}.VoiceGrant", "unsafe"),
    "twilio.task_router.TaskRouterCapability": Removed(
        "twilio.jwt.taskrouter.TaskRouterCapabilityToken", "6.0.0",
        "use twilio.jwt.taskrouter.TaskRouterCapabilityToken (ttl in the constructor, "
        ".to_jwt())", "unsafe"),
    "twilio.task_router.TaskRouterWorkerCapability": Removed(
        f"{_TR_CAPS}.WorkerCapabilityToken", "6.0.0",
        f"use {_TR_CAPS}.WorkerCapabilityToken (ttl in the constructor, .to_jwt())", "unsafe"),
    "twilio.task_router.TaskRouterTaskQueueCapability": Removed(
        f"{_TR_CAPS}.TaskQueueCapabilityToken", "6.0.0",
        f"use {_TR_CAPS}.TaskQueueCapabilityToken (ttl in the constructor, .to_jwt())", "unsafe"),
    "twilio.task_router.TaskRouterWorkspaceCapability": Removed(
        f"{_TR_CAPS}.WorkspaceCapabilityToken", "6.0.0",
        f"use {_TR_CAPS}.WorkspaceCapabilityToken (ttl in the constructor, .to_jwt())", "unsafe"),
    **{
        f"twilio.task_router.{name}": Removed(
            None, "6.0.0", "build the workflow configuration as a dict and pass "
            "configuration=json.dumps(...) to workflows.create/update")
        for name in ("WorkflowConfig", "WorkflowRule", "WorkflowRuleTarget", "TaskRouterConfig")
    },
    "twilio.twiml.Response": Removed(
        f"{_VOICE}.VoiceResponse", "6.0.0",
        f"use {_VOICE}.VoiceResponse for calls or {_MESSAGING}.MessagingResponse for messages",
        "unsafe"),
    "twilio.twiml.TwimlException": Removed(
        "twilio.twiml.TwiMLException", "6.0.0", "use twilio.twiml.TwiMLException", "safe"),
    "twilio.twiml.Verb": Removed("twilio.twiml.TwiML", "6.0.0", "use twilio.twiml.TwiML",
                                 "unsafe"),
    "twilio.twiml.Message": Removed(
        f"{_MESSAGING}.Message", "6.0.0", f"use {_MESSAGING}.Message", "unsafe"),
    "twilio.twiml.Body": Removed(f"{_MESSAGING}.Body", "6.0.0", f"use {_MESSAGING}.Body",
                                 "unsafe"),
    "twilio.twiml.Media": Removed(
        f"{_MESSAGING}.Media", "6.0.0", f"use {_MESSAGING}.Media", "unsafe"),
    "twilio.twiml.Uri": _voice("Uri", "SipUri"),
    **{
        f"twilio.twiml.{verb}": _voice(verb)
        for verb in (
            "Say", "Play", "Pause", "Redirect", "Hangup", "Reject", "Gather", "Number",
            "Client", "Sms", "Conference", "Dial", "Queue", "Enqueue", "Task", "Leave",
            "Record", "Sip",
        )
    },
}


#: The top-level packages of every removed name and module (``twilio``).
_REMOVED_ROOTS = frozenset(key.partition(".")[0] for key in (*REMOVED_NAMES, *REMOVED_MODULES))


@lru_cache(maxsize=4096)  # asked of every import and use; the same few hundred names recur
def removed_name(qualname: str) -> tuple[str, Removed] | None:
    """(the removed name or module, what replaces it) for a fully qualified name, or None.

    ``twilio.util.RequestValidator`` → its own entry; ``twilio.util.anything`` → ``twilio.util``.
    """
    if qualname.partition(".")[0] not in _REMOVED_ROOTS:
        return None  # ``typing.List``: asked of every import, and no removed name is there
    entry = REMOVED_NAMES.get(qualname)
    if entry is not None:
        return qualname, entry
    module = qualname
    while module:
        entry = REMOVED_MODULES.get(module)
        if entry is not None:
            return module, entry
        module = module.rpartition(".")[0]
    return None


#: 5.x attributes of the REST client that 6.0.0 removed: attribute → (replacement, hint).
REMOVED_CLIENT_ATTRIBUTES: dict[str, tuple[str | None, str]] = {
    "sms": ("messages", "use client.messages (the legacy SMS resource is gone)"),
    "caller_ids": ("outgoing_caller_ids", "use client.outgoing_caller_ids"),
    "phone_numbers": (
        None,
        "search with client.available_phone_numbers('US').local.list(...), buy with "
        "client.incoming_phone_numbers.create(phone_number=...), list yours with "
        "client.incoming_phone_numbers.list()",
    ),
    "sandboxes": (None, "the sandbox resource is gone; use a Twilio phone number"),
}

#: 5.x ``client.calls.<method>(sid, ...)`` and their 6.x+ forms.
REMOVED_CALL_LIST_METHODS: dict[str, str] = {
    "hangup": "client.calls(sid).update(status='completed')",
    "cancel": "client.calls(sid).update(status='canceled')",
    "route": "client.calls(sid).update(url=..., method=...)",
}

#: TwiML builder methods removed in 8.0.0 → their replacement method.
REMOVED_TWIML_METHODS: dict[str, str] = {
    **{
        f"ssml_{name}": ("break_" if name == "break" else name)
        for name in ("break", "emphasis", "lang", "p", "phoneme", "prosody", "s", "say_as",
                     "sub", "w")
    },
    "refer_sip": "sip",
}
#: Modules whose import makes ``.ssml_*()`` / ``.refer_sip()`` calls Twilio TwiML builders.
TWIML_MODULES = ("twilio.twiml",)
#: Modules whose import makes ``.to_jwt(algorithm=…)`` a Twilio JWT call (removed in 7.0.0).
JWT_MODULES = ("twilio.jwt", "twilio.access_token", "twilio.util", "twilio.task_router")

#: The http client's last response: public before 8.0.0, private (test-only) since.
LEGACY_LAST_RESPONSE = "last_response"
PRIVATE_LAST_RESPONSE = "_test_only_last_response"
WITH_HTTP_INFO_HINT = (
    "call the *_with_http_info methods (twilio 9.10+), e.g. "
    "client.messages.create_with_http_info(...), which return the status code and headers"
)


def _load_data(name: str) -> dict:
    """A JSON file of twilio_lint/knowledge/data, read on first use (rules that never ask never pay)."""
    from twilio_lint.knowledge import load_data

    return load_data(name)


#: Shortcuts whose versioned path (what the fix writes) is not the current API: the current
#: one, named in the message.
CURRENT_API_PATHS = {"lookups.phone_numbers": "lookups.v2.phone_numbers"}
#: The release whose shortcuts started to warn.
SHORTCUTS_WARN_SINCE = "8.0.0"


@lru_cache(maxsize=1)
def domain_shortcuts() -> dict[str, dict[str, str]]:
    """``"api.calls"`` → ``{"replacement": "api.account.calls", "client_shortcut": "calls",
    "warning": …}``: the 157 domain shortcuts that emit DeprecationWarning since 8.0.0."""
    return _load_data("domain_shortcuts.json")["shortcuts"]


@lru_cache(maxsize=1)
def dropped_domains() -> dict[str, dict[str, dict[str, str]]]:
    """``client_attributes`` (``fax`` → first/last seen, first missing) and ``domain_versions``
    (``preview.understand`` → …): parts of the client that the current SDK has dropped."""
    return _load_data("dropped_domains.json")


@lru_cache(maxsize=1)
def context_members() -> frozenset[str]:
    """Every method and sub-resource name of a resource context (``fetch``, ``media``…): a
    read of any other public attribute on ``client.X(sid)`` needs ``.fetch()`` first."""
    return frozenset(_load_data("context_members.json")["members"])


@lru_cache(maxsize=1)
def resource_list_names() -> frozenset[str]:
    """Names under which resource lists are reached (``messages``, ``calls``, ``services``…):
    ``<client chain>.<name>(sid)`` builds a context."""
    return frozenset(_load_data("context_members.json")["lists"])
