import json

import numpy as np
import pytest

from evalsuite.train.cache import CACHE_FORMAT, CacheWarning, EmbeddingCache, cache_key
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.provenance import stable_hash


@pytest.fixture
def emb(rng):
    return Embeddings(["a", "b", "ünï"], rng.normal(size=(3, 4)), counts=[5, 3, 1], name="e",
                      meta={"trainer": "t", "history": [{"epoch": 1, "loss": 0.5}]})


def test_key_is_stable_and_sensitive():
    k = cache_key("fp", "torch-sgns", {"window": 5, "dim": 50}, 0)
    assert k == cache_key("fp", "torch-sgns", {"dim": 50, "window": 5}, 0)  # order-independent
    assert k != cache_key("fp", "torch-sgns", {"window": 5, "dim": 50}, 1)
    assert k != cache_key("fp2", "torch-sgns", {"window": 5, "dim": 50}, 0)
    assert k != cache_key("fp", "torch-cbow", {"window": 5, "dim": 50}, 0)
    assert k != cache_key("fp", "torch-sgns", {"window": 6, "dim": 50}, 0)


def test_key_changes_with_the_trainer_version_and_keeps_version_1_keys():
    k = cache_key("fp", "torch-glove", {"window": 5}, 0)
    assert cache_key("fp", "torch-glove", {"window": 5}, 0, trainer_version=1) == k
    assert cache_key("fp", "torch-glove", {"window": 5}, 0, trainer_version=2) != k
    # a version-1 key is the hash of the fields that existed before versions did
    assert k == stable_hash({"format": CACHE_FORMAT, "corpus": "fp", "trainer": "torch-glove",
                             "params": {"window": 5}, "seed": 0})


def test_round_trip(tmp_path, emb):
    cache = EmbeddingCache(tmp_path)
    assert cache.get("k") is None
    cache.put("k", emb)
    got = cache.get("k")
    assert got.equals(emb) and got.vocab == emb.vocab
    assert got.counts.tolist() == [5, 3, 1]
    assert got.meta["history"] == [{"epoch": 1, "loss": 0.5}]
    info = json.loads((tmp_path / "k.json").read_text())
    assert len(info["sha256"]) == 64
    assert not list(tmp_path.glob("*.tmp"))


def test_disabled_cache_misses_but_still_stores(tmp_path, emb):
    cache = EmbeddingCache(tmp_path, enabled=False)
    cache.put("k", emb)
    assert cache.get("k") is None
    assert EmbeddingCache(tmp_path).get("k").equals(emb)


def test_corrupt_matrix_detected(tmp_path, emb):
    cache = EmbeddingCache(tmp_path)
    cache.put("k", emb)
    data = bytearray((tmp_path / "k.npz").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "k.npz").write_bytes(bytes(data))
    with pytest.warns(CacheWarning, match="corrupt.*checksum mismatch"):
        assert cache.get("k") is None


def test_truncated_and_missing_files(tmp_path, emb):
    cache = EmbeddingCache(tmp_path)
    cache.put("k", emb)
    (tmp_path / "k.json").write_text("{not json")
    with pytest.warns(CacheWarning, match="corrupt"):
        assert cache.get("k") is None
    cache.put("k", emb)
    (tmp_path / "k.npz").unlink()
    with pytest.warns(CacheWarning, match="incomplete"):
        assert cache.get("k") is None


def test_pickled_payload_refused(tmp_path, emb):
    """An .npz holding an object array (needs pickle) is not loaded even with a matching checksum."""
    import hashlib
    import io

    cache = EmbeddingCache(tmp_path)
    cache.put("k", emb)
    buf = io.BytesIO()
    np.savez(buf, vocab=np.array([{"x": 1}], dtype=object), matrix=np.zeros((1, 2)))
    (tmp_path / "k.npz").write_bytes(buf.getvalue())
    info = json.loads((tmp_path / "k.json").read_text())
    info["sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
    (tmp_path / "k.json").write_text(json.dumps(info))
    with pytest.warns(CacheWarning, match="corrupt"):
        assert cache.get("k") is None


def test_non_finite_rows_behind_a_matching_checksum_mean_retraining(tmp_path, emb):
    """A damaged entry whose checksum was rewritten to match: its NaN rows are never scored."""
    import hashlib
    import io

    cache = EmbeddingCache(tmp_path)
    cache.put("k", emb)
    matrix = emb.matrix.copy()
    matrix[[0, 2], 1] = [np.nan, np.inf]
    buf = io.BytesIO()
    np.savez(buf, vocab=np.array(emb.vocab), matrix=matrix, counts=np.array([5, 3, 1]))
    (tmp_path / "k.npz").write_bytes(buf.getvalue())
    info = json.loads((tmp_path / "k.json").read_text())
    info["sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()
    (tmp_path / "k.json").write_text(json.dumps(info))
    with pytest.warns(CacheWarning, match=r"corrupt \(2 of its 3 rows hold NaN or infinite values\); retraining"):
        assert cache.get("k") is None


def test_a_full_cache_folder_warns_and_keeps_nothing(tmp_path, rng):
    from fullfs import file_size_limit

    big = Embeddings([f"w{i}" for i in range(200)], rng.normal(size=(200, 16)), name="e")
    cache = EmbeddingCache(tmp_path / "c")
    (tmp_path / "c").mkdir()
    with file_size_limit(4096), pytest.warns(CacheWarning, match="not stored.*cannot write"):
        assert cache.put("k", big) is None
    assert list((tmp_path / "c").iterdir()) == [] and cache.get("k") is None
