"""The credentials a REST client is built with, and what kind each one is (from its name or
literal shape): Account SID, API key SID, API key secret or Auth Token."""

from __future__ import annotations

import ast
from dataclasses import dataclass

from twilio_lint.knowledge import credentials, sdk
from twilio_lint.semantic.nodes import last_name


def credential_name(expr: ast.AST) -> str | None:
    """The name a credential expression goes by: a variable, attribute, dict key or env var.

    ``auth_token``, ``settings.TWILIO_AUTH_TOKEN``, ``os.environ["TWILIO_AUTH_TOKEN"]``,
    ``os.getenv("TWILIO_AUTH_TOKEN")``, ``config("TWILIO_AUTH_TOKEN")``, ``cfg["twilio"]["sid"]``.
    """
    if isinstance(expr, ast.Name):
        return expr.id
    if isinstance(expr, ast.Attribute):
        return expr.attr
    if isinstance(expr, ast.Subscript):
        key = expr.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return key.value
        if isinstance(key, ast.Name) and credentials.credential_kind_of_name(key.id):
            return key.id  # cfg[CONFIG_AUTH_TOKEN]: the constant is named for what it holds
        return credential_name(expr.value)
    if isinstance(expr, ast.Call):
        return _called_credential_name(expr)
    return None


def _called_credential_name(call: ast.Call) -> str | None:
    """``config("TWILIO_AUTH_TOKEN")``, ``getattr(settings, "TWILIO_AUTH_TOKEN")``, or a helper
    named for what it returns: ``auth_token()``, ``self.get_account_sid()``."""
    func = call.func
    is_getattr = isinstance(func, ast.Name) and func.id == "getattr"
    key = call.args[1] if is_getattr and len(call.args) > 1 else None
    if key is None and call.args:
        key = call.args[0]
    if isinstance(key, ast.Constant) and isinstance(key.value, str):
        return key.value
    helper = last_name(func)
    if helper and not is_getattr and credentials.credential_kind_of_name(helper):
        return helper
    return None


def credential_kind(expr: ast.AST | None) -> str | None:
    """``account``, ``key``, ``secret`` or ``token`` from a credential's name or literal shape."""
    if expr is None:
        return None
    if isinstance(expr, ast.Constant):
        if not isinstance(expr.value, str):
            return None
        return credentials.credential_kind_of_literal(expr.value)
    name = credential_name(expr)
    return credentials.credential_kind_of_name(name) if name else None


@dataclass
class ClientCredentials:
    """The credential arguments of one ``Client(...)`` / ``TwilioRestClient(...)`` call."""

    call: ast.Call
    first: ast.expr | None  # username / account (5.x)
    second: ast.expr | None  # password / token (5.x)
    account_sid: ast.expr | None  # account_sid / request_account (5.x)
    credential_provider: ast.expr | None
    opaque: bool  # *args or **kwargs: we cannot see the credentials

    @property
    def has_credentials(self) -> bool:
        return self.first is not None or self.second is not None

    def auth_kind(self) -> str | None:
        """``token`` (Account SID + Auth Token), ``key`` (API key) or None (cannot tell)."""
        first, second = credential_kind(self.first), credential_kind(self.second)
        if first == "account":
            return "token"
        if first == "key":
            return "key"
        if first is None and second == "token":
            return "token"
        if first is None and second == "secret" and _names_api_secret(self.second):
            return "key"  # ``secret``/``password`` alone do not say "API key secret"
        return None


def _names_api_secret(expr: ast.AST | None) -> bool:
    if isinstance(expr, ast.Constant):
        return True  # a literal's shape said so
    name = credential_name(expr) if expr is not None else None
    return name is not None and credentials.is_api_secret_name(name)


def client_credentials(call: ast.Call, legacy: bool = False) -> ClientCredentials:
    """The credential arguments of a client constructor call (5.x parameter names if ``legacy``)."""
    names = sdk.LEGACY_CLIENT_PARAMS if legacy else sdk.CLIENT_PARAMS
    values: dict[str, ast.expr] = {}
    opaque = any(isinstance(arg, ast.Starred) for arg in call.args)
    for name, arg in zip(names, call.args):
        if isinstance(arg, ast.Starred):
            break
        values[name] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            opaque = True
        else:
            values[keyword.arg] = keyword.value
    first_name, second_name = names[0], names[1]
    account_name = "request_account" if legacy else "account_sid"
    return ClientCredentials(
        call=call,
        first=values.get(first_name),
        second=values.get(second_name),
        account_sid=values.get(account_name),
        credential_provider=values.get("credential_provider"),
        opaque=opaque,
    )
