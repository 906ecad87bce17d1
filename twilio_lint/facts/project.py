"""The project index: facts that live in other modules of the same project.

``from services.twilio import get_client`` — is ``get_client`` a client factory? A decorator
imported from ``decorators.py`` — does it validate the Twilio signature? The index finds the
imported module's file next to the importing one (walking up to the project root), parses it
once, and keeps a small summary. It never imports or executes anything.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from twilio_lint.facts.clients import ClientFacts
from twilio_lint.facts.module import (
    has_marker,
    is_file_probed,
    module_files,
    read_module,
    relative_base,
)
from twilio_lint.facts.signature import SignatureFacts
from twilio_lint.semantic.nodes import STDLIB_MODULES

#: Files bigger than this are not parsed for cross-module facts.
MAX_INDEX_FILE_BYTES = 2_000_000
#: How many directories up from the importing file a top-level package may live.
MAX_PARENT_LEVELS = 6


@dataclass
class ModuleSummary:
    """What other modules may ask about one module."""

    client_factories: set[str] = field(default_factory=set)
    #: ``SignatureFacts.validator_names()``: what validates the signature, as TWL104 counts it.
    signature_validators: set[str] = field(default_factory=set)


class ProjectIndex:
    """Lazily built, cached summaries of project modules, keyed by file path."""

    def __init__(self, options: dict | None = None) -> None:
        self.options = options or {}
        self._summaries: dict[str, ModuleSummary | None] = {}
        #: (module, folder) -> its file and the paths looked for to find it
        self._resolved: dict[tuple[str, str], tuple[str | None, dict[str, bool]]] = {}

    # --- questions rules ask ----------------------------------------------------------------

    def is_client_factory(self, qualname: str, from_path: str) -> bool:
        summary, name = self._summary_for(qualname, from_path)
        return summary is not None and name in summary.client_factories

    def is_signature_validator(self, qualname: str, from_path: str) -> bool:
        summary, name = self._summary_for(qualname, from_path)
        return summary is not None and name in summary.signature_validators

    def may_read(self, imported: str) -> bool:
        """Could a name imported as ``imported`` (or an attribute of it) live in a project
        module the index reads? Never in twilio or the standard library: a cheap test that
        needs no file system."""
        top = imported.partition(".")[0]
        return top != "twilio" and (imported.startswith(".") or top not in STDLIB_MODULES)

    def can_read(self, qualname: str, from_path: str) -> bool:
        """Is the module ``qualname`` lives in a project file the index reads?"""
        return self._summary_for(qualname, from_path)[0] is not None

    # --- resolution -------------------------------------------------------------------------

    def _summary_for(self, qualname: str, from_path: str) -> tuple[ModuleSummary | None, str]:
        module, _, name = qualname.rpartition(".")
        if not module or module == "twilio" or module.startswith("twilio."):
            return None, name  # the SDK itself; a project's ``twilio_utils`` is looked up
        path = self.resolve_module(module, from_path)
        if path is None:
            return None, name
        from twilio_lint.cache import record_dependency

        record_dependency(path)  # a cached result must be dropped when this module changes
        return self.summary(path), name

    def resolve_module(self, module: str, from_path: str) -> str | None:
        if not module.startswith(".") and module.partition(".")[0] in STDLIB_MODULES:
            return None  # ``import json`` is never a project module: asked of most imports
        from twilio_lint.cache import recording, replay

        key = (module, os.path.dirname(os.path.abspath(from_path)))
        known = self._resolved.get(key)
        if known is None:
            # every file asking depends on the paths looked for, not only the first one
            known = self._resolved[key] = recording(lambda: _find_module_file(module, key[1]))
        else:
            replay(known[1])
        return known[0]

    def summary(self, path: str) -> ModuleSummary | None:
        if path not in self._summaries:
            self._summaries[path] = None  # guards against import cycles
            self._summaries[path] = self._summarise(path)
        return self._summaries[path]

    def _summarise(self, path: str) -> ModuleSummary | None:
        model = read_module(path, MAX_INDEX_FILE_BYTES, self.options, project=None)
        if model is None:
            return None
        summary = ModuleSummary(
            client_factories=set(ClientFacts.of(model).client_factory_names()),
            # the same definition TWL104 applies to the module it checks
            signature_validators=set(SignatureFacts.of(model).validator_names()),
        )
        model.release_facts()
        return summary


def _find_module_file(module: str, start_dir: str) -> str | None:
    """The file of ``module`` (``pkg.mod`` or relative ``..mod``) as seen from ``start_dir``."""
    if module.startswith("."):
        level = len(module) - len(module.lstrip("."))
        base = relative_base(Path(start_dir), level)
        return None if base is None else _module_file(base, module.lstrip("."))
    directory = Path(start_dir)
    for _ in range(MAX_PARENT_LEVELS):
        if directory.name in ("site-packages", "dist-packages"):
            return None  # installed packages are not the project
        found = _module_file(directory, module)
        if found is not None:
            return found
        if has_marker(directory):
            return None
        if directory.parent == directory:
            return None
        directory = directory.parent
    return None


def _module_file(base: Path, module: str) -> str | None:
    parts = [part for part in module.split(".") if part]
    if not parts:
        candidate = base / "__init__.py"
        return str(candidate) if is_file_probed(candidate) else None
    found = module_files(base, parts)
    return found[0] if found else None
