"""The scoreboard: every embedding's main score on every task, ranked within each task.

One column per task: each word-similarity and analogy dataset, and per fine-tuning
setup (dataset, classifier, mode) the base setting of its sweep (the smallest
regularization, or the recorded base of a one-at-a-time sweep). In each column the best
embedding (by its mean over seeds) is tested against every other with the task's paired
test (:func:`evalsuite.analysis.paired.paired_test`), Holm-corrected across that column;
a cell is marked when it is significantly below the best. Scores resting on too little
evidence (``TaskResult.sufficient``) are shown but neither ranked nor tested.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

from evalsuite.analysis.aggregate import at_base, base_values, setup_of, swept_params
from evalsuite.analysis.paired import ALPHA, finish, paired_test
from evalsuite.analysis.types import SeedGroup
from evalsuite.core.jsonutil import json_safe


@dataclass(frozen=True)
class ScoreCell:
    """One embedding's score on one task.

    Parameters
    ----------
    score : float or None
        Mean main score over seeds (None when the task was not run for this embedding).
    rank : int or None
        1 for the column's best; None when the cell is not ranked (insufficient, missing).
    below_best : bool
        Significantly below the column's best after Holm correction across the column.
    p_adjusted : float or None
        Holm-adjusted p-value of the test against the best (None for the best itself).
    sufficient : bool
        False when the score rests on too few items; such a cell is shown greyed.
    """

    score: float | None
    rank: int | None = None
    below_best: bool = False
    p_adjusted: float | None = None
    sufficient: bool = True


@dataclass(frozen=True)
class ScoreColumn:
    """One task of the scoreboard: its label, kind, metric and a cell per embedding."""

    task: str
    label: str
    kind: str
    metric: str
    test: str
    cells: tuple[ScoreCell, ...]


@dataclass(frozen=True)
class Scoreboard:
    """Embeddings (rows) × tasks (columns), ranked per column.

    Parameters
    ----------
    embeddings : tuple of str
        Row order: the run's embedding groups.
    columns : tuple of ScoreColumn
    alpha : float
        Significance level of the marks (after Holm across each column).
    n_seeds : int
        Largest number of seeds behind a cell.
    base_settings : tuple of (str, tuple of (str, float))
        For fine-tuning columns with a sweep, the setup and the swept values shown
        (``("mr/bag/random", (("weight_decay", 0.0),))``).
    """

    embeddings: tuple[str, ...]
    columns: tuple[ScoreColumn, ...]
    alpha: float = ALPHA
    n_seeds: int = 1
    base_settings: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = ()

    def to_dict(self) -> dict:
        return json_safe({"embeddings": list(self.embeddings), "alpha": self.alpha, "n_seeds": self.n_seeds,
                          "base_settings": {setup: dict(values) for setup, values in self.base_settings},
                          "columns": [{"task": c.task, "label": c.label, "kind": c.kind, "metric": c.metric,
                                       "test": c.test,
                                       "cells": [vars(cell) for cell in c.cells]} for c in self.columns]})


def _columns(groups: Sequence[SeedGroup]) -> tuple[list[tuple[str, str, list[SeedGroup]]], list[tuple]]:
    """(task, label, groups) per column in run order, and the base setting of each swept setup."""
    word: dict[str, list[SeedGroup]] = {}
    tuned: dict[str, list[SeedGroup]] = {}
    for g in groups:
        (tuned if g.kind == "classification" else word).setdefault(
            setup_of(g) if g.kind == "classification" else g.task, []).append(g)
    columns = [(task, task, gs) for task, gs in word.items()]
    bases = []
    one_model = len({g.model for gs in tuned.values() for g in gs}) <= 1
    for setup, gs in tuned.items():
        results = [r for g in gs for r in g.results]
        swept = swept_params(results)
        base = base_values(results, swept)
        chosen = [g for g in gs if at_base(g, base)]
        if base:
            bases.append((setup, tuple(sorted(base.items()))))
        parts = setup.split("/")  # dataset/model/mode: the model is said once, in the legend, when shared
        label = " ".join(parts[:1] + parts[2:]) if one_model and len(parts) == 3 else " ".join(parts)
        columns.append((chosen[0].task if chosen else setup, label, chosen))
    return columns, bases


def _ranked(gs: list[SeedGroup]) -> list[SeedGroup]:
    """The groups that can be ranked, best first."""
    usable = [g for g in gs if g.sufficient and g.mean is not None and math.isfinite(g.mean)]
    return sorted(usable, key=lambda g: -g.mean if g.higher_is_better else g.mean)


def _column(task: str, label: str, gs: list[SeedGroup], embeddings: Sequence[str], alpha: float) -> ScoreColumn:
    ranked = _ranked(gs)
    tests = {}
    if len(ranked) > 1:
        best = ranked[0]
        raw = []
        for other in ranked[1:]:
            res, _, _ = paired_test(best, other)
            raw.append((dict(task=best.task, kind=best.kind, a=best.embedding, b=other.embedding,
                             metric=best.metric, score_a=best.mean, score_b=other.mean, variant=best.variant),
                        res, best.higher_is_better))
        tests = {c.b: c for c in finish(raw, alpha)}
    rank = {g.embedding: i + 1 for i, g in enumerate(ranked)}
    by_name = {g.embedding: g for g in gs}
    cells = []
    for name in embeddings:
        g = by_name.get(name)
        if g is None:
            cells.append(ScoreCell(None, sufficient=True))
            continue
        c = tests.get(name)
        cells.append(ScoreCell(g.mean, rank.get(name), below_best=bool(c and c.significant),
                               p_adjusted=c.p_adjusted if c else None, sufficient=g.sufficient))
    first = gs[0] if gs else None
    return ScoreColumn(task, label, first.kind if first else "", first.metric if first else "",
                       next((c.test for c in tests.values() if c.test), ""), tuple(cells))


def scoreboard(groups: Sequence[SeedGroup], *, alpha: float = ALPHA) -> Scoreboard | None:
    """The scoreboard of a run's seed groups (:func:`evalsuite.analysis.aggregate.seed_groups`);
    None when there is nothing to show."""
    groups = list(groups)
    if not groups:
        return None
    embeddings = tuple(dict.fromkeys(g.embedding for g in groups))
    columns, bases = _columns(groups)
    return Scoreboard(embeddings=embeddings,
                      columns=tuple(_column(t, label, gs, embeddings, alpha) for t, label, gs in columns if gs),
                      alpha=alpha, n_seeds=max(g.n_seeds for g in groups), base_settings=tuple(bases))


__all__ = ["ScoreCell", "ScoreColumn", "Scoreboard", "scoreboard"]
