"""The verdict at every grid point and the settings table."""

import numpy as np

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.compare import analyze
from evalsuite.analysis.sensitivity import grid_pairs, sensitivity
from evalsuite.analysis.settings import settings_table
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.evaluate.metrics import spearman

N = 200


def sim(task, emb, gold, pred):
    rho = float(spearman(np.asarray(gold), np.asarray(pred)))
    return TaskResult(task=task, kind="similarity", embedding=emb, main_score=rho, scores={"spearman": rho},
                      n_items=N, n_scored=N, main_score_name="spearman",
                      items={"gold": list(gold), "predicted": list(pred)}, key=ResultKey(emb, 0))


def record(name, family, trainer, sweep, **params):
    return {"name": name, "group": name, "family": family, "trainer": trainer, "sweep": sweep,
            "resolved_params": {**sweep, **params}}


def grid_run(rng):
    """Window 2 and 5 for both families: Word2Vec far better at window 2 on both tasks, equal at 5."""
    records, results = [], []
    for w in (2, 5):
        sg, gl = f"sg[window={w}]", f"gl[window={w}]"
        records += [record(sg, "word2vec", "torch-sgns", {"window": w}, vector_size=10, learning_rate=0.025),
                    record(gl, "glove", "torch-glove", {"window": w}, vector_size=10, learning_rate=0.05)]
        for task in ("a", "b"):
            gold = rng.normal(size=N)
            shared = gold + rng.normal(scale=2.0, size=N)
            good = gold + rng.normal(scale=0.3, size=N)
            results += [sim(task, sg, gold, good if w == 2 else shared), sim(task, gl, gold, shared)]
    return RunResult(run_id="g", name="g", task_results=tuple(results), embeddings=tuple(records),
                     config={"compare": {"grid": True, "differences": {"learning_rate": "optimisers differ"}}})


def test_grid_points_pair_the_families_by_their_swept_values(rng):
    run = grid_run(rng)
    assert grid_pairs(run) == [((("window", 2),), "sg[window=2]", "gl[window=2]"),
                               ((("window", 5),), "sg[window=5]", "gl[window=5]")]
    sens = sensitivity(run, seed_groups(run))
    two, five = sens.points
    assert two.label == "window=2" and two.verdict.winner == "Word2Vec" and two.ahead == "Word2Vec"
    assert (two.verdict.wins_a, two.verdict.ties) == (2, 0)
    # identical predictions at window 5: no difference, nobody ahead
    assert five.verdict.winner is None and five.ahead is None and five.verdict.ties == 2
    assert (sens.ahead_a, sens.significant_a, sens.ahead_b, sens.significant_b) == (1, 1, 0, 0)
    assert sens.summary.startswith("Word2Vec ahead in 1 of 2 settings, significantly in 1; GloVe ahead in 0, "
                                   "significantly in 0")


def test_analyze_adds_grid_and_settings_only_when_asked(rng):
    run = grid_run(rng)
    an = analyze(run)
    assert an.sensitivity is not None and len(an.sensitivity.points) == 2
    rows = {r.param: r for r in an.settings.rows}
    # window is swept: never flagged; the learning rate differs across families and is declared
    assert rows["window"].swept and not rows["window"].differs
    assert rows["learning_rate"].differs and rows["learning_rate"].declared == "optimisers differ"
    assert an.settings.undeclared == ()
    plain = RunResult(run_id="p", name="p", task_results=run.task_results, embeddings=run.embeddings)
    assert analyze(plain).sensitivity is None and analyze(plain).settings.undeclared == ("learning_rate",)


def test_settings_table_highlights_the_odd_value_within_and_across_families():
    records = [record(n, "word2vec", t, {}, vector_size=100, learning_rate=lr, negative=5)
               for n, t, lr in (("gensim-cbow", "gensim-word2vec", 0.025), ("torch-sgns", "torch-sgns", 0.025),
                                ("torch-cbow", "torch-cbow", 0.05))]
    records.append(record("torch-glove", "glove", "torch-glove", {}, vector_size=100, learning_rate=0.025,
                          x_max=100.0))
    table = settings_table(RunResult(run_id="s", name="s", task_results=(), embeddings=tuple(records)))
    rows = {r.param: r for r in table.rows}
    assert table.embeddings == ("gensim-cbow", "torch-sgns", "torch-cbow", "torch-glove")
    assert rows["learning_rate"].highlighted == (False, False, True, False)
    assert not rows["vector_size"].differs and not rows["negative"].differs
    assert rows["x_max"].values == (None, None, None, 100.0) and not rows["x_max"].matched
    assert [r.param for r in table.rows][:3] == ["vector_size", "negative", "learning_rate"]
    assert table.undeclared == ("learning_rate",)
