"""TWL403 fix: the preferred path instead of the deprecated domain shortcut (safe: the shortcut
is a property that returns exactly that object, only with a ``DeprecationWarning``).

``client.api.calls`` → ``client.api.account.calls``, ``client.chat.services`` →
``client.chat.v2.services``: the replacement comes from the SDK's own deprecation table
(``removed.domain_shortcuts()``), as the rule matched it (``finding.data["replacement"]``). Only
``.domain.name`` written on one line without spaces or comments between the parts is rewritten.
"""

from __future__ import annotations

import ast

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import PythonFixContext

CODE = "TWL403"


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    node = ctx.ast_node(finding, ast.Attribute)
    if node is None or not isinstance(node.value, ast.Attribute):
        return None
    domain = node.value
    # The rule matched the SDK's table on a client (finding.data): the preferred path.
    preferred = finding.data.get("replacement")
    if not isinstance(preferred, str) or not preferred:
        return None
    _, receiver_end = ctx.ast_span(domain.value)
    _, end = ctx.ast_span(node)
    written = ctx.text[receiver_end:end]
    if written != f".{domain.attr}.{node.attr}":
        return None
    replacement = f".{preferred}"
    edit = ctx.source.edit(receiver_end, end, replacement)
    return Fix(f"Use {replacement.lstrip('.')}", "safe", (edit,))
