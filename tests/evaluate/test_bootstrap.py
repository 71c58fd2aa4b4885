import numpy as np

from evalsuite.evaluate.metrics import spearman
from evalsuite.evaluate.bootstrap import bootstrap_ci, mean_statistic


def test_bootstrap_is_deterministic_and_seed_dependent(rng):
    x = rng.normal(size=100)
    y = x + rng.normal(size=100)
    a = bootstrap_ci(spearman, (x, y), n_resamples=300, seed=3)
    b = bootstrap_ci(spearman, (x, y), n_resamples=300, seed=3)
    c = bootstrap_ci(spearman, (x, y), n_resamples=300, seed=4)
    assert a == b
    assert a != c
    assert a[0] < spearman(x, y) < a[1]


def test_bootstrap_batches_do_not_change_the_answer(rng):
    x = (rng.random(80) < 0.3).astype(float)
    assert bootstrap_ci(mean_statistic, (x,), n_resamples=500, seed=1, batch=7) == \
        bootstrap_ci(mean_statistic, (x,), n_resamples=500, seed=1, batch=500)


def test_accuracy_interval_matches_normal_approximation():
    # 400 Bernoulli outcomes with p=0.5: 95% interval ~ 0.5 +- 1.96*sqrt(.25/400) = +-0.049
    x = np.array([1.0, 0.0] * 200)
    low, high = bootstrap_ci(mean_statistic, (x,), n_resamples=4000, seed=0)
    assert abs((high - low) / 2 - 0.049) < 0.006
    assert abs((low + high) / 2 - 0.5) < 0.01


def test_interval_covers_true_value_about_95_percent():
    rng = np.random.default_rng(1)
    hits = 0
    for trial in range(100):
        x = (rng.random(60) < 0.3).astype(float)
        low, high = bootstrap_ci(mean_statistic, (x,), n_resamples=200, seed=trial)
        hits += low <= 0.3 <= high
    assert 0.85 <= hits / 100 <= 1.0


def test_degenerate_inputs():
    assert bootstrap_ci(mean_statistic, (np.array([1.0]),)) is None
    assert bootstrap_ci(mean_statistic, (np.array([1.0, 0.0]),), n_resamples=0) is None
    assert bootstrap_ci(spearman, (np.ones(5), np.arange(5.0)), n_resamples=50) is None
