"""Shared by the client-constructor fixes (TWL101, TWL106): the arguments of ``Client(...)``."""

from __future__ import annotations

import libcst as cst

from twilio_lint.knowledge import sdk


def param_of(call: cst.Call) -> list[str | None]:
    """For each argument of a ``Client(...)`` call, the parameter it binds (None for
    ``*args``/``**kwargs``)."""
    names: list[str | None] = []
    position = 0
    for arg in call.args:
        if arg.star:
            names.append(None)
        elif arg.keyword is not None:
            names.append(arg.keyword.value)
        else:
            names.append(sdk.CLIENT_PARAMS[position] if position < len(sdk.CLIENT_PARAMS) else None)
            position += 1
    return names


def positional_count(call: cst.Call) -> int:
    return sum(1 for arg in call.args if arg.keyword is None and not arg.star)


def keyword_arg(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""),
            whitespace_after=cst.SimpleWhitespace(""),
        ),
    )
