"""Baseline files: hide the findings a legacy code base already has, report only new ones.

A baseline entry is keyed on (path, code, fingerprint) with a count. The fingerprint is a hash
of the flagged source text with all whitespace removed (or of ``Finding.fingerprint_text`` when
the rule sets one), so moving code or re-indenting it does not resurrect a finding, while a new
copy of the same problem in the same file goes over the count and is reported. The baseline
stores hashes only: never the flagged text, which may contain a credential.

    twilio-lint check --write-baseline .twilio-lint-baseline.json   # record today's findings
    twilio-lint check --baseline .twilio-lint-baseline.json         # report only new ones
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable

from twilio_lint import inputs
from twilio_lint.files import (
    DECODE_ERRORS,
    is_notebook,
    json_text,
    read_regular_file,
    read_text,
    write_atomic,
)
from twilio_lint.findings import Finding
from twilio_lint.masking import redact_credentials

FORMAT_VERSION = 1
_WHITESPACE = re.compile(r"\s+")


class BaselineError(Exception):
    """An unreadable or malformed baseline file: a usage error (exit 2)."""


# --- fingerprints ------------------------------------------------------------------------------


def load_source_lines(path: str, sources: dict[str, list[str]] | None = None) -> list[str]:
    """The lines of ``path``: from ``sources`` when the run already has them, else from disk."""
    if sources is not None and path in sources:
        return sources[path]
    try:
        if is_notebook(path):  # the code cells, as the findings number them
            from twilio_lint.notebooks import read_display_lines

            lines = read_display_lines(path)
        else:
            lines = read_text(path).splitlines()
    except (OSError, ValueError, *DECODE_ERRORS):  # NotebookError is a ValueError
        lines = []
    if sources is not None:
        sources[path] = lines
    return lines


def flagged_text(finding: Finding, lines: list[str]) -> str:
    """The source text the finding spans (character columns), or its line(s) if out of range."""
    if not lines or not 1 <= finding.line <= len(lines):
        return ""
    end_line = min(max(finding.end_line, finding.line), len(lines))
    if end_line == finding.line:
        line = lines[finding.line - 1]
        if finding.end_col > finding.col:
            return line[finding.col:finding.end_col]
        return line[finding.col:]
    parts = [lines[finding.line - 1][finding.col:]]
    parts.extend(lines[finding.line:end_line - 1])
    parts.append(lines[end_line - 1][: finding.end_col])
    return "\n".join(parts)


def normalise(text: str) -> str:
    return _WHITESPACE.sub("", text)


def fingerprint(finding: Finding, lines: list[str]) -> str:
    """A short, stable, secret-free hash identifying what the finding flags."""
    text = finding.fingerprint_text
    if text is None:
        text = flagged_text(finding, lines)
    if not normalise(text):
        text = finding.message  # nothing to anchor on (e.g. an empty file): use the message
    digest = hashlib.sha256(f"{finding.code}\0{normalise(text)}".encode()).hexdigest()
    return digest[:20]


def fingerprints(
    findings: Iterable[Finding], sources: dict[str, list[str]] | None = None
) -> list[str]:
    sources = {} if sources is None else sources
    return [fingerprint(f, load_source_lines(f.path, sources)) for f in findings]


# --- baseline files ------------------------------------------------------------------------------


def _key_path(path: str, root: str) -> str:
    """``path`` relative to the baseline's directory, with forward slashes."""
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, root)
    except ValueError:  # another drive on Windows
        relative = absolute
    return redact_credentials(relative.replace(os.sep, "/"))  # never a credential in a name


def _keys(
    findings: list[Finding], baseline_path: str, sources: dict[str, list[str]] | None
) -> list[tuple[str, str, str]]:
    root = os.path.dirname(os.path.abspath(baseline_path))
    prints = fingerprints(findings, sources)
    return [(_key_path(f.path, root), f.code, fp) for f, fp in zip(findings, prints)]


def write_baseline(
    findings: list[Finding], baseline_path: str, sources: dict[str, list[str]] | None = None
) -> int:
    """Record ``findings`` in ``baseline_path`` (atomically); returns the number recorded."""
    counts = Counter(_keys(findings, baseline_path, sources))
    entries = [
        {"path": path, "code": code, "fingerprint": fp, "count": count}
        for (path, code, fp), count in sorted(counts.items())
    ]
    document = {
        "tool": "twilio-lint",
        "version": FORMAT_VERSION,
        "comment": "Known twilio-lint findings, hidden by --baseline. Fingerprints are hashes "
        "of the flagged code; regenerate with: twilio-lint check --write-baseline FILE",
        "findings": entries,
    }
    text = json_text(document, indent=2) + "\n"
    write_atomic(baseline_path, text)
    return sum(counts.values())


#: A baseline bigger than this is refused: it is read whole, and it is the repository's file.
MAX_BASELINE_BYTES = 256_000_000


def _not_finite(text: str) -> float:
    raise ValueError(f"{text} is not a number a baseline holds")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        _not_finite(text)
    return value


def read_baseline(baseline_path: str) -> Counter:
    inputs.watch(baseline_path)  # what it lets through is part of a replayed run's answer
    try:
        raw = read_regular_file(baseline_path, MAX_BASELINE_BYTES)
    except OSError as exc:
        raise BaselineError(
            f"{baseline_path}: cannot read baseline: {exc.strerror or exc}"
        ) from None
    if raw is None:
        raise BaselineError(
            f"{baseline_path}: cannot read baseline: not a regular file, or over "
            f"{MAX_BASELINE_BYTES:,} bytes"
        )
    try:
        data = json.loads(raw, parse_constant=_not_finite, parse_float=_finite)
    except RecursionError:
        raise BaselineError(f"{baseline_path}: not a twilio-lint baseline (nested too deeply)") from None
    except (UnicodeDecodeError, ValueError) as exc:
        reason = redact_credentials(" ".join(str(exc).split()))
        raise BaselineError(
            f"{baseline_path}: not a twilio-lint baseline (invalid JSON: {reason})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{baseline_path}: not a twilio-lint baseline (no 'findings' list)")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(
            f"{baseline_path}: unsupported baseline version {data.get('version')!r} "
            f"(expected {FORMAT_VERSION})"
        )
    counts: Counter = Counter()
    for entry in data["findings"]:
        try:
            key = (str(entry["path"]), str(entry["code"]), str(entry["fingerprint"]))
            count = int(entry.get("count", 1))
        except (KeyError, TypeError, ValueError, AttributeError, OverflowError, RecursionError):
            shown = redact_credentials(_short_repr(entry))
            raise BaselineError(f"{baseline_path}: malformed entry {shown}") from None
        counts[key] += max(count, 0)
    return counts


def _short_repr(value: object) -> str:
    try:
        text = repr(value)
    except RecursionError:
        return "(nested too deeply)"
    return text if len(text) <= 200 else text[:200] + "…"


def apply_baseline(
    findings: list[Finding], baseline_path: str, sources: dict[str, list[str]] | None = None
) -> tuple[list[Finding], int]:
    """The findings the baseline does not cover, and how many it hid.

    Each entry hides up to ``count`` findings with the same key, in file order; the rest
    (a new copy of a known problem) are reported."""
    remaining = read_baseline(baseline_path)
    kept: list[Finding] = []
    hidden = 0
    for finding, key in zip(findings, _keys(findings, baseline_path, sources)):
        if remaining[key] > 0:
            remaining[key] -= 1
            hidden += 1
        else:
            kept.append(finding)
    return kept, hidden
