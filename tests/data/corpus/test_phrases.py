import pytest

from evalsuite.data.corpus import InMemoryCorpus, PhraseTable, TextCorpus


def planted(n=40):
    # "new york" always together; "new" and "york" rarely apart; other words mix freely
    fillers = ["cats", "dogs", "eat", "run", "fast", "slow", "big", "small"]
    out = []
    for i in range(n):
        a, b, c = fillers[i % 8], fillers[(i * 3 + 1) % 8], fillers[(i * 5 + 2) % 8]
        out.append([a, "new", "york", b, c, a])
    out.append(["new", "cats"])
    out.append(["dogs", "york"])
    return out


def test_score_by_hand():
    sents = [["a", "b"]] * 3 + [["a", "c"]]
    # counts: a=4, b=3, c=1, ab=3, ac=1, N=8; score(a,b) = (3 - 1) / (4 * 3) * 8 = 4/3
    table = PhraseTable.learn(sents, min_count=1, threshold=1.3)
    assert table.phrases == {("a", "b"): pytest.approx(4 / 3)}
    assert len(PhraseTable.learn(sents, min_count=1, threshold=1.34)) == 0


def test_planted_bigram_is_joined():
    # N = 244, count(new) = count(york) = 41, count(new york) = 40: score = 35 / 41**2 * 244 = 5.08;
    # every other pair occurs exactly 5 times, so scores 0
    table = PhraseTable.learn(planted(), min_count=5, threshold=5.0)
    assert ("new", "york") in table
    assert table.phrases[("new", "york")] == pytest.approx(35 / 41**2 * 244)
    assert len(PhraseTable.learn(planted(), min_count=5, threshold=5.1)) == 0
    assert len(table) == 1
    assert table.apply(["in", "new", "york", "now"]) == ["in", "new_york", "now"]
    assert table.apply(["new", "cats"]) == ["new", "cats"]


def test_greedy_left_to_right():
    table = PhraseTable({("a", "b"): 1.0, ("b", "c"): 1.0})
    assert table.apply(["a", "b", "c"]) == ["a_b", "c"]
    assert table.apply(["b", "c", "a", "b"]) == ["b_c", "a_b"]


def _word2phrase_scorer(worda_count, wordb_count, bigram_count, len_vocab, min_count, corpus_word_count):
    if worda_count < min_count or wordb_count < min_count:
        return float("-inf")
    return (bigram_count - min_count) / worda_count / wordb_count * corpus_word_count


def test_matches_gensim_phrases_with_word2phrase_scorer():
    from gensim.models.phrases import Phrases

    sents = planted(60) + [["big", "cats", "eat"], ["small", "dogs", "run"]] * 5 + [["hot", "dog"]] * 10
    ours = PhraseTable.learn(sents, min_count=3, threshold=2.0)
    ref = Phrases(sents, min_count=3, threshold=2.0, scoring=_word2phrase_scorer, connector_words=frozenset())
    assert [ours.apply(s) for s in sents] == [ref[s] for s in sents]
    assert len(ours) > 1  # the comparison exercised more than one phrase


def test_text_corpus_learns_then_applies(tmp_path):
    p = tmp_path / "c.txt"
    p.write_text("\n".join(" ".join(s) for s in planted()) + "\n")
    corpus = TextCorpus(p, phrases=True, phrase_min_count=5, phrase_threshold=5.0)
    sents = list(corpus)
    assert sents[0][1] == "new_york"
    assert list(corpus) == sents
    assert corpus.fingerprint() != TextCorpus(p).fingerprint()


def test_pruning_bounds_memory_but_keeps_frequent_pairs():
    table = PhraseTable.learn(planted(200), min_count=5, threshold=1.0, max_vocab_size=30)
    assert ("new", "york") in table
    assert InMemoryCorpus([["x"]])  # keeps import used
