"""The [compare] and [baseline] settings stored with a run and read back from it."""

import json
import sqlite3

import pytest

import runfakes
from evalsuite.cli import main
from evalsuite.config import load_config
from evalsuite.core.results import RunResult
from evalsuite.core.runspecs import BaselineSpec, CompareSpec, stored_specs
from evalsuite.pipeline.runner import run_benchmark
from evalsuite.store.sqlite import ResultStore


def test_specs_round_trip_and_old_runs_read_their_config():
    compare = CompareSpec(select="named", representatives={"word2vec": "a", "glove": "b"}, grid=True,
                          differences={"epochs": "why"})
    baseline = BaselineSpec(seeds=(4, 5), level=0.2, margin=0.01)
    run = RunResult("r", "r", (), compare=compare, baseline=baseline)
    back = RunResult.from_json(run.to_json())
    assert back.compare == compare and back.baseline == baseline
    # a run written before runs held them: the stored config's tables, through the one parser
    old = {k: v for k, v in run.to_dict().items() if k not in ("compare", "baseline")}
    old["config"] = {"compare": {"word2vec": "a", "glove": "b"}, "baseline": {"level": 0.1}}
    legacy = RunResult.from_dict(old)
    assert legacy.compare == CompareSpec.from_table({"word2vec": "a", "glove": "b"}) and legacy.compare.select == "named"
    assert legacy.baseline == BaselineSpec(level=0.1)
    assert stored_specs({}) == (None, None)


@pytest.mark.usefixtures("fake_trainers")
def test_stored_specs_are_what_analysis_and_check_read(tmp_path, capsys):
    path = runfakes.write_config(tmp_path, seeds=(0, 1, 2))
    path.write_text(path.read_text() + '\n[compare]\nword2vec = "sgns"\nglove = "glove"\n'
                    '[baseline]\nlevel = 0.2\n', encoding="utf-8")
    config = load_config(path)
    out = run_benchmark(config, evaluate_fn=runfakes.fake_evaluate, report_fn=None, summary_fn=None,
                        log=lambda m: None)
    run_id = out.run.run_id
    # the stored config's tables no longer say anything: the stored specs do
    with sqlite3.connect(config.store) as conn:
        conn.execute("UPDATE runs SET config = ? WHERE id = ?", (json.dumps({"run": {"name": "t"}}), run_id))
    with ResultStore(config.store) as store:
        stored = store.load_run(run_id)
    assert stored.compare == config.compare and stored.compare.select == "named"
    assert stored.baseline == config.baseline == BaselineSpec(level=0.2)
    report = tmp_path / "check.json"
    assert main(["check", run_id, "--baseline", run_id, "--store", str(config.store), "--json", str(report)]) == 0
    assert json.loads(report.read_text())["level"] == 0.2
    assert "false-alarm rate at 0.2." in capsys.readouterr().out
