import pytest

from evalsuite.core.errors import ConfigError, UnknownNameError
from evalsuite.evaluate.protocol import Protocol, get_protocol, list_protocols


def test_presets():
    assert set(list_protocols()) >= {"default", "gensim"}
    d, g = get_protocol(), get_protocol("gensim")
    assert d.analogy_vocab == 30_000 and d.oov == "drop" and d.case == "lower"
    assert g.case == "upper" and g.order == "file" and g.analogy_vocab == g.similarity_vocab == 300_000
    assert g.emulate == "gensim"


def test_round_trip_and_frozen():
    p = get_protocol("gensim")
    assert Protocol.from_dict(p.to_dict()) == p
    with pytest.raises(Exception):
        p.case = "lower"
    assert p.with_restrict_vocab(5).analogy_vocab == 5


def test_unknown_name_suggests():
    with pytest.raises(UnknownNameError, match="did you mean 'gensim'"):
        get_protocol("gensin")


@pytest.mark.parametrize("bad", [{"oov": "skip"}, {"case": "title"}, {"analogy_vocab": -1},
                                 {"analogy_methods": ()}, {"bootstrap_samples": 1.5}])
def test_invalid_settings_name_the_key(bad):
    key = next(iter(bad))
    with pytest.raises(ConfigError, match=key):
        Protocol(**bad)
    with pytest.raises(ConfigError):
        Protocol.from_dict({"nope": 1})


def test_fold():
    assert Protocol(case="lower").fold("Paris") == "paris"
    assert Protocol(case="upper").fold("Paris") == "PARIS"
    assert Protocol(case="preserve").fold("Paris") == "Paris"
