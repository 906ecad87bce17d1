"""What a rule reports: a finding at a position, optionally with a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Applicability = Literal["safe", "unsafe", "display-only"]
APPLICABILITIES: tuple[Applicability, ...] = ("safe", "unsafe", "display-only")
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Edit:
    """Replace the text between two positions (1-based line, 0-based character column)."""

    line: int
    col: int
    end_line: int
    end_col: int
    content: str


@dataclass(frozen=True)
class Fix:
    """A change that resolves a finding, with how safe it is to apply without review."""

    title: str
    applicability: Applicability
    edits: tuple[Edit, ...]


@dataclass
class Finding:
    """One problem in one file.

    ``line`` is 1-based; ``col`` is a 0-based *character* offset (not UTF-8 bytes, which is
    what ``ast`` gives), so every output agrees on non-ASCII lines. Reports print ``col + 1``.
    """

    code: str
    message: str
    path: str
    line: int
    col: int
    end_line: int
    end_col: int
    name: str = ""
    severity: Severity = "error"
    fix: Fix | None = None
    # Declared by the rule when it reports: how safe the fix of this finding is, or None when
    # it has none. The rule decides it with the conditions its fix withholds on, so a plain
    # check can say what is fixable without computing edits (no libcst); ``fix`` holds the
    # edits once computed, with the same applicability (tests/test_fix_applicability.py).
    fix_applicability: Applicability | None = field(default=None, compare=False)
    # Text that identifies the flagged source for a baseline; never the secret itself.
    fingerprint_text: str | None = field(default=None, compare=False)
    # The flagged span is a secret: outputs that quote source must mask it
    # (masking.redact_source_line).
    redact: bool = field(default=False, compare=False)
    # What the rule's fix needs (an env variable name, a target version, a rewrite variant):
    # JSON-ready values, never compared, never printed. Fixes read this, not the message.
    data: dict = field(default_factory=dict, compare=False, repr=False)
    # In a notebook: the finding's cell (1-based among all cells, as Jupyter and Ruff count)
    # and how many lines of the joined code cells come before it. ``line`` stays the line in
    # the joined code (what fixes and noqa read); reports print ``row``, the line in the cell.
    cell: int | None = None
    cell_offset: int = 0

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code)

    @property
    def row(self) -> int:
        """The line as reports print it: in the file, or in the notebook cell."""
        return self.line - self.cell_offset

    @property
    def end_row(self) -> int:
        return self.end_line - self.cell_offset


@dataclass(frozen=True)
class FileError:
    """A file that could not be linted: reported in one line, and the run goes on."""

    path: str
    message: str


def finding_to_dict(finding: Finding) -> dict:
    """A finding as JSON-ready data (the result cache, worker processes). ``data`` goes with
    it (a fix computed from a cached finding reads it), left out when empty."""
    from dataclasses import asdict

    item = asdict(finding)
    if not item["data"]:
        del item["data"]
    if item["fix_applicability"] is None:
        del item["fix_applicability"]
    return item


def finding_from_dict(item: dict, path: str | None = None) -> Finding:
    """The inverse of ``finding_to_dict``; ``path`` replaces the stored one (the same file may
    be named differently from another working directory)."""
    fix = item.get("fix")
    if fix is not None:
        fix = Fix(
            title=fix["title"],
            applicability=fix["applicability"],
            edits=tuple(Edit(**edit) for edit in fix["edits"]),
        )
    data = item.get("data", {})
    if not isinstance(data, dict):
        raise TypeError("a finding's data is a dict")
    if item.get("fix_applicability") not in (None, *APPLICABILITIES):
        raise TypeError("a finding's fix applicability is safe, unsafe or display-only")
    return Finding(
        **{**item, "fix": fix, "data": data, **({"path": path} if path is not None else {})}
    )
