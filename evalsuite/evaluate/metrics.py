"""Pure metric functions: cosine similarity, rank correlations, analogy solvers.

No I/O and no state; every function takes arrays and returns arrays or floats.
Correlations follow :mod:`scipy.stats` exactly (average ranks for ties) and accept
a leading batch axis so that bootstrap resamples are scored in one call.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

#: Levy & Goldberg (2014) epsilon for 3CosMul.
COSMUL_EPS = 1e-3


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 length (zero rows stay zero), computed in the input dtype."""
    matrix = np.asarray(matrix)
    norms = np.linalg.norm(matrix, axis=-1, keepdims=True)
    return matrix / np.where(norms > 0, norms, 1)


def pair_cosines(vectors: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Cosine similarity of ``vectors[left[i]]`` and ``vectors[right[i]]`` (float64).

    Parameters
    ----------
    vectors : ndarray, shape (n, d)
    left, right : ndarray of int, shape (k,)

    Returns
    -------
    ndarray of float64, shape (k,)
        Zero where either vector is zero.
    """
    u = unit_rows(np.asarray(vectors, dtype=np.float64)[np.asarray(left)])
    v = unit_rows(np.asarray(vectors, dtype=np.float64)[np.asarray(right)])
    return np.einsum("ij,ij->i", u, v)


def rankdata(x: np.ndarray) -> np.ndarray:
    """Average ranks (1-based) along the last axis, ties sharing their mean rank.

    Equivalent to ``scipy.stats.rankdata(x, method="average", axis=-1)``.
    """
    x = np.asarray(x, dtype=np.float64)
    shape = x.shape
    x2 = x.reshape(-1, shape[-1]) if x.ndim else x.reshape(1, 1)
    rows, n = x2.shape
    order = np.argsort(x2, axis=1, kind="mergesort")
    sorted_x = np.take_along_axis(x2, order, axis=1)
    # a new tie group starts where the sorted value changes (and at each row start)
    starts = np.ones((rows, n), dtype=bool)
    starts[:, 1:] = sorted_x[:, 1:] != sorted_x[:, :-1]
    flat_starts = starts.ravel()
    group = np.cumsum(flat_starts) - 1
    pos = np.tile(np.arange(1, n + 1, dtype=np.float64), rows)
    sums = np.bincount(group, weights=pos)
    counts = np.bincount(group)
    avg = (sums / counts)[group].reshape(rows, n)
    ranks = np.empty_like(avg)
    np.put_along_axis(ranks, order, avg, axis=1)
    return ranks.reshape(shape)


def pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray | float:
    """Pearson correlation along the last axis, as :func:`scipy.stats.pearsonr` computes it.

    Returns NaN where either input is constant. A 1-D input returns a float.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    xm = x - x.mean(axis=-1, keepdims=True)
    ym = y - y.mean(axis=-1, keepdims=True)
    nx = np.linalg.norm(xm, axis=-1, keepdims=True)
    ny = np.linalg.norm(ym, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.sum((xm / nx) * (ym / ny), axis=-1)
    bad = (nx[..., 0] == 0) | (ny[..., 0] == 0)
    r = np.where(bad, np.nan, np.clip(r, -1.0, 1.0))
    return float(r) if r.ndim == 0 else r


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray | float:
    """Spearman rank correlation along the last axis (ties get average ranks).

    Matches :func:`scipy.stats.spearmanr` for 1-D inputs; a 2-D input scores each
    row separately (used for bootstrap resamples).
    """
    return pearson(rankdata(x), rankdata(y))


# --- analogies -------------------------------------------------------------------

@dataclass(frozen=True)
class AnalogySolution:
    """Best candidate per question for one method.

    Attributes
    ----------
    best : ndarray of int64, shape (n,)
        Candidate row of the best answer (-1 when every candidate was excluded).
    score : ndarray of float32, shape (n,)
        Its score.
    margin : ndarray of float32, shape (n,)
        Score gap to the runner-up (``inf`` when there is none); small margins flag near ties.
    """

    best: np.ndarray
    score: np.ndarray
    margin: np.ndarray


_KERNEL_THREADS = 2  # threads scoring questions with the compiled kernel
_ORDER = ("3cosadd", "3cosmul")  # 3CosMul may rescale the 3CosAdd plane: last
_SUB_CHUNK = 16  # questions combined at a time; their two score buffers stay in cache


def default_chunk_size(n_candidates: int, *, budget_bytes: int = 256 * 2**20, planes: int = 3) -> int:
    """Questions per chunk so that ``planes`` float32 (chunk x candidates) arrays fit the budget."""
    return max(1, min(4096, budget_bytes // (4 * planes * max(1, n_candidates))))


def solve_analogies(
    vectors: np.ndarray,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    *,
    methods=("3cosadd", "3cosmul"),
    exclude: np.ndarray | None = None,
    chunk_size: int | None = None,
    eps: float = COSMUL_EPS,
    on_chunk=None,
    native: bool | None = None,
) -> dict[str, AnalogySolution]:
    """Answer ``a : b :: c : ?`` over the rows of ``vectors`` with 3CosAdd and/or 3CosMul.

    3CosAdd maximises ``cos(x, b) - cos(x, a) + cos(x, c)``; 3CosMul (Levy & Goldberg
    2014) maximises ``s(x, b) * s(x, c) / (s(x, a) + eps)`` with ``s = (cos + 1) / 2``.
    Questions are processed in chunks: one matrix product gives the cosines of the
    chunk's distinct question words with every candidate (or of all questions' words
    at once, when they fit), and each question adds three of those rows. Memory stays
    bounded by ``3 x chunk_size x len(vectors)`` floats.

    Parameters
    ----------
    vectors : ndarray, shape (m, d)
        Candidate vectors, unit-normalised rows (float32 recommended).
    a, b, c : ndarray of int, shape (n,)
        Rows of the question words.
    methods : iterable of {"3cosadd", "3cosmul"}
    exclude : ndarray of int, shape (n, k), optional
        Rows never returned for each question (``-1`` pads); defaults to ``a, b, c``.
    chunk_size : int, optional
        Questions per block (default from a 256 MiB budget).
    eps : float
        3CosMul epsilon.
    on_chunk : callable, optional
        Called with the number of questions finished after each chunk (progress).
    native : bool, optional
        Combine the three rows and find the best candidates with the compiled kernel
        (:mod:`evalsuite.native.analogy`; same scores, bit for bit, without writing a
        chunk x candidates matrix). Default: when it can be built and the vectors
        are finite; ``False`` always uses numpy.

    Returns
    -------
    dict of str to AnalogySolution
    """
    methods, vectors, a, b, c, exclude = _analogy_inputs(methods, vectors, a, b, c, exclude)
    n, chunk_size = len(a), chunk_size or default_chunk_size(len(vectors))
    out = {k: (np.full(n, -1, np.int64), np.full(n, -np.inf, np.float32), np.full(n, np.inf, np.float32))
           for k in methods}
    kernel = _analogy_kernel(vectors, native)
    threads = min(_KERNEL_THREADS, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(threads) if kernel is not None and threads > 1 else None
    try:
        _solve_blocks(vectors, a, b, c, methods, exclude, chunk_size, eps, on_chunk, kernel, pool, threads, out)
    finally:
        if pool is not None:
            pool.shutdown()
    return {k: AnalogySolution(*v) for k, v in out.items()}


def _analogy_inputs(methods, vectors, a, b, c, exclude):
    """:func:`solve_analogies`' arguments as arrays: methods checked, vectors float, rows and exclusions int64."""
    methods = tuple(methods)
    unknown = set(methods) - {"3cosadd", "3cosmul"}
    if unknown:
        raise ValueError(f"unknown analogy method(s): {sorted(unknown)}")
    vectors = np.asarray(vectors)
    if vectors.dtype not in (np.float32, np.float64):
        vectors = vectors.astype(np.float32)
    a, b, c = (np.asarray(v, dtype=np.int64) for v in (a, b, c))
    if exclude is None:
        exclude = np.stack([a, b, c], axis=1)
    exclude = np.asarray(exclude, dtype=np.int64)
    # no question (zero coverage): -1 cannot be inferred from an empty array
    exclude = exclude.reshape(len(a), -1 if exclude.size else 0)
    return methods, vectors, a, b, c, exclude


def _analogy_kernel(vectors: np.ndarray, native: bool | None):
    """The compiled analogy kernel when ``native`` asks for it or (``None``) the vectors suit it, else ``None``."""
    if native or (native is None and vectors.dtype == np.float32 and np.isfinite(vectors).all()):
        from evalsuite.native.analogy import load_analogy_kernel

        if vectors.dtype != np.float32:
            raise ValueError("the compiled analogy kernel takes float32 vectors")
        return load_analogy_kernel(required=bool(native))
    return None


def _solve_blocks(vectors, a, b, c, methods, exclude, chunk_size, eps, on_chunk, kernel, pool, threads, out):
    n, m = len(a), len(vectors)
    # One product gives the cosines of the distinct question words with every
    # candidate: once for all blocks when they fit the buffer, else per block (a few
    # hundred words at most in real datasets). Each question then combines three of
    # those rows, a few questions at a time in small reused buffers: writing
    # chunk x candidates arrays to memory costs more than the arithmetic.
    sims_buf = np.empty((3 * min(chunk_size, n), m), dtype=vectors.dtype)
    shared = _shared_planes(vectors, a, b, c, methods, sims_buf)
    if kernel is not None:
        from evalsuite.native.analogy import best_candidates
    else:  # the numpy path's scratch rows
        sub = min(_SUB_CHUNK, max(n, 1))
        scores_buf = np.empty((sub, m), dtype=vectors.dtype)
        other_buf = np.empty((sub, m), dtype=vectors.dtype)
    for start in range(0, n, chunk_size):
        k = min(n, start + chunk_size) - start
        block = slice(start, start + k)
        if shared is not None:
            planes, inv = shared
            ia, ib, ic = inv[0][block], inv[1][block], inv[2][block]
        else:
            uniq, inv = np.unique(np.concatenate([a[block], b[block], c[block]]), return_inverse=True)
            ia, ib, ic = inv[:k], inv[k:2 * k], inv[2 * k:]
            planes = None
        block_planes: dict = {}
        for method in _ORDER:
            if method not in methods:
                continue
            if planes is not None:
                sims = planes[method]
            else:  # 3CosMul rescales the 3CosAdd plane in place, after its use
                sims = block_planes[method] = _cosine_plane(vectors, uniq, sims_buf[: len(uniq)], method, block_planes)
            if kernel is not None:
                best, top, second = best_candidates(kernel, sims, ia, ib, ic, exclude[block],
                                                    cosmul=method == "3cosmul", eps=eps, pool=pool, parts=threads)
                _store(out[method], block, best, top, second)
                continue
            for lo in range(0, k, sub):
                hi = min(k, lo + sub)
                scores, other = scores_buf[: hi - lo], other_buf[: hi - lo]
                np.take(sims, ib[lo:hi], axis=0, out=scores, mode="clip")
                if method == "3cosadd":
                    scores -= np.take(sims, ia[lo:hi], axis=0, out=other, mode="clip")
                    scores += np.take(sims, ic[lo:hi], axis=0, out=other, mode="clip")
                else:
                    scores *= np.take(sims, ic[lo:hi], axis=0, out=other, mode="clip")
                    denom = np.take(sims, ia[lo:hi], axis=0, out=other, mode="clip")
                    denom += eps
                    scores /= denom
                _finish(scores, exclude[start + lo:start + hi], out[method], slice(start + lo, start + hi))
        if on_chunk is not None:
            on_chunk(k)


def _shared_planes(vectors, a, b, c, methods, sims_buf):
    """One product for every block when all distinct question words fit the buffer.

    A dataset has far fewer distinct words than question slots (the Google set: about
    900 for 58,632), so when a plane per method fits the block buffer, computing it
    once saves redoing most of it per block. Returns ``(planes, (ia, ib, ic))`` or None.
    """
    n = len(a)
    uniq, inv = np.unique(np.concatenate([a, b, c]), return_inverse=True)
    u = len(uniq)
    if u * len(methods) > len(sims_buf):
        return None
    planes: dict = {}
    for method in _ORDER:
        if method in methods:
            target = sims_buf[len(planes) * u:(len(planes) + 1) * u]
            planes[method] = _cosine_plane(vectors, uniq, target, method, planes)
    return planes, (inv[:n], inv[n:2 * n], inv[2 * n:])


def _cosine_plane(vectors, uniq, target, method, planes):
    """Cosines of ``uniq`` words with every candidate into ``target``; for 3CosMul mapped
    to ``(cos + 1) / 2``, reusing the 3CosAdd plane when there is one."""
    if "3cosadd" in planes and method == "3cosmul":
        if not np.may_share_memory(planes["3cosadd"], target):
            np.copyto(target, planes["3cosadd"])
    else:
        np.matmul(vectors[uniq], vectors.T, out=target)
    if method == "3cosmul":
        target += 1.0  # s = (cos + 1) / 2
        target *= 0.5
    return target


def _store(target, sl, best, top, second) -> None:
    target[0][sl] = best
    target[1][sl] = top
    with np.errstate(invalid="ignore"):
        target[2][sl] = np.where(np.isfinite(second), top - second, np.inf)


def _finish(scores, exclude, target, sl) -> None:
    """Mask excluded rows, then store argmax, its score and the margin to the runner-up."""
    rows = np.arange(len(scores))
    keep = exclude >= 0
    scores[np.broadcast_to(rows[:, None], exclude.shape)[keep], exclude[keep]] = -np.inf
    best = scores.argmax(axis=1)
    top = scores[rows, best]
    scores[rows, best] = -np.inf
    second = scores.max(axis=1) if scores.shape[1] > 1 else np.full(len(rows), -np.inf, scores.dtype)
    valid = np.isfinite(top)
    target[0][sl] = np.where(valid, best, -1)
    target[1][sl] = top
    with np.errstate(invalid="ignore"):
        target[2][sl] = np.where(np.isfinite(second), top - second, np.inf)
