"""TWL106 api-key-without-account-sid: ``Client(api_key, api_secret)`` with no account SID."""

from __future__ import annotations

from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import sdk, twilio_docs
from twilio_lint.registry import RuleDoc
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
        "the account SID as third argument or `account_sid=`."
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


def check(module: SemanticModel) -> Iterator[Finding]:
    clients = ClientFacts.of(module)
    for call in clients.client_constructions():
        credentials = clients.client_credentials(call)
        if credentials.opaque or credentials.credential_provider is not None:
            continue
        if credentials.auth_kind() == "key" and credentials.account_sid is None:
            yield module.finding(
                CODE,
                call,
                "Twilio client built from an API key without the account SID: requests go to "
                "/Accounts/SK…/ and fail; pass account_sid=… as the third argument",
                # What the fix adds: account_sid=os.environ[env]. A 5.x client gets no fix.
                data=None
                if clients.is_legacy_client_constructor(call)
                else {"env": sdk.SDK_ENV_ACCOUNT_SID},
            )
