"""The flake8 front door: a thin adapter that turns the engine's findings into flake8 tuples.

flake8 hands us the tree it already parsed, so a file is parsed once. Rule selection is
flake8's own (``--select``/``--ignore``); opt-in rules join flake8's default ignore list.
Rule options come from the same ``[tool.twilio-lint]`` / ``.twilio-lint.yaml`` as the CLI.
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
        linter = _linter_for(os.path.dirname(os.path.abspath(self.filename)))
        if linter is None:
            return
        source = "".join(self.lines)
        # The CLI's prefilter (tested never to hide a finding): most files never mention
        # Twilio, and for them the plugin must cost next to nothing on top of flake8.
        if not linter.may_report_python(source.encode("utf-8", "surrogatepass")):
            return
        result = linter.lint_python_source(source, self.filename, self.tree)
        for finding in result.findings:
            yield finding.line, finding.col, f"{finding.code} {finding.message}", type(self)


@lru_cache(maxsize=1024)
def _linter_for(directory: str):
    from twilio_lint.config import find_config

    return _linter_for_config(find_config(directory))


@lru_cache(maxsize=64)
def _linter_for_config(config):
    """One linter per config file (its caches, e.g. the project index, serve every directory
    under it): every rule runs, flake8 does the selection."""
    from twilio_lint.config import ConfigError, load_config_file, settings_from_table
    from twilio_lint.engine import Linter

    try:
        settings = settings_from_table(load_config_file(config), config) if config else None
    except ConfigError as exc:
        import sys

        print(f"twilio-lint: error: {exc}", file=sys.stderr)
        settings = None
    from twilio_lint.config import Settings

    settings = settings or Settings()
    settings.select = ["ALL"]
    settings.extend_select, settings.ignore = [], []
    return Linter(settings)
