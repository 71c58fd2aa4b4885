import json
from pathlib import Path

import pytest

from evalsuite.cli import main

io = pytest.importorskip("evalsuite.data.vectors")
if not hasattr(io, "load_embeddings"):
    pytest.skip("evalsuite.data.vectors.load_embeddings not available yet", allow_module_level=True)


@pytest.fixture
def files(tmp_path):
    vec = tmp_path / "v.txt"
    vec.write_text("4 2\ncat 1 0\ndog 1 1\ncar 0 3\nsun 2 -1\n", encoding="utf-8")
    sim = tmp_path / "sim.txt"
    sim.write_text("cat\tdog\t9\ncat\tcar\t1\ndog\tcar\t5\nsun\tcat\t3\nzebra\tcat\t2\n", encoding="utf-8")
    ana = tmp_path / "ana.txt"
    ana.write_text(": s\ncat dog car sun\ncat car dog sun\n", encoding="utf-8")
    return vec, sim, ana


def test_evaluate_writes_json(files, tmp_path, capsys):
    vec, sim, ana = files
    out = tmp_path / "r.json"
    rc = main(["evaluate", str(vec), "--task", str(sim), "--task", str(ana), "--json", str(out)])
    assert rc == 0
    doc = json.loads(out.read_text())
    assert doc["protocol"]["name"] == "default"
    assert [r["task"] for r in doc["results"]] == [str(sim), str(ana)]
    first = doc["results"][0]
    assert set(first) == {"embedding", "task", "kind", "main_score", "main_score_name", "scores", "n_items",
                          "n_scored", "ci95", "sufficient", "insufficient"}
    assert first["n_items"] == 5 and first["n_scored"] == 4
    # 4 scored pairs: fewer than the protocol's 20
    assert first["sufficient"] is False and first["insufficient"].startswith("4 of 5 pairs scored (fewer than 20")
    assert [t["task"] for t in doc["task_results"]] == [str(sim), str(ana)]
    assert str(sim) in capsys.readouterr().out


@pytest.mark.parametrize("argv", [["--task", "ws35x"], ["--protocol", "gensin"], ["--restrict-vocab", "-1"]])
def test_bad_input_exits_2_with_one_line(files, argv, capsys):
    vec, sim, _ = files
    rc = main(["evaluate", str(vec), *argv])
    assert rc == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("evalsuite: error:") and "\n" not in err


def test_missing_vector_file_exits_2(files, tmp_path, capsys):
    _, sim, _ = files
    assert main(["evaluate", str(tmp_path / "nope.vec"), "--task", str(sim)]) == 2


def test_many_tasks_print_in_full_on_an_80_column_console(files, tmp_path, capsys, monkeypatch):
    vec, sim, ana = files
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.chdir(tmp_path)  # short relative names, as a user types them
    tasks = []
    for i in range(6):  # six copies of the similarity file: too wide for one table
        Path(f"sim{i}.txt").write_text(sim.read_text(encoding="utf-8"), encoding="utf-8")
        tasks += ["--task", f"sim{i}.txt"]
    out_json = tmp_path / "r.json"
    assert main(["evaluate", vec.name, *tasks, "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    score = json.loads(out_json.read_text())["results"][0]["main_score"]
    assert "…" not in out and max(len(line) for line in out.splitlines()) <= 80
    assert out.count(f"{score:.3f}") == 6 and out.count("4/5 covered") == 6


def _screen_rows(text: str, width: int) -> int:
    """Rows the text takes on a terminal ``width`` columns wide (a longer line wraps)."""
    from rich.cells import cell_len

    return sum(max(1, -(-cell_len(line) // width)) for line in text.splitlines())


def test_one_file_on_every_bundled_task_fits_a_screen(tmp_path, monkeypatch):
    import io as _io
    import random
    import re

    from rich.console import Console

    from evalsuite.cli import evaluate_cmd
    from evalsuite.evaluate.registry import default_tasks

    words = set()
    for data in (Path(__file__).resolve().parents[2] / "datasets").rglob("*.t*"):
        for line in data.read_text(encoding="utf-8", errors="replace").splitlines()[:300]:
            words.update(w.lower() for w in re.split(r"\s+", line)[:4] if w.isalpha())
    rng = random.Random(0)
    vec = tmp_path / "pretrained" / "GoogleNews-vectors-negative300-bolukbasi.txt"  # the 90-char path
    vec.parent.mkdir()
    vec.write_text(f"{len(words)} 4\n" + "".join(
        f"{w} {' '.join(f'{rng.gauss(0, 1):.3f}' for _ in range(4))}\n" for w in sorted(words)), encoding="utf-8")
    buf = _io.StringIO()
    monkeypatch.setattr(evaluate_cmd, "Console", lambda: Console(file=buf, width=100, color_system=None))
    assert main(["evaluate", str(vec)]) == 0
    out = buf.getvalue()
    assert _screen_rows(out, 100) <= 30, out
    assert "…" not in out
    for task in default_tasks():
        assert any(f" {task} " in line and "covered" in line for line in out.splitlines()), task
    assert "GoogleNews-vectors-negative300-bolukbasi " in out  # the stem labels the column
    assert out.count(str(vec)) == 1  # the full path, once, below the table


def test_zero_coverage_prints_a_result(files, tmp_path, capsys):
    _, sim, ana = files
    empty = tmp_path / "empty.txt"
    empty.write_text("0 3\n", encoding="utf-8")
    out = tmp_path / "r.json"
    assert main(["evaluate", str(empty), "--task", str(sim), "--task", str(ana), "--json", str(out)]) == 0
    shown = capsys.readouterr().out
    assert "0/5 covered" in shown and "0/2 covered" in shown and "insufficient" in shown
    results = json.loads(out.read_text())["results"]
    assert [(r["n_scored"], r["sufficient"]) for r in results] == [(0, False), (0, False)]
