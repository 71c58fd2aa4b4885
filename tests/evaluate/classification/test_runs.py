"""Running a fine-tuning sweep in one call: every embedding, setting and seed; worker processes."""

import numpy as np
import pytest

from evalsuite import Embeddings
from evalsuite.evaluate.classification import prepare_sweep, run_finetune


def _csv(tmp_path):
    rng = np.random.default_rng(0)
    lines = ["text,label"]
    for i in range(120):
        y = i % 2
        lines.append(" ".join(list(rng.choice(["a", "b", "c", "d"], 4)) + ["good" if y else "bad"]) + f",{y}")
    p = tmp_path / "toy.csv"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_run_finetune_on_user_csv(tmp_path):
    emb = Embeddings(("good", "bad", "a"), np.array([[1.0, 0], [-1.0, 0], [0, 1.0]]), name="toy",
                     meta={"corpus": str(_csv(tmp_path))})
    res = run_finetune([emb], {"datasets": str(tmp_path / "toy.csv"), "modes": ["frozen", "finetuned"],
                               "dropout": [0.0, 0.5], "epochs": 1, "folds": 2}, seeds=[0, 1])
    # bag's frozen mode is the probe, which has no dropout to sweep: (1 + 2) runs x 2 seeds
    assert len(res) == (1 + 2) * 2
    assert {x.details["mode"] for x in res} == {"probe", "finetuned"}
    r = res[0]
    assert r.kind == "classification" and r.main_score_name == "test_accuracy"
    assert r.n_items == 120 and sorted(r.items["id"]) == sorted(f"toy:{i}" for i in range(120))
    assert r.main_score == pytest.approx(np.mean(r.items["correct"]))
    assert r.ci95[0] <= r.main_score <= r.ci95[1]
    for key in ("dataset", "model", "mode", "params", "seed", "best_epoch", "curves", "overfit", "drift", "leak"):
        assert key in r.details
    assert r.details["leak"] and "toy" in r.details["leak"]
    # the random vectors' bound matches the pretrained variance: the entries (1, 0, -1, 0, 0, 1) have
    # variance 3/6 - (1/6)^2 = 17/36, so a = sqrt(3) * sqrt(17) / 6 = sqrt(51) / 6
    assert r.details["init_bound"] == pytest.approx(np.sqrt(51) / 6)
    assert {x.details["seed"] for x in res} == {0, 1}
    assert r.to_json()


@pytest.mark.slow
def test_worker_processes_give_the_results_of_one_process(tmp_path):
    emb = Embeddings(("good", "bad", "a"), np.array([[1.0, 0], [-1.0, 0], [0, 1.0]]), name="toy")
    settings = {"datasets": str(_csv(tmp_path)), "models": "cnn", "modes": ["static", "non-static"], "epochs": 2,
                "folds": 2, "filters": 4}
    one = run_finetune([emb], settings, seeds=[0])
    two = run_finetune([emb], {**settings, "workers": 2}, seeds=[0])
    assert [r.task for r in one] == [r.task for r in two]
    for a, b in zip(one, two):
        assert a.items == b.items and a.details["curves"] == b.details["curves"]


def test_each_dataset_is_prepared_once_for_the_runs_on_it(tmp_path):
    sweep = prepare_sweep({"datasets": str(_csv(tmp_path)), "models": ["bag", "cnn"], "modes": "non-static",
                           "dropout": [0.0, 0.5], "workers": 2, "seeds": [3, 4]})
    assert [(r.model, r.name) for r in sweep.runs] == [
        ("bag", "toy/bag/finetuned[dropout=0]"), ("bag", "toy/bag/finetuned[dropout=0.5]"),
        ("cnn", "toy/cnn/finetuned[dropout=0]"), ("cnn", "toy/cnn/finetuned[dropout=0.5]")]
    assert len({id(r.prepared) for r in sweep.runs}) == 1
    assert sweep.workers == 2 and sweep.seeds == (3, 4)
    task = sweep.runs[3].task(4)
    assert (task.model, task.mode, task.seed, task.params["dropout"], task.metadata.name) == (
        "cnn", "finetuned", 4, 0.5, "toy/cnn/finetuned[dropout=0.5]")
