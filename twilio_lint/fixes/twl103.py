"""TWL103 fix: ``http://`` → ``https://`` in the flagged URL literal (unsafe: the server must
answer HTTPS on that host before Twilio can reach it).

The finding points at the literal (a string, an f-string, the literal a constant holds); the
edit replaces the seven characters ``http://`` right after its opening quote. A literal whose
text does not start with ``http://`` in the source itself (an escape, a split concatenation
such as ``"http" "://…"``) gets no fix.
"""

from __future__ import annotations

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import TextFixContext
from twilio_lint.semantic.literals import starts_with_http

CODE = "TWL103"
TITLE = "Use https://"


def fix(ctx: TextFixContext, finding: Finding) -> Fix | None:
    start, end = (
        ctx.source.offset(finding.line, finding.col),
        ctx.source.offset(finding.end_line, finding.end_col),
    )
    segment = ctx.text[start:end]
    at = starts_with_http(segment)  # the rule declared the fix with the same test
    if at is None:
        return None
    scheme_start = start + at
    scheme = segment[at : at + 7]
    replacement = "HTTPS://" if scheme.isupper() else "https://"
    edit = ctx.source.edit(scheme_start, scheme_start + len(scheme), replacement)
    return Fix(TITLE, "unsafe", (edit,))
