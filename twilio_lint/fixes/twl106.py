"""TWL106 fix: give the API-key client its account (unsafe: needs TWILIO_ACCOUNT_SID set).

``Client(api_key, api_secret)`` → ``Client(api_key, api_secret,
account_sid=os.environ["TWILIO_ACCOUNT_SID"])``, adding ``import os`` when the file lacks it.
"""

from __future__ import annotations

import libcst as cst

from twilio_lint.knowledge import sdk
from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes._client_args import keyword_arg, param_of, rest_client_node
from twilio_lint.fixes.context import PythonFixContext, environ_lookup, with_arg
from twilio_lint.facts.clients import ClientFacts

CODE = "TWL106"
TITLE = 'Add account_sid=os.environ["TWILIO_ACCOUNT_SID"]'


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    node = rest_client_node(ctx, finding)
    if node is None:
        return None
    credentials = ClientFacts.of(ctx.model).client_credentials(node)
    if credentials.opaque or credentials.account_sid is not None:
        return None
    call = ctx.find(finding, cst.Call)
    if call is None or "account_sid" in param_of(call):
        return None
    imported = ctx.import_module("os")
    if imported is None:
        return None
    os_name, import_edits = imported
    value = ctx.expression(environ_lookup(os_name, sdk.SDK_ENV_ACCOUNT_SID))
    args = with_arg(call.args, len(call.args), keyword_arg("account_sid", value))
    edits = ctx.replace_call(call, call.with_changes(args=args))
    title = TITLE.replace("os.", f"{os_name}.", 1)
    return Fix(title, "unsafe", (*edits, *import_edits))
