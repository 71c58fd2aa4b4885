"""gensim's ``evaluate_word_analogies`` reproduced exactly, on top of the batched solver.

The batched solver scores ``cos(x, b) - cos(x, a) + cos(x, c)`` from three float32
cosines; gensim scores ``x . mean / |x|`` with one float32 matrix-vector product per
question. Both rank candidates the same way up to rounding, so only questions whose
best two candidates are closer than the rounding can differ. Those are settled here:

1. the exact score of every candidate that could still win is computed in float64
   (with gensim's own float32 query vector); when the exact best leads by more than
   twice the bound on gensim's rounding, gensim's arithmetic picks it too;
2. the rest are redone with gensim's own arithmetic, step for step.
"""

from __future__ import annotations

import numpy as np

from evalsuite.evaluate.similarity import _unitvec

_EPS32 = float(np.finfo(np.float32).eps)
_U32 = _EPS32 / 2  # float32 unit roundoff
_SETTLE_BLOCK = 128  # near-tie questions scored per product, at most
_SETTLE_BYTES = 32 * 2**20  # and their (questions x candidates) float32 scores stay under this


def gensim_exclusions(index, cand, pos, ra, rb, rc) -> np.ndarray:
    """Question words and every case variant of them (gensim skips variants by name).

    Returns an (n, k) array of candidate positions, ``-1`` pads.
    """
    fold, vocab = index.protocol.folder, index.embeddings.vocab
    variants: dict[int, list[int]] = {}
    keys = index.keys
    for r in cand.tolist():
        canon = keys[fold(vocab[r])]
        if canon != r:
            variants.setdefault(canon, []).append(int(pos[r]))
    base = np.stack([pos[ra], pos[rb], pos[rc]], axis=1).astype(np.int64)
    if not variants:
        return base
    extra = [[v for r in dict.fromkeys((x, y, z)) for v in variants.get(r, ())]
             for x, y, z in zip(ra.tolist(), rb.tolist(), rc.tolist())]
    out = np.full((len(base), 3 + max((len(e) for e in extra), default=0)), -1, dtype=np.int64)
    out[:, :3] = base
    for i, e in enumerate(extra):
        out[i, 3:3 + len(e)] = e
    return out


def _doubtful(vectors, exclude, qa, qb, qc, sol) -> tuple[np.ndarray, np.ndarray]:
    """Questions whose batched answer may differ from gensim's: ``near`` (a near tie, to settle
    with exact scores) and ``redo`` (to redo with gensim's arithmetic), disjoint."""
    d = vectors.shape[1]
    q = vectors[qb].astype(np.float64) - vectors[qa] + vectors[qc]
    qnorm = np.linalg.norm(q, axis=1)
    # float32 error bound on a score: three unit dot products here, one dot product
    # with a query of norm qnorm there; a margin can be off by twice that
    tol = 2.0 * (d + 2) * _EPS32 * (3.0 + np.maximum(qnorm, 1.0))
    near = sol.margin <= tol
    # gensim only looks at its top five answers: five case variants of the question
    # words above the best other word change its answer
    redo = sol.best < 0
    extra = exclude[:, 3:]
    if extra.shape[1]:
        rows_i, cols_i = np.nonzero(extra >= 0)
        vs = np.einsum("ij,ij->i", vectors[extra[rows_i, cols_i]].astype(np.float64), q[rows_i])
        above = np.zeros(len(qa), dtype=np.int64)
        np.add.at(above, rows_i, vs >= sol.score[rows_i] - tol[rows_i])
        redo |= above >= 5
    near &= ~redo
    return near, redo


def gensim_fixups(embeddings, index, vectors, cand, exclude, qa, qb, qc, ra, rb, rc, sol, prow):
    """Answers of the batched 3CosAdd solution, corrected to gensim's wherever they could differ.

    Parameters
    ----------
    embeddings, index
        The embeddings and their :class:`~evalsuite.evaluate.base.WordIndex`.
    vectors : ndarray of float32, shape (m, d)
        Unit rows of the candidates; ``cand`` holds their embedding rows.
    exclude : ndarray of int64, shape (n, k)
        From :func:`gensim_exclusions`.
    qa, qb, qc, ra, rb, rc : ndarray of int64
        Candidate positions and embedding rows of the question words.
    sol : AnalogySolution
        The batched solution (best, score, margin).
    prow : ndarray of int64
        Its answers as embedding rows.

    Returns
    -------
    prow : ndarray of int64
        Corrected answers.
    counts : dict
        ``near_ties`` (questions checked), ``settled`` (decided by exact scores) and
        ``redone`` (redone with gensim's arithmetic).
    """
    near, redo = _doubtful(vectors, exclude, qa, qb, qc, sol)
    ties = np.nonzero(near)[0]
    if not len(ties) and not redo.any():
        return prow, {"near_ties": 0, "settled": 0, "redone": 0}
    prow = prow.copy()
    matrix = embeddings.matrix
    limit = len(index.rows)
    norms = np.linalg.norm(matrix, axis=1)  # gensim's, over the whole matrix
    settled, known = 0, {}
    if len(ties):
        means = np.stack([gensim_query(matrix, norms, int(ra[i]), int(rb[i]), int(rc[i])) for i in ties])
        answers = settle_near_ties(vectors, matrix, norms, cand, means, exclude[ties])
        ok = answers >= 0
        prow[ties[ok]] = answers[ok]
        settled = int(ok.sum())
        redo[ties[~ok]] = True
        known = dict(zip(ties[~ok].tolist(), means[~ok]))
    todo = np.nonzero(redo)[0]
    for i in todo:
        prow[i] = gensim_answer(matrix, norms, limit, index, int(ra[i]), int(rb[i]), int(rc[i]), known.get(i))
    return prow, {"near_ties": int(len(ties)), "settled": settled, "redone": int(len(todo))}


def settle_near_ties(vectors, matrix, norms, cand, means, exclude) -> np.ndarray:
    """gensim's answer (an embedding row) where exact scores decide it, else -1.

    gensim's score of candidate ``x`` is ``fl(fl(x . mean) / n)`` in float32, with
    ``n`` its float32 norm. For any order of summation it lies within
    ``gamma_d sum_i |x_i mean_i| / n + u |v|`` of the exact ``v = x . mean / n``
    (``u`` the unit roundoff, ``gamma_d = d u / (1 - d u)``). A candidate whose exact
    score, less its bound, beats every other's exact score plus its bound wins in
    gensim's arithmetic too.

    Parameters
    ----------
    vectors : ndarray of float32, shape (m, d)
        Unit rows of the candidates.
    matrix, norms
        The raw embedding matrix and gensim's float32 row norms.
    cand : ndarray of int64, shape (m,)
        Embedding row of each candidate.
    means : ndarray of float32, shape (k, d)
        gensim's query vector per question (:func:`gensim_query`).
    exclude : ndarray of int64, shape (k, e)
        Candidate positions never returned (``-1`` pads).
    """
    k, d = means.shape
    m = len(vectors)
    gamma = d * _U32 / (1 - d * _U32)
    # a float32 score of gensim's, or of the product below (whose unit rows also
    # differ from x / n by the rounding of one division), is this close to exact
    gensim_err = 1.001 * (gamma + _U32)
    approx_err = 1.001 * (gamma + 2 * _U32)
    answers = np.full(k, -1, dtype=np.int64)
    vt = vectors.T
    step = max(1, min(_SETTLE_BLOCK, _SETTLE_BYTES // (4 * max(m, 1))))
    for lo in range(0, k, step):
        hi = min(k, lo + step)
        approx = means[lo:hi] @ vt
        ex = exclude[lo:hi]
        r, c = np.nonzero(ex >= 0)
        approx[r, ex[r, c]] = -np.inf
        top = approx.max(axis=1).astype(np.float64)
        # every candidate that could outscore the exact best in gensim's arithmetic
        # (the threshold in float64: rounding it to float32 would eat the bounds' slack)
        flat = np.flatnonzero(approx >= (top - 2 * approx_err - 2 * gensim_err)[:, None])
        qi, ci = np.divmod(flat, m)
        rows = cand[ci]
        x = matrix[rows].astype(np.float64)
        q = means[lo + qi].astype(np.float64)
        exact = np.einsum("ij,ij->i", x, q) / norms[rows]
        # gensim's rounding bound per candidate (1e-12 covers this float64 arithmetic)
        err = 1.001 * (gamma * np.einsum("ij,ij->i", np.abs(x), np.abs(q)) / norms[rows]
                       + _U32 * np.abs(exact)) + 1e-12
        for j, (a, b) in enumerate(_runs(qi, hi - lo)):
            if a == b or not np.isfinite(top[j]):
                continue
            first = a + int(np.argmax(exact[a:b]))
            others = np.delete(exact[a:b] + err[a:b], first - a)
            if not len(others) or exact[first] - err[first] > others.max():
                answers[lo + j] = rows[first]
    return answers


def _runs(sorted_ids: np.ndarray, n: int):
    """(start, stop) of each id 0..n-1 in an ascending id array."""
    bounds = np.searchsorted(sorted_ids, np.arange(n + 1))
    return zip(bounds[:-1].tolist(), bounds[1:].tolist())


def gensim_query(matrix, norms, ia: int, ib: int, ic: int) -> np.ndarray:
    """gensim 4's float32 query vector for ``a : b :: c : ?`` (``most_similar``), step for step."""
    keys = [ib, ic, ia]  # positive=[b, c], negative=[a]
    weight = np.concatenate((np.ones(2), -1.0 * np.ones(1)))
    mean = np.zeros(matrix.shape[1], matrix.dtype)
    total_weight = 0
    for k, row in enumerate(keys):
        vec = matrix[row] / norms[row]
        mean += weight[k] * vec
        total_weight += abs(weight[k])
    mean = mean / total_weight
    return _unitvec(mean).astype(np.float32)


def gensim_answer(matrix, norms, limit, index, ia: int, ib: int, ic: int, mean=None) -> int:
    """gensim 4 ``evaluate_word_analogies`` for one question, step for step; returns the row.

    ``mean`` is the question's :func:`gensim_query`, when already computed.
    """
    fold, vocab = index.protocol.folder, index.embeddings.vocab
    keys = [ib, ic, ia]
    if mean is None:
        mean = gensim_query(matrix, norms, ia, ib, ic)
    dists = np.dot(matrix[0:limit], mean) / norms[0:limit]
    topn = 5 + len(keys)
    x = -dists
    if topn >= x.size:
        best = np.argsort(x)[:topn]
    else:
        part = np.argpartition(x, topn)[:topn]
        best = part.take(np.argsort(x.take(part)))
    result = [int(s) for s in best if int(s) not in keys][:5]
    ignore = {fold(vocab[r]) for r in keys}
    predicted = None
    for s in result:
        predicted = s
        if fold(vocab[s]) not in ignore:
            break
    return -1 if predicted is None else predicted
