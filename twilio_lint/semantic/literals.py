"""How a string literal is written in the source (shared by a rule and its fix)."""

from __future__ import annotations

import re

_OPENING = re.compile(r"""(?P<prefix>[rRuUfFbB]{0,2})(?:'''|\"\"\"|'|")""")


def text_offset(written: str) -> int | None:
    """Where the text of the ``str`` literal written as ``written`` begins (after its prefix
    and opening quote); None for a bytes literal or source that does not open a literal."""
    opening = _OPENING.match(written)
    if opening is None or "b" in opening["prefix"].lower():
        return None
    return opening.end()


def starts_with_http(written: str) -> int | None:
    """The offset of ``http://`` (any case) right after the opening quote of the literal
    written as ``written``, as the source spells it (not through an escape or a split
    concatenation); None otherwise."""
    offset = text_offset(written)
    if offset is None or written[offset : offset + 7].lower() != "http://":
        return None
    return offset
