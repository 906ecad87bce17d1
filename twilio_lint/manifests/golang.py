"""Go modules: ``require github.com/twilio/twilio-go vX.Y.Z`` in ``go.mod``."""

from __future__ import annotations

import re

from twilio_lint.manifests.pins import Pin, Source

MODULE = "github.com/twilio/twilio-go"
_REQUIRE = re.compile(r"^\s*(?:require\s+)?" + re.escape(MODULE) + r"\s+(v\S+)")


def go_mod(source: Source) -> list[Pin]:
    """Single-line ``require`` and ``require ( … )`` blocks (``replace``/``exclude`` do not
    pin)."""
    pins = []
    in_require = False
    offset = 0
    for line in source.text.splitlines(keepends=True):
        code = line.split("//", 1)[0]
        stripped = code.strip()
        if re.match(r"^require\s*\($", stripped):
            in_require = True
        elif in_require and stripped == ")":
            in_require = False
        elif in_require or stripped.startswith("require"):
            match = _REQUIRE.match(code)
            if match:
                pins.append(Pin("go", "exact", match.group(1), source,
                                offset + match.start(1), offset + match.end(1)))
        offset += len(line)
    return pins
