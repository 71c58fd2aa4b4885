"""``evalsuite history``: each score across the stored runs of one config, in 100 columns."""

import re
import textwrap

import pytest

import historyruns
from evalsuite.cli import main


@pytest.fixture
def wide(monkeypatch):
    """A 100-column terminal (rich and argparse read COLUMNS)."""
    monkeypatch.setenv("COLUMNS", "100")


@pytest.fixture
def store(tmp_path):
    """Five runs of ``cfg``, a drop injected in the fourth, its baseline ``cfg-baseline`` and a run of
    another config (newest)."""
    other = historyruns.run("other-20260530-0001", "other", 20)
    return historyruns.store(tmp_path / "r.sqlite", historyruns.runs(5, drop_in=3), historyruns.baseline(), other)


def test_help_lists_history_and_fits_100_columns(wide, capsys):
    outs = {}
    for argv in (["--help"], ["history", "--help"]):
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 0
        outs[argv[0]] = capsys.readouterr().out
        assert max(len(line) for line in outs[argv[0]].splitlines()) <= 100, argv
    assert re.search(r"^\s+history\s+each score across the stored runs", outs["--help"], re.M)
    assert "--baseline FILE|RUN" in outs["history"] and "CONFIG_OR_RUN_NAME" in outs["history"]


def test_table_marks_the_drop_and_the_html_page_too(store, tmp_path, wide, capsys):
    page = tmp_path / "out" / "history.html"
    assert main(["history", "cfg", "--store", str(store), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "History of cfg: 4 scores in 5 runs" in out
    rows = {line.split()[1] + " " + line.split()[3]: line for line in out.splitlines()
            if line.startswith("│ ") and len(line.split()) > 4}
    # run #4 holds the drop: 0.602 - 0.2, marked; every other cell unmarked
    assert re.search(r"0\.402▼", rows["ws353 sgns"])
    assert out.count("▼") == 1 + out.count("▼ a significant drop")
    assert "#4 cfg-20260513-0003 · 2026-05-13 09:30 · git 3333333 · check: 1 failure" in out
    assert "#5 cfg-20260514-0004 · 2026-05-14 09:30 · git 4444444 (dirty) · check: passed" in out
    assert "Checked against run cfg-baseline-20260501-beef" in out
    html = page.read_text(encoding="utf-8")
    assert html.count('class="panel failed" data-failed="4"') == 1
    assert html.count('<path class="fail"') == 1 and "check: significant drop" in html


def test_a_config_path_the_default_name_and_filters(store, tmp_path, wide, capsys):
    cfg = tmp_path / "cfg.toml"
    cfg.write_text(textwrap.dedent(f"""
        tasks = ["ws353"]
        [run]
        name = "cfg"
        store = "{store}"
        [corpus]
        name = "lee"
        [[embeddings]]
        name = "sgns"
        trainer = "torch-sgns"
        """), encoding="utf-8")
    assert main(["history", str(cfg), "--task", "ws353", "--embedding", "glove", "--last", "2"]) == 0
    out = capsys.readouterr().out
    assert "History of cfg: 1 scores in 2 runs" in out and "#2 cfg-20260514-0004" in out
    # without a name: the latest run's name (here the other config, without a baseline)
    assert main(["history", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "History of other: 4 scores in 1 runs" in out and "No baseline" in out


def test_bad_names_are_one_line_errors(store, capsys):
    assert main(["history", "nothing", "--store", str(store)]) == 2
    assert "no run 'nothing'" in capsys.readouterr().err
    assert main(["history", "cfg", "--store", str(store), "--task", "ws35"]) == 2
    assert "did you mean 'ws353'" in capsys.readouterr().err
    assert main(["history", "cfg", "--store", str(store) + ".missing"]) == 2
    assert "no results store yet" in capsys.readouterr().err
