"""Format names, compressed-file handling and format auto-detection."""

from __future__ import annotations

import os
from pathlib import Path

from evalsuite.core.errors import InputError, UnknownNameError
from evalsuite.core.registry import suggest
from evalsuite.data.compressed import compression, open_input

FORMATS = ("word2vec", "word2vec-binary", "glove", "fasttext", "npz")
_ALIASES = {"w2v": "word2vec", "bin": "word2vec-binary", "binary": "word2vec-binary", "vec": "fasttext"}
_SUFFIXES = (".gz", ".bz2", ".xz")
_NPZ_MAGIC = b"PK\x03\x04"
_BOM = b"\xef\xbb\xbf"
_MAX_DIGITS = 40  # a longer run of digits is no header (and int() of thousands of digits fails)
_PEEK_BYTES = 1 << 20  # how much of the first row detection reads, whatever the header claims
MAX_DIM = 1 << 24  # values per vector: far beyond real embeddings, and a bound before any allocation


def check_format(fmt: str) -> str:
    """Return the canonical format name or raise :class:`UnknownNameError`."""
    fmt = _ALIASES.get(fmt, fmt)
    if fmt not in FORMATS:
        raise UnknownNameError(
            f"unknown vector format '{fmt}'{suggest(fmt, FORMATS)}; known: {', '.join(FORMATS)}"
        )
    return fmt


def plain_suffix(path) -> str:
    """Lower-case extension of ``path`` once a compression suffix is removed."""
    p = Path(path)
    if p.suffix.lower() in _SUFFIXES:
        p = p.with_suffix("")
    return p.suffix.lower()


def stem(path) -> str:
    """File name without compression and format extensions (the default embedding name)."""
    p = Path(path)
    if p.suffix.lower() in _SUFFIXES:
        p = p.with_suffix("")
    return p.stem if p.suffix else p.name


def open_maybe_compressed(path, *, unit: str = "line"):
    """Open ``path`` for binary reading, decompressing gzip, bzip2 or xz by content.

    Decompression errors are :class:`InputError` naming the line (``unit="line"``) or the
    byte of the decompressed data (``unit="offset"``); see :mod:`evalsuite.data.compressed`.
    """
    return open_input(path, unit=unit)


def is_compressed(path) -> bool:
    """Whether ``path`` holds gzip, bzip2 or xz data."""
    return compression(path) is not None


def parse_header(line: bytes):
    """``(count, dim)`` when ``line`` is a word2vec ``"COUNT DIM"`` header, else ``None``."""
    parts = line.split()
    if len(parts) != 2 or not all(p.isdigit() and len(p) <= _MAX_DIGITS for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def check_dim(path, dim: int) -> None:
    """Raise :class:`InputError` (line 1) unless ``1 <= dim <= MAX_DIM``."""
    if dim < 1:
        raise InputError(path, "bad header: dimension must be at least 1", line=1)
    if dim > MAX_DIM:
        raise InputError(path, f"bad header: dimension {dim} is beyond the {MAX_DIM} values a "
                         "vector may have", line=1)


def read_header(path, first: bytes, detail: str = "") -> tuple[int, int]:
    """``(count, dim)`` of a word2vec header line; :class:`InputError` (line 1) when it is none.

    ``detail`` ends the error's explanation (" on the first line").
    """
    parsed = parse_header(first)
    if parsed is None:
        raise InputError(path, f"bad header {first.strip()[:60]!r}: expected 'COUNT DIM' "
                         f"(two non-negative integers){detail}", line=1)
    n, dim = parsed
    check_dim(path, dim)
    return n, dim


def _is_number(token: bytes) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _is_text_row(row: bytes) -> bool:
    """A word followed by numbers, however many (a count that disagrees with the header is
    reported by the text reader, at its line); raw float32 bytes are not that."""
    tokens = row.split()
    return len(tokens) >= 2 and all(_is_number(t) for t in tokens[1:])


def detect_format(path) -> str:
    """Guess the format of a vector file from its content, using the extension as a hint.

    ``.npz`` files are recognised by their zip signature. Text and binary files are told
    apart by the first line: a ``"COUNT DIM"`` header followed by a text row is
    ``word2vec`` (``fasttext`` for ``.vec``), a header followed by raw bytes is
    ``word2vec-binary``, and a first line of a word and numbers is ``glove``.

    Raises
    ------
    InputError
        The file is missing, empty or in no known format.
    """
    path = os.fspath(path)
    ext = plain_suffix(path)
    with open_maybe_compressed(path) as fh:
        first = fh.readline(_PEEK_BYTES)
        if first.startswith(_NPZ_MAGIC):
            return "npz"
        if first.startswith(_BOM):
            first = first[3:]
        if not first.strip():
            if not first and not fh.read(1):
                raise InputError(path, "empty file")
            raise InputError(path, "first line is empty; expected a 'COUNT DIM' header or a vector", line=1)
        header = parse_header(first)
        if header is not None:
            _, dim = header
            body = fh.read(min(4 * dim, _PEEK_BYTES) + 4096)
            if not body.strip():
                return "word2vec-binary" if ext == ".bin" else ("fasttext" if ext == ".vec" else "word2vec")
            if not _is_text_row(body.split(b"\n", 1)[0]):
                return "word2vec-binary"
            return "fasttext" if ext == ".vec" else "word2vec"
        tokens = first.split()
        if len(tokens) >= 2 and all(_is_number(t) for t in tokens[1:]):
            return "glove"
    raise InputError(
        path, "unrecognised vector file: line 1 is neither a 'COUNT DIM' header nor a word "
        "followed by numbers", line=1)
