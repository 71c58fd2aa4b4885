"""Under the ``gensim`` protocol, scores equal gensim's own evaluators on the same vectors."""

import numpy as np
import pytest
from gensim.models import KeyedVectors
from gensim.test.utils import datapath

from evalsuite.data.datasets.parsers import parse_analogy, parse_similarity
from evalsuite.data.vectors import load_embeddings
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.evaluate.analogy import AnalogyTask
from evalsuite.evaluate.similarity import SimilarityTask

from analogy_vectors import as_embeddings, structured_vectors

SIM_FILES = ("wordsim353.tsv", "simlex999.txt")


def assert_analogies_equal(kv, questions, restrict=300_000):
    protocol = get_protocol("gensim").replace(analogy_vocab=restrict, bootstrap_samples=0)
    ours = AnalogyTask(parse_analogy(questions)).evaluate(as_embeddings(kv), protocol)
    score, sections = kv.evaluate_word_analogies(questions, restrict_vocab=restrict)
    total = sections.pop()
    assert total["section"] == "Total accuracy"
    for s in sections:
        mine = ours.details["sections"][s["section"]]
        assert (mine["correct"], mine["covered"]) == (len(s["correct"]), len(s["correct"]) + len(s["incorrect"])), \
            s["section"]
    assert ours.n_scored == len(total["correct"]) + len(total["incorrect"])
    assert ours.main_score == pytest.approx(score, abs=1e-12)
    return ours, len(total["correct"])


def assert_pairs_equal(kv, restrict=300_000):
    emb = as_embeddings(kv)
    for name in SIM_FILES:
        protocol = get_protocol("gensim").replace(similarity_vocab=restrict, bootstrap_samples=0)
        ours = SimilarityTask(parse_similarity(datapath(name))).evaluate(emb, protocol)
        pearson, spearman, oov = kv.evaluate_word_pairs(datapath(name), restrict_vocab=restrict)
        assert ours.scores["spearman"] == pytest.approx(spearman[0], abs=1e-9)
        assert ours.scores["pearson"] == pytest.approx(pearson[0], abs=1e-9)
        assert 100.0 * (ours.n_items - ours.n_scored) / ours.n_items == pytest.approx(oov, abs=1e-9)
        zero = SimilarityTask(parse_similarity(datapath(name))).evaluate(emb, protocol.replace(oov="zero"))
        pearson, spearman, _ = kv.evaluate_word_pairs(datapath(name), restrict_vocab=restrict, dummy4unknown=True)
        assert zero.scores["spearman"] == pytest.approx(spearman[0], abs=1e-9)
        assert zero.scores["pearson"] == pytest.approx(pearson[0], abs=1e-9)


def test_structured_vectors_match_gensim_analogies(questions):
    kv = structured_vectors()
    ours, n_correct = assert_analogies_equal(kv, questions)
    assert len(ours.details["sections"]) == 14
    assert n_correct > 500  # the comparison is about real right answers, not zeros
    assert_analogies_equal(kv, questions, restrict=1500)


def test_shipped_vectors_match_gensim(questions):
    # this file has a word in a legacy 8-bit encoding: both loaders need the lenient policy
    path = datapath("pang_lee_polarity_fasttext.vec")
    kv = KeyedVectors.load_word2vec_format(path, unicode_errors="replace")
    ours = load_embeddings(path, unicode_errors="replace")
    assert list(ours.vocab) == kv.index_to_key
    np.testing.assert_array_equal(ours.matrix, kv.vectors)
    assert_pairs_equal(kv)
    assert_pairs_equal(kv, restrict=500)
    assert_analogies_equal(kv, questions)
    kv = KeyedVectors.load_word2vec_format(datapath("euclidean_vectors.bin"), binary=True)
    assert_pairs_equal(kv)
    assert_analogies_equal(kv, questions)


def test_evaluation_does_not_touch_vectors(questions):
    kv = structured_vectors(n_filler=10)
    emb = as_embeddings(kv)
    before = emb.fingerprint()
    AnalogyTask(parse_analogy(questions)).evaluate(emb, get_protocol("gensim").replace(bootstrap_samples=0))
    assert emb.fingerprint() == before


@pytest.mark.slow
def test_trained_word2vec_matches_gensim(questions):
    from gensim.models import Word2Vec
    from gensim.models.word2vec import LineSentence

    model = Word2Vec(LineSentence(datapath("lee_background.cor")), vector_size=24, min_count=2,
                     epochs=2, workers=1, seed=7)
    assert_pairs_equal(model.wv)
    assert_analogies_equal(model.wv, questions)
    assert_analogies_equal(model.wv, questions, restrict=800)
