"""Opening input files that may be gzip-, bzip2- or xz-compressed.

One opener serves vector files, corpora and evaluation datasets. Compression is recognised
by content (a ``.gz`` / ``.bz2`` / ``.xz`` name must agree with it), and a compressed file is
read as a stream: every decompression failure (a stream cut short, a bad checksum, garbage)
becomes an :class:`~evalsuite.core.errors.InputError` naming the file and the line, or the
byte of the decompressed data, where reading stopped.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os
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


def _head(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(10)
    except FileNotFoundError:
        raise InputError(path, "file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None


def compression(path) -> str | None:
    """``"gzip"``, ``"bzip2"``, ``"xz"`` or None (plain), from the first bytes of ``path``.

    Raises
    ------
    InputError
        The file is missing, or its name says compressed and its content does not.
    """
    path = os.fspath(path)
    head = _head(path)
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


def open_input(path, *, unit: str = "line"):
    """Open ``path`` for binary reading, decompressing gzip, bzip2 or xz by content.

    Parameters
    ----------
    path : str or path-like
    unit : {"line", "offset"}
        How a decompression error says where it happened: the line (text files) or the byte
        offset in the decompressed data (binary files).

    Returns
    -------
    file object
        The plain file, or a :class:`CheckedStream` over the decompressed data.
    """
    path = os.fspath(path)
    kind = compression(path)
    if kind is None:
        return open(path, "rb", buffering=1 << 20)
    return CheckedStream(_OPENERS[kind](path, "rb"), path, kind, unit)


class CheckedStream:
    """A decompressing reader whose decompression errors are :class:`InputError`.

    Supports what the readers use: ``read``, ``readline``, ``readlines``, iteration and
    ``with``. It counts the decompressed bytes and lines it has handed out, so that an
    error can say where the data broke off.
    """

    def __init__(self, raw, path: str, kind: str, unit: str = "line"):
        self.raw, self.path, self.kind, self.unit = raw, path, kind, unit
        self.offset = 0  # decompressed bytes handed out
        self.lines = 0  # complete lines handed out

    def _fail(self, exc: BaseException):
        if isinstance(exc, EOFError):
            problem = f"{self.kind} data is truncated: the compressed stream ends before its end marker"
        else:
            problem = f"{self.kind} data is corrupt ({exc})"
        if self.unit == "line":
            raise InputError(self.path, problem, line=self.lines + 1) from None
        raise InputError(self.path, problem + " (byte counted in the decompressed data)",
                         offset=self.offset) from None

    def _seen(self, data: bytes) -> bytes:
        self.offset += len(data)
        self.lines += data.count(b"\n")
        return data

    def read(self, size: int = -1) -> bytes:
        try:
            return self._seen(self.raw.read(size))
        except _ERRORS as exc:
            self._fail(exc)

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._seen(self.raw.readline(size))
        except _ERRORS as exc:
            self._fail(exc)

    def readlines(self, hint: int = -1) -> list[bytes]:
        try:
            lines = self.raw.readlines(hint)
        except _ERRORS as exc:
            self._fail(exc)
        self.offset += sum(map(len, lines))
        self.lines += len(lines) - (1 if lines and not lines[-1].endswith(b"\n") else 0)
        return lines

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def close(self) -> None:
        self.raw.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["CheckedStream", "compression", "open_input"]
