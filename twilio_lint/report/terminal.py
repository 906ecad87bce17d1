"""What the human-readable reports add on a terminal: colour, rule-code hyperlinks, the
closing "Checked N files" line and progress. Nothing here is ever written to a file or a
pipe unless asked for (``--color always``, ``FORCE_COLOR``)."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

from twilio_lint.registry import DOCS_URL

RESET, BOLD, RED, CYAN = "\x1b[0m", "\x1b[1m", "\x1b[31m", "\x1b[36m"
#: Terminals known to show OSC 8 hyperlinks (as Ruff's ``supports-hyperlinks`` decides).
HYPERLINK_TERMINALS = frozenset({"iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby"})
#: Seconds a run lasts before progress is shown; tests lower it (and only tests).
PROGRESS_AFTER_ENV = "TWILIO_LINT_PROGRESS_AFTER"
PROGRESS_AFTER = 1.0


def _flag(name: str) -> bool:
    return bool(os.environ.get(name))  # an empty value counts as unset (no-color.org)


def use_color(choice: str, stream: TextIO) -> bool:
    """``--color``: always, never, or auto (``NO_COLOR``, then ``FORCE_COLOR``, then is
    ``stream`` a terminal)."""
    if choice != "auto":
        return choice == "always"
    if _flag("NO_COLOR"):
        return False
    if _flag("FORCE_COLOR"):
        return True
    return _is_terminal(stream) and os.environ.get("TERM") != "dumb"


def supports_hyperlinks(stream: TextIO) -> bool:
    """OSC 8 links: ``FORCE_HYPERLINK`` decides when set, else a terminal known to show them
    (never in CI logs)."""
    forced = os.environ.get("FORCE_HYPERLINK")
    if forced is not None:
        return forced not in ("", "0")
    if _flag("CI") or not _is_terminal(stream):
        return False
    if os.environ.get("TERM_PROGRAM") in HYPERLINK_TERMINALS:
        return True
    if any(_flag(name) for name in ("WT_SESSION", "KONSOLE_VERSION", "DOMTERM")):
        return True
    vte = os.environ.get("VTE_VERSION", "")
    return vte.isdigit() and int(vte) >= 5000


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


class Style:
    """How the full and concise reports paint locations, codes and carets (plain: not at all)."""

    def __init__(self, color: bool = False, links: bool = False) -> None:
        self.color = color
        self.links = color and links

    def location(self, text: str) -> str:
        return f"{BOLD}{text}{RESET}" if self.color else text

    def code(self, code: str) -> str:
        if not self.color:
            return code
        shown = f"{BOLD}{RED}{code}{RESET}"
        if self.links:
            url = DOCS_URL.format(code=code)
            shown = f"\x1b]8;;{url}\x1b\\{shown}\x1b]8;;\x1b\\"
        return shown

    def caret(self, text: str) -> str:
        return f"{RED}{text}{RESET}" if self.color and text.strip() else text

    def gutter(self, text: str) -> str:
        return f"{CYAN}{text}{RESET}" if self.color else text


PLAIN = Style()


def style_for(choice: str, stream: TextIO) -> Style:
    color = use_color(choice, stream)
    return Style(color, color and supports_hyperlinks(stream)) if color else PLAIN


def checked_line(files: int, seconds: float) -> str:
    """The closing line on a terminal: how many files, in how long."""
    return f"Checked {files} {'file' if files == 1 else 'files'} in {seconds:.2f}s."


class Progress:
    """``done/total files`` on stderr, rewritten in place, once a run has lasted
    ``PROGRESS_AFTER`` seconds; only on a terminal and never in CI."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        self.stream = stream
        self.started = time.monotonic()
        self.after = _progress_after()
        self.shown = False

    @staticmethod
    def wanted(stream: TextIO = sys.stderr) -> bool:
        return _is_terminal(stream) and not _flag("CI")

    def __call__(self, done: int, total: int) -> None:
        if time.monotonic() - self.started < self.after:
            return
        self.stream.write(f"\r\x1b[2KChecking files: {done}/{total}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:  # leave no half line before the report
            self.stream.write("\r\x1b[2K")
            self.stream.flush()


def _progress_after() -> float:
    try:
        return float(os.environ.get(PROGRESS_AFTER_ENV, PROGRESS_AFTER))
    except ValueError:
        return PROGRESS_AFTER
