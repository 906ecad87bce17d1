"""TWL106 fix: give the API-key client its account (unsafe: needs TWILIO_ACCOUNT_SID set).

``Client(api_key, api_secret)`` → ``Client(api_key, api_secret,
account_sid=os.environ["TWILIO_ACCOUNT_SID"])``, adding ``import os`` when the file lacks it.
"""

from __future__ import annotations

import libcst as cst

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes._client_args import keyword_arg, param_of
from twilio_lint.fixes.context import PythonFixContext, environ_lookup, with_arg

CODE = "TWL106"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule gives the variable the account SID is read from; none for a 5.x client.
    variable = finding.data.get("env")
    if not isinstance(variable, str):
        return None
    call = ctx.find(finding, cst.Call)
    if call is None or "account_sid" in param_of(call):
        return None
    imported = ctx.import_module("os")
    if imported is None:
        return None
    os_name, import_edits = imported
    value = ctx.expression(environ_lookup(os_name, variable))
    args = with_arg(call.args, len(call.args), keyword_arg("account_sid", value))
    edits = ctx.replace_call(call, call.with_changes(args=args))
    title = f"Add account_sid={environ_lookup(os_name, variable)}"
    return Fix(title, "unsafe", (*edits, *import_edits))
