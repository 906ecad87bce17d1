"""JSON Lines: one finding per line, in the same shape as the ``json`` format's items."""

from __future__ import annotations

import json

from twilio_lint.findings import Finding


def json_lines(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    from twilio_lint.report import finding_to_json

    return "".join(
        json.dumps(finding_to_json(finding), ensure_ascii=False) + "\n" for finding in findings
    )
