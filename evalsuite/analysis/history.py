"""Each score across the stored runs of one config: its series, its breaks and the gate's marks.

A run's scores are its seed groups (:func:`~evalsuite.analysis.aggregate.seed_groups`): one
score per embedding group, task and fine-tuning variant, the mean over its seeds, as the
scoreboard and the regression gate group them. :func:`history` lines each score up across
runs (oldest first) and adds:

- **breaks**: where a run's protocol, corpus fingerprint or vocabulary policy differs from the
  run before it (:func:`~evalsuite.analysis.compatibility.mismatches`), its scores do not
  continue the line of the runs before; the break names the differences;
- **check marks**: each run tested against the baseline with the regression gate
  (:func:`~evalsuite.analysis.gate.gate`, under the run's own ``[baseline]`` settings, as
  ``evalsuite check`` does); a run that is not comparable with the baseline is not tested;
- **the baseline's band**: its mean ± the drop the gate tolerates (the margin plus the
  one-sided critical value times the test's standard error, before Holm's correction, for a
  run like the latest one tested), or, where the gate has no standard error, ± 1.96 times
  the baseline's spread across seeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Sequence

from scipy import special

from evalsuite.analysis.aggregate import seed_groups, variant_labels
from evalsuite.analysis.compatibility import mismatches
from evalsuite.analysis.gate import Z95, GateReport, GateRow, gate, gate_settings
from evalsuite.analysis.noise import TABLE_KEY, noise_table
from evalsuite.analysis.types import SeedGroup
from evalsuite.analysis.verdict import KINDS
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.provenance import GitState
from evalsuite.core.registry import suggest
from evalsuite.core.results import RunResult, Variant

#: the gate's statuses that ``evalsuite check`` fails on
FAILED = ("regression", "missing")


class HistoryError(EvalsuiteError):
    """A history that cannot be drawn: no runs, or a task or embedding no run holds."""


@dataclass(frozen=True)
class HistoryRun:
    """One run of the history.

    Parameters
    ----------
    run_id, created : str
        The stored run's id and creation time (UTC, ISO format).
    git : GitState
        The commit and dirty state it ran at (``"unknown"`` for a run stored before runs recorded it).
    break_before : tuple of str
        Why the run's scores do not continue the line of the run before it (each difference in
        protocol, corpus or vocabulary policy); empty when they do, and for the first run.
    check : str
        ``"checked"``, or why the run was not tested against the baseline.
    config_hash : str
        The hash of what in its config determines results (a changed setting changes it).
    """

    run_id: str
    created: str
    git: GitState
    break_before: tuple[str, ...] = ()
    check: str = "no baseline"
    config_hash: str = ""

    @property
    def checked(self) -> bool:
        return self.check == "checked"


@dataclass(frozen=True)
class HistoryPoint:
    """One score in one run.

    Parameters
    ----------
    score : float or None
        Mean over the run's seeds (None: not finite).
    ci95 : tuple of float or None
        Its 95% interval: across seeds (a t-interval) with two or more seeds, else the single
        result's bootstrap interval over items.
    n_seeds : int
        Results behind the score.
    status : str or None
        The gate's status of the score (``regression``, ``missing``, ``noise``, ``margin``,
        ``untested``, ``ok``); None where the run was not tested.
    change, p_holm : float or None
        The gate's change against the baseline (positive = better) and Holm-adjusted p-value.
    sufficient : bool
        False when the score rests on too few items (never tested by the gate).
    """

    score: float | None
    ci95: tuple[float, float] | None = None
    n_seeds: int = 0
    status: str | None = None
    change: float | None = None
    p_holm: float | None = None
    sufficient: bool = True

    @property
    def failed(self) -> bool:
        """True where ``evalsuite check`` fails this score (a significant drop, or missing)."""
        return self.status in FAILED


@dataclass(frozen=True)
class Band:
    """The baseline's band around its mean ``center``: ``[low, high]``.

    ``basis``: ``"gate"`` (± the drop the gate tolerates), ``"seeds"`` (± 1.96 × the spread across
    the baseline's seeds) or ``"mean"`` (the mean alone: neither is known).
    """

    center: float
    low: float
    high: float
    basis: str


@dataclass(frozen=True)
class ScoreSeries:
    """One score across the runs: a point per run (None where the run lacks the score).

    Parameters
    ----------
    embedding, task : str
        Embedding group and task.
    variant : Variant
        Fine-tuning classifier, mode and settings (empty for similarity and analogy).
    variant_label : str
        Short label of the variant (only what tells this task's variants apart).
    kind, metric : str
        Task kind and the score's name.
    higher_is_better : bool
    points : tuple of HistoryPoint or None
        Aligned with :attr:`History.runs`.
    band : Band or None
        The baseline's band (None without a baseline score).
    """

    embedding: str
    task: str
    variant: Variant
    variant_label: str
    kind: str
    metric: str
    higher_is_better: bool
    points: tuple[HistoryPoint | None, ...]
    band: Band | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return self.embedding, self.task, self.variant.text

    @property
    def failures(self) -> list[int]:
        """Indices of the runs where ``check`` fails this score."""
        return [i for i, p in enumerate(self.points) if p is not None and p.failed]


@dataclass(frozen=True)
class History:
    """The scores of the runs named ``name``, oldest run first.

    Parameters
    ----------
    name : str
        The runs' name (the config's run name).
    runs : tuple of HistoryRun
    series : tuple of ScoreSeries
        By task kind (similarity, analogy, fine-tuning), then in the runs' order of tasks and
        embeddings.
    baseline : str or None
        The baseline the runs were tested against (None: none).
    level, margin : float or None
        The gate's family-wise false-alarm rate and margin (of the latest run tested).
    """

    name: str
    runs: tuple[HistoryRun, ...]
    series: tuple[ScoreSeries, ...]
    baseline: str | None = None
    level: float | None = None
    margin: float | None = None

    @property
    def segments(self) -> list[range]:
        """The stretches of runs whose scores form one line (a break starts a new one)."""
        starts = [i for i, r in enumerate(self.runs) if i == 0 or r.break_before] + [len(self.runs)]
        return [range(a, b) for a, b in zip(starts, starts[1:])]

    def failures(self, run: int) -> int:
        """How many scores ``check`` fails in run number ``run``."""
        return sum(1 for s in self.series if s.points[run] is not None and s.points[run].failed)


def _key(g: SeedGroup) -> tuple[str, str, str]:
    return g.embedding, g.task, g.variant.text


def _finite(x) -> float | None:
    return float(x) if isinstance(x, (int, float)) and math.isfinite(x) else None


def _point(g: SeedGroup, row: GateRow | None) -> HistoryPoint:
    ci = g.ci95 if g.n_seeds > 1 else (g.results[0].ci95 if g.results else None)
    ci = (float(ci[0]), float(ci[1])) if ci and all(_finite(v) is not None for v in ci) else None
    if row is None:
        return HistoryPoint(_finite(g.mean), ci, g.n_seeds, sufficient=g.sufficient)
    return HistoryPoint(_finite(g.mean), ci, g.n_seeds, row.status, row.change, row.p_holm, g.sufficient)


def _with_noise_table(baseline: RunResult) -> RunResult:
    """The baseline with its noise table computed once (as ``evalsuite baseline`` stores it), so that
    testing many runs against it does not resample its items again for each."""
    if isinstance(baseline.provenance.get(TABLE_KEY), list):
        return baseline
    return replace(baseline, provenance={**dict(baseline.provenance), TABLE_KEY: noise_table(baseline)})


def _checks(runs: Sequence[RunResult], baseline: RunResult | None, baseline_name: str | None):
    """Per run: its gate report (None when not tested) and why not."""
    if baseline is None:
        return [(None, "no baseline")] * len(runs)
    prepared = _with_noise_table(baseline)
    out = []
    for run in runs:
        found = mismatches(run, baseline)
        if found:
            out.append((None, "not checked: not comparable with the baseline (" + "; ".join(m.what for m in found) + ")"))
            continue
        settings = gate_settings(run.baseline, baseline.baseline)
        out.append((gate(run, prepared, settings, baseline_name=baseline_name), "checked"))
    return out


def _band(g: SeedGroup | None, row: GateRow | None, report: GateReport | None) -> Band | None:
    """The baseline's band of one score (see the module docstring)."""
    mean = _finite(g.mean) if g is not None else None
    if mean is None:
        return None
    if row is not None and report is not None and row.se is not None and row.df:
        q = 1 - report.level
        critical = special.ndtri(q) if math.isinf(row.df) else special.stdtrit(row.df, q)
        half = report.margin + float(critical) * row.se
        return Band(mean, mean - half, mean + half, "gate")
    if g.n_seeds > 1 and _finite(g.sd):
        return Band(mean, mean - Z95 * g.sd, mean + Z95 * g.sd, "seeds")
    return Band(mean, mean, mean, "mean")


def _choose(groups: list[SeedGroup], what: str, wanted: Sequence[str], get) -> list[SeedGroup]:
    if not wanted:
        return groups
    known = list(dict.fromkeys(get(g) for g in groups))
    for name in wanted:
        if name not in known:
            raise HistoryError(f"--{what} {name!r}: no run of this history holds it{suggest(name, known)}; "
                               f"known: {', '.join(known[:12])}{' ...' if len(known) > 12 else ''}")
    return [g for g in groups if get(g) in wanted]


def history(runs: Sequence[RunResult], baseline: RunResult | None = None, *, baseline_name: str | None = None,
            tasks: Sequence[str] = (), embeddings: Sequence[str] = ()) -> History:
    """Each score of ``runs`` across them (see the module docstring).

    Parameters
    ----------
    runs : sequence of RunResult
        The runs of one config, oldest first.
    baseline : RunResult, optional
        The run (or baseline file) each run is tested against with the regression gate.
    baseline_name : str, optional
        How messages name the baseline (default: its run id).
    tasks, embeddings : sequence of str
        Keep only these tasks and embedding groups (all when empty).

    Returns
    -------
    History

    Raises
    ------
    HistoryError
        Without runs, or for a task or embedding no run holds.
    BaselineError
        For a baseline the gate cannot test against.
    """
    runs = list(runs)
    if not runs:
        raise HistoryError("no runs to show")
    per_run = [{_key(g): g for g in seed_groups(r)} for r in runs]
    every = [g for groups in reversed(per_run) for g in groups.values()]  # the newest run's order first
    every = _choose(every, "task", tasks, lambda g: g.task)
    every = _choose(every, "embedding", embeddings, lambda g: g.embedding)
    newest: dict[tuple, SeedGroup] = {}  # one group per score, from the newest run that holds it
    for g in every:
        newest.setdefault(_key(g), g)
    chosen = list(newest.values())
    order = {k: i for i, k in enumerate(KINDS)}
    chosen.sort(key=lambda g: order.get(g.kind, len(KINDS)))  # stable: the run's order within a kind
    labels = variant_labels(chosen)

    checks = _checks(runs, baseline, baseline_name)
    base_groups = {_key(g): g for g in seed_groups(baseline)} if baseline is not None else {}
    rows = [{(r.embedding, r.task, r.variant.text): r for r in report.rows} if report else {} for report, _ in checks]
    last_checked = next((i for i in reversed(range(len(runs))) if checks[i][0] is not None), None)

    series = []
    for g, label in zip(chosen, labels):
        key = _key(g)
        points = []
        for groups, row in zip(per_run, rows):
            here = groups.get(key)
            if here is not None:
                points.append(_point(here, row.get(key)))
            elif row.get(key) is not None:  # a baseline score the run lacks: check fails it
                r = row[key]
                points.append(HistoryPoint(None, None, 0, r.status, r.change, r.p_holm))
            else:
                points.append(None)
        latest_row = rows[last_checked].get(key) if last_checked is not None else None
        band = _band(base_groups.get(key), latest_row, checks[last_checked][0] if last_checked is not None else None)
        series.append(ScoreSeries(g.embedding, g.task, g.variant, label, g.kind, g.metric, g.higher_is_better,
                                  tuple(points), band))

    hruns = []
    for i, (run, (_, note)) in enumerate(zip(runs, checks)):
        breaks = tuple(m.text() for m in mismatches(runs[i - 1], run)) if i else ()
        hruns.append(HistoryRun(run.run_id, run.created, GitState.from_provenance(run.provenance), breaks, note,
                                run.config_hash or ""))
    latest = checks[last_checked][0] if last_checked is not None else None
    name = baseline_name or (baseline.run_id if baseline is not None else None)
    return History(runs[-1].name, tuple(hruns), tuple(series), name,
                   latest.level if latest else None, latest.margin if latest else None)


__all__ = ["Band", "FAILED", "History", "HistoryError", "HistoryPoint", "HistoryRun", "ScoreSeries", "history"]
