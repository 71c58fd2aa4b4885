"""Does the answer depend on the hyperparameters? A verdict at every point of a grid.

A config that sweeps the same settings for a Word2Vec and a GloVe embedding
(``window = [2, 5, 10]``, ``output = ["W", "W+C"]`` in both) and sets
``[compare] grid = true`` gets, for each point of the grid, the Word2Vec embedding
compared with the GloVe embedding trained with the same swept values on every task
(Holm across the tasks of that point), and a count over the points: in how many each
family is ahead (higher on more tasks) and in how many its lead is significant (the
point's verdict names it the winner). Points are not corrected against each other:
each is its own question ("with these settings, which is better?").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from evalsuite.analysis.paired import ALPHA, finish, paired_test
from evalsuite.analysis.types import SeedGroup, Verdict
from evalsuite.analysis.verdict import decide
from evalsuite.core.jsonutil import finite_or_none as _fin, json_safe
from evalsuite.core.results import RunResult
from evalsuite.store.embedding_record import embedding_records


@dataclass(frozen=True)
class GridPoint:
    """The verdict at one point of a hyperparameter grid.

    Parameters
    ----------
    setting : tuple of (str, value) pairs
        The swept values shared by the two embeddings, e.g. ``(("output", "W"), ("window", 5))``.
    a, b : str
        The Word2Vec and the GloVe embedding trained with them.
    verdict : Verdict
        Over the tasks of this point (Holm across them).
    ahead : str or None
        The side with the higher score on more tasks (None for a draw).
    """

    setting: tuple[tuple[str, Any], ...]
    a: str
    b: str
    verdict: Verdict
    ahead: str | None = None

    @property
    def label(self) -> str:
        """``window=5, output=W``."""
        return ", ".join(f"{k}={v}" for k, v in self.setting) or "(no sweep)"

    def to_dict(self) -> dict:
        return json_safe({"setting": dict(self.setting), "a": self.a, "b": self.b, "ahead": self.ahead,
                          "verdict": self.verdict.to_dict()})


@dataclass(frozen=True)
class Sensitivity:
    """Does the answer depend on the hyperparameters? The verdict at every grid point.

    Parameters
    ----------
    points : tuple of GridPoint
    a, b : str
        The two sides (``"Word2Vec"``, ``"GloVe"``).
    ahead_a, significant_a, ahead_b, significant_b : int
        Points where each side is ahead on more tasks, and where the verdict names it
        the winner.
    summary : str
        ``"Word2Vec ahead in k of n settings, significantly in m; ..."``.
    """

    points: tuple[GridPoint, ...]
    a: str = "Word2Vec"
    b: str = "GloVe"
    ahead_a: int = 0
    significant_a: int = 0
    ahead_b: int = 0
    significant_b: int = 0
    summary: str = ""

    def to_dict(self) -> dict:
        return json_safe({"a": self.a, "b": self.b, "ahead_a": self.ahead_a, "significant_a": self.significant_a,
                          "ahead_b": self.ahead_b, "significant_b": self.significant_b, "summary": self.summary,
                          "points": [p.to_dict() for p in self.points]})



def _setting_key(sweep: Mapping) -> str:
    return json.dumps(dict(sweep), sort_keys=True, default=str)


def grid_pairs(run: RunResult) -> list[tuple[tuple, str, str]]:
    """``(setting, word2vec group, glove group)`` for each swept setting both families were trained with.

    The setting is the embeddings' ``sweep`` (the swept values), as sorted pairs; the
    order is that of the run's records.
    """
    by_setting: dict[str, dict[str, str]] = {}
    settings: dict[str, tuple] = {}
    for e in embedding_records(run):
        if e.family not in ("word2vec", "glove"):
            continue
        key = _setting_key(e.sweep)
        settings.setdefault(key, tuple(e.sweep.items()))
        by_setting.setdefault(key, {}).setdefault(e.family, e.group or e.name)
    return [(settings[k], fams["word2vec"], fams["glove"]) for k, fams in by_setting.items()
            if "word2vec" in fams and "glove" in fams]


def _ahead(point_comps, hibs) -> str | None:
    up = sum(1 for c, h in zip(point_comps, hibs) if c.diff is not None and (c.diff > 0) == h and c.diff != 0)
    down = sum(1 for c, h in zip(point_comps, hibs) if c.diff is not None and (c.diff < 0) == h and c.diff != 0)
    return "Word2Vec" if up > down else ("GloVe" if down > up else None)


def grid_point(setting: tuple, a: str, b: str, groups: Sequence[SeedGroup], *, alpha: float = ALPHA) -> GridPoint:
    """The verdict of embedding ``a`` (Word2Vec) against ``b`` (GloVe) over the tasks both were scored on."""
    by_key = {(g.embedding, g.kind, g.task, g.variant): g for g in groups}
    raw, excluded = [], []
    for (emb, kind, task, variant), ga in by_key.items():
        gb = by_key.get((b, kind, task, variant))
        if emb != a or gb is None or variant.mode == "random":
            continue
        if not (ga.sufficient and gb.sufficient):
            excluded.append(task)
            continue
        res, sa, sb = paired_test(ga, gb)
        raw.append((dict(task=task, kind=kind, a=a, b=b, metric=ga.metric, score_a=_fin(sa), score_b=_fin(sb),
                         variant=variant), res, ga.higher_is_better))
    comps = finish(raw, alpha)
    hibs = [h for *_, h in raw]
    label = ", ".join(f"{k}={v}" for k, v in setting)
    verdict = decide("overall", comps, hibs, alpha=alpha, selection=f"grid point {label}", excluded=excluded)
    return GridPoint(setting=setting, a=a, b=b, verdict=verdict, ahead=_ahead(comps, hibs))


def sensitivity(run: RunResult, groups: Sequence[SeedGroup], *, alpha: float = ALPHA) -> Sensitivity | None:
    """The verdict at every grid point and the count over points; None when the run has no such pairs."""
    pairs = grid_pairs(run)
    if not pairs:
        return None
    points = tuple(grid_point(setting, a, b, groups, alpha=alpha) for setting, a, b in pairs)
    n = len(points)
    counts = {side: (sum(p.ahead == side for p in points), sum(p.verdict.winner == side for p in points))
              for side in ("Word2Vec", "GloVe")}
    (aw, sw), (ag, sg) = counts["Word2Vec"], counts["GloVe"]
    summary = (f"Word2Vec ahead in {aw} of {n} settings, significantly in {sw}; GloVe ahead in {ag}, "
               f"significantly in {sg} (ahead: higher on more tasks; significantly: the setting's verdict, "
               f"Holm-corrected across its tasks, names it the winner).")
    return Sensitivity(points=points, ahead_a=aw, significant_a=sw, ahead_b=ag, significant_b=sg, summary=summary)


__all__ = ["GridPoint", "Sensitivity", "grid_pairs", "grid_point", "sensitivity"]
