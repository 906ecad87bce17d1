"""TWL101 auth-token-client: a REST client authenticated with the Account SID + Auth Token."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import TYPE_CHECKING

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.rules.auth._environ_fixes import environ_fix
from twilio_lint.semantic.model import SemanticModel

if TYPE_CHECKING:
    from twilio_lint.facts.credentials import ClientCredentials

CODE = "TWL101"
NAME = "auth-token-client"
SUMMARY = "REST client authenticated with the Account SID and Auth Token instead of an API key"
DEFAULT_ON = True
FIX = "unsafe"

DOC = RuleDoc(
    what=(
        "Flags a Twilio REST client (`twilio.rest.Client`, or the 5.x `TwilioRestClient` family) "
        "that authenticates with the Account SID and Auth Token: the second credential is an "
        "auth token (by its name, its environment variable or its 32-hex shape), or the client "
        "gets no credentials at all, in which case the SDK reads `TWILIO_ACCOUNT_SID` and "
        "`TWILIO_AUTH_TOKEN` from the environment."
    ),
    why=(
        "The Auth Token is the master credential of the account: it cannot be scoped, and "
        "rotating it breaks every integration and every webhook validation at once. Twilio's "
        "best-practice guide asks for API keys on REST calls (one per application, revocable on "
        "their own) and keeps the Auth Token for validating webhook signatures only."
    ),
    example=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        'client = Client(os.environ["TWILIO_ACCOUNT_SID"], os.environ["TWILIO_AUTH_TOKEN"])\n'
    ),
    use_instead=(
        "import os\n"
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(\n"
        '    os.environ["TWILIO_API_KEY"],\n'
        '    os.environ["TWILIO_API_SECRET"],\n'
        '    os.environ["TWILIO_ACCOUNT_SID"],\n'
        ")\n"
    ),
    fix_safety=(
        "Unsafe: `Client(account_sid, auth_token)` becomes "
        '`Client(os.environ["TWILIO_API_KEY"], os.environ["TWILIO_API_SECRET"], account_sid)`, '
        "adding `import os` if needed; a subaccount passed third or as `account_sid=` stays "
        'the account, and `Client()` gets `os.environ["TWILIO_ACCOUNT_SID"]` as the account. '
        "It is unsafe because it needs new configuration: an API key must be created and "
        "`TWILIO_API_KEY`/`TWILIO_API_SECRET` set wherever the code runs. No fix is offered "
        "for 5.x `TwilioRestClient` calls (TWL402 moves them to `Client` first), for calls "
        "with `*args`/`**kwargs` or a `credential_provider`, or when the name `os` means "
        "something else in the file."
    ),
    references=(twilio_docs.API_KEYS, twilio_docs.REQUESTS_TO_TWILIO),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    for call in ClientFacts.of(module).client_constructions():
        credentials = ClientFacts.of(module).client_credentials(call)
        if credentials.opaque or credentials.credential_provider is not None:
            continue
        data = _fix_data(module, call, credentials)
        if not credentials.has_credentials:
            yield module.finding(
                CODE,
                call,
                "Twilio client without credentials falls back to TWILIO_ACCOUNT_SID and "
                "TWILIO_AUTH_TOKEN; authenticate with an API key: "
                "Client(api_key_sid, api_key_secret, account_sid)",
                data=data,
                fix_applicability=environ_fix(module, data, FIX),
            )
        elif credentials.auth_kind() == "token":
            yield module.finding(
                CODE,
                call,
                "Twilio client authenticated with the Account SID and Auth Token; use an API "
                "key instead: Client(api_key_sid, api_key_secret, account_sid) and keep the "
                "Auth Token for webhook validation",
                data=data,
                fix_applicability=environ_fix(module, data, FIX),
            )


def _fix_data(
    module: SemanticModel, call: ast.Call, credentials: ClientCredentials
) -> dict | None:
    """What the fix needs, or None for a 5.x client (TWL402 moves it to ``Client`` first):
    ``account``, where the account SID of the rewritten call comes from (``"given"``: the
    ``account_sid`` already passed stays; ``"username"``: the Account SID passed first moves
    there; ``"environment"``: ``os.environ["TWILIO_ACCOUNT_SID"]``), and ``missing``, the
    credential parameters (``username``, ``password``) the call does not pass."""
    if ClientFacts.of(module).is_legacy_client_constructor(call):
        return None
    if credentials.account_sid is not None:
        account = "given"
    elif credentials.first is not None:
        account = "username"
    else:
        account = "environment"
    missing = [
        name
        for name, value in (("username", credentials.first), ("password", credentials.second))
        if value is None
    ]
    return {"account": account, "missing": missing}
