"""The family verdict: representatives fixed before the test, the winner rule, left-out scores."""

import numpy as np
import pytest

from evalsuite.analysis.paired import paired_test
from evalsuite.analysis.selection import dev_split
from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.verdict import verdicts
from evalsuite.core.runspecs import CompareSpec
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.evaluate.metrics import spearman

N = 400
TASKS = ("t1", "t2", "t3")


def sim(task, emb, gold, pred, *, sufficient=True):
    pred = list(pred)
    ok = [i for i, p in enumerate(pred) if p is not None]
    rho = float(spearman(np.asarray([gold[i] for i in ok]), np.asarray([pred[i] for i in ok])))
    details = {} if sufficient else {"sufficient": False, "insufficient": "3 of 65 pairs scored (fewer than 20 pairs)"}
    return TaskResult(task=task, kind="similarity", embedding=emb, main_score=rho, scores={"spearman": rho},
                      n_items=len(gold), n_scored=len(ok), main_score_name="spearman",
                      items={"gold": list(gold), "predicted": pred}, details=details, key=ResultKey(emb, 0))


def run_of(results, families, config=None):
    return RunResult(run_id="r", name="r", task_results=tuple(results), config=config or {},
                     embeddings=tuple({"name": e, "group": e, "family": f} for e, f in families.items()))


FAMILIES = {"w1": "word2vec", "w2": "word2vec", "w3": "word2vec", "lucky": "word2vec", "glove": "glove"}


@pytest.fixture
def lucky_world():
    """Four Word2Vec embeddings and one GloVe, all of the same quality on every task's dev part.

    "lucky" is excellent on the held-out half of each dataset's seeded split and poor on the dev
    half: on the whole test set it is the best of the four, by a margin a paired test calls
    significant, though nothing about it is better on new items drawn like the dev ones.
    """
    rng = np.random.default_rng(5)
    results = []
    for task in TASKS:
        gold = rng.normal(size=N)
        dev, held = dev_split(N, 0.5, 0, task)
        glove = gold + rng.normal(scale=1.5, size=N)
        results.append(sim(task, "glove", gold, glove))
        for name in ("w1", "w2", "w3"):
            results.append(sim(task, name, gold, gold + rng.normal(scale=1.5, size=N)))
        lucky = np.where(held, gold + rng.normal(scale=0.05, size=N), gold + rng.normal(scale=1.7, size=N))
        results.append(sim(task, "lucky", gold, lucky))
    return results


def test_best_of_four_on_the_test_set_would_name_word2vec_but_the_verdict_does_not(lucky_world):
    run = run_of(lucky_world, FAMILIES)
    groups = seed_groups(run)
    # the old rule: the best Word2Vec embedding by its test score, tested on the same items
    for task in TASKS:
        by_name = {g.embedding: g for g in groups if g.task == task}
        best = max((by_name[n] for n in ("w1", "w2", "w3", "lucky")), key=lambda g: g.mean)
        assert best.embedding == "lucky"
        res, sa, sb = paired_test(best, by_name["glove"])
        assert sa > sb and res.p_value * len(TASKS) < 0.05  # significant even after Bonferroni: it would flip
    # chosen on the dev half, tested on the held-out half: no winner
    (v,) = verdicts(run)
    assert v.winner is None and v.wins_a == 0 and v.ties == len(TASKS)
    assert all(c.a in ("w1", "w2", "w3") and c.n == N // 2 for c in v.comparisons)
    assert "seeded dev split (50% of the items, split seed 0)" in v.selection
    # named in the config: the named one, on every item, and again no winner
    named = run_of(lucky_world, FAMILIES, {"compare": {"word2vec": "w2", "glove": "glove"}})
    (v,) = verdicts(named)
    assert v.winner is None and {c.a for c in v.comparisons} == {"w2"} and all(c.n == N for c in v.comparisons)
    assert "named in the config" in v.selection and "Word2Vec = w2" in v.selection


def _pair_world(rng, n_tasks, better_on):
    """Word2Vec much better than GloVe on the tasks in ``better_on``, identical on the others."""
    results = []
    for k in range(n_tasks):
        gold = rng.normal(size=N)
        good = gold + rng.normal(scale=0.3, size=N)
        bad = gold + rng.normal(scale=3.0, size=N)
        results.append(sim(f"t{k}", "w", gold, good if k in better_on else bad))
        results.append(sim(f"t{k}", "g", gold, bad))
    return run_of(results, {"w": "word2vec", "g": "glove"})


def test_one_significant_task_of_five_names_no_winner_and_says_which(rng):
    (v,) = verdicts(_pair_world(rng, 5, better_on={0}))
    assert (v.wins_a, v.wins_b, v.ties) == (1, 0, 4) and v.winner is None
    assert v.summary.startswith("No winner on similarity: a winner needs significant wins on more than half")
    assert "Word2Vec 1 (t0), GloVe 0 of 5 task(s); 4 tie(s)" in v.summary


def test_significant_wins_on_most_tasks_and_none_against_name_the_winner(rng):
    (v,) = verdicts(_pair_world(rng, 5, better_on={0, 1, 2}))
    assert (v.wins_a, v.wins_b, v.ties) == (3, 0, 2) and v.winner == "Word2Vec"
    assert v.summary.startswith("**Word2Vec** is better on similarity.")
    assert v.median_diff > 0 and "Median difference Word2Vec − GloVe: +" in v.summary
    # the sentence is said once: no second, lower-case repetition of the outcome
    assert v.summary.lower().count("better on similarity") == 1


def test_insufficient_scores_are_left_out_and_named(rng):
    run = _pair_world(rng, 2, better_on={0, 1})
    gold = list(rng.normal(size=N))
    weak = [sim("rg65", "w", gold, gold, sufficient=False), sim("rg65", "g", gold, gold)]
    run = run_of(list(run.task_results) + weak, {"w": "word2vec", "g": "glove"})
    (v,) = verdicts(run)
    assert [c.task for c in v.comparisons] == ["t0", "t1"] and v.winner == "Word2Vec"
    assert v.excluded == ("rg65 (w: 3 of 65 pairs scored (fewer than 20 pairs))",)
    assert "Left out (too little evidence or no result): rg65" in v.summary


def test_overall_verdict_corrects_across_every_task(rng):
    run = _pair_world(rng, 2, better_on={0, 1})
    correct = rng.random(200) < 0.5
    ana = [TaskResult(task="google", kind="analogy", embedding=e, main_score=float(correct.mean()), scores={},
                      n_items=200, n_scored=200, main_score_name="accuracy",
                      items={"predicted": ["x"] * 200, "correct": [bool(c) for c in correct]}, key=ResultKey(e, 0))
           for e in ("w", "g")]
    run = run_of(list(run.task_results) + ana, {"w": "word2vec", "g": "glove"})
    vs = {v.kind: v for v in verdicts(run)}
    assert list(vs) == ["overall", "similarity", "analogy"]
    overall = vs["overall"]
    assert (overall.wins_a, overall.wins_b, overall.ties) == (2, 0, 1) and overall.winner == "Word2Vec"
    # Holm over three p-values: the smallest is multiplied by 3, not by 2 as within similarity
    by_task = {c.task: c for c in overall.comparisons}
    sim_only = {c.task: c for c in vs["similarity"].comparisons}
    p = sorted(c.p_value for c in overall.comparisons)[0]
    smallest = next(t for t, c in by_task.items() if c.p_value == p)
    assert by_task[smallest].p_adjusted == pytest.approx(min(1.0, 3 * p))
    assert sim_only[smallest].p_adjusted == pytest.approx(min(1.0, 2 * p))


def test_settings_from_a_compare_table():
    s = CompareSpec.from_table({"word2vec": "a", "glove": "b", "differences": {"epochs": "why"}})
    assert s.select == "named" and s.representatives == {"word2vec": "a", "glove": "b"}
    assert s.differences == {"epochs": "why"} and not s.grid
    d = CompareSpec.from_table(None)
    assert d.select == "dev" and d.dev_fraction == 0.5 and d.split_seed == 0


def test_dev_split_is_seeded_per_task_and_disjoint():
    dev, held = dev_split(10, 0.3, 0, "ws353")
    assert dev.sum() == 3 and held.sum() == 7 and not (dev & held).any()
    assert (dev_split(10, 0.3, 0, "ws353")[0] == dev).all()
    assert any((dev_split(10, 0.3, 0, name)[0] != dev).any() for name in ("men", "rw", "simlex999"))


def test_pretrained_vectors_are_no_candidate_unless_named(rng):
    """A pretrained GloVe (another corpus) that beats both corpus-trained embeddings on every task."""
    results = []
    for task in TASKS[:1]:
        gold = rng.normal(size=N)
        results += [sim(task, "w", gold, gold + rng.normal(scale=1.0, size=N)),
                    sim(task, "g", gold, gold + rng.normal(scale=1.0, size=N)),
                    sim(task, "glove-6b", gold, gold + rng.normal(scale=0.1, size=N))]
    records = ({"name": "w", "group": "w", "family": "word2vec", "source": "trained"},
               {"name": "g", "group": "g", "family": "glove", "source": "trained"},
               {"name": "glove-6b", "group": "glove-6b", "family": "glove", "source": "pretrained"})
    run = RunResult(run_id="r", name="r", task_results=tuple(results), config={}, embeddings=records)
    (v,) = verdicts(run)
    # without the pretrained vectors there is one embedding per family: nothing chosen, g compared
    assert {c.b for c in v.comparisons} == {"g"} and v.winner is None
    assert "Pretrained vectors (glove-6b) are not candidates" in v.selection
    # named in [compare], the pretrained vectors are compared as asked
    named = RunResult(run_id="r", name="r", task_results=tuple(results), embeddings=records,
                      config={"compare": {"word2vec": "w", "glove": "glove-6b"}})
    (v,) = verdicts(named)
    assert {c.b for c in v.comparisons} == {"glove-6b"} and v.winner == "GloVe"
    assert "not candidates" not in v.selection


def _cls(emb, correct, seed=0):
    ids = [f"d{i}" for i in range(len(correct))]
    acc = float(np.mean(correct))
    return TaskResult(task="mr/cnn/finetuned", kind="classification", embedding=emb, main_score=acc,
                      scores={"test_accuracy": acc}, n_items=len(correct), n_scored=len(correct),
                      main_score_name="test_accuracy", items={"id": ids, "correct": list(correct)},
                      key=ResultKey(emb, seed))


def test_fine_tuning_is_tested_on_the_test_documents_with_one_seed():
    from scipy.stats import binomtest

    # 100 documents: w right on all, g wrong on the first 12, right on the rest
    w = [True] * 100
    g = [i >= 12 for i in range(100)]
    (v,) = verdicts(run_of([_cls("w", w), _cls("g", g)], {"w": "word2vec", "g": "glove"}))
    (c,) = v.comparisons
    assert c.test.startswith("McNemar") and c.n == 100 and c.diff == pytest.approx(0.12)
    assert c.p_value == pytest.approx(binomtest(12, 12, 0.5).pvalue)  # 12 discordant pairs, all one way
    # without per-document predictions one seed cannot be tested, and the verdict says why
    bare = [TaskResult(task=r.task, kind=r.kind, embedding=r.embedding, main_score=r.main_score,
                       scores=r.scores, n_items=r.n_items, n_scored=r.n_scored, main_score_name=r.main_score_name,
                       key=r.key) for r in (_cls("w", w), _cls("g", g))]
    (v,) = verdicts(run_of(bare, {"w": "word2vec", "g": "glove"}))
    assert v.comparisons[0].p_value is None and "tested across seeds, which needs two" in v.summary
