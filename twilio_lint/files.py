"""Files on disk: the one decoder of source bytes and the one atomic writer of the package.

Every front door reads a file's bytes and turns them into text through ``decode`` (Python
source like the interpreter: BOM, then a PEP 263 coding cookie, else UTF-8; every other file
as UTF-8 with an optional BOM), and every file twilio-lint writes (``--fix``, ``--add-noqa``,
``--write-baseline``, ``--output-file``, the result cache) is replaced through
``write_atomic``. So a file is read back, fixed and written in its own encoding, and a crash
never leaves half a file.

This module imports nothing from twilio_lint, and ``tempfile`` only when something is written.
"""

from __future__ import annotations

import io
import os
import tokenize

PYTHON_SUFFIXES = (".py", ".pyi")
UTF8_BOM = b"\xef\xbb\xbf"
#: What ``decode`` raises for bytes it cannot turn into text: a bad or unknown coding cookie
#: (SyntaxError, LookupError) or bytes invalid in the encoding (UnicodeDecodeError).
DECODE_ERRORS = (SyntaxError, UnicodeDecodeError, LookupError)
#: ``write_atomic``'s temporary files are ``.twilio-lint-<random>.tmp`` next to the file they
#: replace: one left behind (the process was killed mid-write) is recognisable and safe to delete.
TEMP_PREFIX = ".twilio-lint-"
TEMP_SUFFIX = ".tmp"


def is_python_path(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


# --- reading ------------------------------------------------------------------------------------


class Decoded:
    """A file's text and how to encode it back to the same bytes. (A plain class: a
    dataclass costs start-up time in every run for nothing.)"""

    __slots__ = ("bom", "encoding", "text")

    def __init__(self, text: str, encoding: str, bom: bool) -> None:
        self.text = text  # without the byte-order mark
        self.encoding = encoding  # the codec to encode ``text`` with ("utf-8", never "utf-8-sig")
        self.bom = bom  # the bytes started with a UTF-8 byte-order mark

    def __repr__(self) -> str:
        return f"Decoded(text={self.text!r}, encoding={self.encoding!r}, bom={self.bom!r})"

    def encode(self, text: str) -> bytes:
        """``text`` (this file's new content) as bytes in the file's encoding and BOM."""
        return (("\ufeff" + text) if self.bom else text).encode(self.encoding)


def decode(raw: bytes, *, python: bool) -> Decoded:
    """Decode a file's bytes; raises one of ``DECODE_ERRORS`` when they cannot be read.

    Python source is decoded like the interpreter does: a BOM, then a PEP 263 coding cookie,
    else UTF-8. Every other file is UTF-8, and one leading BOM is not part of the text."""
    if python:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        text = raw.decode(encoding)
        bom = encoding == "utf-8-sig"
        if text.startswith("\ufeff"):
            text = text[1:]
            bom = True
    else:
        bom = raw.startswith(UTF8_BOM)
        encoding = "utf-8-sig" if bom else "utf-8"
        text = raw.decode(encoding)
    if encoding == "utf-8-sig":
        encoding = "utf-8"  # the BOM is written back from ``bom``
    return Decoded(text, encoding, bom)


def read_text(path: str) -> str:
    """The decoded text of the file ``path`` (Python source by its suffix). Raises OSError
    or one of ``DECODE_ERRORS``."""
    with open(path, "rb") as handle:
        raw = handle.read()
    return decode(raw, python=is_python_path(path)).text


# --- writing ------------------------------------------------------------------------------------


def write_atomic(
    path: str, data: bytes | str, encoding: str = "utf-8", *, durable: bool = True
) -> None:
    """Replace the file ``path`` by ``data`` (a ``str`` is encoded with ``encoding``, its
    newlines written as they are) so that readers and crashes see the old content or the new,
    never half of it.

    The data goes to a temporary file in the same directory (``TEMP_PREFIX…TEMP_SUFFIX``,
    removed on any failure), is flushed and fsynced, and the temporary file is renamed over
    the target with ``os.replace``; then the directory is fsynced so the rename itself is
    durable. A symlink stays a link: its target is replaced. An existing file keeps its
    permission bits (and its owner and group where the user may set them); a new file gets
    ``0o666`` minus the umask, as ``open`` would give it. ``durable=False`` skips both fsyncs,
    for files that are cheap to lose (the result cache, which is rebuilt when unreadable).
    """
    import tempfile

    if isinstance(data, str):
        data = data.encode(encoding)
    real = os.path.realpath(path)
    directory = os.path.dirname(real)
    try:
        info: os.stat_result | None = os.stat(real)
    except OSError:
        info = None
    fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if info is not None:
            if hasattr(os, "chown"):
                try:  # keep the owner where we may (root, or the same user)
                    os.chown(temp, info.st_uid, info.st_gid)
                except OSError:
                    pass
            os.chmod(temp, info.st_mode & 0o7777)  # after chown, which may clear set-id bits
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, real)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    if durable:
        _fsync_directory(directory)


def _fsync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (where the platform allows opening a folder)."""
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
