"""Paired tests between two seed groups on the same task, and Holm-corrected comparison records.

Similarity: paired bootstrap of the Spearman difference; analogy: McNemar on the
questions both answer; fine-tuning: McNemar's test on the test documents, each counted
once (with several seeds, the sign test of each document's share of correct seeds;
Welch's t-test across seeds for results without per-document predictions). Each test
uses only the items both groups cover, optionally restricted to a subset of the items
(the held-out part of a dev split, :mod:`evalsuite.analysis.selection`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np
from scipy import stats as _st

from evalsuite.analysis.significance import TestResult, holm, mcnemar, paired_bootstrap_spearman, welch_t
from evalsuite.analysis.types import Comparison, SeedGroup
from evalsuite.core.jsonutil import finite_or_none as _fin
from evalsuite.core.results import TaskResult
from evalsuite.evaluate.metrics import spearman

ALPHA = 0.05
KIND_TESTS = {"similarity": "paired bootstrap", "analogy": "McNemar", "classification": "McNemar on the test documents"}


def _mask(n: int, subset) -> np.ndarray:
    """Boolean mask of the items in ``subset`` (indices or a mask; None = all)."""
    if subset is None:
        return np.ones(n, dtype=bool)
    subset = np.asarray(subset)
    if subset.dtype == bool:
        return subset.copy()
    mask = np.zeros(n, dtype=bool)
    mask[subset] = True
    return mask


def _similarity_rows(results: Sequence[TaskResult]):
    gold = results[0].items.get("gold")
    preds = [r.items.get("predicted") for r in results]
    return gold, preds


def _paired_similarity(ga: SeedGroup, gb: SeedGroup, *, subset=None, seed: int = 0) -> tuple[TestResult, float, float]:
    gold, pa = _similarity_rows(ga.results)
    _, pb = _similarity_rows(gb.results)
    n = len(gold or [])
    if not gold or any(len(p or []) != n for p in pa + pb):
        return TestResult("paired-bootstrap", math.nan, math.nan, ga.mean - gb.mean, None, 0), ga.mean, gb.mean
    covered = np.array([all(p[i] is not None for p in pa + pb) for i in range(n)]) & _mask(n, subset)
    g = np.asarray(gold, dtype=float)[covered]
    a = np.array([[v for v, c in zip(p, covered) if c] for p in pa], dtype=float)
    b = np.array([[v for v, c in zip(p, covered) if c] for p in pb], dtype=float)
    res = paired_bootstrap_spearman(g, a, b, seed=seed)
    sa = float(np.mean(spearman(g, a))) if g.size > 2 else math.nan
    sb = float(np.mean(spearman(g, b))) if g.size > 2 else math.nan
    return res, sa, sb


def correct_column(r: TaskResult) -> list:
    """Per question: True / False when answered, None when not covered."""
    pred = r.items.get("predicted") or []
    corr = r.items.get("correct") or []
    return [None if p is None else bool(c) for p, c in zip(pred, corr)]


def _paired_analogy(ga: SeedGroup, gb: SeedGroup, *, subset=None) -> tuple[TestResult, float, float]:
    ca = [correct_column(r) for r in ga.results]
    cb = [correct_column(r) for r in gb.results]
    n = len(ca[0])
    if n == 0 or any(len(c) != n for c in ca + cb):
        return TestResult("mcnemar", math.nan, math.nan, ga.mean - gb.mean, None, 0), ga.mean, gb.mean
    covered = np.array([all(c[i] is not None for c in ca + cb) for i in range(n)]) & _mask(n, subset)
    A = np.array([[bool(v) for v, k in zip(c, covered) if k] for c in ca])
    B = np.array([[bool(v) for v, k in zip(c, covered) if k] for c in cb])
    # pair seeds in order; with unequal counts the extra seeds of one side are unused
    pairs = list(zip(A, B))
    tests = [mcnemar(x, y) for x, y in pairs]
    m = int(covered.sum())
    sa, sb = float(A.mean()) if m else math.nan, float(B.mean()) if m else math.nan
    if len(tests) == 1:
        return tests[0], sa, sb
    # several seeds: intersection-union test -- significant only if every seed pair is,
    # so the combined p-value is the largest one
    p = max((t.p_value for t in tests), default=math.nan)
    d = A.mean(axis=0) - B.mean(axis=0)
    se = d.std(ddof=1) / math.sqrt(m) if m > 1 else math.nan
    ci = (float(d.mean() - 1.96 * se), float(d.mean() + 1.96 * se)) if m > 1 else None
    return TestResult("mcnemar (every seed pair)", p, p, float(d.mean()), ci, m), sa, sb


def document_correctness(results: Iterable[TaskResult]) -> dict[str, float]:
    """Per test document, the share of seeds (results) that classified it correctly."""
    hits: dict[str, list[bool]] = defaultdict(list)
    for t in results:
        for doc, ok in zip(t.items.get("id", []), t.items.get("correct", [])):
            if ok is not None:
                hits[doc].append(bool(ok))
    return {doc: float(np.mean(v)) for doc, v in hits.items()}


def document_test(better: Iterable[TaskResult], worse: Iterable[TaskResult]) -> TestResult:
    """Paired test of two sets of results over the test documents they share, each document once.

    ``diff`` is the accuracy difference (better − worse) and ``n`` the number of documents.
    """
    a, b = document_correctness(better), document_correctness(worse)
    docs = sorted(set(a) & set(b))
    x, y = np.array([a[d] for d in docs]), np.array([b[d] for d in docs])
    if np.all((x == 0) | (x == 1)) and np.all((y == 0) | (y == 1)):
        return mcnemar(x.astype(bool), y.astype(bool))
    d = x - y
    pos, neg = int((d > 0).sum()), int((d < 0).sum())
    diff = float(d.mean())
    half = 1.959963984540054 * float(d.std(ddof=1)) / math.sqrt(len(d)) if len(d) > 1 else float("nan")
    p = _st.binomtest(pos, pos + neg, 0.5).pvalue if pos + neg else 1.0
    return TestResult("sign-test", float(pos), float(p), diff, (diff - half, diff + half), len(d))


def paired_test(ga: SeedGroup, gb: SeedGroup, *, subset=None) -> tuple[TestResult, float, float]:
    """Test group A against group B on the same task; returns (test, score_a, score_b).

    Parameters
    ----------
    ga, gb : SeedGroup
        The two groups (same task and variant).
    subset : array of int or bool, optional
        Only these items (similarity pairs, analogy questions) take part; fine-tuning
        results are compared on their test documents and ignore it.

    Scores are computed on the items both cover (means across seeds).
    """
    if ga.kind == "similarity":
        return _paired_similarity(ga, gb, subset=subset)
    if ga.kind == "analogy":
        return _paired_analogy(ga, gb, subset=subset)
    if all(r.items.get("id") and r.items.get("correct") for r in (*ga.results, *gb.results)):
        return document_test(ga.results, gb.results), ga.mean, gb.mean
    res = welch_t([r.main_score for r in ga.results], [r.main_score for r in gb.results])
    return res, ga.mean, gb.mean


def _test_name(res: TestResult, kind: str) -> str:
    return {"paired-bootstrap": "paired bootstrap", "mcnemar-exact": "McNemar (exact)",
            "mcnemar-chi2": "McNemar", "welch-t": "Welch t-test",
            "sign-test": "sign test (documents)"}.get(res.test, res.test or KIND_TESTS.get(kind, ""))


def finish(raw: list[tuple], alpha: float = ALPHA) -> list[Comparison]:
    """Apply Holm to a list of (Comparison fields, TestResult, higher_is_better) and build the records."""
    adjusted = holm([t.p_value for _, t, _ in raw])
    out = []
    for (fields_, res, _hib), p_adj in zip(raw, adjusted):
        sig = p_adj is not None and math.isfinite(p_adj) and p_adj < alpha and res.diff != 0
        out.append(Comparison(**fields_, diff=_fin(res.diff), ci95=res.ci95, test=_test_name(res, fields_["kind"]),
                              p_value=_fin(res.p_value), p_adjusted=_fin(p_adj), significant=bool(sig), n=res.n))
    return out


__all__ = ["ALPHA", "KIND_TESTS", "correct_column", "document_correctness", "document_test", "finish", "paired_test"]
