"""What Twilio credentials look like and what they are called: the shapes of SIDs, auth tokens
and API key secrets, the names that hold them, placeholders that only look like them, and the
SDK classes that take them. Plain strings only: which expression names what is in
``facts/credentials.py``."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

from twilio_lint.knowledge.sdk import (
    CLIENT_PARAMS,
    LEGACY_CLIENT_PARAMS,
    LEGACY_REQUEST_VALIDATOR,
    LEGACY_REST_CLIENTS,
    REQUEST_VALIDATOR,
    REST_CLIENT,
)

# --- Shapes and names ------------------------------------------------------------------------

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


#: Fragments that name an API key secret, unlike ``secret`` alone (a client secret, a password).
API_SECRET_FRAGMENTS = ("api_key_secret", "api_secret", "apisecret", "key_secret", "keysecret")


def is_api_secret_name(name: str) -> bool:
    """``TWILIO_API_SECRET``, ``api_key_secret``: a name that says "API key secret"."""
    lowered = name.lower()
    return any(fragment in lowered for fragment in API_SECRET_FRAGMENTS)


def credential_kind_of_literal(value: str) -> str | None:
    """Classify a literal by its shape, placeholders included (``ACXXXX…`` is an account)."""
    stripped = value.strip()
    if stripped[:2] in ("AC", "SK") and len(stripped) >= 10:
        return sid_kind(stripped[:2])
    if HEX32_RE.match(stripped):
        return "token"
    lowered = stripped.lower()
    if "auth_token" in lowered or "authtoken" in lowered:
        return "token"
    kind = credential_kind_of_name(lowered.strip("<>[]{} "))
    return kind


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


def sid_kind(prefix: str) -> str:
    """``account`` for an ``AC`` SID, ``key`` for an ``SK`` SID."""
    return "account" if prefix == "AC" else "key"


def paired_secret_kind(prefix: str) -> str:
    """What the password paired with a SID is: an auth token after ``AC``, an API key secret
    after ``SK``."""
    return "token" if prefix == "AC" else "secret"


def credential_shapes(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, kind, value) of each real SID in ``text`` (``account``/``key``), then of each
    secret of an ``AC…:<token>`` / ``SK…:<secret>`` pair (``token``/``secret``)."""
    if "AC" not in text and "SK" not in text:
        return  # most texts: a substring test is far cheaper than the regexes
    for match in CREDENTIAL_SID_RE.finditer(text):
        if is_real_sid(match[1], match[2]):
            yield match.start(), sid_kind(match[1]), match.group(0)
    for match in CREDENTIAL_PAIR_RE.finditer(text):
        if is_secret_value(match[1]):
            yield match.start(1), paired_secret_kind(match.group(0)[:2]), match[1]


_TWILIO_WORD_RE = re.compile(r"(?i)twilio")


def mentions_twilio(text: str) -> bool:
    """The text is about Twilio: it names it or holds a real Account/API key SID."""
    if _TWILIO_WORD_RE.search(text):
        return True
    return any(is_real_sid(m[1], m[2]) for m in CREDENTIAL_SID_RE.finditer(text))


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


def password_kind(kind: str, value: str) -> str:
    """A ``password`` (a parameter taking either) is an auth token when ``value`` is 32 hex, an
    API key secret otherwise; other kinds stay as they are."""
    if kind == "password":
        return "token" if HEX32_RE.match(value) else "secret"
    return kind


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


def credential_label(kind: str) -> tuple[str, str]:
    """(what messages call a credential of ``kind``, the variable to read it from); an unknown
    kind is an API key secret."""
    return CREDENTIAL_LABELS.get(kind, CREDENTIAL_LABELS["secret"])
