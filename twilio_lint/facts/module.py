"""The semantic model of a module as the Twilio facts read it."""

from __future__ import annotations

import ast
from typing import Any

from twilio_lint.knowledge import sdk
from twilio_lint.semantic.model import SemanticModel


def twilio_module(
    tree: ast.Module,
    source: str,
    path: str = "<string>",
    options: dict[str, Any] | None = None,
    project: Any = None,
) -> SemanticModel:
    """A semantic model whose qualified names read the SDK's re-exported paths as one name
    (``twilio.rest.client.Client`` is ``twilio.rest.Client``)."""
    return SemanticModel(tree, source, path, options, project, aliases=sdk.ALIASES)
