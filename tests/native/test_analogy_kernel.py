"""The compiled analogy kernel gives numpy's answers, scores and margins bit for bit."""

import numpy as np
import pytest

from evalsuite import native
from evalsuite.evaluate.metrics import solve_analogies
from evalsuite.native import NativeKernelError


def unit_rows(rng, m, d):
    v = rng.normal(size=(m, d)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def both(vectors, a, b, c, **kw):
    methods = ("3cosadd", "3cosmul")
    return (solve_analogies(vectors, a, b, c, methods=methods, native=True, **kw),
            solve_analogies(vectors, a, b, c, methods=methods, native=False, **kw))


def assert_same(fast, slow):
    for method in slow:
        for field in ("best", "score", "margin"):
            np.testing.assert_array_equal(getattr(fast[method], field), getattr(slow[method], field),
                                          err_msg=f"{method} {field}")


def test_same_answers_as_numpy_on_random_questions():
    rng = np.random.default_rng(0)
    vectors = unit_rows(rng, 500, 16)
    a, b, c = (rng.integers(0, 500, size=300) for _ in range(3))
    fast, slow = both(vectors, a, b, c, chunk_size=64)
    assert_same(fast, slow)
    assert (fast["3cosadd"].best >= 0).all()


def test_exclusions_ties_and_fully_excluded_questions():
    rng = np.random.default_rng(1)
    vectors = unit_rows(rng, 6, 4)
    vectors[5] = vectors[4]  # a tie: the first of the two wins, margin 0
    a, b, c = np.array([0, 0, 1]), np.array([1, 1, 2]), np.array([2, 2, 3])
    exclude = np.array([[0, 1, 2, -1, -1, -1], [0, 1, 2, 3, 4, 5], [1, 2, 3, 0, -1, -1]])
    fast, slow = both(vectors, a, b, c, exclude=exclude)
    assert_same(fast, slow)
    assert fast["3cosadd"].best[1] == -1 and fast["3cosadd"].score[1] == -np.inf
    assert fast["3cosadd"].margin[1] == np.inf


def test_tie_goes_to_the_first_candidate():
    vectors = np.eye(4, dtype=np.float32)[[0, 1, 2, 3, 3]]
    # a=0, b=1, c=2: candidates 3 and 4 are the same vector
    fast, slow = both(vectors, np.array([0]), np.array([1]), np.array([2]))
    assert_same(fast, slow)
    assert fast["3cosadd"].best[0] == 3 and fast["3cosadd"].margin[0] == 0


def test_float64_vectors_are_refused_by_the_kernel():
    with pytest.raises(ValueError, match="float32"):
        solve_analogies(np.eye(4), [0], [1], [2], native=True)


def test_without_a_compiler_numpy_answers(monkeypatch):
    rng = np.random.default_rng(2)
    vectors = unit_rows(rng, 50, 8)
    a, b, c = (rng.integers(0, 50, size=20) for _ in range(3))
    expected = solve_analogies(vectors, a, b, c, native=False)
    monkeypatch.setattr(native, "_loaded", {})
    monkeypatch.setattr(native, "_compiler", lambda: None)
    assert_same(solve_analogies(vectors, a, b, c), expected)
    with pytest.raises(NativeKernelError, match="no C compiler"):
        solve_analogies(vectors, a, b, c, native=True)


def test_ties_and_runner_up_across_tiles(monkeypatch):
    import evalsuite.native.analogy as kernel

    monkeypatch.setattr(kernel, "_TILE_BYTES", 16 * 4 * 3)  # three sims rows -> tiles of 16 candidates
    rng = np.random.default_rng(3)
    vectors = unit_rows(rng, 100, 8)
    # b = 1 and c = 2 point the same way, as do 5 and 40 (in different tiles): those two tie as the
    # best answer to 0 : 1 :: 2 : ?, with score 2 - cos(a, b)
    vectors[2] = vectors[5] = vectors[40] = vectors[1]
    a, b, c = np.array([0, 3]), np.array([1, 4]), np.array([2, 6])
    fast, slow = both(vectors, a, b, c)
    assert_same(fast, slow)
    assert fast["3cosadd"].best[0] == 5 and fast["3cosadd"].margin[0] == 0
