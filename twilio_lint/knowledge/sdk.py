"""What twilio-lint knows about the Twilio Python SDK, in one place.

Rules ask these tables (and the module model built on them); no rule keeps its own copy.
Facts come from the twilio-python source (9.13.0 unless a version is named).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

# --- Classes, by fully qualified name ------------------------------------------------------

#: The current REST client (6.0.0+). ``twilio.rest.Client`` is the public path.
REST_CLIENT = "twilio.rest.Client"

#: 5.x REST clients. All removed in 8.0.0 (6.5.2–7.17.0 raise ObsoleteException).
LEGACY_REST_CLIENTS = frozenset(
    {
        "twilio.rest.TwilioRestClient",
        "twilio.rest.TwilioLookupsClient",
        "twilio.rest.TwilioTaskRouterClient",
        "twilio.rest.TwilioIpMessagingClient",
        "twilio.rest.TwilioPricingClient",
        "twilio.rest.TwilioMonitorClient",
        "twilio.rest.TwilioTrunkingClient",
        "twilio.rest.client.TwilioRestClient",
    }
)

#: Every class whose instances are a Twilio REST client.
REST_CLIENT_CLASSES = frozenset({REST_CLIENT, "twilio.rest.client.Client"}) | LEGACY_REST_CLIENTS

HTTP_CLIENT = "twilio.http.http_client.TwilioHttpClient"
ASYNC_HTTP_CLIENT = "twilio.http.async_http_client.AsyncTwilioHttpClient"
VALIDATION_CLIENT = "twilio.http.validation_client.ValidationClient"
HTTP_CLIENT_CLASSES = frozenset({HTTP_CLIENT, ASYNC_HTTP_CLIENT, VALIDATION_CLIENT})

REQUEST_VALIDATOR = "twilio.request_validator.RequestValidator"
LEGACY_REQUEST_VALIDATOR = "twilio.util.RequestValidator"
REQUEST_VALIDATOR_CLASSES = frozenset({REQUEST_VALIDATOR, LEGACY_REQUEST_VALIDATOR})

TWILIO_EXCEPTION = "twilio.base.exceptions.TwilioException"
TWILIO_REST_EXCEPTION = "twilio.base.exceptions.TwilioRestException"
TWILIO_SERVICE_EXCEPTION = "twilio.base.exceptions.TwilioServiceException"  # 9.10.0+
LEGACY_EXCEPTIONS = {
    "twilio.TwilioRestException": TWILIO_REST_EXCEPTION,
    "twilio.rest.exceptions.TwilioRestException": TWILIO_REST_EXCEPTION,
    "twilio.exceptions.TwilioException": TWILIO_EXCEPTION,
}

#: Re-exports: a name imported from the left module is the class on the right.
#: ``from twilio.rest import Client`` and ``twilio.rest.client.Client`` are the same class.
ALIASES = {
    "twilio.rest.client.Client": REST_CLIENT,
    "twilio.base.client_base.ClientBase": REST_CLIENT,
    "twilio.http.TwilioHttpClient": HTTP_CLIENT,
}

# --- The client constructor -------------------------------------------------------------------

#: ``Client(username, password, account_sid, region, http_client, environment, edge,
#: user_agent_extensions, credential_provider)`` — positional order since 6.0.0.
def canonical(qualname: str) -> str:
    """Map re-exported paths to one name (``twilio.rest.client.Client`` → ``twilio.rest.Client``)."""
    return ALIASES.get(qualname, qualname)


CLIENT_PARAMS = (
    "username",
    "password",
    "account_sid",
    "region",
    "http_client",
    "environment",
    "edge",
    "user_agent_extensions",
    "credential_provider",
)
#: 5.x ``TwilioRestClient(account, token, base, version, timeout, request_account)``.
LEGACY_CLIENT_PARAMS = ("account", "token", "base", "version", "timeout", "request_account")

#: The SDK reads the account SID from this environment variable when the client is given none.
SDK_ENV_ACCOUNT_SID = "TWILIO_ACCOUNT_SID"

# --- Credential shapes ------------------------------------------------------------------------

HEX32_RE = re.compile(r"^[0-9a-fA-F]{32}$")
SECRET32_RE = re.compile(r"^[0-9a-zA-Z]{32}$")

#: Lower-case fragments of a name (variable, attribute, key, env var) and the credential kind
#: they suggest. Checked in order: the first fragment found decides.
CREDENTIAL_NAME_HINTS: tuple[tuple[str, str], ...] = (
    ("api_key_secret", "secret"),
    ("api_secret", "secret"),
    ("apisecret", "secret"),
    ("key_secret", "secret"),
    ("keysecret", "secret"),
    ("api_key", "key"),
    ("apikey", "key"),
    ("key_sid", "key"),
    ("keysid", "key"),
    ("auth_token", "token"),
    ("authtoken", "token"),
    ("account_sid", "account"),
    ("accountsid", "account"),
    ("account", "account"),
    ("acct", "account"),
    ("token", "token"),
    ("secret", "secret"),
)


def credential_kind_of_name(name: str) -> str | None:
    """Classify an identifier or env-var name as ``account``/``key``/``secret``/``token``."""
    lowered = name.lower()
    for fragment, kind in CREDENTIAL_NAME_HINTS:
        if fragment in lowered:
            return kind
    return None


def credential_kind_of_literal(value: str) -> str | None:
    """Classify a literal by its shape, placeholders included (``ACXXXX…`` is an account)."""
    stripped = value.strip()
    if stripped[:2] == "AC" and len(stripped) >= 10:
        return "account"
    if stripped[:2] == "SK" and len(stripped) >= 10:
        return "key"
    if HEX32_RE.match(stripped):
        return "token"
    lowered = stripped.lower()
    if "auth_token" in lowered or "authtoken" in lowered:
        return "token"
    kind = credential_kind_of_name(lowered.strip("<>[]{} "))
    return kind


def mask_secret(value: str) -> str:
    """Show at most the first 4 characters of a credential, then an ellipsis."""
    return value[:4] + "…"


# --- Resources and requests -------------------------------------------------------------------

#: Methods that make an HTTP request. Each also has ``_async`` (8.0+) and
#: ``_with_http_info`` / ``_with_http_info_async`` (9.10+) variants.
REQUEST_METHODS = frozenset({"fetch", "list", "stream", "page", "create", "update", "delete"})
READ_METHODS = frozenset({"fetch", "list", "stream", "page"})
WRITE_METHODS = frozenset({"create", "update"})
PAGED_METHODS = frozenset({"list", "stream", "page"})
_VARIANT_SUFFIXES = ("_with_http_info_async", "_with_http_info", "_async")


def request_method_base(name: str) -> str | None:
    """``create_async`` → ``create``; ``fetch`` → ``fetch``; anything else → None."""
    for suffix in _VARIANT_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return name if name in REQUEST_METHODS else None


# --- Traffic: polling, fetching, listing, deleting (TWL201–TWL205) ---------------------------

#: Path segments that only pick the API version/account, dropped when resource paths are
#: compared (``client.api.v2010.account.messages`` is ``client.messages``).
ACCOUNT_PATH_SEGMENTS = frozenset({"api", "v2010", "account"})

#: List resources whose ``list()`` can return an account's whole history (TWL203). Low-volume
#: lists (incoming phone numbers, messaging services, applications, keys…) are not here.
HIGH_VOLUME_RESOURCES = frozenset(
    {
        "messages",
        "calls",
        "recordings",
        "conferences",
        "transcriptions",
        "notifications",
        "alerts",  # monitor.v1.alerts
        "events",  # monitor.v1.events, taskrouter workspace events
        "usage_records",  # wireless / supersim
        "call_summaries",  # insights.v1
        "verification_attempts",  # verify.v2
        "executions",  # studio flow executions
        "rooms",  # video.v1
        "compositions",  # video.v1
        "logs",  # serverless environment logs
    }
)
#: ``usage.records`` and its period sub-lists (``usage.records.daily``…): one row per
#: category and period.
USAGE_RECORD_LISTS = frozenset(
    {
        "records",
        "daily",
        "monthly",
        "yearly",
        "today",
        "yesterday",
        "this_month",
        "last_month",
        "all_time",
    }
)
#: Records that hold a whole stream of traffic: a list below one of them is as big as the
#: account's (``flows(sid).executions``, ``workspaces(sid).events``).
CONTAINER_CONTEXTS = frozenset({"accounts", "services", "workspaces", "flows", "environments"})
#: ``list()`` filters that bound the result by date, one-sided or not (9.13.0 ``twilio/rest``).
DATE_FILTER_PARAMS = frozenset(
    {
        "date_sent",
        "date_sent_before",
        "date_sent_after",
        "date_created",
        "date_created_before",
        "date_created_after",
        "date_created_from",
        "date_created_to",
        "date_updated",
        "date_updated_before",
        "date_updated_after",
        "created_after",
        "created_before",
        "created_at_after",
        "created_at_before",
        "start_time",
        "start_time_before",
        "start_time_after",
        "end_time",
        "end_time_before",
        "end_time_after",
        "start_date",
        "end_date",
        "message_date",
        "message_date_before",
        "message_date_after",
        "start",
        "end",
    }
)
#: ``list()`` filters that select the children of one call or conference: a bounded result.
PARENT_FILTER_PARAMS = frozenset({"parent_call_sid", "call_sid", "conference_sid"})
#: ``list()`` arguments that cap the number of records.
LIMIT_PARAMS = frozenset({"limit"})
#: The date filter to suggest in a TWL203 message, by resource.
DATE_FILTER_EXAMPLES = {
    "messages": "date_sent_after",
    "calls": "start_time_after",
    "recordings": "date_created_after",
    "conferences": "date_created_after",
    "notifications": "message_date_after",
    "verification_attempts": "date_created_after",
    "executions": "date_created_from",
    "rooms": "date_created_after",
    "compositions": "date_created_after",
    "call_summaries": "start_time",
}


def is_high_volume_list(path: tuple[str, ...]) -> bool:
    """Is the resource path (``ResourceFacts.resource_path``) a list that grows with traffic?

    ``("messages",)``, ``("accounts()", "calls")``, ``("usage", "records", "daily")`` are;
    ``("calls()", "recordings")`` is not: the recordings of one call are few.
    """
    if not path or path[-1].endswith("()"):
        return False
    name = path[-1]
    if name in HIGH_VOLUME_RESOURCES:
        high = True
    elif name == "records":
        high = path[-2:-1] == ("usage",)
    elif name in USAGE_RECORD_LISTS:
        high = path[-3:-1] == ("usage", "records")
    else:
        high = False
    # A sub-list of one call, conference, conversation or room is bounded by that record;
    # one account, service, workspace or flow is not.
    return high and not any(
        segment.endswith("()") and segment[:-2] not in CONTAINER_CONTEXTS for segment in path[:-1]
    )

#: Resources whose ``create`` takes ``status_callback`` and whose status changes after it
#: (TWL205): ``messages.create`` and ``calls.create``.
STATUS_CALLBACK_RESOURCES = frozenset({"messages", "calls"})
#: ``create`` arguments that make Twilio report status changes: ``application_sid`` uses the
#: application's status callback.
STATUS_CALLBACK_ARGS = frozenset({"status_callback", "application_sid"})
#: Attributes a polling loop re-checks.
STATUS_ATTRS = frozenset({"status"})

#: Functions that pause the current thread or task: the pacing of a bulk loop (TWL204), the
#: wait of a polling loop (TWL201) and of a hand-written retry loop (TWL302).
SLEEP_FUNCTIONS = frozenset(
    {
        "time.sleep",
        "asyncio.sleep",
        "trio.sleep",
        "anyio.sleep",
        "gevent.sleep",
        "eventlet.sleep",
        "eventlet.greenthread.sleep",
    }
)
#: Fragments of a called name or ``with`` target that mark a rate limiter:
#: ``limiter.acquire()``, ``throttle()``, ``async with rate_limiter:`` (aiolimiter,
#: pyrate-limiter, limits, ratelimiter and home-grown ones).
RATE_LIMITER_HINTS = ("limiter", "ratelimit", "rate_limit", "throttle", "token_bucket")
#: Token bucket methods: ``bucket.consume(1)`` paces, ``s3_bucket.upload_file()`` does not.
TOKEN_BUCKET_METHODS = frozenset({"consume", "acquire", "try_acquire", "take", "wait"})


# --- Webhooks and callbacks -------------------------------------------------------------------

#: Parameters of REST calls (9.13.0 ``twilio/rest``) that take a URL Twilio will call back.
CALLBACK_PARAMS = frozenset(
    {
        "status_callback",
        "callback_url",
        "sms_fallback_url",
        "sms_url",
        "voice_fallback_url",
        "voice_url",
        "configuration_url",
        "webhook_url",
        "status_callback_url",
        "post_webhook_url",
        "pre_webhook_url",
        "fallback_url",
        "recording_status_callback",
        "url",
        "wait_url",
        "conference_recording_status_callback",
        "conference_status_callback",
        "delivery_callback_url",
        "announce_url",
        "assignment_callback_url",
        "auto_creation_webhook_url",
        "call_status_callback_url",
        "call_url",
        "client_notification_url",
        "commands_callback_url",
        "dequeue_status_callback_url",
        "disaster_recovery_url",
        "event_callback_url",
        "fallback_assignment_callback_url",
        "inbound_request_url",
        "integration_url",
        "intercept_callback_url",
        "ip_commands_url",
        "message_status_callback",
        "out_of_session_callback_url",
        "redirect_url",
        "sip_url",
        "sms_commands_url",
        "sms_status_callback",
        "voice_status_callback_url",
        "amd_status_callback",
        "async_amd_status_callback",
        "authorize_redirect_url",
        "callback",
        "deauthorize_callback_url",
        "hold_url",
    }
    | {
        f"webhooks_on_{event}_url"
        for event in (
            "channel_add",
            "channel_added",
            "channel_destroy",
            "channel_destroyed",
            "channel_update",
            "channel_updated",
            "member_add",
            "member_added",
            "member_remove",
            "member_removed",
            "message_remove",
            "message_removed",
            "message_send",
            "message_sent",
            "message_update",
            "message_updated",
        )
    }
)

#: URL parameters that Twilio fetches as content or shows to people: not webhooks.
CONTENT_URL_PARAMS = frozenset(
    {
        "media_url",
        "privacy_policy_url",
        "terms_and_conditions_url",
        "aws_s3_url",
        "business_website_url",
        "homepage_url",
        "plugin_url",
        "opt_in_image_urls",
    }
)

#: TwiML builder attributes (``twiml/voice_response.py``, ``messaging_response.py``) that
#: make Twilio request a URL of yours. ``url`` of ``<Play>`` and ``<Media>`` is content.
TWIML_CALLBACK_ATTRS = frozenset(
    {
        "action",
        "status_callback",
        "recording_status_callback",
        "wait_url",
        "status_callback_url",
        "amd_status_callback",
        "refer_url",
        "partial_result_callback",
        "transcribe_callback",
        "event_callback_url",
        "sip_url",
        "url",
    }
)
#: TwiML verbs whose ``url`` is media to fetch, not a callback.
TWIML_CONTENT_VERBS = frozenset({"play", "media", "Play", "Media"})

#: Form parameters Twilio posts to webhooks; reading them marks a Twilio webhook handler.
WEBHOOK_REQUEST_PARAMS = frozenset(
    {
        "From",
        "To",
        "Body",
        "CallSid",
        "MessageSid",
        "SmsSid",
        "SmsMessageSid",
        "AccountSid",
        "CallStatus",
        "MessageStatus",
        "SmsStatus",
        "Digits",
        "RecordingUrl",
        "RecordingSid",
        "SpeechResult",
        "EventType",
        "NumMedia",
        "MediaUrl0",
        "TranscriptionText",
        "ErrorCode",
    }
)
SIGNATURE_HEADER = "X-Twilio-Signature"

# --- Webhook security: TwiML builders, webhook handlers, TLS (TWL103–TWL105) -----------------

#: Modules whose capitalised names are TwiML verb/response classes (5.x ``twilio.twiml.*`` too).
TWIML_CLASS_MODULES = (
    "twilio.twiml.voice_response.",
    "twilio.twiml.messaging_response.",
    "twilio.twiml.fax_response.",
    "twilio.twiml.",
)
#: Builder methods that return text, not another TwiML node.
TWIML_TEXT_METHODS = frozenset({"to_xml", "xml", "__str__", "encode"})

#: Webhook request parameters only Twilio sends: enough on their own to mark a Twilio webhook.
#: The ones taken out are also sent by other providers (Plivo) and count only in modules that
#: import twilio.
WEBHOOK_TWILIO_ONLY_PARAMS = WEBHOOK_REQUEST_PARAMS - {
    "From",
    "To",
    "Body",
    "Digits",
    "EventType",
    "ErrorCode",
}
#: The signature header as code spells it: Flask/Starlette header name, Django ``META`` key.
SIGNATURE_HEADER_SPELLINGS = frozenset({"x-twilio-signature", "http_x_twilio_signature"})
#: Decorators from other packages that validate the signature (django-twilio).
VALIDATING_DECORATORS = frozenset({"django_twilio.decorators.twilio_view"})

#: Callback parameters named so distinctly that ``<anything>.create(status_callback=…)`` in a
#: module that imports twilio is a Twilio call even when the client came in as a parameter.
TWILIO_SHAPED_CALLBACK_PARAMS = frozenset(
    {
        "status_callback",
        "status_callback_url",
        "sms_url",
        "sms_fallback_url",
        "voice_url",
        "voice_fallback_url",
        "recording_status_callback",
        "conference_status_callback",
        "conference_recording_status_callback",
        "amd_status_callback",
        "async_amd_status_callback",
        "sms_status_callback",
        "message_status_callback",
        "voice_status_callback_url",
        "pre_webhook_url",
        "post_webhook_url",
    }
)

#: Hosts of Twilio's REST API (``api.twilio.com``, ``lookups.twilio.com``…).
TWILIO_API_DOMAIN = "twilio.com"

# --- Retry libraries --------------------------------------------------------------------------

#: Decorators / context managers that retry the code they wrap (qualified names).
RETRY_DECORATORS = frozenset(
    {
        "tenacity.retry",
        "tenacity.Retrying",
        "tenacity.AsyncRetrying",
        "backoff.on_exception",
        "backoff.on_predicate",
        "stamina.retry",
        "stamina.retry_context",
        "retrying.retry",
        "retry.retry",
    }
)

# --- Retry policies and errors (resilience rules TWL301–TWL306) -----------------------------
# What each retry library does when an argument is left out, so a rule can tell a bounded,
# backing-off retry from one that hammers the API. Library versions: tenacity 8/9, backoff 2,
# stamina 24, retrying 1.3, retry 0.9, Celery 5.

#: The library of each retry wrapper, which says how its arguments set wait and stop.
RETRY_LIBRARY = {
    "tenacity.retry": "tenacity",
    "tenacity.Retrying": "tenacity",
    "tenacity.AsyncRetrying": "tenacity",
    "tenacity.asyncio.AsyncRetrying": "tenacity",
    "backoff.on_exception": "backoff",
    "backoff.on_predicate": "backoff",
    "stamina.retry": "stamina",
    "stamina.retry_context": "stamina",
    "retrying.retry": "retrying",
    "retrying.Retrying": "retrying",
    "retry.retry": "retry",
    "retry.api.retry": "retry",
}

#: tenacity ``wait=`` strategies (last name component: ``tenacity.wait.wait_fixed`` too).
TENACITY_GROWING_WAITS = frozenset(
    {
        "wait_exponential",
        "wait_random_exponential",
        "wait_full_jitter",
        "wait_exponential_jitter",
        "wait_incrementing",
    }
)
TENACITY_CONSTANT_WAITS = frozenset({"wait_fixed", "wait_none", "wait_random"})
#: tenacity ``stop=`` conditions that end the retrying; ``stop_never`` does not.
TENACITY_STOPS = frozenset(
    {"stop_after_attempt", "stop_after_delay", "stop_before_delay", "stop_when_event_set"}
)
TENACITY_NO_STOP = frozenset({"stop_never"})

#: backoff wait generators (``backoff.on_exception(wait_gen, …)``); ``runtime`` follows the
#: server (e.g. Retry-After), so it is neither constant nor known to grow.
BACKOFF_GROWING_WAITS = frozenset({"expo", "fibo", "decay"})
BACKOFF_CONSTANT_WAITS = frozenset({"constant"})
#: backoff bounds: without one of these it retries forever.
BACKOFF_STOP_PARAMS = frozenset({"max_tries", "max_time"})

#: stamina: exponential with jitter by default (``wait_exp_base=2``), bounded by
#: ``attempts=10`` and ``timeout=45``; only explicit ``None`` for both removes the bound.
STAMINA_STOP_PARAMS = ("attempts", "timeout")

#: retrying.retry: no wait and no stop by default.
RETRYING_GROWING_PARAMS = frozenset(
    {"wait_exponential_multiplier", "wait_exponential_max", "wait_incrementing_increment"}
)
RETRYING_CONSTANT_PARAMS = frozenset({"wait_fixed", "wait_random_min", "wait_random_max"})
RETRYING_UNKNOWN_WAIT_PARAMS = frozenset({"wait", "wait_func", "wait_jitter_max"})
RETRYING_STOP_PARAMS = frozenset({"stop_max_attempt_number", "stop_max_delay", "stop", "stop_func"})

#: retry (invl/retry): ``retry(exceptions, tries=-1, delay=0, max_delay=None, backoff=1, …)``.
RETRY_PKG_PARAMS = ("exceptions", "tries", "delay", "max_delay", "backoff", "jitter", "logger")

#: Celery task options: ``@app.task(autoretry_for=…, retry_backoff=True, max_retries=5)``.
#: Without ``retry_backoff`` every retry waits ``default_retry_delay`` (180 s, constant);
#: ``max_retries`` defaults to 3, and ``None`` means forever.
CELERY_TASK_DECORATORS = frozenset({"celery.shared_task", "celery.task"})
CELERY_AUTORETRY = "autoretry_for"

#: ``asyncio.gather(...)`` of ``create_async`` calls is a batch (TWL301).
GATHER_FUNCTIONS = frozenset({"asyncio.gather"})

#: Exception classes an ``except`` may name to catch Twilio errors, by how much they catch.
BROAD_EXCEPTIONS = frozenset({"Exception", "BaseException"})
TWILIO_ERROR_CLASSES = frozenset(
    {TWILIO_EXCEPTION, TWILIO_REST_EXCEPTION, TWILIO_SERVICE_EXCEPTION} | set(LEGACY_EXCEPTIONS)
)
#: TwilioServiceException (RFC 9457 error bodies) is raised since this release.
SERVICE_EXCEPTION_SINCE = "9.10.0"

#: ``AsyncTwilioHttpClient(pool_connections, trace_configs, timeout, logger, proxy_url,
#: max_retries)`` and ``TwilioHttpClient(pool_connections, request_hooks, timeout, logger,
#: proxy, max_retries)``: positional order in 9.13.0.
ASYNC_HTTP_CLIENT_PARAMS = (
    "pool_connections",
    "trace_configs",
    "timeout",
    "logger",
    "proxy_url",
    "max_retries",
)
HTTP_CLIENT_PARAMS = ("pool_connections", "request_hooks", "timeout", "logger", "proxy", "max_retries")


# --- Hard-coded credentials (TWL102) ----------------------------------------------------------
# Shapes from §9 of the SDK facts: Account SID ``AC``+32 hex, API key SID ``SK``+32 hex, auth
# token 32 hex, API key secret 32 alphanumerics. A value must also look random: Twilio's docs
# and tests use ``ACXXXX…``, ``ACaaaa…``, ``your_auth_token`` and friends.

#: An Account SID or API key SID anywhere in a text (a URL, a basic-auth pair, a config file).
CREDENTIAL_SID_RE = re.compile(r"(?<![0-9A-Za-z_])(AC|SK)([0-9a-fA-F]{32})(?![0-9A-Za-z_])")
#: ``AC…:<token>`` / ``SK…:<secret>``: a basic-auth pair or a URL's userinfo.
CREDENTIAL_PAIR_RE = re.compile(
    r"(?<![0-9A-Za-z_])(?:AC|SK)[0-9a-fA-F]{32}:([0-9A-Za-z]{32})(?![0-9A-Za-z_])"
)
#: Any Twilio SID: two capital letters + 32 hex. Other prefixes (MG, PN, VA, AP…) are resources.
RESOURCE_SID_RE = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
#: Characters a secret is made of when it is not exactly Twilio's 32-alphanumeric shape.
SECRET_CHARS_RE = re.compile(r"^[0-9A-Za-z_\-+/=.~]+$")
#: What a placeholder says about itself.
PLACEHOLDER_WORDS = (
    "xxxx", "your", "example", "sample", "placeholder", "changeme", "change_me", "dummy", "fake",
    "test", "insert", "replace", "redacted", "todo", "token", "secret", "auth", "here",
)
#: Template and interpolation syntax: ``<token>``, ``[AuthToken]``, ``${VAR}``, ``{{ x }}``,
#: ``%(x)s``. A value holding one of these is filled in elsewhere.
PLACEHOLDER_CHARS = frozenset("<>[]{}$%*")
#: Names that are secret-like but never a Twilio credential (framework keys, hashes, paging).
NOT_TWILIO_SECRET_NAMES = (
    "secret_key", "secretkey", "csrf", "session", "cookie", "jwt", "encrypt", "salt", "hmac",
    "nonce", "hash", "md5", "sha", "digest", "checksum", "etag", "fingerprint", "page_token",
    "pagetoken", "refresh_token", "device_token", "push", "signing_secret", "webhook_secret",
    "url", "uri", "path", "file", "header", "type", "name", "length", "ttl", "expir",
)
_MIN_ENTROPY = 3.0  # bits per character; random 32-hex is ~3.6 (below 3.0: 1 in ~300)
_MIN_DISTINCT = 9


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _is_periodic(value: str, max_period: int = 16) -> bool:
    """``0123456789abcdef0123456789abcdef``, ``deadbeefdeadbeef…``: a pattern, not a secret."""
    return any(
        all(value[i] == value[i + period] for i in range(len(value) - period))
        for period in range(1, min(max_period, len(value) // 2) + 1)
    )


def _longest_run(value: str, step: int) -> int:
    """Longest run of characters whose code points go up by ``step`` (0: repeats)."""
    best = run = 1
    for index in range(1, len(value)):
        run = run + 1 if ord(value[index]) - ord(value[index - 1]) == step else 1
        best = max(best, run)
    return best if value else 0


def looks_random(value: str) -> bool:
    """Does ``value`` pass the entropy test (no placeholder pattern, enough distinct chars)?"""
    if shannon_entropy(value) < _MIN_ENTROPY or len(set(value)) < _MIN_DISTINCT:
        return False
    if _is_periodic(value):
        return False
    return _longest_run(value, 0) < 6 and _longest_run(value, 1) < 8


def is_placeholder_credential(value: str) -> bool:
    """``ACXXXX…``, ``ACaaaa…``, ``your_auth_token``, ``[AuthToken]``, ``<token>``, ``${VAR}``…"""
    if any(char in PLACEHOLDER_CHARS for char in value):
        return True
    lowered = value.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return True
    body = value[2:] if RESOURCE_SID_RE.match(value) else value
    return not looks_random(body)


def is_real_sid(prefix: str, body: str) -> bool:
    """An ``AC``/``SK`` SID whose 32 hex digits are not a documentation placeholder."""
    return looks_random(body)


def is_secret_value(value: str, exact_shape: bool = True) -> bool:
    """A hard-coded auth token / API key secret: exactly 32 alphanumerics (Twilio's shape) or,
    with ``exact_shape=False`` (a known credential parameter), any 32+ secret-like characters.
    Resource SIDs, placeholders and low-entropy strings are not secrets."""
    if len(value) < 32 or RESOURCE_SID_RE.match(value):
        return False
    if exact_shape and not SECRET32_RE.match(value):
        return False
    if not exact_shape and not SECRET_CHARS_RE.match(value):
        return False
    # Random tokens mix digits and letters; camelCase identifiers and digit runs do not.
    if not (re.search(r"[0-9]", value) and re.search(r"[A-Za-z]", value)):
        return False
    return not is_placeholder_credential(value)


def secret_kind_of_name(name: str) -> str | None:
    """``token`` (auth token) or ``secret`` (API key secret) when a name says it holds one.

    ``auth_token``, ``TWILIO_AUTH_TOKEN``, ``api_secret``, ``TWILIO_SECRET``; not a framework's
    ``SECRET_KEY``, a ``token_hash`` or a ``page_token``. ``password`` counts under Twilio.
    """
    lowered = name.lower()
    compact = re.sub(r"[^a-z0-9]", "", lowered)
    if "twilio" not in compact and any(
        part in lowered or part.replace("_", "") in compact for part in NOT_TWILIO_SECRET_NAMES
    ):
        return None
    kind = credential_kind_of_name(lowered.replace("-", "_"))
    if kind in ("token", "secret"):
        return kind
    if "twilio" in compact and ("password" in compact or compact.endswith("pass")):
        return "token"
    return None


#: Twilio classes that take credentials: parameter names in positional order, and the kind
#: each credential parameter holds (``password``: an auth token or an API key secret).
CREDENTIAL_CALL_PARAMS: dict[str, tuple[tuple[str, ...], dict[str, str]]] = {
    REST_CLIENT: (CLIENT_PARAMS, {"password": "password"}),
    **{
        legacy: (LEGACY_CLIENT_PARAMS, {"token": "token"})
        for legacy in LEGACY_REST_CLIENTS
    },
    REQUEST_VALIDATOR: (("token",), {"token": "token"}),
    LEGACY_REQUEST_VALIDATOR: (("token",), {"token": "token"}),
    "twilio.jwt.client.ClientCapabilityToken": (
        ("account_sid", "auth_token"), {"auth_token": "token"}
    ),
    "twilio.jwt.access_token.AccessToken": (
        ("account_sid", "signing_key_sid", "secret"), {"secret": "secret"}
    ),
    "twilio.jwt.Jwt": (("secret_key", "issuer"), {"secret_key": "password"}),
    "twilio.jwt.taskrouter.TaskRouterCapabilityToken": (
        ("account_sid", "auth_token"), {"auth_token": "token"}
    ),
    **{
        f"twilio.jwt.taskrouter.capabilities.{name}": (
            ("account_sid", "auth_token"), {"auth_token": "token"}
        )
        for name in ("WorkerCapabilityToken", "TaskQueueCapabilityToken", "WorkspaceCapabilityToken")
    },
    **{
        provider: (("client_id", "client_secret"), {"client_secret": "client_secret"})
        for provider in (
            "twilio.credential.client_credential_provider.ClientCredentialProvider",
            "twilio.credential.orgs_credential_provider.OrgsCredentialProvider",
            "twilio.http.client_token_manager.ClientTokenManager",
            "twilio.http.orgs_token_manager.OrgsTokenManager",
        )
    },
}
CREDENTIAL_CALL_PARAMS["twilio.rest.client.Client"] = CREDENTIAL_CALL_PARAMS[REST_CLIENT]

#: What each kind of credential is called in messages, and the variable to read it from.
CREDENTIAL_LABELS = {
    "account": ("Account SID", "TWILIO_ACCOUNT_SID"),
    "key": ("API key SID", "TWILIO_API_KEY"),
    "token": ("auth token", "TWILIO_AUTH_TOKEN"),
    "secret": ("API key secret", "TWILIO_API_SECRET"),
    "client_secret": ("OAuth client secret", "TWILIO_CLIENT_SECRET"),
}


def redact_credentials(text: str) -> str:
    """``text`` with every credential-shaped value cut to its first 4 characters and ``…``:
    SIDs, and 32-alphanumeric words with letters and digits (auth tokens, key secrets)."""
    text = CREDENTIAL_SID_RE.sub(lambda m: mask_secret(m.group(0)), text)
    return _SECRET_WORD_RE.sub(
        lambda m: mask_secret(m.group(0))
        if re.search(r"\d", m.group(0)) and re.search(r"[A-Za-z]", m.group(0))
        else m.group(0),
        text,
    )


_SECRET_WORD_RE = re.compile(r"(?<![0-9A-Za-z_])[0-9A-Za-z]{32}(?![0-9A-Za-z_])")
_SECRET_RUN_RE = re.compile(r"[^\s'\"`]{5,}")


def redact_source_line(text: str, start: int, end: int, secret_span: bool) -> tuple[str, int, int]:
    """A source line to show under a finding, with credentials masked, and the finding's new
    (start, end) columns. With ``secret_span`` every run of 5+ characters between ``start`` and
    ``end`` is masked too (a secret of any shape)."""
    end = max(start, min(end, len(text)))
    left, middle, right = text[:start], text[start:end], text[end:]
    if secret_span:
        middle = _SECRET_RUN_RE.sub(lambda m: mask_secret(m.group(0)), middle)
    left, middle, right = (redact_credentials(part) for part in (left, middle, right))
    return left + middle + right, len(left), len(left) + len(middle)


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


def removed_name(qualname: str) -> tuple[str, Removed] | None:
    """(the removed name or module, what replaces it) for a fully qualified name, or None.

    ``twilio.util.RequestValidator`` → its own entry; ``twilio.util.anything`` → ``twilio.util``.
    """
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
    import json
    from importlib.resources import files

    return json.loads((files("twilio_lint.knowledge") / "data" / name).read_text(encoding="utf-8"))


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
