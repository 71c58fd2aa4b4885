"""Grouping task results across seeds: mean ± sd and a t-interval per configuration,
and the swept fine-tuning settings."""

from __future__ import annotations

import json
import math
from typing import Iterable, Mapping

from evalsuite.analysis.significance import seed_summary
from evalsuite.analysis.types import SeedGroup, Spread
from evalsuite.core.results import RunResult, TaskResult
from evalsuite.data.datasets.classification import setup_name

#: fine-tuning numbers summarised per seed group: name -> (details entry, key inside it)
FINETUNE_MEASURES = {
    "best_epoch": ("best_epoch", None),
    "gap_at_best": ("overfit", "gap_at_best"),
    "gap_at_last": ("overfit", "gap_at_last"),
    "epochs_past_best": ("overfit", "epochs_past_best"),
    "val_loss_rise": ("overfit", "val_loss_rise"),
    "drift_seen": ("drift", "seen"),
    "drift_unseen": ("drift", "unseen"),
}


def variant_labels(rows) -> list[str]:
    """Short labels for rows with ``task`` and ``variant`` (a :class:`~evalsuite.core.results.Variant`):
    model and mode when the task name lacks them, and only the settings that differ between
    rows of the same task."""
    settings = [r.variant.settings_dict for r in rows]
    by_task: dict[str, list[dict]] = {}
    for r, s in zip(rows, settings):
        by_task.setdefault(r.task, []).append(s)
    varying = {task: sorted(k for k in set().union(*ss)
                            if len({json.dumps(s.get(k), sort_keys=True, default=str) for s in ss}) > 1)
               for task, ss in by_task.items()}
    labels = []
    for r, s in zip(rows, settings):
        words = [w for w in (r.variant.model, r.variant.mode) if w is not None and not _shows(r.task, w)]
        words += [f"{k}={json.dumps(s[k], default=str)}" for k in varying[r.task] if k in s]
        labels.append(" / ".join(words))
    return labels


def _shows(task: str, word: str) -> bool:
    """Whether the task name already shows ``word`` to the reader as one of its parts
    (``mr/bag/finetuned[dropout=0.5]`` shows ``bag`` and ``finetuned``)."""
    return any(part == word or part.startswith(f"{word}[") for part in task.split("/"))


def spread(values: Iterable) -> Spread:
    """Mean and sample sd of the finite numbers among ``values``."""
    s = seed_summary([float(v) for v in values if is_number(v)])
    return Spread(s.mean, s.sd if s.n > 1 else (0.0 if s.n else math.nan), s.n)


def _detail(tr: TaskResult, entry: str, key: str | None):
    value = tr.details.get(entry) if isinstance(tr.details, Mapping) else None
    if key is None:
        return value
    return value.get(key) if isinstance(value, Mapping) else None


def _measures(trs: list[TaskResult], kind: str) -> dict[str, Spread]:
    out = {"score": spread(r.main_score for r in trs)}
    if kind == "classification":
        for name, (entry, key) in FINETUNE_MEASURES.items():
            out[name] = spread(_detail(r, entry, key) for r in trs)
    return out


def seed_groups(results: Iterable[TaskResult] | RunResult) -> list[SeedGroup]:
    """Group results by task and :class:`~evalsuite.core.results.ResultKey` (less the seed),
    and summarise each group across seeds."""
    if isinstance(results, RunResult):
        results = results.task_results
    groups: dict[tuple, list[TaskResult]] = {}
    for tr in results:
        groups.setdefault((tr.task, tr.key.without_seed()), []).append(tr)
    out = []
    for (task, key), trs in groups.items():
        trs.sort(key=lambda r: (r.key.seed is None, r.key.seed or 0))
        s = seed_summary([r.main_score for r in trs])
        first = trs[0]
        out.append(SeedGroup(
            key=key, task=task, kind=first.kind, metric=first.main_score_name, mean=s.mean,
            sd=s.sd if s.n > 1 else 0.0, n_seeds=len(trs), ci95=s.ci95,
            higher_is_better=bool(first.higher_is_better), results=tuple(trs), measures=_measures(trs, first.kind)))
    return out


# --- swept settings ----------------------------------------------------------------------
def _params(keyed) -> Mapping:
    """The fine-tuning settings of a TaskResult or SeedGroup (anything with a ``key``)."""
    return keyed.key.variant.settings_dict


def is_number(value) -> bool:
    """A finite int or float (bools excluded)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _setting(v):
    """A setting's value as a number when it is one (``True`` / ``False`` as 1 / 0), else None."""
    if isinstance(v, bool):
        return float(v)
    return float(v) if is_number(v) else None


def swept_params(results: Iterable[TaskResult]) -> list[str]:
    """Numeric (or true / false) fine-tuning settings that take more than one value among ``results``."""
    values: dict[str, set[float]] = {}
    for t in results:
        for k, v in _params(t).items():
            if _setting(v) is not None and k != "seed":
                values.setdefault(k, set()).add(_setting(v))
    return sorted(k for k, vs in values.items() if len(vs) > 1)


def _sweep_base(results) -> dict:
    """The base of a one-at-a-time sweep, when the results record one."""
    for t in results:
        d = t.details if isinstance(t.details, Mapping) else {}
        sweep = d.get("sweep")
        if isinstance(sweep, Mapping) and isinstance(sweep.get("base"), Mapping):
            return dict(sweep["base"])
    return {}


def base_values(results: Iterable[TaskResult], swept: Iterable[str]) -> dict[str, float]:
    """The base value of each swept setting: the shared base of a one-at-a-time sweep,
    else the smallest value (usually 0: no regularization)."""
    results = list(results)
    recorded = _sweep_base(results)
    out = {}
    for k in swept:
        if _setting(recorded.get(k)) is not None:
            out[k] = _setting(recorded[k])
        else:
            out[k] = min(x for t in results if (x := _setting(_params(t).get(k))) is not None)
    return out


def at_base(tr, base: Mapping[str, float], skip: str | None = None) -> bool:
    """True when every swept setting of ``tr`` (a TaskResult or SeedGroup; all but ``skip``) is at
    its base value. A setting ``tr`` does not have (the probe has no weight decay) cannot be off
    its base: such a result is shown at its only setting."""
    params = _params(tr)
    return all(k == skip or k not in params or _setting(params[k]) == v for k, v in base.items())


def _dataset(t) -> str | None:
    """The dataset a fine-tuning result (or seed group) was trained on, from its details."""
    first = t.results[0] if isinstance(t, SeedGroup) and t.results else t
    details = getattr(first, "details", None)
    dataset = details.get("dataset") if isinstance(details, Mapping) else None
    return dataset if isinstance(dataset, str) else None


def setup_of(t) -> str:
    """The fine-tuning setup of a result (or seed group): its dataset, classifier and mode
    (``mr/bag/finetuned``), from its details and key; the results of one sweep share it.
    A result without a dataset or a classifier is its own setup, its task."""
    dataset, variant = _dataset(t), t.key.variant
    if dataset is None or variant.model is None or variant.mode is None:
        return t.task
    return setup_name(dataset, variant.model, variant.mode)


def study_of(t) -> str:
    """The dataset and classifier of a result (or seed group), ``mr/bag``: its modes and swept
    settings are shown together. Without them, its task."""
    dataset, variant = _dataset(t), t.key.variant
    if dataset is None or variant.model is None or variant.mode is None:
        return t.task
    return setup_name(dataset, variant.model, variant.mode).rsplit("/", 1)[0]
