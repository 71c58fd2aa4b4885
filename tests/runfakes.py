"""Small fakes shared by the run/store/compare tests: trainers whose quality is a
parameter, a tiny similarity dataset, and an evaluate function following the
TaskResult contract (similarity items word1/word2/gold/predicted).

The fake trainers declare their parameters as the built-in ones do and are registered
only while a test uses the ``fake_trainers`` fixture (:func:`registered_fakes`); a
worker process (Ray) registers them when it unpickles an evaluate function wrapped by
:func:`in_workers`.
"""

from __future__ import annotations

import contextlib
import textwrap
from pathlib import Path
from unittest import mock

import numpy as np
from scipy import stats

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.results import TaskResult
from evalsuite.train.base import EpochStats, Trainer, register_trainer, trainer_registry
from evalsuite.train.params import Integral, Interval, Real
from evalsuite.train.record import TrainingMeter

WORDS = [f"w{i}" for i in range(30)]
TRUE = np.random.default_rng(123).normal(size=(len(WORDS), 8))
CALLS: list[tuple] = []  # (trainer name, seed) of every fit, to count training


class _FakeBase(Trainer):
    """Vectors = true vectors + noise * N(0, 1) (seeded); the corpus only supplies the vocabulary."""

    _parameter_defaults = {"noise": 0.1, "dim": 8, "epochs": 2}
    _parameter_constraints = {
        "noise": [Interval(Real, 0, None, closed="left")],
        "dim": [Interval(Integral, 1, TRUE.shape[1])],
        "epochs": [Interval(Integral, 1, 100)],
    }

    def fit(self, corpus, *, seed=0, callbacks=()):
        meter = TrainingMeter()
        CALLS.append((self.name, seed))
        seen = {w for s in corpus for w in s}
        vocab = [w for w in WORDS if w in seen]
        rows = [WORDS.index(w) for w in vocab]
        rng = np.random.default_rng(seed)
        m = TRUE[rows][:, : self.dim] + self.noise * rng.normal(size=(len(rows), self.dim))
        for cb in callbacks:
            cb.on_train_begin(self, self.epochs)
        history = []
        for e in range(1, self.epochs + 1):
            st = EpochStats(e, 1.0 / e, 1000.0, 0.01)
            history.append(st)
            for cb in callbacks:
                cb.on_epoch_end(self, st)
        record = meter.record(self, corpus, seed=seed, history=history)
        emb = Embeddings(vocab, m, counts=np.arange(len(vocab), 0, -1), name=self.name, meta=record.to_meta())
        for cb in callbacks:
            cb.on_train_end(self, emb)
        return emb


class FakeSGNS(_FakeBase):
    name = "fake-sgns"


class FakeGloVe(_FakeBase):
    name = "fake-glove"


FAKES = (FakeSGNS, FakeGloVe)


@contextlib.contextmanager
def registered_fakes():
    """The fake trainers registered through ``register_trainer``; afterwards the registry
    holds exactly what it held before."""
    import evalsuite.train.builtin  # noqa: F401  (the built-ins first: they stay registered afterwards)

    with mock.patch.dict(trainer_registry._items):
        for cls in FAKES:
            register_trainer(cls)
        yield FAKES


def register_in_worker() -> None:
    """Register the fakes for the rest of this process's life, where absent: for worker
    processes, which run no fixtures."""
    for cls in FAKES:
        if cls.name not in trainer_registry:
            register_trainer(cls)


class in_workers:
    """``fn`` (an evaluate function), which registers the fake trainers in the worker
    process that unpickles it, before the job that carries it looks its trainer up."""

    def __init__(self, fn):
        self.fn = fn

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    def __reduce__(self):
        return _unpickled_in_worker, (self.fn,)


def _unpickled_in_worker(fn) -> "in_workers":
    register_in_worker()
    return in_workers(fn)


def write_corpus(folder: Path) -> Path:
    path = Path(folder) / "corpus.txt"
    lines = [" ".join(WORDS[i: i + 6]) for i in range(0, len(WORDS), 3)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_similarity(folder: Path, name="tinysim", n_pairs=60, seed=7) -> Path:
    rng = np.random.default_rng(seed)
    unit = TRUE / np.linalg.norm(TRUE, axis=1, keepdims=True)
    lines = []
    for _ in range(n_pairs):
        i, j = rng.choice(len(WORDS), 2, replace=False)
        lines.append(f"{WORDS[i]}\t{WORDS[j]}\t{5 + 5 * float(unit[i] @ unit[j]):.4f}")
    lines.append("w0\tunknownword\t3.0")  # one OOV pair
    path = Path(folder) / f"{name}.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fake_evaluate(emb, tasks, protocol):
    """Spearman on tab-separated pair files, with the contract's item columns."""
    out = []
    for task in tasks:
        rows = [line.split("\t") for line in Path(task).read_text().splitlines() if line]
        w1, w2, gold = [r[0] for r in rows], [r[1] for r in rows], [float(r[2]) for r in rows]
        pred = []
        for a, b in zip(w1, w2):
            if a in emb and b in emb:
                va, vb = emb[a], emb[b]
                pred.append(float(va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb))))
            else:
                pred.append(None)
        ok = [i for i, p in enumerate(pred) if p is not None]
        rho = float(stats.spearmanr([gold[i] for i in ok], [pred[i] for i in ok])[0])
        out.append(TaskResult(task=Path(task).stem, kind="similarity", embedding=emb.name, main_score=rho,
                              scores={"spearman": rho}, n_items=len(rows), n_scored=len(ok),
                              ci95=(rho - 0.05, rho + 0.05), main_score_name="spearman",
                              protocol={"name": protocol}, items={"word1": w1, "word2": w2, "gold": gold, "predicted": pred},
                              provenance={"dataset_sha256": "x"}))
    return out


def write_config(folder: Path, *, name="t", seeds=(0, 1), extra_embeddings="", sgns_noise=0.1, glove_noise=0.1,
                 cache=None, store=None) -> Path:
    folder = Path(folder)
    corpus = write_corpus(folder)
    sim = write_similarity(folder)
    text = textwrap.dedent(f"""
        tasks = ["{sim}"]

        [run]
        name = "{name}"
        seeds = {list(seeds)}
        output = "{folder / 'reports'}"
        store = "{store or folder / 'results.sqlite'}"
        cache = "{cache or folder / 'cache'}"

        [corpus]
        path = "{corpus}"

        [[embeddings]]
        name = "sgns"
        trainer = "fake-sgns"
        params = {{ noise = {sgns_noise} }}

        [[embeddings]]
        name = "glove"
        trainer = "fake-glove"
        params = {{ noise = {glove_noise} }}
        """) + extra_embeddings
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


#: what differs between two runs of the same fine-tuning (timings); nothing else in a result may
FINETUNE_TIMED = ("train_seconds", "examples_per_second")


def write_glove_config(folder: Path, params: str) -> Path:
    """A one-embedding config: torch-glove (torch kernel, one thread) on the tiny corpus, with the
    inline table ``params`` (``"window = 3, vector_size = 4"``), scored on the tiny similarity set."""
    corpus, sim = write_corpus(folder), write_similarity(folder)
    path = folder / "g.toml"
    path.write_text(textwrap.dedent(f"""
        tasks = ["{sim}"]
        [run]
        seeds = [0]
        cache = "{folder / 'cache'}"
        [corpus]
        path = "{corpus}"
        [[embeddings]]
        name = "g"
        trainer = "torch-glove"
        params = {{ {params}, workers = 1, kernel = "torch" }}
        """), encoding="utf-8")
    return path


def write_classification_csv(folder: Path, n=60) -> Path:
    """A two-class dataset of the fake trainers' words: the label's word among noise words."""
    rng = np.random.default_rng(0)
    lines = ["text,label"]
    for i in range(n):
        y = i % 2
        words = list(rng.choice(WORDS[:20], 4)) + ["w25" if y else "w26"]
        lines.append(" ".join(words) + f",{y}")
    path = Path(folder) / "toy.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_finetune_config(folder: Path, *, seeds=(0,), folds=2, table="", extra="") -> Path:
    """:func:`write_config` with a tiny ``[finetune]`` table (one epoch, 4 filters of width 2,
    ``folds`` folds) on :func:`write_classification_csv`'s data; ``table`` adds settings,
    ``extra`` embeddings."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    csv = write_classification_csv(folder)
    text = extra + f'\n[finetune]\ndataset = "{csv}"\nepochs = 1\nfolds = {folds}\nfilters = 4\nwidths = [2]\n' + table
    return write_config(folder, seeds=seeds, extra_embeddings=text)


def finetune_results(results) -> list[tuple]:
    """The fine-tuning results among ``results`` as comparable tuples (timings left out), sorted
    by embedding and task."""
    out = []
    for r in results:
        if r.kind != "classification":
            continue
        details = {k: v for k, v in r.details.items() if k not in FINETUNE_TIMED}
        out.append((r.embedding, r.task, r.key, r.main_score, r.scores, r.items, r.ci95, repr(details)))
    return sorted(out, key=lambda t: (t[0], t[1]))
