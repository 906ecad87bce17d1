"""A small XML reader for pom.xml and project files: elements with their source offsets.

Built on expat directly because ElementTree keeps no positions. Hostile input stays harmless:
a DOCTYPE (and so every entity declaration: billion laughs, external entities) is refused
before anything is expanded, and the caller skips the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat


class XmlRejected(Exception):
    """Broken XML or a document type declaration: the manifest is skipped."""


@dataclass
class Element:
    tag: str  # local name, namespace prefix dropped
    attrs: dict[str, str]
    start: int  # byte offset of "<"
    children: list[Element] = field(default_factory=list)
    text: str = ""
    text_start: int = -1  # byte offset of the first character data

    def child(self, tag: str) -> Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def child_text(self, tag: str) -> str | None:
        found = self.child(tag)
        return found.text.strip() if found is not None else None

    def iter(self, tag: str):
        """Elements named ``tag`` in document order (no recursion: hostile nesting is deep)."""
        stack = [self]
        while stack:
            element = stack.pop()
            if element.tag == tag:
                yield element
            stack.extend(reversed(element.children))


def parse(raw: bytes) -> Element:
    """The root element of ``raw`` (UTF-8), or XmlRejected."""
    parser = expat.ParserCreate(encoding="utf-8")
    stack: list[Element] = []
    roots: list[Element] = []

    def refuse(*_args: object) -> None:
        raise XmlRejected("document type declarations are not accepted")

    def start(name: str, attrs: dict[str, str]) -> None:
        element = Element(name.rsplit(":", 1)[-1], attrs, parser.CurrentByteIndex)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def data(text: str) -> None:
        if stack:
            if stack[-1].text_start < 0:
                stack[-1].text_start = parser.CurrentByteIndex
            stack[-1].text += text

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        parser.Parse(raw, True)
    except (expat.ExpatError, RecursionError, ValueError) as exc:
        raise XmlRejected(str(exc)) from None
    if not roots:
        raise XmlRejected("no root element")
    return roots[0]


class Offsets:
    """Byte offsets of the UTF-8 encoding to character offsets of the text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw = text.encode("utf-8")

    def char(self, byte_offset: int) -> int:
        return len(self.raw[:byte_offset].decode("utf-8", "ignore"))

    def text_span(self, element: Element) -> tuple[int, int] | None:
        """Character span of the element's stripped text, if it sits verbatim in the source."""
        value = element.text.strip()
        if element.text_start < 0 or not value:
            return None
        start = self.char(element.text_start) + (len(element.text) - len(element.text.lstrip()))
        if self.text[start:start + len(value)] != value:
            return None
        return start, start + len(value)

    def attribute_span(self, element: Element, name: str) -> tuple[int, int] | None:
        """Character span of attribute ``name``'s value inside the element's start tag."""
        import re

        start = self.char(element.start)
        tag_end = self.text.find(">", start)
        match = re.compile(r"\s" + re.escape(name) + r"\s*=\s*([\"'])(.*?)\1", re.S | re.I).search(
            self.text, start, tag_end + 1 if tag_end != -1 else len(self.text)
        )
        return match.span(2) if match else None
