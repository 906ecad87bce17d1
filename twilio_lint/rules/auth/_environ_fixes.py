"""Shared by the rules whose fixes read ``os.environ`` (TWL101, TWL102, TWL106)."""

from __future__ import annotations

from twilio_lint.facts.imports import ModuleImports
from twilio_lint.semantic.model import SemanticModel


def environ_fix(module: SemanticModel, data: dict | None, applicability: str) -> str | None:
    """The declared applicability of a fix that reads ``os.environ``: none without ``data``
    (the rule found nothing to rewrite) or when ``os`` cannot be imported (the name means
    something else in the file), as the fix will find."""
    if not data or ModuleImports.of(module).import_module("os") is None:
        return None
    return applicability
