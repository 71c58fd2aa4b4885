import gzip

import numpy as np
import pytest

from evalsuite.core.errors import ConfigError, InputError
from evalsuite.data.vectors import load_embeddings, save_embeddings


@pytest.mark.parametrize("fmt,name", [("word2vec", "e.txt"), ("glove", "g.txt"), ("fasttext", "f.vec"),
                                      ("word2vec", "e.txt.gz"), ("glove", "g.txt.bz2")])
def test_round_trip_exact(tmp_path, emb, fmt, name):
    path = save_embeddings(emb, tmp_path / name, fmt)
    back = load_embeddings(path, fmt)
    assert back.vocab == emb.vocab
    assert np.array_equal(back.matrix, emb.matrix)
    assert back.meta["format"] == fmt
    assert load_embeddings(path).equals(emb)  # auto-detected too


def test_layouts_on_disk(tmp_path, emb):
    w2v = save_embeddings(emb, tmp_path / "a.txt").read_bytes().decode().splitlines(keepends=True)
    assert w2v[0] == "6 5\n" and w2v[2].startswith("ça ") and not w2v[1].endswith(" \n")
    glove = save_embeddings(emb, tmp_path / "a.glove", "glove").read_text().splitlines()
    assert glove[0].startswith("the ") and len(glove) == 6
    vec = save_embeddings(emb, tmp_path / "a.vec").read_text().splitlines(keepends=True)
    assert vec[0] == "6 5\n" and vec[1].endswith(" \n")


def test_hand_written_file_values(tmp_path, write):
    p = write(b"2 3\nking 1 2 3\nqueen -0.5 1e-3 +4\r\n")
    e = load_embeddings(p)
    assert e.vocab == ("king", "queen")
    assert e.matrix.tolist() == [[1, 2, 3], [-0.5, np.float32(1e-3), 4]]
    assert e.name == "v"


def test_tabs_multiple_spaces_and_trailing_blank_lines(tmp_path, write):
    p = write(b"a 1\t2  3 \nb 4 5 6\n\n\n", "g.txt")
    e = load_embeddings(p, "glove")
    assert e.vocab == ("a", "b") and e.matrix[1].tolist() == [4, 5, 6]


def test_gzip_input_by_content(tmp_path):
    p = tmp_path / "v.data"
    p.write_bytes(gzip.compress(b"a 1 2\nb 3 4\n"))
    e = load_embeddings(p)
    assert e.meta["format"] == "glove" and e.matrix.tolist() == [[1, 2], [3, 4]]


def test_limit(tmp_path, emb):
    for fmt, name in [("word2vec", "a.txt"), ("glove", "b.txt")]:
        p = save_embeddings(emb, tmp_path / name, fmt)
        e = load_embeddings(p, fmt, limit=2)
        assert e.vocab == emb.vocab[:2] and np.array_equal(e.matrix, emb.matrix[:2])
        assert len(load_embeddings(p, fmt, limit=0)) == 0


def test_limit_does_not_check_the_rest(tmp_path, write):
    p = write(b"3 2\na 1 2\nb 3 4\nc oops\n")
    assert load_embeddings(p, limit=2).vocab == ("a", "b")


def test_name_override(tmp_path, emb):
    p = save_embeddings(emb, tmp_path / "a.txt")
    assert load_embeddings(p, name="mine").name == "mine"


def test_chunked_reading_matches(tmp_path, monkeypatch, rng):
    import evalsuite.data.vectors.text as text
    from evalsuite import Embeddings
    monkeypatch.setattr(text, "CHUNK_BYTES", 64)
    e = Embeddings(tuple(f"w{i}" for i in range(300)), rng.standard_normal((300, 4)))
    p = save_embeddings(e, tmp_path / "a.txt")
    assert load_embeddings(p).equals(e)
    p = save_embeddings(e, tmp_path / "b.txt", "glove")
    assert load_embeddings(p, "glove").equals(e)


# --- malformed input: every message names the file and the line ------------------------
BAD = [
    (b"2 3\na 1 2 3\nb 1 2\n", 3, "expected 3 values after the word 'b', found 2"),
    (b"2 3\na 1 2 3\nb 1 2 3 4\n", 3, "found 4"),
    (b"3 2\na 1 2\nb 3 4\n", 4, "the header announces 3 vectors but the file ends after 2"),
    (b"1 2\na 1 2\nb 3 4\n", 3, "more vectors than the 1 the header announces"),
    (b"2 2\na 1 2\nb 3 x\n", 3, "value 2 of word 'b' is not a number: 'x'"),
    (b"2 2\na 1 2\nb 3 1,5\n", 3, "not a number: '1,5'"),
    (b"2 2\na 1 nan\nb 3 4\n", 2, "NaN or infinite"),
    (b"2 2\na 1 2\nb 3 -inf\n", 3, "NaN or infinite"),
    (b"2 2\na 1 2\nb 3 1e39\n", 3, "overflow"),
    (b"2 2\na 1 2\na 3 4\n", 3, "duplicate word 'a' (first seen at line 2)"),
    (b"2 2\na 1 2\n\xff\xfe 3 4\n", 3, "not valid UTF-8"),
    (b"2 x\na 1 2\n", 1, "bad header"),
    (b"2 0\na\n", 1, "dimension must be at least 1"),
    (b"3 2\na 1 2\n\nb 3 4\n", 3, "empty line in the middle"),
    (b"2 2\na 1 2\n 3 4\n", 3, "line starts with a space"),
    (b"2 2\na 1 2\nb\n", 3, "found 0"),
]


@pytest.mark.parametrize("content,line,problem", BAD)
def test_malformed_word2vec_text(tmp_path, content, line, problem, write):
    p = write(content)
    with pytest.raises(InputError) as err:
        load_embeddings(p, "word2vec")
    assert str(err.value).startswith(f"{p}, line {line}: ")
    assert problem in str(err.value)
    assert err.value.line == line


def test_malformed_glove(tmp_path, write):
    p = write(b"a 1 2\nb 1 2 3\n")
    with pytest.raises(InputError, match=r"line 2: expected 2 values after the word 'b', found 3"):
        load_embeddings(p, "glove")
    p = write(b"3 2\na 1 2\n")
    with pytest.raises(InputError, match="looks like a word2vec 'COUNT DIM' header"):
        load_embeddings(p, "glove")


def test_bad_row_found_in_a_late_chunk(tmp_path, monkeypatch, write):
    import evalsuite.data.vectors.text as text
    monkeypatch.setattr(text, "CHUNK_BYTES", 100)
    rows = [f"w{i} 1 2\n" for i in range(200)]
    rows[150] = "w150 1 oops\n"
    p = write(("200 2\n" + "".join(rows)).encode())
    with pytest.raises(InputError, match=r"line 152: value 2 of word 'w150'"):
        load_embeddings(p)


def test_empty_files(tmp_path, write):
    for fmt in (None, "word2vec", "glove", "word2vec-binary"):
        p = write(b"")
        with pytest.raises(InputError, match="empty file"):
            load_embeddings(p, fmt)
    p = write(b"\n\n")
    with pytest.raises(InputError, match="line 1"):
        load_embeddings(p)


def test_duplicate_policies(tmp_path, write):
    p = write(b"3 2\na 1 2\nb 3 4\na 5 6\n")
    first = load_embeddings(p, on_duplicate="first")
    last = load_embeddings(p, on_duplicate="last")
    assert first.vocab == last.vocab == ("a", "b")
    assert first.matrix.tolist() == [[1, 2], [3, 4]]
    assert last.matrix.tolist() == [[5, 6], [3, 4]]
    with pytest.raises(ConfigError):
        load_embeddings(p, on_duplicate="keep")


def test_unicode_policies(tmp_path, write):
    p = write(b"2 2\nca\xff 1 2\nb 3 4\n")
    with pytest.raises(InputError, match="line 2: word b'ca\\\\xff' is not valid UTF-8"):
        load_embeddings(p)
    assert load_embeddings(p, unicode_errors="replace").vocab == ("ca\ufffd", "b")
    assert load_embeddings(p, unicode_errors="ignore").vocab == ("ca", "b")


def test_writer_rejects_words_with_spaces(tmp_path):
    from evalsuite import Embeddings
    e = Embeddings(("new york",), np.zeros((1, 2)))
    with pytest.raises(InputError, match="contains whitespace"):
        save_embeddings(e, tmp_path / "a.txt")
    assert not (tmp_path / "a.txt").exists()
    assert load_embeddings(save_embeddings(e, tmp_path / "a.npz")).vocab == ("new york",)


@pytest.mark.parametrize("row,problem", [
    (b"b 1\x852 3\n", "expected 3 values after the word 'b', found 2"),  # numpy alone splits at NEL
    (b"b 1 2\xa0 3\n", "value 2 of word 'b' is not a number: '2\ufffd'"),  # and at a latin-1 NBSP
])
def test_values_are_split_at_ascii_whitespace_only(write, row, problem):
    p = write(b"2 3\na 1 2 3\n" + row)
    with pytest.raises(InputError) as err:
        load_embeddings(p)
    assert str(err.value) == f"{p}, line 3: {problem}"
