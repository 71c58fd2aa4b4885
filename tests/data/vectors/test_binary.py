import numpy as np
import pytest

from evalsuite import Embeddings
from evalsuite.core.errors import InputError
from evalsuite.data.vectors import load_embeddings, save_embeddings


def rows(*pairs, newline=True):
    out = b""
    for word, vec in pairs:
        out += word + b" " + np.asarray(vec, dtype="<f4").tobytes() + (b"\n" if newline else b"")
    return out


@pytest.mark.parametrize("name", ["e.bin", "e.bin.gz", "e.bin.xz"])
def test_round_trip_exact(tmp_path, emb, name):
    p = save_embeddings(emb, tmp_path / name)
    back = load_embeddings(p)
    assert back.meta["format"] == "word2vec-binary"
    assert back.vocab == emb.vocab and np.array_equal(back.matrix, emb.matrix)


def test_hand_built_file_with_and_without_newlines(write):
    for newline in (True, False):
        p = write(b"2 2\n" + rows((b"a", [1, 2]), (b"\xc3\xa7", [3.5, -4]), newline=newline), "v.bin")
        e = load_embeddings(p)
        assert e.vocab == ("a", "ç") and e.matrix.tolist() == [[1, 2], [3.5, -4]]


def test_small_chunks(tmp_path, monkeypatch, rng):
    import evalsuite.data.vectors.binary as binary
    monkeypatch.setattr(binary, "CHUNK_BYTES", 7)
    monkeypatch.setattr(binary, "MAX_WORD_BYTES", 16)
    e = Embeddings(tuple(f"w{i}" for i in range(50)), rng.standard_normal((50, 3)))
    assert load_embeddings(save_embeddings(e, tmp_path / "a.bin")).equals(e)


def test_limit(tmp_path, emb):
    p = save_embeddings(emb, tmp_path / "a.bin")
    assert load_embeddings(p, limit=3).vocab == emb.vocab[:3]


def expect(p, offset, problem):
    with pytest.raises(InputError) as err:
        load_embeddings(p, "word2vec-binary")
    assert str(err.value).startswith(f"{p}, byte {offset}: "), str(err.value)
    assert problem in str(err.value)


def test_truncated_vector(write):
    body = rows((b"a", [1, 2]), (b"bb", [3, 4]))
    p = write(b"2 2\n" + body[:-5], "v.bin")  # cut inside the second vector
    with pytest.raises(InputError, match="truncated"):
        load_embeddings(p)
    # compressed: no size pre-check, so the reader itself finds the cut at row 2 (byte 4+11)
    import gzip
    p = write(gzip.compress(b"2 2\n" + body[:-5]), "v.bin.gz")
    expect(p, 15, "file is truncated: the vector of 'bb' (row 2 of 2) needs 8 bytes but only 4 remain")


def test_header_promises_more_rows(write):
    import gzip
    p = write(gzip.compress(b"3 2\n" + rows((b"a", [1, 2]))), "v.bin.gz")
    expect(p, 15, "the header announces 3 vectors but the file ends after 1")


def test_extra_data(write):
    p = write(b"1 2\n" + rows((b"a", [1, 2]), (b"b", [3, 4])), "v.bin")
    expect(p, 15, "extra data after the 1 vectors")


def test_nan_duplicate_utf8_and_header(write):
    p = write(b"2 2\n" + rows((b"a", [1, 2]), (b"b", [np.nan, 4])), "v.bin")
    expect(p, 15, "NaN or infinite")
    p = write(b"2 2\n" + rows((b"a", [1, 2]), (b"a", [3, 4])), "v.bin")
    expect(p, 15, "duplicate word 'a' (first seen at byte 4)")
    assert load_embeddings(p, on_duplicate="last").matrix.tolist() == [[3, 4]]
    p = write(b"2 2\n" + rows((b"a", [1, 2]), (b"\xe6\x97", [3, 4])), "v.bin")
    expect(p, 15, "not valid UTF-8")
    with pytest.raises(InputError, match="byte 15: empty word after decoding"):
        load_embeddings(p, unicode_errors="ignore")  # nothing of the word survives
    assert load_embeddings(p, unicode_errors="replace").vocab == ("a", "\ufffd")
    p = write(b"two 2\n" + rows((b"a", [1, 2])), "v.bin")
    with pytest.raises(InputError, match=r"line 1: bad header"):
        load_embeddings(p, "word2vec-binary")
    p = write(b"1 2\n" + b"x" * 5000, "v.bin")
    with pytest.raises(InputError, match="truncated|no space"):
        load_embeddings(p, "word2vec-binary")
