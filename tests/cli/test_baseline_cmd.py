"""evalsuite baseline: a run's scores, without per-item outputs, as a file to commit."""

import json
from pathlib import Path

from evalsuite.cli import main

BASELINE = Path(__file__).resolve().parents[2] / "reports" / "baseline" / "results.json"


def test_baseline_command_writes_scores_without_items(tmp_path, capsys):
    full = json.loads(BASELINE.read_text())
    full["task_results"][0]["items"] = {"word1": ["a"], "word2": ["b"], "gold": [1.0], "predicted": [0.5]}
    source = tmp_path / "results.json"
    source.write_text(json.dumps(full))
    out = tmp_path / "base" / "results.json"
    assert main(["baseline", str(source), str(out), "--store", str(tmp_path / "s.sqlite")]) == 0
    saved = json.loads(out.read_text())
    assert "items" not in saved["task_results"][0]
    assert [t["main_score"] for t in saved["task_results"]] == [t["main_score"] for t in full["task_results"]]
    assert f"baseline: {out}" in capsys.readouterr().out
