"""The :class:`Embeddings` value type: a vocabulary and its float32 matrix."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable, Mapping, Sequence

import numpy as np


def _readonly(array: np.ndarray) -> np.ndarray:
    """A read-only view: no copy, and the caller's own array keeps its flags."""
    if array.flags.writeable:
        array = array.view()
        array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Embeddings:
    """Word vectors: ``vocab[i]`` has the vector ``matrix[i]``.

    The matrix is stored read-only so that evaluation can never mutate it; derive
    a new object (:meth:`restrict`, :meth:`with_meta`) instead of editing one.

    Parameters
    ----------
    vocab : sequence of str
        Unique words, in file order (most frequent first for most formats).
    matrix : array_like, shape (n, d)
        Vectors, converted to C-contiguous float32.
    counts : array_like of int, shape (n,), optional
        Corpus frequency of each word, when known.
    name : str
        Human-readable name used in reports.
    meta : mapping
        Free-form provenance (trainer, params, seed, training history ...).
    """

    vocab: tuple[str, ...]
    matrix: np.ndarray
    counts: np.ndarray | None = None
    name: str = "embeddings"
    meta: Mapping = field(default_factory=dict)

    def __post_init__(self):
        vocab = tuple(self.vocab)
        matrix = np.ascontiguousarray(self.matrix, dtype=np.float32)
        if matrix.ndim != 2:
            raise ValueError(f"matrix must be 2-D, got shape {matrix.shape}")
        if matrix.shape[0] != len(vocab):
            raise ValueError(f"{len(vocab)} words but {matrix.shape[0]} matrix rows")
        if len(set(vocab)) != len(vocab):
            seen: set[str] = set()
            dup = next(w for w in vocab if w in seen or seen.add(w))
            raise ValueError(f"duplicate word in vocabulary: {dup!r}")
        counts = self.counts
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64)
            if counts.shape != (len(vocab),):
                raise ValueError(f"counts must have shape ({len(vocab)},), got {counts.shape}")
            counts = _readonly(counts)
        object.__setattr__(self, "vocab", vocab)
        object.__setattr__(self, "matrix", _readonly(matrix))
        object.__setattr__(self, "counts", counts)
        object.__setattr__(self, "meta", dict(self.meta))

    # --- basic container behaviour -------------------------------------------------
    def __len__(self) -> int:
        return len(self.vocab)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __getitem__(self, word: str) -> np.ndarray:
        return self.matrix[self.index[word]]

    def __repr__(self) -> str:
        return f"Embeddings(name={self.name!r}, words={len(self)}, dim={self.dim})"

    @property
    def dim(self) -> int:
        """Vector dimensionality."""
        return int(self.matrix.shape[1])

    @cached_property
    def index(self) -> dict[str, int]:
        """Word -> row number."""
        return {w: i for i, w in enumerate(self.vocab)}

    # --- lookup -------------------------------------------------------------------
    def lookup(self, words: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Row indices of ``words`` and a mask of which were found.

        Returns
        -------
        indices : ndarray of int64
            Row of each word, ``-1`` where the word is out of vocabulary.
        found : ndarray of bool
            ``True`` where the word is in the vocabulary.
        """
        index = self.index
        idx = np.fromiter((index.get(w, -1) for w in words), dtype=np.int64)
        return idx, idx >= 0

    @cached_property
    def normalized(self) -> np.ndarray:
        """Read-only copy of the matrix with unit-length rows (zero rows stay zero)."""
        norms = np.linalg.norm(self.matrix, axis=1, keepdims=True)
        out = self.matrix / np.where(norms > 0, norms, 1.0)
        out = out.astype(np.float32, copy=False)
        out.setflags(write=False)
        return out

    def frequency_order(self) -> np.ndarray:
        """Row indices from most to least frequent.

        Uses ``counts`` when present (ties keep file order); otherwise file order,
        which is frequency order for word2vec/GloVe files.
        """
        if self.counts is None:
            return np.arange(len(self), dtype=np.int64)
        return np.argsort(-self.counts, kind="stable").astype(np.int64)

    # --- derived objects ----------------------------------------------------------
    def restrict(self, n: int) -> "Embeddings":
        """The ``n`` most frequent words (``n <= 0`` or ``n >= len`` returns ``self``)."""
        if n <= 0 or n >= len(self):
            return self
        rows = np.sort(self.frequency_order()[:n])
        return self.select(rows)

    def select(self, rows: Sequence[int]) -> "Embeddings":
        """A new object with the given rows, in the given order."""
        rows = np.asarray(rows, dtype=np.int64)
        return Embeddings(
            vocab=tuple(self.vocab[i] for i in rows),
            matrix=self.matrix[rows],
            counts=None if self.counts is None else self.counts[rows],
            name=self.name,
            meta=self.meta,
        )

    def with_name(self, name: str) -> "Embeddings":
        """The same vectors under another name."""
        return Embeddings(self.vocab, self.matrix, self.counts, name, self.meta)

    def with_meta(self, **meta) -> "Embeddings":
        """The same vectors with ``meta`` entries added or replaced."""
        return Embeddings(self.vocab, self.matrix, self.counts, self.name, {**self.meta, **meta})

    def fingerprint(self) -> str:
        """sha256 of the vocabulary and the matrix bytes (name and meta excluded)."""
        h = hashlib.sha256()
        h.update("\n".join(self.vocab).encode("utf-8"))
        h.update(str(self.matrix.shape).encode())
        h.update(self.matrix.tobytes())
        return h.hexdigest()

    def equals(self, other: "Embeddings", *, atol: float = 0.0) -> bool:
        """True when vocabulary (in order) and matrix agree (to ``atol``)."""
        return (
            self.vocab == other.vocab
            and self.matrix.shape == other.matrix.shape
            and bool(np.allclose(self.matrix, other.matrix, rtol=0.0, atol=atol))
        )
