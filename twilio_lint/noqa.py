"""``# noqa`` handling, with flake8's own syntax so both front doors agree."""

from __future__ import annotations

import re
from collections.abc import Iterable

from twilio_lint.findings import Finding

# The same expression flake8 uses (flake8/defaults.py NOQA_INLINE_REGEXP).
NOQA_INLINE = re.compile(
    r"# noqa(?::[\s]?(?P<codes>([A-Z]+[0-9]+(?:[,\s]+)?)+))?",
    re.IGNORECASE,
)
NOQA_FILE = re.compile(r"\s*# flake8[:=]\s*noqa", re.I)
_SEPARATORS = re.compile(r"[,\s]+")


def noqa_codes(line: str) -> frozenset[str] | None:
    """None: no noqa. Empty set: a bare ``# noqa`` (everything). Else the listed codes."""
    if "noqa" not in line.lower():
        return None
    match = NOQA_INLINE.search(line)
    if match is None:
        return None
    codes = match.group("codes")
    if not codes:
        return frozenset()
    return frozenset(code.upper() for code in listed_codes(codes))


def listed_codes(codes: str) -> list[str]:
    """The codes of a directive's list (``TWL101, TWL203``) as written, in order."""
    return [code for code in _SEPARATORS.split(codes) if code]


def is_suppressed(finding: Finding, lines: list[str]) -> bool:
    if not 1 <= finding.line <= len(lines):
        return False
    codes = noqa_codes(lines[finding.line - 1])
    if codes is None:
        return False
    # flake8 matches a listed code as a prefix too: ``# noqa: TWL1`` covers TWL101.
    return not codes or any(finding.code.startswith(code) for code in codes)


def file_is_exempt(lines: Iterable[str]) -> bool:
    """``# flake8: noqa`` on a line of its own turns off every check for the file."""
    return any(NOQA_FILE.match(line) for line in lines)


def filter_suppressed(findings: list[Finding], lines: list[str]) -> list[Finding]:
    if not findings:
        return findings
    if file_is_exempt(lines):
        return []
    return [finding for finding in findings if not is_suppressed(finding, lines)]
