"""The committed baseline of the default benchmark, and the regression gate run on it."""

import json
from pathlib import Path

from evalsuite.cli import main
from evalsuite.config import load_config

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "reports" / "baseline" / "results.json"


def _group(t):
    return t["provenance"].get("embedding_group") or t["key"]["embedding"]


def _expected_tuned(config) -> set:
    """The fine-tuning tasks of the default config: the probe (frozen bag model) has no
    weight-decay sweep; random and fine-tuned have one task per weight decay."""
    ft = config.finetune
    (dataset,) = ft["datasets"]
    out = set()
    for mode in ft["modes"]:
        if mode == "frozen":
            out.add(f"{dataset}/bag/probe")
        else:
            out |= {f"{dataset}/bag/{mode}[weight_decay={wd:g}]" for wd in ft["weight_decay"]}
    return out


def test_baseline_covers_every_embedding_task_and_baseline_seed_of_the_default_config():
    config = load_config(ROOT / "benchmarks" / "default.toml")
    data = json.loads(BASELINE.read_text())
    seeds = {}
    for t in data["task_results"]:
        seeds.setdefault((_group(t), t["task"]), set()).add(t["key"]["seed"])
    assert len(config.baseline.seeds) >= 3
    tuned = _expected_tuned(config)
    for spec in config.embeddings:
        for task in [*config.tasks, *tuned]:
            assert seeds.get((spec.name, task)) == set(config.baseline.seeds), (spec.name, task)


def test_baseline_records_seed_spread_and_item_sd_of_every_score_and_stays_small():
    data = json.loads(BASELINE.read_text())
    table = data["provenance"]["baseline_noise"]
    assert len(table) == len({(_group(t), t["task"]) for t in data["task_results"]})
    for row in table:
        assert row["n_seeds"] >= 3 and row["seed_sd"] is not None and row["item_sd"] > 0, row
    assert all("items" not in t for t in data["task_results"])
    assert BASELINE.stat().st_size < 3_000_000


def test_check_of_the_baseline_against_itself_passes(tmp_path, capsys):
    assert main(["check", str(BASELINE), "--baseline", str(BASELINE), "--store", str(tmp_path / "s.sqlite")]) == 0
    out = capsys.readouterr().out
    assert "evalsuite check: PASS" in out
    # fine-tuning rows are labelled by their task: the settings that differ are in its name
    assert "| ok | torch-sgns | mr/bag/finetuned[weight_decay=0.001] | test_accuracy |" in out


def test_check_fails_when_one_score_drops(tmp_path, capsys):
    data = json.loads(BASELINE.read_text())
    for t in data["task_results"]:
        if (_group(t), t["task"]) == ("torch-glove", "ws353"):
            t["main_score"] -= 0.2
    worse = tmp_path / "worse.json"
    worse.write_text(json.dumps(data))
    assert main(["check", str(worse), "--baseline", str(BASELINE), "--store", str(tmp_path / "s.sqlite")]) == 1
    out = capsys.readouterr().out
    assert "evalsuite check: FAIL" in out and "| **REGRESSION** | torch-glove | ws353 |" in out


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
