"""TWL304 fix: catch ``TwilioException`` instead of ``TwilioRestException`` (unsafe: the handler
now also runs for paging errors and ``TwilioServiceException``, which it may not expect).

The flagged name in the ``except`` becomes ``TwilioException``: ``exceptions.TwilioRestException``
keeps its module prefix; a bare name gets ``from twilio.base.exceptions import TwilioException``
(added once, into the file's import of that module or beside its other twilio imports) unless it
is imported already. An imported ``TwilioRestException`` that no code uses any more is removed
after the fixes (``fixes/tidy_imports.py``); one still used elsewhere stays. No fix when the
handler reads attributes that only ``TwilioRestException`` has (``e.status``, ``e.code``,
``e.msg``…): a plain ``TwilioException`` would make that code raise ``AttributeError``.
"""

from __future__ import annotations

import ast
import re

from twilio_lint.findings import Edit, Finding, Fix
from twilio_lint.fixes.context import PythonFixContext
from twilio_lint.knowledge import sdk

CODE = "TWL304"
TITLE = "Catch TwilioException"
#: ``twilio.base.exceptions``, ``TwilioRestException``, ``TwilioException``: from the SDK model.
_EXCEPTIONS_MODULE, _, _REST_NAME = sdk.TWILIO_REST_EXCEPTION.rpartition(".")
_BROAD_NAME = sdk.TWILIO_EXCEPTION.rpartition(".")[2]


def fix(ctx: PythonFixContext, finding: Finding) -> Fix | None:
    # The rule resolved the caught class (finding.data): a bare name to replace with an
    # imported TwilioException, or an attribute of twilio.base.exceptions.
    rewrite = finding.data.get("rewrite")
    if rewrite not in ("name", "attribute"):
        return None
    node = ctx.ast_node(finding, ast.Attribute if rewrite == "attribute" else ast.Name)
    if node is None:
        return None
    handler = next((a for a in ctx.model.ancestors(node) if isinstance(a, ast.ExceptHandler)), None)
    if handler is None:  # the rule gives no data when the handler reads e.status and the like
        return None
    start, end = ctx.ast_span(node)
    if isinstance(node, ast.Attribute):
        attr_start = end - len(node.attr)
        if ctx.text[attr_start:end] != node.attr:
            return None
        edit = ctx.source.edit(attr_start, end, _BROAD_NAME)
        return Fix(TITLE, "unsafe", (edit,))
    renamed = _renamed_import(ctx, node)
    if renamed is not None:  # the handler was the import's only use: rename the import itself
        return Fix(TITLE, "unsafe", (ctx.source.edit(start, end, _BROAD_NAME), renamed))
    imported = ctx.import_name(*sdk.TWILIO_EXCEPTION.rsplit(".", 1))  # as the rule asked
    if imported is None:
        return None
    local, import_edits = imported
    if _caught_already(handler, local):
        return None
    return Fix(TITLE, "unsafe", (ctx.source.edit(start, end, local), *import_edits))


def _renamed_import(ctx: PythonFixContext, node: ast.Name) -> Edit | None:
    """The edit renaming ``from twilio.base.exceptions import TwilioRestException`` to
    ``TwilioException`` when the flagged handler is the only other place the name appears in
    the file (so one quick fix leaves no unused import behind); None otherwise."""
    if node.id != _REST_NAME or ctx.bindings(_BROAD_NAME):
        return None
    if len(re.findall(rf"\b{_REST_NAME}\b", ctx.text)) != 2:
        return None
    (binding,) = ctx.bindings(node.id) or (None,)
    if binding is None or binding[0] != "from" or binding[1].asname:
        return None
    alias = binding[1]
    statement = next(
        (s for s in ctx.tree.body if isinstance(s, ast.ImportFrom) and alias in s.names), None
    )
    if statement is None or statement.module != _EXCEPTIONS_MODULE or statement.level:
        return None
    start, end = ctx.ast_span(alias)
    return ctx.source.edit(start, end, _BROAD_NAME)


def _caught_already(handler: ast.ExceptHandler, local: str) -> bool:
    """``except (TwilioRestException, TwilioException)`` would catch it twice."""
    if isinstance(handler.type, ast.Tuple):
        return any(isinstance(e, ast.Name) and e.id == local for e in handler.type.elts)
    return False
