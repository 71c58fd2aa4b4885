import os
import subprocess
import sys

import numpy as np
import pytest

from evalsuite.data.corpus import InMemoryCorpus, Vocabulary
from evalsuite.core.errors import ConfigError, TrainingError
from evalsuite.train.callbacks import HistoryCallback
from evalsuite.train.word2vec.gensim_trainer import GensimWord2Vec

TOPICS = [["apple", "banana", "cherry", "grape", "melon"], ["car", "truck", "bus", "train", "plane"]]


def planted_corpus(n=300, seed=0):
    """Sentences drawn from one of two topics, plus a shared frequent word."""
    rng = np.random.default_rng(seed)
    sents = []
    for i in range(n):
        topic = TOPICS[i % 2]
        words = [str(w) for w in rng.choice(topic, size=8)]
        words.insert(int(rng.integers(0, 8)), "the")
        sents.append(words + (["rare%d" % (i % 7)] if i % 3 == 0 else []))
    return InMemoryCorpus(sents, name="planted")


CORPUS = planted_corpus()
BASE = dict(vector_size=12, epochs=2, workers=1, min_count=1, window=3, negative=3, sample=0.0)


def fit(**kw):
    return GensimWord2Vec(**{**BASE, **kw}).fit(CORPUS, seed=1)


@pytest.fixture(scope="module")
def base():
    return fit()


def test_vocabulary_order_counts_and_meta(base):
    vocab = Vocabulary.build(CORPUS, min_count=1)
    assert base.vocab == vocab.words and base.counts.tolist() == vocab.counts.tolist()
    m = base.meta
    assert m["trainer"] == "gensim-word2vec" and m["seed"] == 1 and m["corpus"] == "planted"
    assert m["params"]["window"] == 3 and m["corpus_fingerprint"] == CORPUS.fingerprint()
    assert [h["epoch"] for h in m["history"]] == [1, 2]
    assert all(h["loss"] > 0 and h["items_per_second"] > 0 and h["unit"] == "words" for h in m["history"])
    assert m["corpus_tokens"] == vocab.total_words


def test_same_seed_same_matrix(base):
    assert fit().equals(base, atol=0)
    assert not GensimWord2Vec(**BASE).fit(CORPUS, seed=2).equals(base, atol=1e-6)


@pytest.mark.parametrize(
    "key, value, base_extra",
    [
        ("architecture", "cbow", {}),
        ("window", 1, {}),
        ("negative", 1, {}),
        ("ns_exponent", 0.0, {}),
        ("sample", 1e-2, {}),
        ("learning_rate", 0.05, {}),
        ("min_learning_rate", 0.02, {}),
        ("epochs", 3, {}),
        ("hs", 1, {}),
        ("cbow_mean", 0, {"architecture": "cbow"}),
        ("output", "W+C", {}),
    ],
)
def test_each_parameter_changes_the_matrix(key, value, base_extra):
    ref = fit(**base_extra)
    changed = fit(**{**base_extra, key: value})
    assert changed.vocab == ref.vocab
    assert not changed.equals(ref, atol=1e-6)
    assert changed.meta["params"][key] == value


def test_vocabulary_parameters(base):
    assert fit(vector_size=5).dim == 5 and base.dim == 12
    # each rare word occurs about 14 times, each topic word about 240 times
    assert fit(min_count=20).vocab == tuple(w for w in base.vocab if not w.startswith("rare"))
    assert len(fit(max_final_vocab=4)) == 4
    pruned = fit(max_vocab_size=8)  # counting forgets rare words before min_count applies
    assert len(pruned) < len(base) and "the" in pruned.vocab


def test_workers_two_trains():
    emb = fit(workers=2)
    assert emb.meta["params"]["workers"] == 2 and np.isfinite(emb.matrix).all()


def test_planted_structure_recovered():
    emb = GensimWord2Vec(vector_size=20, epochs=10, workers=1, min_count=1, window=4, sample=0.0).fit(
        planted_corpus(600), seed=0
    )
    n = emb.normalized
    within, between = [], []
    for t, topic in enumerate(TOPICS):
        idx = [emb.index[w] for w in topic]
        other = [emb.index[w] for w in TOPICS[1 - t]]
        sims = n[idx] @ n[idx].T
        within.append(sims[np.triu_indices(5, 1)].mean())
        between.append((n[idx] @ n[other].T).mean())
    assert min(within) > max(between) + 0.3


def test_history_callback_and_loss_decreases():
    h = HistoryCallback()
    GensimWord2Vec(**{**BASE, "epochs": 4}).fit(CORPUS, seed=0, callbacks=[h])
    losses = [s.loss for s in h.history]
    assert len(losses) == 4 and losses[-1] < losses[0]


def test_nan_is_caught():
    with pytest.raises(TrainingError, match="NaN|nan|inf|diverged"):
        fit(learning_rate=1e30, min_learning_rate=1e30)


@pytest.mark.parametrize(
    "kw, match",
    [
        ({"architecture": "skipgrm"}, "did you mean 'skipgram'"),
        ({"negative": 0}, "negative"),
        ({"output": "C"}, "output"),
        ({"window": 0}, "window"),
        ({"negative": 0, "hs": 1, "output": "W+C"}, "output"),
    ],
)
def test_bad_parameters(kw, match):
    with pytest.raises(ConfigError, match=match):
        GensimWord2Vec(**kw)


def test_deterministic_across_hash_seeds(tmp_path):
    # one child with a string-hash seed other than this process's
    code = (
        "import sys, numpy as np\n"
        "sys.path.insert(0, %r)\n"
        "from test_gensim_word2vec import fit\n"
        "np.save(sys.argv[1], fit().matrix)\n" % os.path.dirname(__file__)
    )
    out = tmp_path / "child.npy"
    child_seed = "1" if os.environ.get("PYTHONHASHSEED") != "1" else "2"
    subprocess.run([sys.executable, "-c", code, str(out)], check=True,
                   env={**os.environ, "PYTHONHASHSEED": child_seed}, timeout=600)
    assert np.array_equal(np.load(out, allow_pickle=False), fit().matrix)
