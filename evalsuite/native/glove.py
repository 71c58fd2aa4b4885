"""Binding of the compiled per-nonzero GloVe kernel (``glove.c``).

ctypes releases the interpreter lock during the call, so Hogwild worker threads
run the kernel in parallel on shared parameters.
"""

from __future__ import annotations

import ctypes
import math
import threading

import torch

from evalsuite.native import kernel_loader
from evalsuite.native.w2v import CFLAGS

_i64, _f32, _ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_void_p


def _declare(lib) -> None:
    lib.glove_chunk.argtypes = [_ptr, _ptr, _ptr, _ptr, _i64, _ptr, _ptr, _i64, _ptr, _ptr, _i64, _i64, _i64,
                                _f32, _f32, _f32, _f32]
    lib.glove_chunk.restype = ctypes.c_double
    lib.glove_shuffle.argtypes = [_ptr, _i64, _i64, ctypes.c_uint64]
    lib.glove_shuffle.restype = None


load_native = kernel_loader("glove", CFLAGS, _declare, "The compiled GloVe kernel")


def _pointer(t: torch.Tensor, dtype: torch.dtype, name: str) -> int:
    if t.dtype != dtype or not t.is_contiguous() or t.device.type != "cpu":
        raise TypeError(f"{name} must be a contiguous CPU {dtype} tensor, got {t.dtype} on {t.device}")
    return t.data_ptr()


def shuffle_nonzeros(lib, arrays, seed: int, workers: int = 1) -> None:
    """Shuffle the nonzeros in place (Fisher-Yates), the same permutation for every array.

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    arrays : sequence of ndarray
        Contiguous, writeable, one 4-byte value per nonzero each (int32 ids, float32
        ``log x`` ...), all of the same length.
    seed : int
        The order depends only on the number of nonzeros and ``seed`` (below 2**64).
    workers : int
        Threads, each shuffling some of the arrays (alike).
    """
    n = len(arrays[0])
    for k, a in enumerate(arrays):
        if a.itemsize != 4 or a.ndim != 1 or len(a) != n or not a.flags.c_contiguous or not a.flags.writeable:
            raise TypeError(f"array {k}: shuffle_nonzeros takes writeable contiguous 1-d arrays of 4-byte values, "
                            f"all of length {n}; got {a.dtype} of shape {a.shape}")
    groups = [arrays[w::workers] for w in range(min(workers, len(arrays)))]
    pointers = [(ctypes.c_void_p * len(g))(*(a.ctypes.data for a in g)) for g in groups]
    threads = [threading.Thread(target=lib.glove_shuffle, args=(p, len(p), n, seed)) for p in pointers[1:]]
    for t in threads:
        t.start()
    lib.glove_shuffle(pointers[0], len(pointers[0]), n, seed)
    for t in threads:
        t.join()


def _ids(rows: torch.Tensor, cols: torch.Tensor) -> int:
    """Bytes per id of the contiguous CPU id tensors ``rows`` and ``cols`` (both int64 or both int32)."""
    if rows.dtype != cols.dtype or rows.dtype not in (torch.int64, torch.int32):
        raise TypeError(f"rows and cols must both be int64 or both int32 tensors, got {rows.dtype} and {cols.dtype}")
    for t, name in ((rows, "rows"), (cols, "cols")):
        if not t.is_contiguous() or t.device.type != "cpu":
            raise TypeError(f"{name} must be a contiguous CPU tensor")
    return rows.element_size()


def _values(log_x: torch.Tensor, weight: torch.Tensor) -> int:
    """The common element stride of the float32 CPU tensors ``log_x`` and ``weight``."""
    for t, name in ((log_x, "log_x"), (weight, "weight")):
        if t.dtype != torch.float32 or t.dim() != 1 or t.device.type != "cpu":
            raise TypeError(f"{name} must be a 1-d CPU float32 tensor, got {t.dtype} of {t.dim()} dims on {t.device}")
    if log_x.stride(0) != weight.stride(0) or log_x.stride(0) < 1:
        raise TypeError(f"log_x and weight must have the same positive stride, got {log_x.stride(0)} and "
                        f"{weight.stride(0)}")
    return log_x.stride(0)


def train_chunk(lib, state, rows: torch.Tensor, cols: torch.Tensor, log_x: torch.Tensor,
                weight: torch.Tensor | None, start: int, stop: int, lr: float, clip: float, check_ids: bool = True,
                x_max: float | None = None, weighting_exponent: float | None = None) -> float:
    """AdaGrad updates, one nonzero at a time, for the nonzeros ``start..stop-1``, in place.

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    state : GloVeState
        ``word``, ``context``, ``word_sq``, ``context_sq``: contiguous float32
        ``(V, d + 1)`` tensors (bias in the last column), updated in place.
    rows, cols : LongTensor or IntTensor (n,)
        Word and context id of each nonzero (both of one type, contiguous).
    log_x, weight : FloatTensor (n,)
        ``log X_ij`` and ``f(X_ij)`` of each nonzero (one stride for both, e.g. the
        two columns of an ``(n, 2)`` tensor). ``weight`` may be ``None``: then
        ``f = min(1, (X_ij / x_max) ** weighting_exponent)`` is computed from ``log_x`` in float32.
    start, stop : int
        The slice of the nonzero arrays to train on.
    lr : float
        AdaGrad's initial learning rate.
    clip : float
        Each gradient component is clipped to ``[-clip, clip]`` before ``lr`` multiplies it.
    check_ids : bool
        Check that the slice's ids index rows of the matrices (the caller may
        skip it for ids it has checked once).
    x_max, weighting_exponent : float, optional
        GloVe's weighting, needed without ``weight``.

    Returns
    -------
    float
        ``sum f * diff**2 / 2`` over the slice, each term taken before its own update.
    """
    mats = [state.word, state.context, state.word_sq, state.context_sq]
    shape = mats[0].shape
    if any(m.shape != shape for m in mats):
        raise ValueError(f"parameter and accumulator shapes differ: {[tuple(m.shape) for m in mats]}")
    if weight is None and (x_max is None or weighting_exponent is None):
        raise ValueError("without weight, x_max and weighting_exponent are needed")
    index_bytes, stride = _ids(rows, cols), _values(log_x, log_x if weight is None else weight)
    n = len(rows)
    if not (len(cols) == len(log_x) == n and (weight is None or len(weight) == n)):
        raise ValueError("rows, cols, log_x and weight must have the same length")
    if not 0 <= start <= stop <= n:
        raise ValueError(f"slice {start}:{stop} outside the {n} nonzeros")
    if check_ids and stop > start:
        hi = max(int(rows[start:stop].max()), int(cols[start:stop].max()))
        lo = min(int(rows[start:stop].min()), int(cols[start:stop].min()))
        if lo < 0 or hi >= shape[0]:
            raise IndexError(f"word ids {lo}..{hi} outside the {shape[0]} rows")
    ptrs = [_pointer(m, torch.float32, name) for m, name in zip(mats, ("word", "context", "word_sq", "context_sq"))]
    return float(lib.glove_chunk(*ptrs, shape[1] - 1, rows.data_ptr(), cols.data_ptr(), index_bytes,
                                 log_x.data_ptr(), None if weight is None else weight.data_ptr(), stride, start,
                                 stop, lr, clip, weighting_exponent or 0.0, math.log(x_max) if weight is None else 0.0))


__all__ = ["load_native", "shuffle_nonzeros", "train_chunk"]
