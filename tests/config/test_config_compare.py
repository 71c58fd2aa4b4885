"""The ``[compare]`` table of a benchmark config."""

import pytest

import runfakes
from evalsuite.config import parse_config
from evalsuite.core.errors import ConfigError
from evalsuite.core.runspecs import CompareSpec
from test_config import base

# the fake trainers of runfakes, registered for each test
pytestmark = pytest.mark.usefixtures("fake_trainers")


def _two(tmp_path, compare):
    raw = base(tmp_path, compare=compare)
    raw["embeddings"].append({"name": "gl", "trainer": "fake-glove", "params": {"noise": [0.1, 0.2]}})
    return raw


def test_compare_table_named_representatives_and_declared_differences(tmp_path):
    cfg = parse_config(_two(tmp_path, {"word2vec": "sg", "glove": "gl[noise=0.2]",
                                       "differences": {"epochs": "units differ"}}))
    assert cfg.compare == CompareSpec(select="named", representatives={"word2vec": "sg", "glove": "gl[noise=0.2]"},
                                      dev_fraction=0.5, split_seed=0, grid=False,
                                      differences={"epochs": "units differ"})
    assert parse_config(base(tmp_path)).compare is None


@pytest.mark.parametrize("compare, match", [
    ({"word2vec": "sg"}, r"compare: select = \"named\" needs both word2vec"),
    ({"word2vec": "sg", "glove": "gl"},
     r"compare\.glove: no embedding named 'gl' .*; known: sg, gl\[noise=0\.1\], gl\[noise=0\.2\]"),
    ({"word2vec": "gl[noise=0.1]", "glove": "gl[noise=0.2]"},
     r"compare\.word2vec: 'gl\[noise=0\.1\]' is a glove embedding"),
    ({"select": "dev", "glove": "gl[noise=0.2]"}, r"compare\.glove: naming an embedding needs select = \"named\""),
    ({"select": "best"}, r"compare\.select: must be one of"),
    ({"dev_fraction": 1.0}, r"compare\.dev_fraction: must be a number in \(0, 1\)"),
    ({"grid": "yes"}, r"compare\.grid: must be"),
    ({"selct": "dev"}, r"compare\.selct: unknown key \(did you mean 'select'\?\)"),
    ({"differences": {"epoch": "x"}}, r"compare\.differences\.epoch: not a parameter of the configured trainers "
                                      r"\(did you mean 'epochs'\?\)"),
    ({"differences": {"epochs": ""}}, r"compare\.differences\.epochs: expected the reason as a string"),
    ({"grid": True}, r"compare\.grid: the grid point \(no sweep\) needs one glove embedding, found none"),
])
def test_bad_compare_table_names_the_key(tmp_path, compare, match):
    with pytest.raises(ConfigError, match=match):
        parse_config(_two(tmp_path, compare))


def test_grid_needs_one_embedding_of_each_family_per_point(tmp_path):
    raw = _two(tmp_path, {"grid": True})
    raw["embeddings"][0]["params"] = {"noise": [0.1, 0.2]}
    cfg = parse_config(raw)
    assert cfg.compare.grid is True and cfg.compare.select == "dev"
