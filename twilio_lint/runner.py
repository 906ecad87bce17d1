"""Running the linter over many files: the result cache and a process pool.

A single file or a pre-commit batch runs in-process (no pool start-up); a large tree is split
over ``jobs`` worker processes that each build their own ``Linter``. Results stream back in
path order, so memory stays flat however big the tree is.
"""

from __future__ import annotations

import gc
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from twilio_lint import inputs
from twilio_lint.cache import (
    ResultCache,
    config_fingerprint,
    consulted_files,
    content_hash,
    watch_input,
)
from twilio_lint.config import Settings, SettingsResolver
from twilio_lint.engine import Discovered, FileResult, Linter, Linters, discover
from twilio_lint.files import is_within
from twilio_lint.findings import FileError, finding_from_dict, finding_to_dict

#: A pool costs ~0.1-0.2 s to start and feed: worth it only for a batch this big (files and
#: bytes to parse: the standard library's 79 small TOML/JSON candidates are not).
MIN_FILES_FOR_POOL = 16
MIN_BYTES_FOR_POOL = 1_000_000
CHUNK_SIZE = 8
GC_THRESHOLD = 50_000

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


#: What one worker may need at its peak, beyond the file itself: the interpreter and rules,
#: plus the syntax tree and semantic model of a file, measured at ~300 bytes per source byte
#: (a 2 MB file at the size cap peaks near 700 MB).
WORKER_BASE_BYTES = 120_000_000
WORKER_BYTES_PER_SOURCE_BYTE = 300


def capped_jobs(requested: int, max_file_bytes: int, cpus: int | None = None,
                available: int | None = None) -> int:
    """Worker processes for a pool: what was asked, but no more than the CPUs and than the
    memory available holds at one worst-case file per worker (``-j 64`` on a 2-core runner
    must not start 64 workers that each parse a file at the size cap)."""
    cpus = default_jobs() if cpus is None else cpus
    available = available_memory() if available is None else available
    per_worker = WORKER_BASE_BYTES + WORKER_BYTES_PER_SOURCE_BYTE * max(max_file_bytes, 0)
    by_memory = available // per_worker if available else requested
    return max(1, min(requested, cpus, by_memory))


def available_memory() -> int | None:
    """Bytes of memory available to new processes (Linux: MemAvailable), None if unknown."""
    try:
        with open("/proc/meminfo", "rb") as handle:
            for line in handle:
                if line.startswith(b"MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


class FileLinter:
    """Lints one path at a time, through the cache when there is one."""

    def __init__(self, settings: Settings, cache_dir: str | None, linter: Linter | None = None) -> None:
        self.linter = linter or Linter(settings)
        self.cache: ResultCache | None = None
        if cache_dir:
            # Everything of the settings a file's result depends on: per-file-ignores are
            # relative to the config's folder, extend-include makes more files Python.
            fingerprint = config_fingerprint(
                self.linter.enabled, self.linter.options,
                (settings.per_file_ignores, settings.root, settings.extend_include),
            )
            self.cache = ResultCache(cache_dir, fingerprint)
        self.bytes_to_parse = 0  # of the files precheck left for parsing

    def precheck(self, path: str, info: os.stat_result | None = None) -> FileResult | None:
        """The result when it costs no parse (unreadable, prefiltered out, cached); None when
        the file must be linted. ``info``: the file's stat, when discovery took it."""
        return self._settle(path, parse=False, known=info)

    def lint(self, path: str, info: os.stat_result | None = None) -> FileResult:
        result = self._settle(path, parse=True, known=info)
        assert result is not None
        return result

    def store(self, result: FileResult) -> None:
        """Record a result a worker process computed (workers never write the cache)."""
        if result.observed is not None:
            info, digest, dependencies, stamps = result.observed
            inputs.merge(stamps)  # the worker's own stamps, taken before it read
            for dependency, read in dependencies.items():  # a spawned worker sends none
                watch_input(dependency, read)
            if self.cache is not None and info is not None:
                self.cache.store(result.path, info, digest, _to_entry(result), dependencies)
        result.observed = None

    def save(self) -> None:
        if self.cache is not None:
            self.cache.save()

    def _settle(self, path: str, parse: bool, known: os.stat_result | None) -> FileResult | None:
        cache = self.cache
        info = _regular_file_info(path, known) if cache is not None else None
        if cache is not None and info is not None:
            cached = _from_entry(cache.by_stamp(path, info), path)
            if cached is not None:
                return cached
        raw = self.linter.read_path(path)
        if isinstance(raw, FileResult):
            return raw
        if not self.linter.could_report(raw, path):
            if cache is not None and info is not None:
                cache.store(path, info, "", {"skipped": True})  # no hash: re-reading is as cheap
            return FileResult(path, skipped=True)
        if cache is None or info is None:
            if parse:
                return self.linter.lint_bytes(raw, path)
            self.bytes_to_parse += len(raw)
            return None
        digest = content_hash(raw)
        cached = _from_entry(cache.by_content(path, digest, info), path)
        if cached is not None:
            return cached
        if not parse:
            self.bytes_to_parse += len(raw)
            return None
        result, dependencies = self._lint_recording(raw, path)
        cache.store(path, info, digest, _to_entry(result), dependencies)
        return result

    def _lint_recording(self, raw: bytes, path: str) -> tuple[FileResult, dict[str, bool]]:
        """The result, and the other files read or looked for to get it (for the cache)."""
        consulted_files.clear()
        result = self.linter.lint_bytes(raw, path)
        return result, dict(consulted_files)


def _regular_file_info(path: str, info: os.stat_result | None = None) -> os.stat_result | None:
    """The stat of ``path`` (``info`` when already taken) if it is a regular file."""
    if info is None:
        try:
            info = os.stat(path)
        except OSError:
            return None
    return info if stat.S_ISREG(info.st_mode) else None


def _to_entry(result: FileResult) -> dict[str, Any]:
    # Most entries are "nothing here": keep them small, a warm run reads them all.
    entry: dict[str, Any] = {"skipped": True} if result.skipped else {}
    if result.findings:
        entry["path"] = result.path
        entry["findings"] = [finding_to_dict(finding) for finding in result.findings]
    if result.error:
        entry["error"] = result.error.message
    return entry


def _from_entry(entry: dict[str, Any] | None, path: str) -> FileResult | None:
    """A cached result, or None for no entry or one that is not what we write (a miss).

    The cache is data, never instructions: a finding it holds is bound to the file being
    linted (or to a file beside or below it, where an include's findings are reported), and
    one of the wrong shape makes the whole entry a miss."""
    if entry is None:
        return None
    if "findings" not in entry and "error" not in entry:  # the usual case: nothing to report
        return FileResult(path, skipped=bool(entry.get("skipped")))
    try:
        stored = entry.get("path", path)
        findings = []
        for item in entry.get("findings", ()):
            if not _well_formed(item):
                return None
            where = _renamed(item["path"], stored, path)
            if where != path and not _beside(where, path):
                return None
            findings.append(finding_from_dict(item, where))
        message = entry.get("error")
        error = FileError(path, message) if isinstance(message, str) else None
        return FileResult(path, findings, error, skipped=bool(entry.get("skipped")))
    except (TypeError, KeyError, AttributeError, ValueError):
        return None


_TEXT_FIELDS = ("code", "message", "path", "name", "severity")
_NUMBER_FIELDS = ("line", "col", "end_line", "end_col")


def _well_formed(item: Any) -> bool:
    """Whether a cached finding has the types ``finding_to_dict`` writes."""
    return (
        isinstance(item, dict)
        and all(isinstance(item.get(name), str) for name in _TEXT_FIELDS)
        and all(
            type(item.get(name)) is int and 0 <= item[name] < 2**31 for name in _NUMBER_FIELDS
        )
    )


def _beside(where: str, linted: str) -> bool:
    """Whether ``where`` lies in the folder of ``linted`` or below it (links resolved)."""
    folder = os.path.realpath(os.path.dirname(os.path.abspath(linted)))
    real = os.path.realpath(where)
    return real != folder and is_within(real, folder)


def _renamed(reported: str, stored: str, current: str) -> str:
    """Where a cached finding is, now that its file is named ``current`` (it was ``stored``
    when linted, perhaps from another directory). Findings may sit in another file the linted
    one pulled in (a ``-r`` include): that one moves with it."""
    if reported == stored or stored == current:
        return current if reported == stored else reported
    return os.path.normpath(
        os.path.join(os.path.dirname(current), os.path.relpath(reported, os.path.dirname(stored) or "."))
    )


class FileLinters:
    """A FileLinter per distinct settings (per configuration file), each with its own cache
    index: the result cache key follows the settings each file is linted with."""

    def __init__(self, resolver: SettingsResolver, cache_dir: str | None) -> None:
        self.linters = Linters(resolver)
        self.cache_dir = cache_dir
        self._by_settings: dict[int, FileLinter] = {}
        self._by_folder: dict[str, FileLinter] = {}  # settings follow the folder: one lookup each

    def for_path(self, path: str) -> FileLinter:
        folder = os.path.dirname(path)
        found = self._by_folder.get(folder)
        if found is None:
            settings = self.linters.resolver.for_path(path)
            found = self._by_folder[folder] = self._for_settings(settings)
        return found

    def _for_settings(self, settings: Settings) -> FileLinter:
        found = self._by_settings.get(id(settings))
        if found is None:
            linter = self.linters.for_settings(settings)
            found = self._by_settings[id(settings)] = FileLinter(settings, self.cache_dir, linter)
        return found

    @property
    def bytes_to_parse(self) -> int:
        return sum(each.bytes_to_parse for each in self._by_settings.values())

    def precheck(self, path: str, info: os.stat_result | None = None) -> FileResult | None:
        return self.for_path(path).precheck(path, info)

    def discovery_result(self, path: str, error: FileError | None) -> FileResult | None:
        """TWL001 for a path discovery could not find or list (None: it found a file)."""
        return None if error is None else self.for_path(path).linter.discovery_result(path, error)

    def import_rules(self) -> None:
        """Import the enabled rules of every settings in use (before a pool forks)."""
        for each in self._by_settings.values():
            each.linter.import_rules()

    @property
    def max_file_bytes(self) -> int:
        """The largest file any of the settings in use lets a worker parse."""
        return max(each.linter.max_file_bytes for each in self._by_settings.values())

    def lint(self, path: str, info: os.stat_result | None = None) -> FileResult:
        return self.for_path(path).lint(path, info)

    def store(self, result: FileResult) -> None:
        self.for_path(result.path).store(result)

    def save(self) -> None:
        for each in self._by_settings.values():
            each.save()


_worker: FileLinters | None = None


def _init_worker(resolver: SettingsResolver) -> None:
    global _worker
    import signal

    # Ctrl-C reaches the whole process group: the main process stops the pool and exits 130;
    # workers must not each print a KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # the imported modules never become garbage: don't scan them again
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    _worker = FileLinters(resolver, None)


def _lint_in_worker(path: str) -> FileResult:
    """Lint in a worker; with what the main process needs to cache the result."""
    assert _worker is not None
    mark = len(inputs.order)  # what this file makes the worker watch goes back with it
    info = _regular_file_info(path)
    worker = _worker.for_path(path)
    raw = worker.linter.read_path(path)
    if isinstance(raw, FileResult):
        return raw
    result, dependencies = worker._lint_recording(raw, path)
    digest = content_hash(raw) if info is not None else ""
    result.observed = (info, digest, dependencies, inputs.since(mark))
    return result


def lint_tree(
    settings: Settings | SettingsResolver,
    paths: list[str],
    *,
    jobs: int | None = None,
    cache_dir: str | None = None,
    force_exclude: bool = False,
    only: set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[FileResult]:
    """Results for every candidate file under ``paths`` in path order.

    ``only``: absolute paths to keep (``--changed-since``); others are not linted.
    Each file is linted with its own settings (its nearest configuration file).
    ``progress(done, total)`` is called after each file.
    """
    resolver = settings if isinstance(settings, SettingsResolver) else SettingsResolver.fixed(settings)
    file_linter = FileLinters(resolver, cache_dir)
    entries = list(discover(paths, file_linter.linters, force_exclude))
    if only is not None:
        entries = [entry for entry in entries if os.path.abspath(entry[0]) in only]
    threshold = gc.get_threshold()
    # Syntax trees are freed by reference counting; the cycle collector only re-scans each
    # file's hundred thousand young nodes. Run it rarely while linting.
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        results = _results(file_linter, resolver, entries, jobs or default_jobs())
        for done, result in enumerate(results, 1):
            if progress is not None:
                progress(done, len(entries))
            yield result
    finally:
        gc.set_threshold(*threshold)
        file_linter.save()  # also when the caller stops early: what was linted stays linted


def _results(
    file_linter: FileLinters,
    settings: SettingsResolver,
    entries: list[Discovered],
    jobs: int,
) -> Iterator[FileResult]:
    if jobs == 1:
        for path, error, info in entries:
            yield file_linter.discovery_result(path, error) or file_linter.lint(path, info)
        return
    # With a pool: settle here what needs no parse (most files of a real tree never mention
    # Twilio, and cached ones need no read), so the pool starts only for a batch worth it and
    # sees only files to parse.
    settled: list[FileResult | None] = [
        file_linter.discovery_result(path, error) or file_linter.precheck(path, info)
        for path, error, info in entries
    ]
    to_lint = [(path, info) for (path, _, info), done in zip(entries, settled) if done is None]
    big_batch = len(to_lint) >= MIN_FILES_FOR_POOL and (
        file_linter.bytes_to_parse >= MIN_BYTES_FOR_POOL
    )
    workers = capped_jobs(jobs, file_linter.max_file_bytes) if big_batch else 1
    if workers > 1:
        file_linter.import_rules()  # before the fork: the workers share them
        linted = iter(_pooled(settings, [path for path, _ in to_lint], workers))
    else:
        linted = (file_linter.lint(path, info) for path, info in to_lint)
    for done in settled:
        if done is None:
            done = next(linted)
            file_linter.store(done)
        yield done


def _pooled(settings: SettingsResolver, paths: list[str], jobs: int) -> Iterable[FileResult]:
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(settings,)) as pool:
        yield from pool.imap(_lint_in_worker, paths, chunksize=CHUNK_SIZE)
