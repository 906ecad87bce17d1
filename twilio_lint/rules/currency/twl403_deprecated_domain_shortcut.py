"""TWL403 deprecated-domain-shortcut: ``client.api.calls``, ``client.chat.services`` and the
other domain-level shortcuts that emit DeprecationWarning since twilio 8.0.0."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import lru_cache

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
    last_attrs: frozenset[str] = frozenset()
    pinned: str | None | bool = False  # False: not looked up yet
    if not ClientFacts.of(module).may_hold_clients():
        return  # a shortcut is read on a client
    for node in module.nodes(ast.Attribute):
        domain = node.value
        if not isinstance(domain, ast.Attribute) or not isinstance(node.ctx, ast.Load):
            continue
        if shortcuts is None:
            shortcuts = removed.domain_shortcuts()  # loaded on the first candidate only
            last_attrs = _last_attrs()
        if node.attr not in last_attrs:
            continue  # cheap test first: most attribute pairs are no shortcut
        key = f"{domain.attr}.{node.attr}"
        entry = shortcuts.get(key)
        if entry is None or not ClientFacts.of(module).is_client(domain.value):
            continue
        if pinned is False:
            pinned = _pinned_below_warnings(module.path)
        # The fix needs the preferred path: the table entry matched here.
        data = {"replacement": entry["replacement"]}
        message = _message(domain.value, node, entry, key, pinned)
        # The fix rewrites only `.domain.name` written on one line, nothing between the parts.
        written = _written_after(module, domain.value, node)
        yield module.finding(
            CODE, node, message, data=data,
            fix_applicability=FIX if written == f".{domain.attr}.{node.attr}" else None,
        )


def _written_after(module: SemanticModel, receiver: ast.AST, node: ast.AST) -> str | None:
    """The source text from the end of ``receiver`` to the end of ``node`` on one line."""
    line = receiver.end_lineno  # type: ignore[attr-defined]
    if line != node.end_lineno:  # type: ignore[attr-defined]
        return None
    text = module.lines[line - 1]
    start = module.char_col(line, receiver.end_col_offset)  # type: ignore[attr-defined]
    return text[start : module.char_col(line, node.end_col_offset)]  # type: ignore[attr-defined]


@lru_cache(maxsize=1)
def _last_attrs() -> frozenset[str]:
    """The last name of every shortcut (``calls`` of ``api.calls``)."""
    return frozenset(key.rpartition(".")[2] for key in removed.domain_shortcuts())


def _pinned_below_warnings(path: str) -> str | None:
    """The newest twilio the project's pin admits when it is older than the release whose
    shortcuts warn; None when unpinned or not older."""
    # Imported here: manifests and packaging are needed only when a shortcut is found.
    from packaging.version import Version

    from twilio_lint.manifests import pinned_twilio_version

    newest = pinned_twilio_version(path)
    if newest is None or newest >= Version(removed.SHORTCUTS_WARN_SINCE):
        return None
    return str(newest)


def _message(
    receiver: ast.AST, node: ast.Attribute, entry: dict, key: str, pinned: str | None
) -> str:
    client = chain_shape(receiver)
    if len(client) > MAX_RECEIVER_CHARS:
        client = "client"
    old = f"{client}.{node.value.attr}.{node.attr}"  # type: ignore[attr-defined]
    preferred = f"{client}.{entry['replacement']}"
    if "client_shortcut" in entry:
        preferred += f" (or {client}.{entry['client_shortcut']})"
    current = removed.CURRENT_API_PATHS.get(key)
    newer = f" (the current API is {client}.{current})" if current is not None else ""
    since = removed.SHORTCUTS_WARN_SINCE
    if pinned is not None:
        return (
            f"{old} is deprecated from twilio {since}, where it warns on every use (this "
            f"project's pin admits up to {pinned}, which does not warn yet); use {preferred} "
            f"before upgrading{newer}"
        )
    return (
        f"{old} is deprecated since twilio {since} and warns on every use; use {preferred}"
        f"{newer}"
    )
