"""The linear probe: logistic regression on the mean of frozen pretrained vectors.

A bag-of-embeddings classifier whose embedding is frozen is a linear model on fixed
features; trained by a few epochs of Adam it stops far from its optimum. The probe
instead standardises the features (fitted on the training documents) and fits
L2-regularised logistic regression to convergence with L-BFGS, choosing the
regularisation strength on the validation documents, as SentEval does. Words without
a pretrained vector are left out of the mean (they carry no pretrained information);
a document with none of them gets the zero vector.
"""

from __future__ import annotations

import time
import warnings

import numpy as np

from evalsuite.evaluate.classification.data import Encoded, Split, seen_rows

#: inverse regularisation strengths tried, the best on validation accuracy kept (ties: stronger)
C_GRID = (0.001, 0.01, 0.1, 1.0, 10.0, 100.0)


def mean_features(matrix: np.ndarray, found: np.ndarray, encoded: Encoded) -> np.ndarray:
    """Per document, the mean of the rows of its words that have a pretrained vector."""
    out = np.zeros((len(encoded.docs), matrix.shape[1]), dtype=np.float64)
    for i, ids in enumerate(encoded.docs):
        ids = ids[found[ids]]
        if len(ids):
            out[i] = matrix[ids].mean(axis=0)
    return out


def train_probe(matrix: np.ndarray, found: np.ndarray, *, encoded: Encoded, labels, split: Split, seed: int = 0):
    """Fit the probe on ``split.train``; returns a one-"epoch" ``TrainOutcome``.

    Parameters
    ----------
    matrix, found : ndarray
        The embedding layer's rows and which of them hold a pretrained vector.
    encoded : Encoded
    labels : sequence of int
    split : Split
    seed : int
        Seed of the solver (L-BFGS is deterministic; kept for the record).
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import log_loss
    from sklearn.preprocessing import StandardScaler

    from evalsuite.evaluate.classification.train import TrainOutcome

    t0 = time.perf_counter()
    labels = np.asarray(labels, dtype=np.int64)
    x = mean_features(matrix, found, encoded)
    scaler = StandardScaler().fit(x[split.train])
    z = {part: scaler.transform(x[getattr(split, part)]) for part in ("train", "val", "test")}
    y = {part: labels[getattr(split, part)] for part in ("train", "val", "test")}
    best = None
    for c in C_GRID:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            clf = LogisticRegression(C=c, solver="lbfgs", max_iter=10_000, tol=1e-8, random_state=seed)
            clf.fit(z["train"], y["train"])
        val = float((clf.predict(z["val"]) == y["val"]).mean()) if len(y["val"]) else 0.0
        if best is None or val > best[0]:
            best = (val, c, clf)
    val_acc, c, clf = best
    classes = np.unique(labels)
    curves = {"epoch": [1],
              "train_loss": [float(log_loss(y["train"], clf.predict_proba(z["train"]), labels=classes))],
              "val_loss": [float(log_loss(y["val"], clf.predict_proba(z["val"]), labels=classes))
                           if len(y["val"]) else float("nan")],
              "train_acc": [float((clf.predict(z["train"]) == y["train"]).mean())], "val_acc": [val_acc]}
    pred = clf.predict(z["test"]).astype(np.int64)
    seconds = time.perf_counter() - t0
    nothing = {"seen": 0.0, "unseen": 0.0, "n_seen": 0, "n_unseen": 0, "seen_zero": True, "unseen_zero": True}
    return TrainOutcome(
        curves=curves, best_epoch=1, test_predicted=pred, test_correct=pred == y["test"], start_matrix=None,
        best_matrix=None, last_matrix=None, seen=seen_rows(encoded, split.train), seconds=seconds,
        examples_per_second=len(split.train) / seconds if seconds > 0 else float("inf"), stopped_early=False,
        extra={"probe": {"C": c, "C_grid": list(C_GRID), "solver": "lbfgs", "standardized": True},
               "drift": nothing},
    )
