"""Per-file result cache: a file whose bytes, path, tool version and effective configuration are
unchanged is not linted again.

Entries live under ``.twilio_lint_cache/`` (or ``$TWILIO_LINT_CACHE_DIR``), one small JSON file
per (path, content) pair, in a directory named after the tool version and a fingerprint of the
configuration. An entry also records the other files the result depended on (project modules
read through the project index, included requirement files, manifests) with their size and
mtime, and is ignored when one of them changed. Writes are atomic (temp file + rename), so
concurrent runs never see half an entry; a corrupted entry is simply a miss.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
from typing import Any

from twilio_lint import __version__
from twilio_lint.findings import Edit, FileError, Finding, Fix

CACHE_DIR_NAME = ".twilio_lint_cache"
ENV_CACHE_DIR = "TWILIO_LINT_CACHE_DIR"


#: Files read while linting the current file (see ``record_dependency``).
consulted_files: set[str] = set()


def record_dependency(path: str) -> None:
    """Called by code that reads another file to lint this one (the project index, requirement
    includes, manifests), so a cached result is dropped when that file changes."""
    consulted_files.add(os.path.abspath(path))


def default_cache_dir(root: str | None = None) -> str:
    return os.environ.get(ENV_CACHE_DIR) or os.path.join(root or os.getcwd(), CACHE_DIR_NAME)


def tool_fingerprint() -> str:
    """The installed tool itself: its version, and the size and mtime of each of its files, so
    an edited rule (a development install, a patched package) never serves stale results."""
    package = os.path.dirname(os.path.abspath(__file__))
    stamps = []
    for directory, _, names in os.walk(package):
        for name in sorted(names):
            if name.endswith((".py", ".json", ".csv", ".txt")):
                info = os.stat(os.path.join(directory, name))
                stamps.append(f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(stamps)).encode()).hexdigest()[:16]


def config_fingerprint(enabled: set[str], options: dict[str, Any], extra: Any = None) -> str:
    payload = json.dumps(
        {"enabled": sorted(enabled), "options": options, "extra": extra, "tool": tool_fingerprint()},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


class ResultCache:
    """Lookups and stores of lint results for one configuration."""

    def __init__(self, directory: str, fingerprint: str) -> None:
        self.root = directory
        self.directory = os.path.join(directory, f"v{__version__}-{fingerprint}")
        self._ready = False

    def _entry_path(self, path: str, content_hash: str) -> str:
        key = hashlib.sha256(f"{os.path.abspath(path)}\0{content_hash}".encode()).hexdigest()
        return os.path.join(self.directory, key[:2], key[2:] + ".json")

    def get(self, path: str, content_hash: str) -> tuple[list[Finding], FileError | None] | None:
        try:
            with open(self._entry_path(path, content_hash), encoding="utf-8") as handle:
                entry = json.load(handle)
            if not _dependencies_unchanged(entry.get("deps", {})):
                return None
            findings = [_finding_from_json(item) for item in entry["findings"]]
            error = FileError(**entry["error"]) if entry.get("error") else None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # missing or corrupted: lint again
        return findings, error

    def put(
        self,
        path: str,
        content_hash: str,
        findings: list[Finding],
        error: FileError | None,
        dependencies: set[str],
    ) -> None:
        entry = {
            "findings": [dataclasses.asdict(finding) for finding in findings],
            "error": dataclasses.asdict(error) if error else None,
            "deps": {dep: _stamp(dep) for dep in sorted(dependencies)},
        }
        target = self._entry_path(path, content_hash)
        try:
            self._prepare()
            os.makedirs(os.path.dirname(target), exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(entry, handle, ensure_ascii=False)
            os.replace(temp, target)
        except OSError:
            pass  # a cache that cannot be written is only a slower run

    def _prepare(self) -> None:
        if self._ready:
            return
        os.makedirs(self.root, exist_ok=True)
        marker = os.path.join(self.root, "CACHEDIR.TAG")
        if not os.path.exists(marker):
            with open(marker, "w", encoding="utf-8") as handle:
                handle.write("Signature: 8a477f597d28d172789f06886806bc55\n"
                             "# twilio-lint result cache; safe to delete.\n")
        gitignore = os.path.join(self.root, ".gitignore")
        if not os.path.exists(gitignore):
            with open(gitignore, "w", encoding="utf-8") as handle:
                handle.write("*\n")
        self._ready = True


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def clean(directory: str) -> bool:
    """Remove a cache directory; True if there was one."""
    if not os.path.isdir(directory):
        return False
    shutil.rmtree(directory, ignore_errors=True)
    return True


def _stamp(path: str) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


def _dependencies_unchanged(deps: dict[str, Any]) -> bool:
    return all(_stamp(path) == (stamp if stamp is None else list(stamp)) for path, stamp in deps.items())


def _finding_from_json(item: dict[str, Any]) -> Finding:
    fix = item.get("fix")
    if fix is not None:
        fix = Fix(
            title=fix["title"],
            applicability=fix["applicability"],
            edits=tuple(Edit(**edit) for edit in fix["edits"]),
        )
    return Finding(**{**item, "fix": fix})
