"""``--changed-since REV``: the files that differ from a git revision, plus untracked ones."""

from __future__ import annotations

import os
import subprocess


class VcsError(Exception):
    """git is missing, this is not a repository, or the revision is unknown."""


#: The repository's own config must not run anything: no fsmonitor hook, no external diff or
#: textconv driver, no pager, no hooks; the user's system config is not read either.
SAFE_CONFIG = (
    "-c", "core.fsmonitor=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.pager=cat",
    "-c", "diff.external=",
    "-c", "core.untrackedCache=false",
)
SAFE_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_OPTIONAL_LOCKS": "0",
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_PAGER": "cat",
    "GIT_EXTERNAL_DIFF": "",
}


def _git(
    *args: str, cwd: str | None = None, no_match_ok: bool = False,
    config: dict[str, str] | None = None,
) -> str:
    """``git args`` with SAFE_CONFIG and ``config`` (key -> value) over the repository's."""
    env = {**os.environ, **SAFE_ENV, **_config_env(config or {})}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_EXTERNAL_DIFF"):
        env.pop(name, None)
    try:
        proc = subprocess.run(
            ["git", "--no-pager", "--no-optional-locks", *SAFE_CONFIG, *args],
            cwd=cwd, capture_output=True, text=True, timeout=60, check=False, env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise VcsError(f"cannot run git: {exc}") from None
    if proc.returncode == 1 and no_match_ok:  # ``git config --get-regexp`` found nothing
        return ""
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "git failed"
        raise VcsError(f"git {' '.join(args[:2])}: {reason}")
    return proc.stdout


def changed_files(revision: str, cwd: str | None = None) -> set[str]:
    """Absolute paths of files changed since ``revision`` (committed, staged or not) and
    untracked files that are not ignored."""
    if not revision or revision.startswith("-") or "\x00" in revision:
        raise VcsError(f"not a git revision: {revision!r} (revisions never start with '-')")
    top = _git("rev-parse", "--show-toplevel", cwd=cwd).strip()
    no_filters = _without_filters(top)
    changed = _git(
        "diff", "--name-only", "--no-renames", "--no-ext-diff", "--no-textconv",
        "--end-of-options", revision, "--", cwd=top, config=no_filters,
    )
    untracked = _git(
        "ls-files", "--others", "--exclude-standard", cwd=top, config=no_filters
    )
    names = [line for line in (changed + untracked).splitlines() if line]
    return {os.path.abspath(os.path.join(top, name)) for name in names}


def _without_filters(top: str) -> dict[str, str]:
    """Settings that switch off every clean/smudge/process filter the repository's config
    defines: ``git diff`` runs a stat-dirty file through its ``.gitattributes`` filter, a
    command the repository chose. Reading the config runs nothing."""
    names = _git(
        "config", "--null", "--name-only", "--get-regexp", r"^filter\.", cwd=top,
        no_match_ok=True,
    )
    drivers = {name[len("filter."):].rpartition(".")[0] for name in names.split("\0") if name}
    return {
        f"filter.{driver}.{key}": value
        for driver in sorted(filter(None, drivers))
        for key, value in (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))
    }


def _config_env(config: dict[str, str]) -> dict[str, str]:
    """``config`` as GIT_CONFIG_COUNT/KEY/VALUE variables: unlike ``-c key=value``, which git
    splits at the first ``=``, a driver the repository named ``x=y`` is still the key."""
    env = {"GIT_CONFIG_COUNT": str(len(config))}
    for index, (key, value) in enumerate(config.items()):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    return env
