import numpy as np
import pytest

from evalsuite.data.corpus import Vocabulary
from evalsuite.core.errors import EvalsuiteError, InputError

SENTS = [["b", "a", "c", "a"], ["d", "a", "b"], ["c", "e"]]  # a=3, b=2, c=2, d=1, e=1


def test_order_and_min_count():
    v = Vocabulary.build(SENTS, min_count=1)
    assert v.words == ("a", "b", "c", "d", "e")  # count desc, then word
    assert v.counts.tolist() == [3, 2, 2, 1, 1]
    assert v.total_words == 9 and v.sentences == 3
    v2 = Vocabulary.build(SENTS, min_count=2)
    assert v2.words == ("a", "b", "c") and v2.total_words == 9
    assert v2.encode(["e", "c", "a", "zz"]).tolist() == [2, 0]


def test_max_size_breaks_ties_by_word():
    assert Vocabulary.build(SENTS, min_count=1, max_size=2).words == ("a", "b")


def test_max_vocab_size_prunes_while_counting():
    sents = [["rare1"], ["rare2"], ["x"], ["x"], ["rare3"], ["x"]]
    full = Vocabulary.build(sents, min_count=1)
    pruned = Vocabulary.build(sents, min_count=1, max_vocab_size=2)
    assert set(full.words) == {"x", "rare1", "rare2", "rare3"}
    # 3rd sentence: 3 distinct > 2 -> drop count < 1 (nothing); 4th: still 3 -> drop count < 2
    # (rare1, rare2); rare3 arrives later and survives
    assert pruned.words == ("x", "rare3") and pruned.counts.tolist() == [3, 1] and pruned.total_words == 6


def test_empty_vocabulary():
    with pytest.raises(EvalsuiteError, match="min_count=5"):
        Vocabulary.build(SENTS)


def test_keep_probabilities_by_hand():
    v = Vocabulary(["a", "b", "c"], [6, 3, 1])
    # T = 10, sample = 0.1 -> t = 1; p = (sqrt(f/t) + 1) * t / f, capped at 1
    expected = [(6**0.5 + 1) / 6, (3**0.5 + 1) / 3, 1.0]
    assert v.keep_probabilities(0.1) == pytest.approx(expected)
    assert v.keep_probabilities(0.1)[0] == pytest.approx(0.574914, abs=1e-6)
    assert v.keep_probabilities(0).tolist() == [1.0, 1.0, 1.0]


def test_save_load_round_trip(tmp_path):
    v = Vocabulary.build(SENTS, min_count=1)
    v.save(tmp_path / "v.json")
    w = Vocabulary.load(tmp_path / "v.json")
    assert w == v and w.sentences == 3 and w.fingerprint() == v.fingerprint()
    assert Vocabulary(["a"], [1]).fingerprint() != Vocabulary(["a"], [2]).fingerprint()
    (tmp_path / "bad.json").write_text('{"words": [}')
    with pytest.raises(InputError, match="bad.json, line 1"):
        Vocabulary.load(tmp_path / "bad.json")
    assert isinstance(v.counts, np.ndarray)
