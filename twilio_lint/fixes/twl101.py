"""TWL101 fix: authenticate the REST client with an API key (unsafe: needs new configuration).

``Client(account_sid, auth_token)`` → ``Client(os.environ["TWILIO_API_KEY"],
os.environ["TWILIO_API_SECRET"], account_sid)``; ``Client()`` gets the three arguments with
``os.environ["TWILIO_ACCOUNT_SID"]`` as the account. A third argument (a subaccount) or
``account_sid=`` is kept as the account. ``import os`` is added when the file lacks it. 5.x
``TwilioRestClient`` calls get no fix here (TWL402 moves them to ``Client`` first).
"""

from __future__ import annotations

import libcst as cst

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes._client_args import keyword_arg, param_of, positional_count
from twilio_lint.fixes.context import (
    PythonFixContext,
    comment_after,
    environ_lookup,
    set_comment_after,
    with_arg,
)
from twilio_lint.knowledge import sdk

CODE = "TWL101"
TITLE = "Authenticate with an API key (TWILIO_API_KEY, TWILIO_API_SECRET)"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule decided the rewrite (finding.data): where the account SID comes from
    # ("given", "username" or "environment") and which of username/password the call lacks.
    # No data: a 5.x client, *args/**kwargs or a credential_provider.
    account_from = finding.data.get("account")
    lacking = finding.data.get("missing")
    if account_from not in ("given", "username", "environment") or not isinstance(lacking, list):
        return None
    call = ctx.find(finding, cst.Call)
    if call is None:
        return None
    imported = ctx.import_module("os")
    if imported is None:
        return None
    os_name, import_edits = imported
    key = ctx.expression(environ_lookup(os_name, "TWILIO_API_KEY"))
    secret = ctx.expression(environ_lookup(os_name, "TWILIO_API_SECRET"))

    params = param_of(call)  # where each argument is in the libcst call
    args = list(call.args)
    index = {name: i for i, name in enumerate(params) if name is not None}
    missing = [name for name in ("username", "password") if name in lacking]
    if (account_from == "given") != ("account_sid" in index) or any(
        (name in index) == (name in missing) for name in ("username", "password")
    ):
        return None  # not the call the rule saw
    account = None  # the expression that becomes the account SID, when it must be added
    if account_from == "username":
        account = args[index["username"]].value
    elif account_from == "environment":
        account = ctx.expression(environ_lookup(os_name, sdk.SDK_ENV_ACCOUNT_SID))
    if "username" in index:
        args[index["username"]] = args[index["username"]].with_changes(value=key)
    if "password" in index:
        args[index["password"]] = args[index["password"]].with_changes(value=secret)

    positional = positional_count(call)
    if missing and positional > 0 and "username" in missing:
        return None  # cannot happen: a positional argument is the username
    if missing == ["password"] and positional == 1:
        # Client(sid, ...): the secret goes second, positionally.
        args = with_arg(args, 1, cst.Arg(value=secret))
        positional += 1
    elif missing == ["password"]:
        args = with_arg(args, len(args), keyword_arg("password", secret))
    elif missing == ["username", "password"] and positional == 0:
        args = with_arg(args, 0, cst.Arg(value=key))
        args = with_arg(args, 1, cst.Arg(value=secret))
        positional = 2
    elif missing == ["username"]:
        args = with_arg(args, len(args), keyword_arg("username", key))
    if account is not None:
        if positional == 2 and all(arg.keyword is None and not arg.star for arg in args[:2]):
            args = with_arg(args, 2, cst.Arg(value=account))
        else:
            args = with_arg(args, len(args), keyword_arg("account_sid", account))
    args = _comment_follows_account(call, args, account)
    new_call = call.with_changes(args=args)
    edits = ctx.replace_call(call, new_call)
    return Fix(TITLE, "unsafe", (*edits, *import_edits))


def _comment_follows_account(
    call: cst.Call, args: list[cst.Arg], account: cst.BaseExpression | None
) -> list[cst.Arg]:
    """An end-of-line comment on the account SID argument (``sid,  # main account``) moves
    with the value to its new place instead of describing the API key."""
    if account is None:
        return args
    moved = [i for i, arg in enumerate(args) if arg.value is account]
    old_first = [i for i, arg in enumerate(call.args) if arg.value is account]
    if len(moved) != 1 or len(old_first) != 1:
        return args
    comment = comment_after(call.args[old_first[0]])
    if comment is None:
        return args
    target = set_comment_after(args[moved[0]], comment)
    source = set_comment_after(args[old_first[0]], None)
    if target is None or source is None or moved[0] == old_first[0]:
        return args
    args = list(args)
    args[moved[0]] = target
    args[old_first[0]] = source
    return args
