"""Comparisons: Word2Vec vs GloVe within a run, and run vs run.

Statistics come from :mod:`evalsuite.analysis.significance` and the paired tests of
:mod:`evalsuite.analysis.paired`; this module only decides what is compared with what.
The records are those of :mod:`evalsuite.analysis.types`, which the report renders as
they are.

- :func:`analyze` gathers what a run's report shows: across-seed summaries, the
  Word2Vec-or-GloVe :func:`~evalsuite.analysis.verdict.verdicts` (representatives fixed
  before any test score is seen), the settings table and, for a grid, the verdict per
  grid point (:mod:`evalsuite.analysis.sensitivity`).
- :func:`compare_runs` compares every (embedding, task) present in two runs, and
  :func:`pair_verdicts` says from those tests which of the two is better.

The regression gate against a baseline is :mod:`evalsuite.analysis.gate`.
"""

from __future__ import annotations


from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.mode_effects import mode_effects
from evalsuite.analysis.paired import ALPHA, KIND_TESTS, finish as _finish, paired_test  # noqa: F401
from evalsuite.analysis.sensitivity import sensitivity
from evalsuite.analysis.scoreboard import scoreboard
from evalsuite.analysis.settings import settings_table
from evalsuite.analysis.types import Analysis, RunPair, Verdict
from evalsuite.analysis.verdict import FAMILY_LABELS, KINDS, decide, verdicts  # noqa: F401
from evalsuite.core.runspecs import CompareSpec
from evalsuite.core.jsonutil import finite_or_none as _fin
from evalsuite.core.results import RunResult
from evalsuite.analysis.regularization import regularization_effects


def analyze(run: RunResult, *, alpha: float = ALPHA) -> Analysis:
    """Everything the report of a single run shows besides raw scores: :func:`summarize`, the
    Word2Vec-or-GloVe :func:`verdicts`, the settings table and, with ``[compare] grid = true``,
    the verdict at each grid point."""
    summary = summarize(run)
    settings = run.compare or CompareSpec()
    groups = list(summary.seed_summaries)
    vs = verdicts(run, alpha=alpha, groups=groups, settings=settings)
    comps = tuple(c for v in vs if v.kind != "overall" for c in v.comparisons)
    return Analysis(verdicts=tuple(vs), comparisons=comps, seed_summaries=summary.seed_summaries,
                    mode_effects=summary.mode_effects, regularization=summary.regularization, settings=settings_table(run, settings.differences),
                    sensitivity=sensitivity(run, groups, alpha=alpha) if settings.grid else None,
                    scoreboard=scoreboard(groups, alpha=alpha))


def summarize(run: RunResult) -> Analysis:
    """The descriptive part of :func:`analyze`: across-seed summaries and the fine-tuning
    mode effects, without verdicts."""
    return Analysis(seed_summaries=tuple(seed_groups(run)), mode_effects=tuple(mode_effects(run)),
                    regularization=tuple(regularization_effects(run)))


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
                    runs=RunPair(run=a.run_id, baseline_run=b.run_id, only_in_run=tuple(only_a)))



def pair_verdicts(a: RunResult, analysis: Analysis, sides: tuple[str, str], *,
                  alpha: float = ALPHA) -> tuple[Verdict, ...]:
    """Which of two runs is better, from the tests of :func:`compare_runs` as they stand (Holm
    across every compared task, as ``evalsuite compare`` lists them).

    Parameters
    ----------
    a : RunResult
        Run A (the direction of each task's score is read from its results).
    analysis : Analysis
        ``compare_runs(a, b)``.
    sides : (str, str)
        The names of A and B in the verdicts (two different names).
    alpha : float
        Significance level of the sentences (the tests were decided at ``compare_runs``' level).

    Returns
    -------
    tuple of Verdict
        One per task kind compared (in the report's order), preceded by one over all tasks when
        more than one kind was compared; a side wins when it wins significantly on more than half
        of the tasks and the other on none.
    """
    higher = {t.task: t.higher_is_better for t in a.task_results}
    by_kind: dict[str, list] = {}
    for c in analysis.comparisons:
        by_kind.setdefault(c.kind, []).append(c)
    order = sorted(by_kind, key=lambda k: (KINDS.index(k) if k in KINDS else len(KINDS), k))

    def verdict(kind, comps):
        return decide(kind, comps, [higher.get(c.task, True) for c in comps], alpha=alpha, sides=sides)

    out = [verdict(kind, by_kind[kind]) for kind in order]
    if len(order) > 1:
        out.insert(0, verdict("overall", list(analysis.comparisons)))
    return tuple(out)
