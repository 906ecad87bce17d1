"""Masking credentials in everything twilio-lint prints: messages, quoted source lines, diffs,
error lines. Never more than the first 4 characters of a credential, then ``…``."""

from __future__ import annotations

import re

#: A SID anywhere, also inside a longer word (``xAC…``, ``cb_AC…``, ``AC…_backup``): what is
#: printed is masked generously, where the rules' detectors need word boundaries.
_SID_ANYWHERE_RE = re.compile(r"(?:AC|SK)[0-9a-fA-F]{32}")
#: A run of 32 or more letters and digits (a token, a key secret, one glued to a letter).
_SECRET_WORD_RE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{32,}(?![0-9A-Za-z])")
_SECRET_RUN_RE = re.compile(r"[^\s'\"`]{5,}")


def mask_secret(value: str) -> str:
    """Show at most the first 4 characters of a credential, then an ellipsis."""
    return value[:4] + "…"


def redact_credentials(text: str) -> str:
    """``text`` with every credential-shaped value cut to its first 4 characters and ``…``:
    SIDs wherever they are (in a file or folder name, after ``_`` or a letter), and runs of 32
    or more letters and digits with both (auth tokens, key secrets)."""
    text = _SID_ANYWHERE_RE.sub(lambda m: mask_secret(m.group(0)), text)
    return _SECRET_WORD_RE.sub(
        lambda m: mask_secret(m.group(0))
        if re.search(r"\d", m.group(0)) and re.search(r"[A-Za-z]", m.group(0))
        else m.group(0),
        text,
    )


def redact_source_line(text: str, start: int, end: int, secret_span: bool) -> tuple[str, int, int]:
    """A source line to show under a finding, with credentials masked, and the finding's new
    (start, end) columns. With ``secret_span`` every run of 5+ characters between ``start`` and
    ``end`` is masked too (a secret of any shape)."""
    end = max(start, min(end, len(text)))
    left, middle, right = text[:start], text[start:end], text[end:]
    if secret_span:
        middle = _SECRET_RUN_RE.sub(lambda m: mask_secret(m.group(0)), middle)
    left, middle, right = (redact_credentials(part) for part in (left, middle, right))
    return left + middle + right, len(left), len(left) + len(middle)
