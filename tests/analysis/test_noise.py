"""Seed spread and item-level variance of a baseline's scores."""

import math

import numpy as np
import pytest
from scipy.stats import spearmanr

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.noise import (
    TABLE_KEY,
    item_variance,
    item_variances,
    noise_table,
    outcome_columns,
    spearman_diff_variance,
)
from evalsuite.core.results import ResultKey, RunResult, TaskResult


def analogy(emb, seed, correct, main="accuracy"):
    return TaskResult(task="google", kind="analogy", embedding=f"{emb}@seed{seed}", main_score=float(np.mean(
        [c for c in correct if c is not None])), scores={}, n_items=len(correct), n_scored=len(correct),
        main_score_name=main, items={"correct": list(correct), "correct_3cosmul": [False] * len(correct)},
        provenance={"seed": seed, "embedding_group": emb}, key=ResultKey(emb, seed))


def similarity(emb, seed, gold, pred):
    rho = spearmanr(gold, pred)[0]
    return TaskResult(task="sim", kind="similarity", embedding=f"{emb}@seed{seed}", main_score=float(rho), scores={},
                      n_items=len(gold), n_scored=len(gold), main_score_name="spearman",
                      items={"gold": list(gold), "predicted": list(pred)},
                      provenance={"seed": seed, "embedding_group": emb}, key=ResultKey(emb, seed))


def test_accuracy_item_variance_by_hand():
    # seeds differ on items 2 and 4: differences 0, 1, 0, -1; var (ddof 1) 2/3, over n = 4 items 1/6,
    # halved for one seed: 1/12
    run = RunResult("r", "n", (analogy("e", 0, [True, True, False, False]), analogy("e", 1, [True, False, False, True])))
    (g,) = seed_groups(run)
    var, n = item_variance(g)
    assert var == pytest.approx(1 / 12) and n == 4
    # an uncovered item (None) is left out of the pair
    run = RunResult("r", "n", (analogy("e", 0, [True, True, False, False, None]),
                               analogy("e", 1, [True, False, False, True, True])))
    assert item_variance(seed_groups(run)[0]) == (pytest.approx(1 / 12), 4)


def test_analogy_column_follows_the_main_method():
    tr = analogy("e", 0, [True, True], main="accuracy_3cosmul")
    assert outcome_columns(tr)[1].tolist() == [0.0, 0.0]
    assert outcome_columns(analogy("e", 0, [True, None]))[1][1] != outcome_columns(analogy("e", 0, [True, None]))[1][1]


def test_spearman_difference_variance(rng):
    gold = rng.normal(size=300)
    a = gold + rng.normal(size=300)
    assert spearman_diff_variance(gold, a, a) == 0.0
    b = gold + rng.normal(size=300)
    var = spearman_diff_variance(gold, a, b, n_resamples=2000)
    assert var == spearman_diff_variance(gold, a, b, n_resamples=2000)  # seeded
    # against a plain bootstrap that re-ranks every resample
    idx = rng.integers(0, 300, size=(1000, 300))
    brute = np.var([spearmanr(gold[i], a[i])[0] - spearmanr(gold[i], b[i])[0] for i in idx], ddof=1)
    assert 0.8 < var / brute < 1.25


def test_noise_table_and_reading_it_back():
    run = RunResult("r", "n", (analogy("e", 0, [True, True, False, False]), analogy("e", 1, [True, False, False, True])))
    (row,) = noise_table(run)
    assert row["n_seeds"] == 2 and row["mean"] == pytest.approx(0.5) and row["seed_sd"] == 0.0
    assert row["item_sd"] == pytest.approx(math.sqrt(1 / 12)) and row["n_items"] == 4
    assert item_variances(run) == {("e", "google", ""): pytest.approx(1 / 12)}
    # a stored table wins over per-item outputs (a baseline file keeps no items)
    stored = RunResult("r", "n", run.task_results, provenance={TABLE_KEY: [{**row, "item_sd": 0.5}]})
    assert item_variances(stored) == {("e", "google", ""): 0.25}


def test_similarity_noise_needs_items_of_equal_length(rng):
    gold = rng.normal(size=50)
    run = RunResult("r", "n", (similarity("e", 0, gold, gold + rng.normal(size=50)),
                               similarity("e", 1, gold[:40], gold[:40])))
    assert math.isnan(item_variance(seed_groups(run)[0])[0])
