"""The semantic model of a module as the Twilio facts read it."""

from __future__ import annotations

import ast
import os
from typing import Any

from twilio_lint.files import DECODE_ERRORS, read_text
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


def read_module(
    path: str, max_bytes: int, options: dict[str, Any] | None = None, project: Any = None
) -> SemanticModel | None:
    """Another module of the project (imported, or a framework's ``urls.py``), parsed for
    facts; None when it is too big or cannot be read or parsed. Never imported or run."""
    try:
        if os.path.getsize(path) > max_bytes:
            return None
        source = read_text(path)
        tree = ast.parse(source, filename=path)
    except (OSError, ValueError, RecursionError, *DECODE_ERRORS):
        return None
    return twilio_module(tree, source, path, options, project)
