"""The scoreboard: ranks within each task, marks only where a corrected test says "below the best"."""

import numpy as np

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.scoreboard import scoreboard
from evalsuite.core.results import ResultKey, TaskResult, Variant
from evalsuite.evaluate.metrics import spearman

N = 200
GOLD = list(np.linspace(0.0, 10.0, N))


def sim(task, emb, pred, *, sufficient=True):
    rho = float(spearman(np.asarray(GOLD), np.asarray(pred)))
    details = {} if sufficient else {"sufficient": False, "insufficient": "3 of 65 pairs scored"}
    return TaskResult(task=task, kind="similarity", embedding=emb, main_score=rho, scores={"spearman": rho},
                      n_items=N, n_scored=N, main_score_name="spearman",
                      items={"gold": GOLD, "predicted": list(pred)}, details=details, key=ResultKey(emb, 0))


def tuned(emb, mode, wd, acc):
    params = {"weight_decay": wd}
    return TaskResult(task=f"mr/bag/{mode}" + (f"[weight_decay={wd:g}]" if wd else ""), kind="classification",
                      embedding=emb, main_score=acc, scores={"test_accuracy": acc}, n_items=100, n_scored=100,
                      main_score_name="test_accuracy", details={"dataset": "mr", "mode": mode, "model": "bag", "params": params},
                      key=ResultKey(emb, 0, Variant("bag", mode, params)))


def world():
    rng = np.random.default_rng(0)
    exact = np.asarray(GOLD)
    noisy = exact + rng.normal(0, 1.0, N)     # rho ~0.95
    junk = rng.permutation(exact)             # rho ~0
    return [
        sim("ws", "best", exact), sim("ws", "close", exact + rng.normal(0, 0.01, N)),
        sim("ws", "worse", junk), sim("ws", "weak", noisy, sufficient=False),
        *[tuned(e, "random", wd, acc) for e, acc in (("best", 0.80), ("close", 0.79), ("worse", 0.60),
                                                       ("weak", 0.70)) for wd in (0.0, 1e-3)],
    ]


def test_the_best_of_each_column_is_ranked_first_and_a_clearly_worse_score_is_marked():
    board = scoreboard(seed_groups(world()))
    assert board.embeddings == ("best", "close", "worse", "weak")
    ws = board.columns[0]
    assert (ws.task, ws.kind, ws.test) == ("ws", "similarity", "paired bootstrap")
    best, close, worse, weak = ws.cells
    assert best.rank == 1 and best.p_adjusted is None and not best.below_best
    assert close.rank == 2 and not close.below_best       # a tie with the best: ranked, not marked
    assert worse.rank == 3 and worse.below_best and worse.p_adjusted < 0.05
    # too little evidence: shown, neither ranked nor tested
    assert weak.rank is None and not weak.sufficient and not weak.below_best and weak.p_adjusted is None


def test_a_fine_tuning_column_is_the_sweeps_base_and_one_seed_is_never_marked():
    board = scoreboard(seed_groups(world()))
    (tuned_col,) = [c for c in board.columns if c.kind == "classification"]
    # one classifier in the run: the label leaves it out (the legend names the setup)
    assert tuned_col.label == "mr random" and tuned_col.task == "mr/bag/random"  # weight_decay=0
    assert board.base_settings == (("mr/bag/random", (("weight_decay", 0.0),)),)
    assert [c.rank for c in tuned_col.cells] == [1, 2, 4, 3]
    assert [round(c.score, 2) for c in tuned_col.cells] == [0.80, 0.79, 0.60, 0.70]
    # with one seed the across-seed test has no variance to work with: nothing is called significant
    assert not any(c.below_best for c in tuned_col.cells)


def test_nothing_to_show_gives_no_scoreboard():
    assert scoreboard([]) is None
