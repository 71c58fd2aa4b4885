"""Callbacks and guards shared by all trainers.

- :class:`ProgressCallback`: a rich bar over epochs showing the last loss and throughput.
- :class:`HistoryCallback`: records every :class:`~evalsuite.train.base.EpochStats`.
- :func:`check_finite`, :func:`check_divergence`, :class:`TrainingGuard`: stop training
  with a clear :class:`~evalsuite.core.errors.TrainingError` when the loss becomes NaN or
  infinite, or grows far above its first-epoch value.

Conventions: ``EpochStats.loss`` is a mean per training example of the trainer's own
objective (so it is comparable across epochs, not across trainers);
``items_per_second`` counts corpus tokens (before vocabulary pruning and subsampling)
for Word2Vec-type trainers and co-occurrence nonzeros for GloVe.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Sequence

import numpy as np

from evalsuite.core.errors import TrainingError
from evalsuite.train.base import EpochStats, Trainer, TrainerCallback

#: every trainer stops when an epoch's loss exceeds this multiple of the first epoch's loss
DIVERGENCE_FACTOR = 10.0


def check_finite(loss: float, epoch: int, *, trainer: str = "") -> None:
    """Raise :class:`TrainingError` if ``loss`` is NaN or infinite.

    Parameters
    ----------
    loss : float
        The epoch's loss.
    epoch : int
        1-based epoch number, quoted in the message.
    trainer : str
        Trainer name, quoted in the message.
    """
    if not math.isfinite(loss):
        who = f"{trainer}: " if trainer else ""
        raise TrainingError(
            f"{who}training loss became {loss} at epoch {epoch}; "
            "the learning rate is probably too high (lower learning_rate)"
        )


#: no sensible embedding weight comes near this magnitude (trained vectors stay below ~100)
EXPLODED_WEIGHT = 1e6


def check_matrix_finite(matrix: np.ndarray, epoch: int, *, trainer: str = "") -> None:
    """Raise :class:`TrainingError` if any weight is NaN, infinite or beyond :data:`EXPLODED_WEIGHT`.

    Exploded but finite weights matter because compiled word2vec loops skip updates
    whose scores leave the sigmoid table: training then silently freezes instead of
    producing NaN.
    """
    who = f"{trainer}: " if trainer else ""
    if not np.isfinite(matrix).all():
        bad = int((~np.isfinite(matrix)).any(axis=1).sum()) if matrix.ndim == 2 else -1
        raise TrainingError(
            f"{who}{bad} embedding rows became NaN or infinite at epoch {epoch}; "
            "the learning rate is probably too high (lower learning_rate)"
        )
    largest = float(np.abs(matrix).max()) if matrix.size else 0.0
    if largest > EXPLODED_WEIGHT:
        raise TrainingError(
            f"{who}training diverged: a weight reached {largest:.3g} at epoch {epoch} (limit {EXPLODED_WEIGHT:g}); "
            "the learning rate is probably too high (lower learning_rate)"
        )


def check_divergence(
    loss: float, first_loss: float, epoch: int, *, factor: float = DIVERGENCE_FACTOR, trainer: str = ""
) -> None:
    """Raise :class:`TrainingError` if ``loss > factor * first_loss`` (training diverges)."""
    if math.isfinite(first_loss) and first_loss > 0 and loss > factor * first_loss:
        who = f"{trainer}: " if trainer else ""
        raise TrainingError(
            f"{who}training diverged: loss {loss:.4g} at epoch {epoch} is more than {factor:g}x "
            f"the first epoch's {first_loss:.4g}; the learning rate is probably too high (lower learning_rate)"
        )


class TrainingGuard:
    """Checks each epoch's loss: finite, and not ``factor`` times above the first epoch's.

    Parameters
    ----------
    trainer : str
        Name quoted in error messages.
    factor : float
        Divergence factor (``inf`` disables the divergence check).
    """

    def __init__(self, trainer: str = "", *, factor: float = DIVERGENCE_FACTOR):
        self.trainer = trainer
        self.factor = factor
        self.first_loss: float | None = None

    def check(self, stats: EpochStats) -> None:
        """Raise :class:`TrainingError` on a bad epoch; NaN loss from a backend that reports
        none is not expected here, so callers pass only real losses."""
        check_finite(stats.loss, stats.epoch, trainer=self.trainer)
        if self.first_loss is None:
            self.first_loss = stats.loss
        else:
            check_divergence(stats.loss, self.first_loss, stats.epoch, factor=self.factor, trainer=self.trainer)


class HistoryCallback(TrainerCallback):
    """Records the :class:`EpochStats` of every epoch in ``self.history``."""

    def __init__(self):
        self.history: list[EpochStats] = []

    def on_train_begin(self, trainer: Trainer, total_epochs: int) -> None:
        self.history = []

    def on_epoch_end(self, trainer: Trainer, stats: EpochStats) -> None:
        self.history.append(stats)

    def as_dicts(self) -> list[dict]:
        """The history as plain dicts (what ``Embeddings.meta["history"]`` holds)."""
        return history_dicts(self.history)


def history_dicts(history: Sequence[EpochStats]) -> list[dict]:
    """EpochStats as JSON-ready dicts."""
    return [dataclasses.asdict(s) for s in history]


def _format_rate(x: float) -> str:
    if not math.isfinite(x):
        return "-"
    for scale, suffix in ((1e6, "M"), (1e3, "k")):
        if x >= scale:
            return f"{x / scale:.2f}{suffix}"
    return f"{x:.0f}"


class ProgressCallback(TrainerCallback):
    """A rich progress bar over epochs showing the latest loss and throughput.

    Draws only where :func:`evalsuite.core.progress.progress_enabled` allows (a terminal,
    ``EVALSUITE_NO_PROGRESS`` unset) unless ``console`` is given explicitly.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw (default: evalsuite's shared stderr console).
    """

    def __init__(self, console=None):
        self._console = console
        self._progress = None
        self._task = None

    def on_train_begin(self, trainer: Trainer, total_epochs: int) -> None:
        from evalsuite.core.progress import console, progress_enabled

        if self._console is None and not progress_enabled():
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("epochs  loss {task.fields[loss]}  {task.fields[rate]}"),
            TimeElapsedColumn(),
            console=self._console or console(),
        )
        self._progress.start()
        self._task = self._progress.add_task(
            f"training {getattr(trainer, 'name', '') or type(trainer).__name__}",
            total=total_epochs,
            loss="-",
            rate="",
        )

    def on_epoch_end(self, trainer: Trainer, stats: EpochStats) -> None:
        if self._progress is None:
            return
        self._progress.update(
            self._task,
            advance=1,
            loss=f"{stats.loss:.4f}",
            rate=f"{_format_rate(stats.items_per_second)} {stats.unit}/s",
        )

    def on_train_end(self, trainer: Trainer, embeddings) -> None:
        self.close()

    def on_train_error(self, trainer: Trainer, error: BaseException) -> None:
        self.close()

    def close(self) -> None:
        """Stop drawing (also safe after an error)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
