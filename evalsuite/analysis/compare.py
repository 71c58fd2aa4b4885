"""Comparisons: Word2Vec vs GloVe within a run, run vs run, and the regression check.

Statistics come from :mod:`evalsuite.analysis.significance` and the paired tests of
:mod:`evalsuite.analysis.paired`; this module only decides what is compared with what.
The records are those of :mod:`evalsuite.analysis.types`, which the report renders as
they are.

- :func:`analyze` gathers what a run's report shows: across-seed summaries, the
  Word2Vec-or-GloVe :func:`~evalsuite.analysis.verdict.verdicts` (representatives fixed
  before any test score is seen), the settings table and, for a grid, the verdict per
  grid point (:mod:`evalsuite.analysis.sensitivity`).
- :func:`compare_runs` compares every (embedding, task) present in two runs.
- :func:`check` is the regression gate against a baseline run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from evalsuite.analysis.aggregate import seed_groups, variant_labels
from evalsuite.analysis.mode_effects import mode_effects
from evalsuite.analysis.paired import ALPHA, KIND_TESTS, finish as _finish, paired_test  # noqa: F401
from evalsuite.analysis.sensitivity import sensitivity
from evalsuite.analysis.settings import settings_table
from evalsuite.analysis.types import Analysis, SeedGroup
from evalsuite.analysis.verdict import FAMILY_LABELS, VerdictSettings, verdicts  # noqa: F401
from evalsuite.core.jsonutil import finite_or_none as _fin, json_safe
from evalsuite.core.results import RunResult, Variant
from evalsuite.analysis.regularization import regularization_effects


def analyze(run: RunResult, *, alpha: float = ALPHA) -> Analysis:
    """Everything the report of a single run shows besides raw scores: :func:`summarize`, the
    Word2Vec-or-GloVe :func:`verdicts`, the settings table and, with ``[compare] grid = true``,
    the verdict at each grid point."""
    summary = summarize(run)
    settings = VerdictSettings.from_table(run.config.get("compare") if run.config else None)
    groups = list(summary.seed_summaries)
    vs = verdicts(run, alpha=alpha, groups=groups, settings=settings)
    comps = tuple(c for v in vs if v.kind != "overall" for c in v.comparisons)
    return Analysis(verdicts=tuple(vs), comparisons=comps, seed_summaries=summary.seed_summaries,
                    extra=summary.extra, settings=settings_table(run, settings.differences),
                    sensitivity=sensitivity(run, groups, alpha=alpha) if settings.grid else None)


def summarize(run: RunResult) -> Analysis:
    """The descriptive part of :func:`analyze`: across-seed summaries and the fine-tuning
    mode effects, without verdicts."""
    extra = {"mode_effects": effects} if (effects := mode_effects(run)) else {}
    if reg := regularization_effects(run):
        extra["regularization"] = reg
    return Analysis(seed_summaries=tuple(seed_groups(run)), extra=extra)


# --- run versus run ----------------------------------------------------------------------
def compare_runs(a: RunResult, b: RunResult, *, alpha: float = ALPHA) -> Analysis:
    """Per (embedding, task) differences A - B with CIs and Holm-corrected significance."""
    gb = {(g.task, g.key): g for g in seed_groups(b)}
    raw = []
    for g in seed_groups(a):
        other = gb.get((g.task, g.key))
        if other is None:
            continue
        res, sa, sb = paired_test(g, other)
        raw.append((dict(task=g.task, kind=g.kind, a=f"{g.embedding} ({a.run_id})", b=f"{g.embedding} ({b.run_id})",
                         metric=g.metric, score_a=_fin(sa), score_b=_fin(sb), variant=g.variant),
                    res, g.higher_is_better))
    comps = _finish(raw, alpha)
    only_a = sorted({(g.embedding, g.task) for g in seed_groups(a)} - {(o.embedding, o.task) for o in gb.values()})
    return Analysis(comparisons=tuple(comps), baseline=b.run_id,
                    extra={"run": a.run_id, "baseline_run": b.run_id, "only_in_run": [list(x) for x in only_a]})


# --- the regression gate ------------------------------------------------------------------
@dataclass(frozen=True)
class CheckRow:
    """One score of the regression check."""

    embedding: str
    task: str
    variant: Variant
    metric: str
    baseline: float | None
    current: float | None
    change: float | None  # positive = better
    tolerance: float
    tolerance_source: str
    status: str  # ok | improved | regression | missing


@dataclass(frozen=True)
class CheckReport:
    """All scores of a run checked against a baseline."""

    run: str
    baseline: str
    rows: tuple[CheckRow, ...]

    @property
    def regressions(self) -> list[CheckRow]:
        return [r for r in self.rows if r.status in ("regression", "missing")]

    @property
    def passed(self) -> bool:
        return not self.regressions

    def to_dict(self) -> dict:
        rows = [{**{f: getattr(r, f) for f in r.__dataclass_fields__}, "variant": r.variant.text} for r in self.rows]
        return json_safe({"run": self.run, "baseline": self.baseline, "passed": self.passed, "rows": rows})

    def markdown(self) -> str:
        """A summary for a CI log."""
        head = "PASS" if self.passed else "FAIL"
        lines = [f"## evalsuite check: {head}", "",
                 f"Run `{self.run}` against baseline `{self.baseline}`: {len(self.rows)} scores, "
                 f"{len(self.regressions)} regression(s).", "",
                 "| status | embedding | task | metric | baseline | current | change | tolerance |",
                 "|---|---|---|---|---:|---:|---:|---:|"]
        order = {"regression": 0, "missing": 1, "improved": 2, "ok": 3}
        rows = sorted(self.rows, key=lambda r: (order.get(r.status, 9), r.embedding, r.task))
        for r, label in zip(rows, variant_labels(rows)):
            task = r.task + (f" ({label})" if label else "")
            mark = {"regression": "**REGRESSION**", "missing": "**MISSING**"}.get(r.status, r.status)
            lines.append(f"| {mark} | {r.embedding} | {task} | {r.metric} | {_f(r.baseline)} | {_f(r.current)} | "
                         f"{_f(r.change, sign=True)} | {r.tolerance:.4f} ({r.tolerance_source}) |")
        return "\n".join(lines) + "\n"


def _f(x, sign=False) -> str:
    if x is None or not math.isfinite(x):
        return "–"
    return f"{x:+.4f}" if sign else f"{x:.4f}"


def default_tolerance(g: SeedGroup) -> tuple[float, str]:
    """Allowed drop for one baseline score.

    With two or more seeds: the half-width of the 95% t-interval of the mean across
    seeds. With one seed (or no spread): the half-width of the score's own 95%
    confidence interval. Otherwise 0.01.
    """
    if g.n_seeds >= 2 and g.ci95 is not None and g.ci95[1] - g.ci95[0] > 0:
        return (g.ci95[1] - g.ci95[0]) / 2, f"seed CI, {g.n_seeds} seeds"
    half = g.item_ci_halfwidth()
    if half is not None and half > 0:
        return half, "item CI"
    return 0.01, "fixed"


def check(run: RunResult, baseline: RunResult, tolerance: float | None = None) -> CheckReport:
    """Compare ``run`` to ``baseline`` score by score.

    A score regresses when its mean across seeds falls below the baseline mean by
    more than the tolerance (``tolerance`` for every score, or
    :func:`default_tolerance` per score). A baseline score missing from the run
    also fails the check.
    """
    current = {(g.task, g.key): g for g in seed_groups(run)}
    rows = []
    for g in seed_groups(baseline):
        tol, source = (float(tolerance), "given") if tolerance is not None else default_tolerance(g)
        c = current.get((g.task, g.key))
        if c is None or not math.isfinite(c.mean):
            rows.append(CheckRow(g.embedding, g.task, g.variant, g.metric, _fin(g.mean), None, None, tol, source, "missing"))
            continue
        change = (c.mean - g.mean) if g.higher_is_better else (g.mean - c.mean)
        status = "regression" if change < -tol else ("improved" if change > tol else "ok")
        rows.append(CheckRow(g.embedding, g.task, g.variant, g.metric, _fin(g.mean), _fin(c.mean), _fin(change),
                             tol, source, status))
    return CheckReport(run=run.run_id, baseline=baseline.run_id, rows=tuple(rows))
