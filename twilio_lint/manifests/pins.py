"""What every manifest parser returns: ``Pin``s, with the exact span of their version text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Source:
    """A manifest's text; ``path`` is where findings go (an included file has its own)."""

    path: str
    text: str

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [match.end() for match in re.finditer("\n", self.text)]

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based character column) of ``offset``; lines end at "\n" only, as
        in ``TextDocument.offset_to_position``."""
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1]


@dataclass(frozen=True)
class Pin:
    """One dependency on a Twilio SDK in one manifest.

    ``start``/``end`` are character offsets into ``source.text`` of the version text as written
    (``==6.0.0``, ``^4.0``, ``7.1.0``): the future "raise the pin" fix replaces exactly them.
    When the dependency has no version text, the span covers the package name.
    """

    ecosystem: str  # key of the release data: pypi, npm, rubygems, packagist, maven, nuget, go
    flavor: str  # grammar of ``spec``, see specs.compile_spec
    spec: str  # the constraint as written ("" = any version)
    source: Source
    start: int
    end: int
    ruby_requirements: tuple[str, ...] = ()  # RubyGems: one constraint per string
    located: bool = True  # False: the text was not found verbatim; the span is a best guess

    @property
    def line(self) -> int:
        return self.source.position(self.start)[0]

    @property
    def written(self) -> str:
        """The version text exactly as the manifest spells it."""
        if not self.located:
            return self.spec
        return self.source.text[self.start:self.end] if self.spec else ""


def spec_span(requirement: str) -> tuple[int, int] | None:
    """Span of the version specifier inside a PEP 508 string (``twilio[x]>=6 ; marker``)."""
    match = re.match(r"\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?\s*\(?\s*", requirement)
    if not match or match.end() >= len(requirement) or requirement[match.end()] not in "<>=!~":
        return None
    start = match.end()
    end = len(requirement)
    for stop in (";", "@"):
        found = requirement.find(stop, start)
        if found != -1:
            end = min(end, found)
    text = requirement[start:end].rstrip().rstrip(")").rstrip()
    return start, start + len(text)


def find_quoted(text: str, value: str, start: int = 0, end: int | None = None) -> int:
    """Offset of ``value`` inside its first quoted occurrence in ``text[start:end]``, or -1."""
    end = len(text) if end is None else end
    best = -1
    for quote in ('"', "'"):
        found = text.find(quote + value + quote, start, end)
        if found != -1 and (best == -1 or found + 1 < best):
            best = found + 1
    return best


def toml_table(text: str, header: str) -> tuple[int, int] | None:
    """Span of the body of TOML table ``[header]`` (dotted name, quotes and spaces ignored)."""
    wanted = header.replace(" ", "")
    for match in re.finditer(r"(?m)^[ \t]*\[([^\[\]\n]+)\][ \t]*(?:#.*)?$", text):
        name = re.sub(r"[\s\"']", "", match.group(1))
        if name == wanted:
            following = re.compile(r"(?m)^[ \t]*\[").search(text, match.end())
            return match.end(), following.start() if following else len(text)
    return None
