"""How much a score moves between training seeds: its seed spread and its item-level part.

The regression gate (:mod:`evalsuite.analysis.gate`) needs, for every score of a baseline,
how far a fresh run of the same code may fall from it by chance. Two numbers describe it:

- the **seed spread**: the sample standard deviation of the score across the baseline's
  training seeds (few seeds, so few degrees of freedom);
- the **item-level sd**: how much one seed's score moves because its answers on individual
  items change between seeds, measured by resampling items *paired across seeds on the same
  items* (many items, so many degrees of freedom). For an accuracy it is
  ``sqrt(var_i(x_si - x_ti) / (2 n))`` over the items ``i`` two seeds ``s, t`` both answer;
  for a Spearman correlation the same variance comes from a paired item bootstrap of
  ``rho_s - rho_t`` (ranks taken once, on all shared items). Pairs of seeds are averaged.

:func:`noise_table` records both per score; ``evalsuite baseline`` stores the table in the
baseline file (``provenance["baseline_noise"]``) so that the committed file needs no per-item
outputs. :func:`item_variances` reads the table back, or computes it from per-item outputs.
"""

from __future__ import annotations

import itertools
import math
from typing import Mapping

import numpy as np
from scipy.stats import rankdata

from evalsuite.analysis.aggregate import SeedGroup, seed_groups
from evalsuite.core.results import RunResult, TaskResult

TABLE_KEY = "baseline_noise"
BOOTSTRAP_RESAMPLES = 500
MIN_ITEMS = 3


def _column(values) -> np.ndarray:
    """A per-item column as floats, NaN where the item was not scored."""
    return np.array([math.nan if v is None else float(v) for v in values], dtype=np.float64)


def outcome_columns(tr: TaskResult) -> tuple[np.ndarray | None, np.ndarray] | None:
    """``(gold, outcome)`` per item of one result, or None without per-item outputs.

    Similarity: human scores and predicted similarities. Analogy and classification:
    ``gold`` is None and ``outcome`` is 1/0 for a right/wrong answer (the main method's
    column for analogies). NaN marks items the embedding did not cover.
    """
    items = tr.items if isinstance(tr.items, Mapping) else {}
    if tr.kind == "similarity":
        gold, pred = items.get("gold"), items.get("predicted")
        if not gold or not pred or len(gold) != len(pred):
            return None
        return _column(gold), _column(pred)
    name = "correct"
    if tr.kind == "analogy" and tr.main_score_name.startswith("accuracy"):
        name += tr.main_score_name[len("accuracy"):]
    col = items.get(name)
    return (None, _column(col)) if col else None


def _rank_z(x: np.ndarray) -> np.ndarray:
    r = rankdata(x)
    r -= r.mean()
    sd = r.std()
    return r / sd if sd > 0 else r


def spearman_diff_variance(gold, a, b, *, n_resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0) -> float:
    """Paired item-bootstrap variance of ``spearman(gold, a) - spearman(gold, b)``.

    Ranks are taken once on all items; each resample reweights items (multinomial counts),
    so a resample's statistic is the weighted Pearson correlation of those ranks. The same
    resample is used for both models. Deterministic for a given ``seed``.
    """
    g, x, y = (_rank_z(np.asarray(v, dtype=np.float64)) for v in (gold, a, b))
    n = g.size
    if n < MIN_ITEMS:
        return math.nan
    w = np.random.default_rng(seed).multinomial(n, np.full(n, 1.0 / n), size=n_resamples) / n

    def corr(u, v):
        mu, mv = w @ u, w @ v
        cov = w @ (u * v) - mu * mv
        den = np.sqrt(np.clip(w @ (u * u) - mu**2, 0, None) * np.clip(w @ (v * v) - mv**2, 0, None))
        with np.errstate(invalid="ignore", divide="ignore"):
            return cov / den

    d = corr(g, x) - corr(g, y)
    d = d[np.isfinite(d)]
    return float(d.var(ddof=1)) if d.size > 1 else math.nan


def paired_item_variance(kind: str, gold, a, b) -> tuple[float, int]:
    """Item-resampling variance of score(a) - score(b) on the items both cover.

    Returns ``(variance, items used)``; NaN when fewer than three items are shared.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    ok = np.isfinite(a) & np.isfinite(b)
    if gold is not None:
        gold = np.asarray(gold, dtype=np.float64)
        ok &= np.isfinite(gold)
    n = int(ok.sum())
    if n < MIN_ITEMS:
        return math.nan, n
    if kind == "similarity":
        return spearman_diff_variance(gold[ok], a[ok], b[ok]), n
    diff = a[ok] - b[ok]
    return float(diff.var(ddof=1) / n), n


def item_variance(group: SeedGroup) -> tuple[float, int]:
    """Item-level variance of one seed's score, from the seeds of ``group`` paired on items.

    Half the mean, over pairs of seeds, of :func:`paired_item_variance`; ``(nan, 0)`` with
    fewer than two seeds or without per-item outputs of equal length.
    """
    cols = [outcome_columns(r) for r in group.results]
    if len(cols) < 2 or any(c is None for c in cols) or len({len(c[1]) for c in cols}) != 1:
        return math.nan, 0
    gold = cols[0][0]
    found = [paired_item_variance(group.kind, gold, a[1], b[1]) for a, b in itertools.combinations(cols, 2)]
    found = [(v, n) for v, n in found if math.isfinite(v)]
    if not found:
        return math.nan, 0
    return float(np.mean([v for v, _ in found]) / 2), int(min(n for _, n in found))


def _num(x) -> float | None:
    return float(x) if x is not None and math.isfinite(x) else None


def noise_table(run: RunResult) -> list[dict]:
    """Per score of ``run``: seeds, mean, seed sd and item-level sd (needs per-item outputs)."""
    rows = []
    for g in seed_groups(run):
        var, n = item_variance(g)
        rows.append({"embedding": g.embedding, "task": g.task, "variant": g.variant.text, "metric": g.metric,
                     "n_seeds": g.n_seeds, "mean": _num(g.mean), "seed_sd": _num(g.sd) if g.n_seeds > 1 else None,
                     "item_sd": _num(math.sqrt(var)) if math.isfinite(var) else None, "n_items": n})
    return rows


# scores lie in [-1, 1], so neither their spread over seeds nor an item-level sd can exceed 2
MAX_SD = 2.0


def _spread(value) -> bool:
    """A usable sd: null, or a number in [0, :data:`MAX_SD`]."""
    if value is None:
        return True
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        value = float(value)
    except OverflowError:
        return False
    return 0 <= value <= MAX_SD


def table_problem(run: RunResult) -> str | None:
    """What is wrong with the run's stored noise table (``provenance["baseline_noise"]``), or None."""
    table = run.provenance.get(TABLE_KEY) if isinstance(run.provenance, Mapping) else None
    if table is None:
        return None
    if not isinstance(table, list):
        return f"'provenance.{TABLE_KEY}' must be a list"
    for i, row in enumerate(table):
        if not isinstance(row, Mapping):
            return f"'provenance.{TABLE_KEY}[{i}]' must be an object"
        for field in ("embedding", "task", "variant"):
            if not isinstance(row.get(field, ""), str):
                return f"'provenance.{TABLE_KEY}[{i}].{field}' must be a string"
        for field in ("seed_sd", "item_sd"):
            if not _spread(row.get(field)):
                return (f"'provenance.{TABLE_KEY}[{i}].{field}' must be null or a number in [0, {MAX_SD:g}] "
                        f"(the spread of a score in [-1, 1]), got {row.get(field)!r}")
    return None


def item_variances(run: RunResult, groups: list[SeedGroup] | None = None) -> dict[tuple[str, str, str], float]:
    """Item-level variance per score key ``(embedding, task, variant)``.

    From the run's stored table (``provenance["baseline_noise"]``) when there is one, else
    computed from its per-item outputs; scores without either are left out.
    """
    table = run.provenance.get(TABLE_KEY) if isinstance(run.provenance, Mapping) else None
    if isinstance(table, list):
        out = {}
        for row in table:
            sd = row.get("item_sd") if isinstance(row, Mapping) else None
            if isinstance(sd, (int, float)) and math.isfinite(sd):
                out[(row.get("embedding"), row.get("task"), row.get("variant", ""))] = float(sd) ** 2
        return out
    out = {}
    for g in groups if groups is not None else seed_groups(run):
        var, _ = item_variance(g)
        if math.isfinite(var):
            out[(g.embedding, g.task, g.variant.text)] = var
    return out
