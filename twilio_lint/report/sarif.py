"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

One run with the tool's rules (help text and help URI from the registry) and one result per
finding: location, level, a partial fingerprint (the baseline's secret-free hash) and, where
the finding has a fix, the fix as ``artifactChanges``.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from twilio_lint import __version__
from twilio_lint.findings import Finding

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/twilio-lint/twilio-lint"
SRCROOT = "%SRCROOT%"


def _artifact_location(path: str, root: str) -> dict:
    """A URI relative to %SRCROOT% (the working directory) when the file is under it."""
    if path == "-":
        return {"uri": "stdin"}
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = ".."
    if relative == ".." or relative.startswith(".." + os.sep):
        return {"uri": Path(absolute).as_uri()}
    # Bytes: a file name that is not UTF-8 is percent-encoded as it is on disk, as as_uri does.
    return {"uri": quote(os.fsencode(relative.replace(os.sep, "/"))), "uriBaseId": SRCROOT}


def _region(line: int, col: int, end_line: int, end_col: int) -> dict:
    """SARIF regions are 1-based and their end column is exclusive, like ours + 1."""
    end_line = max(end_line, line)
    region = {"startLine": line, "startColumn": col + 1, "endLine": end_line}
    end_column = end_col + 1
    if end_line == line and end_column < col + 1:
        end_column = col + 1
    region["endColumn"] = end_column
    return region


def _level(finding: Finding) -> str:
    return "warning" if finding.severity == "warning" else "error"


def _rule_descriptor(rule) -> dict:
    from twilio_lint.rule_docs import rule_markdown

    doc = rule.doc
    help_text = (
        f"{doc.what}\n\nWhy does it matter? {doc.why}\n\nFix safety: {doc.fix_safety}\n\n"
        f"Documentation: {rule.url}"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": doc.what},
        "help": {"text": help_text, "markdown": rule_markdown(rule)},
        "helpUri": rule.url,
        "defaultConfiguration": {"level": "error", "enabled": bool(rule.default_on)},
        "properties": {
            "tags": ["twilio", "security" if rule.code.startswith("TWL1") else "best-practice"],
            "fix": rule.fix or "none",
        },
    }


def _location(finding: Finding, artifact: dict) -> dict:
    """Where the finding is; in a notebook the region's lines count from the start of the
    cell, which the location's message and its ``cell`` property name."""
    region = _region(finding.row, finding.col, finding.end_row, finding.end_col)
    location: dict = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if finding.cell is not None:
        location["message"] = {"text": f"cell {finding.cell}"}
        location["properties"] = {"cell": finding.cell}
    return location


def _fix(finding: Finding, location: dict) -> dict | None:
    fix = finding.fix
    if fix is None or not fix.edits or finding.cell is not None:
        return None  # a notebook's edits are in its code cells, not in the JSON artifact
    return {
        "description": {"text": f"{fix.title} ({fix.applicability} fix)"},
        "artifactChanges": [
            {
                "artifactLocation": location,
                "replacements": [
                    {
                        "deletedRegion": _region(edit.line, edit.col, edit.end_line, edit.end_col),
                        "insertedContent": {"text": edit.content},
                    }
                    for edit in fix.edits
                ],
            }
        ],
    }


def sarif_log(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> dict:
    from twilio_lint.adoption.baseline import fingerprints
    from twilio_lint.registry import all_rules

    root = os.getcwd()
    rules = list(all_rules())
    index = {rule.code: number for number, rule in enumerate(rules)}
    results = []
    for finding, print_ in zip(findings, fingerprints(findings, dict(sources or {}))):
        location = _artifact_location(finding.path, root)
        result: dict = {
            "ruleId": finding.code,
            "level": _level(finding),
            "message": {"text": finding.message},
            "locations": [_location(finding, location)],
            "partialFingerprints": {"twilioLintFingerprint/v1": print_},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        fix = _fix(finding, location)
        if fix is not None:
            result["fixes"] = [fix]
        results.append(result)
    root_uri = Path(root).as_uri()
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "twilio-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": [_rule_descriptor(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {
                    SRCROOT: {"uri": root_uri if root_uri.endswith("/") else root_uri + "/"}
                },
                # Our columns count characters (code points), not UTF-16 units.
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def sarif(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    from twilio_lint.files import json_text

    return json_text(sarif_log(findings, sources), indent=2) + "\n"
