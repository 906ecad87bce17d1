"""TWL501 fix: drop the codes of a ``# noqa`` directive that suppress nothing (safe: a comment).

The finding spans the directive (``# noqa: TWL101, E501``) and its ``data["keep"]`` lists the
codes that stay (other tools' codes, and ours that still suppress something). With codes left
the directive is rewritten with them; with none, the comment goes from the directive to the end
of the line with the spaces before it, and a line that held only the comment goes whole.
"""

from __future__ import annotations

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import TextFixContext

CODE = "TWL501"
TITLE = "Remove the unused `noqa` codes"


def fix(ctx: TextFixContext, finding: Finding) -> Fix | None:
    source = ctx.source
    keep = finding.data.get("keep")
    if keep is None or finding.line != finding.end_line:
        return None
    start = source.offset(finding.line, finding.col)
    end = source.offset(finding.end_line, finding.end_col)
    if keep:
        return Fix(TITLE, "safe", (source.edit(start, end, "# noqa: " + ", ".join(keep)),))
    line = source.line_text(finding.line)
    line_start = source.offset(finding.line, 0)
    before = line[: finding.col]
    if not before.strip():  # the comment is alone on its line: remove the line
        next_line = source.offset(finding.line + 1, 0) if finding.line < source.line_count else None
        stop = next_line if next_line is not None else line_start + len(line)
        return Fix(TITLE, "safe", (source.edit(line_start, stop, ""),))
    cut = line_start + len(before.rstrip())
    return Fix(TITLE, "safe", (source.edit(cut, line_start + len(line), ""),))
