"""What a run's answer depends on: every file and folder it read, listed or looked for, each
with its stamp when first seen. ``replay`` keeps them with the run's output and prints that
output again only while every stamp is the same (see ``docs/caching.md``).

A stamp is what the result cache trusts for a file (size, mtime, ctime, inode, mode, from
``lstat``; a link adds its target's), or ``-`` for a path that does not exist. A folder is
watched where it is listed (its stamp moves when an entry is added, removed or renamed); a
name looked for anywhere else (a config file above the tree, ``.git``) is watched by itself,
found or not, so that a busy folder above the tree (``/tmp``, a home folder) is not an input.
Recording is off (one test per call) unless a run that may be replayed turns it on; the
language server and the flake8 plugin never do.
"""

from __future__ import annotations

import os
import stat

#: Where results are cached (shared with ``cache``, here so that a replay imports only this).
CACHE_DIR_NAME = ".twilio_lint_cache"
ENV_CACHE_DIR = "TWILIO_LINT_CACHE_DIR"
#: A file changed this recently may change again within the filesystem's timestamp
#: granularity without its stamp moving ("racily clean" in git): neither the result cache nor
#: a replay trusts its stamp.
RACY_WINDOW_NS = 2_000_000_000
#: The files of the tool that make its answers: code and shipped data.
TOOL_SUFFIXES = (".py", ".json", ".csv", ".txt")

#: path -> stamp at first sight, while a run records (None: not recording). A stamp is taken
#: before the path is read or listed: a change after it is a stamp that moved.
watched: dict[str, str] | None = None
#: The paths of ``watched`` in the order they were first seen (see ``since``).
order: list[str] = []
#: The newest mtime or ctime among the stamps: a run whose inputs changed this close to its
#: start may have seen them half-changed (see ``replay.RACY_WINDOW_NS``).
newest_ns = 0
#: Why this run must not be replayed (a result the cache would not keep), or None.
refused: str | None = None
MISSING = "-"
#: Marks a stamp taken through links (``watch_stat``), and one of presence alone.
FOLLOWED, PRESENCE = "=", "?"


def start() -> None:
    global watched, order, newest_ns, refused
    watched, order, newest_ns, refused = {}, [], 0, None


def stop() -> None:
    global watched
    watched = None


def watch(path: str) -> None:
    """Depend on ``path``: the file or folder as it is now, or its absence (a file looked
    for and not found: creating it later is a change)."""
    if watched is not None and (path not in watched or watched[path][0] == PRESENCE):
        try:
            info = os.lstat(path)
        except (OSError, ValueError):
            if path in watched and watched[path] != PRESENCE + "0":  # type: ignore[operator]
                refuse(f"{path} went during the run")
            _add(path, MISSING, 0)
            return
        if stat.S_ISLNK(info.st_mode):
            seen = stamp(path)
            newest = max(_times(seen))
        else:
            seen, newest = _fields(info), max(info.st_mtime_ns, info.st_ctime_ns)
        if path in watched and not _agree(watched[path], seen):  # type: ignore[operator]
            refuse(f"{path} changed during the run")
        _add(path, seen, newest)


def watch_presence(path: str) -> None:
    """Depend on whether ``path`` is there, not on what it holds (``.git``, whose mtime
    every git command moves; a marker file looked for)."""
    if watched is not None and path not in watched:
        _add(path, presence(path), 0)


def presence(path: str) -> str:
    return PRESENCE + (kind_of(path) or "0")


def kind_of(path: str) -> str | None:
    """What ``path`` is, not what it holds: ``f`` a file, ``d`` a folder, ``o`` anything else,
    ``l`` and its target's kind (``l0``: dangling) for a link; None when it is not there.
    Code that looks for a file decides on this (a link is refused, a folder is no module)."""
    try:
        mode = os.lstat(path).st_mode
    except (OSError, ValueError):
        return None
    if not stat.S_ISLNK(mode):
        return _kind(mode)
    try:
        return "l" + _kind(os.stat(path).st_mode)
    except (OSError, ValueError):
        return "l0"


def _kind(mode: int) -> str:
    return "f" if stat.S_ISREG(mode) else "d" if stat.S_ISDIR(mode) else "o"


def watch_stat(path: str, info: os.stat_result) -> None:
    """Depend on a file of a listed folder, by the stat discovery took of it (through a link:
    the folder's own stamp moves if the entry is swapped for a link or a link is retargeted)."""
    if watched is not None and path not in watched:
        _add(path, FOLLOWED + _fields(info), max(info.st_mtime_ns, info.st_ctime_ns))


def since(mark: int) -> list[tuple[str, str]]:
    """What was watched after ``len(order)`` was ``mark``: a worker process sends it back
    with each result (its own stamps, taken before its reads)."""
    if watched is None:
        return []
    return [(path, watched[path]) for path in order[mark:]]


def merge(seen: list[tuple[str, str]]) -> None:
    """Stamps a worker took: one that differs from this process's own means the run saw two
    versions of a file."""
    if watched is None:
        return
    for path, mark in seen:
        known = watched.get(path)
        if known is None or (known[0] == PRESENCE and _agree(known, mark)):
            _add(path, mark, max(_times(mark)))
        elif not _agree(known, mark):
            refuse(f"{path} changed during the run")


def _agree(one: str, other: str) -> bool:
    """Could both stamps have been taken of the same version of a path?"""
    if one == other:
        return True
    if other[0] == PRESENCE:
        one, other = other, one
    if one[0] != PRESENCE:
        return False
    return one == PRESENCE + "0" if other == MISSING else one != PRESENCE + "0"


def _add(path: str, seen: str, newest: int) -> None:
    global newest_ns
    watched[path] = seen  # type: ignore[index] - only while recording
    order.append(path)
    if newest > newest_ns:
        newest_ns = newest


def _times(mark: str) -> list[int]:
    """The mtimes and ctimes in a stamp."""
    times = [0]
    if mark[0] == PRESENCE:
        return times
    for one in mark.removeprefix(FOLLOWED).split(">"):
        fields = one.split(":")
        if len(fields) == 5:
            times += [int(fields[1]), int(fields[2])]
    return times


def refuse(reason: str) -> None:
    """This run's output must not be replayed (for instance, a result the cache refuses)."""
    global refused
    if watched is not None and refused is None:
        refused = reason


def stamp(path: str, kind: str = "") -> str:
    """The stamp of ``path`` now (a replayed run takes one per input: kept lean); of the
    ``kind`` of a recorded one (its first character: ``FOLLOWED``, ``PRESENCE``)."""
    try:
        if kind == FOLLOWED:
            return FOLLOWED + _fields(os.stat(path))
        if kind == PRESENCE:
            return presence(path)
        info = os.lstat(path)
    except (OSError, ValueError):
        return MISSING
    text = _fields(info)
    if stat.S_ISLNK(info.st_mode):  # some readers follow a link: its target counts too
        try:
            return f"{text}>{_fields(os.stat(path))}"
        except (OSError, ValueError):
            return f"{text}>{MISSING}"
    return text


def _fields(info: os.stat_result) -> str:
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_mode}"


def tool_files() -> list[tuple[str, list[str]]]:
    """The tool's own folders, each with its files that make answers (``TOOL_SUFFIXES``):
    an edited rule (a development install, a patched package) must not be served stale."""
    package = os.path.dirname(os.path.abspath(__file__))
    found = []
    for directory, folders, names in os.walk(package):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        found.append((directory, sorted(n for n in names if n.endswith(TOOL_SUFFIXES))))
    return found
