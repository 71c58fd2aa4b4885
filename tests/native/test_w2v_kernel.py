"""The compiled Word2Vec kernel against word2vec's per-example update, worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from evalsuite.data.corpus import InMemoryCorpus
from evalsuite.core.errors import ConfigError
from evalsuite import native
from evalsuite.train.word2vec.torch_trainer import TorchCBOW, TorchSGNS
from evalsuite.train.word2vec.batches import NoiseSampler
from evalsuite.native import NativeKernelError
from evalsuite.native.w2v import load_native, train_chunk

LR = 0.1


@pytest.fixture(scope="module")
def lib():
    return load_native(required=True)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def only_noise_word(n_words: int, word: int):
    """Alias tables whose every draw is ``word``."""
    keep = np.zeros(n_words, np.float32)
    keep[word] = 1.0
    return keep, np.full(n_words, word, np.int32)


def weights(n_words=4, dim=3, seed=0):
    rng = np.random.default_rng(seed)
    return (torch.from_numpy(rng.normal(scale=0.5, size=(n_words, dim)).astype(np.float32)),
            torch.from_numpy(rng.normal(scale=0.5, size=(n_words, dim)).astype(np.float32)))


def i32(*values):
    return np.array(values, dtype=np.int32)


def test_alias_tables_give_the_noise_distribution():
    sampler = NoiseSampler(np.array([100, 30, 30, 7, 1, 1000]), 0.75)
    keep, alias = sampler.alias
    n = len(keep)
    implied = keep.astype(np.float64).copy()
    np.add.at(implied, alias, 1.0 - keep)
    np.testing.assert_allclose(implied / n, sampler.probabilities, atol=1e-7)


def test_sgns_example_matches_word2vec_update(lib):
    # tokens a=0, b=1 in one sentence; centre a (position 0) with window 1 has context b:
    # b's input vector predicts a, with one noise word z=3
    W, C = weights()
    W0, C0 = W.numpy().astype(np.float64), C.numpy().astype(np.float64)
    loss, n = train_chunk(lib, "sgns", W, C, i32(0, 1), i32(0, 0), 0, 1, i32(1), only_noise_word(4, 3),
                          negative=1, lr=LR, seed=1)
    h = W0[1]
    f0 = h @ C0[0]
    g0 = LR * (1 - sigmoid(f0))
    f1 = h @ C0[3]
    g1 = LR * (0 - sigmoid(f1))
    exp_W, exp_C = W0.copy(), C0.copy()
    exp_C[0] += g0 * h
    exp_C[3] += g1 * h
    exp_W[1] += g0 * C0[0] + g1 * C0[3]
    assert n == 1
    np.testing.assert_allclose(W.numpy(), exp_W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(C.numpy(), exp_C, rtol=1e-5, atol=1e-6)
    assert loss == pytest.approx(-np.log(sigmoid(f0)) - np.log(sigmoid(-f1)), rel=1e-5)


def test_noise_word_equal_to_the_target_is_skipped(lib):
    W, C = weights()
    W0, C0 = W.numpy().astype(np.float64), C.numpy().astype(np.float64)
    loss, n = train_chunk(lib, "sgns", W, C, i32(0, 1), i32(0, 0), 0, 1, i32(1), only_noise_word(4, 0),
                          negative=3, lr=LR, seed=1)
    f0 = W0[1] @ C0[0]
    g0 = LR * (1 - sigmoid(f0))
    np.testing.assert_allclose(C.numpy()[0], C0[0] + g0 * W0[1], rtol=1e-5)
    np.testing.assert_allclose(W.numpy()[1], W0[1] + g0 * C0[0], rtol=1e-5)
    assert loss == pytest.approx(-np.log(sigmoid(f0)), rel=1e-5) and n == 1


@pytest.mark.parametrize("mean", [True, False])
def test_cbow_example_matches_word2vec_update(lib, mean):
    # tokens x=1, a=0, y=2; centre a (position 1) with window 1; noise word z=3
    W, C = weights()
    W0, C0 = W.numpy().astype(np.float64), C.numpy().astype(np.float64)
    loss, n = train_chunk(lib, "cbow", W, C, i32(1, 0, 2), i32(0, 0, 0), 1, 2, i32(1), only_noise_word(4, 3),
                          negative=1, lr=LR, seed=1, mean=mean)
    h = W0[1] + W0[2]
    if mean:
        h = h / 2
    f0, f1 = h @ C0[0], h @ C0[3]
    g0, g1 = LR * (1 - sigmoid(f0)), LR * (0 - sigmoid(f1))
    dh = g0 * C0[0] + g1 * C0[3]
    share = dh if mean else dh / 2
    exp_W = W0.copy()
    exp_W[1] += share
    exp_W[2] += share
    assert n == 1
    np.testing.assert_allclose(W.numpy(), exp_W, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(C.numpy()[0], C0[0] + g0 * h, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(C.numpy()[3], C0[3] + g1 * h, rtol=1e-5, atol=1e-6)
    assert loss == pytest.approx(-np.log(sigmoid(f0)) - np.log(sigmoid(-f1)), rel=1e-5)


@pytest.mark.parametrize("arch", ["sgns", "cbow"])
def test_windows_stop_at_sentence_boundaries(lib, arch):
    W, C = weights()
    W0, C0 = W.clone(), C.clone()
    _, n = train_chunk(lib, arch, W, C, i32(0, 1, 2), i32(0, 1, 2), 0, 3, i32(2, 2, 2), only_noise_word(4, 3),
                       negative=1, lr=LR, seed=1)
    assert n == 0 and torch.equal(W, W0) and torch.equal(C, C0)


def test_sgns_visits_every_pair_of_the_dynamic_window(lib):
    # centre windows 1, 2, 1 over three tokens of one sentence: 1 + 2 + 1 pairs
    W, C = weights()
    _, n = train_chunk(lib, "sgns", W, C, i32(0, 1, 2), i32(0, 0, 0), 0, 3, i32(1, 2, 1), only_noise_word(4, 3),
                       negative=1, lr=LR, seed=1)
    assert n == 4


def test_seed_decides_the_noise_words(lib):
    noise = NoiseSampler(np.array([5, 5, 5, 5, 5, 5])).alias
    tokens, sent, eff = i32(0, 1, 2, 3, 4, 5), i32(0, 0, 0, 0, 0, 0), i32(2, 2, 2, 2, 2, 2)
    runs = []
    for seed in (1, 1, 2):
        W, C = weights(6, 4)
        train_chunk(lib, "sgns", W, C, tokens, sent, 0, 6, eff, noise, negative=2, lr=LR, seed=seed)
        runs.append(C.numpy().copy())
    assert np.array_equal(runs[0], runs[1]) and not np.allclose(runs[0], runs[2])


def test_bad_arguments_are_refused(lib):
    W, C = weights()
    with pytest.raises(ValueError, match="noise tables cover"):
        train_chunk(lib, "sgns", W, C, i32(0, 1), i32(0, 0), 0, 1, i32(1), only_noise_word(3, 0), 1, LR, 1)
    with pytest.raises(ValueError, match="1 to 64"):
        train_chunk(lib, "sgns", W, C, i32(0, 1), i32(0, 0), 0, 1, i32(1), only_noise_word(4, 0), 65, LR, 1)
    with pytest.raises(TypeError, match="int32"):
        train_chunk(lib, "sgns", W, C, np.array([0, 1]), i32(0, 0), 0, 1, i32(1), only_noise_word(4, 0), 1, LR, 1)


def test_kernel_is_cached_by_key(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALSUITE_NATIVE_CACHE", str(tmp_path))
    monkeypatch.setattr(native, "_loaded", {})
    assert load_native(required=True) is not None
    (built,) = tmp_path.glob("w2v-*.so")
    stamp = built.stat().st_mtime_ns
    monkeypatch.setattr(native, "_loaded", {})
    load_native(required=True)
    assert built.stat().st_mtime_ns == stamp and len(list(tmp_path.glob("*.so"))) == 1


def test_without_a_compiler_auto_falls_back_and_native_fails(monkeypatch):
    small = dict(vector_size=4, epochs=1, min_count=1, sample=0.0, workers=1)
    corpus = InMemoryCorpus([["a", "b", "c", "a"], ["b", "c", "d"]] * 10, name="tiny")
    monkeypatch.setattr(native, "_loaded", {})
    monkeypatch.setattr(native, "_compiler", lambda: None)
    with pytest.warns(RuntimeWarning, match="no C compiler"):
        emb = TorchSGNS(**small).fit(corpus, seed=0)
    assert emb.meta["kernel"] == "torch"
    with pytest.raises(NativeKernelError, match="no C compiler"):
        TorchCBOW(**small, kernel="native").fit(corpus, seed=0)


def test_unknown_kernel_is_a_config_error():
    with pytest.raises(ConfigError, match="kernel"):
        TorchSGNS(kernel="fast").fit([["a", "b"]])
