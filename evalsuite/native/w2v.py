"""Binding of the compiled per-example Word2Vec kernel (``w2v.c``).

ctypes releases the interpreter lock during the call, so Hogwild worker threads
run the kernel in parallel on shared weights.
"""

from __future__ import annotations

import ctypes

import numpy as np
import torch

from evalsuite.native import kernel_loader

#: -fassociative-math and friends let the compiler vectorise the dot products; the
#: summation order is fixed in the binary, so results stay reproducible
CFLAGS = ("-O3", "-march=native", "-fPIC", "-shared", "-fno-math-errno", "-fno-trapping-math",
          "-fassociative-math", "-fno-signed-zeros")

#: most noise words per example the compiled kernel takes (its per-example buffers)
MAX_NEGATIVE = 64
_i64, _f32, _u64, _i32 = ctypes.c_int64, ctypes.c_float, ctypes.c_uint64, ctypes.c_int32
_ptr = ctypes.c_void_p
_COMMON = [_ptr, _ptr, _i64, _ptr, _ptr, _i64, _i64, _i64, _ptr, _ptr, _ptr, _i64, _i64, _f32]


def _declare(lib) -> None:
    lib.sgns_chunk.argtypes = [*_COMMON, _u64, ctypes.POINTER(_i64)]
    lib.cbow_chunk.argtypes = [*_COMMON, _i32, _u64, ctypes.POINTER(_i64)]
    for fn in (lib.sgns_chunk, lib.cbow_chunk):
        fn.restype = ctypes.c_double


load_native = kernel_loader("w2v", CFLAGS, _declare, "The compiled Word2Vec kernel")


def _check(array: np.ndarray, dtype) -> int:
    if array.dtype != dtype or not array.flags.c_contiguous:
        raise TypeError(f"expected a contiguous {np.dtype(dtype)} array, got {array.dtype}")
    return array.ctypes.data


def train_chunk(lib, arch: str, W: torch.Tensor, C: torch.Tensor, tokens: np.ndarray, sent: np.ndarray,
                start: int, stop: int, eff: np.ndarray, noise: tuple[np.ndarray, np.ndarray], negative: int,
                lr: float, seed: int, mean: bool = True) -> tuple[float, int]:
    """Train the centres ``start..stop-1`` of ``tokens`` in place; returns (summed loss, examples).

    Parameters
    ----------
    lib
        The library from :func:`load_native`.
    arch : {"sgns", "cbow"}
    W, C : Tensor (V, d)
        Contiguous float32 input and output weights, updated in place.
    tokens, sent : ndarray of int32
        Token ids and sentence ids of the subsampled stream.
    eff : ndarray of int32
        Effective half-window of each centre in ``start..stop-1``.
    noise : (ndarray of float32, ndarray of int32)
        Alias tables of the noise distribution (:attr:`NoiseSampler.alias`).
    negative : int
        Noise words per example (at most 64).
    seed : int
        Seed of the chunk's noise-word generator.
    mean : bool
        CBOW only: average the context vectors instead of summing them.
    """
    for m in (W, C):
        if m.dtype != torch.float32 or not m.is_contiguous():
            raise TypeError("weights must be contiguous float32 tensors")
    if len(eff) != stop - start:
        raise ValueError(f"{len(eff)} window sizes for {stop - start} centres")
    keep, alias = noise
    if len(keep) != W.shape[0] or len(alias) != W.shape[0]:
        raise ValueError(f"noise tables cover {len(keep)} words, the weights {W.shape[0]}")
    if not 1 <= negative <= MAX_NEGATIVE:
        raise ValueError(f"negative={negative}: the compiled kernel takes 1 to {MAX_NEGATIVE} noise words")
    n_examples = _i64(0)
    args = [W.data_ptr(), C.data_ptr(), W.shape[1], _check(tokens, np.int32), _check(sent, np.int32),
            len(tokens), start, stop, _check(eff, np.int32), _check(keep, np.float32), _check(alias, np.int32),
            len(keep), negative, lr]
    seed_arg = int(seed) & 0xFFFFFFFFFFFFFFFF
    if arch == "sgns":
        loss = lib.sgns_chunk(*args, seed_arg, ctypes.byref(n_examples))
    elif arch == "cbow":
        loss = lib.cbow_chunk(*args, int(bool(mean)), seed_arg, ctypes.byref(n_examples))
    else:
        raise ValueError(f"unknown architecture {arch!r}")
    if n_examples.value < 0:
        raise MemoryError("w2v kernel: could not allocate a scratch vector")
    return float(loss), int(n_examples.value)


__all__ = ["load_native", "train_chunk"]
