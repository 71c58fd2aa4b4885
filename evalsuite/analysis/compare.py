"""Comparisons: Word2Vec vs GloVe within a run, and run vs run.

Statistics come from :mod:`evalsuite.analysis.significance`; this module only decides what is
compared with what. Records carry the field names the report expects
(:mod:`evalsuite.report.inputs`), so they can be handed to it directly.

- :func:`verdicts` answers "Word2Vec or GloVe?" per task family: on every task the
  best configuration of each family (by mean score) is compared on the items both
  cover; p-values are Holm-corrected within the family; a winner is named only
  when significant comparisons exist and all favour the same family.
- :func:`compare_runs` compares every (embedding, task) present in two runs.

The regression gate against a baseline is :mod:`evalsuite.analysis.gate`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from evalsuite.analysis.aggregate import SeedGroup, seed_groups
from evalsuite.analysis.mode_effects import mode_effects
from evalsuite.core.results import RunResult, TaskResult
from evalsuite.analysis.significance import TestResult, holm, mcnemar, paired_bootstrap_spearman, welch_t

ALPHA = 0.05
FAMILY_LABELS = {"word2vec": "Word2Vec", "glove": "GloVe"}
KIND_TESTS = {"similarity": "paired bootstrap", "analogy": "McNemar", "classification": "Welch t-test"}


@dataclass(frozen=True)
class Comparison:
    """One test of A against B on one task (field names as in the report's record)."""

    task: str
    kind: str
    a: str
    b: str
    metric: str
    score_a: float
    score_b: float
    diff: float
    ci95: tuple[float, float] | None = None
    test: str = ""
    p_value: float | None = None
    p_adjusted: float | None = None
    correction: str | None = "Holm"
    significant: bool = False
    mode: str | None = None
    model: str | None = None
    n: int = 0
    variant: str = ""

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class Verdict:
    """The answer for one task family."""

    family: str
    winner: str | None
    a: str = "Word2Vec"
    b: str = "GloVe"
    test: str = ""
    p_value: float | None = None
    correction: str | None = "Holm"
    summary: str = ""
    comparisons: tuple[Comparison, ...] = ()

    def to_dict(self) -> dict:
        return _clean(asdict(self))


@dataclass(frozen=True)
class Analysis:
    """Verdicts, comparisons and across-seed summaries of a run (what the report shows)."""

    verdicts: tuple[Verdict, ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    seed_summaries: tuple[SeedGroup, ...] = ()
    baseline: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _clean({
            "verdicts": [v.to_dict() for v in self.verdicts],
            "comparisons": [c.to_dict() for c in self.comparisons],
            "seed_summaries": [
                {k: getattr(s, k) for k in ("embedding", "task", "kind", "variant", "metric", "mean", "sd",
                                            "n_seeds", "ci95", "mode", "model")}
                for s in self.seed_summaries
            ],
            "baseline": self.baseline,
            "extra": dict(self.extra),
        })


def _clean(obj):
    if isinstance(obj, Mapping):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj


def _fin(x) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


# --- paired tests between two seed groups --------------------------------------------
def _similarity_rows(results: Sequence[TaskResult]):
    gold = results[0].items.get("gold")
    preds = [r.items.get("predicted") for r in results]
    return gold, preds


def _paired_similarity(ga: SeedGroup, gb: SeedGroup, *, seed: int = 0) -> tuple[TestResult, float, float]:
    gold, pa = _similarity_rows(ga.results)
    _, pb = _similarity_rows(gb.results)
    n = len(gold or [])
    if not gold or any(len(p or []) != n for p in pa + pb):
        return TestResult("paired-bootstrap", math.nan, math.nan, ga.mean - gb.mean, None, 0), ga.mean, gb.mean
    covered = np.array([all(p[i] is not None for p in pa + pb) for i in range(n)])
    g = np.asarray(gold, dtype=float)[covered]
    a = np.array([[v for v, c in zip(p, covered) if c] for p in pa], dtype=float)
    b = np.array([[v for v, c in zip(p, covered) if c] for p in pb], dtype=float)
    res = paired_bootstrap_spearman(g, a, b, seed=seed)
    from scipy.stats import spearmanr

    sa = float(np.mean([spearmanr(g, row)[0] for row in a])) if g.size > 2 else math.nan
    sb = float(np.mean([spearmanr(g, row)[0] for row in b])) if g.size > 2 else math.nan
    return res, sa, sb


def _correct_column(r: TaskResult):
    pred = r.items.get("predicted") or []
    corr = r.items.get("correct") or []
    return [None if p is None else bool(c) for p, c in zip(pred, corr)]


def _paired_analogy(ga: SeedGroup, gb: SeedGroup) -> tuple[TestResult, float, float]:
    ca = [_correct_column(r) for r in ga.results]
    cb = [_correct_column(r) for r in gb.results]
    n = len(ca[0])
    if n == 0 or any(len(c) != n for c in ca + cb):
        return TestResult("mcnemar", math.nan, math.nan, ga.mean - gb.mean, None, 0), ga.mean, gb.mean
    covered = np.array([all(c[i] is not None for c in ca + cb) for i in range(n)])
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


def paired_test(ga: SeedGroup, gb: SeedGroup) -> tuple[TestResult, float, float]:
    """Test group A against group B on the same task; returns (test, score_a, score_b).

    Scores are computed on the items both cover (means across seeds).
    """
    if ga.kind == "similarity":
        return _paired_similarity(ga, gb)
    if ga.kind == "analogy":
        return _paired_analogy(ga, gb)
    res = welch_t([r.main_score for r in ga.results], [r.main_score for r in gb.results])
    return res, ga.mean, gb.mean


def _test_name(res: TestResult, kind: str) -> str:
    return {"paired-bootstrap": "paired bootstrap", "mcnemar-exact": "McNemar (exact)",
            "mcnemar-chi2": "McNemar", "welch-t": "Welch t-test"}.get(res.test, res.test or KIND_TESTS.get(kind, ""))


def _finish(raw: list[tuple], alpha: float) -> list[Comparison]:
    """Apply Holm to a list of (fields, TestResult, higher_is_better) and build records."""
    adjusted = holm([t.p_value for _, t, _ in raw])
    out = []
    for (fields_, res, _hib), p_adj in zip(raw, adjusted):
        sig = p_adj is not None and math.isfinite(p_adj) and p_adj < alpha and res.diff != 0
        out.append(Comparison(**fields_, diff=_fin(res.diff), ci95=res.ci95, test=_test_name(res, fields_["kind"]),
                              p_value=_fin(res.p_value), p_adjusted=_fin(p_adj), significant=bool(sig), n=res.n))
    return out


# --- Word2Vec or GloVe? ----------------------------------------------------------------
def _family_of(run: RunResult) -> dict[str, str]:
    fam = {}
    for e in run.embeddings:
        if isinstance(e, Mapping) and e.get("family"):
            for key in ("group", "name"):
                if e.get(key):
                    fam.setdefault(e[key], e["family"])
    return fam


def _guess_family(name: str) -> str:
    from evalsuite.config.sections import family_of

    return family_of(None, name)


def _better(g: SeedGroup) -> float:
    return g.mean if g.higher_is_better else -g.mean


def verdicts(run: RunResult, *, alpha: float = ALPHA, groups: list[SeedGroup] | None = None) -> list[Verdict]:
    """Word2Vec vs GloVe per task family (similarity, analogy, classification)."""
    groups = groups if groups is not None else seed_groups(run)
    families = _family_of(run)
    by_slot: dict[tuple, dict[str, list[SeedGroup]]] = {}
    for g in groups:
        fam = families.get(g.embedding) or _guess_family(g.embedding)
        # random-init fine-tuning does not use the embedding's vectors: nothing to compare
        if fam in FAMILY_LABELS and math.isfinite(g.mean) and g.mode != "random":
            by_slot.setdefault((g.kind, g.task, g.variant), {}).setdefault(fam, []).append(g)
    out = []
    for kind in ("similarity", "analogy", "classification"):
        raw = []
        for (k, task, variant), fams in sorted(by_slot.items()):
            if k != kind or len(fams) < 2:
                continue
            ga = max(fams["word2vec"], key=_better)
            gb = max(fams["glove"], key=_better)
            res, sa, sb = paired_test(ga, gb)
            raw.append((dict(task=task, kind=kind, a=ga.embedding, b=gb.embedding, metric=ga.metric,
                             score_a=_fin(sa), score_b=_fin(sb), mode=ga.mode, model=ga.model, variant=variant),
                        res, ga.higher_is_better))
        comps = _finish(raw, alpha)
        if not comps:
            if any(k == kind for k, _, _ in by_slot):
                out.append(Verdict(kind, None, test=KIND_TESTS[kind],
                                   summary="not compared: the run lacks a Word2Vec or a GloVe embedding for these tasks"))
            continue
        out.append(_decide(kind, comps, raw))
    return out


def _decide(kind: str, comps: list[Comparison], raw) -> Verdict:
    wins = {"Word2Vec": [], "GloVe": []}
    for c, (_, _, hib) in zip(comps, raw):
        if c.significant:
            a_better = (c.diff > 0) == hib
            wins["Word2Vec" if a_better else "GloVe"].append(c)
    test = KIND_TESTS[kind]
    ps = [c.p_adjusted for c in comps if c.p_adjusted is not None]
    n = len(comps)
    if wins["Word2Vec"] and wins["GloVe"]:
        summary = (f"mixed: Word2Vec is significantly better on {len(wins['Word2Vec'])} and GloVe on "
                   f"{len(wins['GloVe'])} of {n} tasks (Holm-corrected, alpha {ALPHA})")
        return Verdict(kind, None, test=test, p_value=min(ps) if ps else None, summary=summary, comparisons=tuple(comps))
    for side in ("Word2Vec", "GloVe"):
        if wins[side]:
            tasks = ", ".join(c.task for c in wins[side])
            summary = (f"{side} is significantly better on {len(wins[side])} of {n} tasks ({tasks}); "
                       "no task significantly favours the other (Holm-corrected)")
            return Verdict(kind, side, test=test, p_value=max(c.p_adjusted for c in wins[side]), summary=summary,
                           comparisons=tuple(comps))
    summary = f"no significant difference on any of {n} tasks (Holm-corrected, alpha {ALPHA})"
    if any(c.p_value is None for c in comps) and kind == "classification":
        summary += "; tests need at least two seeds per embedding"
    return Verdict(kind, None, test=test, p_value=min(ps) if ps else None, summary=summary, comparisons=tuple(comps))


def analyze(run: RunResult, *, alpha: float = ALPHA) -> Analysis:
    """Everything the report of a single run shows besides raw scores."""
    groups = seed_groups(run)
    vs = verdicts(run, alpha=alpha, groups=groups)
    comps = tuple(c for v in vs for c in v.comparisons)
    extra = {"mode_effects": effects} if (effects := mode_effects(run)) else {}
    return Analysis(verdicts=tuple(vs), comparisons=comps, seed_summaries=tuple(groups), extra=extra)


# --- run versus run ----------------------------------------------------------------------
def compare_runs(a: RunResult, b: RunResult, *, alpha: float = ALPHA) -> Analysis:
    """Per (embedding, task) differences A - B with CIs and Holm-corrected significance."""
    gb = {(g.embedding, g.task, g.variant): g for g in seed_groups(b)}
    raw = []
    for g in seed_groups(a):
        other = gb.get((g.embedding, g.task, g.variant))
        if other is None:
            continue
        res, sa, sb = paired_test(g, other)
        raw.append((dict(task=g.task, kind=g.kind, a=f"{g.embedding} ({a.run_id})", b=f"{g.embedding} ({b.run_id})",
                         metric=g.metric, score_a=_fin(sa), score_b=_fin(sb), mode=g.mode, model=g.model,
                         variant=g.variant), res, g.higher_is_better))
    comps = _finish(raw, alpha)
    only_a = sorted({(g.embedding, g.task) for g in seed_groups(a)} - {(k[0], k[1]) for k in gb})
    return Analysis(comparisons=tuple(comps), baseline=b.run_id,
                    extra={"run": a.run_id, "baseline_run": b.run_id, "only_in_run": [list(x) for x in only_a]})

