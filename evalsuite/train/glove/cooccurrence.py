"""Word-word co-occurrence counting for GloVe, streaming and exact.

Counts follow GloVe's ``cooccur.c``: a word at position ``i`` and one at
``i + d`` (``1 <= d <= window``, same sentence) add ``1/d`` (or 1 without
distance weighting) to ``X[left, right]``; a symmetric window also adds it to
``X[right, left]``.  Windows never cross a sentence boundary.

Exactness.  Floating-point sums depend on their order, so counts are kept as
integers: every weight ``1/d`` is stored as ``scale // d`` with
``scale = lcm(1, ..., window)`` (2520 for ``window=10``), summed in int64 and
divided by ``scale`` once at the end.  The result is therefore identical
whatever the buffer size, the chunking or the split of the corpus into shards
(:func:`merge_cooccurrences`).  Windows above 22 use ``scale = 2**31`` with
rounded weights (error < 2.4e-10 per pair), still order-independent.

Two counters give the same result bit for bit: the compiled one
(:mod:`evalsuite.native.cooccur`, one row at a time in a dense int64
accumulator, on ``workers`` threads), used when a C compiler is available, and a
numpy one (buffered triples reduced into a scipy sparse sum) otherwise.
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
import scipy.sparse as sp

from evalsuite.core.errors import ConfigError, EvalsuiteError
from evalsuite.core.progress import progress
from evalsuite.native import NativeKernelError
from evalsuite.native import cooccur as native_cooccur

_EXACT_SCALE_LIMIT = 2**32
_ROUNDED_SCALE = 2**31
_OVERFLOW_GUARD = 2**62
_CHUNK_TOKENS = 1 << 20
_NATIVE_MAX_TOKENS = 1 << 30


def cooccurrence_scale(window: int, distance_weighting: bool = True) -> int:
    """The integer every count is multiplied by while counting.

    Parameters
    ----------
    window : int
        Largest distance counted.
    distance_weighting : bool
        Whether a pair at distance ``d`` adds ``1/d`` (else 1).

    Returns
    -------
    int
        ``lcm(1..window)`` when it is below 2**32, else 2**31; 1 without weighting.
    """
    if not distance_weighting:
        return 1
    scale = math.lcm(*range(1, window + 1))
    return scale if scale < _EXACT_SCALE_LIMIT else _ROUNDED_SCALE


def _weights(window: int, distance_weighting: bool) -> np.ndarray:
    scale = cooccurrence_scale(window, distance_weighting)
    d = np.arange(1, window + 1)
    if not distance_weighting:
        return np.ones(window, dtype=np.int64)
    return np.rint(scale / d).astype(np.int64) if scale == _ROUNDED_SCALE else scale // d


class _Accumulator:
    """Int64 sparse sum of buffered (row, col, weight) triples, reduced when full."""

    def __init__(self, vocab_size: int, max_buffer: int):
        self.shape = (vocab_size, vocab_size)
        self.max_buffer = max_buffer
        self.total = sp.csr_matrix(self.shape, dtype=np.int64)
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []
        self.buffered = 0

    def add(self, rows: np.ndarray, cols: np.ndarray, weight: int) -> None:
        # split so that no single reduction holds more than max_buffer triples
        start = 0
        while start < len(rows):
            take = min(len(rows) - start, self.max_buffer - self.buffered)
            self.rows.append(rows[start:start + take])
            self.cols.append(cols[start:start + take])
            self.vals.append(np.full(take, weight, dtype=np.int64))
            self.buffered += take
            start += take
            if self.buffered >= self.max_buffer:
                self.reduce()

    def reduce(self) -> None:
        if not self.buffered:
            return
        rows = np.concatenate(self.rows)
        cols = np.concatenate(self.cols)
        vals = np.concatenate(self.vals)
        self.rows, self.cols, self.vals, self.buffered = [], [], [], 0
        # coo -> csr sums duplicates; integer addition makes the order irrelevant
        part = sp.csr_matrix((vals, (rows, cols)), shape=self.shape, dtype=np.int64)
        del rows, cols, vals
        self.total = self.total + part
        if self.total.nnz and self.total.data.max() > _OVERFLOW_GUARD:
            raise EvalsuiteError(
                "co-occurrence counts overflow int64; use a smaller window or split the corpus"
            )


def _validate_ids(ids: np.ndarray, vocab_size: int) -> np.ndarray:
    ids = np.asarray(ids)
    if ids.size and (ids.min() < 0 or ids.max() >= vocab_size):
        raise EvalsuiteError(
            f"token id out of range [0, {vocab_size}): found {int(ids.min())}..{int(ids.max())}"
        )
    return ids.astype(np.int32, copy=False)


def _count_chunk(acc: _Accumulator, tokens: np.ndarray, lengths: np.ndarray, weights: np.ndarray) -> None:
    """Add the pairs of a run of whole sentences (flat ``tokens``, sentence ``lengths``)."""
    n = len(tokens)
    if n < 2:
        return
    ends = np.cumsum(lengths)
    # room[i]: how many later tokens share the sentence of token i
    room = np.repeat(ends, lengths) - np.arange(1, n + 1)
    for d in range(1, len(weights) + 1):
        if d >= n:
            break
        ok = room[: n - d] >= d
        rows = tokens[: n - d][ok]
        if len(rows):
            acc.add(rows, tokens[d:][ok], int(weights[d - 1]))


def _chunks(sentences, vocab_size: int) -> Iterable[tuple[np.ndarray, np.ndarray]]:
    """Yield (flat tokens, sentence lengths) in runs of about ``_CHUNK_TOKENS`` tokens."""
    tokens = getattr(sentences, "tokens", None)
    offsets = getattr(sentences, "offsets", None)
    if tokens is not None and offsets is not None:  # an encoded corpus: flat ids + offsets
        offsets = np.asarray(offsets, dtype=np.int64)
        if len(offsets) == 0 or offsets[-1] != len(tokens):
            offsets = np.append(offsets, len(tokens))
        if offsets[0] != 0:
            offsets = np.insert(offsets, 0, 0)
        lengths = np.diff(offsets)
        start_sent = 0
        while start_sent < len(lengths):
            stop = int(np.searchsorted(offsets, offsets[start_sent] + _CHUNK_TOKENS, side="right")) - 1
            stop = max(stop, start_sent + 1)
            lo, hi = offsets[start_sent], offsets[stop]
            yield _validate_ids(np.asarray(tokens[lo:hi]), vocab_size), lengths[start_sent:stop]
            start_sent = stop
        return
    buf: list[np.ndarray] = []
    size = 0
    for sentence in sentences:
        ids = np.asarray(sentence)
        if ids.size == 0:
            continue
        buf.append(ids)
        size += ids.size
        if size >= _CHUNK_TOKENS:
            yield _validate_ids(np.concatenate(buf), vocab_size), np.array([len(b) for b in buf])
            buf, size = [], 0
    if buf:
        yield _validate_ids(np.concatenate(buf), vocab_size), np.array([len(b) for b in buf])


def count_cooccurrences(
    sentences,
    vocab_size: int,
    *,
    window: int = 10,
    symmetric: bool = True,
    distance_weighting: bool = True,
    max_buffer: int = 1 << 23,
    dtype=np.float64,
    workers: int = 1,
    native: bool | None = None,
) -> sp.csr_matrix:
    """Count weighted word-word co-occurrences.

    ``window``, ``max_buffer`` and ``workers`` are taken as torch-glove declares and
    validates them (ints >= 1); they are not checked again here.

    Parameters
    ----------
    sentences : iterable of array_like of int, or encoded corpus
        Token ids per sentence (in ``[0, vocab_size)``), or an object with flat
        ``tokens`` and sentence ``offsets`` arrays.  Streamed once.
    vocab_size : int
        Number of rows and columns of the result.
    window : int
        Largest distance between two counted words.
    symmetric : bool
        Count context on both sides (``X`` symmetric); otherwise ``X[i, j]``
        counts ``i`` occurring up to ``window`` tokens left of ``j``.
    distance_weighting : bool
        A pair ``d`` tokens apart adds ``1/d`` (as GloVe); otherwise 1.
    max_buffer : int
        Memory bound.  numpy counter: the most (row, col, weight) triples held
        before they are reduced into the running sum (about 16 bytes each, plus
        the reduction's temporaries); compiled counter: the most tokens counted
        at once (about 12 bytes each), later batches being added to the first.
        Does not change the result.
    dtype : numpy dtype
        float64 (default) or float32 for the returned values.
    workers : int
        Threads of the compiled counter.
    native : bool or None
        ``True``: the compiled counter (an error if it cannot be built);
        ``False``: the numpy one; ``None``: compiled when a C compiler is available.

    Returns
    -------
    scipy.sparse.csr_matrix
        ``vocab_size x vocab_size``, sorted indices, no explicit zeros.
    """
    _check_counting(vocab_size, dtype)
    lib = _counter_library(native)
    if lib is not None:
        counts = _count_native(lib, sentences, vocab_size, window, symmetric, distance_weighting,
                               int(max_buffer), int(workers), np.dtype(dtype))
        if counts.dtype != np.int64:  # one batch: divided by the scale already
            return counts
    else:
        counts = _count_scaled(sentences, vocab_size, window, symmetric, distance_weighting, int(max_buffer))
    return _to_float(counts, cooccurrence_scale(window, distance_weighting), dtype)


def check_dtype(dtype) -> None:
    """The counts' value type: float64 or float32 (a :class:`ConfigError` otherwise)."""
    if np.dtype(dtype) not in (np.float64, np.float32):
        raise ConfigError(f"dtype: must be float64 or float32, got {np.dtype(dtype)}")


def _check_counting(vocab_size, dtype) -> None:
    """The matrix's size and value type, checked before any counting (the counting options are
    the trainer's parameters, validated where it declares them)."""
    if vocab_size < 1:
        raise ConfigError(f"vocab_size: must be an int >= 1, got {vocab_size!r}")
    check_dtype(dtype)


def _counter_library(native: bool | None):
    """The compiled counter when ``native`` allows it (``True``: required), else ``None``."""
    if native is False:
        return None
    try:
        return native_cooccur.load_native(required=True)
    except NativeKernelError:
        if native:
            raise
    return None


def _count_native(lib, sentences, vocab_size, window, symmetric, distance_weighting, max_buffer, workers,
                  dtype) -> sp.csr_matrix:
    """The compiled counter on batches of about ``max_buffer`` tokens.

    A corpus that fits one batch comes back in ``dtype`` (``sum / scale``); otherwise
    the int64 sums of the batches are added and returned for :func:`_to_float`.
    """
    weights = _weights(window, distance_weighting)
    scale = cooccurrence_scale(window, distance_weighting)
    limit = min(max_buffer, _NATIVE_MAX_TOKENS)
    shape = (vocab_size, vocab_size)
    total, batch, size = None, [], 0

    def count(final: bool):
        out = dtype if final and total is None else np.int64
        arrays = native_cooccur.count_rows(lib, batch, vocab_size, window, symmetric, weights, workers, scale, out)
        return sp.csr_matrix(arrays[::-1], shape=shape)

    with progress("co-occurrences", None, unit="tokens") as advance:
        for tokens, lengths in _chunks(sentences, vocab_size):
            batch.append((tokens, lengths))
            size += len(tokens)
            advance(len(tokens))
            if size >= limit:
                part, size = count(final=False), 0
                total = part if total is None else total + part
        if batch or total is None:
            part = count(final=True)
            total = part if total is None else total + part
    if total.dtype == np.int64:
        total.sum_duplicates()  # sorts the indices as well
        if total.nnz and total.data.max() > _OVERFLOW_GUARD:
            raise EvalsuiteError("co-occurrence counts overflow int64; use a smaller window or split the corpus")
    return total


def _count_scaled(sentences, vocab_size, window, symmetric, distance_weighting, max_buffer) -> sp.csr_matrix:
    weights = _weights(window, distance_weighting)
    acc = _Accumulator(vocab_size, max_buffer)
    with progress("co-occurrences", None, unit="tokens") as advance:
        for tokens, lengths in _chunks(sentences, vocab_size):
            _count_chunk(acc, tokens, lengths, weights)
            advance(len(tokens))
    acc.reduce()
    total = acc.total
    if symmetric:
        total = (total + total.T).tocsr()
    total.sum_duplicates()
    total.sort_indices()
    return total


def _to_float(counts: sp.csr_matrix, scale: int, dtype) -> sp.csr_matrix:
    dtype = np.dtype(dtype)
    if dtype not in (np.float64, np.float32):
        raise ConfigError(f"dtype: must be float64 or float32, got {dtype}")
    data = (counts.data.astype(np.float64) / scale).astype(dtype)
    return sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)


def merge_cooccurrences(
    matrices: Iterable[sp.spmatrix], *, window: int = 10, distance_weighting: bool = True
) -> sp.csr_matrix:
    """Sum co-occurrence matrices counted on disjoint shards of a corpus.

    Each float64 shard is turned back into its exact integer counts (see the
    module notes), the integers are summed and divided once, so the result
    equals :func:`count_cooccurrences` on the whole corpus bit for bit.

    Parameters
    ----------
    matrices : iterable of scipy sparse matrices
        float64 shards, all counted with the same ``window`` and ``distance_weighting``.
    window, distance_weighting
        The settings the shards were counted with.

    Returns
    -------
    scipy.sparse.csr_matrix
        float64 sum.
    """
    scale = cooccurrence_scale(window, distance_weighting)
    total = None
    for k, m in enumerate(matrices):
        m = sp.csr_matrix(m)
        if m.dtype != np.float64:
            raise EvalsuiteError(f"shard {k}: co-occurrence shards must be float64 to merge exactly, got {m.dtype}")
        scaled = m.data * scale
        ints = np.rint(scaled)
        if ints.size and np.max(np.abs(scaled - ints)) > 1e-3:
            raise EvalsuiteError(
                f"shard {k}: values are not multiples of 1/{scale}; was it counted with "
                f"window={window}, distance_weighting={distance_weighting}?"
            )
        # own index arrays: the result is sorted in place below, and a shard's arrays may be
        # the caller's or read-only (fetched from an object store)
        part = sp.csr_matrix((ints.astype(np.int64), m.indices.copy(), m.indptr.copy()), shape=m.shape)
        if total is not None and part.shape != total.shape:
            raise EvalsuiteError(f"shard {k}: shape {part.shape} differs from {total.shape}")
        total = part if total is None else total + part
    if total is None:
        raise EvalsuiteError("merge_cooccurrences: no matrices given")
    total = total.tocsr()
    total.sum_duplicates()
    total.sort_indices()
    total.eliminate_zeros()
    return _to_float(total, scale, np.float64)
