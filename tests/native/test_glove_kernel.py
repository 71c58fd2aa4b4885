"""The compiled GloVe kernel against a sequential numpy GloVe, written from the formulas.

Reference: Pennington, Socher & Manning (2014), eq. 8 (the weighted least-squares
objective) and ``glove.c``'s per-nonzero AdaGrad update: with
``diff = w_i . w~_j + b_i + b~_j - log X_ij`` and ``fdiff = f(X_ij) diff``, the
loss grows by ``fdiff * diff / 2``; each component's step is
``g = clip(gradient) * eta`` with gradients ``fdiff * w~_j`` (for ``w_i``),
``fdiff * w_i`` (for ``w~_j``) and ``fdiff`` (for both biases); the parameter
moves by ``-g / sqrt(G)``, then ``G += g**2``; ``G`` starts at 1.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from evalsuite import native
from evalsuite.native import NativeKernelError
from evalsuite.native.glove import load_native, shuffle_nonzeros, train_chunk
from evalsuite.train.glove.trainer import GRAD_CLIP, GloVeState, glove_step

LR, X_MAX, ALPHA = 0.05, 10.0, 0.75
#: (i, j, X_ij) of a hand-made 4-word co-occurrence matrix, in training order
NONZEROS = [(0, 1, 3.0), (1, 0, 3.0), (2, 3, 12.0), (0, 2, 1.5), (3, 3, 7.0), (1, 2, 0.5), (2, 0, 20.0),
            (0, 1, 3.0)]


@pytest.fixture(scope="module")
def lib():
    return load_native(required=True)


def reference_epoch(W, C, GW, GC, nonzeros, lr=LR, clip=GRAD_CLIP):
    """One sequential pass in float64, in place; returns the summed ``f diff**2 / 2``."""
    d = W.shape[1] - 1
    loss = 0.0
    for i, j, x in nonzeros:
        f = min(1.0, (x / X_MAX) ** ALPHA)
        diff = W[i, :d] @ C[j, :d] + W[i, d] + C[j, d] - math.log(x)
        fdiff = f * diff
        loss += 0.5 * fdiff * diff
        g_b = np.clip(fdiff, -clip, clip) * lr
        g_i = np.append(np.clip(fdiff * C[j, :d], -clip, clip) * lr, g_b)
        g_j = np.append(np.clip(fdiff * W[i, :d], -clip, clip) * lr, g_b)
        W[i] -= g_i / np.sqrt(GW[i])
        C[j] -= g_j / np.sqrt(GC[j])
        GW[i] += g_i ** 2
        GC[j] += g_j ** 2
    return loss


def arrays(nonzeros):
    """The kernel's inputs: rows, cols (int64), log x and f(x) (float32) tensors."""
    i, j, x = (np.array(v) for v in zip(*nonzeros))
    f = np.minimum(1.0, (x / X_MAX) ** ALPHA)
    return (torch.from_numpy(i.astype(np.int64)), torch.from_numpy(j.astype(np.int64)),
            torch.from_numpy(np.log(x).astype(np.float32)), torch.from_numpy(f.astype(np.float32)))


def random_state(n_words=4, dim=3, seed=0):
    rng = np.random.default_rng(seed)
    word, context = (torch.from_numpy(rng.uniform(-0.5, 0.5, (n_words, dim + 1)).astype(np.float32))
                     for _ in range(2))
    return GloVeState(word, context, torch.ones(n_words, dim + 1), torch.ones(n_words, dim + 1))


def as_float64(state):
    return [t.numpy().astype(np.float64) for t in (state.word, state.context, state.word_sq, state.context_sq)]


def assert_state_close(state, expected):
    for got, want, name in zip(as_float64(state), expected, ("W|b", "C|b~", "G_W", "G_C")):
        np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6, err_msg=name)


def test_one_and_two_epochs_equal_the_reference(lib):
    state = random_state()
    expected = as_float64(state)
    data = arrays(NONZEROS)
    for _epoch in range(2):
        loss = train_chunk(lib, state, *data, 0, len(NONZEROS), LR, GRAD_CLIP)
        want = reference_epoch(*expected, NONZEROS)
        assert loss == pytest.approx(want, rel=1e-5)
        assert_state_close(state, expected)
    assert not np.allclose(expected[0], random_state().word.numpy())  # the parameters did move


def test_a_slice_trains_only_its_nonzeros(lib):
    state = random_state()
    expected = as_float64(state)
    loss = train_chunk(lib, state, *arrays(NONZEROS), 2, 5, LR, GRAD_CLIP)
    assert loss == pytest.approx(reference_epoch(*expected, NONZEROS[2:5]), rel=1e-5)
    assert_state_close(state, expected)
    assert train_chunk(lib, state, *arrays(NONZEROS), 3, 3, LR, GRAD_CLIP) == 0.0


def test_clipping_and_bias_steps_match_the_torch_kernel(lib):
    # large values, so that both vector gradients are clipped at 100 and the bias one is not
    word = torch.tensor([[2.0, 3.0, 0.1], [0.0, 0.0, 0.0]])
    context = torch.tensor([[0.0, 0.0, 0.0], [40.0, -60.0, 0.2]])
    data = (torch.tensor([0]), torch.tensor([1]), torch.tensor([0.0]), torch.tensor([1.0]))
    native_state, torch_state = (GloVeState(word.clone(), context.clone(), torch.ones(2, 3), torch.ones(2, 3))
                                 for _ in range(2))
    a = train_chunk(lib, native_state, *data, 0, 1, LR, GRAD_CLIP)
    b = glove_step(torch_state, *data, LR)
    assert a == pytest.approx(b, rel=1e-6) and a == pytest.approx(0.5 * 99.7 ** 2, rel=1e-5)
    for name in ("word", "context", "word_sq", "context_sq"):
        np.testing.assert_allclose(getattr(native_state, name), getattr(torch_state, name), rtol=1e-6)
    # by hand: diff = 80 - 180 + 0.3 = -99.7; w gradient (-3988, 5982) and w~ gradient (-199.4, -299.1)
    # are clipped to +-100 before eta; the bias gradient -99.7 is not
    g_b = LR * 99.7
    np.testing.assert_allclose(native_state.word[0], [2 + 5, 3 - 5, 0.1 + g_b], rtol=1e-5)
    np.testing.assert_allclose(native_state.context[1], [40 + 5, -60 + 5, 0.2 + g_b], rtol=1e-5)
    np.testing.assert_allclose(native_state.word_sq[0], [26, 26, 1 + g_b ** 2], rtol=1e-5)


def test_bad_arguments_are_refused(lib):
    state = random_state()
    rows, cols, log_x, weight = arrays(NONZEROS)
    with pytest.raises(TypeError, match="rows"):
        train_chunk(lib, state, rows.int(), cols, log_x, weight, 0, 1, LR, GRAD_CLIP)
    with pytest.raises(TypeError, match="word"):
        train_chunk(lib, GloVeState(state.word.double(), state.context, state.word_sq, state.context_sq),
                    rows, cols, log_x, weight, 0, 1, LR, GRAD_CLIP)
    with pytest.raises(ValueError, match="slice"):
        train_chunk(lib, state, rows, cols, log_x, weight, 0, len(rows) + 1, LR, GRAD_CLIP)
    with pytest.raises(ValueError, match="same length"):
        train_chunk(lib, state, rows, cols[:-1], log_x, weight, 0, 1, LR, GRAD_CLIP)
    with pytest.raises(IndexError, match="outside"):
        train_chunk(lib, state, rows + 4, cols, log_x, weight, 0, 1, LR, GRAD_CLIP)


def test_kernel_is_built_once_and_a_missing_compiler_is_reported(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALSUITE_NATIVE_CACHE", str(tmp_path))
    monkeypatch.setattr(native, "_loaded", {})
    assert load_native(required=True) is not None
    (built,) = tmp_path.glob("glove-*.so")
    monkeypatch.setattr(native, "_loaded", {})
    monkeypatch.setattr(native, "_compiler", lambda: None)
    assert load_native() is None
    with pytest.raises(NativeKernelError, match="no C compiler"):
        load_native(required=True)
    assert built.exists()


def test_trainer_with_one_worker_follows_the_reference(monkeypatch):
    import evalsuite.train.glove.trainer as module
    from evalsuite.data.corpus import InMemoryCorpus, Vocabulary

    dense = np.zeros((4, 4))
    for i, j, x in NONZEROS:
        dense[i, j] = x
    calls, start = [], []
    real_chunk = module.train_chunk

    def recording_chunk(lib, state, rows, cols, log_x, weight, lo, hi, *args, **kwargs):
        if not start:
            start.extend(as_float64(state))
        calls.append([(i, j, dense[i, j]) for i, j in zip(rows[lo:hi].tolist(), cols[lo:hi].tolist())])
        return real_chunk(lib, state, rows, cols, log_x, weight, lo, hi, *args, **kwargs)

    monkeypatch.setattr(module, "train_chunk", recording_chunk)
    vocab = Vocabulary.build(InMemoryCorpus([["w0", "w1", "w2", "w3"]]), min_count=1)
    trainer = module.TorchGloVe(vector_size=3, epochs=2, batch_size=3, workers=1, x_max=X_MAX, weighting_exponent=ALPHA,
                                learning_rate=LR, output="W", kernel="native")
    emb = trainer.fit_cooccurrences(dense, vocab, seed=4)
    nnz = int((dense > 0).sum())
    epochs = [sum(calls[k: k + 3], []) for k in (0, 3)]  # 3 blocks (3, 3, 1 nonzeros) per epoch
    assert len(calls) == 6 and all(len(e) == nnz for e in epochs)
    for epoch, stats in zip(epochs, emb.meta["history"]):
        assert stats["loss"] == pytest.approx(reference_epoch(*start, epoch) / nnz, rel=1e-5)
    np.testing.assert_allclose(emb.matrix, start[0][:, :3], rtol=2e-5, atol=1e-6)


def test_int32_ids_and_interleaved_values_train_alike(lib):
    # the trainer's layout: int32 ids and (log x, f(x)) pairs in one (n, 2) tensor
    rows, cols, log_x, weight = arrays(NONZEROS)
    pairs = torch.stack([log_x, weight], dim=1)
    wide, narrow = random_state(), random_state()
    a = train_chunk(lib, wide, rows, cols, log_x, weight, 0, len(NONZEROS), LR, GRAD_CLIP)
    b = train_chunk(lib, narrow, rows.int(), cols.int(), pairs[:, 0], pairs[:, 1], 0, len(NONZEROS), LR, GRAD_CLIP)
    assert a == b
    for name in ("word", "context", "word_sq", "context_sq"):
        assert torch.equal(getattr(wide, name), getattr(narrow, name))
    with pytest.raises(TypeError, match="stride"):
        train_chunk(lib, narrow, rows.int(), cols.int(), pairs[:, 0], weight, 0, 1, LR, GRAD_CLIP)


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_shuffle_is_one_seeded_permutation_of_all_arrays(lib, workers):
    n = 1000
    rows = np.arange(n, dtype=np.int32)
    cols, log_x = rows * 3, (rows * 0.5).astype(np.float32)
    shuffle_nonzeros(lib, [rows, cols, log_x], seed=7, workers=workers)
    assert sorted(rows.tolist()) == list(range(n)) and (rows != np.arange(n)).mean() > 0.9
    np.testing.assert_array_equal(cols, rows * 3)  # each nonzero moved whole, whichever thread moved what
    np.testing.assert_array_equal(log_x, rows * 0.5)
    again = np.arange(n, dtype=np.int32)
    shuffle_nonzeros(lib, [again], seed=7)
    np.testing.assert_array_equal(again, rows)  # the order depends on n and the seed only
    other = np.arange(n, dtype=np.int32)
    shuffle_nonzeros(lib, [other], seed=8)
    assert not np.array_equal(other, rows)
    with pytest.raises(TypeError, match="array 1"):
        shuffle_nonzeros(lib, [rows, cols.astype(np.int64)], seed=1)


def test_weights_computed_in_the_kernel_match_given_ones(lib):
    rows, cols, log_x, weight = arrays(NONZEROS)
    given, computed = random_state(), random_state()
    a = train_chunk(lib, given, rows, cols, log_x, weight, 0, len(NONZEROS), LR, GRAD_CLIP)
    b = train_chunk(lib, computed, rows, cols, log_x, None, 0, len(NONZEROS), LR, GRAD_CLIP, x_max=X_MAX,
                    weighting_exponent=ALPHA)
    assert b == pytest.approx(a, rel=1e-6)
    assert_state_close(computed, as_float64(given))
    with pytest.raises(ValueError, match="x_max"):
        train_chunk(lib, computed, rows, cols, log_x, None, 0, 1, LR, GRAD_CLIP)
