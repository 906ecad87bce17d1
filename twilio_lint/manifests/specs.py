"""Version constraints of every ecosystem, compiled to one shape: ``Spec``.

A ``Spec`` answers three questions TWL401 asks: does it admit a version, is it an exact pin
(and of what), and what is its ceiling when no known release satisfies it (``twilio<6``).
Versions are ``packaging`` versions; every Twilio SDK version parses as one (Go's ``v`` too).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

Comparator = tuple[str, Version]  # (op, version), op in < <= > >= == !=

_OPS: dict[str, Callable[[Version, Version], bool]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True)
class Spec:
    """Alternatives (OR) of comparator lists (AND); an empty alternative admits everything."""

    alternatives: tuple[tuple[Comparator, ...], ...]
    exact: Version | None = None
    pep440: SpecifierSet | None = field(default=None, compare=False)

    def admits(self, version: Version) -> bool:
        if self.pep440 is not None:
            return self.pep440.contains(version, prereleases=True)
        return any(
            all(_OPS[op](version, bound) for op, bound in alternative)
            for alternative in self.alternatives
        )

    def floor(self) -> Version | None:
        """The version every admitted version is at least, if there is one."""
        lows = []
        for alternative in self.alternatives:
            bounds = [v for op, v in alternative if op in (">=", ">", "==")]
            if not bounds:
                return None
            lows.append(max(bounds))
        return min(lows) if lows else None

    def ceiling(self) -> tuple[Version, bool] | None:
        """(bound, inclusive) that every admitted version stays under, if there is one."""
        best: tuple[Version, bool] | None = None
        for alternative in self.alternatives:
            uppers = [(v, op != "<") for op, v in alternative if op in ("<", "<=", "==")]
            if not uppers:
                return None
            lowest = min(uppers, key=lambda item: (item[0], item[1]))
            if best is None or (lowest[0], lowest[1]) > (best[0], best[1]):
                best = lowest
        return best


ANY = Spec(((),))


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _exact(version: Version) -> Spec:
    return Spec(((("==", version),),), exact=version)


def _bump(parts: list[int], index: int) -> Version:
    """The version just past ``parts[:index + 1]``: ``_bump([1, 2, 3], 1)`` is 1.3."""
    head = parts[: index + 1]
    head[-1] += 1
    return Version(".".join(map(str, head)))


def _floor(parts: list[int]) -> Version:
    return Version(".".join(map(str, parts or [0])))


# --- PEP 440 (requirements, PEP 621, setup.py, Pipfile) --------------------------------------


def pep440(text: str) -> Spec | None:
    text = text.strip()
    if text in ("", "*"):
        return ANY
    try:
        specifiers = SpecifierSet(text)
    except InvalidSpecifier:
        return None
    comparators: list[Comparator] = []
    pins: set[Version] = set()
    for spec in specifiers:
        op, raw = spec.operator, spec.version
        if op in ("==", "===") and not raw.endswith(".*"):
            pinned = _version(raw)
            if pinned is not None:
                pins.add(pinned)
                comparators.append(("==", pinned))
        elif op == "==":  # ==5.*
            parts = _int_parts(raw[:-2])
            if parts:
                comparators += [(">=", _floor(parts)), ("<", _bump(parts, len(parts) - 1))]
        elif op == "~=":
            parts = _int_parts(raw)
            if len(parts) >= 2:
                comparators += [(">=", _floor(parts)), ("<", _bump(parts, len(parts) - 2))]
        elif op in ("<", "<=", ">", ">="):
            bound = _version(raw)
            if bound is not None:
                comparators.append((op, bound))
    exact_pin = next(iter(pins)) if len(pins) == 1 else None
    return Spec((tuple(comparators),), exact=exact_pin, pep440=specifiers)


def _int_parts(text: str) -> list[int]:
    version = _version(text)
    return list(version.release) if version is not None else []


def exact(text: str) -> Spec | None:
    """Lock files, go.mod: one resolved version."""
    version = _version(text.strip().removesuffix("+incompatible"))
    return _exact(version) if version is not None else None


# --- caret / tilde grammars (npm, Poetry, Composer, RubyGems) ---------------------------------

_PARTIAL = re.compile(
    r"^v?(?P<a>\d+|[xX*])(?:\.(?P<b>\d+|[xX*]))?(?:\.(?P<c>\d+|[xX*]))?(?:\.\d+)*"
    r"(?P<pre>[-+][0-9A-Za-z.+-]*)?$"
)
_OPERATOR = re.compile(r"^(~>|\^|~=|~|>=|<=|==|!=|>|<|=)?\s*(.*)$")


def _partial(text: str) -> tuple[list[int], str] | None:
    """([1, 2], "") for ``1.2.x``; the ints before the first wildcard, and a pre-release tag."""
    match = _PARTIAL.match(text.strip())
    if not match:
        return None
    parts: list[int] = []
    for name in ("a", "b", "c"):
        value = match.group(name)
        if value is None or not value.isdigit():
            break
        parts.append(int(value))
    return parts, match.group("pre") or ""


def _comparators(token: str, flavor: str) -> list[Comparator] | None:
    """One comparator token (``^1.2``, ``>=3``, ``1.x``, ``~> 5.0``) as comparators."""
    match = _OPERATOR.match(token.strip())
    if not match:
        return None
    op, rest = match.group(1) or "", match.group(2)
    if rest in ("*", "", "x", "X") and op in ("", "="):
        return []
    parsed = _partial(rest)
    if parsed is None:
        return None
    parts, pre = parsed
    if not parts:
        return [] if op in ("", "=", "==", ">=") else None
    full = len(parts) == 3 or flavor == "ruby"
    floor = _version(rest.lstrip("vV")) if full and pre else _floor(parts)
    if floor is None:
        floor = _floor(parts)
    if op == "^":
        nonzero = next((i for i, p in enumerate(parts) if p != 0), len(parts) - 1)
        return [(">=", floor), ("<", _bump(list(parts), nonzero))]
    if op in ("~>", "~") and (op == "~>" or flavor == "composer"):
        index = len(parts) - 2 if len(parts) >= 2 else 0
        return [(">=", floor), ("<", _bump(list(parts), index))]
    if op == "~":  # npm and Poetry: ~1.2.3 and ~1.2 allow patches, ~1 allows minors
        return [(">=", floor), ("<", _bump(list(parts), 1 if len(parts) >= 2 else 0))]
    if op == "~=":
        index = max(len(parts) - 2, 0)
        return [(">=", floor), ("<", _bump(list(parts), index))]
    if op in ("", "=", "=="):
        wildcard = re.search(r"[xX*]", rest) is not None
        if not wildcard and (full or flavor in ("composer", "poetry")):  # bare 1.2 is exact
            return [("==", floor)]
        return [(">=", floor), ("<", _bump(list(parts), len(parts) - 1))]
    if op == ">" and not full:
        return [(">=", _bump(list(parts), len(parts) - 1))]
    if op == "<=" and not full:
        return [("<", _bump(list(parts), len(parts) - 1))]
    return [(op, floor)]


def _hyphen(low: str, high: str, flavor: str) -> list[Comparator] | None:
    lower = _comparators(">=" + low, flavor)
    parsed = _partial(high)
    if lower is None or parsed is None or not parsed[0]:
        return None
    parts = parsed[0]
    if len(parts) == 3:
        return [*lower, ("<=", _floor(parts))]
    return [*lower, ("<", _bump(list(parts), len(parts) - 1))]


def ranges(text: str, flavor: str) -> Spec | None:
    """npm, Poetry and Composer ranges: ``||`` between alternatives, comparators inside."""
    text = text.strip()
    if flavor == "composer":
        text = re.sub(r"@\w+", "", text)  # stability flags: 5.0@stable
        if text.startswith("dev-") or " as " in text:
            return None
    if text in ("", "*", "latest", "x"):
        return ANY
    separator = r"\|\|?" if flavor == "composer" else r"\|\|"
    alternatives = []
    for alternative in re.split(separator, text):
        alternative = re.sub(r"(~>|\^|~=|~|>=|<=|==|!=|>|<|=)\s+", r"\1", alternative.strip())
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", alternative)
        if hyphen:
            comparators = _hyphen(hyphen.group(1), hyphen.group(2), flavor)
            if comparators is None:
                return None
            alternatives.append(tuple(comparators))
            continue
        found: list[Comparator] = []
        for token in re.split(r"[\s,]+", alternative):
            if not token:
                continue
            comparators = _comparators(token, flavor)
            if comparators is None:
                return None
            found.extend(comparators)
        alternatives.append(tuple(found))
    return _spec(alternatives)


def ruby(requirements: list[str]) -> Spec | None:
    """RubyGems: every string is one ``op version`` requirement; all must hold."""
    found: list[Comparator] = []
    for requirement in requirements:
        for token in requirement.split(","):
            comparators = _comparators(re.sub(r"\s+", "", token), "ruby")
            if comparators is None:
                return None
            found.extend(comparators)
    return _spec([tuple(found)])


def _spec(alternatives: list[tuple[Comparator, ...]]) -> Spec:
    exact_pin = None
    if len(alternatives) == 1 and len(alternatives[0]) == 1 and alternatives[0][0][0] == "==":
        exact_pin = alternatives[0][0][1]
    return Spec(tuple(alternatives), exact=exact_pin)


# --- interval notation (Maven, Gradle, NuGet) -------------------------------------------------

_INTERVAL = re.compile(r"([\[(])\s*([^,\[\]()]*?)\s*(?:,\s*([^,\[\]()]*?)\s*)?([\])])")


def intervals(text: str, flavor: str) -> Spec | None:
    """``[7.0,8.0)``, ``(,1.0],[1.2,)``, ``[1.5]``; a bare version is exact (Maven's soft
    requirement, NuGet's minimum that restore resolves to itself); ``7.+``/``7.*`` float."""
    text = text.strip()
    if not text:
        return None
    if text.upper() in ("LATEST", "RELEASE", "+", "*", "LATEST.RELEASE", "LATEST.INTEGRATION"):
        return ANY
    if text[0] not in "[(":
        if text.endswith(("+", "*")):  # Gradle 7.+, NuGet 7.*: the newest with that prefix
            parts = _int_parts(text.rstrip("+*").rstrip(".-")) if text.rstrip("+*.-") else []
            if not parts:
                return ANY
            return _spec([(("<", _bump(parts, len(parts) - 1)), (">=", _floor(parts)))])
        version = _version(text.removesuffix("!!"))
        return _exact(version) if version is not None else None
    alternatives = []
    position = 0
    for match in _INTERVAL.finditer(text):
        if text[position:match.start()].strip(" ,"):
            return None
        position = match.end()
        opening, low, high, closing = match.groups()
        if high is None:  # [1.5]: exactly
            version = _version(low)
            if version is None or opening != "[" or closing != "]":
                return None
            alternatives.append((("==", version),))
            continue
        comparators: list[Comparator] = []
        lower_op = ">=" if opening == "[" else ">"
        upper_op = "<=" if closing == "]" else "<"
        for bound, op in ((low, lower_op), (high, upper_op)):
            if bound:
                version = _version(bound)
                if version is None:
                    return None
                comparators.append((op, version))
        alternatives.append(tuple(comparators))
    if not alternatives or text[position:].strip(" ,"):
        return None
    return _spec(alternatives)


def compile_spec(flavor: str, text: str) -> Spec | None:
    """The constraint ``text`` of a manifest of ``flavor``, or None if it names no version
    range we understand (a URL, a git branch, a workspace link…)."""
    if flavor in ("pep440", "pipfile"):
        return pep440(text)
    if flavor == "exact":
        return exact(text)
    if flavor in ("npm", "poetry", "composer"):
        return ranges(text, flavor)
    if flavor in ("maven", "gradle", "nuget"):
        return intervals(text, flavor)
    raise ValueError(f"unknown flavor {flavor!r}")
