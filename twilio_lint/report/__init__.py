"""Report formats. Each writer takes the findings of a run and returns the text to print."""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable

from twilio_lint.findings import Finding
from twilio_lint.masking import redact_source_line
from twilio_lint.registry import DOCS_URL, rules_by_code
from twilio_lint.report.terminal import PLAIN, Style

#: Control characters (not tabs) that a file name, a message or a quoted line may hold: a
#: hostile tree can name a file ``x\n::error::…`` (a command to a CI log) or put escape
#: sequences in a string (a command to the terminal). Reports show them escaped.
_CONTROL_RE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with its control characters written as escapes (``\\n``, ``\\x1b``)."""
    if text.isprintable():
        return text
    return _CONTROL_RE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def finding_location(finding: Finding) -> str:
    """``path:line:col``, or in a notebook ``path:cell N:row:col`` as Ruff prints it."""
    cell = f"cell {finding.cell}:" if finding.cell is not None else ""
    return f"{printable(finding.path)}:{cell}{finding.row}:{finding.col + 1}"


def concise(
    findings: list[Finding], sources: dict[str, list[str]] | None = None, style: Style = PLAIN
) -> str:
    return "".join(_headline(f, style) for f in findings)


def _headline(finding: Finding, style: Style) -> str:
    location, message = finding_location(finding), printable(finding.message)
    return f"{style.location(location)}: {style.code(finding.code)} {message}\n"


def full(
    findings: list[Finding], sources: dict[str, list[str]] | None = None, style: Style = PLAIN
) -> str:
    """The concise line, then the source line with a caret under the finding, like Ruff."""
    sources = sources or {}
    out: list[str] = []
    for finding in findings:
        out.append(_headline(finding, style))
        lines = sources.get(finding.path)
        if lines and 1 <= finding.line <= len(lines):
            text = lines[finding.line - 1].rstrip("\r\n")
            end = finding.end_col if finding.end_line == finding.line else len(text)
            # Never echo a credential: mask it in the quoted line and move the caret with it.
            text, start, end = redact_source_line(text, finding.col, end, finding.redact)
            text, start, end = _printable_span(text, start, end)
            width = end - start if end > start else max(1, len(text) - start)
            gutter = f"{finding.row} | "
            out.append(f"  {style.gutter(gutter)}{text}\n")
            out.append(f"  {' ' * len(gutter)}{' ' * start}{style.caret('^' * width)}\n")
        if finding.fix is not None:
            out.append(f"  = help: {finding.fix.title} ({finding.fix.applicability} fix)\n")
    return "".join(out)


def _printable_span(text: str, start: int, end: int) -> tuple[str, int, int]:
    """A quoted line made printable, with the caret's span moved to match."""
    if text.isprintable():
        return text, start, end
    before, inside = printable(text[:start]), printable(text[start:end])
    return printable(text), len(before), len(before) + len(inside)


def fix_to_json(finding: Finding) -> dict | None:
    fix = finding.fix
    if fix is None:
        return None
    row = _edit_rows(finding)
    return {
        "applicability": fix.applicability,
        "message": fix.title,
        "edits": [
            {
                "content": edit.content,
                "location": {"row": row(edit.line), "column": edit.col + 1},
                "end_location": {"row": row(edit.end_line), "column": edit.end_col + 1},
            }
            for edit in fix.edits
        ],
    }


def _edit_rows(finding: Finding) -> Callable[[int], int]:
    """How a fix's edit lines are printed: as they are, or (in a notebook, like Ruff) as the
    row in the cell each edit is in, which may be another cell than the finding's."""
    if finding.cell is None:
        return lambda line: line
    from twilio_lint.notebooks import cell_map_of_file

    cells = cell_map_of_file(finding.path)
    if cells is None:
        return lambda line: line - finding.cell_offset
    return lambda line: line - cells.locate(line)[1]


def finding_to_json(finding: Finding) -> dict:
    """One finding in Ruff's JSON shape (plus ``severity``)."""
    return {
        "cell": finding.cell,
        "code": finding.code,
        "name": finding.name,
        "message": finding.message,
        "severity": finding.severity,
        "filename": os.path.abspath(finding.path) if finding.path != "-" else "-",
        "location": {"row": finding.row, "column": finding.col + 1},
        "end_location": {"row": finding.end_row, "column": finding.end_col + 1},
        "fix": fix_to_json(finding),
        "url": DOCS_URL.format(code=finding.code),
        "noqa_row": finding.row,
    }


def json_report(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    from twilio_lint.files import json_text

    return json_text([finding_to_json(f) for f in findings], indent=2) + "\n"


def statistics(
    findings: list[Finding], fixable_codes: frozenset[str] = frozenset(), unsafe: bool = False
) -> str:
    """A count per rule, most frequent first, ``[*]`` on the rules with a fix that ``--fix``
    applies (as Ruff: an unsafe fix only with ``--unsafe-fixes``), and a total."""
    counts = Counter(f.code for f in findings)
    rules = rules_by_code()
    applies = ("safe", "unsafe") if unsafe else ("safe",)
    fixable = fixable_codes | {
        f.code for f in findings if f.fix is not None and f.fix.applicability in applies
    }
    if not counts:
        return ""
    width = len(str(max(counts.values())))
    rows = []
    for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name = rules[code].name if code in rules else ""
        mark = "[*]" if code in fixable else "   "  # Ruff's mark: some of these have a fix
        rows.append(f"{count:>{width}} {code:<7}{mark} {name}".rstrip() + "\n")
    total = sum(counts.values())
    rows.append(f"Found {total} {'finding' if total == 1 else 'findings'}.\n")
    return "".join(rows)


Writer = Callable[[list[Finding], dict[str, list[str]] | None], str]

#: Output formats by name. New formats register here (sarif, github, junit, json-lines…).
FORMATS: dict[str, Writer] = {
    "full": full,
    "concise": concise,
    "json": json_report,
}



def _lazy(module: str, name: str) -> Writer:
    """A writer imported on first use: start-up pays only for the format asked for (the
    junit writer alone costs an XML library)."""

    def writer(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{module}"), name)(findings, sources)

    writer.__name__ = name
    return writer


FORMATS.update(
    {
        "sarif": _lazy("sarif", "sarif"),
        "github": _lazy("github", "github"),
        "junit": _lazy("junit", "junit"),
        "json-lines": _lazy("jsonlines", "json_lines"),
    }
)
