"""Co-occurrence counts against matrices worked out by hand and a Fraction reference."""

from fractions import Fraction
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp

from evalsuite.core.errors import ConfigError, EvalsuiteError
from evalsuite.train.glove import cooccurrence as co
from evalsuite.train.glove.cooccurrence import cooccurrence_scale, count_cooccurrences, merge_cooccurrences

TOY = [[0, 1, 2], [1, 0], [2, 2]]


def dense(m):
    return m.toarray()


def reference(sentences, vocab_size, window, symmetric=True, weighting=True):
    """Slow exact count: every pair adds Fraction(1, d) (or 1) as in cooccur.c."""
    x = [[Fraction(0)] * vocab_size for _ in range(vocab_size)]
    for s in sentences:
        for i in range(len(s)):
            for d in range(1, window + 1):
                if i + d < len(s):
                    w = Fraction(1, d) if weighting else Fraction(1)
                    x[s[i]][s[i + d]] += w
                    if symmetric:
                        x[s[i + d]][s[i]] += w
    return np.array([[float(v) for v in row] for row in x])


def test_toy_symmetric_distance_weighted_by_hand():
    # sentence [0 1 2]: (0,1) d=1 -> 1, (1,2) d=1 -> 1, (0,2) d=2 -> 1/2
    # sentence [1 0]:   (1,0) d=1 -> 1
    # sentence [2 2]:   (2,2) d=1 -> 1, counted in both directions -> 2 on the diagonal
    expected = np.array([
        [0.0, 2.0, 0.5],
        [2.0, 0.0, 1.0],
        [0.5, 1.0, 2.0],
    ])
    x = count_cooccurrences(TOY, 3, window=2)
    assert isinstance(x, sp.csr_matrix) and x.dtype == np.float64
    np.testing.assert_array_equal(dense(x), expected)


def test_toy_left_context_only_and_unweighted():
    # X[left, right] only; unweighted so (0,2) counts 1
    expected = np.array([
        [0.0, 1.0, 1.0],
        [1.0, 0.0, 1.0],
        [0.0, 0.0, 1.0],
    ])
    x = count_cooccurrences(TOY, 3, window=2, symmetric=False, distance_weighting=False)
    np.testing.assert_array_equal(dense(x), expected)


def test_window_limit():
    x = count_cooccurrences([[0, 1, 2, 3]], 4, window=1)
    expected = np.zeros((4, 4))
    for a, b in [(0, 1), (1, 2), (2, 3)]:
        expected[a, b] = expected[b, a] = 1.0
    np.testing.assert_array_equal(dense(x), expected)
    x3 = count_cooccurrences([[0, 1, 2, 3]], 4, window=3)
    assert x3[0, 3] == pytest.approx(1 / 3) and x3[3, 0] == pytest.approx(1 / 3)


def test_no_pairs_across_sentences():
    split = dense(count_cooccurrences([[0, 1], [2, 3]], 4, window=5))
    assert split[1, 2] == 0 and split[0, 3] == 0 and split[0, 2] == 0
    joined = dense(count_cooccurrences([[0, 1, 2, 3]], 4, window=5))
    assert joined[1, 2] == 1 and joined[0, 3] == pytest.approx(1 / 3)


def random_corpus(rng, n_sent=60, vocab=25):
    return [rng.integers(0, vocab, size=rng.integers(0, 30)).astype(np.int32) for _ in range(n_sent)]


@pytest.mark.parametrize("window,symmetric,weighting", [(3, True, True), (5, False, True), (4, True, False)])
def test_matches_exact_fraction_reference(rng, window, symmetric, weighting):
    corpus = random_corpus(rng)
    x = count_cooccurrences(corpus, 25, window=window, symmetric=symmetric, distance_weighting=weighting)
    # counts are summed as integers and divided once: equal to the exact value, rounded once
    np.testing.assert_array_equal(dense(x), reference(corpus, 25, window, symmetric, weighting))


def test_max_buffer_and_chunking_do_not_change_the_result(rng, monkeypatch):
    corpus = random_corpus(rng, n_sent=30)
    base = count_cooccurrences(corpus, 25, window=10, max_buffer=1 << 20)
    for max_buffer in (1, 7, 100):
        other = count_cooccurrences(corpus, 25, window=10, max_buffer=max_buffer)
        np.testing.assert_array_equal(other.indptr, base.indptr)
        np.testing.assert_array_equal(other.indices, base.indices)
        np.testing.assert_array_equal(other.data, base.data)
    monkeypatch.setattr(co, "_CHUNK_TOKENS", 13)
    chunked = count_cooccurrences(corpus, 25, window=10, max_buffer=50)
    np.testing.assert_array_equal(chunked.toarray(), base.toarray())


def test_shards_merge_to_the_single_process_matrix_exactly(rng):
    corpus = random_corpus(rng, n_sent=90)
    whole = count_cooccurrences(corpus, 25, window=7)
    shards = [count_cooccurrences(corpus[k::3], 25, window=7) for k in range(3)]
    merged = merge_cooccurrences(shards, window=7)
    np.testing.assert_array_equal(merged.indptr, whole.indptr)
    np.testing.assert_array_equal(merged.indices, whole.indices)
    np.testing.assert_array_equal(merged.data, whole.data)
    # a plain float sum is not guaranteed equal; the exact merge is
    with pytest.raises(EvalsuiteError, match="window"):
        merge_cooccurrences(shards, window=3)  # wrong scale is detected


def test_encoded_corpus_input_equals_list_input(rng):
    corpus = random_corpus(rng)
    tokens = np.concatenate(corpus)
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in corpus])]).astype(np.int64)
    enc = SimpleNamespace(tokens=tokens, offsets=offsets)
    a = count_cooccurrences(corpus, 25, window=4)
    b = count_cooccurrences(enc, 25, window=4)
    np.testing.assert_array_equal(a.toarray(), b.toarray())


def test_float32_and_large_window():
    x32 = count_cooccurrences(TOY, 3, window=2, dtype=np.float32)
    assert x32.dtype == np.float32 and x32[0, 2] == np.float32(0.5)
    assert cooccurrence_scale(10) == 2520 and cooccurrence_scale(10, False) == 1
    big = count_cooccurrences([list(range(30))], 30, window=25)
    assert abs(big[0, 23] - 1 / 23) <= 2**-32  # rounded weights: < 2.4e-10 per pair


def test_bad_input():
    with pytest.raises(EvalsuiteError, match="out of range"):
        count_cooccurrences([[0, 5]], 3)
    with pytest.raises(ConfigError, match=r"^vocab_size: must be an int >= 1, got 0$"):
        count_cooccurrences(TOY, 0)


@pytest.mark.parametrize("window,symmetric,weighting", [(3, True, True), (5, False, True), (4, True, False),
                                                        (25, True, True)])
def test_compiled_counter_equals_the_numpy_one_bit_for_bit(rng, window, symmetric, weighting):
    # sentences of length 0..29 over 25 words, so windows often reach sentence ends
    corpus = random_corpus(rng, n_sent=80)
    opts = dict(window=window, symmetric=symmetric, distance_weighting=weighting)
    want = count_cooccurrences(corpus, 25, native=False, **opts)
    for workers, max_buffer in [(1, 1 << 20), (3, 1 << 20), (2, 40)]:  # max_buffer=40: many batches added
        got = count_cooccurrences(corpus, 25, native=True, workers=workers, max_buffer=max_buffer, **opts)
        assert got.dtype == np.float64 and got.has_sorted_indices
        np.testing.assert_array_equal(got.indptr, want.indptr)
        np.testing.assert_array_equal(got.indices, want.indices)
        np.testing.assert_array_equal(got.data, want.data)
    x32 = count_cooccurrences(corpus, 25, native=True, dtype=np.float32, **opts)
    np.testing.assert_array_equal(x32.data, want.data.astype(np.float32))


def test_compiled_counter_by_hand_and_its_bad_input():
    # [0 1 2], [1 0], [2 2] with window 2: as in test_toy_symmetric_distance_weighted_by_hand
    x = count_cooccurrences(TOY, 3, window=2, native=True, workers=2)
    np.testing.assert_array_equal(dense(x), [[0.0, 2.0, 0.5], [2.0, 0.0, 1.0], [0.5, 1.0, 2.0]])
    empty = count_cooccurrences([[], [1]], 3, window=2, native=True)
    assert empty.shape == (3, 3) and empty.nnz == 0
    with pytest.raises(EvalsuiteError, match="out of range"):
        count_cooccurrences([[0, 3]], 3, native=True)
