"""What twilio-lint knows about the Twilio Python SDK, in one place.

Rules ask these tables (and the module model built on them); no rule keeps its own copy.
Facts come from the twilio-python source (9.13.0 unless a version is named).
"""

from __future__ import annotations

import re

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

VOICE_RESPONSE = "twilio.twiml.voice_response.VoiceResponse"
MESSAGING_RESPONSE = "twilio.twiml.messaging_response.MessagingResponse"
FAX_RESPONSE = "twilio.twiml.fax_response.FaxResponse"
LEGACY_TWIML_RESPONSE = "twilio.twiml.Response"  # 5.x
TWIML_RESPONSE_CLASSES = frozenset(
    {VOICE_RESPONSE, MESSAGING_RESPONSE, FAX_RESPONSE, LEGACY_TWIML_RESPONSE}
)

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

#: Environment variables the SDK reads itself when the client gets no credentials.
SDK_ENV_ACCOUNT_SID = "TWILIO_ACCOUNT_SID"
SDK_ENV_AUTH_TOKEN = "TWILIO_AUTH_TOKEN"

# --- Credential shapes ------------------------------------------------------------------------

ACCOUNT_SID_RE = re.compile(r"\bAC[0-9a-fA-F]{32}\b")
API_KEY_SID_RE = re.compile(r"\bSK[0-9a-fA-F]{32}\b")
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
