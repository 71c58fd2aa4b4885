"""Regularizers for fine-tuning: penalties, max-norm, early stopping.

Weight decay is passed to the optimizer (``adam``, ``adadelta``, ``sgd``: L2 term added
to the gradient; ``adamw``: decoupled decay). Dropout lives in the models.
``max_norm`` is Kim's (2014) constraint: after every step, each row of the output
layer's weights (the weight vector of one class) longer than ``max_norm`` is scaled
back to it; it acts in every mode, since the head always trains. The embedding
penalties below are added to the loss and act only when the embedding is trained:

- ``l1``: ``l1 * sum|E|`` (``l1_target="embedding"``) or ``l1 * sum|E - E0|``
  (``l1_target="change"``), where ``E0`` is the starting matrix;
- ``l2_sp``: ``l2_sp / 2 * sum (E - E0)^2``, "L2-SP" (Li et al. 2018), a pull toward the start;
- ``embedding_max_norm``: after every step, embedding rows longer than it are scaled back.

With ``embedding_update="lazy"`` (the default) the embedding gradient is sparse and
the penalties, weight decay and the embedding max-norm act on the rows each batch
looks up (as ``nn.Embedding(max_norm=...)`` does); rows are clipped once before
training, so every row stays within the bound. ``"dense"`` applies them to the whole
matrix at every step, at a cost that grows with the vocabulary. Early stopping
(:class:`EarlyStopping`) keeps the epoch with the best validation score.
"""

from __future__ import annotations

import torch


def embedding_penalty(weight: torch.Tensor, start: torch.Tensor, *, l1: float = 0.0, l1_target: str = "embedding",
                      l2_sp: float = 0.0) -> torch.Tensor | None:
    """Sum of the L1 and L2-SP penalties on the embedding matrix (``None`` when both are 0)."""
    total = None
    if l1:
        base = weight if l1_target == "embedding" else weight - start
        total = l1 * base.abs().sum()
    if l2_sp:
        term = 0.5 * l2_sp * (weight - start).pow(2).sum()
        total = term if total is None else total + term
    return total


@torch.no_grad()
def apply_max_norm(weight: torch.Tensor, max_norm: float) -> None:
    """Scale rows with L2 norm above ``max_norm`` down to exactly ``max_norm`` (in place)."""
    norms = weight.norm(dim=1, keepdim=True)
    weight.mul_(torch.clamp(max_norm / norms.clamp_min(1e-12), max=1.0))


class EarlyStopping:
    """Tracks the best epoch by a validation score; says when ``patience`` epochs passed without a gain.

    Parameters
    ----------
    patience : int or None
        Epochs without improvement before stopping; ``None`` or 0 never stops.
    select_by : {"val_accuracy", "val_loss"}
        Score that defines the best epoch. Accuracy ties are broken by lower loss.
    """

    def __init__(self, patience: int | None = None, select_by: str = "val_accuracy"):
        if select_by not in ("val_accuracy", "val_loss"):
            raise ValueError(f"select_by must be val_accuracy or val_loss, got {select_by!r}")
        self.patience = patience or None
        self.select_by = select_by
        self.best_epoch: int | None = None
        self._best: tuple | None = None
        self._epoch = 0

    def _key(self, val_acc: float, val_loss: float) -> tuple:
        return (-val_loss,) if self.select_by == "val_loss" else (val_acc, -val_loss)

    def update(self, epoch: int, val_acc: float, val_loss: float) -> bool:
        """Record an epoch; return True when it is the new best."""
        self._epoch = epoch
        key = self._key(val_acc, val_loss)
        if self._best is None or key > self._best:
            self._best, self.best_epoch = key, epoch
            return True
        return False

    @property
    def should_stop(self) -> bool:
        return self.patience is not None and self.best_epoch is not None and \
            self._epoch - self.best_epoch >= self.patience
