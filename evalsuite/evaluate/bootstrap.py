"""Confidence intervals for single scores (pure functions, seeded)."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np


def bootstrap_ci(
    statistic: Callable[..., np.ndarray],
    data: Sequence[np.ndarray],
    *,
    n_resamples: int = 1000,
    confidence: float = 0.95,
    seed: int = 0,
    batch: int = 250,
) -> tuple[float, float] | None:
    """Percentile bootstrap confidence interval of a statistic over items.

    Items (the positions of the arrays in ``data``) are resampled with replacement,
    jointly across the arrays, with a :func:`numpy.random.default_rng` seeded by ``seed``:
    the same inputs and seed always give the same interval.

    Parameters
    ----------
    statistic : callable
        Takes one array per entry of ``data``, each of shape (batch, n) (a batch of
        resamples), and returns shape (batch,) values; NaN values are dropped.
    data : sequence of ndarray, each shape (n,)
        Per-item columns, e.g. ``(gold, predicted)`` for Spearman or ``(correct,)``.
    n_resamples : int
        Number of bootstrap resamples.
    confidence : float
        Coverage of the interval, e.g. 0.95.
    seed : int
        Seed of the resampling generator.
    batch : int
        Resamples scored per call of ``statistic`` (bounds memory).

    Returns
    -------
    (low, high) or None
        ``None`` when there are fewer than two items, ``n_resamples`` is 0 or no
        resample gives a finite value.
    """
    columns = [np.asarray(d) for d in data]
    n = len(columns[0]) if columns else 0
    if any(len(col) != n for col in columns):
        raise ValueError("all data columns must have the same length")
    if n < 2 or n_resamples <= 0:
        return None
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    rng = np.random.default_rng(seed)
    values = []
    for start in range(0, n_resamples, batch):
        size = min(batch, n_resamples - start)
        idx = rng.integers(0, n, size=(size, n))
        values.append(np.asarray(statistic(*(col[idx] for col in columns)), dtype=np.float64))
    vals = np.concatenate(values)
    vals = vals[np.isfinite(vals)]
    if not len(vals):
        return None
    alpha = (1.0 - confidence) / 2.0
    low, high = np.quantile(vals, [alpha, 1.0 - alpha])
    return float(low), float(high)


def mean_statistic(x: np.ndarray) -> np.ndarray:
    """Mean along the last axis (accuracy of 0/1 outcomes)."""
    return np.asarray(x, dtype=np.float64).mean(axis=-1)
