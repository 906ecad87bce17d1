"""TWL103 fix: ``http://`` → ``https://`` in the flagged URL literal (unsafe: the server must
answer HTTPS on that host before Twilio can reach it).

The finding points at the literal (a string, an f-string, the literal a constant holds); the
edit replaces the seven characters ``http://`` right after its opening quote. A literal whose
text does not start with ``http://`` in the source itself (an escape, a split concatenation
such as ``"http" "://…"``) gets no fix.
"""

from __future__ import annotations

import re

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import TextFixContext

CODE = "TWL103"
TITLE = "Use https://"
_LITERAL_START = re.compile(
    r"""(?P<prefix>[rRuUfFbB]{0,2})(?P<quote>'''|\"\"\"|'|")(?P<scheme>http://)""", re.I
)


def fix(ctx: TextFixContext, finding: Finding) -> Fix | None:
    start, end = (
        ctx.source.offset(finding.line, finding.col),
        ctx.source.offset(finding.end_line, finding.end_col),
    )
    segment = ctx.text[start:end]
    match = _LITERAL_START.match(segment)
    if match is None or "b" in match["prefix"].lower():
        return None
    scheme_start = start + match.start("scheme")
    scheme = match["scheme"]
    replacement = "HTTPS://" if scheme.isupper() else "https://"
    edit = ctx.source.edit(scheme_start, scheme_start + len(scheme), replacement)
    return Fix(TITLE, "unsafe", (edit,))
