"""Which regularizers reduce overfitting without costing accuracy: a one-at-a-time sweep, tested.

A one-at-a-time sweep (``[finetune] sweep = "one_at_a_time"``) trains a shared base and,
for each regularizer, its other strengths with everything else at base. For every
regularizer and strength, :func:`regularization_effects` compares the runs against the
same regularizer switched off (strength 0, or ``false``), everything else at base:

- accuracy: the per-document test of :func:`~evalsuite.analysis.paired.document_test`
  (each test document once, its correctness averaged over seeds);
- overfitting: the train − validation accuracy gap at the scored epoch, per seed, by a
  paired t-test over seeds (the seeds share the split, so seed s of one setting pairs
  with seed s of the other).

Each family of tests (accuracy, gap) is Holm-corrected over all strengths of all
regularizers. A strength *reduces overfitting without costing accuracy* when its gap
is significantly smaller and its accuracy not significantly lower.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Mapping

import numpy as np
from scipy import stats as _st


from evalsuite.analysis.paired import ALPHA, document_test
from evalsuite.analysis.significance import holm
from evalsuite.core.results import RunResult, TaskResult


def _details(t: TaskResult) -> Mapping:
    return t.details if isinstance(t.details, Mapping) else {}


def _value(v) -> float:
    return float(v) if v is not None else 0.0


def _gap(t: TaskResult) -> float | None:
    g = (_details(t).get("overfit") or {}).get("gap_at_best")
    return float(g) if g is not None and math.isfinite(g) else None


def paired_seed_test(a: Mapping, b: Mapping) -> dict:
    """Paired t-test of per-seed values ``a[seed] - b[seed]`` over the shared seeds."""
    seeds = sorted(set(a) & set(b), key=str)
    d = np.array([a[s] - b[s] for s in seeds], dtype=np.float64)
    if len(d) < 2:
        return {"diff": float(d.mean()) if len(d) else None, "p_value": None, "n": len(d)}
    if np.all(d == d[0]):
        p = 1.0 if d[0] == 0 else 0.0
    else:
        p = float(_st.ttest_1samp(d, 0.0).pvalue)
    return {"diff": float(d.mean()), "sd": float(d.std(ddof=1)), "p_value": p, "n": len(d)}


def _cells(results) -> dict:
    """(dataset/model/mode, embedding) → {(axis, value): [results]} for one-at-a-time sweeps."""
    cells: dict = defaultdict(lambda: defaultdict(list))
    for t in results:
        sweep = _details(t).get("sweep")
        if t.kind != "classification" or not isinstance(sweep, Mapping) or sweep.get("kind") != "one_at_a_time":
            continue
        d = _details(t)
        setup = (f"{d.get('dataset')}/{d.get('model')}/{d.get('mode')}", t.key.embedding)
        axis = sweep.get("axis")
        value = (d.get("params") or {}).get(axis) if axis else None
        cells[setup][(axis, None if axis is None else _value(value))].append(t)
    return cells


def regularization_effects(results: Iterable[TaskResult] | RunResult) -> list[dict]:
    """One entry per (setup, embedding, regularizer, strength) of a one-at-a-time sweep.

    Returns
    -------
    list of dict
        ``setup``, ``embedding``, ``param``, ``value``, ``off`` (the value compared
        against), ``accuracy`` / ``accuracy_sd`` / ``gap`` / ``gap_sd`` (mean and sd over
        seeds), ``seeds``, ``acc_test`` and ``gap_test`` (``diff``, ``p_value``,
        ``p_holm``, ``n``) and ``verdict``: ``"helps"`` (gap down, accuracy not down),
        ``"costs accuracy"`` (gap down, accuracy down), ``"hurts"`` (accuracy down,
        gap not down) or ``"no effect"``; ``identical`` (True when every seed trained
        exactly as with the regularizer off). The off value itself has no tests.
    """
    if isinstance(results, RunResult):
        results = results.task_results
    out = []
    for (setup, emb), cells in _cells(list(results)).items():
        base_runs = cells.get((None, None), [])
        if not base_runs:
            continue
        base = dict(_details(base_runs[0])["sweep"]["base"])
        axes = sorted({a for a, _ in cells if a is not None} | set(base))
        for axis in axes:
            by_value = {v: rs for (a, v), rs in cells.items() if a == axis}
            by_value[_value(base.get(axis))] = base_runs
            off = 0.0 if 0.0 in by_value else min(by_value)
            for value in sorted(by_value):
                out.append(_entry(setup, emb, axis, value, off, by_value))
    _correct(out)
    return out


def _entry(setup, emb, axis, value, off, by_value) -> dict:
    rs, ref = by_value[value], by_value[off]
    gaps = {t.key.seed: _gap(t) for t in rs if _gap(t) is not None}
    accs = [t.main_score for t in rs]
    entry = {"setup": setup, "embedding": emb, "param": axis, "value": value, "off": off, "seeds": len(rs),
             "accuracy": float(np.mean(accs)), "accuracy_sd": float(np.std(accs, ddof=1)) if len(accs) > 1 else None,
             "gap": float(np.mean(list(gaps.values()))) if gaps else None,
             "gap_sd": float(np.std(list(gaps.values()), ddof=1)) if len(gaps) > 1 else None,
             "acc_test": None, "gap_test": None, "identical": False}
    if value != off:
        entry["identical"] = _same_runs(rs, ref)
        entry["acc_test"] = document_test(rs, ref).to_dict()
        entry["gap_test"] = paired_seed_test(gaps, {t.key.seed: _gap(t) for t in ref if _gap(t) is not None})
    return entry


def _same_runs(rs, ref) -> bool:
    """True when every seed trained exactly as with the regularizer off: the same learning
    curves and the same test predictions (the setting never changed a weight)."""
    a, b = {t.key.seed: t for t in rs}, {t.key.seed: t for t in ref}
    return bool(a) and set(a) == set(b) and all(
        a[s].items.get("correct") == b[s].items.get("correct")
        and all(_details(a[s]).get(k) == _details(b[s]).get(k) for k in ("curves", "overfit")) for s in a)


def _correct(entries: list[dict]) -> None:
    for key in ("acc_test", "gap_test"):
        tested = [e for e in entries if e[key] is not None]
        ps = holm([e[key]["p_value"] if e[key]["p_value"] is not None else float("nan") for e in tested])
        for e, p in zip(tested, ps):
            e[key]["p_holm"] = float(p) if p is not None and math.isfinite(p) else None
    for e in entries:
        if e["acc_test"] is None:
            e["verdict"] = None
            continue
        gap_down = _sig(e["gap_test"], -1)
        acc_down = _sig(e["acc_test"], -1)
        e["verdict"] = ("costs accuracy" if acc_down else "helps") if gap_down else ("hurts" if acc_down else "no effect")


def _sig(test, sign) -> bool:
    return bool(test and test.get("p_holm") is not None and test["p_holm"] < ALPHA
                and test.get("diff") is not None and test["diff"] * sign > 0)


__all__ = ["paired_seed_test", "regularization_effects"]
