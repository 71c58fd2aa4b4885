"""Vector files: word2vec text and binary, GloVe, fastText .vec, .npz; plain, .gz and .bz2."""

import io

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from evalsuite import Embeddings
from evalsuite.core.errors import InputError
from evalsuite.data.vectors import load_embeddings, save_embeddings
from mutate import mutate, outcome, packed, scratch

WORD = st.text(st.characters(codec="utf-8", exclude_categories=("Z", "C")), min_size=1, max_size=6)
VALUE = st.floats(width=32, allow_nan=False, allow_infinity=False)
SUFFIX = {"word2vec": ".txt", "word2vec-binary": ".bin", "glove": ".txt", "fasttext": ".vec", "npz": ".npz"}


@st.composite
def embeddings(draw):
    words = draw(st.lists(WORD, min_size=1, max_size=6, unique=True))
    dim = draw(st.integers(1, 4))
    values = draw(st.lists(VALUE, min_size=len(words) * dim, max_size=len(words) * dim))
    return Embeddings(tuple(words), np.array(values, np.float32).reshape(len(words), dim), name="e")


def _bytes(emb, fmt, compressed_npz) -> bytes:
    buf = io.BytesIO()
    if fmt == "npz" and compressed_npz:
        np.savez_compressed(buf, vocab=np.array(emb.vocab), matrix=emb.matrix)
        return buf.getvalue()
    with scratch() as folder:
        return save_embeddings(emb, folder / f"v{SUFFIX[fmt]}", fmt).read_bytes()


def _check(loaded, path):
    assert isinstance(loaded, Embeddings)
    assert loaded.matrix.dtype == np.float32 and loaded.matrix.shape == (len(loaded.vocab), loaded.dim)
    assert np.isfinite(loaded.matrix).all() and all(loaded.vocab)
    assert len(set(loaded.vocab)) == len(loaded.vocab) and loaded.meta["source"] == str(path)


@given(data=st.data(), emb=embeddings(), fmt=st.sampled_from(sorted(SUFFIX)))
def test_vector_files(data, emb, fmt):
    raw = _bytes(emb, fmt, data.draw(st.booleans(), label="np.savez_compressed"))
    content, suffix = packed(data, raw) if fmt != "npz" else (mutate(data, raw), "")
    forced = data.draw(st.sampled_from([None, fmt, "word2vec", "glove", "word2vec-binary"]), label="format")
    policy = data.draw(st.sampled_from(["error", "first", "last"]), label="on_duplicate")
    unicode = data.draw(st.sampled_from(["strict", "replace", "ignore"]), label="unicode_errors")
    limit = data.draw(st.one_of(st.none(), st.integers(0, 8)), label="limit")
    with scratch() as folder:
        path = folder / f"v{SUFFIX[fmt]}{suffix}"
        path.write_bytes(content)
        loaded = outcome("vector files", path, lambda: load_embeddings(
            path, forced, on_duplicate=policy, unicode_errors=unicode, limit=limit), InputError)
        if loaded is not None:
            _check(loaded, path)
            if content == raw and forced == fmt and limit is None:
                assert loaded.vocab == emb.vocab and np.array_equal(loaded.matrix, emb.matrix)
