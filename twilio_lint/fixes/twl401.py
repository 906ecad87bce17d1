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

import re

from packaging.version import InvalidVersion, Version

from twilio_lint.findings import Finding, Fix
from twilio_lint.fixes.context import TextFixContext

CODE = "TWL401"
_VERSION = r"v?\d+(?:\.\d+)*"
_SINGLE = re.compile(
    rf"(?P<lead>\s*)(?P<op>===|==|~=|>=|\^|~>|~|=)?(?P<space>\s*)(?P<version>{_VERSION}(?:\.\*)?)(?P<trail>\s*)"
)
_RANGE = re.compile(
    rf"(?P<lead>\s*)>=?\s*(?P<low>{_VERSION})(?P<sep>\s*,?\s*)<=?\s*(?P<high>{_VERSION})(?P<trail>\s*)"
)
#: Flavors whose constraint a fix may rewrite (locks and go.mod are left alone).
_FLAVORS = frozenset(
    {"pep440", "pipfile", "poetry", "npm", "composer", "ruby", "maven", "gradle", "nuget"}
)


def fix_text(ctx: TextFixContext, finding: Finding) -> Fix | None:
    # The rule gives the release to raise the pin to and the constraint's grammar (flavor);
    # a pin it found through a -r include or without a version carries neither.
    target = finding.data.get("target")
    flavor = finding.data.get("flavor")
    if not isinstance(target, str) or not isinstance(flavor, str) or flavor not in _FLAVORS:
        return None
    try:
        newest = Version(target)
    except InvalidVersion:
        return None
    start = ctx.source.offset(finding.line, finding.col)
    end = ctx.source.offset(finding.end_line, finding.end_col)
    if flavor == "pep440" and _hashed(ctx, finding):
        return None  # the old hashes would make pip --require-hashes reject the new version
    written = ctx.text[start:end]
    replacement = raised(written, target, newest, flavor)
    if replacement is None or replacement == written:
        return None
    edit = ctx.source.edit(start, end, replacement)
    return Fix(f"Raise the pin to {target}", "unsafe", (edit,))


_HASH_OPTION = re.compile(r"(?:^|\s)--hash[=\s]")


def _hashed(ctx: TextFixContext, finding: Finding) -> bool:
    """Does the requirement (its lines joined at ``\\`` continuations) carry ``--hash``?"""
    first = finding.line
    while first > 1 and ctx.source.line_text(first - 1).endswith("\\"):
        first -= 1
    last = finding.end_line
    while last < ctx.source.line_count and ctx.source.line_text(last).endswith("\\"):
        last += 1
    requirement = " ".join(ctx.source.line_text(n) for n in range(first, last + 1))
    return bool(_HASH_OPTION.search(requirement.split(" #", 1)[0]))


def raised(written: str, newest_text: str, newest: Version, flavor: str) -> str | None:
    """``written`` rewritten to admit ``newest``, in the same style; None if it cannot be."""
    single = _SINGLE.fullmatch(written)
    if single is not None:
        op = single["op"] or ""
        if single["version"].endswith(".*") and op not in ("==", ""):
            return None
        if op in ("~=", "~>"):  # compatible release: keep the number of components
            parts = len(single["version"].lstrip("v").split("."))
            version = ".".join(str(n) for n in (*newest.release, 0, 0)[: max(parts, 2)])
        elif single["version"].endswith(".*"):
            version = f"{newest.major}.*"
        else:
            version = newest_text
        if op == ">=" and flavor in ("pep440", "pipfile", "poetry"):
            return None  # an open lower bound admits the newest: it was flagged for another reason
        if single["version"].startswith("v"):
            version = "v" + version
        if flavor in ("maven", "gradle", "nuget") and op:
            return None
        return f"{single['lead']}{op}{single['space']}{version}{single['trail']}"
    bounded = _RANGE.fullmatch(written)
    if bounded is not None and flavor in ("pep440", "pipfile", "poetry", "npm"):
        sep = bounded["sep"] if flavor != "npm" or "," not in bounded["sep"] else " "
        if flavor in ("pep440", "pipfile") and "," not in sep:
            sep = ","
        return f"{bounded['lead']}>={newest_text}{sep}<{newest.major + 1}{bounded['trail']}"
    return None
