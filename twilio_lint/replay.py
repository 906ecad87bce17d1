"""Replaying a check whose every input is unchanged, before the linter is even imported.

A ``check`` that may be replayed (below) keeps, in the result cache's folder, what it printed
and its exit code with the stamp of every file and folder its answer depended on (``inputs``:
the files checked, the folders listed, the configuration and ignore files read or looked
for, the other modules and manifests a result read, the tool's own files). The next run with
the same command line, working directory, environment and interpreter finds that record,
takes one ``lstat`` per input and, when none moved, prints the same output and exits with the
same code. Any difference (a file edited, added, removed or renamed, a config file created
above the tree, an environment variable set) is a miss, and the run goes on as usual.

Recorded: a ``check`` of paths (not stdin) with the cache on, that writes nothing but the
cache (no ``--fix``/``--diff``/``--add-noqa``/``--write-baseline``/``--output-file``/``--watch``),
does not ask git (``--changed-since``), prints to no terminal (a terminal gets a timing line
and progress) and ends with 0 or 1; and only when none of its inputs changed within
``RACY_WINDOW_NS`` of its start (a stamp can miss a change made in the same clock tick) and
none names a credential (the record lists paths).
"""

from __future__ import annotations

import os
import sys
import time

from twilio_lint import __version__, inputs

FORMAT = 1
FOLDER = f"replay-{FORMAT}"
HEADER = b"twilio-lint replay %d\n" % FORMAT
RACY_WINDOW_NS = inputs.RACY_WINDOW_NS
MAX_RECORD_BYTES = 64_000_000
#: Records kept per cache folder: each command line and environment has its own.
MAX_RECORDS = 16
#: Environment variables no run reads that change between otherwise identical commands.
VOLATILE_ENVIRONMENT = frozenset({"_", "OLDPWD", "SHLVL"})
STDOUT, STDERR = 1, 2
#: Installed libraries whose answers a check's output may depend on, when a run imported them.
LIBRARIES = ("pathspec", "yaml", "packaging", "packaging.version", "hyperscan", "libcst")


def replay(argv: list[str]) -> int | None:
    """Print a recorded run's output and return its exit code; None on a miss."""
    if "--no-cache" in argv or on_a_terminal():
        return None
    record = _find(key(argv), argv)
    if record is None:
        return None
    code, watched, output = record
    if not _unchanged(watched) or not _encodable(output):
        return None
    try:  # the same writes as the run made, so the same buffering (and broken pipes)
        for stream, text in output:
            (sys.stdout if stream == STDOUT else sys.stderr).write(text)
    except BrokenPipeError:  # `twilio-lint check | head`, answered as cli.main answers it
        sys.stderr.close()
        return 0
    return code


def _unchanged(watched: list[str]) -> bool:
    """Is every input as recorded ("<stamp> <path>" lines)? Every record stamps this very
    file, among the tool's: one that does not was not written by a run."""
    stamp, tool, of_the_tool = inputs.stamp, os.path.abspath(__file__), False
    for line in watched:
        seen, _, path = line.partition(" ")
        if not seen or stamp(path, seen[0]) != seen:
            return False
        of_the_tool = of_the_tool or path == tool
    return of_the_tool


def _encodable(output: list[tuple[int, str]]) -> bool:
    """Text the output streams cannot encode was never written by a run (a forged record)."""
    streams = {STDOUT: sys.stdout, STDERR: sys.stderr}
    try:
        for stream, text in output:
            text.encode(streams[stream].encoding or "utf-8", streams[stream].errors or "strict")
    except (UnicodeError, LookupError):
        return False
    return True


def key(argv: list[str]) -> str:
    """What a run's output depends on besides its inputs' stamps."""
    from _blake2 import blake2b

    digest = blake2b(digest_size=16)
    for part in (__version__, sys.version, sys.executable, os.getcwd(),
                 repr((sys.flags.utf8_mode, sys.stdout.encoding, sys.stdout.errors,
                       sys.stderr.encoding, sys.stderr.errors)), *argv):
        digest.update(os.fsencode(part) + b"\0")
    digest.update(b"\1")
    for name, value in sorted(os.environ.items()):
        if name not in VOLATILE_ENVIRONMENT:
            digest.update(os.fsencode(name) + b"=" + os.fsencode(value) + b"\0")
    return digest.hexdigest()


def on_a_terminal() -> bool:
    """A terminal gets a timing line and progress: such runs are neither recorded nor replayed."""
    try:
        return sys.stdout.isatty() or sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return True


def _find(name: str, argv: list[str]) -> tuple[int, list[str], list] | None:
    for folder in _cache_folders(argv):
        raw = _read_record(os.path.join(folder, FOLDER, name))
        if raw is not None:
            return _parse(raw)
    return None


def _cache_folders(argv: list[str]) -> list[str]:
    """Where a record may be: the cache folder a run uses is ``$TWILIO_LINT_CACHE_DIR`` or
    ``.twilio_lint_cache`` in the folder of the configuration file found above the first
    path (or in the working directory). Where a record lies does not make it trusted: its key
    and every stamp in it must match."""
    chosen = os.environ.get(inputs.ENV_CACHE_DIR)
    if chosen:
        return [chosen]
    folders: dict[str, None] = {}
    for start in (os.getcwd(), *(os.path.abspath(a) for a in argv if a and a[0] != "-")):
        folder = start
        while folder not in folders:
            folders[folder] = None
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
    return [os.path.join(folder, inputs.CACHE_DIR_NAME) for folder in folders]


def _read_record(path: str) -> bytes | None:
    """The record at ``path``: a regular file not reached through a link, never a FIFO or a
    device (the cache folder is data from the repository or a shared runner)."""
    from twilio_lint.files import read_regular_file

    try:
        raw = read_regular_file(path, MAX_RECORD_BYTES, follow_links=False)
    except (OSError, ValueError):
        return None
    records = os.path.dirname(path)
    if raw is None or any(os.path.islink(f) for f in (records, os.path.dirname(records))):
        return None  # a run never writes through a linked cache folder: nor is it read
    return raw


def _parse(raw: bytes) -> tuple[int, list[str], list] | None:
    """(exit code, ["<stamp> <path>"], [(stream, text)]) or None for anything not written by
    ``_serialise`` (a corrupted or foreign record is a miss)."""
    try:
        if not raw.startswith(HEADER):
            return None
        head, size, rest = raw[len(HEADER):].split(b"\n", 2)
        code = int(head.removeprefix(b"exit "))
        if code not in (0, 1):
            return None
        end = int(size)  # the bytes of the "<stamp> <path>" lines
        if not 0 < end <= len(rest) or rest[end - 1:end] != b"\n":
            return None
        watched = rest[:end - 1].decode("utf-8", "surrogateescape").split("\n")
        return code, watched, _parse_output(rest[end:])
    except (ValueError, UnicodeDecodeError):
        return None


def _parse_output(raw: bytes) -> list[tuple[int, str]]:
    output = []
    position = 0
    while position < len(raw):
        end = raw.index(b"\n", position)
        stream, size = (int(part) for part in raw[position:end].split(b" "))
        if stream not in (STDOUT, STDERR) or size < 0:
            raise ValueError("bad output chunk")
        text = raw[end + 1:end + 1 + size]
        if len(text) != size:
            raise ValueError("truncated record")
        output.append((stream, text.decode("utf-8", "surrogateescape")))
        position = end + 1 + size
    return output


def _serialise(code: int, watched: dict[str, str], output: list[tuple[int, str]]) -> bytes:
    lines = "".join(f"{seen} {path}\n" for path, seen in watched.items())
    block = lines.encode("utf-8", "surrogateescape")
    parts = [HEADER, b"exit %d\n%d\n" % (code, len(block)), block]
    for stream, text in output:
        data = text.encode("utf-8", "surrogateescape")
        parts.append(b"%d %d\n%s" % (stream, len(data), data))
    return b"".join(parts)


# --- recording ---------------------------------------------------------------------------------


class _Tee:
    """A text stream that also keeps what is written to it, in order with the other one."""

    def __init__(self, stream, number: int, output: list[tuple[int, str]]) -> None:
        self._stream, self._number, self._output = stream, number, output
        self.bypassed = False

    def write(self, text: str) -> int:
        self._output.append((self._number, text))
        return self._stream.write(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self):  # bytes written around the text layer cannot be replayed
        self.bypassed = True
        return self._stream.buffer

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class Recorder:
    """Keeps a replayable run's inputs and output (``start`` before its settings are read,
    ``finish`` once it printed everything)."""

    def __init__(self, argv: list[str]) -> None:
        self.argv = list(argv)
        self.started_ns = time.time_ns()
        self.cache_dir: str | None = None  # set by the run: where its result cache is
        self.output: list[tuple[int, str]] = []
        inputs.start()
        self._watch_the_tool()
        self._streams = (sys.stdout, sys.stderr)
        self._tees = (_Tee(sys.stdout, STDOUT, self.output), _Tee(sys.stderr, STDERR, self.output))
        sys.stdout, sys.stderr = self._tees

    def finish(self, code: int | None) -> None:
        """Write the record when this run may be replayed; never fails the run."""
        sys.stdout, sys.stderr = self._streams
        self._watch_the_libraries()
        watched = inputs.watched
        unreplayable = self._unreplayable(code)
        inputs.stop()
        if watched and unreplayable is None:
            try:
                self._write(_serialise(code, watched, self.output))  # type: ignore[arg-type]
            except OSError:
                pass  # a record that cannot be written is only a slower next run

    def _unreplayable(self, code: int | None) -> str | None:
        """Why this run must not be replayed (None: it may)."""
        if code not in (0, 1):
            return "it did not end with 0 or 1"
        if self.cache_dir is None:
            return "it has no cache folder"
        if inputs.refused is not None:
            return inputs.refused
        if any(tee.bypassed for tee in self._tees):
            return "it wrote bytes around the text streams"
        if inputs.newest_ns >= self.started_ns - RACY_WINDOW_NS:
            return "an input changed too close to its start for a stamp to show it"
        from twilio_lint.masking import redact_credentials

        listed = "\0".join(inputs.watched or ())  # one scan: a run may have thousands
        if redact_credentials(listed) != listed or "\n" in listed:
            return "a path holds a credential or a newline (the record lists one per line)"
        return None

    def _write(self, data: bytes) -> None:
        from twilio_lint.cache import prepare_folder
        from twilio_lint.files import write_atomic

        folder = os.path.join(self.cache_dir, FOLDER)
        prepare_folder(self.cache_dir, folder)
        write_atomic(os.path.join(folder, key(self.argv)), data, durable=False)
        _drop_old_records(folder)

    @staticmethod
    def _watch_the_libraries() -> None:
        """The libraries that took part in this run: one upgraded in place (pathspec's
        gitignore rules, a YAML or version parser) may answer otherwise."""
        for name in LIBRARIES:
            module = sys.modules.get(name)
            path = getattr(module, "__file__", None)
            if path:
                inputs.watch(path)

    @staticmethod
    def _watch_the_tool() -> None:
        """The tool's own files: an edited rule (a development install) is a new answer."""
        for directory, names in inputs.tool_files():
            inputs.watch(directory)
            for name in names:
                inputs.watch(os.path.join(directory, name))


def _drop_old_records(folder: str) -> None:
    """Keep the MAX_RECORDS newest records (a CI runner's environment differs every run)."""
    try:
        with os.scandir(folder) as listing:
            records = [
                (entry.stat(follow_symlinks=False).st_mtime_ns, entry.path)
                for entry in listing
                if len(entry.name) == 32 and entry.is_file(follow_symlinks=False)
            ]
        for _, path in sorted(records)[:-MAX_RECORDS]:
            os.unlink(path)
    except OSError:
        pass
