from types import SimpleNamespace

import numpy as np
import pytest

ray = pytest.importorskip("ray")

import raycluster  # noqa: E402
from evalsuite.core.errors import ConfigError  # noqa: E402
from evalsuite.train.glove.ray_counting import count_cooccurrences_ray, flatten_sentences, shard_bounds  # noqa: E402
from evalsuite.train.glove.cooccurrence import count_cooccurrences  # noqa: E402

pytestmark = pytest.mark.ray

VOCAB = 40


@pytest.fixture
def cluster(ray_cluster):
    return ray_cluster


@pytest.fixture(scope="module")
def sentences():
    """Zipf-ish ids, sentence lengths 0..30 (empty and one-word sentences included)."""
    rng = np.random.default_rng(11)
    lengths = rng.integers(0, 31, size=120)
    lengths[[3, 50]] = 0
    lengths[[7, 8]] = 1
    p = 1.0 / np.arange(1, VOCAB + 1)
    return [rng.choice(VOCAB, size=n, p=p / p.sum()).astype(np.int32) for n in lengths]


def _same(a, b):
    assert a.shape == b.shape and a.dtype == b.dtype
    assert (a != b).nnz == 0
    assert np.array_equal(a.indices, b.indices) and np.array_equal(a.indptr, b.indptr)
    assert np.array_equal(a.data, b.data)


# -- without a cluster ------------------------------------------------------------------------

def test_shards_cut_at_sentences_with_balanced_tokens(sentences):
    tokens, offsets = flatten_sentences(sentences)
    assert len(offsets) == len(sentences) + 1 and offsets[-1] == len(tokens) == sum(len(s) for s in sentences)
    for shards in (1, 2, 3, 7, 500):
        bounds = shard_bounds(offsets, shards)
        assert bounds[0][0] == 0 and bounds[-1][1] == len(sentences)
        assert all(b[1] == c[0] for b, c in zip(bounds, bounds[1:]))  # contiguous, no overlap
        assert len(bounds) <= min(shards, len(sentences))
    sizes = [offsets[b] - offsets[a] for a, b in shard_bounds(offsets, 3)]
    assert max(sizes) - min(sizes) <= 2 * 30  # within a couple of sentences of equal
    assert shard_bounds(np.array([0]), 4) == []


def test_encoded_corpus_is_taken_as_is(sentences):
    tokens, offsets = flatten_sentences(sentences)
    enc = SimpleNamespace(tokens=tokens.astype(np.int32), offsets=offsets)
    t2, o2 = flatten_sentences(enc)
    assert np.array_equal(t2, tokens) and np.array_equal(o2, offsets)


def test_bad_shards_are_named():
    with pytest.raises(ConfigError, match=r"^shards: must be an int >= 1, got 0$"):
        count_cooccurrences_ray([[1, 2]], 5, shards=0)
    with pytest.raises(ConfigError, match=r"^num_cpus_per_shard: must be an int >= 1, got 0$"):
        count_cooccurrences_ray([[1, 2]], 5, shards=2, num_cpus_per_shard=0)


# -- on a local two-CPU cluster --------------------------------------------------------------

@pytest.mark.parametrize("shards", [1, 2, 3, 7])
def test_sharded_count_equals_single_process_exactly(sentences, cluster, shards):
    for window, symmetric, weighting in ((5, True, True), (3, False, True), (2, True, False)):
        kw = dict(window=window, symmetric=symmetric, distance_weighting=weighting)
        single = count_cooccurrences(sentences, VOCAB, **kw)
        sharded = count_cooccurrences_ray(sentences, VOCAB, shards=shards, max_buffer=97, **kw)
        _same(sharded, single)


def test_sharded_count_of_encoded_corpus_and_float32(sentences, cluster):
    tokens, offsets = flatten_sentences(sentences)
    enc = SimpleNamespace(tokens=tokens.astype(np.int32), offsets=offsets)
    _same(count_cooccurrences_ray(enc, VOCAB, shards=3, window=10),
          count_cooccurrences(sentences, VOCAB, window=10))
    _same(count_cooccurrences_ray(enc, VOCAB, shards=2, window=4, dtype=np.float32),
          count_cooccurrences(enc, VOCAB, window=4, dtype=np.float32))
    # more shards than sentences, and an empty corpus
    _same(count_cooccurrences_ray(sentences[:3], VOCAB, shards=7, window=3),
          count_cooccurrences(sentences[:3], VOCAB, window=3))
    _same(count_cooccurrences_ray([], VOCAB, shards=3), count_cooccurrences([], VOCAB))
