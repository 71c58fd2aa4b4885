"""Binding of the compiled co-occurrence counter (``cooccur.c``).

The counter builds each row of the co-occurrence matrix in a dense accumulator
from the positions of the row's word, so its result is a CSR matrix with sorted
columns straight away. Rows are counted twice (first their number of nonzeros,
then their values, written in place), by ``workers`` threads taking blocks of rows
from a shared counter; ctypes releases the interpreter lock during the calls.
"""

from __future__ import annotations

import ctypes

import numpy as np

from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.threads import run_threads
from evalsuite.native import kernel_loader
from evalsuite.native.w2v import CFLAGS

_i64, _ptr = ctypes.c_int64, ctypes.c_void_p
#: the most tokens plus sentences one call may hold (positions are kept as uint32)
MAX_TOKENS = 2**31


def _declare(lib) -> None:
    lib.cooc_create.argtypes = [_i64, _i64, _i64, _i64, ctypes.c_int, _ptr]
    lib.cooc_create.restype = _ptr
    lib.cooc_add.argtypes = [_ptr, _ptr, _ptr, _i64]
    lib.cooc_add.restype = ctypes.c_int
    lib.cooc_index.argtypes = [_ptr]
    lib.cooc_index.restype = ctypes.c_int
    lib.cooc_rows.argtypes = [_ptr, _ptr, _i64, _ptr, _ptr, _ptr, _ptr, _ptr, ctypes.c_double, ctypes.c_int]
    lib.cooc_rows.restype = ctypes.c_int
    lib.cooc_free.argtypes = [_ptr]
    lib.cooc_free.restype = None


load_native = kernel_loader("cooccur", CFLAGS, _declare, "The compiled counter")


def _blocks(work: np.ndarray, workers: int) -> np.ndarray:
    """Row bounds of blocks with about equal numbers of occurrences (``work``), 16 per worker."""
    vocab_size = len(work)
    work = np.cumsum(work)
    n_blocks = max(1, min(vocab_size, 16 * workers))
    cuts = np.searchsorted(work, np.linspace(0, work[-1], n_blocks + 1)[1:-1], side="right")
    return np.unique(np.concatenate([[0], cuts, [vocab_size]])).astype(np.int64)


def _run(lib, handle, bounds: np.ndarray, workers: int, *args) -> None:
    """``cooc_rows`` on ``workers`` threads sharing one block counter; raises on a failed call."""
    nxt = np.zeros(1, dtype=np.int64)
    status = [0] * workers

    def work(w: int) -> None:
        status[w] = lib.cooc_rows(handle, bounds.ctypes.data, len(bounds) - 1, nxt.ctypes.data, *args)

    run_threads(work, workers)
    if -1 in status:
        raise MemoryError("co-occurrence counting: out of memory")
    if -2 in status:
        raise EvalsuiteError("co-occurrence counts overflow int64; use a smaller window or split the corpus")


def _add_chunks(lib, handle, chunks, vocab_size: int) -> np.ndarray:
    """Copy ``chunks`` into the counter (emptying the list); returns each word's occurrences."""
    work = np.zeros(vocab_size, dtype=np.int64)
    while chunks:
        ids, lengths = chunks.pop(0)
        ids = np.ascontiguousarray(ids, dtype=np.int32)
        offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        if offsets[-1] != len(ids) or lib.cooc_add(handle, ids.ctypes.data, offsets.ctypes.data, len(lengths)):
            raise ValueError(f"{len(ids)} tokens in sentences of {int(offsets[-1])}")
        work += np.bincount(ids, minlength=vocab_size)
    return work


_OUT = {np.dtype(np.int64): 0, np.dtype(np.float64): 1, np.dtype(np.float32): 2}


def count_rows(lib, chunks, vocab_size: int, window: int, symmetric: bool, weights: np.ndarray,
               workers: int = 1, scale: int = 1, dtype=np.int64):
    """Count the sentences of ``chunks``, a list of (flat int32 ids, sentence lengths) pairs.

    The list is emptied as the chunks are copied, so that they can be freed.

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    chunks : list of (ndarray of int32, ndarray of int)
        Token ids, all in ``[0, vocab_size)`` (not checked here), and sentence lengths.
    vocab_size, window, symmetric
        As for :func:`~evalsuite.train.glove.cooccurrence.count_cooccurrences`.
    weights : ndarray of int64
        The integer added for a pair ``d`` apart, ``d = 1..window``.
    workers : int
        Threads.
    scale : int
        float results are ``(double) sum / scale``.
    dtype : {int64, float64, float32}
        The values: the int64 sums, or float ones.

    Returns
    -------
    indptr, indices, data : ndarray
        CSR arrays (int64, int32, ``dtype``), columns ascending in each row.
    """
    tokens = sum(len(t) for t, _ in chunks)
    sentences = sum(len(n) for _, n in chunks)
    if tokens + sentences >= MAX_TOKENS:
        raise ValueError(f"{tokens} tokens in {sentences} sentences: more than {MAX_TOKENS} in one call")
    weights = np.ascontiguousarray(weights, dtype=np.int64)
    handle = lib.cooc_create(tokens, sentences, vocab_size, window, int(bool(symmetric)), weights.ctypes.data)
    if not handle:
        raise MemoryError("co-occurrence counting: out of memory")
    try:
        work = _add_chunks(lib, handle, chunks, vocab_size)
        if lib.cooc_index(handle):
            raise MemoryError("co-occurrence counting: out of memory")
        bounds = _blocks(work, workers)
        row_nnz = np.zeros(vocab_size, dtype=np.int64)
        _run(lib, handle, bounds, workers, row_nnz.ctypes.data, None, None, None, 1.0, 0)
        indptr = np.zeros(vocab_size + 1, dtype=np.int64)
        np.cumsum(row_nnz, out=indptr[1:])
        del row_nnz
        indices = np.empty(int(indptr[-1]), dtype=np.int32)
        data = np.empty(int(indptr[-1]), dtype=dtype)
        _run(lib, handle, bounds, workers, None, indptr.ctypes.data, indices.ctypes.data, data.ctypes.data,
             float(scale), _OUT[data.dtype])
    finally:
        lib.cooc_free(handle)
    return indptr, indices, data


__all__ = ["MAX_TOKENS", "count_rows", "load_native"]
