"""torch-glove against GloVe's formulas on tiny hand-checked inputs."""

import math
import threading

import numpy as np
import pytest
import torch

from evalsuite.data.corpus.base import InMemoryCorpus
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.core.errors import ConfigError, TrainingError
from evalsuite.train.base import TrainerCallback, get_trainer
from evalsuite.train.glove.trainer import GloVeState, TorchGloVe, glove_step, glove_weight


def test_registered():
    assert get_trainer("torch-glove") is TorchGloVe


def test_weight_function_against_formula():
    # f(x) = min(1, (x / x_max) ** alpha), values worked out by hand
    x = [0.5, 10.0, 50.0, 100.0, 250.0]
    expected = [0.005 ** 0.75, 0.1 ** 0.75, 0.5 ** 0.75, 1.0, 1.0]
    np.testing.assert_allclose(glove_weight(x, 100.0, 0.75), expected, rtol=1e-12)
    assert glove_weight(10.0, 100.0, 0.75) == pytest.approx(0.177827941, rel=1e-8)
    assert glove_weight(25.0, 50.0, 0.5) == pytest.approx(math.sqrt(0.5))
    assert glove_weight(100.0, 10.0, 0.75) == 1.0


def toy_state():
    # two words, d = 2; last column is the bias
    word = torch.tensor([[0.1, 0.2, 0.05], [-0.3, 0.4, 0.0]])
    context = torch.tensor([[0.2, 0.1, 0.0], [0.5, -0.1, 0.02]])
    return GloVeState(word, context, torch.ones(2, 3), torch.ones(2, 3))


def test_one_adagrad_step_by_hand():
    state = toy_state()
    lr, x, xmax, alpha = 0.05, 4.0, 100.0, 0.75
    f = (x / xmax) ** alpha
    w0, b0 = np.array([0.1, 0.2]), 0.05
    c1, bc1 = np.array([0.5, -0.1]), 0.02
    diff = w0 @ c1 + b0 + bc1 - math.log(x)  # 0.05 - 0.02 + 0.05 + 0.02 - log 4
    fdiff = f * diff
    g_w0, g_c1, g_b = lr * fdiff * c1, lr * fdiff * w0, lr * fdiff
    loss = glove_step(
        state, torch.tensor([0]), torch.tensor([1]), torch.tensor([math.log(x)], dtype=torch.float32),
        torch.tensor([f], dtype=torch.float32), lr,
    )
    assert loss == pytest.approx(0.5 * f * diff ** 2, rel=1e-5)
    # accumulators start at 1: first step is lr * g / sqrt(1), then G = 1 + (lr g)^2
    np.testing.assert_allclose(state.word[0].numpy(), [*(w0 - g_w0), b0 - g_b], rtol=1e-5)
    np.testing.assert_allclose(state.context[1].numpy(), [*(c1 - g_c1), bc1 - g_b], rtol=1e-5)
    np.testing.assert_allclose(state.word_sq[0].numpy(), [*(1 + g_w0 ** 2), 1 + g_b ** 2], rtol=1e-6)
    np.testing.assert_allclose(state.context_sq[1].numpy(), [*(1 + g_c1 ** 2), 1 + g_b ** 2], rtol=1e-6)
    # untouched rows stay put
    np.testing.assert_array_equal(state.word[1].numpy(), toy_state().word[1].numpy())
    np.testing.assert_array_equal(state.context_sq[0].numpy(), np.ones(3))

    # second step divides by sqrt of the accumulated G
    w0b, b0b = w0 - g_w0, b0 - g_b
    c1b, bc1b = c1 - g_c1, bc1 - g_b
    diff2 = w0b @ c1b + b0b + bc1b - math.log(x)
    g2 = lr * f * diff2 * c1b
    glove_step(state, torch.tensor([0]), torch.tensor([1]), torch.tensor([math.log(x)], dtype=torch.float32),
               torch.tensor([f], dtype=torch.float32), lr)
    np.testing.assert_allclose(state.word[0, :2].numpy(), w0b - g2 / np.sqrt(1 + g_w0 ** 2), rtol=1e-5)


def test_duplicate_rows_in_a_batch_add_their_updates():
    one, two = toy_state(), toy_state()
    args = (torch.tensor([math.log(3.0)]), torch.tensor([0.3]))
    glove_step(one, torch.tensor([0]), torch.tensor([0]), *args, 0.1)
    glove_step(two, torch.tensor([0, 0]), torch.tensor([0, 0]), args[0].repeat(2), args[1].repeat(2), 0.1)
    start = toy_state().word[0]
    np.testing.assert_allclose((two.word[0] - start).numpy(), 2 * (one.word[0] - start).numpy(), rtol=1e-5)


def planted_corpus(seed=0, n=400, mix=0.0):
    """Two topics; each token comes from its sentence's topic, or with probability ``mix`` from the other.

    GloVe fits only nonzero co-occurrences, so with ``mix=0`` nothing in the objective
    separates the topics (the biases alone fit equal within-topic counts); a little
    mixing gives log-count contrasts that only the vectors can explain.
    """
    rng = np.random.default_rng(seed)
    groups = [[f"a{i}" for i in range(6)], [f"b{i}" for i in range(6)]]
    sentences = []
    for k in range(n):
        own, other = groups[k % 2], groups[1 - k % 2]
        sentences.append([str(rng.choice(other if rng.random() < mix else own)) for _ in range(8)])
    return InMemoryCorpus(sentences, name="planted")


SMALL = dict(vector_size=8, window=3, epochs=10, min_count=1, batch_size=64, workers=1, x_max=10.0)


class Recorder(TrainerCallback):
    def __init__(self):
        self.losses, self.units, self.threads, self.begun, self.ended = [], [], [], None, None

    def on_train_begin(self, trainer, total_epochs):
        self.begun = total_epochs

    def on_epoch_end(self, trainer, stats):
        self.losses.append(stats.loss)
        self.units.append(stats.unit)
        self.threads.append(torch.get_num_threads())
        assert stats.items_per_second > 0 and stats.seconds >= 0

    def on_train_end(self, trainer, emb):
        self.ended = emb


def test_loss_decreases_and_structure_is_recovered():
    rec = Recorder()
    corpus = planted_corpus(mix=0.1)
    emb = TorchGloVe(**{**SMALL, "epochs": 25}).fit(corpus, seed=1, callbacks=[rec])
    assert rec.begun == 25 and rec.ended is emb and set(rec.units) == {"nonzeros"}
    # shuffled mini-batches make the plateau noisy, so no strict monotonicity
    assert rec.losses[-1] < 0.05 * rec.losses[0] and max(rec.losses[1:]) < rec.losses[0]
    norm = emb.normalized
    groups = np.array([w[0] for w in emb.vocab])
    sims = norm @ norm.T
    same = sims[np.equal.outer(groups, groups) & ~np.eye(len(groups), dtype=bool)].mean()
    cross = sims[~np.equal.outer(groups, groups)].mean()
    assert same > 0.5 and cross < 0.0, (same, cross)
    meta = emb.meta
    assert meta["trainer"] == "torch-glove" and meta["seed"] == 1 and meta["corpus"] == "planted"
    assert meta["params"] == TorchGloVe(**{**SMALL, "epochs": 25}).get_params()
    assert len(meta["history"]) == 25 and meta["corpus_fingerprint"] == corpus.fingerprint()
    assert emb.counts is not None and emb.counts.sum() == 400 * 8


def test_output_w_and_w_plus_c():
    # with a negligible learning rate the parameters stay at their (seeded) initial values
    params = {**SMALL, "epochs": 1, "learning_rate": 1e-30}
    corpus = planted_corpus(n=40)
    w = TorchGloVe(**params, output="W").fit(corpus, seed=3)
    wc = TorchGloVe(**params).fit(corpus, seed=3)
    init = GloVeState.initial(len(w), 8, torch.Generator().manual_seed(3))
    np.testing.assert_allclose(w.matrix, init.word[:, :8].numpy(), atol=1e-7)
    np.testing.assert_allclose(wc.matrix, (init.word[:, :8] + init.context[:, :8]).numpy(), atol=1e-7)
    assert np.all(np.abs(init.word.numpy()) <= 0.5 / 8)


def record_calls(monkeypatch, kernel):
    """Replace the kernel with one that records, per call, its thread and its nonzeros (i, j, log x)."""
    import evalsuite.train.glove.trainer as module

    seen = []

    def triples(rows, cols, log_x):
        return [(i, j, round(lx, 5)) for i, j, lx in zip(rows.tolist(), cols.tolist(), log_x.tolist())]

    if kernel == "torch":
        real_step = module.glove_step

        def recording_step(state, rows, cols, log_x, weight, lr):
            seen.append((threading.current_thread().name, triples(rows, cols, log_x)))
            return real_step(state, rows, cols, log_x, weight, lr)

        monkeypatch.setattr(module, "glove_step", recording_step)
    else:
        real_chunk = module.train_chunk

        def recording_chunk(lib, state, rows, cols, log_x, weight, lo, hi, *args, **kwargs):
            seen.append((threading.current_thread().name, triples(rows[lo:hi], cols[lo:hi], log_x[lo:hi])))
            return real_chunk(lib, state, rows, cols, log_x, weight, lo, hi, *args, **kwargs)

        monkeypatch.setattr(module, "train_chunk", recording_chunk)
    return seen


@pytest.mark.parametrize("kernel", ["torch", "native"])
@pytest.mark.parametrize("workers", [1, 2])
def test_each_epoch_visits_every_nonzero_once_in_a_new_batch_order(monkeypatch, kernel, workers):
    seen = record_calls(monkeypatch, kernel)
    # 7 nonzeros, batches of 3: sizes 3, 3, 1 in some order each epoch
    dense = np.zeros((4, 4))
    for (i, j), x in zip([(0, 1), (1, 0), (0, 2), (2, 3), (3, 3), (1, 2), (2, 0)], [1, 2, 3, 4, 5, 6, 7]):
        dense[i, j] = x
    vocab = Vocabulary.build(InMemoryCorpus([["w0", "w1", "w2", "w3"]]), min_count=1)
    trainer = TorchGloVe(vector_size=2, epochs=6, batch_size=3, workers=workers, kernel=kernel)
    emb = trainer.fit_cooccurrences(dense, vocab, seed=0)
    assert emb.meta["kernel"] == kernel and len(seen) == 6 * 3
    expected = sorted((int(i), int(j), round(math.log(dense[i, j]), 5)) for i, j in zip(*np.nonzero(dense)))
    epochs = [[batch for _, batch in seen[k: k + 3]] for k in range(0, len(seen), 3)]
    for batches in epochs:
        assert sorted(b for batch in batches for b in batch) == expected
    # the batches keep their members (shuffled once)
    assert len({frozenset(tuple(sorted(b)) for b in batches) for batches in epochs}) == 1
    if workers == 1:  # ... but not their order
        assert len({tuple(map(tuple, (sorted(b) for b in batches))) for batches in epochs}) > 1
    else:  # two shares a epoch (2 batches and 1), each trained by its own thread
        assert all(len({thread for thread, _ in seen[k: k + 3]}) == 2 for k in range(0, len(seen), 3))


def test_deterministic_with_seed():
    corpus = planted_corpus(n=100)
    a = TorchGloVe(**SMALL).fit(corpus, seed=5)
    b = TorchGloVe(**SMALL).fit(corpus, seed=5)
    c = TorchGloVe(**SMALL).fit(corpus, seed=6)
    np.testing.assert_array_equal(a.matrix, b.matrix)
    assert not np.array_equal(a.matrix, c.matrix)


CHANGES = {
    "vector_size": 5,
    "window": 1,
    "x_max": 2.0,
    "weighting_exponent": 0.3,
    "learning_rate": 0.2,
    "epochs": 3,
    "min_count": 60,
    "max_final_vocab": 8,
    "batch_size": 7,
    "symmetric": False,
    "distance_weighting": False,
    "output": "W",
}


@pytest.fixture(scope="module")
def baseline():
    corpus = planted_corpus(n=100, seed=2)
    corpus.sentences[0] += ["rare"] * 2  # a word below min_count=60 but kept at 1
    return corpus, TorchGloVe(**SMALL).fit(corpus, seed=0)


@pytest.mark.parametrize("param", sorted(CHANGES))
def test_each_parameter_changes_the_result(baseline, param):
    corpus, base = baseline
    emb = TorchGloVe(**{**SMALL, param: CHANGES[param]}).fit(corpus, seed=0)
    assert emb.matrix.shape != base.matrix.shape or not np.allclose(emb.matrix, base.matrix)


@pytest.mark.parametrize("kernel", ["torch", "native"])
def test_training_uses_one_intra_op_thread_and_max_buffer_is_invariant(baseline, kernel):
    corpus, base = baseline
    rec = Recorder()
    before = torch.get_num_threads()
    TorchGloVe(**{**SMALL, "epochs": 1, "workers": 2, "kernel": kernel}).fit(corpus, callbacks=[rec])
    assert rec.threads == [1] and torch.get_num_threads() == before
    small_buffer = TorchGloVe(**{**SMALL, "max_buffer": 5}).fit(corpus, seed=0)
    np.testing.assert_array_equal(small_buffer.matrix, base.matrix)


def test_divergence_raises_training_error():
    with pytest.raises(TrainingError, match="learning_rate"):
        TorchGloVe(**{**SMALL, "learning_rate": 1e30}).fit(planted_corpus(n=50))


@pytest.mark.parametrize("param,value", [("vector_size", 0), ("x_max", -1.0), ("output", "C"), ("batch_size", 1.5)])
def test_bad_parameters(param, value):
    with pytest.raises(ConfigError, match=param):
        TorchGloVe(**{**SMALL, param: value}).fit(planted_corpus(n=10))


def test_native_kernel_is_the_default_and_agrees_with_torch_one_nonzero_at_a_time():
    # with blocks of one nonzero, both kernels make the same sequential updates in the same order
    corpus = planted_corpus(n=60, mix=0.1)
    params = {**SMALL, "epochs": 3, "batch_size": 1}
    native = TorchGloVe(**params).fit(corpus, seed=2)
    batched = TorchGloVe(**params, kernel="torch").fit(corpus, seed=2)
    assert native.meta["kernel"] == "native" and batched.meta["kernel"] == "torch"
    np.testing.assert_allclose(native.matrix, batched.matrix, rtol=1e-4, atol=1e-6)
    losses = [[h["loss"] for h in emb.meta["history"]] for emb in (native, batched)]
    np.testing.assert_allclose(*losses, rtol=1e-5)


def test_native_and_torch_losses_are_close_with_batches():
    corpus = planted_corpus(n=300, mix=0.1)
    params = {**SMALL, "epochs": 15, "batch_size": 16}
    native, batched = (TorchGloVe(**params, kernel=k).fit(corpus, seed=0) for k in ("native", "torch"))
    losses = np.array([[h["loss"] for h in emb.meta["history"]] for emb in (native, batched)])
    np.testing.assert_allclose(losses[0, [0, 4, -1]], losses[1, [0, 4, -1]], rtol=0.2)


@pytest.mark.parametrize("kernel", ["torch", "native"])
def test_two_hogwild_workers_train(kernel):
    rec = Recorder()
    emb = TorchGloVe(**{**SMALL, "epochs": 15, "batch_size": 16, "workers": 2, "kernel": kernel}).fit(
        planted_corpus(mix=0.1), seed=0, callbacks=[rec])
    assert np.isfinite(emb.matrix).all() and all(np.isfinite(rec.losses))
    assert rec.losses[-1] < 0.2 * rec.losses[0] and rec.losses[1] < rec.losses[0]


def test_without_a_compiler_auto_falls_back_and_native_fails(monkeypatch):
    from evalsuite import native
    from evalsuite.native import NativeKernelError

    monkeypatch.setattr(native, "_loaded", {})
    monkeypatch.setattr(native, "_compiler", lambda: None)
    corpus = planted_corpus(n=20)
    with pytest.warns(RuntimeWarning, match="no C compiler"):
        emb = TorchGloVe(**{**SMALL, "epochs": 1}).fit(corpus, seed=0)
    assert emb.meta["kernel"] == "torch"
    with pytest.raises(NativeKernelError, match="no C compiler"):
        TorchGloVe(**{**SMALL, "epochs": 1, "kernel": "native"}).fit(corpus, seed=0)


def test_unknown_kernel_is_a_config_error():
    with pytest.raises(ConfigError, match="kernel"):
        TorchGloVe(**{**SMALL, "kernel": "fast"}).fit(planted_corpus(n=10))


@pytest.mark.parametrize("shuffler", ["native", "torch"])
def test_training_arrays_are_the_counted_matrix_in_place(shuffler):
    import scipy.sparse as sp

    from evalsuite.native.glove import load_native
    from evalsuite.train.glove.nonzeros import training_arrays

    # 3 words; x = 1, 2, 100, 0.5 at (0,1), (1,0), (1,2), (2,2): f = (x / 10) ** 0.75 below x_max 10
    dense = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 100.0], [0.0, 0.0, 0.5]], dtype=np.float32)
    matrix = sp.csr_matrix(dense)
    data, indices = matrix.data, matrix.indices
    lib = load_native(required=True) if shuffler == "native" else None
    rows, cols, log_x, weight = training_arrays(matrix, owned=True, x_max=10.0, weighting_exponent=0.75,
                                                generator=torch.Generator().manual_seed(0), lib=lib, workers=2,
                                                weights=True)
    if shuffler == "native":  # no copy: log x overwrites the float32 data, the cols are its indices
        assert np.shares_memory(log_x.numpy(), data) and np.shares_memory(cols.numpy(), indices)
    got = sorted(zip(rows.tolist(), cols.tolist(), log_x.tolist(), weight.tolist()))
    want = [(0, 1, 0.0, 0.1 ** 0.75), (1, 0, math.log(2), 0.2 ** 0.75), (1, 2, math.log(100), 1.0),
            (2, 2, math.log(0.5), 0.05 ** 0.75)]
    for g, w in zip(got, want):
        assert g[:2] == w[:2] and g[2:] == pytest.approx(w[2:], rel=1e-6)
    again = training_arrays(sp.csr_matrix(dense), owned=True, x_max=10.0, weighting_exponent=0.75, generator=torch.Generator(),
                            lib=lib, workers=1, weights=False)
    assert again[3] is None


def test_fit_cooccurrences_leaves_the_callers_matrix_alone():
    import scipy.sparse as sp

    corpus = planted_corpus(n=40)
    vocab = Vocabulary.build(corpus, min_count=1)
    from evalsuite.train.glove.cooccurrence import count_cooccurrences

    matrix = count_cooccurrences([vocab.encode(s) for s in corpus], len(vocab), window=3)
    before = matrix.copy()
    TorchGloVe(**{**SMALL, "epochs": 1}).fit_cooccurrences(matrix, vocab, seed=0)
    assert isinstance(matrix, sp.csr_matrix)
    np.testing.assert_array_equal(matrix.data, before.data)
    np.testing.assert_array_equal(matrix.indices, before.indices)
