"""Training loop with per-epoch curves, best-epoch selection and overfitting measures."""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from evalsuite.core.errors import TrainingError
from evalsuite.evaluate.classification.data import Encoded, Split, seen_rows
from evalsuite.evaluate.classification.models import build_model, make_batch
from evalsuite.evaluate.classification.regularization import EarlyStopping, apply_max_norm, embedding_penalty
from evalsuite.evaluate.classification.optim import make_optimizer

#: training settings and their defaults (the sweep validates and fills these)
TRAIN_DEFAULTS = {
    "epochs": 10, "batch_size": 50, "lr": 1e-3, "optimizer": "adam", "weight_decay": 0.0,
    "dropout": None, "l1": 0.0, "l1_target": "embedding", "l2_sp": 0.0, "max_norm": None,
    "patience": None, "select_by": "val_accuracy", "head": "linear", "hidden": 100,
    "widths": (3, 4, 5), "filters": 100, "threads": None, "embedding_update": "lazy",
}


@dataclass
class TrainOutcome:
    """What one training run measured."""

    curves: dict
    best_epoch: int
    test_predicted: np.ndarray
    test_correct: np.ndarray
    start_matrix: np.ndarray
    best_matrix: np.ndarray
    last_matrix: np.ndarray
    seen: np.ndarray
    seconds: float
    examples_per_second: float
    stopped_early: bool
    extra: dict = field(default_factory=dict)

    @property
    def epochs_run(self) -> int:
        return len(self.curves["epoch"])

    @property
    def test_accuracy(self) -> float:
        return float(self.test_correct.mean()) if len(self.test_correct) else float("nan")

    @property
    def best_val_accuracy(self) -> float:
        return float(self.curves["val_acc"][self.best_epoch - 1])

    def overfit(self) -> dict:
        return overfit_measures(self.curves, self.best_epoch)

    def drift(self) -> dict:
        return drift(self.start_matrix, self.best_matrix, self.seen)


def overfit_measures(curves: Mapping[str, Sequence[float]], best_epoch: int) -> dict:
    """Train-validation accuracy gap at the best and last epoch, epochs past the best, validation loss rise.

    ``val_loss_rise`` is the last validation loss minus the lowest; ``val_loss_rise_max`` the
    highest validation loss after the lowest minus the lowest. ``best_epoch`` is 1-based.
    """
    tr, va, vl = curves["train_acc"], curves["val_acc"], curves["val_loss"]
    b = best_epoch - 1
    low = int(np.argmin(vl))
    return {
        "gap_at_best": float(tr[b] - va[b]),
        "gap_at_last": float(tr[-1] - va[-1]),
        "epochs_past_best": int(len(va) - best_epoch),
        "val_loss_rise": float(vl[-1] - vl[low]),
        "val_loss_rise_max": float(max(vl[low:]) - vl[low]),
    }


def drift(start: np.ndarray, end: np.ndarray, seen: np.ndarray) -> dict:
    """Mean L2 distance moved by the rows of words seen and not seen in training (padding row 0 excluded).

    A mean over no rows is ``None``.
    """
    moved = np.linalg.norm(end.astype(np.float64) - start.astype(np.float64), axis=1)
    rows = np.arange(len(moved)) > 0
    seen = np.asarray(seen, dtype=bool) & rows
    unseen = ~seen & rows

    def mean(mask):
        return float(moved[mask].mean()) if mask.any() else None

    return {"seen": mean(seen), "unseen": mean(unseen), "n_seen": int(seen.sum()), "n_unseen": int(unseen.sum())}


@contextlib.contextmanager
def _threads(n: int | None):
    if not n:
        yield
        return
    old = torch.get_num_threads()
    torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


def _optimizer(model, params):
    trainable = [p for p in model.parameters() if p.requires_grad]
    return make_optimizer(params["optimizer"], trainable, lr=params["lr"], weight_decay=params["weight_decay"])


def _touched_rows(ids: torch.Tensor) -> torch.Tensor:
    """Distinct embedding rows a batch looks up, padding row 0 excluded."""
    rows = torch.unique(ids)
    return rows[rows > 0]


def _penalty(weight, start, touched, p):
    """The embedding penalties over all rows (``touched`` None) or over the rows a batch touched."""
    if touched is not None:
        weight = F.embedding(touched, weight, sparse=True)
        start = start.index_select(0, touched)
    return embedding_penalty(weight, start, l1=p["l1"], l1_target=p["l1_target"], l2_sp=p["l2_sp"])


@torch.no_grad()
def _clip_rows(weight, touched, max_norm):
    if touched is None:
        apply_max_norm(weight, max_norm)
        return
    rows = weight.index_select(0, touched)
    apply_max_norm(rows, max_norm)
    weight.index_copy_(0, touched, rows)


@torch.no_grad()
def _evaluate(model, kind, docs, labels, rows, batch_size=500):
    """Mean loss, accuracy and predictions on ``rows`` (eval mode, no dropout)."""
    model.eval()
    total, preds = 0.0, []
    for s in range(0, len(rows), batch_size):
        chunk = rows[s:s + batch_size]
        logits = model(*make_batch(kind, [docs[i] for i in chunk]))
        y = torch.from_numpy(labels[chunk])
        total += float(F.cross_entropy(logits, y, reduction="sum"))
        preds.append(logits.argmax(1).numpy())
    pred = np.concatenate(preds) if preds else np.zeros(0, dtype=np.int64)
    n = max(len(rows), 1)
    return total / n, float((pred == labels[rows]).mean()) if len(rows) else float("nan"), pred


def train_classifier(kind: str, matrix: np.ndarray, *, trainable: bool, encoded: Encoded, labels: Sequence[int],
                     split: Split, n_classes: int, params: Mapping, seed: int = 0, on_epoch=None) -> TrainOutcome:
    """Train ``kind`` ("bag" or "cnn") from ``matrix`` on ``split.train`` and measure every epoch.

    Parameters
    ----------
    kind : {"bag", "cnn"}
    matrix : ndarray, shape (vocab + 1, dim)
        Starting embedding weights (row 0 = padding).
    trainable : bool
        Whether the embedding is updated (False = frozen / static).
    encoded : Encoded
        Token ids of every document.
    labels : sequence of int
        Class of every document.
    split : Split
        Train, validation and test rows.
    n_classes : int
    params : mapping
        Settings, see :data:`TRAIN_DEFAULTS`.
    seed : int
        Seeds the classifier's initial weights, batch order and dropout.
    on_epoch : callable, optional
        Called with ``(epoch, curves)`` after each epoch.

    Returns
    -------
    TrainOutcome
        Curves, the best epoch (by validation score), test predictions at that epoch,
        the start / best / last embedding matrices and speed.
    """
    p = {**TRAIN_DEFAULTS, **params}
    if p["dropout"] is None:
        p["dropout"] = 0.5 if kind == "cnn" else 0.0
    labels = np.asarray(labels, dtype=np.int64)
    docs = encoded.docs
    rng = np.random.default_rng(seed)
    curves = {"epoch": [], "train_loss": [], "val_loss": [], "train_acc": [], "val_acc": []}
    stopper = EarlyStopping(p["patience"], p["select_by"])
    test_pred_by_epoch = []
    with _threads(p["threads"]), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = build_model(kind, matrix, n_classes, trainable=trainable, params=p)
        start = model.embedding.weight.detach().clone()
        best_weight = start.clone()
        opt = _optimizer(model, p)
        penalize = trainable and (p["l1"] or p["l2_sp"])
        max_norm = p["max_norm"] if trainable else None
        lazy = model.sparse_grad
        if lazy and max_norm:
            # lazily only touched rows are clipped; the others never change, so one pass keeps all bounded
            apply_max_norm(model.embedding.weight.data, max_norm)
        train_rows = split.train
        seen_examples, train_seconds = 0, 0.0
        stopped = False
        for epoch in range(1, p["epochs"] + 1):
            model.train()
            t0 = time.perf_counter()
            order = rng.permutation(train_rows)
            for s in range(0, len(order), p["batch_size"]):
                chunk = order[s:s + p["batch_size"]]
                inputs = make_batch(kind, [docs[i] for i in chunk])
                touched = _touched_rows(inputs[0]) if lazy and (penalize or max_norm) else None
                logits = model(*inputs)
                loss = F.cross_entropy(logits, torch.from_numpy(labels[chunk]))
                if penalize:
                    loss = loss + _penalty(model.embedding.weight, start, touched, p)
                if not torch.isfinite(loss):
                    raise TrainingError(f"{kind} classifier: loss became {float(loss)} at epoch {epoch}"
                                        f" (lower lr={p['lr']} or the penalties)")
                opt.zero_grad()
                loss.backward()
                opt.step()
                if max_norm:
                    _clip_rows(model.embedding.weight.data, touched, max_norm)
                seen_examples += len(chunk)
            train_seconds += time.perf_counter() - t0
            tr_loss, tr_acc, _ = _evaluate(model, kind, docs, labels, split.train)
            va_loss, va_acc, _ = _evaluate(model, kind, docs, labels, split.val)
            _, _, te_pred = _evaluate(model, kind, docs, labels, split.test)
            for key, value in zip(curves, (epoch, tr_loss, va_loss, tr_acc, va_acc)):
                curves[key].append(value)
            test_pred_by_epoch.append(te_pred)
            if stopper.update(epoch, va_acc, va_loss):
                best_weight = model.embedding.weight.detach().clone()
            if on_epoch is not None:
                on_epoch(epoch, curves)
            if stopper.should_stop:
                stopped = epoch < p["epochs"]
                break
        last_weight = model.embedding.weight.detach().clone()
    best = stopper.best_epoch
    test_pred = test_pred_by_epoch[best - 1]
    return TrainOutcome(
        curves=curves, best_epoch=best, test_predicted=test_pred, test_correct=test_pred == labels[split.test],
        start_matrix=start.numpy(), best_matrix=best_weight.numpy(), last_matrix=last_weight.numpy(),
        seen=seen_rows(encoded, split.train), seconds=train_seconds,
        examples_per_second=seen_examples / train_seconds if train_seconds > 0 else math.inf,
        stopped_early=stopped, extra={"params": p},
    )


__all__ = ["TRAIN_DEFAULTS", "TrainOutcome", "drift", "overfit_measures", "train_classifier"]
