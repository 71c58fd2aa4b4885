"""Fixtures of the API tests: the lee model of ``lee_vectors`` and its vectors in a file."""

import pytest

from lee_vectors import train_lee


@pytest.fixture(scope="session")
def lee_model():
    return train_lee()


@pytest.fixture(scope="session")
def lee_file(lee_model, tmp_path_factory):
    """The model's vectors saved by gensim (word2vec binary: every float exact)."""
    path = tmp_path_factory.mktemp("lee") / "lee.bin"
    lee_model.wv.save_word2vec_format(str(path), binary=True)
    return path
