"""TWL401 fix: raise a stale SDK pin to the newest known release (unsafe: a new major can change
APIs; run the tests and read the upgrade guide).

Only the version text the finding spans changes; the file's formatting, comments and the
constraint's style stay: ``==7.16.0`` → ``==9.13.0``, ``~=8.1`` → ``~=9.13``, ``^3.0.0`` →
``^6.3.1``, ``~> 5.0`` → ``~> 7.11``, ``>=6,<7`` → ``>=9.13.0,<10``, a bare ``5.0.0`` (Maven,
Gradle, NuGet, npm) → ``8.2.0``. A pin found through a ``-r`` include is raised in the
included file. No fix for a requirement with ``--hash=`` options (pip's
``--require-hashes`` would reject the new version: re-compile the file, e.g.
``pip-compile --generate-hashes``), for lock files (``poetry.lock``, ``uv.lock``,
``Pipfile.lock``, ``Gemfile.lock``: re-lock instead, their hashes would no longer match), for
``go.mod`` (a new major changes the module path), for dependencies without a version, and for
constraints it cannot rewrite faithfully (``!=`` exclusions, Maven ranges, ``||`` unions).
"""

from __future__ import annotations

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import TextFixContext
from twilio_lint.manifests.raising import raised_pin

CODE = "TWL401"


def fix_text(ctx: TextFixContext, finding: Finding) -> Fix | None:
    # The rule gives the release to raise the pin to and the constraint's grammar (flavor);
    # a pin it found through a -r include or without a version carries neither.
    target = finding.data.get("target")
    flavor = finding.data.get("flavor")
    if not isinstance(target, str) or not isinstance(flavor, str):
        return None
    start = ctx.source.offset(finding.line, finding.col)
    end = ctx.source.offset(finding.end_line, finding.end_col)
    replacement = raised_pin(ctx.text, start, end, target, flavor)  # as the rule declared
    if replacement is None:
        return None
    edit = ctx.source.edit(start, end, replacement)
    return Fix(f"Raise the pin to {target}", "unsafe", (edit,))
