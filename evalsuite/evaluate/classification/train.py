"""Training loop with per-epoch curves, best-epoch selection and overfitting measures."""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field, replace
from typing import Mapping, Sequence

import numpy as np
import torch
from torch.nn import functional as F

from evalsuite.core.errors import TrainingError
from evalsuite.evaluate.classification.data import Encoded, Split, seen_rows
from evalsuite.evaluate.classification.models import build_model, make_batch
from evalsuite.evaluate.classification.regularization import EarlyStopping, apply_max_norm, embedding_penalty
from evalsuite.evaluate.classification.optim import make_optimizer
from evalsuite.evaluate.classification.settings import DEFAULT_DROPOUT, defaults, learning_rate
_BUCKET = 20  # batches per length bucket (cnn): sorted by length inside, shuffled between


@dataclass
class TrainOutcome:
    """What one training run measured.

    The three matrices are ``None`` in a :meth:`summary`, which keeps their drift instead.
    """

    curves: dict
    best_epoch: int
    test_predicted: np.ndarray
    test_correct: np.ndarray
    start_matrix: np.ndarray | None
    best_matrix: np.ndarray | None
    last_matrix: np.ndarray | None
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
        """:func:`drift` of the matrix at the best epoch, with which drifts are 0 by construction."""
        if self.best_matrix is None:
            return dict(self.extra["drift"])
        return {**drift(self.start_matrix, self.best_matrix, self.seen), **self.extra.get("zero_by_construction", {})}

    def summary(self) -> "TrainOutcome":
        """The same outcome without its matrices (small enough to pass between processes)."""
        return replace(self, start_matrix=None, best_matrix=None, last_matrix=None,
                       extra={**self.extra, "drift": self.drift()})


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

    Rows of words seen in training documents are the rows training looks up and updates;
    the others it never touches. A mean over no rows is ``None``.
    """
    moved = np.linalg.norm(end.astype(np.float64) - start.astype(np.float64), axis=1)
    rows = np.arange(len(moved)) > 0
    seen = np.asarray(seen, dtype=bool) & rows
    unseen = ~seen & rows

    def mean(mask):
        return float(moved[mask].mean()) if mask.any() else None

    return {"seen": mean(seen), "unseen": mean(unseen), "n_seen": int(seen.sum()), "n_unseen": int(unseen.sum())}


def zero_by_construction(trainable: bool, params: Mapping) -> dict:
    """Which drifts are 0 whatever the data: ``{"seen_zero": bool, "unseen_zero": bool}``.

    A frozen embedding never moves. Rows no training document looks up get no gradient:
    a lazy update never touches them, and a dense one moves them only through weight
    decay, an L1 penalty on the embedding itself or the embedding max-norm.
    """
    p = {**defaults("training"), **params}
    if not trainable:
        return {"seen_zero": True, "unseen_zero": True}
    dense_moves = bool(p["weight_decay"] or (p["l1"] and p["l1_target"] == "embedding"))
    lazy = p["embedding_update"] == "lazy"
    return {"seen_zero": False, "unseen_zero": not p["embedding_max_norm"] and (lazy or not dense_moves)}


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
    return make_optimizer(params["optimizer"], trainable, lr=learning_rate(params), weight_decay=params["weight_decay"])


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


def _inputs(model, kind, docs):
    return make_batch(kind, docs, pad=getattr(model, "pad", 0))


@torch.no_grad()
def _evaluate(model, kind, docs, labels, rows, batch_size=500):
    """Mean loss, accuracy and predictions on ``rows`` (eval mode, no dropout).

    Documents are batched by length (no prediction depends on its batch), and the
    predictions returned in the order of ``rows``.
    """
    model.eval()
    order = np.argsort([len(docs[i]) for i in rows], kind="stable")
    total, pred = 0.0, np.zeros(len(rows), dtype=np.int64)
    for s in range(0, len(rows), batch_size):
        at = order[s:s + batch_size]
        chunk = rows[at]
        logits = model(*_inputs(model, kind, [docs[i] for i in chunk]))
        total += float(F.cross_entropy(logits, torch.from_numpy(labels[chunk]), reduction="sum"))
        pred[at] = logits.argmax(1).numpy()
    n = max(len(rows), 1)
    return total / n, float((pred == labels[rows]).mean()) if len(rows) else float("nan"), pred


def _eval_rows(train: np.ndarray, size: int | None, seed: int) -> np.ndarray:
    """The training rows scored after every epoch: all, or a fixed seeded sample of ``size``."""
    if not size or size >= len(train):
        return train
    return np.sort(np.random.default_rng([seed, 1]).choice(train, size, replace=False))


def _batches(order: np.ndarray, lengths: np.ndarray, size: int, rng, bucket: bool) -> list[np.ndarray]:
    """Mini-batches of ``order``; with ``bucket``, runs of ``_BUCKET`` batches are sorted by
    length before cutting (less padding) and the batches then shuffled."""
    if not bucket:
        return [order[s:s + size] for s in range(0, len(order), size)]
    out = []
    for s in range(0, len(order), size * _BUCKET):
        run = order[s:s + size * _BUCKET]
        run = run[np.argsort(lengths[run], kind="stable")]
        out += [run[k:k + size] for k in range(0, len(run), size)]
    return [out[i] for i in rng.permutation(len(out))]


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
        Training settings (:data:`~evalsuite.evaluate.classification.settings.SETTINGS`; those not
        given take their declared default, checked where they were given). ``max_norm`` bounds the L2 norm of each row
        of the output layer's weights (one per class), rescaled after every step (Kim 2014);
        ``embedding_max_norm`` bounds embedding rows. ``early_stopping=False`` runs every
        epoch and scores the last one. ``train_eval_size`` scores training accuracy and loss after
        each epoch on a fixed random sample of that many training documents (default: all).
    seed : int
        Seeds the classifier's initial weights, batch order and dropout.
    on_epoch : callable, optional
        Called with ``(epoch, curves)`` after each epoch.

    Returns
    -------
    TrainOutcome
        Curves, the best epoch (by validation score; the last without early stopping),
        test predictions at that epoch, the start / best / last embedding matrices and speed.
    """
    p = {**defaults("training"), **params}
    if p["dropout"] is None:
        p["dropout"] = DEFAULT_DROPOUT[kind]
    labels = np.asarray(labels, dtype=np.int64)
    with _threads(p["threads"]), torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = build_model(kind, matrix, n_classes, trainable=trainable, params=p)
        loop = _Loop(model, kind, p, encoded, labels, split, seed)
        outcome = loop.run(on_epoch)
    outcome.extra["zero_by_construction"] = zero_by_construction(trainable, p)
    return outcome


class _Loop:
    """The epochs of one training run (state shared by the steps)."""

    def __init__(self, model, kind, p, encoded, labels, split, seed):
        self.model, self.kind, self.p, self.encoded, self.labels, self.split = model, kind, p, encoded, labels, split
        self.rng = np.random.default_rng(seed)
        self.opt = _optimizer(model, p)
        self.start = model.embedding.weight.detach().clone()
        trainable = model.trainable_embedding
        self.penalize = trainable and bool(p["l1"] or p["l2_sp"])
        self.emb_norm = p["embedding_max_norm"] if trainable else None
        self.lazy = model.sparse_grad
        if self.lazy and self.emb_norm:
            # lazily only touched rows are clipped; the others never change, so one pass keeps all bounded
            apply_max_norm(model.embedding.weight.data, self.emb_norm)
        self.lengths = np.fromiter((len(d) for d in encoded.docs), dtype=np.int64, count=len(encoded.docs))
        self.train_eval = _eval_rows(split.train, p["train_eval_size"], seed)

    def step(self, chunk, epoch):
        model, p = self.model, self.p
        inputs = _inputs(model, self.kind, [self.encoded.docs[i] for i in chunk])
        touched = _touched_rows(inputs[0]) if self.lazy and (self.penalize or self.emb_norm) else None
        loss = F.cross_entropy(model(*inputs), torch.from_numpy(self.labels[chunk]))
        if self.penalize:
            loss = loss + _penalty(model.embedding.weight, self.start, touched, p)
        if not torch.isfinite(loss):
            raise TrainingError(f"{self.kind} classifier: loss became {float(loss)} at epoch {epoch}"
                                f" (lower lr={p['lr']} or the penalties)")
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        if self.emb_norm:
            _clip_rows(model.embedding.weight.data, touched, self.emb_norm)
        if p["max_norm"]:
            apply_max_norm(model.out.weight.data, p["max_norm"])

    def run(self, on_epoch) -> TrainOutcome:
        model, p, split, labels, docs = self.model, self.p, self.split, self.labels, self.encoded.docs
        curves = {"epoch": [], "train_loss": [], "val_loss": [], "train_acc": [], "val_acc": []}
        stopper = EarlyStopping(p["patience"] if p["early_stopping"] else None, p["select_by"])
        test_preds, best_weight = [], self.start.clone()
        seen_examples, seconds, stopped = 0, 0.0, False
        for epoch in range(1, p["epochs"] + 1):
            model.train()
            t0 = time.perf_counter()
            for chunk in _batches(self.rng.permutation(split.train), self.lengths, p["batch_size"], self.rng,
                                  bucket=self.kind == "cnn"):
                self.step(chunk, epoch)
                seen_examples += len(chunk)
            seconds += time.perf_counter() - t0
            tr_loss, tr_acc, _ = _evaluate(model, self.kind, docs, labels, self.train_eval)
            va_loss, va_acc, _ = _evaluate(model, self.kind, docs, labels, split.val)
            test_preds.append(_evaluate(model, self.kind, docs, labels, split.test)[2])
            for key, value in zip(curves, (epoch, tr_loss, va_loss, tr_acc, va_acc)):
                curves[key].append(value)
            if stopper.update(epoch, va_acc, va_loss) or not p["early_stopping"]:
                best_weight = model.embedding.weight.detach().clone()
            if on_epoch is not None:
                on_epoch(epoch, curves)
            if stopper.should_stop:
                stopped = epoch < p["epochs"]
                break
        best = stopper.best_epoch if p["early_stopping"] else len(curves["epoch"])
        return TrainOutcome(
            curves=curves, best_epoch=best, test_predicted=test_preds[best - 1],
            test_correct=test_preds[best - 1] == labels[split.test], start_matrix=self.start.numpy(),
            best_matrix=best_weight.numpy(), last_matrix=model.embedding.weight.detach().clone().numpy(),
            seen=seen_rows(self.encoded, split.train), seconds=seconds,
            examples_per_second=seen_examples / seconds if seconds > 0 else math.inf,
            stopped_early=stopped, extra={"params": p},
        )


__all__ = ["TrainOutcome", "drift", "overfit_measures", "train_classifier",
           "zero_by_construction"]
