import numpy as np
import pytest

from evalsuite.analysis.compare import compare_runs, pair_verdicts, verdicts
from evalsuite.analysis.types import Analysis, RunPair
from evalsuite.core.results import ResultKey, RunResult, TaskResult, Variant


def sim(emb, group, family, gold, pred, seed=0):
    from scipy.stats import spearmanr

    ok = [i for i, p in enumerate(pred) if p is not None]
    rho = spearmanr([gold[i] for i in ok], [pred[i] for i in ok])[0]
    return TaskResult(task="sim", kind="similarity", embedding=emb, main_score=float(rho), scores={"spearman": rho},
                      n_items=len(gold), n_scored=len(ok), ci95=(rho - 0.05, rho + 0.05), main_score_name="spearman",
                      items={"word1": ["x"] * len(gold), "word2": ["y"] * len(gold), "gold": list(gold),
                             "predicted": list(pred)},
                      provenance={"seed": seed}, key=ResultKey(group, seed))


def ana(emb, group, correct, seed=0):
    return TaskResult(task="google", kind="analogy", embedding=emb, main_score=float(np.mean(correct)),
                      scores={}, n_items=len(correct), n_scored=len(correct), main_score_name="accuracy",
                      items={"predicted": ["p"] * len(correct), "correct": [bool(c) for c in correct]},
                      provenance={"seed": seed}, key=ResultKey(group, seed))


def make_run(results, fams, run_id="r"):
    return RunResult(run_id=run_id, name="n", task_results=tuple(results),
                     embeddings=tuple({"name": g, "group": g, "family": f} for g, f in fams.items()))


@pytest.fixture
def world(rng):
    gold = rng.normal(size=150)
    good = gold + rng.normal(scale=0.3, size=150)
    bad = gold + rng.normal(scale=3.0, size=150)
    return gold, good, bad


def test_verdict_names_winner_when_significant(world, rng):
    gold, good, bad = world
    a_corr = rng.random(400) < 0.7
    b_corr = a_corr.copy()
    run = make_run([sim("w2v", "w2v", "word2vec", gold, bad), sim("glove", "glove", "glove", gold, good),
                    ana("w2v", "w2v", a_corr), ana("glove", "glove", b_corr)],
                   {"w2v": "word2vec", "glove": "glove"})
    vs = {v.kind: v for v in verdicts(run)}
    assert vs["similarity"].winner == "GloVe"
    (c,) = vs["similarity"].comparisons
    assert c.significant and c.diff < 0 and c.a == "w2v" and c.b == "glove"
    assert vs["analogy"].winner is None and "no task shows a significant difference" in vs["analogy"].summary
    assert vs["analogy"].comparisons[0].p_value == 1.0


def test_verdict_picks_best_of_family(world):
    gold, good, bad = world
    run = make_run([sim("sg", "sg", "word2vec", gold, bad), sim("cbow", "cbow", "word2vec", gold, good),
                    sim("glove", "glove", "glove", gold, good)],
                   {"sg": "word2vec", "cbow": "word2vec", "glove": "glove"})
    (v,) = verdicts(run)
    assert v.comparisons[0].a == "cbow" and v.winner is None  # identical predictions
    assert v.comparisons[0].diff == 0


def test_verdict_uses_shared_covered_items_only(world):
    gold, good, bad = world
    pa = list(good)
    pa[:20] = [None] * 20
    run = make_run([sim("w", "w", "word2vec", gold, pa), sim("g", "g", "glove", gold, bad)],
                   {"w": "word2vec", "g": "glove"})
    (v,) = verdicts(run)
    assert v.comparisons[0].n == 130


def test_compare_runs_and_holm(world):
    gold, good, bad = world
    a = make_run([sim("e", "e", "word2vec", gold, good)], {"e": "word2vec"}, "A")
    b = make_run([sim("e", "e", "word2vec", gold, bad)], {"e": "word2vec"}, "B")
    an = compare_runs(a, b)
    (c,) = an.comparisons
    assert c.diff > 0 and c.significant and c.p_adjusted == pytest.approx(c.p_value)
    assert an.baseline == "B"
    assert an.runs == RunPair(run="A", baseline_run="B", only_in_run=())
    assert an.to_dict()["extra"] == {"run": "A", "baseline_run": "B", "only_in_run": []}


def test_pair_verdicts_name_the_better_run_from_the_tests_of_compare_runs(world):
    gold, good, bad = world
    correct = [1] * 60 + [0] * 40
    a = make_run([sim("e", "e", "other", gold, good), ana("e", "e", correct)], {"e": "other"}, "run-a")
    b = make_run([sim("e", "e", "other", gold, bad), ana("e", "e", correct)], {"e": "other"}, "run-b")
    an = compare_runs(a, b)
    overall, similarity, analogy = pair_verdicts(a, an, ("new", "old"))
    assert [v.kind for v in (overall, similarity, analogy)] == ["overall", "similarity", "analogy"]
    assert (similarity.winner, similarity.wins_a, similarity.wins_b, similarity.ties) == ("new", 1, 0, 0)
    assert (analogy.winner, analogy.ties) == (None, 1)  # the same answers: no difference
    assert overall.winner is None and (overall.wins_a, overall.ties) == (1, 1)  # not more than half
    assert (similarity.a, similarity.b) == ("new", "old")
    assert similarity.summary.startswith("**new** is better on similarity. Significant wins (Holm-corrected "
                                         "across tasks, α = 0.05): new 1, old 0 of 1 task(s); 0 tie(s).")
    # the tests are those of compare_runs, Holm across both tasks, not corrected again per kind
    assert similarity.comparisons[0] is an.comparisons[0]
    assert pair_verdicts(a, compare_runs(a, a), ("x", "y"))[1].winner is None


def test_analysis_parts_are_typed_records():
    import typing

    from evalsuite.analysis.scoreboard import Scoreboard
    from evalsuite.analysis.sensitivity import Sensitivity

    hints = typing.get_type_hints(Analysis, localns={"Sensitivity": Sensitivity, "Scoreboard": Scoreboard})
    assert hints["sensitivity"] == Sensitivity | None and hints["scoreboard"] == Scoreboard | None
    assert hints["runs"] == RunPair | None
    pair = RunPair(run="A", baseline_run="B", only_in_run=(("e", "sim"),), mismatches=("corpus differs",))
    assert Analysis(runs=pair).to_dict()["extra"] == {"run": "A", "baseline_run": "B", "only_in_run": [["e", "sim"]],
                                                      "mismatches": ["corpus differs"]}
    assert Analysis(mode_effects=({"dataset": "mr"},)).to_dict()["extra"] == {"mode_effects": [{"dataset": "mr"}]}


def test_classification_welch_across_seeds():
    def cl(emb, group, acc, seed):
        return TaskResult(task="mr", kind="classification", embedding=emb, main_score=acc, scores={}, n_items=1,
                          n_scored=1, main_score_name="test_accuracy", details={"mode": "frozen", "model": "bag"},
                          provenance={"seed": seed}, key=ResultKey(group, seed, Variant("bag", "frozen")))

    res = [cl(f"w@seed{s}", "w", a, s) for s, a in enumerate([0.80, 0.81, 0.79])]
    res += [cl(f"g@seed{s}", "g", a, s) for s, a in enumerate([0.70, 0.71, 0.69])]
    (v,) = verdicts(make_run(res, {"w": "word2vec", "g": "glove"}))
    assert v.kind == "classification" and v.winner == "Word2Vec"
    from scipy.stats import ttest_ind

    assert v.comparisons[0].p_value == pytest.approx(ttest_ind([0.8, 0.81, 0.79], [0.7, 0.71, 0.69], equal_var=False).pvalue)
    assert v.comparisons[0].mode == "frozen"
