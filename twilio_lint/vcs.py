"""``--changed-since REV``: the files that differ from a git revision, plus untracked ones."""

from __future__ import annotations

import os
import subprocess


class VcsError(Exception):
    """git is missing, this is not a repository, or the revision is unknown."""


def _git(*args: str, cwd: str | None = None) -> str:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VcsError(f"cannot run git: {exc}") from None
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
        raise VcsError(f"git {' '.join(args[:2])}: {reason}")
    return proc.stdout


def changed_files(revision: str, cwd: str | None = None) -> set[str]:
    """Absolute paths of files changed since ``revision`` (committed, staged or not) and
    untracked files that are not ignored."""
    top = _git("rev-parse", "--show-toplevel", cwd=cwd).strip()
    changed = _git("diff", "--name-only", "--no-renames", revision, "--", cwd=top)
    untracked = _git("ls-files", "--others", "--exclude-standard", cwd=top)
    names = [line for line in (changed + untracked).splitlines() if line]
    return {os.path.abspath(os.path.join(top, name)) for name in names}
