"""Non-Python files the rules read (manifests, ``.env``, YAML…): decoded text, line helpers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from twilio_lint.findings import Applicability, Finding, Fix


@dataclass
class TextDocument:
    """One decoded text file. ``options`` are the effective rule options of the run."""

    path: str
    text: str
    options: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lines = self.text.splitlines()
        self.basename = os.path.basename(self.path)

    def finding(
        self,
        code: str,
        line: int,
        col: int,
        end_col: int | None,
        message: str,
        *,
        end_line: int | None = None,
        fix: Fix | None = None,
        severity: str = "error",
        fingerprint_text: str | None = None,
        data: dict | None = None,
        fix_applicability: Applicability | None = None,
    ) -> Finding:
        """A finding at 1-based ``line`` and 0-based character columns."""
        if end_col is None:
            end_col = len(self.lines[line - 1]) if 0 < line <= len(self.lines) else col
        return Finding(
            code=code,
            message=message,
            path=self.path,
            line=line,
            col=col,
            end_line=end_line or line,
            end_col=end_col,
            severity=severity,  # type: ignore[arg-type]
            fix=fix,
            fingerprint_text=fingerprint_text,
            data=data or {},
            fix_applicability=fix_applicability,
        )

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of a character offset into ``text``."""
        line = self.text.count("\n", 0, offset) + 1
        line_start = self.text.rfind("\n", 0, offset) + 1
        return line, offset - line_start
