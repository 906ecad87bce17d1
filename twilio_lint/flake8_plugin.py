"""The flake8 front door: a thin adapter that turns the engine's findings into flake8 tuples.

flake8 hands us the tree it already parsed, so a file is parsed once. Each file gets the
configuration the CLI gives it (its nearest ``[tool.twilio-lint]`` / ``.twilio-lint.yaml``):
its ``select``/``ignore``/``extend-select``, ``per-file-ignores``, ``exclude`` and rule
options; flake8's own ``--select``/``--ignore`` then filter further. Opt-in rules join
flake8's default ignore list, so flake8 shows them only when selected there too.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from twilio_lint import __version__


class TwilioLintPlugin:
    name = "twilio-lint"
    version = __version__

    def __init__(self, tree: ast.Module, filename: str, lines: list[str]) -> None:
        self.tree = tree
        self.filename = filename
        self.lines = lines

    @classmethod
    def add_options(cls, option_manager: Any) -> None:
        from twilio_lint.registry import all_rules

        option_manager.extend_default_ignore(
            [rule.code for rule in all_rules() if not rule.default_on]
        )

    def run(self) -> Iterator[tuple[int, int, str, type]]:
        linter, allowed = _linter_for(os.path.dirname(os.path.abspath(self.filename)))
        if linter is None or linter.settings.is_excluded(self.filename):
            return
        source = "".join(self.lines)
        # The CLI's prefilter (tested never to hide a finding): most files never mention
        # Twilio, and for them the plugin must cost next to nothing on top of flake8.
        if not linter.may_report_python(source.encode("utf-8", "surrogatepass")):
            return
        result = linter.lint_python_source(source, self.filename, self.tree)
        for finding in result.findings:
            if finding.code in allowed:
                yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)


@lru_cache(maxsize=None)
def _resolver():
    from twilio_lint.config import SettingsResolver

    return SettingsResolver()


@lru_cache(maxsize=1024)
def _linter_for(directory: str):
    """The linter of a folder's nearest configuration, as the CLI finds it, and the codes that
    configuration lets through: one per configuration, shared by every folder under it (its
    caches, e.g. the project index, serve them all)."""
    from twilio_lint.config import ConfigError

    try:
        settings = _resolver().for_directory(directory)
    except ConfigError as exc:
        _report_once(f"twilio-lint: error: {exc}")
        settings = None
    found = _BY_SETTINGS.get(id(settings))
    if found is None:
        found = _BY_SETTINGS[id(settings)] = _build_linter(settings)
        _KEPT.append(settings)  # alive while its id is a key
    return found


#: id(settings) → (linter, allowed codes), one per configuration.
_BY_SETTINGS: dict[int, tuple] = {}
_KEPT: list = []


def _build_linter(settings):
    """Opt-in rules run too: flake8 hides them by default (its default ignore list) and shows
    them when selected, unless the configuration ignores them."""
    from twilio_lint.config import Settings, expand_selectors
    from twilio_lint.engine import Linter
    from twilio_lint.registry import all_rules

    settings = settings or Settings()
    allowed = settings.enabled_codes()
    if settings.select is None:
        opt_in = {rule.code for rule in all_rules() if not rule.default_on}
        allowed |= opt_in - expand_selectors(settings.ignore)
    every_rule = Settings(**{**vars(settings), "select": ["ALL"], "extend_select": [], "ignore": [],
                             "_globs": {}})
    return Linter(every_rule), frozenset(allowed)


@lru_cache(maxsize=None)
def _report_once(message: str) -> None:
    """A broken configuration shared by many folders is said once, not once per folder."""
    import sys

    print(message, file=sys.stderr)
