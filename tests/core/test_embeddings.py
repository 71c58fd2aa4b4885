import numpy as np
import pytest

from evalsuite import Embeddings


def make():
    return Embeddings(("a", "b", "c"), np.array([[3, 4], [0, 0], [1, 0]]), counts=[1, 5, 3], name="t")


def test_lookup_marks_oov():
    idx, found = make().lookup(["c", "zz", "a"])
    assert idx.tolist() == [2, -1, 0]
    assert found.tolist() == [True, False, True]


def test_matrix_is_float32_and_read_only():
    e = make()
    assert e.matrix.dtype == np.float32
    with pytest.raises(ValueError):
        e.matrix[0, 0] = 1.0


def test_caller_array_keeps_its_flags():
    m = np.ones((1, 2), dtype=np.float32)
    Embeddings(("x",), m)
    m[0, 0] = 2.0  # still writable for its owner


def test_normalized_rows_unit_and_zero_rows_stay_zero():
    n = make().normalized
    assert np.allclose(n[0], [0.6, 0.8])
    assert np.allclose(n[1], [0, 0])


def test_restrict_uses_counts_order_but_keeps_file_order():
    assert make().restrict(2).vocab == ("b", "c")


def test_rejects_duplicates_and_shape_mismatch():
    with pytest.raises(ValueError, match="duplicate"):
        Embeddings(("a", "a"), np.zeros((2, 2)))
    with pytest.raises(ValueError, match="rows"):
        Embeddings(("a",), np.zeros((2, 2)))


def test_fingerprint_ignores_name():
    e = make()
    assert e.fingerprint() == e.with_name("other").fingerprint()
    assert e.fingerprint() != Embeddings(e.vocab, e.matrix + 1).fingerprint()
