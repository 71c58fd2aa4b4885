"""The committed baseline of the default benchmark, and the regression gate run on it."""

import json
from pathlib import Path

from evalsuite.cli import main
from evalsuite.config import load_config

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "reports" / "baseline" / "results.json"


def test_baseline_covers_every_embedding_and_task_of_the_default_config():
    config = load_config(ROOT / "benchmarks" / "default.toml")
    data = json.loads(BASELINE.read_text())
    have = {(t["embedding"], t["task"]) for t in data["task_results"]}
    tuned = {(t["embedding"], t["details"]["mode"], t["details"]["params"]["weight_decay"])
             for t in data["task_results"] if t["kind"] == "classification"}
    for spec in config.embeddings:
        for task in config.tasks:
            assert (spec.name, task) in have, (spec.name, task)
        for mode in config.finetune["modes"]:
            for wd in config.finetune["weight_decay"]:
                assert (spec.name, mode, wd) in tuned, (spec.name, mode, wd)


def test_check_of_the_baseline_against_itself_passes(tmp_path, capsys):
    assert main(["check", str(BASELINE), "--baseline", str(BASELINE), "--store", str(tmp_path / "s.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "evalsuite check: PASS" in out
    # fine-tuning rows are labelled by their task: the settings that differ are in its name
    assert "| ok | torch-sgns | mr/bag/frozen[weight_decay=0.001] | test_accuracy |" in out


def test_check_fails_against_a_bumped_baseline(tmp_path, capsys):
    # every baseline score 0.2 higher: the current scores all dropped by 0.2, which the gate must catch
    data = json.loads(BASELINE.read_text())
    for t in data["task_results"]:
        if t["main_score"] is not None:
            t["main_score"] += 0.2
    bumped = tmp_path / "bumped.json"
    bumped.write_text(json.dumps(data))
    assert main(["check", str(BASELINE), "--baseline", str(bumped), "--store", str(tmp_path / "s.sqlite")]) == 1
    out = capsys.readouterr().out
    assert "evalsuite check: FAIL" in out and "| **REGRESSION** | torch-glove |" in out