"""Lock files and the manifests they are locked from, so that one stale pin is one finding.

A pin lives in the manifest the user edits (``pyproject.toml``, ``Pipfile``, ``Gemfile``,
``requirements.in``) and again in the lock resolved from it (``poetry.lock``, ``uv.lock``,
``Pipfile.lock``, ``Gemfile.lock``, the ``requirements.txt`` pip-compile wrote). TWL401 reports
where the user acts: the manifest when its constraint keeps the old version (naming the lock,
which follows when re-locked); the lock only when the manifest already admits a current release
(re-lock: ``poetry update twilio``), or when no manifest beside it names the SDK.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

#: lock file name -> (the manifest beside it that it is resolved from, the re-lock command)
LOCKS = {
    "poetry.lock": ("pyproject.toml", "poetry update {package}"),
    "uv.lock": ("pyproject.toml", "uv lock --upgrade-package {package}"),
    "Pipfile.lock": ("Pipfile", "pipenv update {package}"),
    "Gemfile.lock": ("Gemfile", "bundle update {package}"),
    "gems.locked": ("gems.rb", "bundle update {package}"),
}
COMPILED_COMMAND = "pip-compile --upgrade-package {package} {manifest}"


@dataclass(frozen=True)
class Pair:
    lock: str  # path of the lock file
    manifest: str  # path of the manifest it is resolved from
    command: str  # re-locks the SDK; ``{package}`` to fill in

    def relock(self, package: str) -> str:
        return self.command.format(package=package)


def manifest_of(lock_path: str) -> Pair | None:
    """The manifest ``lock_path`` is resolved from, when it is a lock and the manifest exists."""
    directory, name = os.path.split(lock_path)
    if name in LOCKS:
        manifest, command = LOCKS[name]
        manifest_path = os.path.join(directory, manifest)
        return Pair(lock_path, manifest_path, command) if _is_file(manifest_path) else None
    stem, suffix = os.path.splitext(name)
    if suffix == ".txt":  # requirements.txt compiled from requirements.in by pip-compile
        source = os.path.join(directory, stem + ".in")
        if _is_file(source):
            command = COMPILED_COMMAND.replace("{manifest}", os.path.basename(source))
            return Pair(lock_path, source, command)
    return None


def locks_of(manifest_path: str) -> list[Pair]:
    """The lock files beside ``manifest_path`` that are resolved from it."""
    directory, name = os.path.split(manifest_path)
    names = [lock for lock, (manifest, _) in LOCKS.items() if manifest == name]
    stem, suffix = os.path.splitext(name)
    if suffix == ".in":
        names.append(stem + ".txt")
    pairs = []
    for lock in names:
        pair = manifest_of(os.path.join(directory, lock))
        if pair is not None and _is_file(pair.lock):
            pairs.append(pair)
    return pairs


def _is_file(path: str) -> bool:
    """A regular file itself, not a link: a committed ``pyproject.toml -> ../elsewhere`` beside
    a lock would have TWL401 read a file outside the tree. Looked for, found or not, it is a
    dependency of the result being computed (a lock created later changes the advice)."""
    from twilio_lint.cache import record_probe

    record_probe(path)
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except (OSError, ValueError):
        return False
