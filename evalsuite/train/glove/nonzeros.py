"""A co-occurrence matrix's nonzeros as torch-glove's training arrays, shuffled with a seed.

The arrays are the counted matrix's own where they can be: the columns are its
indices and ``log x`` overwrites its float32 values, so the nonzeros are never
copied and only the rows are new (16 bytes per nonzero for rows, columns and
``log x`` together, half of float64 values and int64 ids). They are shuffled in
place, Fisher-Yates, by the compiled helper (:func:`~evalsuite.native.glove.shuffle_nonzeros`),
or without it gathered through ``torch.randperm``.
"""

from __future__ import annotations

import math

import numpy as np
import scipy.sparse as sp
import torch

from evalsuite.core.threads import run_threads
from evalsuite.native.glove import shuffle_nonzeros

#: values converted at a time by each thread (small: the temporaries stay small)
_CHUNK = 1 << 16


def training_arrays(matrix: sp.csr_matrix, *, owned: bool, x_max: float, weighting_exponent: float,
                    generator: torch.Generator, lib, workers: int, weights: bool) -> list:
    """The nonzeros of ``matrix`` as training tensors, in the seeded shuffled order.

    Parameters
    ----------
    matrix : scipy.sparse.csr_matrix
        Positive values.
    owned : bool
        Whether its arrays may become the training arrays (they do when the values
        are contiguous float32); else they are left unchanged.
    x_max, weighting_exponent : float
        GloVe's weighting ``f(x) = min(1, (x / x_max) ** weighting_exponent)``.
    generator : torch.Generator
        Seeds the shuffle.
    lib
        The compiled GloVe library (:func:`~evalsuite.native.glove.load_native`), or ``None``.
    workers : int
        Threads for the conversion and the shuffle.
    weights : bool
        Also return ``f(x)`` (the native kernel computes it from ``log x`` itself).

    Returns
    -------
    list of torch.Tensor
        ``rows``, ``cols`` (int32), ``log x`` and ``f(x)`` (float32; ``None`` without ``weights``).
    """
    x, n = matrix.data, matrix.nnz
    in_place = owned and x.dtype == np.float32 and x.flags.c_contiguous and x.flags.writeable
    log_x = x if in_place else np.empty(n, dtype=np.float32)
    weight = np.empty(n, dtype=np.float32) if weights else None
    _convert(x, log_x, weight, x_max, weighting_exponent, max(1, min(workers, n // _CHUNK)))
    arrays = [np.repeat(np.arange(matrix.shape[0], dtype=np.int32), np.diff(matrix.indptr)),
              matrix.indices.astype(np.int32, copy=not owned), log_x] + ([weight] if weights else [])
    if lib is not None:
        shuffle_nonzeros(lib, arrays, int(torch.randint(0, 2**62, (1,), generator=generator)), workers)
    else:
        perm = torch.randperm(n, generator=generator).numpy()
        arrays = [a[perm] for a in arrays]
    return [torch.from_numpy(a) for a in arrays] + ([] if weights else [None])


def _convert(x: np.ndarray, log_x: np.ndarray, weight, x_max: float, weighting_exponent: float, threads: int) -> None:
    """``log_x = log x`` (computed in float64; ``log_x`` may be ``x`` itself) and ``weight = f(x)``."""
    log_x_max, n = math.log(x_max), len(x)

    def fill(w: int) -> None:  # numpy releases the interpreter lock: the threads' chunks run in parallel
        for lo in range(w * _CHUNK, n, threads * _CHUNK):
            chunk = np.log(x[lo:lo + _CHUNK].astype(np.float64))  # a copy, read before log_x overwrites x
            if weight is not None:  # (x / x_max) ** e = exp(e (log x - log x_max))
                weight[lo:lo + len(chunk)] = np.minimum(1.0, np.exp(weighting_exponent * (chunk - log_x_max)))
            log_x[lo:lo + len(chunk)] = chunk

    run_threads(fill, threads)


__all__ = ["training_arrays"]
