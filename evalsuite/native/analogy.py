"""Binding of the compiled analogy kernel (``analogy.c``): best and runner-up per question."""

from __future__ import annotations

import ctypes
import platform
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from evalsuite.native import kernel_loader

#: no reassociation and no fused multiply-add, so the scores equal numpy's bit for bit;
#: finite-math lets the max loops vectorise (the kernel never produces inf or NaN)
CFLAGS = ("-O3", "-march=native", "-fPIC", "-shared", "-fno-math-errno", "-fno-trapping-math",
          "-ffp-contract=off", "-ffinite-math-only", "-fno-signed-zeros")
if platform.machine().lower() in ("x86_64", "amd64"):
    # full-width vectors where the CPU has AVX-512 (compilers otherwise prefer 256 bits)
    CFLAGS += ("-mprefer-vector-width=512",)
_EXCLUDED = float(-np.finfo(np.float32).max)
_TILE_BYTES = 1 << 17

_i64, _f32, _i32, _ptr = ctypes.c_int64, ctypes.c_float, ctypes.c_int32, ctypes.c_void_p


def _declare(lib) -> None:
    lib.analogy_best.argtypes = [_ptr, _i64, _ptr, _ptr, _ptr, _i64, _ptr, _i64, _i32, _f32, _i64, _ptr, _ptr, _ptr, _ptr]
    lib.analogy_best.restype = None


load_analogy_kernel = kernel_loader("analogy", CFLAGS, _declare, "The compiled analogy kernel")


def best_candidates(lib, sims: np.ndarray, ia: np.ndarray, ib: np.ndarray, ic: np.ndarray, exclude: np.ndarray,
                    *, cosmul: bool, eps: float, pool: ThreadPoolExecutor | None = None,
                    parts: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Best candidate, its score and the runner-up's score for each question.

    Parameters
    ----------
    lib
        The library from :func:`load_analogy_kernel`.
    sims : ndarray of float32, shape (w, m)
        Per distinct question word, its similarity with every candidate (for
        3CosMul already mapped to ``(cos + 1) / 2``); finite.
    ia, ib, ic : ndarray of int64, shape (n,)
        Rows of ``sims`` holding each question's words a, b and c.
    exclude : ndarray of int64, shape (n, k)
        Candidates never returned per question (``-1`` pads).
    cosmul : bool
        Score with 3CosMul instead of 3CosAdd.
    eps : float
        3CosMul epsilon.
    pool : ThreadPoolExecutor, optional
        Runs the parts; without a pool the questions are scored in the calling thread.
    parts : int
        The questions are split into this many parts, scored in parallel by ``pool``.

    Returns
    -------
    best, top, second : ndarray
        ``best`` is -1 where every candidate is excluded; ``top`` and ``second``
        are ``-inf`` where there is no such candidate.
    """
    sims = np.ascontiguousarray(sims, dtype=np.float32)
    ia, ib, ic = (np.ascontiguousarray(v, dtype=np.int64) for v in (ia, ib, ic))
    exclude = np.ascontiguousarray(exclude, dtype=np.int64).reshape(len(ia), -1)
    n, m = len(ia), sims.shape[1]
    best = np.empty(n, np.int64)
    top = np.empty(n, np.float32)
    second = np.empty(n, np.float32)

    # a tile's slice of the rows these questions read should fit in a core's cache
    touched = len(np.unique(np.concatenate([ia, ib, ic]))) if n else 1
    tile = int(min(m, max(16, _TILE_BYTES // (4 * touched) // 16 * 16))) if m else 1

    def run(lo: int, hi: int) -> None:
        scores = np.empty(tile, np.float32)
        lib.analogy_best(sims.ctypes.data, m, ia[lo:].ctypes.data, ib[lo:].ctypes.data, ic[lo:].ctypes.data,
                         hi - lo, exclude[lo:].ctypes.data, exclude.shape[1], int(cosmul), eps, tile,
                         scores.ctypes.data, best[lo:].ctypes.data, top[lo:].ctypes.data, second[lo:].ctypes.data)

    parts = max(1, min(parts if pool is not None else 1, n))
    bounds = np.linspace(0, n, parts + 1).astype(int)
    if parts > 1:
        list(pool.map(run, bounds[:-1], bounds[1:]))
    elif n:
        run(0, n)
    top[top == _EXCLUDED] = -np.inf
    second[second == _EXCLUDED] = -np.inf
    return best, top, second


__all__ = ["best_candidates", "load_analogy_kernel"]
