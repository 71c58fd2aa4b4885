"""Choosing a family's representative without looking at the scores it will be tested on.

When a run has several embeddings of one family (four Word2Vec variants, say) and the
config does not name the one to compare, picking the best by its test score and then
testing it would select on the test set: with four tries against one, chance alone
favours the larger family. Here the items of each dataset are split once, with a seed,
into a dev part and a held-out part; each family's best on the dev part is chosen, and
only the held-out part is used for the test. Fine-tuning results are chosen by their
validation accuracy and tested on their test set, which the validation never saw.
"""

from __future__ import annotations

import math
import zlib

import numpy as np

from evalsuite.analysis.paired import correct_column
from evalsuite.analysis.types import SeedGroup
from evalsuite.evaluate.metrics import spearman


def dev_split(n: int, fraction: float, seed: int, task: str) -> tuple[np.ndarray, np.ndarray]:
    """``(dev, held_out)`` boolean masks over ``n`` items.

    A permutation drawn from ``seed`` and the task name (each dataset gets its own split,
    the same in every run); the first ``round(fraction * n)`` items are the dev part.
    """
    rng = np.random.default_rng([int(seed), zlib.crc32(task.encode("utf-8"))])
    order = rng.permutation(n)
    dev = np.zeros(n, dtype=bool)
    dev[order[: int(round(fraction * n))]] = True
    return dev, ~dev


def n_items(g: SeedGroup) -> int:
    """Number of items of the group's task (length of its per-item columns)."""
    first = g.results[0]
    column = first.items.get("gold") if g.kind == "similarity" else first.items.get("predicted")
    return len(column or [])


def _similarity_score(g: SeedGroup, subset: np.ndarray) -> float:
    values = []
    for r in g.results:
        gold, pred = r.items.get("gold") or [], r.items.get("predicted") or []
        keep = [i for i, p in enumerate(pred) if p is not None and subset[i]]
        if len(keep) > 2:
            values.append(float(spearman(np.asarray([gold[i] for i in keep], dtype=float),
                                         np.asarray([pred[i] for i in keep], dtype=float))))
    return float(np.mean(values)) if values else math.nan


def _analogy_score(g: SeedGroup, subset: np.ndarray) -> float:
    values = []
    for r in g.results:
        answered = [c for i, c in enumerate(correct_column(r)) if c is not None and subset[i]]
        if answered:
            values.append(float(np.mean(answered)))
    return float(np.mean(values)) if values else math.nan


def selection_score(g: SeedGroup, dev: np.ndarray | None) -> float:
    """The score a representative is chosen by, oriented so that higher is better.

    Similarity: Spearman on the dev pairs; analogy: accuracy on the dev questions
    (means over seeds); fine-tuning: the best validation accuracy (``dev`` unused).
    NaN when there is nothing to score.
    """
    if g.kind == "classification":
        vals = [r.scores.get("best_val_accuracy") for r in g.results]
        vals = [float(v) for v in vals if isinstance(v, (int, float)) and math.isfinite(v)]
        return float(np.mean(vals)) if vals else math.nan
    if dev is None or len(dev) != n_items(g):
        return math.nan
    score = _similarity_score(g, dev) if g.kind == "similarity" else _analogy_score(g, dev)
    return score if g.higher_is_better else -score


def choose(candidates: list[SeedGroup], dev: np.ndarray | None) -> SeedGroup | None:
    """The candidate with the best :func:`selection_score` (ties: the first by name); None if none scores."""
    scored = [(selection_score(g, dev), g) for g in sorted(candidates, key=lambda g: g.embedding)]
    scored = [(s, g) for s, g in scored if math.isfinite(s)]
    if not scored:
        return None
    best = max(s for s, _ in scored)
    return next(g for s, g in scored if s == best)


__all__ = ["choose", "dev_split", "n_items", "selection_score"]
