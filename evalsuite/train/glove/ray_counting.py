"""Co-occurrence counting sharded over Ray, for corpora that outgrow one process.

The corpus is cut at sentence boundaries into shards of about equal token
counts; each shard's flat token ids and sentence offsets go into Ray's object
store and are counted by :func:`~evalsuite.train.glove.cooccurrence.count_cooccurrences`
in its own task; :func:`~evalsuite.train.glove.cooccurrence.merge_cooccurrences`
sums the shards in exact integer arithmetic. Windows never cross a sentence
boundary, so no pair spans two shards and the sum equals the single-process
count bit for bit (same values, indices and indptr).
"""

from __future__ import annotations

import inspect

from types import SimpleNamespace

import numpy as np
import scipy.sparse as sp

from evalsuite.core.cluster import connect
from evalsuite.train.glove.cooccurrence import count_cooccurrences, merge_cooccurrences
from evalsuite.train.params import Integral, Interval, validate_value

_AT_LEAST_ONE = [Interval(Integral, 1, None, closed="left")]


def flatten_sentences(sentences) -> tuple[np.ndarray, np.ndarray]:
    """Flat token ids and sentence offsets (``len(offsets) == n_sentences + 1``).

    Parameters
    ----------
    sentences : iterable of array_like of int, or encoded corpus
        Token ids per sentence, or an object with flat ``tokens`` and sentence
        ``offsets`` arrays (such as :class:`~evalsuite.data.corpus.encoded.EncodedCorpus`).

    Returns
    -------
    (numpy.ndarray, numpy.ndarray)
        int32 tokens and int64 offsets starting at 0 and ending at ``len(tokens)``.
    """
    tokens = getattr(sentences, "tokens", None)
    offsets = getattr(sentences, "offsets", None)
    if tokens is not None and offsets is not None:
        tokens = np.asarray(tokens)
        offsets = np.asarray(offsets, dtype=np.int64)
        if len(offsets) == 0 or offsets[-1] != len(tokens):
            offsets = np.append(offsets, len(tokens))
        if offsets[0] != 0:
            offsets = np.insert(offsets, 0, 0)
        return tokens, offsets
    parts = [np.asarray(s).ravel() for s in sentences]
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    tokens = np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, dtype=np.int64)
    return tokens, offsets


def shard_bounds(offsets: np.ndarray, shards: int) -> list[tuple[int, int]]:
    """Sentence ranges ``[(first, stop), ...]`` of at most ``shards`` non-empty shards.

    Cuts fall on sentence boundaries, as close as they can to equal token counts.
    """
    n_sentences = len(offsets) - 1
    if n_sentences <= 0:
        return []
    total = int(offsets[-1])
    cuts = [0]
    for k in range(1, shards):
        cut = int(np.searchsorted(offsets, total * k / shards, side="left"))
        cuts.append(min(max(cut, cuts[-1]), n_sentences))
    cuts.append(n_sentences)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def _count_shard(tokens, offsets, vocab_size, window, symmetric, distance_weighting, max_buffer):
    """Ray task body: float64 counts of one shard."""
    shard = SimpleNamespace(tokens=tokens, offsets=offsets)
    return count_cooccurrences(shard, vocab_size, window=window, symmetric=symmetric,
                               distance_weighting=distance_weighting, max_buffer=max_buffer, dtype=np.float64)


def _submit(ray, task, tokens, offsets, first: int, stop: int, *args):
    """Start counting the sentences ``first..stop-1`` (their tokens and offsets put in Ray's store)."""
    lo, hi = int(offsets[first]), int(offsets[stop])
    shard_tokens = ray.put(np.ascontiguousarray(tokens[lo:hi]))
    shard_offsets = ray.put(np.asarray(offsets[first:stop + 1] - lo, dtype=np.int64))
    return task.remote(shard_tokens, shard_offsets, *args)


def _count_shards(ray, tokens, offsets, bounds, address, num_cpus: int, vocab_size: int, window: int,
                  symmetric: bool, distance_weighting: bool, max_buffer: int) -> sp.csr_matrix:
    """One Ray task per shard of ``bounds``, their float64 counts summed exactly."""
    started = connect(address)
    try:
        task = ray.remote(_count_shard).options(num_cpus=num_cpus)
        refs = [_submit(ray, task, tokens, offsets, first, stop, vocab_size, window, symmetric,
                        distance_weighting, max_buffer) for first, stop in bounds]
        return merge_cooccurrences((ray.get(r) for r in refs), window=window,
                                   distance_weighting=distance_weighting)
    finally:
        if started:
            ray.shutdown()


_COUNTING = ("window", "symmetric", "distance_weighting", "max_buffer", "dtype")


def _counting_options(given: dict) -> dict:
    """The counting keywords with count_cooccurrences' defaults filled in; an unknown one is an error."""
    unknown = sorted(set(given) - set(_COUNTING))
    if unknown:
        raise TypeError(f"count_cooccurrences_ray() got unexpected keyword argument(s): {', '.join(unknown)}")
    signature = inspect.signature(count_cooccurrences).parameters
    return {k: given.get(k, signature[k].default) for k in _COUNTING}


def count_cooccurrences_ray(sentences, vocab_size: int, *, shards: int, address: str | None = None,
                            num_cpus_per_shard: int = 1, **counting) -> sp.csr_matrix:
    """Count co-occurrences in ``shards`` parallel Ray tasks and sum them exactly.

    Parameters
    ----------
    sentences : iterable of array_like of int, or encoded corpus
        As for :func:`~evalsuite.train.glove.cooccurrence.count_cooccurrences`.
    vocab_size : int
        Rows and columns of the result.
    shards : int
        Number of pieces the corpus is cut into (fewer when it has fewer sentences).
    address : str, optional
        Ray cluster to connect to when Ray is not initialised yet; None starts a
        local instance. A Ray this call started is shut down before it returns.
    num_cpus_per_shard : int
        CPUs each counting task declares.
    **counting
        ``window``, ``symmetric``, ``distance_weighting``, ``max_buffer`` (it bounds the memory
        of each task) and ``dtype`` (float64 or float32 for the returned values), with the
        defaults of :func:`~evalsuite.train.glove.cooccurrence.count_cooccurrences`.

    Returns
    -------
    scipy.sparse.csr_matrix
        Equal to ``count_cooccurrences(sentences, vocab_size, ...)``: same
        values, indices and indptr.
    """
    import ray

    for name, value in (("shards", shards), ("num_cpus_per_shard", num_cpus_per_shard)):
        validate_value(name, value, _AT_LEAST_ONE)
    options = _counting_options(counting)
    window, symmetric, distance_weighting, max_buffer, dtype = (
        options[k] for k in ("window", "symmetric", "distance_weighting", "max_buffer", "dtype"))
    # the matrix's size and value type here rather than in every task
    count_cooccurrences([], vocab_size, dtype=dtype)
    tokens, offsets = flatten_sentences(sentences)
    bounds = shard_bounds(offsets, int(shards))
    if not bounds:
        return count_cooccurrences([], vocab_size, window=window, symmetric=symmetric,
                                   distance_weighting=distance_weighting, dtype=dtype)
    total = _count_shards(ray, tokens, offsets, bounds, address, int(num_cpus_per_shard), int(vocab_size), window,
                          symmetric, distance_weighting, max_buffer)
    if np.dtype(dtype) == np.float32:
        total = sp.csr_matrix((total.data.astype(np.float32), total.indices, total.indptr), shape=total.shape)
    return total
