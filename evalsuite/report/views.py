"""Read-only views of a :class:`~evalsuite.core.results.RunResult` for rendering.

Lookups, grouping and number formatting only. The one aggregation done here is the
descriptive mean ± sd across seeds used when the caller supplies no
:class:`~evalsuite.report.inputs.SeedSummary` records.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Sequence

from evalsuite.core.results import RunResult, TaskResult
from evalsuite.analysis.aggregate import is_number  # noqa: F401  (re-exported for the renderers)
from evalsuite.analysis.significance import seed_summary

_SEED_SUFFIX = re.compile(r"[@/:_\-. ]?seed[=_\-]?\d+$", re.IGNORECASE)


def fmt(value, digits: int = 3) -> str:
    """A number with ``digits`` decimals; ``–`` for missing / non-finite values."""
    return f"{value:.{digits}f}" if is_number(value) else "–"


def pct(value, digits: int = 1) -> str:
    """A fraction in [0, 1] as a percentage."""
    return f"{100 * value:.{digits}f}%" if is_number(value) else "–"


def fmt_ci(ci, digits: int = 3, *, percent: bool = False) -> str:
    if not ci or not all(is_number(v) for v in ci):
        return "–"
    f = (lambda v: f"{100 * v:.{max(digits - 2, 1)}f}") if percent else (lambda v: f"{v:.{digits}f}")
    return f"[{f(ci[0])}, {f(ci[1])}]"


def fmt_p(p) -> str:
    """p-value: three significant digits, ``< 0.001`` below that."""
    if not is_number(p):
        return "–"
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def fmt_rate(value) -> str:
    if not is_number(value):
        return "–"
    return f"{value / 1e6:.2f} M" if value >= 1e6 else (f"{value / 1e3:.1f} k" if value >= 1e3 else f"{value:.0f}")


def coverage(tr: TaskResult) -> str:
    return f"{tr.n_scored}/{tr.n_items} ({pct(tr.coverage)})"


def by_kind(run: RunResult, kind: str) -> list[TaskResult]:
    return [t for t in run.task_results if t.kind == kind]


def embedding_entry(run: RunResult, name: str) -> Mapping[str, Any]:
    """The run's record of embedding ``name`` with its meta flattened in."""
    for entry in run.embeddings:
        meta = entry.get("meta", {}) if isinstance(entry.get("meta"), Mapping) else {}
        entry_name = entry.get("name", meta.get("name"))
        if entry_name == name:
            return {**meta, **{k: v for k, v in entry.items() if k != "meta"}}
    return {}


def embedding_names(run: RunResult) -> list[str]:
    """Embedding names, in the order the run lists them, then any only seen in results."""
    names = []
    for entry in run.embeddings:
        meta = entry.get("meta", {}) if isinstance(entry.get("meta"), Mapping) else {}
        name = entry.get("name", meta.get("name"))
        if name is not None:
            names.append(name)
    names += [t.embedding for t in run.task_results]
    return list(dict.fromkeys(names))


def seed_of(tr: TaskResult, run: RunResult | None = None):
    for source in (tr.provenance, tr.details):
        if "seed" in source:
            return source["seed"]
    return embedding_entry(run, tr.embedding).get("seed") if run is not None else None


def group_of(tr: TaskResult, run: RunResult | None = None) -> str:
    """Embedding group: the name shared by the seeds of one configuration.

    Taken from ``provenance["embedding_group"]`` or the embedding record's ``group``;
    otherwise the name without a trailing ``seed<N>`` suffix (``sgns@seed1`` -> ``sgns``).
    """
    group = tr.provenance.get("embedding_group") or tr.provenance.get("group")
    if not group and run is not None:
        group = embedding_entry(run, tr.embedding).get("group")
    return group or _SEED_SUFFIX.sub("", tr.embedding) or tr.embedding


def mean_sd(values: Iterable[float]) -> tuple[float, float, int]:
    """Mean, sample standard deviation (0 for one value) and count of finite values."""
    s = seed_summary([float(v) for v in values if is_number(v)])
    return s.mean, (s.sd if s.n > 1 else (0.0 if s.n else float("nan"))), s.n


def fmt_mean_sd(values: Sequence[float], *, percent: bool = False, digits: int = 3) -> str:
    mean, sd, n = mean_sd(values)
    if n == 0:
        return "–"
    if percent:
        return f"{100 * mean:.1f} ± {100 * sd:.1f}%" if n > 1 else pct(mean)
    return f"{mean:.{digits}f} ± {sd:.{digits}f}" if n > 1 else fmt(mean, digits)


def params_text(params: Mapping[str, Any], keys: Sequence[str] | None = None, limit: int = 8) -> str:
    """``k=v`` pairs for a table cell."""
    items = [(k, params[k]) for k in (keys if keys is not None else list(params)) if k in params]
    text = ", ".join(f"{k}={_short(v)}" for k, v in items[:limit])
    return text + (", …" if len(items) > limit else "")


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
