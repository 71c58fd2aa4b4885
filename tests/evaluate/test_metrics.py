import numpy as np
import pytest
from scipy import stats

from evalsuite.evaluate.metrics import pair_cosines, pearson, rankdata, solve_analogies, spearman, unit_rows


def test_rankdata_matches_scipy_with_ties(rng):
    x = rng.integers(0, 5, size=(7, 40)).astype(float)
    np.testing.assert_allclose(rankdata(x), stats.rankdata(x, axis=-1), rtol=0, atol=0)
    np.testing.assert_allclose(rankdata(x[0]), stats.rankdata(x[0]))


@pytest.mark.parametrize("ties", [False, True])
def test_spearman_pearson_match_scipy(rng, ties):
    x = rng.normal(size=200)
    y = x + rng.normal(size=200)
    if ties:
        x, y = np.round(x), np.round(y * 2) / 2
    assert spearman(x, y) == pytest.approx(stats.spearmanr(x, y)[0], abs=1e-12)
    assert pearson(x, y) == pytest.approx(stats.pearsonr(x, y)[0], abs=1e-12)


def test_batched_correlations_score_each_row(rng):
    x = rng.integers(0, 6, size=(5, 30)).astype(float)
    y = rng.integers(0, 6, size=(5, 30)).astype(float)
    for i in range(5):
        assert spearman(x, y)[i] == pytest.approx(stats.spearmanr(x[i], y[i])[0], abs=1e-12)
        assert pearson(x, y)[i] == pytest.approx(stats.pearsonr(x[i], y[i])[0], abs=1e-12)


def test_constant_input_gives_nan():
    assert np.isnan(pearson([1.0, 1.0, 1.0], [1.0, 2.0, 3.0]))
    assert np.isnan(spearman([1.0, 2.0, 3.0], [5.0, 5.0, 5.0]))


def test_pair_cosines_by_hand():
    v = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.0, 0.0]])
    got = pair_cosines(v, np.array([0, 0, 1, 3]), np.array([1, 2, 2, 0]))
    np.testing.assert_allclose(got, [1 / np.sqrt(2), 0.0, 1 / np.sqrt(2), 0.0])


def _unit(*rows):
    return unit_rows(np.array(rows, dtype=np.float64)).astype(np.float32)


def test_3cosadd_and_3cosmul_by_hand():
    # a=(1,0) b=(0,1) c=(1,1)/sqrt2; candidates x3=(-1,1)/sqrt2, x4=(-1,0), x5=(0.6,0.8)
    V = _unit([1, 0], [0, 1], [1, 1], [-1, 1], [-1, 0], [0.6, 0.8])
    a, b, c = np.array([0]), np.array([1]), np.array([2])
    sol = solve_analogies(V, a, b, c, chunk_size=1)
    # 3CosAdd: cos(x,b)-cos(x,a)+cos(x,c): x3: .7071+.7071+0 = 1.4142; x4: 0+1-.7071=.2929; x5: .8-.6+.9899=1.1899
    assert sol["3cosadd"].best[0] == 3
    assert sol["3cosadd"].score[0] == pytest.approx(np.sqrt(2), abs=1e-6)
    assert sol["3cosadd"].margin[0] == pytest.approx(np.sqrt(2) - (0.2 + 1.4 / np.sqrt(2)), abs=1e-6)
    # 3CosMul with s=(cos+1)/2: x4=(-1,0) is opposite a, so s(x4,a)=0 and the eps denominator
    # makes it win: s(x4,b)*s(x4,c)/(0+eps) = .5*.1464/.001 = 73.2; x3: .8536*.5/(.1464+.001) = 2.896
    s = lambda cos: (cos + 1) / 2
    x4 = s(0.0) * s(-1 / np.sqrt(2)) / (s(-1.0) + 1e-3)
    assert sol["3cosmul"].best[0] == 4
    assert sol["3cosmul"].score[0] == pytest.approx(x4, rel=1e-4)
    x3 = s(1 / np.sqrt(2)) * s(0.0) / (s(-1 / np.sqrt(2)) + 1e-3)
    assert sol["3cosmul"].margin[0] == pytest.approx(x4 - x3, rel=1e-4)


def test_3cosmul_can_disagree_with_3cosadd():
    # candidate 3 wins 3CosAdd by a huge cos(x, b) but is far from c; candidate 4 is balanced
    V = _unit([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, -0.2], [0.05, 0.6, 0.6])
    sol = solve_analogies(V, np.array([0]), np.array([1]), np.array([2]))
    add = [V[x] @ V[1] - V[x] @ V[0] + V[x] @ V[2] for x in (3, 4)]
    s = lambda x, y: (float(V[x] @ V[y]) + 1) / 2
    mul = [s(x, 1) * s(x, 2) / (s(x, 0) + 1e-3) for x in (3, 4)]
    assert sol["3cosadd"].best[0] == 3 + int(np.argmax(add))
    assert sol["3cosmul"].best[0] == 3 + int(np.argmax(mul))


def test_question_words_are_excluded_and_chunks_agree(rng):
    V = unit_rows(rng.normal(size=(300, 16))).astype(np.float32)
    a, b, c = (rng.integers(0, 300, 50) for _ in range(3))
    whole = solve_analogies(V, a, b, c, chunk_size=1000)
    parts = solve_analogies(V, a, b, c, chunk_size=7)
    add_only = solve_analogies(V, a, b, c, methods=("3cosadd",), chunk_size=3)
    reordered = solve_analogies(V, a, b, c, methods=("3cosmul", "3cosadd"), chunk_size=20)
    for m in ("3cosadd", "3cosmul"):
        np.testing.assert_array_equal(whole[m].best, parts[m].best)
        np.testing.assert_array_equal(whole[m].best, reordered[m].best)
        assert not np.any((whole[m].best == a) | (whole[m].best == b) | (whole[m].best == c))
    np.testing.assert_array_equal(whole["3cosadd"].best, add_only["3cosadd"].best)
    # brute force reference
    for i in range(50):
        s = V @ (V[b[i]] - V[a[i]] + V[c[i]])
        s[[a[i], b[i], c[i]]] = -np.inf
        assert whole["3cosadd"].best[i] == int(np.argmax(s))


def test_unknown_method_raises():
    with pytest.raises(ValueError):
        solve_analogies(np.eye(3, dtype=np.float32), [0], [1], [2], methods=("3cosfoo",))


@pytest.mark.parametrize("native", [False, True])
def test_one_product_for_all_blocks_equals_a_product_per_block(rng, monkeypatch, native):
    # 40 distinct question words; blocks of 30 questions get a 90-row buffer, which holds
    # one 40-row plane per method, so every block reads the same product
    import evalsuite.evaluate.metrics as metrics

    V = unit_rows(rng.normal(size=(400, 12))).astype(np.float32)
    words = rng.choice(400, size=40, replace=False)
    a, b, c = (rng.choice(words, size=90) for _ in range(3))
    calls = []
    real = metrics._shared_planes
    monkeypatch.setattr(metrics, "_shared_planes", lambda *args: calls.append(r := real(*args)) or r)
    shared = solve_analogies(V, a, b, c, chunk_size=30, native=native)
    add_only = solve_analogies(V, a, b, c, methods=("3cosadd",), chunk_size=30, native=native)
    mul_only = solve_analogies(V, a, b, c, methods=("3cosmul",), chunk_size=30, native=native)
    assert [r is not None for r in calls] == [True, True, True]
    monkeypatch.setattr(metrics, "_shared_planes", lambda *args: None)
    per_block = solve_analogies(V, a, b, c, chunk_size=30, native=native)
    for method, alone in (("3cosadd", add_only), ("3cosmul", mul_only)):
        for field in ("best", "score", "margin"):
            # the 3CosMul plane is derived from the 3CosAdd one without changing it
            np.testing.assert_array_equal(getattr(shared[method], field), getattr(alone[method], field))
        np.testing.assert_array_equal(shared[method].best, per_block[method].best)
        np.testing.assert_allclose(shared[method].score, per_block[method].score, atol=1e-6)
