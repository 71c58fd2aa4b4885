"""Random, frozen or fine-tuned: how the initialisation mode changed fine-tuning accuracy.

For every classification dataset, model and embedding trained in more than one mode,
:func:`mode_effects` gathers per mode the test accuracy (mean ± sd over the folds and
seeds), the training accuracy and train − validation gap at the best epoch (to tell
underfitting from overfitting), the epochs run, the drift of the word vectors, and the
share of the classifier's tokens that had a pretrained vector; and it tests the modes
against each other on the test documents.

Each test counts every test document once, however many seeds ran: with one seed it
is McNemar's test on the pooled out-of-fold predictions (folds partition the data,
so every document is predicted once); with several seeds a document's correctness is
its mean over the seeds and the test is the sign test of the per-document differences
(which is McNemar's exact test when there is one seed). The p-values of all mode
comparisons of one dataset and model are Holm-corrected together.

Kim (2014) found CNN-rand < CNN-static ≤ CNN-non-static on MR. The order is judged
with the corrected tests: it *holds* when static beats rand significantly and
non-static is not significantly below static, *fails* when either is significantly
reversed, and is *not shown* otherwise. The bag model's linear probe
(``mode="probe"``) is reported beside the modes, not as one of them. Only results at
the base value of every swept setting are used, so the modes are compared at equal settings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Iterable, Mapping

import numpy as np

from evalsuite.analysis.aggregate import at_base, base_values, swept_params
from evalsuite.analysis.paired import ALPHA, document_test
from evalsuite.analysis.significance import holm
from evalsuite.core.results import RunResult, TaskResult

MODES = ("random", "frozen", "finetuned")
#: (better, worse) pairs tested: Kim's expected ranking, then fine-tuned against random
TESTED_PAIRS = (("frozen", "random"), ("finetuned", "frozen"), ("finetuned", "random"))


def _details(t: TaskResult) -> Mapping:
    return t.details if isinstance(t.details, Mapping) else {}


def _mean(values) -> float | None:
    vals = [float(v) for v in values if v is not None and not isinstance(v, bool) and math.isfinite(float(v))]
    return float(np.mean(vals)) if vals else None


def _train_accuracy_at_best(t: TaskResult) -> float | None:
    """Training accuracy at the best epoch (the mean over folds, each at its own best epoch)."""
    d = _details(t)
    runs = d.get("fold_results") or [d]
    values = []
    for r in runs:
        curves, best = r.get("curves") or {}, r.get("best_epoch")
        acc = curves.get("train_acc") or []
        if isinstance(best, (int, float)) and 1 <= int(best) <= len(acc):
            values.append(float(acc[int(best) - 1]))
    return float(np.mean(values)) if values else None


def unit_accuracies(results: Iterable[TaskResult]) -> list[float]:
    """Test accuracy of every training run: one per fold of every seed (one per seed without folds)."""
    out = []
    for t in results:
        folds = _details(t).get("fold_results") or []
        out += [float(f["test_accuracy"]) for f in folds] if folds else [float(t.main_score)]
    return out


def mode_effects(results: Iterable[TaskResult] | RunResult) -> list[dict]:
    """One entry per (dataset, model, embedding) trained in two or more modes.

    Parameters
    ----------
    results : RunResult or iterable of TaskResult
        Only classification results are used.

    Returns
    -------
    list of dict
        Keys: ``dataset``, ``model``, ``embedding``; per mode (mode → value)
        ``accuracy`` (mean over runs), ``accuracy_sd``, ``runs``, ``train_accuracy``,
        ``gap_at_best``, ``epochs_run``, ``best_epoch``, ``epoch_cap``, ``drift``;
        ``token_coverage``, ``vocab_coverage``, ``uncovered_tokens``, ``init_bound`` (the bound
        ``a`` of the U[−a, a] random vectors), ``seeds``, ``folds``,
        ``probe`` (the linear probe's accuracy and sd, or None), ``tests``
        (``"frozen-random"`` etc. → ``test``, ``diff``, ``ci95``, ``p_value``,
        ``p_holm``, ``n``), ``ordering`` (modes by accuracy, best first), ``verdict``
        (``"holds"``, ``"fails"``, ``"not shown"``, or None without all three modes)
        and ``expected_order_holds`` (True, False, or None when not decided).
    """
    if isinstance(results, RunResult):
        results = results.task_results
    cls = [t for t in results if t.kind == "classification" and _details(t).get("mode") in MODES + ("probe",)]
    by_setup: dict[tuple, list[TaskResult]] = defaultdict(list)
    for t in cls:
        d = _details(t)
        by_setup[(str(d.get("dataset") or t.task), str(t.key.variant.model or "–"))].append(t)
    out = []
    for (dataset, model), rs in by_setup.items():
        trained = [t for t in rs if _details(t)["mode"] != "probe"]
        base = base_values(trained, swept_params(trained))
        cells: dict[str, dict[str, list[TaskResult]]] = defaultdict(lambda: defaultdict(list))
        for t in rs:
            if _details(t)["mode"] == "probe" or at_base(t, base):
                cells[t.key.embedding][_details(t)["mode"]].append(t)
        entries = [_entry(dataset, model, emb, by_mode) for emb, by_mode in cells.items()
                   if len([m for m in by_mode if m in MODES]) >= 2]
        _correct(entries)
        out += entries
    return out


def _per_mode(by_mode, modes, fn):
    return {m: fn(by_mode[m]) for m in modes}


def _entry(dataset: str, model: str, emb: str, by_mode: Mapping[str, list[TaskResult]]) -> dict:
    modes = [m for m in MODES if m in by_mode]
    units = _per_mode(by_mode, modes, unit_accuracies)
    acc = {m: _mean(units[m]) for m in modes}
    tests = {}
    for better, worse in TESTED_PAIRS:
        if better in by_mode and worse in by_mode:
            tests[f"{better}-{worse}"] = document_test(by_mode[better], by_mode[worse]).to_dict()
    pretrained = [t for m in modes if m != "random" for t in by_mode[m]] + list(by_mode.get("probe", []))
    probe = by_mode.get("probe")
    first = by_mode[modes[0]][0]
    return {
        "dataset": dataset, "model": model, "embedding": emb,
        "accuracy": acc,
        "accuracy_sd": {m: float(np.std(units[m], ddof=1)) if len(units[m]) > 1 else None for m in modes},
        "runs": {m: len(units[m]) for m in modes},
        "train_accuracy": _per_mode(by_mode, modes, lambda ts: _mean(_train_accuracy_at_best(t) for t in ts)),
        "gap_at_best": _per_mode(by_mode, modes, lambda ts: _mean((_details(t).get("overfit") or {}).get("gap_at_best")
                                                                 for t in ts)),
        "epochs_run": _per_mode(by_mode, modes, lambda ts: _mean(x for t in ts
                                                                for x in np.ravel(_details(t).get("epochs_run")))),
        "best_epoch": _per_mode(by_mode, modes, lambda ts: _mean(_fold_values(t, "best_epoch") for t in ts)),
        "epoch_cap": (_details(first).get("params") or {}).get("epochs"),
        "drift": _per_mode(by_mode, modes, _drift),
        "token_coverage": _mean(_details(t).get("token_coverage") for t in pretrained),
        "vocab_coverage": _mean(_details(t).get("vocab_coverage") for t in pretrained),
        "uncovered_tokens": next((_details(t).get("uncovered_tokens") for t in pretrained
                                  if _details(t).get("uncovered_tokens")), []),
        "init_bound": _mean(_details(t).get("init_bound") for ts in by_mode.values() for t in ts),
        "seeds": max(len(by_mode[m]) for m in modes),
        "folds": int(_details(first).get("folds") or 0),
        "probe": None if not probe else {"accuracy": _mean(unit_accuracies(probe)),
                                         "accuracy_sd": _sd(unit_accuracies(probe))},
        "tests": tests,
        "ordering": sorted((m for m in modes if acc[m] is not None), key=lambda m: -acc[m]),
    }


def _sd(values) -> float | None:
    return float(np.std(values, ddof=1)) if len(values) > 1 else None


def _fold_values(t: TaskResult, key: str):
    folds = _details(t).get("fold_results") or []
    return _mean(f.get(key) for f in folds) if folds else _details(t).get(key)


def _drift(ts) -> dict:
    drifts = [_details(t).get("drift") or {} for t in ts]
    return {"seen": _mean(d.get("seen") for d in drifts), "unseen": _mean(d.get("unseen") for d in drifts),
            "seen_zero": all(d.get("seen_zero") for d in drifts) if drifts else None,
            "unseen_zero": all(d.get("unseen_zero") for d in drifts) if drifts else None}


def _significant(test: Mapping | None, sign: int) -> bool:
    """The corrected test says the difference has this sign."""
    if not test or test.get("p_holm") is None or test.get("diff") is None:
        return False
    return test["p_holm"] < ALPHA and test["diff"] * sign > 0


def _correct(entries: list[dict]) -> None:
    """Holm-correct every test of one dataset and model together; then judge Kim's order."""
    keys = [(e, k) for e in entries for k in e["tests"]]
    adjusted = holm([e["tests"][k]["p_value"] if e["tests"][k]["p_value"] is not None else float("nan")
                     for e, k in keys])
    for (e, k), p in zip(keys, adjusted):
        e["tests"][k]["p_holm"] = None if p is None or not math.isfinite(p) else float(p)
    for e in entries:
        verdict = None
        if all(m in e["accuracy"] for m in MODES):
            static_rand, tuned_static = e["tests"].get("frozen-random"), e["tests"].get("finetuned-frozen")
            if _significant(static_rand, -1) or _significant(tuned_static, -1):
                verdict = "fails"
            elif _significant(static_rand, +1):
                verdict = "holds"
            else:
                verdict = "not shown"
        e["verdict"] = verdict
        e["expected_order_holds"] = {"holds": True, "fails": False}.get(verdict)


__all__ = ["ALPHA", "MODES", "mode_effects", "unit_accuracies"]
