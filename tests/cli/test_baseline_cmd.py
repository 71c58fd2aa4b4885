"""evalsuite run --baseline, evalsuite baseline, evalsuite check: the gate's workflow end to end."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import runfakes  # noqa: E402

from evalsuite.cli import main  # noqa: E402

# these tests read the report's text and files, not its figures: tiny PNGs stand in for them
pytestmark = pytest.mark.usefixtures("fast_plots", "fake_trainers")


def test_baseline_of_several_seeds_then_check(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cfg = runfakes.write_config(tmp_path, name="t", seeds=(0,), glove_noise=0.3)
    store = str(tmp_path / "results.sqlite")
    assert main(["run", str(cfg), "--baseline"]) == 0  # the [baseline] default: seeds 0, 1, 2
    out = tmp_path / "base" / "results.json"
    assert main(["baseline", "t-baseline", str(out), "--store", store]) == 0
    assert f"baseline: {out}" in capsys.readouterr().out
    saved = json.loads(out.read_text())
    assert saved["name"] == "t-baseline" and saved["config"]["run"]["seeds"] == [0, 1, 2]
    assert {t["embedding"] for t in saved["task_results"]} == {f"{e}@seed{s}" for e in ("sgns", "glove") for s in (0, 1, 2)}
    assert all("items" not in t for t in saved["task_results"])
    table = saved["provenance"]["baseline_noise"]
    assert {r["embedding"] for r in table} == {"sgns", "glove"}
    assert all(r["n_seeds"] == 3 and r["seed_sd"] > 0 and r["item_sd"] > 0 and r["n_items"] == 60 for r in table)

    # a fresh run of the unchanged config passes
    assert main(["run", str(cfg)]) == 0
    capsys.readouterr()
    assert main(["check", "t", "--baseline", str(out), "--store", store, "--json", str(tmp_path / "c.json")]) == 0
    assert "evalsuite check: PASS" in capsys.readouterr().out
    rows = json.loads((tmp_path / "c.json").read_text())["rows"]
    assert len(rows) == 2 and all(r["p_value"] is not None and r["df"] > 0 for r in rows)

    # GloVe trained worse (twice the noise): the run now has a drop, and fails
    worse = runfakes.write_config(tmp_path, name="t", seeds=(0,), glove_noise=0.6)
    assert main(["run", str(worse)]) == 0
    capsys.readouterr()
    assert main(["check", "t", "--baseline", str(out), "--store", store]) == 1
    text = capsys.readouterr().out
    assert "evalsuite check: FAIL" in text and "| **REGRESSION** | glove |" in text and "| **REGRESSION** | sgns |" not in text
    # ... unless the drop is within the margin
    assert main(["check", "t", "--baseline", str(out), "--store", store, "--margin", "0.5"]) == 0

def test_single_seed_baseline_warns(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    cfg = runfakes.write_config(tmp_path, name="one", seeds=(0,))
    assert main(["run", str(cfg)]) == 0
    capsys.readouterr()
    assert main(["baseline", "one", str(tmp_path / "b.json"), "--store", str(tmp_path / "results.sqlite")]) == 0
    assert "warning: some scores have a single seed" in capsys.readouterr().out


def test_check_rejects_bad_level(tmp_path, capsys):
    assert main(["check", "a.json", "--baseline", "b.json", "--level", "1.5"]) == 2
    assert "--level must be in (0, 1)" in capsys.readouterr().err
