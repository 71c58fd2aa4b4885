import numpy as np
import pytest

from evalsuite import Embeddings

WORDS = ("the", "ça", "日本", "naïve", "x-y", "Ωmega")


@pytest.fixture
def emb():
    rng = np.random.default_rng(1)
    m = rng.standard_normal((len(WORDS), 5)).astype(np.float32)
    m[0, 0] = 1e-30  # tiny and large magnitudes must survive the text round trip exactly
    m[1, 1] = 3.4e38
    return Embeddings(WORDS, m, counts=[60, 50, 40, 30, 20, 10], name="fixture")


@pytest.fixture
def write(tmp_path):
    """``write(content, name)`` puts bytes in a file under ``tmp_path``."""
    def _write(content: bytes, name="v.txt"):
        p = tmp_path / name
        p.write_bytes(content)
        return p
    return _write
