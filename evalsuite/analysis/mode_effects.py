"""Random, frozen or fine-tuned: how the initialisation mode changed fine-tuning accuracy.

For every classification dataset, model and embedding that was trained in more than
one mode, :func:`mode_effects` gathers the test accuracy per mode (mean over seeds),
the training accuracy and train − validation gap at the best epoch (to tell
underfitting from overfitting), the share of the classifier's vocabulary that had a
pretrained vector, and McNemar tests between neighbouring modes on the shared test
documents. Kim (2014) found fine-tuned ≥ frozen > random on MR; each entry says
whether that order held. Only results at the smallest value of every swept
regularization setting are used, so the modes are compared at equal settings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Mapping

import numpy as np

from evalsuite.analysis.aggregate import at_base, base_values, swept_params
from evalsuite.analysis.significance import mcnemar
from evalsuite.core.results import RunResult, TaskResult

MODES = ("random", "frozen", "finetuned")
#: (better, worse) pairs tested, in the order of Kim's expected ranking
TESTED_PAIRS = (("frozen", "random"), ("finetuned", "frozen"))


def _details(t: TaskResult) -> Mapping:
    return t.details if isinstance(t.details, Mapping) else {}


def _mean(values) -> float | None:
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    return float(np.mean(vals)) if vals else None


def _train_accuracy_at_best(t: TaskResult) -> float | None:
    d = _details(t)
    curves, best = d.get("curves") or {}, d.get("best_epoch")
    acc = curves.get("train_acc") or []
    if not isinstance(best, (int, float)) or not 1 <= int(best) <= len(acc):
        return None
    return float(acc[int(best) - 1])


def _paired_correct(better: list[TaskResult], worse: list[TaskResult]):
    """Correctness of both modes on the test documents they share, seed by seed."""
    worse_by_seed = {t.key.seed: t for t in worse}
    ok_better, ok_worse = [], []
    for t in better:
        other = worse_by_seed.get(t.key.seed)
        if other is None:
            continue
        theirs = dict(zip(other.items.get("id", []), other.items.get("correct", [])))
        for doc, ok in zip(t.items.get("id", []), t.items.get("correct", [])):
            if ok is not None and theirs.get(doc) is not None:
                ok_better.append(bool(ok))
                ok_worse.append(bool(theirs[doc]))
    return ok_better, ok_worse


def mode_effects(results: Iterable[TaskResult] | RunResult) -> list[dict]:
    """One entry per (dataset, model, embedding) trained in two or more modes.

    Parameters
    ----------
    results : RunResult or iterable of TaskResult
        Only classification results are used.

    Returns
    -------
    list of dict
        Keys: ``dataset``, ``model``, ``embedding``, ``accuracy`` / ``train_accuracy``
        / ``gap_at_best`` (mode → mean over seeds), ``vocab_coverage``, ``seeds``,
        ``tests`` (``"finetuned-frozen"`` etc. → ``diff``, ``p_value``, ``n``),
        ``ordering`` (modes by accuracy, best first) and ``expected_order_holds``
        (fine-tuned ≥ frozen > random), which is None when a mode is missing.
    """
    if isinstance(results, RunResult):
        results = results.task_results
    cls = [t for t in results if t.kind == "classification" and t.key.variant.mode in MODES]
    by_setup: dict[tuple, list[TaskResult]] = defaultdict(list)
    for t in cls:
        d = _details(t)
        by_setup[(str(d.get("dataset") or t.task), str(t.key.variant.model or "–"))].append(t)
    out = []
    for (dataset, model), rs in by_setup.items():
        base = base_values(rs, swept_params(rs))
        cells: dict[str, dict[str, list[TaskResult]]] = defaultdict(lambda: defaultdict(list))
        for t in rs:
            if at_base(t, base):
                cells[t.key.embedding][t.key.variant.mode].append(t)
        for emb, by_mode in cells.items():
            if len(by_mode) < 2:
                continue
            out.append(_entry(dataset, model, emb, by_mode))
    return out


def _entry(dataset: str, model: str, emb: str, by_mode: Mapping[str, list[TaskResult]]) -> dict:
    modes = [m for m in MODES if m in by_mode]
    acc = {m: _mean(t.main_score for t in by_mode[m]) for m in modes}
    tests = {}
    for better, worse in TESTED_PAIRS:
        if better in by_mode and worse in by_mode:
            res = mcnemar(*_paired_correct(by_mode[better], by_mode[worse]))
            tests[f"{better}-{worse}"] = {"diff": res.diff, "p_value": res.p_value, "n": res.n}
    holds = None
    if all(m in acc and acc[m] is not None for m in MODES):
        holds = acc["finetuned"] >= acc["frozen"] > acc["random"]
    return {
        "dataset": dataset, "model": model, "embedding": emb,
        "accuracy": acc,
        "train_accuracy": {m: _mean(_train_accuracy_at_best(t) for t in by_mode[m]) for m in modes},
        "gap_at_best": {m: _mean((_details(t).get("overfit") or {}).get("gap_at_best") for t in by_mode[m])
                        for m in modes},
        "vocab_coverage": _mean(_details(t).get("vocab_coverage") for m in modes for t in by_mode[m]),
        "seeds": max(len(by_mode[m]) for m in modes),
        "tests": tests,
        "ordering": sorted((m for m in modes if acc[m] is not None), key=lambda m: -acc[m]),
        "expected_order_holds": holds,
    }


__all__ = ["MODES", "mode_effects"]
