import numpy as np
import pytest

from evalsuite.analysis.compare import compare_runs, verdicts
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
