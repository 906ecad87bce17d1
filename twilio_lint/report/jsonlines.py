"""JSON Lines: one finding per line, in the same shape as the ``json`` format's items."""

from __future__ import annotations

from twilio_lint.findings import Finding


def json_lines(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    from twilio_lint.files import json_text
    from twilio_lint.report import finding_to_json

    return "".join(json_text(finding_to_json(finding)) + "\n" for finding in findings)
