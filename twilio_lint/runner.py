"""Running the linter over many files: the result cache and a process pool.

A single file or a pre-commit batch runs in-process (no pool start-up); a large tree is split
over ``jobs`` worker processes that each build their own ``Linter``. Results stream back in
path order, so memory stays flat however big the tree is.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator

from twilio_lint.cache import ResultCache, config_fingerprint, consulted_files, content_hash
from twilio_lint.config import Settings
from twilio_lint.engine import FileResult, Linter, discover

#: Below this many candidate files a pool costs more than it saves.
MIN_FILES_FOR_POOL = 48
CHUNK_SIZE = 8

def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class FileLinter:
    """Lints one path at a time, through the cache when there is one."""

    def __init__(self, settings: Settings, cache_dir: str | None) -> None:
        self.linter = Linter(settings)
        self.cache: ResultCache | None = None
        if cache_dir:
            fingerprint = config_fingerprint(
                self.linter.enabled, self.linter.options, settings.per_file_ignores
            )
            self.cache = ResultCache(cache_dir, fingerprint)

    def precheck(self, path: str) -> FileResult | None:
        """The result when it costs no parse (unreadable, prefiltered out, cached); None when
        the file must be linted."""
        raw = self.linter.read_path(path)
        if isinstance(raw, FileResult):
            return raw
        if not self.linter.could_report(raw, path):
            return FileResult(path, skipped=True)  # the prefilter is cheaper than a lookup
        if self.cache is not None:
            cached = self.cache.get(path, content_hash(raw))
            if cached is not None:
                findings, error = cached
                return FileResult(path, findings, error)
        return None

    def lint(self, path: str) -> FileResult:
        if self.cache is None:
            return self.linter.lint_path(path)
        raw_or_result = self.linter.read_path(path)
        if isinstance(raw_or_result, FileResult):
            return raw_or_result
        raw = raw_or_result
        if not self.linter.could_report(raw, path):
            return FileResult(path, skipped=True)
        digest = content_hash(raw)
        cached = self.cache.get(path, digest)
        if cached is not None:
            findings, error = cached
            return FileResult(path, findings, error)
        consulted_files.clear()
        result = self.linter.lint_bytes(raw, path)
        self.cache.put(path, digest, result.findings, result.error, set(consulted_files))
        return result


_worker: FileLinter | None = None


def _init_worker(settings: Settings, cache_dir: str | None) -> None:
    global _worker
    gc.freeze()  # the imported modules never become garbage: don't scan them again
    _worker = FileLinter(settings, cache_dir)


def _lint_in_worker(path: str) -> FileResult:
    assert _worker is not None
    return _worker.lint(path)


def lint_tree(
    settings: Settings,
    paths: list[str],
    *,
    jobs: int | None = None,
    cache_dir: str | None = None,
    force_exclude: bool = False,
    only: set[str] | None = None,
) -> Iterator[FileResult]:
    """Results for every candidate file under ``paths`` in path order.

    ``only``: absolute paths to keep (``--changed-since``); others are not linted.
    """
    file_linter = FileLinter(settings, cache_dir)
    entries = list(discover(paths, file_linter.linter, force_exclude))
    if only is not None:
        entries = [(p, e) for p, e in entries if os.path.abspath(p) in only]
    jobs = jobs or default_jobs()
    if jobs == 1:
        for path, error in entries:
            yield FileResult(path, error=error) if error is not None else file_linter.lint(path)
        return
    # With a pool: settle here what needs no parse (most files of a real tree never mention
    # Twilio), so the pool starts only for a batch worth it and sees only files to parse.
    settled: list[FileResult | None] = [
        FileResult(path, error=error) if error is not None else file_linter.precheck(path)
        for path, error in entries
    ]
    to_lint = [path for (path, _), done in zip(entries, settled) if done is None]
    if len(to_lint) >= MIN_FILES_FOR_POOL:
        linted = iter(_pooled(settings, cache_dir, to_lint, jobs))
    else:
        linted = (file_linter.lint(path) for path in to_lint)
    for done in settled:
        yield done if done is not None else next(linted)


def _pooled(
    settings: Settings, cache_dir: str | None, paths: list[str], jobs: int
) -> Iterable[FileResult]:
    import multiprocessing

    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(settings, cache_dir)) as pool:
        yield from pool.imap(_lint_in_worker, paths, chunksize=CHUNK_SIZE)
