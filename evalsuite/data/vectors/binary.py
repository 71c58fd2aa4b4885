"""word2vec binary files: ``COUNT DIM`` header line, then ``word<space>`` + DIM little-endian
float32 per row, optionally followed by a newline (word2vec.c writes one, gensim does not)."""

from __future__ import annotations

import os

import numpy as np

from evalsuite.core.errors import InputError
from evalsuite.data.vectors.detect import (
    _BOM, is_compressed, open_maybe_compressed, read_header,
)
from evalsuite.data.vectors.rows import RowSink
from evalsuite.data.vectors.text import check_words
from evalsuite.core.progress import progress

CHUNK_BYTES = 4 << 20
MAX_READ_BYTES = 16 << 20  # one read never asks for more, whatever the header claims
MAX_WORD_BYTES = 4096  # a longer "word" means the file is not what the header says


def read_binary(path, *, on_duplicate="error", unicode_errors="strict", limit=None):
    """Read a word2vec binary file; returns ``(vocab, matrix)``.

    Byte offsets in error messages count from the start of the (decompressed) file.
    """
    path = os.fspath(path)
    compressed = is_compressed(path)
    with open_maybe_compressed(path, unit="offset") as fh:
        first = fh.readline(1 << 16)
        if not first:
            raise InputError(path, "empty file")
        start = len(first)
        if first.startswith(_BOM):
            first = first[3:]
        n, dim = read_header(path, first, " on the first line")
        row_bytes = 4 * dim
        if limit is not None:
            n = min(n, max(int(limit), 0))
        if not compressed:
            size = os.path.getsize(path)
            if n * (row_bytes + 2) > size - start:
                raise InputError(path, f"the header announces {n} vectors of dimension {dim} "
                                 f"({n * (row_bytes + 2)} bytes at least) but only "
                                 f"{size - start} bytes follow it; the file is truncated",
                                 offset=size)
        # a plain file's size was checked above; compressed data is trusted as it arrives
        sink = RowSink(path, n, dim, on_duplicate=on_duplicate, unicode_errors=unicode_errors,
                       unit="offset", trusted=not compressed)
        want = min(max(CHUNK_BYTES, 4 * (row_bytes + MAX_WORD_BYTES)), MAX_READ_BYTES)
        buf, base, pos, eof = b"", start, 0, False  # base: file offset of buf[0]
        with progress(f"Loading {os.path.basename(path)}", total=n, unit="vectors") as advance:
            while sink.rows_read < n and not eof:
                block = fh.read(want)
                eof = not block
                buf, base, pos = buf[pos:] + block, base + pos, 0
                words, starts, pos, done = _scan(path, buf, base, row_bytes, n - sink.rows_read)
                if words:
                    mv = memoryview(buf)
                    joined = b"".join([mv[s:s + row_bytes] for s in starts])
                    vectors = np.frombuffer(joined, dtype="<f4").reshape(len(words), dim)
                    sink.rows_read += len(words)
                    sink.add(words, vectors, [base + s - 1 - len(w) for w, s in zip(words, starts)])
                    advance(len(words))
                if done:
                    break
        if sink.rows_read < n:
            _truncated(path, buf[pos:], base + pos, n, sink.rows_read, dim)
        if limit is None:
            rest = buf[pos:] + fh.read(1 << 16)
            if rest.strip():
                skip = len(rest) - len(rest.lstrip())
                raise InputError(path, f"extra data after the {n} vectors the header announces",
                                 offset=base + pos + skip)
    return sink.finish()


def _scan(path, buf, base, row_bytes, wanted):
    """Find complete rows in ``buf``: (words, vector start offsets, next pos, wanted reached)."""
    words, starts, pos, size = [], [], 0, len(buf)
    find = buf.find
    while len(words) < wanted:
        while pos < size and buf[pos] == 10:  # newline ending the previous row
            pos += 1
        space = find(b" ", pos, pos + MAX_WORD_BYTES)
        if space < 0:
            if size - pos >= MAX_WORD_BYTES:
                raise InputError(path, f"no space after a word within {MAX_WORD_BYTES} bytes; "
                                 "the file is corrupt or not word2vec binary", offset=base + pos)
            return words, starts, pos, False
        end = space + 1 + row_bytes
        if end > size:
            return words, starts, pos, False
        if space == pos:
            raise InputError(path, "empty word (a space where a word should start)",
                             offset=base + pos)
        words.append(buf[pos:space])
        starts.append(space + 1)
        pos = end
    return words, starts, pos, True


def _truncated(path, rest, offset, n, got, dim):
    rest = rest.lstrip(b"\n")
    if not rest:
        raise InputError(path, f"the header announces {n} vectors but the file ends after {got}",
                         offset=offset)
    space = rest.find(b" ")
    word = rest[:space].decode("utf-8", "replace") if space >= 0 else rest[:40].decode("utf-8", "replace")
    have = len(rest) - space - 1 if space >= 0 else 0
    raise InputError(path, f"file is truncated: the vector of {word!r} (row {got + 1} of {n}) needs "
                     f"{4 * dim} bytes but only {max(have, 0)} remain", offset=offset)


def write_binary(vocab, matrix, fh, *, path=""):
    """Write word2vec binary (a newline after each vector, as word2vec.c does)."""
    n, dim = matrix.shape
    check_words(vocab, path)
    fh.write(f"{n} {dim}\n".encode())
    data = np.ascontiguousarray(matrix, dtype="<f4")
    step = 4096
    for start in range(0, n, step):
        block = data[start:start + step]
        fh.write(b"".join([w.encode("utf-8") + b" " + row.tobytes() + b"\n"
                           for w, row in zip(vocab[start:start + step], block)]))
