import math

import numpy as np
import pytest
from scipy import stats

from evalsuite.analysis.significance import holm, mcnemar, paired_bootstrap_spearman, seed_summary, welch_t


def test_mcnemar_exact_matches_binomtest():
    # 10 questions only A solves, 3 only B solves, 20 both, 7 neither
    a = [1] * 10 + [0] * 3 + [1] * 20 + [0] * 7
    b = [0] * 10 + [1] * 3 + [1] * 20 + [0] * 7
    r = mcnemar(a, b)
    assert r.test == "mcnemar-exact"
    assert r.p_value == pytest.approx(stats.binomtest(10, 13, 0.5).pvalue)
    assert r.diff == pytest.approx((10 - 3) / 40)
    assert r.n == 40


def test_mcnemar_chi2_with_continuity_by_hand():
    a = [1] * 40 + [0] * 20 + [1] * 30
    b = [0] * 40 + [1] * 20 + [1] * 30
    r = mcnemar(a, b)
    assert r.test == "mcnemar-chi2"
    chi2 = (abs(40 - 20) - 1) ** 2 / 60  # = 6.0166...
    assert r.statistic == pytest.approx(chi2)
    assert r.p_value == pytest.approx(stats.chi2.sf(chi2, 1))
    assert r.p_value < 0.05


def test_mcnemar_identical_answers_p_one():
    r = mcnemar([1, 0, 1], [1, 0, 1])
    assert r.p_value == 1.0 and r.diff == 0.0


def test_mcnemar_exact_forced_on_large_counts_agrees_with_scipy():
    a = [1] * 30 + [0] * 26
    b = [0] * 30 + [1] * 26
    r = mcnemar(a, b, exact=True)
    assert r.p_value == pytest.approx(stats.binomtest(30, 56).pvalue)


def test_holm_hand_case():
    # sorted p: .01 (x4=.04), .02 (x3=.06), .03 (x2=.06 monotone), .5 (x1=.5)
    assert holm([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])


def test_holm_keeps_nan_and_caps_at_one():
    out = holm([0.6, float("nan"), 0.9])
    assert math.isnan(out[1])
    assert out[0] == pytest.approx(1.0) and out[2] == pytest.approx(1.0)


def test_welch_matches_scipy():
    a = [0.71, 0.74, 0.73, 0.70]
    b = [0.65, 0.69, 0.66]
    r = welch_t(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    assert r.statistic == pytest.approx(ref.statistic)
    assert r.p_value == pytest.approx(ref.pvalue)
    assert r.ci95[0] < r.diff < r.ci95[1]


def test_welch_needs_two_seeds():
    r = welch_t([0.7], [0.6, 0.65])
    assert math.isnan(r.p_value)


def test_seed_summary_t_interval():
    s = seed_summary([1.0, 2.0, 3.0])
    assert s.mean == 2.0 and s.sd == pytest.approx(1.0)
    half = stats.t.ppf(0.975, 2) / math.sqrt(3)
    assert s.ci95 == pytest.approx((2 - half, 2 + half))
    assert seed_summary([0.5]).ci95 is None


def test_bootstrap_detects_a_real_difference(rng):
    gold = rng.normal(size=200)
    good = gold + rng.normal(scale=0.3, size=200)
    bad = gold + rng.normal(scale=3.0, size=200)
    r = paired_bootstrap_spearman(gold, good, bad, n_resamples=500)
    expected = stats.spearmanr(gold, good)[0] - stats.spearmanr(gold, bad)[0]
    assert r.diff == pytest.approx(expected)
    assert r.p_value < 0.01
    assert r.ci95[0] > 0


def test_bootstrap_same_model_not_significant(rng):
    gold = rng.normal(size=100)
    a = gold + rng.normal(size=100)
    r = paired_bootstrap_spearman(gold, a, a.copy(), n_resamples=300)
    assert r.diff == 0.0 and r.p_value == 1.0


def test_bootstrap_two_noisy_models_of_equal_quality_usually_not_significant(rng):
    gold = rng.normal(size=150)
    a = gold + rng.normal(size=150)
    b = gold + rng.normal(size=150)
    r = paired_bootstrap_spearman(gold, a, b, n_resamples=500)
    assert r.ci95[0] <= r.diff <= r.ci95[1]
    assert r.p_value > 0.05


def test_bootstrap_seed_rows_average(rng):
    gold = rng.normal(size=50)
    a = np.stack([gold + rng.normal(size=50) for _ in range(3)])
    b = gold + rng.normal(scale=2, size=50)
    r = paired_bootstrap_spearman(gold, a, b, n_resamples=100)
    expected = np.mean([stats.spearmanr(gold, row)[0] for row in a]) - stats.spearmanr(gold, b)[0]
    assert r.diff == pytest.approx(expected)
