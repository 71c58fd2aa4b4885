"""Read-only views of a :class:`~evalsuite.core.results.RunResult` for rendering.

Lookups and number formatting only: every summary across seeds comes from the
:class:`~evalsuite.analysis.types.Analysis`.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from evalsuite.analysis.aggregate import is_number  # noqa: F401  (re-exported for the renderers)
from evalsuite.analysis.types import Spread
from evalsuite.core.results import RunResult, TaskResult


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


def fmt_mean_sd(mean, sd, scale=100.0) -> str:
    """``mean ± sd`` times ``scale`` with one decimal (the mean alone without an sd; "–" without a mean)."""
    if not is_number(mean):
        return "–"
    return f"{scale * mean:.1f} ± {scale * sd:.1f}" if is_number(sd) else f"{scale * mean:.1f}"


def fmt_diff_test(test: Mapping | None) -> str:
    """A paired test's difference in points with its Holm-corrected p ("–" without one)."""
    if not test or not is_number(test.get("diff")):
        return "–"
    return f"{100 * test['diff']:+.1f} pt (p {fmt_p(test.get('p_holm'))})"


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


def group_entries(entries: Sequence[Mapping], *keys: str) -> dict[tuple, list[Mapping]]:
    """Analysis entries grouped by the values of ``keys``, in first-seen order."""
    out: dict[tuple, list[Mapping]] = {}
    for e in entries:
        out.setdefault(tuple(e[k] for k in keys), []).append(e)
    return out


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


def embedding_groups(run: RunResult) -> dict[str, str]:
    """The embedding each label of the run belongs to (``sgns@seed1`` -> ``sgns``)."""
    groups = {t.embedding: t.key.embedding for t in run.task_results}
    for entry in run.embeddings:
        meta = entry.get("meta", {}) if isinstance(entry.get("meta"), Mapping) else {}
        name, group = entry.get("name", meta.get("name")), entry.get("group", meta.get("group"))
        if name is not None and group is not None:
            groups[name] = group
    return groups


def run_colors(run: RunResult) -> dict[str, str]:
    """One colour per embedding of ``run``, shared by its seeds, the same in every figure."""
    from .plot_style import embedding_colors  # lazy: matplotlib only when figures are drawn

    return embedding_colors(embedding_names(run), embedding_groups(run))


def fmt_spread(s: Spread | None, *, percent: bool = False, digits: int = 3) -> str:
    """``mean ± sd`` (just the mean for one value; ``–`` for none)."""
    if s is None or s.n == 0:
        return "–"
    if percent:
        return f"{100 * s.mean:.1f} ± {100 * s.sd:.1f}%" if s.n > 1 else pct(s.mean)
    return f"{s.mean:.{digits}f} ± {s.sd:.{digits}f}" if s.n > 1 else fmt(s.mean, digits)


def params_text(params: Mapping[str, Any], keys: Sequence[str] | None = None, limit: int = 8) -> str:
    """``k=v`` pairs for a table cell."""
    items = [(k, params[k]) for k in (keys if keys is not None else list(params)) if k in params]
    text = ", ".join(f"{k}={_short(v)}" for k, v in items[:limit])
    return text + (", …" if len(items) > limit else "")


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
