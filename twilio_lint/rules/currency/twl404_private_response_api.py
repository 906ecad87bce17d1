"""TWL404 private-response-api: reading headers or status through the http client's private
``_test_only_last_response``."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.findings import Finding
from twilio_lint.knowledge import removed, twilio_docs
from twilio_lint.registry import RuleDoc
from twilio_lint.semantic.model import SemanticModel

CODE = "TWL404"
NAME = "private-response-api"
SUMMARY = "Response read through the http client's private _test_only_last_response"
DEFAULT_ON = True
FIX = None

DOC = RuleDoc(
    what=(
        "Flags reads of `_test_only_last_response` on a Twilio http client "
        "(`client.http_client`, a `TwilioHttpClient`/`AsyncTwilioHttpClient` instance or a "
        "name bound to one), typically to get response headers or the status code."
    ),
    why=(
        "The attribute is private and, as its name says, meant for the SDK's tests: it holds "
        "whatever request the shared http client made last, so with threads, async tasks or "
        "paging it may belong to another request, and it can change in any release (8.0.0 "
        "already renamed it from `last_response`). Since 9.10.0 every request method has a "
        "`*_with_http_info` variant that returns the status code and headers of its own "
        "response."
    ),
    example=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(api_key, api_secret, account_sid)\n"
        "message = client.messages.create(to=to, from_=sender, body=body)\n"
        "response = client.http_client._test_only_last_response\n"
        "request_id = response.headers.get('Twilio-Request-Id')\n"
    ),
    use_instead=(
        "from twilio.rest import Client\n"
        "\n"
        "client = Client(api_key, api_secret, account_sid)\n"
        "response = client.messages.create_with_http_info(to=to, from_=sender, body=body)\n"
        "request_id = response.headers.get('Twilio-Request-Id')\n"
        "message = response.data\n"
    ),
    fix_safety="This rule has no automatic fix: the call that made the request must change.",
    references=(twilio_docs.SDK_CHANGELOG, twilio_docs.CUSTOM_HTTP_CLIENT),
)


def check(module: SemanticModel) -> Iterator[Finding]:
    clients = ClientFacts.of(module)
    if not clients.may_hold_http_clients():
        return  # the attribute is read on an http client
    for node in module.nodes(ast.Attribute):
        if node.attr != removed.PRIVATE_LAST_RESPONSE or not isinstance(node.ctx, ast.Load):
            continue
        if _is_own_attribute(node.value) or not clients.is_http_client(node.value):
            continue  # the http client itself (or a subclass) uses its own attribute
        yield module.finding(
            CODE,
            node,
            "_test_only_last_response is private and may belong to another request; "
            + removed.WITH_HTTP_INFO_HINT,
        )


def _is_own_attribute(receiver: ast.AST) -> bool:
    return isinstance(receiver, ast.Name) and receiver.id in ("self", "cls")
