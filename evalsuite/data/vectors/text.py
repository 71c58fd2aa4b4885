"""Text vector files: word2vec text (``COUNT DIM`` header), fastText ``.vec``, GloVe (no header).

Rows are parsed in chunks of lines with numpy's C tokenizer (``np.loadtxt``) straight
into a float32 matrix, so memory stays near the size of the matrix. The matrix is allocated
once when the row count is one the file's size can hold; otherwise (compressed input, a
header claiming more than the file holds) it grows as rows arrive.
"""

from __future__ import annotations

import os
import re
import warnings

import numpy as np

from evalsuite.core.errors import InputError
from evalsuite.data.vectors.detect import (
    _BOM, check_dim, is_compressed, open_maybe_compressed, parse_header, read_header,
)
from evalsuite.data.vectors.rows import RowSink, max_text_rows
from evalsuite.core.progress import progress

CHUNK_BYTES = 4 << 20
_HEADER_BYTES = 1 << 16  # a 'COUNT DIM' header line is at most a few dozen bytes
_WHITESPACE = re.compile(r"[ \t\n\r\x0b\x0c]")


def _headerless_shape(path: str, first: str, limit) -> tuple[int, int]:
    """(rows, dimension) of a file without header (GloVe): the first line's width, the lines counted."""
    dim = len(first.split()) - 1
    if dim < 1:
        raise InputError(path, "expected a word followed by its vector, found "
                         f"{first.strip()[:40]!r}", line=1)
    check_dim(path, dim)
    return _count_lines(path, limit), dim


def read_text(path, *, header: bool, on_duplicate="error", unicode_errors="strict", limit=None):
    """Read a text vector file; returns ``(vocab, matrix)``.

    Parameters
    ----------
    path : path-like
        The file (plain, gzip, bzip2 or xz).
    header : bool
        ``True`` for word2vec/fastText files (first line ``COUNT DIM``), ``False`` for GloVe.
    on_duplicate, unicode_errors, limit
        See :func:`evalsuite.data.vectors.load_embeddings`.
    """
    path = os.fspath(path)
    size = None if is_compressed(path) else os.path.getsize(path)
    with open_maybe_compressed(path) as fh:
        first, start = _first_line(path, fh, header)
        if header:
            n, dim = read_header(path, first)
            pending, lineno = [], 2
        else:
            n, dim = _headerless_shape(path, first, limit)
            pending, lineno = [first], 1
        if limit is not None:
            n = min(n, max(int(limit), 0))
        hint = (" (line 1 looks like a word2vec 'COUNT DIM' header; load with format='word2vec')"
                if parse_header(first) is not None and not header else "")
        # a count the file's size can hold is allocated at once; any other grows with the rows
        room = None if size is None else size - (start if header else 0)
        sink = RowSink(path, n, dim, on_duplicate=on_duplicate, unicode_errors=unicode_errors,
                       trusted=room is not None and n <= max_text_rows(room, dim))
        blank_at = None  # first blank line seen; only blank lines may follow it
        read = 0
        with progress(f"Loading {os.path.basename(path)}", total=n, unit="vectors") as advance:
            while read < n:
                lines = pending + fh.readlines(CHUNK_BYTES)
                pending = []
                if not lines:
                    break
                # past a blank line only blank lines may follow: take them all, or they pile up
                take = n - read if blank_at is None else len(lines)
                extra, lines = lines[take:], lines[:take]
                words, vectors, blank = _parse_chunk(path, lines, lineno, dim, blank_at, hint)
                k = len(words)
                if k:
                    sink.add(words, vectors, range(lineno, lineno + k))
                if blank is not None and blank_at is None:
                    blank_at = blank
                lineno += len(lines)
                read += k
                advance(k)
                pending = extra
        if header and read < n:
            raise InputError(path, f"the header announces {n} vectors but the file ends after "
                             f"{read}", line=lineno)
        if header and limit is None:
            _check_no_more_rows(path, fh, pending, lineno, n)
    return sink.finish()


def _first_line(path, fh, header: bool) -> tuple[bytes, int]:
    """Line 1 without a UTF-8 BOM, and its length in the file; an empty one raises.

    A header line is read with a bound of its own: a 'COUNT DIM' line is a few bytes.
    """
    first = fh.readline(_HEADER_BYTES + 1) if header else fh.readline()
    if header and len(first) > _HEADER_BYTES:
        raise InputError(path, f"bad header: line 1 runs past {_HEADER_BYTES} bytes; expected "
                         "'COUNT DIM'", line=1)
    start = len(first)
    if first.startswith(_BOM):
        first = first[3:]
    if not first.strip():
        if not first and not fh.read(1):
            raise InputError(path, "empty file")
        raise InputError(path, "line 1 is empty; expected " + ("a 'COUNT DIM' header" if header
                         else "a word followed by its vector"), line=1)
    return first, start


def _check_no_more_rows(path, fh, pending, lineno, n):
    for i, line in enumerate(pending):
        if line.strip():
            raise InputError(path, f"more vectors than the {n} the header announces", line=lineno + i)
    lineno += len(pending)
    for line in fh:
        if line.strip():
            raise InputError(path, f"more vectors than the {n} the header announces", line=lineno)
        lineno += 1


def _count_lines(path, limit) -> int:
    """Count rows for header-less files (a quick first pass over the bytes)."""
    count, last = 0, b"\n"
    with open_maybe_compressed(path) as fh:
        while True:
            block = fh.read(16 << 20)
            if not block:
                break
            count += block.count(b"\n")
            last = block[-1:]
            if limit is not None and count >= limit:
                return count
    return count + (last != b"\n")


def _parse_chunk(path, lines, lineno, dim, blank_at, hint):
    """Words (bytes) and a (k, dim) float32 block for ``lines``; line 1 of them is ``lineno``."""
    if blank_at is not None and not b"".join(lines).strip():  # trailing blank lines
        return [], np.empty((0, dim), np.float32), blank_at
    parts = [line.partition(b" ") for line in lines]
    words = [p[0] for p in parts]
    vectors = None
    # numbers are ASCII; numpy would also split values at bytes such as \x85 or \xa0
    if blank_at is None and b"" not in words and b"".join([p[2] for p in parts]).isascii():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                vectors = np.loadtxt([p[2] for p in parts], dtype=np.float32, comments=None,
                                     ndmin=2, quotechar=None)
        except ValueError:
            vectors = None
        if vectors is not None and vectors.shape == (len(lines), dim):
            return words, vectors, None
    return _diagnose(path, lines, lineno, dim, blank_at, hint)


def _diagnose(path, lines, lineno, dim, blank_at, hint):
    """Slow path: find the first bad line (raising), or strip trailing blank lines."""
    words, rows = [], []
    for i, line in enumerate(lines):
        where = lineno + i
        if not line.strip():
            blank_at = where if blank_at is None else blank_at
            continue
        if blank_at is not None:
            raise InputError(path, "empty line in the middle of the file", line=blank_at)
        word, _, rest = line.partition(b" ")
        if not word:
            raise InputError(path, "line starts with a space: expected a word first", line=where)
        tokens = rest.split()
        if len(tokens) != dim:
            raise InputError(path, f"expected {dim} values after the word {_show(word)}, found "
                             f"{len(tokens)}" + hint, line=where)
        for j, tok in enumerate(tokens):
            if not _is_value(tok):
                raise InputError(path, f"value {j + 1} of word {_show(word)} is not a number: "
                                 f"{_show(tok)}", line=where)
        words.append(word)
        rows.append(rest)
    if not rows:
        return [], np.empty((0, dim), np.float32), blank_at
    vectors = np.loadtxt(rows, dtype=np.float32, comments=None, ndmin=2, quotechar=None)
    return words, vectors, blank_at


def _is_value(token: bytes) -> bool:
    """Whether numpy reads ``token`` as exactly one number."""
    if not token.isascii():
        return False
    try:
        return np.loadtxt([token], dtype=np.float32, comments=None, quotechar=None).size == 1
    except ValueError:
        return False


def _show(raw: bytes) -> str:
    return repr(raw.decode("utf-8", "replace")[:60])


# --- writing -------------------------------------------------------------------------
def write_text(vocab, matrix, fh, *, header: bool, trailing_space: bool = False, path=""):
    """Write rows ``word v1 ... vd`` to the binary file object ``fh``.

    Values are written with 9 significant digits, which reproduces every float32 exactly.
    """
    n, dim = matrix.shape
    check_words(vocab, path)
    if header:
        fh.write(f"{n} {dim}\n".encode())
    fmt = "%s " + " ".join(["%.9g"] * dim) + (" \n" if trailing_space else "\n")
    step = 2048
    for start in range(0, n, step):
        block = matrix[start:start + step].tolist()
        fh.write("".join([fmt % (w, *row) for w, row in zip(vocab[start:start + step], block)])
                 .encode("utf-8"))


def check_words(vocab, path):
    """Words written to text or binary formats may not be empty or contain whitespace."""
    if "" not in vocab and not _WHITESPACE.search("".join(vocab)):
        return
    for i, w in enumerate(vocab):
        if not w or _WHITESPACE.search(w):
            raise InputError(path, f"word {w!r} (row {i}) is empty or contains whitespace, "
                             "which word2vec/GloVe files cannot hold; save as .npz instead")
