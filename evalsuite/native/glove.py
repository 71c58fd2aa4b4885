"""Binding of the compiled per-nonzero GloVe kernel (``glove.c``).

ctypes releases the interpreter lock during the call, so Hogwild worker threads
run the kernel in parallel on shared parameters.
"""

from __future__ import annotations

import ctypes

import torch

from evalsuite.native import load_library
from evalsuite.native.w2v import CFLAGS

_i64, _f32, _ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_void_p


def _declare(lib) -> None:
    lib.glove_chunk.argtypes = [_ptr, _ptr, _ptr, _ptr, _i64, _ptr, _ptr, _ptr, _ptr, _i64, _i64, _f32, _f32]
    lib.glove_chunk.restype = ctypes.c_double


def load_native(required: bool = False):
    """The compiled GloVe kernel, or ``None`` when it cannot be built.

    Parameters
    ----------
    required : bool
        Raise :class:`~evalsuite.native.NativeKernelError` instead of returning ``None``.
    """
    return load_library("glove", CFLAGS, _declare, required=required)


def _pointer(t: torch.Tensor, dtype: torch.dtype, name: str) -> int:
    if t.dtype != dtype or not t.is_contiguous() or t.device.type != "cpu":
        raise TypeError(f"{name} must be a contiguous CPU {dtype} tensor, got {t.dtype} on {t.device}")
    return t.data_ptr()


def train_chunk(lib, state, rows: torch.Tensor, cols: torch.Tensor, log_x: torch.Tensor, weight: torch.Tensor,
                start: int, stop: int, lr: float, clip: float, check_ids: bool = True) -> float:
    """AdaGrad updates, one nonzero at a time, for the nonzeros ``start..stop-1``, in place.

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    state : GloVeState
        ``word``, ``context``, ``word_sq``, ``context_sq``: contiguous float32
        ``(V, d + 1)`` tensors (bias in the last column), updated in place.
    rows, cols : LongTensor (n,)
        Word and context id of each nonzero.
    log_x, weight : FloatTensor (n,)
        ``log X_ij`` and ``f(X_ij)`` of each nonzero.
    start, stop : int
        The slice of the nonzero arrays to train on.
    lr : float
        AdaGrad's initial learning rate.
    clip : float
        Each gradient component is clipped to ``[-clip, clip]`` before ``lr`` multiplies it.
    check_ids : bool
        Check that the slice's ids index rows of the matrices (the caller may
        skip it for ids it has checked once).

    Returns
    -------
    float
        ``sum f * diff**2 / 2`` over the slice, each term taken before its own update.
    """
    mats = [state.word, state.context, state.word_sq, state.context_sq]
    shape = mats[0].shape
    if any(m.shape != shape for m in mats):
        raise ValueError(f"parameter and accumulator shapes differ: {[tuple(m.shape) for m in mats]}")
    n = len(rows)
    if not (len(cols) == len(log_x) == len(weight) == n):
        raise ValueError("rows, cols, log_x and weight must have the same length")
    if not 0 <= start <= stop <= n:
        raise ValueError(f"slice {start}:{stop} outside the {n} nonzeros")
    if check_ids and stop > start:
        hi = max(int(rows[start:stop].max()), int(cols[start:stop].max()))
        lo = min(int(rows[start:stop].min()), int(cols[start:stop].min()))
        if lo < 0 or hi >= shape[0]:
            raise IndexError(f"word ids {lo}..{hi} outside the {shape[0]} rows")
    ptrs = [_pointer(m, torch.float32, name) for m, name in zip(mats, ("word", "context", "word_sq", "context_sq"))]
    ptrs += [_pointer(rows, torch.int64, "rows"), _pointer(cols, torch.int64, "cols"),
             _pointer(log_x, torch.float32, "log_x"), _pointer(weight, torch.float32, "weight")]
    return float(lib.glove_chunk(*ptrs[:4], shape[1] - 1, *ptrs[4:], start, stop, lr, clip))


__all__ = ["load_native", "train_chunk"]
