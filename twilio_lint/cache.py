"""Per-file result cache: a file whose bytes, tool version and effective configuration are
unchanged is not linted again.

The cache lives under ``.twilio_lint_cache/`` (or ``$TWILIO_LINT_CACHE_DIR``), in a directory
named after the tool version, the cache format (``FORMAT_VERSION``) and a fingerprint of the
configuration, as one index file mapping
each absolute path to its last result. Like Ruff (and git's index), an entry is trusted
without reading the file when the file's stat stamp (size, mtime, ctime, inode, mode) is the
one recorded; otherwise the file is read and its content hash compared, so a touched or copied
file is still a hit. Files the prefilter ruled out are recorded too, so a warm run reads
nothing it has already seen.

An entry also records the other files the result depended on, and is ignored when one of
them changed: the files read (project modules read through the project index, included
requirement files, manifests, Django settings) with their size, mtime and ctime; the files
looked for (a module's candidate files, ``manage.py``, ``urls.py``, lock files, the root
markers that end a search upwards), found or not, with whether they exist; and the folders
listed for manifests, with the names that matched. So a file created where the linter looked
and found nothing drops the results that relied on its absence. The index is written once per
run, atomically (temp file + rename), after merging what concurrent runs wrote meanwhile; a
corrupted index is a miss.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from twilio_lint import __version__, inputs
from twilio_lint.inputs import CACHE_DIR_NAME, ENV_CACHE_DIR, RACY_WINDOW_NS  # noqa: F401

#: The layout of a cache directory and its index; a change of it is a new directory (format 2:
#: BLAKE2b fingerprints and content hashes instead of SHA-256).
FORMAT_VERSION = 2
INDEX_NAME = "index.json"


#: What the result of the file being linted depended on: path -> True for a file read (its
#: content matters), False for a path only looked for (whether it exists matters). Keys holding
#: ``LISTING`` are folder listings (see ``record_listing``).
consulted_files: dict[str, bool] = {}
#: Separates a listed folder from the patterns of the names that matter in it (no path holds it).
LISTING = "\0"
T = TypeVar("T")


#: What memoised answers being computed record (``recording``), innermost last.
_capturing: list[dict[str, bool]] = []


def record_dependency(path: str) -> None:
    """Called by code that reads another file to lint this one (the project index, requirement
    includes, manifests), so a cached result is dropped when that file changes."""
    _note(os.path.abspath(path), read=True)


def record_probe(path: str) -> None:
    """Called by code that looks for a file, found or not (a module's candidate files, a root
    marker), so a cached result is dropped when it appears or goes."""
    _note(os.path.abspath(path), read=False)


def record_listing(directory: str, patterns: tuple[str, ...]) -> None:
    """Called by code that lists a folder for the names matching ``patterns`` (fnmatch, case
    sensitive: ``requirements*.txt``), so a cached result is dropped when such a name appears
    or goes there; other files coming and going in the folder do not matter."""
    _note(os.path.abspath(directory) + LISTING + "|".join(patterns), read=False)


def recording(compute: Callable[[], T]) -> tuple[T, dict[str, bool]]:
    """``compute()`` and what it recorded (recorded as usual too): for an answer memoised
    across the files of a run, whose dependencies each file asking records again (``replay``)."""
    captured: dict[str, bool] = {}
    _capturing.append(captured)
    try:
        return compute(), captured
    finally:
        _capturing.pop()


def replay(recorded: dict[str, bool]) -> None:
    """Record again what a memoised answer depended on."""
    for path, read in recorded.items():
        _note(path, read)


def _note(key: str, read: bool) -> None:
    watch_input(key, read)
    # a read outweighs a look: its stamp also tells whether the file is there
    for recorded in (consulted_files, *_capturing):
        if read:
            recorded[key] = True
        else:
            recorded.setdefault(key, False)


def watch_input(key: str, read: bool | None) -> None:
    """The same dependency, for a replayed run's record (``inputs``): a file read by its
    stamp, a file looked for by whether it is there, a listing by its folder's stamp."""
    directory, listing, _ = key.partition(LISTING)
    if listing:
        inputs.watch(directory)
    elif read:
        inputs.watch(key)
    else:
        inputs.watch_presence(key)


def default_cache_dir(root: str | None = None) -> str:
    return os.environ.get(ENV_CACHE_DIR) or os.path.join(root or os.getcwd(), CACHE_DIR_NAME)


def tool_fingerprint() -> str:
    """The installed tool itself: its version, and the size and mtime of each of its files, so
    an edited rule (a development install, a patched package) never serves stale results."""
    stamps = []
    for directory, names in inputs.tool_files():
        for name in names:
            info = os.stat(os.path.join(directory, name))
            stamps.append(f"{directory}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return _blake2b()("\n".join(sorted(stamps)).encode(), digest_size=8).hexdigest()


def config_fingerprint(enabled: set[str], options: dict[str, Any], extra: Any = None) -> str:
    payload = json.dumps(
        {"enabled": sorted(enabled), "options": options, "extra": extra, "tool": tool_fingerprint()},
        sort_keys=True,
        default=str,
    )
    return _blake2b()(payload.encode(), digest_size=8).hexdigest()


def file_stamp(info: os.stat_result, now_ns: int | None = None) -> str | None:
    """What identifies a file's version without reading it; None while it is racily new."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    if now_ns - max(info.st_mtime_ns, info.st_ctime_ns) < RACY_WINDOW_NS:
        return None
    # One string, not a list: the index holds one per file and loads faster this way.
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_mode}"


def content_hash(raw: bytes) -> str:
    return _blake2b()(raw, digest_size=32).hexdigest()


def _blake2b() -> Any:
    """hashlib's BLAKE2b, without importing hashlib: its import loads OpenSSL (~2 ms of a
    warm run's ~40), and hashlib itself takes BLAKE2 from ``_blake2``."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the built-in module
        from hashlib import blake2b
    return blake2b


class ResultCache:
    """Lookups and stores of lint results for one configuration.

    Results are plain JSON-ready dicts (``{"skipped", "findings", "error"}``); turning them
    into findings is the caller's business, so this module stays import-light.
    """

    def __init__(self, directory: str, fingerprint: str) -> None:
        self.root = directory
        self.directory = os.path.join(directory, f"v{__version__}-{FORMAT_VERSION}-{fingerprint}")
        self.index_path = os.path.join(self.directory, INDEX_NAME)
        self._entries: dict[str, Any] | None = None
        self._updates: dict[str, Any] = {}
        self._dependency_stamps: dict[tuple[str, bool], Any] = {}
        self._cwd = os.getcwd()
        self._started_ns = time.time_ns()  # "racily new" is judged against the run's start

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = _load_index(self.index_path)
        return self._entries

    def by_stamp(self, path: str, info: os.stat_result) -> dict[str, Any] | None:
        """The stored result when the file's stamp is the recorded one (no read needed)."""
        entry = self.entries.get(self._key(path))
        if not isinstance(entry, dict) or entry.get("stamp") is None:
            return None
        if entry["stamp"] != file_stamp(info, self._started_ns):  # also one of a wrong type
            return None
        return entry if "deps" not in entry or self._dependencies_unchanged(entry) else None

    def by_content(self, path: str, digest: str, info: os.stat_result) -> dict[str, Any] | None:
        """The stored result when the file's bytes are the recorded ones (its stamp moved)."""
        key = self._key(path)
        entry = self.entries.get(key)
        if not isinstance(entry, dict) or entry.get("hash") != digest:
            return None
        if not self._dependencies_unchanged(entry):
            return None
        stamp = file_stamp(info)
        if stamp != entry.get("stamp"):  # next time: no read (a racily new file: same None)
            self._updates[key] = {**entry, "stamp": stamp}
        return entry

    def store(
        self,
        path: str,
        info: os.stat_result,
        digest: str,
        result: dict[str, Any],
        dependencies: Mapping[str, bool] | None = None,
    ) -> None:
        """``dependencies``: ``consulted_files`` as the file was linted (path -> read)."""
        dependencies = dependencies or {}
        if _names_a_credential(path, *dependencies):
            inputs.refuse("a cached name holds a credential")
            return  # the index would hold it: such a file is linted every time
        entry = {**result, "stamp": file_stamp(info)}
        if digest:
            entry["hash"] = digest
        if dependencies:
            entry["deps"] = {
                dep: _stamp_now(dep, dependencies[dep]) for dep in sorted(dependencies)
            }
        key = self._key(path)
        if self.entries.get(key) != entry:  # a racily new file, read again: nothing to write
            self._updates[key] = entry

    def save(self) -> None:
        """Write this run's results, merged over what the index holds now (another run may
        have written it meanwhile). Entries of files that no longer exist are dropped."""
        if not self._updates:
            return
        from twilio_lint.files import json_text, write_atomic

        merged = _load_index(self.index_path)
        merged = {key: entry for key, entry in merged.items() if os.path.lexists(key)}
        merged.update(self._updates)
        self._updates = {}
        try:
            self._prepare()
            text = json_text(merged, separators=(",", ":"))
            # Not durable (no fsync): a lost or torn index is only a miss, and a run must not
            # wait for the disk to save it.
            write_atomic(self.index_path, text, durable=False)
        except OSError:
            pass  # a cache that cannot be written is only a slower run

    def _key(self, path: str) -> str:
        # Discovery gives normal paths: joining is enough (abspath would normalise again).
        if os.path.isabs(path):
            return path if ".." not in path and "//" not in path else os.path.normpath(path)
        return os.path.normpath(os.path.join(self._cwd, path))

    def _dependencies_unchanged(self, entry: dict[str, Any]) -> bool:
        deps = entry.get("deps") or {}
        if not isinstance(deps, dict):
            return False
        for path, stamp in deps.items():
            # A cached result's other files are the run's inputs too (a list: a file read).
            watch_input(path, isinstance(stamp, list))
            # A found path that was only looked for is stored as its kind (``inputs.kind_of``):
            # compared by what it is, not by what it holds.
            key = (path, isinstance(stamp, str))
            if key not in self._dependency_stamps:
                self._dependency_stamps[key] = _stamp_now(path, read=not isinstance(stamp, str))
            if self._dependency_stamps[key] != stamp:
                return False
        return True

    def _prepare(self) -> None:
        prepare_folder(self.root, self.directory)


def prepare_folder(root: str, directory: str) -> None:
    """Create ``directory`` in the cache folder ``root`` (with its CACHEDIR.TAG and a
    ``.gitignore`` of ``*``), never through a symbolic link (raises OSError)."""
    # Checked before makedirs, which would already create folders through a link.
    if os.path.islink(root) or os.path.islink(directory):
        raise OSError("a cache folder is a symbolic link")  # never write through it
    os.makedirs(directory, exist_ok=True)
    if os.path.islink(root) or os.path.islink(directory):
        raise OSError("a cache folder is a symbolic link")  # made one meanwhile
    from twilio_lint.files import write_atomic

    marker = os.path.join(root, "CACHEDIR.TAG")
    if not os.path.lexists(marker):
        write_atomic(marker, "Signature: 8a477f597d28d172789f06886806bc55\n"
                     "# twilio-lint result cache; safe to delete.\n", durable=False)
    gitignore = os.path.join(root, ".gitignore")
    if not os.path.lexists(gitignore):
        write_atomic(gitignore, "*\n", durable=False)


def clean(directory: str) -> bool:
    """Remove a cache directory; True if there was one."""
    import shutil

    if os.path.islink(directory):  # a committed link: remove the link, never what it names
        os.unlink(directory)
        return True
    if not os.path.isdir(directory):
        return False
    shutil.rmtree(directory, ignore_errors=True)
    return True


#: An index bigger than this is not read (a miss): a cache is data from a shared runner.
MAX_INDEX_BYTES = 512_000_000


def _load_index(path: str) -> dict[str, Any]:
    from twilio_lint.files import read_regular_file

    try:
        raw = read_regular_file(path, MAX_INDEX_BYTES)
        entries = json.loads(raw) if raw is not None else {}
    except (OSError, ValueError, RecursionError):
        return {}  # missing, corrupted, not a file or nested too deeply: everything is a miss
    return entries if isinstance(entries, dict) else {}


def refused_cache_dir(directory: str) -> str | None:
    """Why the cache at ``directory`` must not be used (None: it may). A cache folder that is
    a symbolic link (committed as ``-> ..`` or to an absolute path) would send the index, and
    the temporary files written beside it, wherever the repository says."""
    if os.path.islink(directory):
        return f"{_shown(directory)} is a symbolic link: the run goes on without a cache"
    if os.path.lexists(directory) and not os.path.isdir(directory):
        return f"{_shown(directory)} is not a directory: the run goes on without a cache"
    return None


def _names_a_credential(*paths: str) -> bool:
    from twilio_lint.masking import redact_credentials

    return any(redact_credentials(path) != path for path in paths)


def _stamp_now(path: str, read: bool) -> Any:
    """A dependency's stamp: None when it is missing; for a file read [size, mtime, ctime],
    for one looked for its kind (a file, a folder, a link and what it names), for a listing
    the matching names."""
    if LISTING in path:
        return _listing_stamp(path)
    if not read:
        return inputs.kind_of(path)
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _listing_stamp(key: str) -> list[str] | None:
    """The names in the listed folder that match its patterns, sorted; None when none do."""
    from fnmatch import fnmatchcase

    directory, _, patterns = key.partition(LISTING)
    try:
        names = os.listdir(directory)
    except (OSError, ValueError):
        return None
    wanted = patterns.split("|")
    return sorted(n for n in names if any(fnmatchcase(n, p) for p in wanted)) or None


def _shown(path: str) -> str:
    """``path`` as the user knows it: relative to where they are, when it is below."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative
