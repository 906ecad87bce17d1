"""Files on disk: the one decoder of source bytes and the one atomic writer of the package.

Every front door reads a file's bytes and turns them into text through ``decode`` (Python
source like the interpreter: BOM, then a PEP 263 coding cookie, else UTF-8; every other file
as UTF-8 with an optional BOM), and every file twilio-lint writes (``--fix``, ``--add-noqa``,
``--write-baseline``, ``--output-file``, the result cache) is replaced through
``write_atomic``. So a file is read back, fixed and written in its own encoding, and a crash
never leaves half a file.

This module imports nothing from twilio_lint.
"""

from __future__ import annotations

import os
import stat

PYTHON_SUFFIXES = (".py", ".pyi")
UTF8_BOM = b"\xef\xbb\xbf"
#: What ``decode`` raises for bytes it cannot turn into text: a bad or unknown coding cookie
#: (SyntaxError, LookupError) or bytes invalid in the encoding (UnicodeDecodeError).
DECODE_ERRORS = (SyntaxError, UnicodeDecodeError, LookupError)
#: ``write_atomic``'s temporary files are ``.twilio-lint-<random>.tmp`` next to the file they
#: replace: one left behind (the process was killed mid-write) is recognisable and safe to delete.
TEMP_PREFIX = ".twilio-lint-"
TEMP_SUFFIX = ".tmp"


#: A Jupyter notebook: its code cells are linted as one module.
NOTEBOOK_SUFFIX = ".ipynb"


def is_python_path(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


def is_notebook(path: str) -> bool:
    return path.endswith(NOTEBOOK_SUFFIX)


def fixed_as_python(path: str) -> bool:
    """Do fixes edit this file as Python: ``.py``, ``.pyi``, a notebook's code cells, stdin?
    (Other files linted as Python, through ``extend-include``, get no fixes.)"""
    return path.endswith((*PYTHON_SUFFIXES, NOTEBOOK_SUFFIX)) or path == "-"


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
        import tokenize  # here: a replayed run reads files without decoding any (see replay)

        encoding, _ = tokenize.detect_encoding(_line_reader(raw))
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


def _line_reader(raw: bytes):
    """``readline`` over ``raw`` that ends a line at CR, LF or CRLF, as the interpreter does:
    ``tokenize.detect_encoding`` given ``BytesIO.readline`` sees one line in a CR-only file
    and misses its coding cookie."""
    position = 0

    def readline() -> bytes:
        nonlocal position
        end = position
        while end < len(raw) and raw[end] not in b"\r\n":
            end += 1
        if end < len(raw):
            end += 2 if raw[end:end + 2] == b"\r\n" else 1
        line, position = raw[position:end], end
        return line

    return readline


#: ``read_text`` reads no more than this: another module of the project, a file to quote.
MAX_TEXT_BYTES = 64_000_000


def read_text(path: str, limit: int = MAX_TEXT_BYTES, follow_links: bool = True) -> str:
    """The decoded text of the regular file ``path`` (Python source by its suffix). Raises
    OSError (also for a FIFO, a device, a file over ``limit`` bytes: never blocks; and for a
    symbolic link unless ``follow_links``) or one of ``DECODE_ERRORS``."""
    raw = read_regular_file(path, limit, follow_links)
    if raw is None:
        raise OSError(f"not a regular file, or over {limit:,} bytes: {path}")
    return decode(raw, python=is_python_path(path)).text


def read_regular_file(path: str, limit: int, follow_links: bool = True) -> bytes | None:
    """Up to ``limit`` bytes of ``path``; None when it is not a regular file or is larger.
    Opening never blocks (a FIFO or a device is refused without being read); without
    ``follow_links`` a symbolic link raises OSError (ELOOP) instead of being followed."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return handle.read(limit)


def read_for_rewrite(path: str) -> tuple[bytes, os.stat_result]:
    """The bytes of a file about to be rewritten (``--fix``, ``--add-noqa``) and its identity,
    for ``write_atomic(expected=...)``. Never through a symbolic link, never a FIFO or device
    (raises ``UnsafeWriteError``)."""
    import errno

    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeWriteError("is a symbolic link, not written through") from None
        raise
    with os.fdopen(fd, "rb") as handle:
        identity = os.fstat(handle.fileno())
        if not stat.S_ISREG(identity.st_mode):
            raise UnsafeWriteError("not a regular file, not written")
        return handle.read(), identity


def is_within(path: str, root: str) -> bool:
    """Is ``path`` the folder ``root`` or under it? Both as given (normalise or resolve links
    before asking): the one containment test of reads and writes that must stay in a tree."""
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def may_write(path: str, roots: list[str] | None) -> bool:
    """Whether ``path`` is one of the paths given on the command line or lies under one
    (links resolved): ``--fix`` and ``--add-noqa`` write nowhere else. ``roots`` None: no
    limit (a library caller that named the files itself)."""
    if roots is None:
        return True
    real = os.path.realpath(path)
    return any(is_within(real, root) for root in map(os.path.realpath, roots))


# --- writing ------------------------------------------------------------------------------------


class UnsafeWriteError(OSError):
    """A write refused because the target is not the plain file it should be: a symbolic link,
    not a regular file, or another file than the one read (its device and inode changed)."""


def json_text(value: object, **options: object) -> str:
    """JSON that encodes as UTF-8: readable non-ASCII text, except that a file name holding a
    byte that is not UTF-8 (a lone surrogate in Python) is written as a ``\\udcXX`` escape,
    which reads back as the same name."""
    import json

    text = json.dumps(value, ensure_ascii=False, **options)  # type: ignore[arg-type]
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(value, ensure_ascii=True, **options)  # type: ignore[arg-type]
    return text


def write_atomic(
    path: str,
    data: bytes | str,
    encoding: str = "utf-8",
    *,
    durable: bool = True,
    expected: os.stat_result | None = None,
) -> None:
    """Replace the file ``path`` by ``data`` (a ``str`` is encoded with ``encoding``, its
    newlines written as they are) so that readers and crashes see the old content or the new,
    never half of it.

    The data goes to a temporary file in the same directory (``TEMP_PREFIX…TEMP_SUFFIX``,
    removed on any failure), is flushed and fsynced, and the temporary file is renamed over
    the target; then the directory is fsynced so the rename itself is durable. The directory is
    opened once and every step goes through its file descriptor (where the OS allows), so a
    directory swapped for a link mid-write cannot redirect the write.

    Refused with ``UnsafeWriteError`` (nothing written): a target that is a symbolic link or not
    a regular file, or, with ``expected`` (the ``stat`` of the file when it was read), a target
    whose (device, inode) is no longer that one, checked again right before the rename.
    Temporary files of a killed run (older than ``STALE_TEMP_SECONDS``) are removed.
    An existing file keeps its permission bits (and its owner and group where the user may
    set them); a new file gets ``0o666`` minus the umask, as ``open`` would give it.
    ``durable=False`` skips both fsyncs, for files that are cheap to lose (the result cache).
    """
    if isinstance(data, str):
        data = data.encode(encoding)
    folder = _Folder(os.path.dirname(os.path.abspath(path)))
    name = os.path.basename(path)
    try:
        info = _writable_target(folder, name, expected)
        folder.remove_stale_temps()
        temp = folder.create_temp()
        try:
            _fill_temp(folder, temp, data, info, durable)
            if _writable_target(folder, name, expected) != info:
                raise UnsafeWriteError("replaced while being written, not written")
            folder.replace(temp, name)
        except BaseException:
            folder.unlink(temp)
            raise
        if durable:
            folder.fsync()
    finally:
        folder.close()


#: A temporary file of ours this old was left by a killed run: the next write there removes it.
STALE_TEMP_SECONDS = 600


def _writable_target(
    folder: _Folder, name: str, expected: os.stat_result | None
) -> tuple[int, int, int, int, int] | None:
    """The identity and permissions of the file to replace (None: it does not exist yet);
    raises UnsafeWriteError when it must not be written."""
    try:
        info = folder.lstat(name)
    except FileNotFoundError:
        if expected is not None:
            raise UnsafeWriteError("removed since it was read, not written") from None
        return None
    if stat.S_ISLNK(info.st_mode):
        raise UnsafeWriteError("is a symbolic link, not written through")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeWriteError("not a regular file, not written")
    if expected is not None and (info.st_dev, info.st_ino) != (expected.st_dev, expected.st_ino):
        raise UnsafeWriteError("another file than the one read, not written")
    return (info.st_dev, info.st_ino, info.st_uid, info.st_gid, info.st_mode)


def _fill_temp(
    folder: _Folder, temp: str, data: bytes, target: tuple | None, durable: bool
) -> None:
    fd = folder.open(temp, os.O_WRONLY)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
        if target is not None:
            _, _, uid, gid, mode = target
            try:  # keep the owner where we may (root, or the same user)
                os.fchown(handle.fileno(), uid, gid)
            except (OSError, AttributeError):
                pass
            os.fchmod(handle.fileno(), mode & 0o7777)  # after chown, which clears set-id bits
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(handle.fileno(), 0o666 & ~umask)


class _Folder:
    """A directory written into through one file descriptor (by path where the OS has no
    ``dir_fd`` support)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.fd: int | None = None
        if os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd:
            flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
            self.fd = os.open(path, flags)

    def _where(self, name: str) -> tuple[str, dict]:
        if self.fd is None:
            return os.path.join(self.path, name), {}
        return name, {"dir_fd": self.fd}

    def lstat(self, name: str) -> os.stat_result:
        where, kwargs = self._where(name)
        return os.stat(where, follow_symlinks=False, **kwargs)

    def open(self, name: str, flags: int) -> int:
        where, kwargs = self._where(name)
        return os.open(where, flags | getattr(os, "O_NOFOLLOW", 0), 0o600, **kwargs)

    def create_temp(self) -> str:
        import secrets

        while True:
            name = f"{TEMP_PREFIX}{secrets.token_hex(6)}{TEMP_SUFFIX}"
            try:
                os.close(self.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                continue
            return name

    def replace(self, source: str, target: str) -> None:
        if self.fd is None:
            os.replace(os.path.join(self.path, source), os.path.join(self.path, target))
        else:
            os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        where, kwargs = self._where(name)
        try:
            os.unlink(where, **kwargs)
        except OSError:
            pass

    def remove_stale_temps(self) -> None:
        import time

        try:
            names = os.listdir(self.fd if self.fd is not None else self.path)
        except OSError:
            return
        old = time.time() - STALE_TEMP_SECONDS
        for name in names:
            if not (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)):
                continue
            try:
                info = self.lstat(name)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_mtime < old:
                self.unlink(name)

    def fsync(self) -> None:
        if self.fd is not None:
            try:
                os.fsync(self.fd)
            except OSError:
                pass
        else:
            _fsync_directory(self.path)

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


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
