"""Collecting parsed rows into a preallocated matrix, applying the load policies."""

from __future__ import annotations

import numpy as np

from evalsuite.core.errors import InputError

DUPLICATE_POLICIES = ("error", "first", "last")
UNICODE_POLICIES = ("strict", "replace", "ignore")


class RowSink:
    """Accumulates ``(word, vector)`` rows into a float32 matrix allocated once.

    Parameters
    ----------
    path : str
        File being read (for messages).
    n, dim : int
        Upper bound on the number of rows, and the vector size.
    on_duplicate : {"error", "first", "last"}
        A repeated word raises, keeps the first vector, or keeps the last vector
        (at the first occurrence's position).
    unicode_errors : {"strict", "replace", "ignore"}
        How to decode words that are not valid UTF-8 (``strict`` raises).
    unit : {"line", "offset"}
        Whether row positions are line numbers (text) or byte offsets (binary).
    """

    def __init__(self, path, n, dim, *, on_duplicate, unicode_errors, unit="line"):
        self.path = path
        self.matrix = np.empty((n, dim), dtype=np.float32)
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
        if start + k > self.matrix.shape[0]:
            raise AssertionError("more rows than allocated")
        new = set(words)
        if len(new) == k and self.index.keys().isdisjoint(new):
            self.index.update(zip(words, range(start, start + k)))
            self.words.extend(words)
            self.positions.extend(positions)
            self.matrix[start:start + k] = vectors
            return
        for i, w in enumerate(words):  # slow path: a repeated word in this chunk
            self._add_one(w, vectors[i], positions[i])

    def _add_one(self, word, vector, pos):
        row = self.index.get(word)
        if row is None:
            row = len(self.words)
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
        matrix = self.matrix[:rows]
        if rows < 0.75 * self.matrix.shape[0]:
            matrix = matrix.copy()
        self.matrix = None
        return tuple(self.words), matrix
