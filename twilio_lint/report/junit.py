"""JUnit XML: one test suite per file, one failing test case per finding; a file that could
not be checked (TWL001) is a test case in error, as a test that could not run."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby

from twilio_lint.config import FILE_NOT_CHECKED
from twilio_lint.findings import Finding

#: The code of a file that could not be checked: an error, not a failure, in JUnit terms.
NOT_CHECKED = FILE_NOT_CHECKED

# Characters XML 1.0 cannot carry at all.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def junit(findings: list[Finding], sources: dict[str, list[str]] | None = None) -> str:
    errors = sum(1 for finding in findings if finding.code == NOT_CHECKED)
    root = ET.Element(
        "testsuites", name="twilio-lint", tests=str(max(len(findings), 1)),
        failures=str(len(findings) - errors), errors=str(errors),
    )
    if not findings:
        suite = ET.SubElement(
            root, "testsuite", name="twilio-lint", tests="1", failures="0", errors="0",
            skipped="0",
        )
        ET.SubElement(suite, "testcase", name="no findings", classname="twilio-lint")
    for path, group in groupby(sorted(findings, key=lambda f: f.path), key=lambda f: f.path):
        items = list(group)
        in_error = sum(1 for finding in items if finding.code == NOT_CHECKED)
        suite = ET.SubElement(
            root, "testsuite", name=_clean(path), tests=str(len(items)),
            failures=str(len(items) - in_error), errors=str(in_error), skipped="0",
        )
        for finding in items:
            where = _location(finding)
            cell = f"cell {finding.cell}, " if finding.cell is not None else ""
            case = ET.SubElement(
                suite, "testcase",
                name=_clean(f"{finding.code} {finding.name} at {cell}line {finding.row}, "
                            f"column {finding.col + 1}"),
                classname=_clean(path), file=_clean(path), line=str(finding.row),
            )
            kind = "error" if finding.code == NOT_CHECKED else "failure"
            failure = ET.SubElement(
                case, kind, message=_clean(finding.message), type=finding.code
            )
            failure.text = _clean(f"{where}: {finding.code} {finding.message}")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _location(finding: Finding) -> str:
    from twilio_lint.report import finding_location

    return finding_location(finding)
