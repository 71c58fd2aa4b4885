import dataclasses
import json

import pytest

from evalsuite.report import score_plots, write_report
from evalsuite.report.writer import safe_name
from evalsuite.core.results import RunResult

pytestmark = pytest.mark.usefixtures("fast_plots")


def test_write_report_files(tmp_path, run_result, analysis):
    paths = write_report(run_result, tmp_path, analysis)
    folder = tmp_path / "unit-run"
    assert paths["dir"] == folder
    for key in ("markdown", "html", "json", "comparison"):
        assert paths[key].parent == folder and paths[key].stat().st_size > 0
    md = paths["markdown"].read_text()
    for name in ("similarity.png", "analogy_google.png", "training_loss.png"):
        assert (folder / "plots" / name).read_bytes()[:4] == b"\x89PNG"
        assert f"plots/{name}" in md
    back = RunResult.from_dict(json.loads(paths["json"].read_text()))
    assert back == run_result
    comp = json.loads(paths["comparison"].read_text())
    assert comp["verdicts"][0]["winner"] == "Word2Vec"
    assert not [p for p in folder.rglob("*") if p.name.endswith(".tmp")]


def test_rewrite_removes_stale_plots(tmp_path, run_result):
    write_report(run_result, tmp_path)
    stale = tmp_path / "unit-run" / "plots" / "old.png"
    stale.write_bytes(b"x")
    paths = write_report(run_result, tmp_path)
    assert not stale.exists()
    assert "comparison" not in paths


def test_render_error_writes_nothing(tmp_path, run_result, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("plot failed")

    monkeypatch.setattr(score_plots, "throughput_bars", boom)
    with pytest.raises(RuntimeError):
        write_report(run_result, tmp_path)
    assert not (tmp_path / "unit-run").exists()


def test_write_error_leaves_no_partial_file(tmp_path, run_result, monkeypatch):
    paths = write_report(run_result, tmp_path)
    old_html = paths["html"].read_bytes()
    import evalsuite.core.atomic as atomic

    real_fsync = atomic.os.fsync

    def failing_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "fsync", failing_fsync)
    changed = dataclasses.replace(run_result, wall_time=99.0)
    with pytest.raises(OSError):
        write_report(changed, tmp_path)
    monkeypatch.setattr(atomic.os, "fsync", real_fsync)
    folder = tmp_path / "unit-run"
    assert paths["html"].read_bytes() == old_html  # the old complete file is still there
    assert not [p for p in folder.rglob("*") if p.name.startswith(".")]


def test_safe_name():
    assert safe_name("my run/1") == "my_run_1"
    assert safe_name("../..") == "run"
