"""Training loop, regularizers and measurements on a small synthetic task with a planted signal."""
import numpy as np
import pytest
import torch

from evalsuite import Embeddings
from evalsuite.data.datasets.classification import ClassificationDataset
from evalsuite.evaluate.classification.data import initial_matrix
from evalsuite.evaluate.classification.regularization import EarlyStopping, apply_max_norm, embedding_penalty
from evalsuite.evaluate.classification.task import prepare
from evalsuite.evaluate.classification.train import drift, overfit_measures, train_classifier

POS = [f"good{i}" for i in range(10)]
NEG = [f"bad{i}" for i in range(10)]
FILLER = [f"w{i}" for i in range(60)]


def synthetic(n=200, seed=0):
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        y = i % 2
        words = list(rng.choice(FILLER, 6)) + list(rng.choice(POS if y else NEG, 1)) + [f"rare{i}"]
        rng.shuffle(words)
        texts.append(" ".join(words))
        labels.append(y)
    # a few test-only words so that 'unseen' rows exist
    return ClassificationDataset("synth", tuple(texts), tuple(labels), ("0", "1"), tuple(f"s:{i}" for i in range(n)))


def planted_embeddings(dim=8, seed=0):
    rng = np.random.default_rng(seed)
    vocab = POS + NEG + FILLER
    m = rng.normal(0, 0.1, (len(vocab), dim))
    m[:10, 0] += 1.0
    m[10:20, 0] -= 1.0
    return Embeddings(vocab, m, name="planted")


@pytest.fixture(scope="module")
def prep():
    return prepare(synthetic(), {"val_fraction": 0.2, "test_fraction": 0.2})


def run(prep, mode="finetuned", kind="bag", **params):
    emb = planted_embeddings()
    matrix, _ = initial_matrix(prep.encoded.vocab, emb, mode, seed=0)
    params.setdefault("epochs", 3)
    return train_classifier(kind, matrix, trainable=mode != "frozen", encoded=prep.encoded, labels=prep.labels,
                            split=prep.splits[0], n_classes=2, params=params, seed=0)


@pytest.fixture(scope="module")
def baseline(prep):
    return run(prep)


def test_curves_recorded_every_epoch_and_deterministic(prep, baseline):
    assert baseline.curves["epoch"] == [1, 2, 3]
    for k in ("train_loss", "val_loss", "train_acc", "val_acc"):
        assert len(baseline.curves[k]) == 3
    again = run(prep)
    assert again.curves == baseline.curves
    assert np.array_equal(again.last_matrix, baseline.last_matrix)


def test_frozen_mode_leaves_embedding_unchanged(prep):
    out = run(prep, mode="frozen", weight_decay=0.1, l2_sp=1.0, l1=0.1, embedding_max_norm=0.01)
    assert np.array_equal(out.last_matrix, out.start_matrix)
    assert drift(out.start_matrix, out.best_matrix, out.seen)["seen"] == 0.0


@pytest.mark.parametrize("setting", [
    {"weight_decay": 0.05}, {"dropout": 0.5}, {"l1": 1e-3}, {"l1": 1e-3, "l1_target": "change"},
    {"l2_sp": 1.0}, {"embedding_max_norm": 0.3}, {"max_norm": 0.05}, {"optimizer": "adamw", "weight_decay": 0.5},
])
def test_every_regularizer_changes_training(prep, baseline, setting):
    out = run(prep, **setting)
    assert not np.allclose(out.last_matrix, baseline.last_matrix)
    assert out.curves["train_loss"] != baseline.curves["train_loss"]


def test_embedding_max_norm_bounds_rows(prep):
    out = run(prep, embedding_max_norm=0.3)
    assert np.linalg.norm(out.start_matrix, axis=1).max() > 0.3
    assert np.linalg.norm(out.last_matrix, axis=1).max() <= 0.3 + 1e-5
    w = torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 0.0]])
    apply_max_norm(w, 1.0)
    assert torch.allclose(w, torch.tensor([[0.6, 0.8], [0.3, 0.4], [0.0, 0.0]]))


def test_l2_sp_pulls_toward_pretrained(prep, baseline):
    out = run(prep, l2_sp=5.0, lr=1e-2)
    free = run(prep, lr=1e-2)
    dist = lambda o: np.linalg.norm(o.last_matrix - o.start_matrix)  # noqa: E731
    assert dist(out) < 0.5 * dist(free)


def test_penalty_values_by_hand():
    w = torch.tensor([[1.0, -2.0]])
    s = torch.tensor([[0.0, -1.0]])
    assert float(embedding_penalty(w, s, l1=0.5)) == pytest.approx(1.5)
    assert float(embedding_penalty(w, s, l1=0.5, l1_target="change")) == pytest.approx(1.0)
    assert float(embedding_penalty(w, s, l2_sp=2.0)) == pytest.approx(2.0)
    assert embedding_penalty(w, s) is None


def test_early_stopping_stops():
    # shuffled labels: training can only memorise documents, so validation loss soon rises
    clean = synthetic()
    labels = tuple(int(v) for v in np.random.default_rng(1).permutation(clean.labels))
    noise = ClassificationDataset("noise", clean.texts, labels, clean.label_names, clean.ids)
    out = run(prepare(noise, {"val_fraction": 0.2, "test_fraction": 0.2}), epochs=30, patience=2, lr=0.05,
              select_by="val_loss")
    assert out.stopped_early and out.epochs_run < 30
    assert out.epochs_run - out.best_epoch == 2
    stop = EarlyStopping(patience=2)
    for epoch, acc in enumerate([0.5, 0.7, 0.6, 0.7], 1):
        stop.update(epoch, acc, 1.0)
    assert stop.best_epoch == 2 and stop.should_stop


def test_overfit_measures_on_hand_made_curve():
    curves = {"train_acc": [0.6, 0.8, 0.9, 1.0], "val_acc": [0.55, 0.7, 0.68, 0.65],
              "val_loss": [0.7, 0.5, 0.6, 0.55]}
    m = overfit_measures(curves, best_epoch=2)
    assert m["gap_at_best"] == pytest.approx(0.1)
    assert m["gap_at_last"] == pytest.approx(0.35)
    assert m["epochs_past_best"] == 2
    assert m["val_loss_rise"] == pytest.approx(0.05)
    assert m["val_loss_rise_max"] == pytest.approx(0.1)


def test_drift_by_hand():
    start = np.zeros((4, 2))
    end = np.array([[9.0, 9.0], [3.0, 4.0], [0.0, 1.0], [0.0, 0.0]])
    seen = np.array([True, True, False, False])  # row 0 is padding: ignored even if marked
    d = drift(start, end, seen)
    assert d == {"seen": 5.0, "unseen": 0.5, "n_seen": 1, "n_unseen": 2}


def test_unseen_words_move_only_through_dense_regularizers(prep):
    out = run(prep)
    d = out.drift()
    assert d["seen"] > 0 and d["n_unseen"] > 0 and d["unseen"] == 0.0
    # lazy updates touch only rows a batch looks up: weight decay never reaches unseen words
    assert run(prep, optimizer="adamw", weight_decay=0.5).drift()["unseen"] == 0.0
    decayed = run(prep, optimizer="adamw", weight_decay=0.5, embedding_update="dense")
    assert decayed.drift()["unseen"] > 0


@pytest.mark.parametrize("kind", ["bag", "cnn"])
def test_lazy_and_dense_updates_agree_on_the_first_step(prep, kind):
    # before any row has momentum, Adam moves only rows with a gradient in both modes
    one = {"epochs": 1, "batch_size": 1000, "dropout": 0.0}
    lazy = run(prep, kind=kind, **one)
    dense = run(prep, kind=kind, embedding_update="dense", **one)
    assert not np.array_equal(lazy.last_matrix, lazy.start_matrix)
    np.testing.assert_allclose(lazy.last_matrix, dense.last_matrix, atol=1e-6)
    # later steps differ: dense Adam keeps moving rows through their momentum
    assert not np.allclose(run(prep, kind=kind).last_matrix,
                           run(prep, kind=kind, embedding_update="dense").last_matrix)


@pytest.mark.parametrize("update", ["lazy", "dense"])
def test_penalties_and_max_norm_in_both_update_modes(prep, update):
    free = run(prep, embedding_update=update)
    assert not np.allclose(run(prep, l1=1e-3, embedding_update=update).last_matrix, free.last_matrix)
    clipped = run(prep, embedding_max_norm=0.3, embedding_update=update)
    assert np.linalg.norm(clipped.last_matrix, axis=1).max() <= 0.3 + 1e-5


def test_cnn_trains_and_learns_planted_signal(prep):
    out = run(prep, kind="cnn", epochs=4, filters=8, lr=5e-3)
    assert out.test_accuracy >= 0.8


@pytest.mark.parametrize("mode", ["random", "frozen", "finetuned"])
def test_cnn_max_norm_bounds_every_output_row_after_a_step(prep, mode):
    from evalsuite.evaluate.classification.models import build_model
    from evalsuite.evaluate.classification.settings import defaults
    from evalsuite.evaluate.classification.train import _Loop

    matrix, _ = initial_matrix(prep.encoded.vocab, planted_embeddings(), mode, seed=0)
    batch = prep.splits[0].train[:50]

    def one_step(max_norm):
        p = {**defaults("training"), "optimizer": "sgd", "lr": 50.0, "dropout": 0.5, "max_norm": max_norm}
        torch.manual_seed(0)
        model = build_model("cnn", matrix, 2, trainable=mode != "frozen", params=p)
        loop = _Loop(model, "cnn", p, prep.encoded, prep.labels, prep.splits[0], seed=0)
        loop.step(batch, epoch=1)
        return torch.linalg.vector_norm(model.out.weight, dim=1)

    assert one_step(None).max() > 3  # the large step pushes the class weight vectors past 3 ...
    norms = one_step(3.0)
    assert norms.shape == (2,) and norms.max() <= 3 + 1e-5  # ... and the constraint rescales every row


def test_without_early_stopping_the_last_epoch_is_scored(prep):
    out = run(prep, epochs=4, early_stopping=False, patience=1)
    assert out.epochs_run == 4 and out.best_epoch == 4 and not out.stopped_early


def test_drift_says_which_rows_cannot_move(prep):
    lazy = run(prep).drift()
    assert lazy["seen"] > 0 and lazy["unseen"] == 0.0 and lazy["unseen_zero"] and not lazy["seen_zero"]
    dense_decay = run(prep, embedding_update="dense", weight_decay=0.1).drift()
    assert not dense_decay["unseen_zero"] and dense_decay["unseen"] > 0
    frozen = run(prep, mode="frozen").drift()
    assert frozen["seen_zero"] and frozen["unseen_zero"] and frozen["seen"] == 0.0
    slim = run(prep).summary()
    assert slim.best_matrix is None and slim.drift() == lazy


def test_cnn_prediction_does_not_depend_on_the_batch():
    from evalsuite.evaluate.classification.models import KimCNN, make_batch

    torch.manual_seed(0)
    model = KimCNN(np.random.default_rng(0).normal(0, 1, (30, 6)), 2, trainable=True, widths=(3, 4, 5), filters=4,
                   dropout=0.5).eval()
    short, long = np.array([3, 4]), np.arange(1, 25)
    alone = model(*make_batch("cnn", [short], pad=model.pad))
    padded = model(*make_batch("cnn", [short, long], pad=model.pad))[:1]
    torch.testing.assert_close(alone, padded)
    ids, lengths = make_batch("cnn", [short], pad=4)
    assert ids.tolist() == [[0, 0, 0, 0, 3, 4, 0, 0, 0, 0]] and lengths.tolist() == [2]


def test_probe_fits_standardised_logistic_regression(prep):
    from evalsuite.evaluate.classification.probe import train_probe

    matrix, found = initial_matrix(prep.encoded.vocab, planted_embeddings(), "finetuned", seed=0)
    out = train_probe(matrix, found, encoded=prep.encoded, labels=prep.labels, split=prep.splits[0])
    # the planted first coordinate separates the classes: the probe finds it
    assert out.test_accuracy >= 0.9 and out.best_epoch == 1 and out.curves["epoch"] == [1]
    assert out.extra["probe"]["C"] in out.extra["probe"]["C_grid"]
    assert out.drift()["seen_zero"]


def test_training_accuracy_can_be_scored_on_a_fixed_sample(prep, baseline):
    from evalsuite.evaluate.classification.train import _eval_rows

    rows = _eval_rows(prep.splits[0].train, 30, seed=0)
    assert len(rows) == 30 and set(rows) <= set(prep.splits[0].train)
    assert np.array_equal(rows, _eval_rows(prep.splits[0].train, 30, seed=0))
    sampled = run(prep, train_eval_size=30)
    # the sample changes what is measured, never what is trained
    assert sampled.curves["val_acc"] == baseline.curves["val_acc"]
    assert sampled.curves["train_acc"] != baseline.curves["train_acc"]
