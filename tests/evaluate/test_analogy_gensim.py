"""Near ties under the ``gensim`` protocol: settled by exact scores, or redone as gensim does."""

import numpy as np
import pytest

from evalsuite.data.datasets.parsers import parse_analogy
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.evaluate.analogy import AnalogyTask
from evalsuite.evaluate import analogy_gensim
from evalsuite.evaluate.analogy_gensim import settle_near_ties

from analogy_vectors import GOOGLE, as_embeddings, structured_vectors

NO_EXCLUSION = np.full((1, 1), -1)


def settle(rows, exclude=NO_EXCLUSION, mean=(1.0, 0.0)):
    """settle_near_ties for one question over candidate rows (raw vectors, in 2-d)."""
    matrix = np.array(rows, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1)
    vectors = (matrix / norms[:, None]).astype(np.float32)
    means = np.array([mean], dtype=np.float32)
    return int(settle_near_ties(vectors, matrix, norms, np.arange(len(rows)), means, np.asarray(exclude))[0])


def test_a_clear_exact_winner_is_settled():
    # exact scores 1, 0.999 and 0: far beyond float32 rounding
    assert settle([[1, 0], [0.999, np.sqrt(1 - 0.999**2)], [0, 1]]) == 0
    assert settle([[0, 1], [0.999, np.sqrt(1 - 0.999**2)], [2, 0]]) == 2  # raw length does not matter


def test_ties_within_gensim_rounding_are_left_to_gensim():
    # an exact copy: only gensim's own arithmetic (and sort) decides
    assert settle([[1, 0], [1, 0], [0, 1]]) == -1
    # scores 1 and 1 / sqrt(1 + y^2) = 1 - 2e-7: closer than two float32 roundings
    # of a 2-term dot product (about 1.8e-7 each)
    assert settle([[1, 0], [1, np.sqrt(4e-7)]]) == -1


def test_excluded_candidates_never_win():
    rows = [[1, 0], [0.999, np.sqrt(1 - 0.999**2)], [0, 1]]
    assert settle(rows, exclude=[[0, -1]]) == 1
    assert settle(rows, exclude=[[0, 1]]) == 2
    assert settle(rows, exclude=[[0, 1, 2]]) == -1


def twin_vectors(seed=3):
    """Structured vectors plus a twin of each of 300 expected answers, at distances
    from 0 (an exact copy) up to 1e-3 of its length: near ties on purpose."""
    kv = structured_vectors(n_filler=300, dim=24)
    rng = np.random.default_rng(seed)
    targets = list(dict.fromkeys(q.d for q in parse_analogy(GOOGLE).questions))[:300]
    twins = []
    for i, w in enumerate(targets):
        v = kv[w].astype(np.float64)
        scale = 0.0 if i % 10 == 0 else 10.0 ** rng.uniform(-8, -3)
        twins.append(v + scale * np.linalg.norm(v) * rng.normal(size=v.shape) / np.sqrt(len(v)))
    kv.add_vectors([f"twin{i}" for i in range(len(targets))], np.array(twins, dtype=np.float32))
    return kv


@pytest.mark.parametrize("block", [None, 7])
def test_near_ties_match_gensim(questions, block, monkeypatch):
    if block:  # near ties settled a few at a time
        monkeypatch.setattr(analogy_gensim, "_SETTLE_BLOCK", block)
    kv = twin_vectors()
    task = AnalogyTask(parse_analogy(questions))
    ours = task.evaluate(as_embeddings(kv), get_protocol("gensim").replace(bootstrap_samples=0))
    counts = task.last_gensim_fixups
    # both ways of resolving a near tie were exercised
    assert counts["settled"] > 20 and counts["redone"] > 5, counts
    _, sections = kv.evaluate_word_analogies(questions, restrict_vocab=300_000)
    total = sections.pop()
    for s in sections:
        assert ours.details["sections"][s["section"]]["correct"] == len(s["correct"]), s["section"]
    assert ours.main_score == pytest.approx(len(total["correct"]) / ours.n_scored, abs=1e-12)
