"""``evalsuite.train``: parameters resolved as ``evalsuite train`` resolves them, Embeddings out,
the cache only when asked for."""

import pytest

import evalsuite
from evalsuite.core.errors import ConfigError
from evalsuite.train.params import ParameterRenamedWarning

TINY = dict(vector_size=8, epochs=1, min_count=1, workers=1)


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a default cache folder would appear
    p = tmp_path / "tiny.txt"
    p.write_text("\n".join(["The cat sat on the mat.", "A dog sat on the log!"] * 20) + "\n", encoding="utf-8")
    return p


def test_train_returns_embeddings_and_keeps_no_cache_by_default(tiny, tmp_path):
    emb = evalsuite.train("gensim-word2vec", tiny, seed=3, **TINY)
    assert isinstance(emb, evalsuite.Embeddings)
    assert emb.dim == 8 and "cat" in emb and emb.name == "gensim-word2vec"
    assert emb.meta["seed"] == 3 and emb.meta["params"]["epochs"] == 1 and emb.meta["corpus"] == "tiny.txt"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.txt"]  # nothing cached


def test_the_cache_of_run_when_given(tiny, tmp_path):
    cache = tmp_path / "cache"
    first = evalsuite.train("gensim-word2vec", tiny, cache_dir=cache, **TINY)
    assert len(list(cache.glob("*.npz"))) == 1
    again = evalsuite.train("gensim-word2vec", tiny, cache_dir=cache, **TINY)
    assert again.vocab == first.vocab and (again.matrix == first.matrix).all()


def test_parameters_are_checked_in_the_configs_words(tiny):
    with pytest.raises(ConfigError, match=r"^train: window: must be an int in \[1, 10000\], got 0$"):
        evalsuite.train("torch-sgns", tiny, window=0)
    with pytest.raises(ConfigError, match=r"^train: windw: unknown key \(did you mean 'window'\?\)"):
        evalsuite.train("gensim-word2vec", tiny, windw=2)
    with pytest.raises(ConfigError, match="^train: trainer: .*did you mean 'gensim-word2vec'"):
        evalsuite.train("gensim-wordvec", tiny)
    with pytest.raises(ConfigError, match=r"^seed: must be an int in \[0, 2\*\*32 - 1\], got -1$"):
        evalsuite.train("gensim-word2vec", tiny, seed=-1)
    with pytest.raises(ConfigError, match="^corpus: expected a built-in corpus name"):
        evalsuite.train("gensim-word2vec", [["a", "b"]])


def test_an_old_name_warns_and_trains(tiny):
    with pytest.warns(ParameterRenamedWarning, match="^train: alpha: deprecated name, use 'learning_rate' instead"):
        emb = evalsuite.train("gensim-word2vec", tiny, alpha=0.01, **TINY)
    assert emb.meta["params"]["learning_rate"] == 0.01
