"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding."""

from __future__ import annotations

from twilio_lint.findings import Finding


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding) -> str:
    command = "warning" if finding.severity == "warning" else "error"
    title = f"{finding.code} {finding.name}".strip()
    properties = [
        ("file", finding.path),
        ("line", str(finding.line)),
        ("endLine", str(max(finding.end_line, finding.line))),
        ("col", str(finding.col + 1)),
        ("endColumn", str(finding.end_col + 1)),
        ("title", title),
    ]
    if finding.end_line != finding.line:
        # GitHub ignores columns on multi-line annotations; keep only what it honours.
        properties = [item for item in properties if item[0] not in ("col", "endColumn")]
    rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    return f"::{command} {rendered}::{_escape_data(f'{finding.code} {finding.message}')}\n"


def github(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    return "".join(annotation(finding) for finding in findings)
