import numpy as np
import pytest
from gensim.models import KeyedVectors

from evalsuite import Embeddings
from evalsuite.data.vectors import from_keyed_vectors, load_embeddings, save_embeddings, to_keyed_vectors


@pytest.mark.parametrize("binary", [False, True])
def test_gensim_reads_what_we_write(tmp_path, emb, binary):
    p = save_embeddings(emb, tmp_path / ("e.bin" if binary else "e.txt"))
    kv = KeyedVectors.load_word2vec_format(str(p), binary=binary)
    assert kv.index_to_key == list(emb.vocab)
    assert np.array_equal(kv.vectors, emb.matrix)


def test_gensim_reads_our_glove_and_fasttext(tmp_path, emb):
    kv = KeyedVectors.load_word2vec_format(str(save_embeddings(emb, tmp_path / "g.txt", "glove")),
                                           no_header=True)
    assert np.array_equal(kv.vectors, emb.matrix)
    kv = KeyedVectors.load_word2vec_format(str(save_embeddings(emb, tmp_path / "f.vec")))
    assert kv.index_to_key == list(emb.vocab) and np.array_equal(kv.vectors, emb.matrix)


@pytest.mark.parametrize("binary", [False, True])
def test_we_read_what_gensim_writes(tmp_path, emb, binary):
    kv = KeyedVectors(5)
    kv.add_vectors(list(emb.vocab), emb.matrix.copy())
    p = tmp_path / ("g.bin" if binary else "g.txt")
    kv.save_word2vec_format(str(p), binary=binary)
    e = load_embeddings(p)
    assert e.meta["format"] == ("word2vec-binary" if binary else "word2vec")
    assert e.vocab == emb.vocab and np.array_equal(e.matrix, emb.matrix)


@pytest.mark.parametrize("name,kwargs", [
    ("euclidean_vectors.bin", {"binary": True}),          # word2vec binary
    ("crime-and-punishment.vec", {}),                     # fastText .vec, Cyrillic words
    ("high_precision.kv.txt", {}),
    ("test_glove.txt", {"no_header": True}),
])
def test_files_gensim_ships(name, kwargs):
    from gensim.test.utils import datapath
    kv = KeyedVectors.load_word2vec_format(datapath(name), **kwargs)
    e = load_embeddings(datapath(name))
    assert e.vocab == tuple(kv.index_to_key)
    assert np.array_equal(e.matrix, kv.vectors)


def test_keyed_vectors_round_trip_keeps_counts(emb):
    kv = to_keyed_vectors(emb)
    assert kv.get_vecattr("ça", "count") == 50
    assert np.array_equal(kv["日本"], emb["日本"])
    kv.vectors[0, 0] = 99.0  # a copy: the frozen embeddings are untouched
    assert emb.matrix[0, 0] != 99.0
    back = from_keyed_vectors(to_keyed_vectors(emb), name="kv")
    assert back.equals(emb) and back.counts.tolist() == emb.counts.tolist() and back.name == "kv"
    plain = from_keyed_vectors(to_keyed_vectors(Embeddings(("a",), np.ones((1, 2)))))
    assert plain.counts is None
    with np.errstate(over="ignore"):  # the fixture's 3.4e38 overflows gensim's float32 norms
        assert kv.most_similar("the", topn=1)[0][0] in emb.vocab
