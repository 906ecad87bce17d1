"""Raising a stale SDK pin in place: the rule declares the fix (TWL401) with this, and the fix
writes it. Only the version text changes, in the constraint's own style."""

from __future__ import annotations

import bisect
import re

from packaging.version import InvalidVersion, Version

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

_NEWLINE = re.compile(r"\r\n|\r|\n")


def raised_pin(text: str, start: int, end: int, target: str, flavor: str) -> str | None:
    """The version text ``text[start:end]`` rewritten to admit release ``target``; None when
    no fix is offered (a lock file, ``go.mod``, hashed requirements, a constraint that cannot
    be rewritten faithfully)."""
    if flavor not in _FLAVORS:
        return None
    try:
        newest = Version(target)
    except InvalidVersion:
        return None
    if flavor == "pep440" and _hashed(text, start, end):
        return None  # the old hashes would make pip --require-hashes reject the new version
    written = text[start:end]
    replacement = raised(written, target, newest, flavor)
    if replacement is None or replacement == written:
        return None
    return replacement


_HASH_OPTION = re.compile(r"(?:^|\s)--hash[=\s]")


def _hashed(text: str, start: int, end: int) -> bool:
    """Does the requirement spanning ``text[start:end]`` (its lines joined at ``\\``
    continuations) carry ``--hash``?"""
    lines = _NEWLINE.split(text)
    starts = [0, *(match.end() for match in _NEWLINE.finditer(text))]
    first = bisect.bisect_right(starts, start) - 1
    while first > 0 and lines[first - 1].endswith("\\"):
        first -= 1
    last = bisect.bisect_right(starts, end) - 1
    while last < len(lines) - 1 and lines[last].endswith("\\"):
        last += 1
    requirement = " ".join(lines[first : last + 1])
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
