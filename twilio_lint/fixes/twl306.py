"""TWL306 fix: give the REST client an http client with a timeout (unsafe: requests that took
longer than 30 seconds now fail with an error instead of waiting).

- ``Client(...)`` without ``http_client=`` gets ``http_client=TwilioHttpClient(timeout=30)``, and
  ``from twilio.http.http_client import TwilioHttpClient`` is added once if missing;
- ``TwilioHttpClient(...)`` without a timeout (or with ``timeout=None``) gets ``timeout=30``.
"""

from __future__ import annotations

import ast

import libcst as cst

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes._client_args import keyword_arg
from twilio_lint.fixes.context import PythonFixContext, with_arg
from twilio_lint.knowledge import sdk

CODE = "TWL306"
TIMEOUT = "30"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    node = ctx.ast_node(finding, ast.Call)
    if node is None:
        return None
    call = ctx.find(finding, cst.Call)
    if call is None or any(arg.star for arg in call.args):
        return None
    # The rule says which call it flagged (finding.data): a TwilioHttpClient without a
    # timeout, or a REST client (not a 5.x one) without an http client.
    rewrite = finding.data.get("rewrite")
    if rewrite == "timeout":
        return _add_timeout(ctx, node, call)
    if rewrite == "http_client":
        return _add_http_client(ctx, node, call)
    return None


def _add_timeout(ctx: PythonFixContext, node: ast.Call, call: cst.Call) -> Fix | None:
    timeout_index = sdk.HTTP_CLIENT_PARAMS.index("timeout")
    if len(node.args) > timeout_index:
        return None  # given positionally (as None): leave that to a human
    value = cst.Integer(TIMEOUT)
    for i, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == "timeout":
            args = list(call.args)
            args[i] = arg.with_changes(value=value)
            break
    else:
        args = with_arg(call.args, len(call.args), keyword_arg("timeout", value))
    edits = ctx.replace_call(call, call.with_changes(args=args))
    return Fix(f"Add timeout={TIMEOUT}", "unsafe", edits)


def _add_http_client(ctx: PythonFixContext, node: ast.Call, call: cst.Call) -> Fix | None:
    if any(arg.keyword is not None and arg.keyword.value == "http_client" for arg in call.args):
        return None
    if len(node.args) > sdk.CLIENT_PARAMS.index("http_client"):
        return None
    imported = ctx.import_name(*sdk.HTTP_CLIENT.rsplit(".", 1))  # as the rule asked
    if imported is None:
        return None
    local, import_edits = imported
    value = ctx.expression(f"{local}(timeout={TIMEOUT})")
    args = with_arg(call.args, len(call.args), keyword_arg("http_client", value))
    edits = ctx.replace_call(call, call.with_changes(args=args))
    return Fix(f"Pass http_client={local}(timeout={TIMEOUT})", "unsafe", (*edits, *import_edits))
