"""Opening input files that may be gzip-, bzip2- or xz-compressed.

One opener serves vector files, corpora and evaluation datasets. Only regular files are
opened: a named pipe, a device or a socket is refused before it is opened. Compression is
recognised by content (a ``.gz`` / ``.bz2`` / ``.xz`` name must agree with it), and a
compressed file is read as a stream: every decompression failure (a stream cut short, a bad
checksum, garbage) becomes an :class:`~evalsuite.core.errors.InputError` naming the file and
the line, or the byte of the decompressed data, where reading stopped.

Reads are bounded: a line may not exceed :data:`MAX_LINE` bytes, and compressed data may not
expand more than :data:`MAX_RATIO` times the compressed bytes read (past the first
:data:`RATIO_SLACK` bytes), so a decompression bomb is stopped after a few MiB.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import io
import os
import stat
import zlib
from pathlib import Path

from evalsuite.core.errors import InputError

_OPENERS = {"gzip": gzip.open, "bzip2": bz2.open, "xz": lzma.open}
_SUFFIXES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
_GZIP, _XZ = b"\x1f\x8b", b"\xfd7zXZ\x00"
# "BZh" + level, then the magic of a first block or of the end of an empty stream: "BZh"
# alone is plain text often enough that it is trusted only with a .bz2 name
_BZ2_NEXT = (b"1AY&SY", b"\x17rE8P\x90")
_ERRORS = (EOFError, OSError, zlib.error, lzma.LZMAError, ValueError)
_SPECIAL = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
            (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)

# Real lines are short: a GloVe row ~500 bytes, a 300-d fastText row ~3 KB, an IMDB review a few
# KB, a long document per line a few MB. 64 MiB leaves room for all of them, and reading one line
# of it costs a bounded 64 MiB, not the size of the file.
MAX_LINE = 64 << 20
# Text compresses 3-10 times (gzip, bzip2, xz), highly repetitive text under 20; a bomb of
# repeated bytes expands ~1000 (gzip) to millions of times (bzip2, xz). 100 is five times the
# most repetitive real text. The first RATIO_SLACK bytes are always allowed (small files), and
# kept small: a bomb of newlines is refused after a few hundred thousand lines.
MAX_RATIO = 100
RATIO_SLACK = 256 << 10
# compressed bytes a decompressor may have read ahead of what it expanded (gzip, bz2 and lzma
# read 8 KiB at a time): not counted, so that a bomb is caught soon after RATIO_SLACK
_READ_AHEAD = 8 << 10
_BLOCK = 1 << 20  # bytes per block when reading everything
_ITER_BYTES = 64 << 10  # bytes of lines per block when iterating: an error's line is near


def _refuse_special(path: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise InputError(path, "is a folder, not a file")
    if not stat.S_ISREG(mode):
        kind = next((what for test, what in _SPECIAL if test(mode)), "a special file")
        raise InputError(path, f"is {kind}, not a regular file")


def check_regular(path) -> None:
    """Raise :class:`InputError` unless ``path`` is a regular file (symbolic links followed).

    A named pipe, a device (``/dev/zero``), a socket or a folder is refused from its
    ``stat``, before anything opens it: reading one would block or never end.
    """
    path = os.fspath(path)
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    _refuse_special(path, mode)


def open_regular(path, buffering: int = -1):
    """Open ``path`` for binary reading after :func:`check_regular`: the one opener of input files.

    The file is opened without blocking and checked again, so that a file replaced by a
    named pipe between the two checks is still refused rather than waited on.
    """
    path = os.fspath(path)
    check_regular(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        _refuse_special(path, os.fstat(fd).st_mode)
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb", buffering=buffering)
    except BaseException:
        os.close(fd)
        raise


def _head(path: str) -> bytes:
    with open_regular(path, buffering=0) as fh:
        try:
            return fh.read(10)
        except OSError as exc:
            raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def _kind(path: str, head: bytes) -> str | None:
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_XZ):
        return "xz"
    named = _SUFFIXES.get(Path(path).suffix.lower())
    if head[:3] == b"BZh" and (head[4:10] in _BZ2_NEXT or named == "bzip2"):
        return "bzip2"
    if named:
        raise InputError(path, f"the name ends in {Path(path).suffix} but the content is not "
                         f"{named} data (it does not start with the {named} signature)", offset=0)
    return None


def compression(path) -> str | None:
    """``"gzip"``, ``"bzip2"``, ``"xz"`` or None (plain), from the first bytes of ``path``.

    Raises
    ------
    InputError
        The file is missing, or its name says compressed and its content does not.
    """
    path = os.fspath(path)
    return _kind(path, _head(path))


def open_input(path, *, unit: str = "line"):
    """Open ``path`` for binary reading, decompressing gzip, bzip2 or xz by content.

    Parameters
    ----------
    path : str or path-like
    unit : {"line", "offset"}
        How an error says where it happened: the line (text files) or the byte offset in
        the decompressed data (binary files).

    Returns
    -------
    CheckedStream
        Over the plain file, or over the decompressed data.

    Raises
    ------
    InputError
        ``path`` is missing, unreadable or not a regular file (see :func:`open_regular`).
    """
    path = os.fspath(path)
    raw = open_regular(path, buffering=_BLOCK)
    try:
        kind = _kind(path, raw.peek(10)[:10])
        if kind is None:
            return CheckedStream(raw, path, None, unit)
        source = _Metered(raw)
        return CheckedStream(_OPENERS[kind](source, "rb"), path, kind, unit, source=source)
    except OSError as exc:
        raw.close()
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except BaseException:
        raw.close()
        raise


class _Metered:
    """A compressed file handed to a decompressor, counting the bytes it read."""

    def __init__(self, fh):
        self.fh, self.consumed = fh, 0
        self.mode = "rb"

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.consumed += len(data)
        return data

    def close(self) -> None:
        self.fh.close()


class CheckedStream:
    """A bounded reader whose errors are :class:`InputError` naming the file and the place.

    Supports what the readers use: ``read``, ``readline``, ``readlines``, iteration and
    ``with``. It counts the bytes and lines it has handed out, so that an error can say
    where the data broke off. A line longer than :data:`MAX_LINE` bytes is refused, and so is
    compressed data expanding more than :data:`MAX_RATIO` times (a decompression bomb),
    checked at least every MiB. Decompression failures are reported; a plain file's
    ``OSError`` passes through. Iteration reads ahead: do not mix it with ``read`` calls.
    """

    def __init__(self, raw, path: str, kind: str | None, unit: str = "line", *, source=None):
        self.raw, self.path, self.kind, self.unit = raw, path, kind, unit
        self.source = source  # the compressed file (a _Metered), None for a plain file
        self.offset = 0  # bytes handed out
        self.lines = 0  # complete lines handed out

    def _where(self) -> dict:
        return {"line": self.lines + 1} if self.unit == "line" else {"offset": self.offset}

    def _fail(self, exc: BaseException):
        if self.kind is None:
            raise exc
        if isinstance(exc, EOFError):
            problem = f"{self.kind} data is truncated: the compressed stream ends before its end marker"
        else:
            problem = f"{self.kind} data is corrupt ({exc})"
        if self.unit == "offset":
            problem += " (byte counted in the decompressed data)"
        raise InputError(self.path, problem, **self._where()) from None

    def _seen(self, data: bytes) -> bytes:
        self.offset += len(data)
        self.lines += data.count(b"\n")
        source = self.source
        if (source is not None
                and self.offset > MAX_RATIO * max(source.consumed - _READ_AHEAD, 0) + RATIO_SLACK):
            raise InputError(self.path, f"{self.kind} data expands more than {MAX_RATIO} times "
                             f"({self.offset} bytes from {source.consumed} compressed bytes), far "
                             "beyond real text or vectors: refused as a decompression bomb "
                             "(decompress it first if it is genuine)", **self._where())
        return data

    def _too_long(self, line: int):
        raise InputError(self.path, f"line longer than {MAX_LINE} bytes ({MAX_LINE / (1 << 20):g} MiB), "
                         "the bound on one line; split the text into lines", line=line)

    def _read(self, read, size: int) -> bytes:
        """``read(size)`` of the underlying stream, counted and checked."""
        try:
            data = read(size)
        except _ERRORS as exc:
            self._fail(exc)
        return self._seen(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(_BLOCK), b""))
        if self.source is None or size <= _BLOCK:
            return self._read(self.raw.read, size)
        parts = []  # decompressed in blocks: the ratio is checked after each
        while size > 0:
            part = self._read(self.raw.read, min(size, _BLOCK))
            if not part:
                break
            parts.append(part)
            size -= len(part)
        return b"".join(parts)

    def _readline(self, size: int) -> bytes:
        if self.source is None or size <= _BLOCK:
            return self._read(self.raw.readline, size)
        parts = []
        while size > 0:
            part = self._read(self.raw.readline, min(size, _BLOCK))
            parts.append(part)
            size -= len(part)
            if not part or part.endswith(b"\n"):
                break
        return b"".join(parts)

    def readline(self, size: int = -1) -> bytes:
        """One line; without ``size``, a line longer than :data:`MAX_LINE` raises."""
        if size is not None and size >= 0:
            return self._readline(size)
        line = self._readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            self._too_long(self.lines + (0 if line.endswith(b"\n") else 1))
        return line

    def readlines(self, hint: int = -1) -> list[bytes]:
        """Whole lines of about ``hint`` bytes in all (all lines when ``hint`` <= 0)."""
        if hint is None or hint <= 0:
            return list(self)
        block = self.read(hint)
        if block and not block.endswith(b"\n"):  # complete the last line, within the bound
            part = len(block) - block.rfind(b"\n") - 1
            more = self._readline(max(MAX_LINE + 1 - part, 1))
            block += more
            if part + len(more) > MAX_LINE:
                self._too_long(self.lines + (0 if more.endswith(b"\n") else 1))
        lines = io.BytesIO(block).readlines()
        if len(block) > MAX_LINE:  # only then can a line inside the block be too long
            for i, line in enumerate(lines):
                if len(line) > MAX_LINE:
                    self._too_long(self.lines - sum(x.endswith(b"\n") for x in lines[i:]) + 1)
        return lines

    def __iter__(self):
        while True:
            lines = self.readlines(_ITER_BYTES)
            if not lines:
                return
            yield from lines

    def close(self) -> None:
        self.raw.close()
        if self.source is not None:
            self.source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["MAX_LINE", "MAX_RATIO", "CheckedStream", "check_regular", "compression", "open_input",
           "open_regular"]
