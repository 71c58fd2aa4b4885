"""Grouping task results across seeds: mean ± sd and a t-interval per configuration."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

from evalsuite.core.results import RunResult, TaskResult
from evalsuite.analysis.significance import seed_summary

_SEED_SUFFIX = re.compile(r"@seed\d+$")


def group_of(tr: TaskResult) -> str:
    """The embedding configuration a result belongs to (its name without the seed)."""
    prov = tr.provenance if isinstance(tr.provenance, Mapping) else {}
    return prov.get("embedding_group") or _SEED_SUFFIX.sub("", tr.embedding)


def seed_of(tr: TaskResult):
    for source in (tr.provenance, tr.details):
        if isinstance(source, Mapping) and source.get("seed") is not None:
            return source["seed"]
    m = re.search(r"@seed(\d+)$", tr.embedding)
    return int(m.group(1)) if m else None


def variant_of(tr: TaskResult) -> str:
    """What distinguishes results of one embedding on one task besides the seed.

    Empty for similarity and analogy; model, mode and settings for fine-tuning.
    """
    if tr.kind != "classification":
        return ""
    d = tr.details if isinstance(tr.details, Mapping) else {}
    parts = [f"{k}={d[k]}" for k in ("model", "mode") if d.get(k) is not None]
    params = d.get("params")
    if isinstance(params, Mapping) and params:
        parts.append(json.dumps(params, sort_keys=True, default=str))
    return " ".join(parts)


def variant_parts(variant: str) -> tuple[dict[str, str], dict]:
    """Split a :func:`variant_of` string into ``({"model": …, "mode": …}, settings)``."""
    brace = variant.find("{")
    head, tail = (variant, "") if brace < 0 else (variant[:brace], variant[brace:])
    named = dict(part.split("=", 1) for part in head.split() if "=" in part)
    try:
        settings = json.loads(tail) if tail else {}
    except ValueError:
        settings = {}
    return named, settings if isinstance(settings, dict) else {}


def variant_labels(rows) -> list[str]:
    """Short labels for rows with ``task`` and ``variant`` (and optionally ``model`` and
    ``mode``): model and mode when the task name lacks them, and only the settings that
    differ between rows of the same task."""
    parts = [variant_parts(getattr(r, "variant", "") or "") for r in rows]
    by_task: dict[str, list[dict]] = {}
    for r, (_, settings) in zip(rows, parts):
        by_task.setdefault(r.task, []).append(settings)
    varying = {task: sorted(k for k in set().union(*ss)
                            if len({json.dumps(s.get(k), sort_keys=True, default=str) for s in ss}) > 1)
               for task, ss in by_task.items()}
    labels = []
    for r, (named, settings) in zip(rows, parts):
        named = {**named, **{k: str(getattr(r, k)) for k in ("model", "mode") if getattr(r, k, None)}}
        words = [named[k] for k in ("model", "mode") if named.get(k) not in (None, "None")
                 and named[k] not in r.task.split("[", 1)[0].split("/")]
        words += [f"{k}={json.dumps(settings[k], default=str)}" for k in varying[r.task] if k in settings]
        labels.append(" / ".join(words))
    return labels


def result_key(tr: TaskResult) -> tuple[str, str, str]:
    """(embedding group, task, variant): results sharing a key differ only by seed."""
    return group_of(tr), tr.task, variant_of(tr)


@dataclass(frozen=True)
class SeedGroup:
    """Results of one configuration on one task, one per seed, with their summary."""

    embedding: str
    task: str
    kind: str
    variant: str
    metric: str
    higher_is_better: bool
    results: tuple[TaskResult, ...]
    mean: float
    sd: float
    n_seeds: int
    ci95: tuple[float, float] | None
    mode: str | None = None
    model: str | None = None

    @property
    def seeds(self) -> list:
        return [seed_of(r) for r in self.results]

    def item_ci_halfwidth(self) -> float | None:
        """Mean half-width of the per-result (item bootstrap) CIs, when they exist."""
        widths = [(r.ci95[1] - r.ci95[0]) / 2 for r in self.results if r.ci95 and None not in r.ci95]
        return sum(widths) / len(widths) if widths else None


def seed_groups(results: Iterable[TaskResult] | RunResult) -> list[SeedGroup]:
    """Group results by :func:`result_key` and summarise each group across seeds."""
    if isinstance(results, RunResult):
        results = results.task_results
    groups: dict[tuple, list[TaskResult]] = {}
    for tr in results:
        groups.setdefault(result_key(tr), []).append(tr)
    out = []
    for (group, task, variant), trs in groups.items():
        trs.sort(key=lambda r: (seed_of(r) is None, seed_of(r) or 0))
        s = seed_summary([r.main_score for r in trs])
        first = trs[0]
        d = first.details if isinstance(first.details, Mapping) else {}
        out.append(
            SeedGroup(
                embedding=group, task=task, kind=first.kind, variant=variant, metric=first.main_score_name,
                higher_is_better=bool(first.higher_is_better), results=tuple(trs), mean=s.mean,
                sd=s.sd if s.n > 1 else 0.0, n_seeds=len(trs), ci95=s.ci95,
                mode=d.get("mode") if first.kind == "classification" else None,
                model=d.get("model") if first.kind == "classification" else None,
            )
        )
    return out


# --- swept settings ----------------------------------------------------------------------
def _params(tr: TaskResult) -> Mapping:
    d = tr.details if isinstance(tr.details, Mapping) else {}
    p = d.get("params")
    return p if isinstance(p, Mapping) else {}


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


def at_base(tr: TaskResult, base: Mapping[str, float], skip: str | None = None) -> bool:
    """True when every swept setting of ``tr`` (but ``skip``) is at its base value."""
    params = _params(tr)
    return all(k == skip or _setting(params.get(k)) == v for k, v in base.items())
