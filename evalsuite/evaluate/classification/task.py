"""ClassificationTask: fine-tune an embedding inside a classifier and report a TaskResult."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from evalsuite.data.datasets.classification import BUNDLED, ClassificationDataset, setup_name
from evalsuite.core.provenance import package_versions
from evalsuite.core.results import ResultKey, TaskResult, Variant
from evalsuite.evaluate.bootstrap import bootstrap_ci, mean_statistic
from evalsuite.evaluate.base import Task, TaskMetadata
from evalsuite.evaluate.classification.data import (
    Encoded, Split, build_vocabulary, encode, init_bound, initial_matrix, stratified_kfold, stratified_split, tokenize,
)
from evalsuite.evaluate.classification.probe import train_probe
from evalsuite.evaluate.classification.settings import defaults
from evalsuite.evaluate.classification.train import drift, overfit_measures, train_classifier

VERSION = "1.0"

_MODE_TRAINABLE = {"random": True, "frozen": False, "finetuned": True, "probe": False}


@dataclass(frozen=True)
class Prepared:
    """A dataset tokenised, encoded and split once for every run on it."""

    dataset: ClassificationDataset
    rows: np.ndarray            # dataset rows used (all, or a stratified subsample)
    labels: np.ndarray          # labels of ``rows``
    encoded: Encoded            # docs of ``rows``
    splits: tuple[Split, ...]   # one split, or k folds (indices into ``rows``)

    def test_ids(self) -> list[str]:
        return [self.dataset.ids[self.rows[i]] for s in self.splits for i in s.test]


def prepare(dataset: ClassificationDataset, settings: Mapping) -> Prepared:
    """Tokenise, optionally subsample (stratified, seeded), build the vocabulary and split.

    ``settings`` are data settings (:data:`~evalsuite.evaluate.classification.settings.SETTINGS`);
    those not given take their declared default.
    """
    s = {**defaults("data"), **settings}
    labels = np.asarray(dataset.labels, dtype=np.int64)
    rows = np.arange(len(labels))
    if s["subsample"] and s["subsample"] < len(labels):
        pick = stratified_split(labels, val_fraction=0.0, test_fraction=s["subsample"] / len(labels),
                                seed=s["split_seed"]).test
        rows, labels = rows[pick], labels[pick]
    tokens = [tokenize(dataset.texts[r]) for r in rows]
    vocab = build_vocabulary(tokens, min_count=s["min_count"], max_size=s["max_vocab"])
    encoded = encode(tokens, vocab, max_length=s["max_length"])
    if s["folds"]:
        splits = tuple(stratified_kfold(labels, s["folds"], val_fraction=s["val_fraction"], seed=s["split_seed"]))
    else:
        splits = (stratified_split(labels, val_fraction=s["val_fraction"], test_fraction=s["test_fraction"],
                                   seed=s["split_seed"]),)
    return Prepared(dataset, rows, labels, encoded, splits)


_ALIASES = {"imdb": {"imdb"}, "mr": {"mr", "rt", "rotten", "rotten_tomatoes", "rt-polarity", "polarity"}}


def leak_warning(embeddings, prepared: Prepared) -> str | None:
    """Plain-words warning when the embedding's training corpus holds this dataset's test documents.

    The corpus is read from ``embeddings.meta["corpus"]``; ``meta["excluded_ids"]`` (document ids
    left out of embedding training) that cover every test document clears the warning.
    """
    corpus = str(embeddings.meta.get("corpus") or "").strip()
    if not corpus:
        return None
    excluded = embeddings.meta.get("excluded_ids")
    if excluded is not None and set(prepared.test_ids()) <= set(excluded):
        return None
    name = prepared.dataset.name
    low = corpus.lower()
    words = set(re.split(r"[^a-z0-9_\-]+", low)) | set(re.split(r"[^a-z0-9]+", low))
    if name in BUNDLED:
        hit = bool(words & _ALIASES[name]) or re.search(r"movie[_\- ]?reviews", low) is not None
    else:
        try:
            hit = Path(corpus).resolve() == Path(name).resolve() or Path(corpus).stem == Path(name).stem
        except OSError:
            hit = False
    if not hit:
        return None
    return (f"The embedding {embeddings.name!r} was trained on the corpus {corpus!r}, which contains the "
            f"{name} documents used here for testing. The vectors have seen the test texts (not their "
            f"labels), so test accuracy may be optimistic; train the embedding with the test documents "
            f"excluded to remove this.")


def task_name(dataset: str, model: str, mode: str, varied: Mapping | None = None) -> str:
    """:func:`~evalsuite.data.datasets.classification.setup_name` with the swept settings appended, for
    people to read: ``"mr/bag/finetuned[dropout=0.5]"``. Analysis and reports read the result's
    key and its dataset, never this name."""
    base = setup_name(dataset, model, mode)
    if varied:
        base += "[" + ",".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                               for k, v in sorted(varied.items())) + "]"
    return base


@dataclass(frozen=True)
class TrainingJob:
    """One training run (one split of one task), self-contained so that a worker process can run it."""

    kind: str
    matrix: np.ndarray
    found: np.ndarray
    trainable: bool
    encoded: Encoded
    labels: np.ndarray
    split: Split
    n_classes: int
    params: Mapping
    seed: int

    def __call__(self):
        """Train and return the outcome without its matrices (``TrainOutcome.summary``)."""
        if self.kind == "probe":
            return train_probe(self.matrix, self.found, encoded=self.encoded, labels=self.labels, split=self.split,
                               seed=self.seed)
        return train_classifier(self.kind, self.matrix, trainable=self.trainable, encoded=self.encoded,
                                labels=self.labels, split=self.split, n_classes=self.n_classes, params=self.params,
                                seed=self.seed).summary()


def token_coverage(encoded: Encoded, found: np.ndarray, top: int = 10) -> tuple[float | None, list]:
    """Share of the documents' tokens whose word has a pretrained vector, and the ``top``
    most frequent words without one (``[word, count]``)."""
    ids = np.concatenate(encoded.docs) if encoded.docs else np.zeros(0, dtype=np.int64)
    if not len(ids):
        return None, []
    counts = np.bincount(ids, minlength=encoded.size)
    missing = np.flatnonzero(~found & (counts > 0))
    missing = missing[missing > 0]
    worst = missing[np.argsort(-counts[missing], kind="stable")[:top]]
    return float(found[ids].mean()), [[encoded.vocab[i - 1], int(counts[i])] for i in worst]


class ClassificationTask(Task):
    """Fine-tuning task: one dataset, model, init mode and settings; ``evaluate`` trains one seed.

    Parameters
    ----------
    prepared : Prepared
        Dataset prepared by :func:`prepare`.
    model : {"bag", "cnn"}
    mode : {"random", "frozen", "finetuned", "probe"}
        ``probe`` (bag only): logistic regression on the frozen vectors' mean
        (:mod:`~evalsuite.evaluate.classification.probe`).
    params : mapping
        Training and data settings (:data:`~evalsuite.evaluate.classification.settings.SETTINGS`);
        those not given take their declared default.
    seed : int
        Seed of the random vectors, classifier init, batch order and dropout.
    name : str, optional
        Task name in results; default from :func:`task_name`.
    sweep : mapping, optional
        Where this run sits in a sweep (``{"kind", "axis", "base"}``), kept in its details.
    """

    def __init__(self, prepared: Prepared, *, model: str = "bag", mode: str = "finetuned",
                 params: Mapping | None = None, seed: int = 0, name: str | None = None,
                 sweep: Mapping | None = None):
        if mode not in _MODE_TRAINABLE:
            raise ValueError(f"unknown mode {mode!r} (random, frozen, finetuned, probe)")
        if mode == "probe" and model != "bag":
            raise ValueError(f"the probe reads the bag model's features; model {model!r} has no probe mode")
        self.prepared, self.model, self.mode, self.seed = prepared, model, mode, seed
        self.params = dict(params or {})
        self.sweep = dict(sweep) if sweep else None
        self.metadata = TaskMetadata(name=name or task_name(prepared.dataset.name, model, mode), kind="classification",
                                     dataset=prepared.dataset.name, main_score="test_accuracy", version=VERSION)

    def _settings(self) -> dict:
        return {**defaults("data"), **defaults("training"), **self.params}

    def _start(self, embeddings):
        p = self._settings()
        return initial_matrix(self.prepared.encoded.vocab, embeddings, "finetuned" if self.mode == "probe" else self.mode,
                              scale=p["init_scale"], seed=self.seed)

    def trainings(self, embeddings) -> list[TrainingJob]:
        """One job per split (they share the starting matrix)."""
        prep, p = self.prepared, self._settings()
        matrix, found = self._start(embeddings)
        kind = "probe" if self.mode == "probe" else self.model
        return [TrainingJob(kind, matrix, found, _MODE_TRAINABLE[self.mode], prep.encoded, prep.labels, split,
                            len(prep.dataset.label_names), p, self.seed + 1000 * f)
                for f, split in enumerate(prep.splits)]

    def evaluate(self, embeddings, protocol=None) -> TaskResult:
        """Train on every split of the prepared data and score the test documents."""
        t0 = time.perf_counter()
        return self.result(embeddings, [job() for job in self.trainings(embeddings)], t0)

    def result(self, embeddings, outcomes, t0: float | None = None) -> TaskResult:
        """The TaskResult of the outcomes of :meth:`trainings` (in their order); its wall time
        runs from ``t0``, or is the training time when ``t0`` is None (trainings run elsewhere)."""
        prep, p = self.prepared, self._settings()
        _, found = self._start(embeddings)
        test_rows = np.concatenate([s.test for s in prep.splits])
        correct = np.concatenate([o.test_correct for o in outcomes])
        predicted = np.concatenate([o.test_predicted for o in outcomes])
        acc = float(correct.mean()) if len(correct) else float("nan")
        if len(outcomes) == 1:
            o = outcomes[0]
            curves, best_epoch, overfit, moved = o.curves, o.best_epoch, o.overfit(), o.drift()
        else:
            curves, best_epoch, overfit, moved = _fold_mean(outcomes)
        scores = {"test_accuracy": acc, "best_val_accuracy": float(np.mean([o.best_val_accuracy for o in outcomes])),
                  **{k: float(v) for k, v in overfit.items()},
                  "drift_seen": moved["seen"], "drift_unseen": moved["unseen"]}
        names = prep.dataset.label_names
        details = self._details(embeddings, outcomes, found, curves, best_epoch, overfit, moved, test_rows)
        ci = bootstrap_ci(mean_statistic, [correct.astype(np.float64)], seed=self.seed) if len(correct) > 1 else None
        return TaskResult(
            task=self.metadata.name, kind="classification", embedding=embeddings.name, main_score=acc,
            scores=scores, n_items=int(len(correct)), n_scored=int(len(correct)), ci95=ci,
            main_score_name="test_accuracy", higher_is_better=True,
            protocol={"name": "finetune", "version": VERSION,
                      "split": {k: p[k] for k in ("val_fraction", "test_fraction", "folds", "split_seed", "subsample")}},
            items={"id": [prep.dataset.ids[prep.rows[i]] for i in test_rows],
                   "gold": [names[prep.labels[i]] for i in test_rows],
                   "predicted": [names[int(y)] for y in predicted],
                   "correct": [bool(c) for c in correct]},
            details=details,
            key=ResultKey(embeddings.name, self.seed, Variant(self.model, self.mode, details["params"])),
            provenance={"dataset": prep.dataset.name, "dataset_sha256": prep.dataset.sha256,
                        "dataset_rows": len(prep.dataset), "seed": self.seed, "packages": package_versions(),
                        "wall_time": time.perf_counter() - t0 if t0 is not None else details["train_seconds"],
                        "embedding_fingerprint": embeddings.fingerprint()},
        )

    def _details(self, embeddings, outcomes, found, curves, best_epoch, overfit, moved, test_rows) -> dict:
        prep = self.prepared
        pretrained = self.mode != "random" and len(found) > 1
        tokens, uncovered = token_coverage(prep.encoded, found) if pretrained else (None, [])
        params = outcomes[0].extra.get("params", {})
        details = {
            "dataset": prep.dataset.name, "model": self.model, "mode": self.mode,
            "params": {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()},
            "seed": self.seed, "best_epoch": best_epoch, "curves": curves, "overfit": overfit, "drift": moved,
            "leak": leak_warning(embeddings, prep),
            "n_train": int(np.mean([len(s.train) for s in prep.splits])),
            "n_val": int(np.mean([len(s.val) for s in prep.splits])), "n_test": int(len(test_rows)),
            "folds": len(prep.splits) if len(prep.splits) > 1 else 0,
            "vocab_size": len(prep.encoded.vocab),
            # the bound of the random vectors (every word in random mode, uncovered words otherwise)
            "init_bound": init_bound(embeddings.matrix, self._settings()["init_scale"]),
            "vocab_coverage": float(found[1:].mean()) if pretrained else None,
            "token_coverage": tokens, "uncovered_tokens": uncovered,
            "epochs_run": [o.epochs_run for o in outcomes] if len(outcomes) > 1 else outcomes[0].epochs_run,
            "stopped_early": any(o.stopped_early for o in outcomes),
            "train_seconds": float(sum(o.seconds for o in outcomes)),
            "examples_per_second": float(np.mean([o.examples_per_second for o in outcomes])),
        }
        if self.sweep:
            details["sweep"] = self.sweep
        if self.mode == "probe":
            details["probe"] = {"C": [o.extra["probe"]["C"] for o in outcomes],
                                **{k: v for k, v in outcomes[0].extra["probe"].items() if k != "C"}}
        if len(outcomes) > 1:
            details["fold_results"] = [{"best_epoch": o.best_epoch, "test_accuracy": o.test_accuracy,
                                        "curves": o.curves, "overfit": o.overfit(), "drift": o.drift()}
                                       for o in outcomes]
        return details


def _fold_mean(outcomes):
    """Curves averaged over folds (epochs every fold reached), mean overfit and drift numbers."""
    n = min(o.epochs_run for o in outcomes)
    curves = {k: ([e for e in outcomes[0].curves[k][:n]] if k == "epoch" else
                  [float(np.mean([o.curves[k][i] for o in outcomes])) for i in range(n)])
              for k in outcomes[0].curves}
    best = int(round(np.mean([o.best_epoch for o in outcomes])))
    overs = [o.overfit() for o in outcomes]
    overfit = {k: float(np.mean([d[k] for d in overs])) for k in overs[0]}
    drifts = [o.drift() for o in outcomes]
    moved = {k: (all(d[k] for d in drifts) if isinstance(drifts[0][k], bool) else
                 None if any(d[k] is None for d in drifts) else float(np.mean([d[k] for d in drifts])))
             for k in drifts[0]}
    return curves, best, overfit, moved


__all__ = ["ClassificationTask", "Prepared", "TrainingJob", "drift", "leak_warning",
           "overfit_measures", "prepare", "task_name", "token_coverage"]
