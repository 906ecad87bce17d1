"""TWL106 api-key-without-account-sid: ``Client(api_key, api_secret)`` with no account SID."""

from __future__ import annotations

from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.auth._client_scope import attributes_read
from twilio_lint.rules.auth._environ_fixes import environ_fix
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL106"
NAME = "api-key-without-account-sid"
SUMMARY = "REST client built from an API key without the account SID"
DEFAULT_ON = True
FIX = "unsafe"

DOC = RuleDoc(
    what=(
        "Flags `Client(api_key_sid, api_key_secret)` — a REST client authenticated with an API "
        "key (first credential named like an API key, or an `SK…` literal) that is not given "
        "the account SID as third argument or `account_sid=`. Only account-scoped (2010 API) "
        "resources need the account SID (`messages`, `calls`, `recordings`, "
        "`incoming_phone_numbers`, `client.api…`): a client the module only uses with other "
        "domains (`video`, `verify`, `conversations`, `messaging.v1`…) is not reported, and "
        "one whose use the module does not show (returned, stored, passed on) is reported as a "
        "warning. Both credentials must say what they are: `Client(self._sid, self._secret)` "
        "is not reported (`secret` or `password` alone does not name an API key secret)."
    ),
    why=(
        "With an API key the SDK cannot know the account: it uses the first credential, so every "
        "URL becomes `/2010-04-01/Accounts/SK…/Messages.json` and every request fails at run "
        "time with 404/401. Nothing fails when the client is built, so this often surfaces only "
        "in production."
    ),
    example=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        'client = Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"])\n'
    ),
    use_instead=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    account_sid=os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
    ),
    fix_safety=(
        'Unsafe: the fix adds `account_sid=os.environ["TWILIO_ACCOUNT_SID"]` to the call (and '
        "`import os` if needed). It is unsafe because that variable must then be set wherever "
        "the code runs. No fix is offered for calls with `*args`/`**kwargs`, or when the name "
        "`os` means something else in the file."
    ),
    references=(twilio_docs.API_KEYS, twilio_docs.API_KEY_RESOURCE),
)


_UNKNOWN_USE_MESSAGE = (
    "Twilio client built from an API key without the account SID: account-scoped "
    "resources (messages, calls, recordings, incoming_phone_numbers…) will fail "
    "with it; pass account_sid=… as the third argument if it is used for them"
)
_ACCOUNT_SCOPED_MESSAGE = (
    "Twilio client built from an API key without the account SID: requests go to "
    "/Accounts/SK…/ and fail; pass account_sid=… as the third argument"
)


def check(module: SemanticModel) -> Iterator[Finding]:
    clients = ClientFacts.of(module)
    for call in clients.client_constructions():
        credentials = clients.client_credentials(call)
        if credentials.opaque or credentials.credential_provider is not None:
            continue
        if credentials.auth_kind() != "key" or credentials.account_sid is not None:
            continue
        legacy = clients.is_legacy_client_constructor(call)
        reads = None if legacy else attributes_read(module, call)
        if reads is not None and not reads & sdk.ACCOUNT_SCOPED_ATTRS:
            continue  # only other domains (video, verify…): they never use the account SID
        # What the fix adds: account_sid=os.environ[env]. A 5.x client gets no fix.
        data = None if legacy else {"env": sdk.SDK_ENV_ACCOUNT_SID}
        unknown_use = reads is None and not legacy  # returned, stored, passed on
        yield module.finding(
            CODE,
            call,
            _UNKNOWN_USE_MESSAGE if unknown_use else _ACCOUNT_SCOPED_MESSAGE,
            severity="warning" if unknown_use else "error",
            data=data,
            fix_applicability=environ_fix(module, data, FIX),
        )
