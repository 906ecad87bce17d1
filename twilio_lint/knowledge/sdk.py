"""What twilio-lint knows about the Twilio Python SDK, in one place.

Rules ask these tables (and the module model built on them); no rule keeps its own copy.
Facts come from the twilio-python source (9.13.0 unless a version is named).
"""

from __future__ import annotations

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
        # 5.x per-product clients, from their own modules too
        "twilio.rest.lookups.TwilioLookupsClient",
        "twilio.rest.task_router.TwilioTaskRouterClient",
        "twilio.rest.ip_messaging.TwilioIpMessagingClient",
        "twilio.rest.pricing.TwilioPricingClient",
        "twilio.rest.monitor.TwilioMonitorClient",
        "twilio.rest.trunking.TwilioTrunkingClient",
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
#: What a ``TwilioRestException`` has and a plain ``TwilioException`` lacks.
REST_EXCEPTION_ONLY_ATTRIBUTES = frozenset({"status", "code", "msg", "uri", "method", "details"})
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


def canonical(qualname: str) -> str:
    """Map re-exported paths to one name (``twilio.rest.client.Client`` → ``twilio.rest.Client``)."""
    return ALIASES.get(qualname, qualname)


# --- The client constructor -------------------------------------------------------------------

#: ``Client(username, password, account_sid, region, http_client, environment, edge,
#: user_agent_extensions, credential_provider)`` — positional order since 6.0.0.
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

#: What a REST client reaches under ``/2010-04-01/Accounts/{account_sid}/``: the ``api`` domain
#: and the client's own shortcuts to it (9.13.0 ``twilio/rest/__init__.py``). Built from an API
#: key without ``account_sid``, the client puts the key SID there; the other domains
#: (``video``, ``verify``, ``conversations``…) never use the account SID.
ACCOUNT_SCOPED_ATTRS = frozenset(
    {
        "api", "addresses", "applications", "authorized_connect_apps",
        "available_phone_numbers", "balance", "calls", "conferences", "connect_apps",
        "incoming_phone_numbers", "keys", "new_keys", "messages", "signing_keys",
        "new_signing_keys", "notifications", "outgoing_caller_ids", "validation_requests",
        "queues", "recordings", "short_codes", "sip", "tokens", "transcriptions", "usage",
        "account_sid",
    }
)

#: Client attributes no other library's object is likely to have: a parameter a module that
#: imports twilio uses with one of them is a REST client (9.13.0 ``twilio/rest/__init__.py``).
TWILIO_ONLY_CLIENT_ATTRS = frozenset(
    {
        "taskrouter", "incoming_phone_numbers", "available_phone_numbers",
        "outgoing_caller_ids", "flex_api", "trusthub", "supersim", "serverless",
    }
)
#: Two-step paths that only a Twilio client has: a domain and its version or resource.
TWILIO_ONLY_CLIENT_PATHS = frozenset(
    {
        ("api", "account"), ("api", "v2010"), ("messaging", "v1"), ("verify", "v2"),
        ("conversations", "v1"), ("video", "v1"), ("chat", "v2"), ("chat", "v3"),
        ("lookups", "v1"), ("lookups", "v2"), ("studio", "v2"), ("sync", "v1"),
        ("notify", "v1"), ("proxy", "v1"), ("wireless", "v1"), ("numbers", "v2"),
        ("voice", "v1"), ("insights", "v1"), ("intelligence", "v2"), ("content", "v1"),
        ("messaging", "services"), ("verify", "services"), ("sync", "services"),
        ("conversations", "conversations"), ("video", "rooms"), ("wireless", "sims"),
        ("wireless", "commands"), ("studio", "flows"),
    }
)
#: Decorators that make a method's return value an attribute: ``self.client.messages``.
PROPERTY_DECORATORS = frozenset({"property", "cached_property", "cached"})

#: The SDK reads the account SID from this environment variable when the client is given none.
SDK_ENV_ACCOUNT_SID = "TWILIO_ACCOUNT_SID"

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
        # TaskRouter assignment and event callbacks
        "TaskSid",
        "TaskAttributes",
        "TaskQueueSid",
        "WorkerSid",
        "WorkerAttributes",
        "WorkerActivityName",
        "WorkspaceSid",
        "ReservationSid",
        # Super SIM / Programmable Wireless commands
        "SimSid",
        "CommandSid",
        "Command",
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
    "Command",
}
#: Parameters an incoming Twilio webhook reads that other requests send too: they mark a
#: webhook in a module that imports twilio or serves TwiML (a ``<Gather>`` action reads
#: ``Digits``, a TaskRouter event callback ``EventType``, a Wireless command ``Command``).
#: ``To``/``Body`` alone are also your own "send an SMS" form.
WEBHOOK_PARAMS_IN_TWILIO_APPS = frozenset({"From", "Digits", "EventType", "Command"})
#: What a TaskRouter assignment callback answers with in ``{"instruction": …}``.
TASKROUTER_INSTRUCTIONS = frozenset(
    {"accept", "reject", "call", "dequeue", "conference", "redirect"}
)
#: The signature header as code spells it: Flask/Starlette header name, Django ``META`` key.
SIGNATURE_HEADER_SPELLINGS = frozenset({"x-twilio-signature", "http_x_twilio_signature"})
#: Decorators from other packages that validate the signature (django-twilio).
VALIDATING_DECORATORS = frozenset({"django_twilio.decorators.twilio_view"})
#: Words that, beside ``twilio``, make a decorator's name say it validates Twilio requests:
#: ``validate_twilio_request``, ``verify_twilio_signature``, ``twilio_signature_required``,
#: ``TwilioOnly``. Trusted for a decorator the project index cannot read (a third-party
#: package, a module not scanned, an undefined name).
VALIDATOR_NAME_WORDS = (
    "valid", "verif", "signature", "signed", "authentic", "require", "only", "secure",
    "protect",
)
#: Names that say so on their own (django-twilio's ``twilio_view`` and look-alikes).
VALIDATOR_NAMES = frozenset({"twilio_view", "twilio_request"})


def names_twilio_validator(name: str) -> bool:
    """Does a decorator's (last) name say it validates Twilio requests?"""
    lowered = name.lower()
    if "twilio" not in lowered:
        return False
    return lowered in VALIDATOR_NAMES or any(word in lowered for word in VALIDATOR_NAME_WORDS)

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


