import numpy as np
import pytest
from scipy import stats

from evalsuite.data.datasets.base import SimilarityDataset, SimilarityPair
from evalsuite.core.embeddings import Embeddings
from evalsuite.evaluate.protocol import Protocol
from evalsuite.evaluate.similarity import SimilarityTask

# cos(cat,dog)=1/sqrt2, cos(cat,car)=0, cos(dog,car)=1/sqrt2
EMB = Embeddings(("cat", "dog", "car", "Sun"), np.array([[1, 0], [1, 1], [0, 3], [2, -1]], dtype=np.float32),
                 name="toy")
DATA = SimilarityDataset("toy", (
    SimilarityPair("cat", "dog", 9.0),
    SimilarityPair("Cat", "car", 1.0),
    SimilarityPair("dog", "car", 5.0),
    SimilarityPair("cat", "zebra", 7.0),
    SimilarityPair("sun", "cat", 3.0),
))
R2 = 1 / np.sqrt(2)
C_SUN_CAT = 2 / np.sqrt(5)


def run(**kw):
    return SimilarityTask(DATA).evaluate(EMB, Protocol(bootstrap_samples=50, **kw))


def test_drop_policy_by_hand():
    r = run()
    assert r.n_items == 5 and r.n_scored == 4
    assert r.items["predicted"] == pytest.approx([R2, 0.0, R2, None, C_SUN_CAT]) or \
        r.items["predicted"][3] is None
    gold, pred = [9, 1, 5, 3], [R2, 0.0, R2, C_SUN_CAT]
    assert r.main_score == pytest.approx(stats.spearmanr(gold, pred)[0], abs=1e-12)
    assert r.scores["pearson"] == pytest.approx(stats.pearsonr(gold, pred)[0], abs=1e-12)
    assert r.main_score_name == "spearman" and r.protocol["oov"] == "drop"
    assert r.ci95 is not None and r.details["n_used"] == 4


def test_zero_policy_scores_oov_pairs_as_zero():
    r = run(oov="zero")
    assert r.n_scored == 4 and r.details["n_used"] == 5
    assert r.items["predicted"][3] == 0.0
    gold, pred = [9, 1, 5, 7, 3], [R2, 0.0, R2, 0.0, C_SUN_CAT]
    assert r.main_score == pytest.approx(stats.spearmanr(gold, pred)[0], abs=1e-12)


def test_mean_policy_uses_mean_vector():
    r = run(oov="mean")
    mean = EMB.matrix.astype(float).mean(axis=0)
    cat = np.array([1.0, 0.0])
    expected = cat @ mean / np.linalg.norm(mean)
    assert r.items["predicted"][3] == pytest.approx(expected, abs=1e-12)


def test_case_preserve_and_vocab_restriction():
    r = run(case="preserve")
    assert r.n_scored == 2  # "Cat" and "sun" no longer match
    r = run(similarity_vocab=2, order="file")
    assert r.n_scored == 1  # only cat and dog are in the first two words


def test_embeddings_not_mutated():
    before = EMB.matrix.copy()
    run(normalization="center")
    np.testing.assert_array_equal(EMB.matrix, before)


@pytest.mark.parametrize("min_pairs, min_coverage, sufficient, reason", [
    (4, 0.8, True, None),  # 4 of 5 pairs: exactly at both limits
    (5, 0.8, False, "4 of 5 pairs scored (fewer than 5 pairs)"),
    (4, 0.81, False, "4 of 5 pairs scored (coverage below 81%)"),
    (20, 0.9, False, "4 of 5 pairs scored (fewer than 20 pairs and coverage below 90%)"),
])
def test_minimum_evidence_marks_the_result(min_pairs, min_coverage, sufficient, reason):
    r = run(min_similarity_pairs=min_pairs, min_similarity_coverage=min_coverage)
    assert r.sufficient is sufficient and r.details["sufficient"] is sufficient
    assert r.insufficient_reason == reason and r.details.get("insufficient") == reason
    assert r.to_dict()["sufficient"] is sufficient
    assert type(r).from_dict(r.to_dict()).sufficient is sufficient
    assert r.main_score == run().main_score  # marked, never changed


def test_default_protocol_needs_twenty_pairs_and_half_the_dataset():
    r = run()
    assert not r.sufficient and r.insufficient_reason == "4 of 5 pairs scored (fewer than 20 pairs)"
