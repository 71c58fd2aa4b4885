import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import runfakes  # noqa: E402

from evalsuite.cli import main  # noqa: E402

# these tests read the report's text and files, not its figures: tiny PNGs stand in for them
pytestmark = pytest.mark.usefixtures("fast_plots", "fake_trainers")


@pytest.fixture
def setup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cfg = runfakes.write_config(tmp_path, name="base", seeds=(0, 1), glove_noise=0.3)
    noisy = runfakes.write_config(tmp_path, name="noisy", seeds=(0, 1), glove_noise=3.0)
    return tmp_path, cfg, noisy


def test_run_runs_compare_report_check(setup, capsys):
    tmp, cfg, noisy = setup
    store = str(tmp / "results.sqlite")
    assert main(["run", str(cfg)]) == 0
    report = tmp / "reports" / "base"
    assert (report / "results.json").is_file() and (report / "report.md").is_file() and (report / "report.html").is_file()
    results = json.loads((report / "results.json").read_text())
    assert {t["embedding"] for t in results["task_results"]} == {"sgns@seed0", "sgns@seed1", "glove@seed0", "glove@seed1"}

    # (a second run from the cache is tested in tests/pipeline/test_runner.py)
    capsys.readouterr()
    assert main(["runs", "--store", store]) == 0
    listing = capsys.readouterr().out
    assert listing.count("complete") == 1
    # at the 80 columns of a captured console every cell is whole: no cell cut short with "…"
    assert "…" not in listing and max(map(len, listing.splitlines())) <= 80

    # same code, same results: the gate passes, against a file or a run id
    assert main(["check", "latest", "--baseline", str(report / "results.json"), "--store", store]) == 0
    out = capsys.readouterr().out
    assert "evalsuite check: PASS" in out and "| ok |" in out

    # a noisier glove matrix: the gate fails with exit 1
    assert main(["run", str(noisy)]) == 0
    capsys.readouterr()
    assert main(["check", "noisy", "--baseline", "base", "--store", store]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "**REGRESSION** | glove" in out
    assert main(["check", "noisy", "--baseline", "base", "--store", store, "--margin", "2"]) == 0
    capsys.readouterr()

    assert main(["compare", "noisy", "base", "--store", store, "--json", str(tmp / "cmp.json")]) == 0
    out = capsys.readouterr().out
    assert any(ln.startswith("| glove |") and "tinysim" in ln for ln in out.splitlines()) and json.loads((tmp / "cmp.json").read_text())["comparisons"]

    (report / "report.md").unlink()
    assert main(["report", "base", "--store", store, "--output", str(tmp / "reports")]) == 0
    assert (report / "report.md").is_file()


def test_usage_errors_exit_2(setup, capsys):
    tmp, cfg, _ = setup
    bad = tmp / "bad.toml"
    bad.write_text(cfg.read_text().replace("seeds =", "sedes ="))
    assert main(["run", str(bad)]) == 2
    assert "did you mean 'seeds'" in capsys.readouterr().err
    assert main(["check", "x", "--baseline", "y", "--store", str(tmp / "none.sqlite")]) == 2
    assert main(["compare", "a.json", "b.json"]) == 2
    with pytest.raises(SystemExit) as e:
        main(["check", "x"])  # --baseline missing
    assert e.value.code == 2
