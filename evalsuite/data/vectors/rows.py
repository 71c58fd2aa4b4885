"""Collecting parsed rows into a preallocated matrix, applying the load policies."""

from __future__ import annotations

import numpy as np

from evalsuite.core.errors import InputError

DUPLICATE_POLICIES = ("error", "first", "last")
UNICODE_POLICIES = ("strict", "replace", "ignore")
_FIRST_BYTES = 4 << 20  # first allocation of a growing matrix


def max_text_rows(avail: int, dim: int) -> int:
    """Most rows of ``dim`` values that ``avail`` bytes of text can hold.

    The shortest row is a one-byte word and ``dim`` one-digit values, each after one
    separator, so ``r`` rows (newlines between them) take at least ``r * (2 * dim + 2) - 1``.
    """
    return max(avail + 1, 0) // (2 * dim + 2)


class RowSink:
    """Accumulates ``(word, vector)`` rows into a float32 matrix allocated once.

    Parameters
    ----------
    path : str
        File being read (for messages).
    n, dim : int
        Upper bound on the number of rows, and the vector size.
    trusted : bool
        Whether ``n`` was checked against what the file can hold (the size of a plain
        file): then the matrix is allocated once, at ``n`` rows. Otherwise (compressed
        input) nothing is allocated before rows arrive, and the matrix grows with them.
    on_duplicate : {"error", "first", "last"}
        A repeated word raises, keeps the first vector, or keeps the last vector
        (at the first occurrence's position).
    unicode_errors : {"strict", "replace", "ignore"}
        How to decode words that are not valid UTF-8 (``strict`` raises).
    unit : {"line", "offset"}
        Whether row positions are line numbers (text) or byte offsets (binary).
    """

    def __init__(self, path, n, dim, *, on_duplicate, unicode_errors, unit="line", trusted=False):
        self.path = path
        self.n, self.dim = n, dim
        self.matrix = np.empty((n if trusted else 0, dim), dtype=np.float32)
        self.words: list[str] = []
        self.index: dict[str, int] = {}
        self.positions: list[int] = []  # where each kept word was read (for duplicate messages)
        self.on_duplicate = on_duplicate
        self.unicode_errors = unicode_errors
        self.unit = unit
        self.rows_read = 0  # rows seen in the file, duplicates included (kept by readers)

    def _error(self, problem, pos):
        raise InputError(self.path, problem, **{self.unit: pos})

    def __len__(self) -> int:
        return len(self.words)

    def add(self, raw_words, vectors: np.ndarray, positions) -> None:
        """Add a chunk: ``raw_words`` (bytes), ``vectors`` (k, dim), ``positions`` (k,)."""
        words = self._decode(raw_words, positions)
        if not np.isfinite(vectors).all():
            bad = int(np.flatnonzero(~np.isfinite(vectors).all(axis=1))[0])
            col = int(np.flatnonzero(~np.isfinite(vectors[bad]))[0])
            self._error(
                f"value {col + 1} of word {words[bad]!r} is {vectors[bad, col]} "
                "(NaN or infinite; values beyond float32 range overflow to inf)", positions[bad])
        start, k = len(self.words), len(words)
        self._reserve(start + k)
        new = set(words)
        if len(new) == k and self.index.keys().isdisjoint(new):
            self.index.update(zip(words, range(start, start + k)))
            self.words.extend(words)
            self.positions.extend(positions)
            self.matrix[start:start + k] = vectors
            return
        for i, w in enumerate(words):  # slow path: a repeated word in this chunk
            self._add_one(w, vectors[i], positions[i])

    def _reserve(self, rows: int) -> None:
        """Room for ``rows`` rows: grow by half at least, never beyond ``n``.

        ``ndarray.resize`` reallocates in place where it can (no copy of large blocks);
        no view of the matrix is alive while reading, which it requires.
        """
        capacity = self.matrix.shape[0]
        if rows <= capacity:
            return
        if rows > self.n:
            raise AssertionError("more rows than the reader announced")
        first = max(1, _FIRST_BYTES // (4 * self.dim))
        grown = min(self.n, max(rows, capacity + capacity // 2, first))
        self.matrix.resize((grown, self.dim), refcheck=False)

    def _add_one(self, word, vector, pos):
        row = self.index.get(word)
        if row is None:
            row = len(self.words)
            self._reserve(row + 1)
            self.index[word] = row
            self.words.append(word)
            self.positions.append(pos)
            self.matrix[row] = vector
            return
        if self.on_duplicate == "error":
            where = "line" if self.unit == "line" else "byte"
            self._error(
                f"duplicate word {word!r} (first seen at {where} {self.positions[row]}); "
                "pass on_duplicate='first' or 'last' to keep one", pos)
        if self.on_duplicate == "last":
            self.matrix[row] = vector

    def _decode(self, raw_words, positions) -> list[str]:
        errors = self.unicode_errors
        try:
            words = [w.decode("utf-8", errors) for w in raw_words]
        except UnicodeDecodeError:
            for i, w in enumerate(raw_words):
                try:
                    w.decode("utf-8")
                except UnicodeDecodeError as exc:
                    self._error(
                        f"word {w!r} is not valid UTF-8 ({exc.reason} at byte {exc.start} of the "
                        "word); pass unicode_errors='replace' or 'ignore' to load it anyway",
                        positions[i])
            raise
        if "" in words:
            i = words.index("")
            self._error("empty word" + (" after decoding" if raw_words[i] else ""), positions[i])
        return words

    def finish(self):
        """Return ``(vocab tuple, matrix)`` trimmed to the rows actually kept."""
        rows = len(self.words)
        matrix, self.matrix = self.matrix, None
        if rows != matrix.shape[0]:
            matrix.resize((rows, self.dim), refcheck=False)
        return tuple(self.words), matrix
