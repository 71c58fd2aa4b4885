import pytest

from evalsuite.core.errors import InputError, UnknownNameError
from evalsuite.data.vectors import detect_format, format_for_path, load_embeddings, save_embeddings


def test_detects_each_format_by_content(tmp_path, emb):
    cases = {"a.txt": "word2vec", "a.vec": "fasttext", "a.bin": "word2vec-binary", "a.npz": "npz"}
    for name, fmt in cases.items():
        assert detect_format(save_embeddings(emb, tmp_path / name)) == fmt
    # content wins over a misleading extension
    assert detect_format(save_embeddings(emb, tmp_path / "b.txt", "word2vec-binary")) == "word2vec-binary"
    assert detect_format(save_embeddings(emb, tmp_path / "b.bin", "glove")) == "glove"
    assert detect_format(save_embeddings(emb, tmp_path / "c.dat.gz", "word2vec-binary")) == "word2vec-binary"


def test_format_override_and_unknown_names(tmp_path, write):
    p = write(b"1 1\n3 4\n", "x.txt")  # a valid word2vec file that is also valid GloVe
    assert detect_format(p) == "word2vec"
    assert load_embeddings(p, "glove").vocab == ("1", "3")
    with pytest.raises(UnknownNameError, match="did you mean 'glove'"):
        load_embeddings(p, "glovе2")


def test_unrecognised_and_empty(write):
    with pytest.raises(InputError, match="empty file"):
        detect_format(write(b""))
    with pytest.raises(InputError, match="line 1: unrecognised"):
        detect_format(write(b"hello world\n"))
    with pytest.raises(InputError, match="file not found"):
        detect_format("/nonexistent/v.txt")


def test_suffix_defaults():
    assert format_for_path("a.npz") == "npz" and format_for_path("a.bin.gz") == "word2vec-binary"
    assert format_for_path("a.vec") == "fasttext" and format_for_path("a.txt") == "word2vec"


def test_read_header_counts_and_errors():
    from evalsuite.core.errors import InputError
    from evalsuite.data.vectors.detect import read_header

    assert read_header("f", b"3 50\n") == (3, 50)
    with pytest.raises(InputError, match=r"expected 'COUNT DIM' \(two non-negative integers\) on the first line"):
        read_header("f", b"the 0.1 0.2\n", " on the first line")
    with pytest.raises(InputError, match="dimension must be at least 1"):
        read_header("f", b"3 0\n")
