"""Significance tests for comparing embeddings (pure functions, no I/O).

- :func:`paired_bootstrap_spearman`: difference of Spearman correlations of two
  models scored on the same items, resampling items jointly.
- :func:`mcnemar`: paired per-question correctness (analogy); exact binomial for
  few discordant pairs, chi-square with continuity correction otherwise.
- :func:`holm`: Holm-Bonferroni adjusted p-values.
- :func:`welch_t`: across-seed comparison of two sets of scores.
- :func:`seed_summary`: mean, sd and a t-based confidence interval across seeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
from scipy import stats as _st

from evalsuite.core.jsonutil import finite_or_none
from evalsuite.evaluate.metrics import pearson, rankdata, spearman


@dataclass(frozen=True)
class TestResult:
    """Outcome of a two-sided test of "A and B score the same".

    Parameters
    ----------
    test : str
        Name of the test.
    statistic : float
        The test statistic (difference, chi-square, t ...).
    p_value : float
        Two-sided p-value (``nan`` when the test cannot be computed).
    diff : float
        Observed score of A minus score of B.
    ci95 : tuple of float or None
        95% confidence interval of ``diff``.
    n : int
        Number of paired items (or seeds) the test used.
    """

    test: str
    statistic: float
    p_value: float
    diff: float
    ci95: tuple[float, float] | None
    n: int

    def to_dict(self) -> dict:
        """Plain JSON (non-finite numbers as None)."""
        ci = None if self.ci95 is None else [finite_or_none(self.ci95[0]), finite_or_none(self.ci95[1])]
        return {"test": self.test, "statistic": finite_or_none(self.statistic),
                "p_value": finite_or_none(self.p_value), "diff": finite_or_none(self.diff), "ci95": ci,
                "n": int(self.n)}


def paired_bootstrap_spearman(
    gold: Sequence[float],
    pred_a,
    pred_b,
    *,
    n_resamples: int = 2000,
    seed: int = 0,
) -> TestResult:
    """Paired bootstrap of ``spearman(gold, a) - spearman(gold, b)``.

    Items are resampled with replacement (the same resample for both models), so
    the test accounts for the correlation between the two models' errors.

    Parameters
    ----------
    gold : sequence of float, shape (n,)
        Human scores of the items both models cover.
    pred_a, pred_b : array_like, shape (n,) or (k, n)
        Model similarities; a 2-D array holds one row per seed and the statistic
        is the mean Spearman over rows.
    n_resamples : int
        Bootstrap resamples.
    seed : int
        Seed of the resampling.

    Returns
    -------
    TestResult
        ``diff`` is the observed difference; ``ci95`` the percentile interval;
        ``p_value`` the two-sided bootstrap p-value
        ``min(1, 2 * min(P(d* <= 0), P(d* >= 0)))``.
    """
    gold = np.asarray(gold, dtype=np.float64)
    a = np.atleast_2d(np.asarray(pred_a, dtype=np.float64))
    b = np.atleast_2d(np.asarray(pred_b, dtype=np.float64))
    n = gold.shape[0]
    if a.shape[1] != n or b.shape[1] != n:
        raise ValueError(f"gold has {n} items but predictions have {a.shape[1]} and {b.shape[1]}")
    if n < 3:
        return TestResult("paired-bootstrap", float("nan"), float("nan"), float("nan"), None, n)

    observed = float(np.mean(spearman(gold, a)) - np.mean(spearman(gold, b)))
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_resamples)
    chunk = max(1, 200_000 // max(n, 1))
    for start in range(0, n_resamples, chunk):
        stop = min(n_resamples, start + chunk)
        idx = rng.integers(0, n, size=(stop - start, n))
        # each resample is ranked separately: vectorised over the resample axis
        g = rankdata(gold[idx])  # ranked once, shared by every row of both models
        sa = np.mean([pearson(g, rankdata(row[idx])) for row in a], axis=0)
        sb = np.mean([pearson(g, rankdata(row[idx])) for row in b], axis=0)
        diffs[start:stop] = sa - sb
    diffs = diffs[np.isfinite(diffs)]
    if diffs.size == 0:
        return TestResult("paired-bootstrap", observed, float("nan"), observed, None, n)
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    p = min(1.0, 2.0 * min(np.mean(diffs <= 0), np.mean(diffs >= 0)))
    return TestResult("paired-bootstrap", observed, float(p), observed, (float(lo), float(hi)), n)


def mcnemar(correct_a: Sequence[bool], correct_b: Sequence[bool], *, exact: bool | None = None) -> TestResult:
    """McNemar's test on paired correctness.

    Parameters
    ----------
    correct_a, correct_b : sequence of bool, shape (n,)
        Whether model A (B) answered each shared question correctly.
    exact : bool, optional
        Force the exact binomial test (True) or the chi-square test with
        continuity correction (False). By default the exact test is used when
        there are fewer than 25 discordant pairs.

    Returns
    -------
    TestResult
        ``diff`` is accuracy(A) - accuracy(B) and ``ci95`` its Wald interval for
        paired proportions; ``statistic`` is the chi-square value (or the count
        ``b`` of questions only A got right, for the exact test).
    """
    a = np.asarray(correct_a, dtype=bool)
    b = np.asarray(correct_b, dtype=bool)
    if a.shape != b.shape:
        raise ValueError(f"{a.size} answers for A but {b.size} for B")
    n = a.size
    only_a = int(np.sum(a & ~b))
    only_b = int(np.sum(~a & b))
    disc = only_a + only_b
    if n == 0:
        return TestResult("mcnemar", float("nan"), float("nan"), float("nan"), None, 0)
    diff = (only_a - only_b) / n
    se = math.sqrt(max(disc - (only_a - only_b) ** 2 / n, 0.0)) / n
    ci = (diff - 1.959963984540054 * se, diff + 1.959963984540054 * se)
    if disc == 0:
        return TestResult("mcnemar-exact", 0.0, 1.0, diff, ci, n)
    if exact is None:
        exact = disc < 25
    if exact:
        p = _st.binomtest(only_a, disc, 0.5, alternative="two-sided").pvalue
        return TestResult("mcnemar-exact", float(only_a), float(min(1.0, p)), diff, ci, n)
    chi2 = (abs(only_a - only_b) - 1.0) ** 2 / disc
    p = float(_st.chi2.sf(chi2, df=1))
    return TestResult("mcnemar-chi2", chi2, p, diff, ci, n)


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm-Bonferroni adjusted p-values (same order as the input; NaN stays NaN).

    The adjusted value of the i-th smallest of m p-values is
    ``max_{j<=i} min(1, (m - j + 1) * p_(j))``; rejecting where the adjusted
    value is below alpha controls the family-wise error rate at alpha.
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(p))
    m = valid.size
    if m == 0:
        return out.tolist()
    order = valid[np.argsort(p[valid], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out.tolist()


def welch_t(scores_a: Sequence[float], scores_b: Sequence[float]) -> TestResult:
    """Welch's t-test (unequal variances) between two sets of per-seed scores.

    Needs at least two scores per side; returns a NaN p-value otherwise.
    ``ci95`` is the Welch-Satterthwaite interval of the mean difference.
    """
    a = np.asarray(scores_a, dtype=np.float64)
    b = np.asarray(scores_b, dtype=np.float64)
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    n = int(min(a.size, b.size))
    diff = float(a.mean() - b.mean()) if a.size and b.size else float("nan")
    if a.size < 2 or b.size < 2:
        return TestResult("welch-t", float("nan"), float("nan"), diff, None, n)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = math.sqrt(va + vb)
    if se == 0:
        p = 1.0 if diff == 0 else 0.0
        return TestResult("welch-t", float("inf") if diff else 0.0, p, diff, (diff, diff), n)
    t = diff / se
    df = (va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1))
    p = float(2 * _st.t.sf(abs(t), df))
    half = float(_st.t.ppf(0.975, df) * se)
    return TestResult("welch-t", float(t), p, diff, (diff - half, diff + half), n)


@dataclass(frozen=True)
class SeedSummary:
    """Mean, sample sd and 95% t-interval of a score across seeds."""

    mean: float
    sd: float
    ci95: tuple[float, float] | None
    n: int
    values: tuple[float, ...]


def seed_summary(values: Sequence[float]) -> SeedSummary:
    """Summarise scores across seeds (NaNs ignored); CI only with two or more seeds."""
    v = np.asarray([x for x in values if x is not None], dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return SeedSummary(float("nan"), float("nan"), None, 0, ())
    mean = float(v.mean())
    if v.size < 2:
        return SeedSummary(mean, float("nan"), None, 1, tuple(v.tolist()))
    sd = float(v.std(ddof=1))
    half = float(_st.t.ppf(0.975, v.size - 1) * sd / math.sqrt(v.size))
    return SeedSummary(mean, sd, (mean - half, mean + half), int(v.size), tuple(v.tolist()))
