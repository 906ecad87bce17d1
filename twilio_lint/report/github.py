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
        ("line", str(finding.row)),
        ("endLine", str(max(finding.end_row, finding.row))),
        ("col", str(finding.col + 1)),
        ("endColumn", str(finding.end_col + 1)),
        ("title", title),
    ]
    if finding.end_line != finding.line:
        # GitHub ignores columns on multi-line annotations; keep only what it honours.
        properties = [item for item in properties if item[0] not in ("col", "endColumn")]
    rendered = ",".join(f"{key}={_escape_property(value)}" for key, value in properties)
    cell = f"cell {finding.cell}: " if finding.cell is not None else ""
    text = f"{cell}{finding.code} {finding.message}"
    return f"::{command} {rendered}::{_escape_data(text)}\n"


def github(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    return "".join(annotation(finding) for finding in findings)
