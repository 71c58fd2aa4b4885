"""Data preparation for fine-tuning: tokens, splits, vocabulary, initial matrices."""

from __future__ import annotations

import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from evalsuite.data.corpus.tokenizer import Tokenizer

_TOKENIZER = Tokenizer()


def tokenize(text: str) -> list[str]:
    """The corpus tokenizer's tokens (:class:`~evalsuite.data.corpus.tokenizer.Tokenizer`).

    Classifier and embedding corpus share one tokenizer, so a word has the same string on
    both sides: ``I don't like it's <br />ending!`` gives ``i do n't like it 's ending !``.
    """
    return _TOKENIZER(text)


@dataclass(frozen=True)
class Split:
    """Row indices of one train / validation / test split."""

    train: np.ndarray
    val: np.ndarray
    test: np.ndarray


def _class_rows(labels: np.ndarray, rng: np.random.Generator) -> list[np.ndarray]:
    return [rng.permutation(np.flatnonzero(labels == c)) for c in np.unique(labels)]


def stratified_split(labels: Sequence[int], *, val_fraction: float = 0.1, test_fraction: float = 0.1,
                     seed: int = 0) -> Split:
    """Shuffle each class with ``seed`` and cut it into train / validation / test.

    Every class contributes ``round(n_c * fraction)`` rows to validation and to test,
    so the class ratios of the three parts match the whole.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    parts: tuple[list, list, list] = ([], [], [])
    for rows in _class_rows(labels, rng):
        n_test = int(round(len(rows) * test_fraction))
        n_val = int(round(len(rows) * val_fraction))
        parts[2].append(rows[:n_test])
        parts[1].append(rows[n_test:n_test + n_val])
        parts[0].append(rows[n_test + n_val:])
    train, val, test = (np.sort(np.concatenate(p)).astype(np.int64) for p in parts)
    return Split(train, val, test)


def stratified_kfold(labels: Sequence[int], k: int, *, val_fraction: float = 0.1, seed: int = 0) -> list[Split]:
    """``k`` splits whose test parts partition the data, class by class.

    Rows of each class are shuffled and dealt round-robin to folds (continuing the
    deal across classes so fold sizes differ by at most one); the validation part of
    each split is a stratified ``val_fraction`` of the remaining rows.
    """
    if k < 2:
        raise ValueError(f"k-fold needs k >= 2, got {k}")
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    fold = np.empty(len(labels), dtype=np.int64)
    start = 0
    for rows in _class_rows(labels, rng):
        fold[rows] = (start + np.arange(len(rows))) % k
        start += len(rows)
    splits = []
    for f in range(k):
        test = np.flatnonzero(fold == f)
        rest = np.flatnonzero(fold != f)
        inner = stratified_split(labels[rest], val_fraction=val_fraction, test_fraction=0.0, seed=seed + 1 + f)
        splits.append(Split(rest[inner.train], rest[inner.val], test))
    return splits


@dataclass(frozen=True)
class Encoded:
    """Documents as token ids into a vocabulary (id 0 is padding, words start at 1)."""

    vocab: tuple[str, ...]
    docs: tuple[np.ndarray, ...]

    @property
    def size(self) -> int:
        """Rows of the embedding layer, padding included."""
        return len(self.vocab) + 1


def build_vocabulary(token_lists: Sequence[Sequence[str]], *, min_count: int = 1,
                     max_size: int | None = None) -> tuple[str, ...]:
    """Words with at least ``min_count`` occurrences, by count desc then word (labels are never used)."""
    counts = Counter(t for toks in token_lists for t in toks)
    words = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    return tuple(words[:max_size] if max_size else words)


def encode(token_lists: Sequence[Sequence[str]], vocab: Sequence[str], *, max_length: int | None = None) -> Encoded:
    """Token ids of each document (unknown words dropped, then cut to ``max_length``)."""
    index = {w: i + 1 for i, w in enumerate(vocab)}
    docs = []
    for toks in token_lists:
        ids = [index[t] for t in toks if t in index]
        if max_length:
            ids = ids[:max_length]
        docs.append(np.asarray(ids, dtype=np.int64))
    return Encoded(tuple(vocab), tuple(docs))


def seen_rows(encoded: Encoded, rows: np.ndarray) -> np.ndarray:
    """Boolean mask over embedding rows: word occurs in the documents ``rows``."""
    mask = np.zeros(encoded.size, dtype=bool)
    for r in rows:
        mask[encoded.docs[r]] = True
    mask[0] = False
    return mask


def random_vectors(words: Sequence[str], dim: int, scale: float, seed: int) -> np.ndarray:
    """Uniform(-scale, scale) vectors, one per word, each drawn from (``seed``, word).

    A word's vector depends only on the word, the seed, ``dim`` and ``scale``, so it is
    the same in every init mode and whatever other words are in the vocabulary.
    """
    out = np.empty((len(words), dim), dtype=np.float32)
    for i, w in enumerate(words):
        key = zlib.crc32(w.encode("utf-8"))
        out[i] = np.random.default_rng([seed, key]).uniform(-scale, scale, dim)
    return out


def auto_scale(matrix: np.ndarray) -> float:
    """Uniform bound giving the pretrained vectors' variance (Kim 2014): ``sqrt(3) * std``."""
    std = float(np.std(matrix)) if matrix.size else 0.0
    return float(np.sqrt(3.0) * std) if std > 0 else 0.25


def init_bound(matrix: np.ndarray, scale: float | str = "auto") -> float:
    """The bound ``a`` of the U[−a, a] random vectors: :func:`auto_scale` of ``matrix`` for
    ``"auto"``, else ``scale``."""
    return auto_scale(matrix) if scale == "auto" else float(scale)


def initial_matrix(vocab: Sequence[str], embeddings, mode: str, *, scale: float | str = "auto",
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The embedding layer's starting weights, padding row 0 included.

    Parameters
    ----------
    vocab : sequence of str
        Dataset vocabulary (row ``i + 1`` is ``vocab[i]``).
    embeddings : Embeddings
        Pretrained vectors (their dimension and scale are used in every mode).
    mode : {"random", "frozen", "finetuned"}
        ``random`` uses seeded random vectors for every word; the others copy the
        pretrained vector where the word has one.
    scale : float or "auto"
        Bound of the uniform random vectors; ``"auto"`` matches the pretrained variance.
    seed : int
        Seed of the random vectors.

    Returns
    -------
    matrix : ndarray, shape (len(vocab) + 1, dim)
    found : ndarray of bool, shape (len(vocab) + 1,)
        Rows that hold a pretrained vector (all False in random mode).
    """
    bound = init_bound(embeddings.matrix, scale)
    matrix = np.zeros((len(vocab) + 1, embeddings.dim), dtype=np.float32)
    matrix[1:] = random_vectors(vocab, embeddings.dim, bound, seed)
    found = np.zeros(len(vocab) + 1, dtype=bool)
    if mode != "random":
        idx, hit = embeddings.lookup(vocab)
        rows = np.flatnonzero(hit) + 1
        matrix[rows] = embeddings.matrix[idx[hit]]
        found[rows] = True
    return matrix, found
