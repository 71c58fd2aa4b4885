"""torch-sgns / torch-cbow against the published word2vec formulas on tiny corpora."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from evalsuite.data.corpus import InMemoryCorpus, Vocabulary
from evalsuite.core.errors import ConfigError, TrainingError
from evalsuite.train import TrainerCallback, get_trainer
from evalsuite.train.word2vec.torch_trainer import TorchCBOW, TorchSGNS
from evalsuite.train.word2vec.batches import NoiseSampler, reduced_windows, subsample, window_pairs
from evalsuite.train.word2vec.kernels import cbow_step, sgns_step
from evalsuite.train.word2vec import kernels as w2v_kernels


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def planted_corpus(n_sentences=300, length=8, seed=0):
    """Two clusters of five words; every sentence uses words of one cluster only."""
    rng = np.random.default_rng(seed)
    clusters = [[f"a{i}" for i in range(5)], [f"b{i}" for i in range(5)]]
    sentences = [list(rng.choice(clusters[k % 2], size=length)) for k in range(n_sentences)]
    return InMemoryCorpus(sentences, name="planted")


SMALL = dict(vector_size=8, epochs=2, min_count=1, sample=0.0, workers=1, batch_size=64)


# -- sampling ----------------------------------------------------------------------
def test_noise_distribution_proportional_to_count_power():
    counts = np.array([1000, 100, 10, 1])
    sampler = NoiseSampler(counts, 0.75)
    expected = counts**0.75 / (counts**0.75).sum()
    np.testing.assert_allclose(np.bincount(sampler.table, minlength=4) / len(sampler.table), expected, atol=2e-6)
    draws = sampler.sample(np.random.default_rng(0), (400_000,))
    freq = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(freq, expected, atol=3e-3)
    # exponent 0 is uniform
    assert np.allclose(NoiseSampler(counts, 0.0).probabilities, 0.25)


def test_subsampling_uses_word2vec_formula():
    vocab = Vocabulary(["the", "cat", "rare"], [9000, 900, 100])
    t = 1e-3 * 10_000  # sample * in-vocabulary tokens
    expected = [min(1.0, (np.sqrt(c / t) + 1) * t / c) for c in (9000, 900, 100)]
    keep = vocab.keep_probabilities(1e-3)
    np.testing.assert_allclose(keep, expected)
    assert keep[0] == pytest.approx((np.sqrt(9000 / 10) + 1) * 10 / 9000)
    tokens = np.repeat(np.arange(3, dtype=np.int32), [9000, 900, 100])
    kept_rate = np.zeros(3)
    for s in range(20):
        kept = subsample(tokens, keep.astype(np.float32), np.random.default_rng(s))
        kept_rate += np.bincount(tokens[kept], minlength=3) / np.array([9000, 900, 100]) / 20
    np.testing.assert_allclose(kept_rate, expected, atol=0.01)


def test_reduced_window_uniform():
    eff = reduced_windows(50_000, 5, np.random.default_rng(1))
    assert eff.min() == 1 and eff.max() == 5
    np.testing.assert_allclose(np.bincount(eff)[1:] / eff.size, 0.2, atol=0.01)


def test_window_pairs_respect_window_and_sentences():
    tokens = np.array([10, 11, 12, 13, 20, 21], dtype=np.int32)
    sent = np.array([0, 0, 0, 0, 1, 1], dtype=np.int32)
    eff = np.array([1, 2, 1, 1, 5, 1], dtype=np.int32)
    c, x, rel = window_pairs(tokens, sent, 0, 6, eff, 5)
    got = sorted(zip(c.tolist(), x.tolist()))
    expected = sorted([(10, 11), (11, 10), (11, 12), (11, 13), (12, 11), (12, 13), (13, 12), (20, 21), (21, 20)])
    assert got == expected
    # a slice: centres 2..3 only, contexts may lie before the slice
    c, x, rel = window_pairs(tokens, sent, 2, 4, eff[2:4], 5)
    assert sorted(zip(c.tolist(), x.tolist())) == [(12, 11), (12, 13), (13, 12)]
    assert set(rel.tolist()) == {0, 1}


# -- one update step against the formula -------------------------------------------
def test_sgns_step_matches_hand_computed_gradient():
    W0 = np.array([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2]])
    C0 = np.array([[0.2, 0.1], [-0.3, 0.5], [0.4, -0.1]])
    lr = 0.5
    w, c, n = W0[0], C0[1], C0[2]  # pair (w=0, c=1), negative n=2
    dW = (sigmoid(w @ c) - 1) * c + sigmoid(w @ n) * n
    dC_c = (sigmoid(w @ c) - 1) * w
    dC_n = sigmoid(w @ n) * w
    loss = -np.log(sigmoid(w @ c)) - np.log(sigmoid(-(w @ n)))
    W, C = torch.tensor(W0, dtype=torch.float64), torch.tensor(C0, dtype=torch.float64)
    got = sgns_step(W, C, torch.tensor([0]), torch.tensor([1]), torch.tensor([[2]]), lr)
    assert got == pytest.approx(loss)
    np.testing.assert_allclose(W.numpy(), W0 - lr * np.array([dW, [0, 0], [0, 0]]))
    np.testing.assert_allclose(C.numpy(), C0 - lr * np.array([[0, 0], dC_c, dC_n]))


def test_sgns_step_sums_updates_of_a_batch():
    rng = np.random.default_rng(0)
    W0, C0 = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    pairs = [(0, 1, 2), (0, 2, 1), (1, 0, 0)]  # repeated indices, a negative equal to the target
    expected_W, expected_C = W0.copy(), C0.copy()
    for i, t, neg in pairs:  # all gradients taken at the starting weights
        s_t, s_n = sigmoid(W0[i] @ C0[t]), sigmoid(W0[i] @ C0[neg])
        expected_W[i] -= 0.1 * ((s_t - 1) * C0[t] + s_n * C0[neg])
        expected_C[t] -= 0.1 * (s_t - 1) * W0[i]
        expected_C[neg] -= 0.1 * s_n * W0[i]
    W, C = torch.tensor(W0), torch.tensor(C0)
    ids = torch.tensor(pairs)
    sgns_step(W, C, ids[:, 0], ids[:, 1], ids[:, 2:], 0.1)
    np.testing.assert_allclose(W.numpy(), expected_W)
    np.testing.assert_allclose(C.numpy(), expected_C)


def test_add_rows_sums_repeats_and_damps_past_the_cap():
    M = torch.zeros(3, 2)
    cap = w2v_kernels.ROW_UPDATE_CAP
    ids = torch.tensor([0, 0, 1] + [2] * (4 * cap))
    delta = torch.ones(len(ids), 2)
    w2v_kernels.add_rows(M, ids, delta)
    # rows 0 and 1 are under the cap: plain sums; row 2 got 4*cap ones, scaled by 1/4
    np.testing.assert_allclose(M.numpy(), [[2, 2], [1, 1], [cap, cap]])


def _reference_sgns(W, C, inputs, targets, negatives, lr):
    """sgns_step written out with numpy: summed updates, each row's sum damped past the cap."""
    cap = w2v_kernels.ROW_UPDATE_CAP
    W, C = W.copy(), C.copy()
    out_ids = np.concatenate([targets[:, None], negatives], axis=1)
    labels = np.zeros(out_ids.shape)
    labels[:, 0] = 1
    h, out = W[inputs], C[out_ids]
    g = lr * (labels - sigmoid(np.einsum("nkd,nd->nk", out, h)))
    dW, dC = np.einsum("nk,nkd->nd", g, out), g[:, :, None] * h[:, None, :]
    for M, ids, delta in ((C, out_ids.ravel(), dC.reshape(-1, W.shape[1])), (W, inputs, dW)):
        counts = np.bincount(ids, minlength=len(M))
        np.add.at(M, ids, delta * np.minimum(1.0, cap / counts[ids])[:, None])
    return W, C


def test_sgns_step_damping_and_workspace_reuse_match_reference():
    rng = np.random.default_rng(4)
    W0, C0 = rng.normal(size=(6, 5)) * 0.3, rng.normal(size=(6, 5)) * 0.3
    W, C = torch.tensor(W0), torch.tensor(C0)
    ws = w2v_kernels.Workspace()
    for n in (200, 30, 120):  # shrinking and growing batches reuse the same buffers
        inputs, targets = rng.integers(0, 6, n), rng.integers(0, 6, n)
        negatives = rng.integers(0, 6, (n, 3))  # ids repeat far more often than the cap
        exp_W, exp_C = _reference_sgns(W.numpy(), C.numpy(), inputs, targets, negatives, 0.05)
        sgns_step(W, C, torch.tensor(inputs), torch.tensor(targets), torch.tensor(negatives), 0.05, ws)
        np.testing.assert_allclose(W.numpy(), exp_W, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(C.numpy(), exp_C, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("mean", [True, False])
def test_cbow_step_with_a_shared_workspace_matches_fresh_buffers(mean):
    rng = np.random.default_rng(6)
    W0, C0 = rng.normal(size=(7, 4)), rng.normal(size=(7, 4))
    Wa, Ca, Wb, Cb = (torch.tensor(x) for x in (W0, C0, W0, C0))
    ws = w2v_kernels.Workspace()
    for m in (40, 9, 25):
        owner = np.sort(np.concatenate([np.arange(m), rng.integers(0, m, 2 * m)]))
        args = (torch.tensor(rng.integers(0, 7, m)), torch.tensor(rng.integers(0, 7, len(owner))),
                torch.tensor(owner), torch.tensor(rng.integers(0, 7, (m, 2))), 0.1)
        la = cbow_step(Wa, Ca, *args, mean=mean, workspace=ws)
        lb = cbow_step(Wb, Cb, *args, mean=mean)
        assert la == lb
        assert torch.equal(Wa, Wb) and torch.equal(Ca, Cb)


def test_large_batches_on_a_tiny_vocabulary_do_not_diverge():
    corpus = _param_corpus()
    for cls in (TorchSGNS, TorchCBOW):
        emb = cls(**{**SMALL, "batch_size": 512}).fit(corpus, seed=0)
        assert np.isfinite(emb.matrix).all() and np.abs(emb.matrix).max() < 10


@pytest.mark.parametrize("mean", [True, False])
def test_cbow_step_matches_word2vec(mean):
    rng = np.random.default_rng(3)
    W0, C0 = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    lr = 0.2
    ctx = [1, 3]  # centre 0 with contexts 1 and 3, negative 2
    h = W0[ctx].sum(0) / (2 if mean else 1)
    g_t, g_n = lr * (1 - sigmoid(h @ C0[0])), lr * (0 - sigmoid(h @ C0[2]))
    dh = g_t * C0[0] + g_n * C0[2]
    if not mean:
        dh = dh / 2  # gensim: the error is divided over summed window vectors
    exp_W, exp_C = W0.copy(), C0.copy()
    exp_W[ctx] += dh
    exp_C[0] += g_t * h
    exp_C[2] += g_n * h
    W, C = torch.tensor(W0), torch.tensor(C0)
    cbow_step(W, C, torch.tensor([0]), torch.tensor(ctx), torch.tensor([0, 0]), torch.tensor([[2]]), lr, mean=mean)
    np.testing.assert_allclose(W.numpy(), exp_W)
    np.testing.assert_allclose(C.numpy(), exp_C)


# -- whole trainers ----------------------------------------------------------------
def test_registered():
    assert get_trainer("torch-sgns") is TorchSGNS
    assert get_trainer("torch-cbow") is TorchCBOW
    # gensim's default for both architectures (word2vec.c uses 0.05 for CBOW)
    assert TorchCBOW.default_params()["learning_rate"] == 0.025


@pytest.mark.parametrize("kernel", ["native", "torch"])
@pytest.mark.parametrize("cls", [TorchSGNS, TorchCBOW])
def test_planted_structure_recovered(cls, kernel):
    corpus = planted_corpus()
    emb = cls(vector_size=10, epochs=5, min_count=1, sample=0.0, workers=1, batch_size=64,
              kernel=kernel).fit(corpus, seed=0)
    assert emb.meta["kernel"] == kernel
    unit = emb.normalized
    idx = emb.index
    a = unit[[idx[f"a{i}"] for i in range(5)]]
    b = unit[[idx[f"b{i}"] for i in range(5)]]
    within = (np.mean(a @ a.T) + np.mean(b @ b.T)) / 2
    across = np.mean(a @ b.T)
    assert within > across + 0.5


@pytest.mark.parametrize("kernel", ["native", "torch"])
@pytest.mark.parametrize("cls", [TorchSGNS, TorchCBOW])
def test_same_seed_same_matrix(cls, kernel):
    corpus = planted_corpus(100)
    m1 = cls(**SMALL, kernel=kernel).fit(corpus, seed=7).matrix
    m2 = cls(**SMALL, kernel=kernel).fit(corpus, seed=7).matrix
    m3 = cls(**SMALL, kernel=kernel).fit(corpus, seed=8).matrix
    assert np.array_equal(m1, m2)
    assert not np.allclose(m1, m3)


def test_w_plus_c_output():
    corpus = planted_corpus(100)
    vocab, W, C, _ = TorchSGNS(**SMALL)._fit_weights(corpus, seed=1)
    w_only = TorchSGNS(**SMALL).fit(corpus, seed=1)
    both = TorchSGNS(**SMALL, output="W+C").fit(corpus, seed=1)
    np.testing.assert_array_equal(w_only.matrix, W.numpy())
    np.testing.assert_allclose(both.matrix, W.numpy() + C.numpy(), rtol=1e-6)
    assert np.abs(C.numpy()).max() > 0.01
    assert both.vocab == vocab.words


def test_embeddings_meta_and_callbacks():
    class Record(TrainerCallback):
        def __init__(self):
            self.events = []

        def on_train_begin(self, trainer, total_epochs):
            self.events.append(("begin", total_epochs))

        def on_epoch_end(self, trainer, stats):
            self.events.append(("epoch", stats))

        def on_train_end(self, trainer, emb):
            self.events.append(("end", emb))

    rec = Record()
    corpus = planted_corpus(200)
    emb = TorchSGNS(**{**SMALL, "epochs": 4}).fit(corpus, seed=3, callbacks=[rec])
    assert rec.events[0] == ("begin", 4) and rec.events[-1][0] == "end"
    stats = [e[1] for e in rec.events if e[0] == "epoch"]
    assert [s.epoch for s in stats] == [1, 2, 3, 4]
    assert stats[-1].loss < stats[0].loss and all(s.items_per_second > 0 and s.unit == "words" for s in stats)
    assert emb.meta["trainer"] == "torch-sgns" and emb.meta["seed"] == 3
    assert emb.meta["params"]["epochs"] == 4 and len(emb.meta["history"]) == 4
    assert emb.meta["corpus"] == "planted" and emb.meta["corpus_fingerprint"] == corpus.fingerprint()
    assert list(emb.vocab) == sorted(emb.vocab, key=lambda w: (-emb.counts[emb.index[w]], w))


def test_divergence_raises_training_error():
    with pytest.raises(TrainingError):
        TorchSGNS(**{**SMALL, "learning_rate": 1e30, "min_learning_rate": 1e29}).fit(planted_corpus(100), seed=0)


def test_bad_parameter_is_config_error():
    with pytest.raises(ConfigError, match="output"):
        TorchSGNS(output="C").fit(planted_corpus(10))


# one test per constructor parameter: changing it changes the result
CHANGES = {
    "vector_size": 6,
    "window": 1,
    "negative": 1,
    "ns_exponent": 0.0,
    "sample": 1e-2,
    "min_count": 40,
    "max_vocab_size": 4,
    "learning_rate": 0.1,
    "min_learning_rate": 0.02,
    "epochs": 1,
    "batch_size": 7,
    "workers": 2,
    "output": "W+C",
    "kernel": "torch",
}


def _param_corpus():
    # skewed frequencies so that sample, min_count and max_vocab_size matter
    rng = np.random.default_rng(5)
    words = [f"w{i}" for i in range(10)]
    p = np.array([2.0**-i for i in range(10)])
    return InMemoryCorpus([list(rng.choice(words, size=8, p=p / p.sum())) for _ in range(120)], name="skewed")


@pytest.mark.parametrize("cls", [TorchSGNS, TorchCBOW])
@pytest.mark.parametrize("param", sorted(CHANGES) + ["cbow_mean"])
def test_every_parameter_changes_the_result(cls, param):
    if param not in cls.param_names():
        pytest.skip(f"{cls.name} has no {param}")
    corpus = _param_corpus()
    base = dict(SMALL, sample=1e-3 if param != "sample" else 0.0)
    value = CHANGES.get(param, False)
    ref = cls(**base).fit(corpus, seed=0)
    new = cls(**{**base, param: value}).fit(corpus, seed=0)
    assert getattr(cls(**{**base, param: value}), param) == value
    different = ref.vocab != new.vocab or ref.matrix.shape != new.matrix.shape or not np.allclose(
        ref.matrix, new.matrix
    )
    assert different


# -- memory: the corpus in segments --------------------------------------------------
def test_corpus_segments_hold_whole_sentences_and_cover_the_corpus():
    from evalsuite.data.corpus import Vocabulary, encode_corpus
    from evalsuite.train.word2vec.batches import corpus_segments

    sentences = [["a"] * 3, ["b"] * 2, ["a"] * 7, ["b"], ["a", "b"]]  # 3, 2, 7 (over the cap), 1, 2 tokens
    corpus = InMemoryCorpus(sentences, name="segs")
    with encode_corpus(corpus, Vocabulary.build(corpus, min_count=1)) as encoded:
        parts = list(corpus_segments(encoded, max_tokens=5))
        assert [(first, len(tokens)) for first, tokens, _ in parts] == [(0, 5), (5, 7), (12, 3)]
        assert [list(sent) for _, _, sent in parts] == [[0, 0, 0, 1, 1], [0] * 7, [0, 1, 1]]
        joined = np.concatenate([tokens for _, tokens, _ in parts])
        assert np.array_equal(joined, np.asarray(encoded.tokens))


@pytest.mark.parametrize("kernel", ["native", "torch"])
def test_training_in_small_segments_still_learns(monkeypatch, kernel):
    import evalsuite.train.word2vec.torch_trainer as tw

    monkeypatch.setattr(tw, "SEGMENT_TOKENS", 100)  # 300 sentences of 8 tokens: 24 segments
    emb = TorchSGNS(vector_size=10, epochs=5, min_count=1, sample=0.0, workers=2, batch_size=16,
                    kernel=kernel).fit(planted_corpus(), seed=0)
    unit = emb.normalized
    a = unit[[emb.index[f"a{i}"] for i in range(5)]]
    b = unit[[emb.index[f"b{i}"] for i in range(5)]]
    assert (np.mean(a @ a.T) + np.mean(b @ b.T)) / 2 > np.mean(a @ b.T) + 0.5


@pytest.mark.parametrize("kernel", ["torch", "native"])
def test_training_uses_one_intra_op_thread_and_restores_the_setting(kernel):
    seen = []

    class Threads(TrainerCallback):
        def on_epoch_end(self, trainer, stats):
            seen.append(torch.get_num_threads())

    before = torch.get_num_threads()
    TorchSGNS(**{**SMALL, "workers": 1, "kernel": kernel}).fit(planted_corpus(50), callbacks=[Threads()])
    assert seen == [1, 1] and torch.get_num_threads() == before
