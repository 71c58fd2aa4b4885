"""``evalsuite check`` against garbage baselines: one line naming the file and exit 2, never a pass
with nothing tested, never a traceback."""

import json

import pytest

from evalsuite.cli import main
from evalsuite.core.results import ResultKey, RunResult, TaskResult

PROTOCOL = {"name": "default", "version": "1.0"}


def score(emb, task, value, seed):
    return TaskResult(task=task, kind="similarity", embedding=f"{emb}@seed{seed}", main_score=value,
                      scores={"spearman": value}, n_items=100, n_scored=100, ci95=(value - 0.1, value + 0.1),
                      main_score_name="spearman", protocol=PROTOCOL, details={"sufficient": True},
                      provenance={"seed": seed, "embedding_group": emb}, key=ResultKey(emb, seed))


def document(run_id):
    results = [score(e, t, 0.5 + 0.01 * s + (0.1 if e == "b" else 0), s)
               for e in ("a", "b") for t in ("ws", "men") for s in range(3)]
    noise = [{"embedding": e, "task": t, "variant": "", "metric": "spearman", "n_seeds": 3, "seed_sd": 0.01,
              "item_sd": 0.02} for e in ("a", "b") for t in ("ws", "men")]
    return RunResult(run_id=run_id, name="n", task_results=tuple(results),
                     provenance={"baseline_noise": noise}).to_dict()


@pytest.fixture
def files(tmp_path):
    run = tmp_path / "run.json"
    run.write_text(json.dumps(document("run")))
    return run, tmp_path / "baseline.json"


def check(capsys, run, baseline, *extra):
    code = main(["check", str(run), "--baseline", str(baseline), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def refused(capsys, run, baseline, text):
    code, out, err = check(capsys, run, baseline)
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith("evalsuite: error: "), err
    assert str(baseline) in lines[0] and text in lines[0], lines[0]
    assert "PASS" not in out


def test_a_good_baseline_still_passes(files, capsys):
    run, baseline = files
    baseline.write_text(json.dumps(document("base")))
    code, out, err = check(capsys, run, baseline)
    assert code == 0 and err == ""


def test_a_baseline_nested_thousands_deep(files, capsys):
    run, baseline = files
    baseline.write_text("[" * 100_000 + "]" * 100_000)
    refused(capsys, run, baseline, "nested too deeply")


@pytest.mark.parametrize("sd", [1e308, -0.01, 10**400, 2.5])
def test_an_item_sd_that_is_no_spread(files, capsys, sd):
    run, baseline = files
    doc = document("base")
    doc["provenance"]["baseline_noise"][1]["item_sd"] = sd
    baseline.write_text(json.dumps(doc))
    refused(capsys, run, baseline, "'provenance.baseline_noise[1].item_sd' must be null or a number in [0, 2] (the spread of a score in [-1, 1])")


@pytest.mark.parametrize("value, text", [("NaN", "NaN is not a number"), ("Infinity", "Infinity is not a number"),
                                         ("1e999", "out of range"), ("null", "none of the baseline's 12 scores")])
def test_scores_all_non_finite_or_null(files, capsys, value, text):
    run, baseline = files
    doc = document("base")
    for t in doc["task_results"]:
        t["main_score"] = "@"
    baseline.write_text(json.dumps(doc).replace('"@"', value))
    refused(capsys, run, baseline, text)


@pytest.mark.parametrize("how", ["empty", "missing"])
def test_no_task_results(files, capsys, how):
    run, baseline = files
    doc = document("base")
    if how == "empty":
        doc["task_results"] = []
    else:
        del doc["task_results"]
    baseline.write_text(json.dumps(doc))
    refused(capsys, run, baseline, "holds no task results")


def test_more_items_scored_than_there_are(files, capsys):
    run, baseline = files
    doc = document("base")
    doc["task_results"][2]["n_scored"] = 101
    baseline.write_text(json.dumps(doc))
    refused(capsys, run, baseline, "'task_results[2].n_scored' (101) must be at most 'n_items' (100)")


def test_a_changed_per_task_protocol_is_an_error(files, capsys):
    run, baseline = files
    doc = document("base")
    for t in doc["task_results"]:
        if t["task"] == "men":
            t["protocol"] = {**PROTOCOL, "oov": "zero"}
    baseline.write_text(json.dumps(doc))
    code, _, err = check(capsys, run, baseline)
    assert code == 2 and "task men: protocol default v1.0 setting oov differs" in err
    code, out, _ = check(capsys, run, baseline, "--allow-mismatch")
    assert code == 0 and "setting oov differs" in out
