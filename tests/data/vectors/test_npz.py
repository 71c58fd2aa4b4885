import numpy as np
import pytest

from evalsuite import Embeddings
from evalsuite.core.errors import InputError
from evalsuite.data.vectors import load_embeddings, save_embeddings


def test_round_trip_keeps_counts_name_meta(tmp_path, emb):
    e = emb.with_meta(trainer="sgns", params={"dim": 5})
    p = save_embeddings(e, tmp_path / "e.npz")
    back = load_embeddings(p)
    assert back.equals(e) and back.counts.tolist() == e.counts.tolist()
    assert back.name == "fixture" and back.meta["trainer"] == "sgns" and back.meta["format"] == "npz"
    with np.load(p, allow_pickle=False) as z:
        assert z["vocab"].dtype.kind == "U"  # never an object array
    assert load_embeddings(p, limit=2).counts.tolist() == [60, 50]


def test_object_vocab_refused(tmp_path):
    p = tmp_path / "o.npz"
    np.savez(p, vocab=np.array(["a", "b"], dtype=object), matrix=np.zeros((2, 2)))
    with pytest.raises(InputError, match="without pickle"):
        load_embeddings(p)


def test_bad_archives(tmp_path):
    p = tmp_path / "m.npz"
    np.savez(p, vocab=np.array(["a"]), matrix=np.zeros((2, 2)))
    with pytest.raises(InputError, match="1 words but 2 matrix rows"):
        load_embeddings(p)
    np.savez(p, words=np.array(["a"]))
    with pytest.raises(InputError, match="missing array"):
        load_embeddings(p)
    np.savez(p, vocab=np.array(["a", "b"]), matrix=np.array([[1.0], [np.inf]]))
    with pytest.raises(InputError, match="row 1 .* NaN or infinite"):
        load_embeddings(p)
    np.savez(p, vocab=np.array(["a", "a"]), matrix=np.array([[1.0], [2.0]]))
    with pytest.raises(InputError, match="duplicate word 'a'"):
        load_embeddings(p)
    assert load_embeddings(p, on_duplicate="last").matrix.tolist() == [[2.0]]
    p.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(InputError, match="not a readable .npz"):
        load_embeddings(p, "npz")


def test_words_with_spaces_allowed(tmp_path):
    e = Embeddings(("new york", "a b"), np.eye(2))
    assert load_embeddings(save_embeddings(e, tmp_path / "s.npz")).vocab == e.vocab


def test_a_matrix_of_zero_columns_is_refused(tmp_path):
    p = tmp_path / "d0.npz"
    np.savez(p, vocab=np.array(["cat", "dog"]), matrix=np.zeros((2, 0), np.float32))
    with pytest.raises(InputError) as err:
        load_embeddings(p)  # was loaded, and every task scored 0.000
    assert str(err.value).startswith(f"{p}: 'matrix' has shape (2, 0): vectors of dimension 0")


@pytest.mark.parametrize("name", ["x.npz.gz", "x.npz.bz2", "x.npz.xz"])
def test_an_npz_named_as_compressed_is_refused_before_writing(tmp_path, emb, name):
    from evalsuite.core.errors import ConfigError

    with pytest.raises(ConfigError, match=r"x\.npz\.\w+: \.npz vectors are a zip archive"):
        save_embeddings(emb, tmp_path / name)  # was written uncompressed, then refused on reading
    with pytest.raises(ConfigError):
        save_embeddings(emb, tmp_path / "y.gz", "npz")
    assert not list(tmp_path.iterdir())
    assert load_embeddings(save_embeddings(emb, tmp_path / "x.txt.gz")).vocab == emb.vocab
