"""TWL403 deprecated-domain-shortcut: ``client.api.calls``, ``client.chat.services`` and the
other domain-level shortcuts that emit DeprecationWarning since twilio 8.0.0."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import removed, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel
from twilio_lint.semantic.nodes import chain_shape

CODE = "TWL403"
NAME = "deprecated-domain-shortcut"
SUMMARY = "Domain-level shortcut that is deprecated since twilio 8.0 (client.api.calls, …)"
DEFAULT_ON = True
FIX = "safe"

DOC = RuleDoc(
    what=(
        "Flags the domain-level shortcuts of the REST client that emit `DeprecationWarning` "
        "since twilio 8.0.0: `client.api.calls` (use `client.api.account.calls` or "
        "`client.calls`), `client.chat.services` (use `client.chat.v2.services`) and the other "
        "157 properties of `twilio/rest/<domain>/__init__.py` that warn. The list and each "
        "preferred path are read from the SDK source by `scripts/gen_domain_shortcuts.py` "
        "into `twilio_lint/knowledge/data/domain_shortcuts.json`. Only expressions rooted in a Twilio "
        "REST client are checked."
    ),
    why=(
        "Deprecated shortcuts warn on every access and are candidates for removal in a future "
        "major; the versioned path says which API version the code was written against, so a "
        "new default version cannot change the shape of the data under it."
    ),
    example=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(api_key, api_secret, account_sid)\n"
        "calls = client.api.calls.list(limit=20)\n"
        "service = client.chat.services(service_sid).fetch()\n"
    ),
    use_instead=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(api_key, api_secret, account_sid)\n"
        "calls = client.api.account.calls.list(limit=20)\n"
        "service = client.chat.v2.services(service_sid).fetch()\n"
    ),
    fix_safety=(
        "Safe: the shortcut becomes the path the deprecated property itself returns, taken "
        "from the SDK's own deprecation table (`client.api.calls` → "
        "`client.api.account.calls`, `client.chat.services` → `client.chat.v2.services`), so "
        "the same object is used and only the `DeprecationWarning` goes. No fix is offered "
        "when the path is split over lines or has spaces or comments between its parts."
    ),
    references=(twilio_docs.SDK_CHANGELOG, twilio_docs.SDK_UPGRADE_GUIDE),
)

#: Longer receivers are shown as ``client`` in messages.
MAX_RECEIVER_CHARS = 40


def check(module: SemanticModel) -> Iterator[Finding]:
    shortcuts: dict[str, dict[str, str]] | None = None
    for node in module.nodes(ast.Attribute):
        domain = node.value
        if not isinstance(domain, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        if shortcuts is None:
            shortcuts = removed.domain_shortcuts()  # loaded on the first candidate only
        entry = shortcuts.get(f"{domain.attr}.{node.attr}")
        if entry is None or not ClientFacts.of(module).is_client(domain.value):
            continue
        # The fix needs the preferred path: the table entry matched here.
        data = {"replacement": entry["replacement"]}
        yield module.finding(CODE, node, _message(domain.value, node, entry), data=data)


def _message(receiver: ast.AST, node: ast.Attribute, entry: dict) -> str:
    client = chain_shape(receiver)
    if len(client) > MAX_RECEIVER_CHARS:
        client = "client"
    old = f"{client}.{node.value.attr}.{node.attr}"  # type: ignore[attr-defined]
    preferred = f"{client}.{entry['replacement']}"
    if "client_shortcut" in entry:
        preferred += f" (or {client}.{entry['client_shortcut']})"
    return f"{old} is deprecated since twilio 8.0.0 and warns on every use; use {preferred}"
