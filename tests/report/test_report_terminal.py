from io import StringIO

import pytest
from rich.console import Console

from evalsuite.analysis.compare import summarize
from evalsuite.analysis.types import Analysis
from evalsuite.report import print_summary

pytestmark = pytest.mark.usefixtures("fast_plots")


def _render(run, analysis=None, **kw):
    buf = StringIO()
    print_summary(run, analysis, console=Console(file=buf, width=140, color_system=None), **kw)
    return buf.getvalue()


def test_summary_shows_scores_and_verdicts(run_result, analysis):
    out = _render(run_result, analysis, report_paths={"markdown": "reports/unit-run/report.md"})
    lines = out.splitlines()
    row = next(line for line in lines if "sgns@seed1" in line)
    assert "0.630 (96%)" in row and "0.300 (99%)" in row and "55.6% (90%)" in row
    ft = next(line for line in lines if "sgns" in line and "finetuned" in line)
    assert "79.0 ± 1.0%" in ft  # wd=0 only: 0.78, 0.79, 0.80
    assert "Word2Vec is better than GloVe on similarity" in out
    assert "No significant difference between Word2Vec and GloVe on analogy" in out
    assert "markdown: reports/unit-run/report.md" in out


def test_summary_without_verdicts(run_result):
    out = _render(run_result, Analysis())
    assert "no verdict" in out and "is better" not in out


@pytest.mark.parametrize("width", [80, 140])
@pytest.mark.parametrize("force_terminal", [None, False])
def test_wide_summary_fits_console_without_cutting_cells(wide_run, width, force_terminal):
    run, scores, finetune = wide_run
    buf = StringIO()
    print_summary(run, summarize(run), console=Console(file=buf, width=width, color_system=None,
                                                       force_terminal=force_terminal))
    out = buf.getvalue()
    lines = out.splitlines()
    assert "…" not in out
    assert max(len(line) for line in lines) <= width
    for (emb, task), cell in scores.items():
        assert any(emb in line and cell in line for line in lines), (emb, task, cell)
    for (emb, mode), cell in finetune.items():
        row = [line for line in lines if f" {emb} " in line and f" {mode} " in line]
        assert len(row) == 1 and cell in row[0], (emb, mode, cell, row)
    assert out.count("Fine-tuning: test accuracy") == 1 and out.count("wide-run (20261129-wide)") == 1


def test_finetune_columns_named_after_dataset_when_task_repeats_model_and_mode(wide_run):
    run = wide_run[0]
    buf = StringIO()
    print_summary(run, summarize(run), console=Console(file=buf, width=80, color_system=None))
    tail = buf.getvalue().split("Fine-tuning")[1]
    assert "mr/bag/" not in tail and " mr " in tail and " – " not in tail


def test_finetune_rows_are_seed_groups_whatever_the_labels(run_result):
    # the pipeline names fine-tuning results of trained embeddings per seed: sgns@seed0, sgns@seed1 ...
    import dataclasses

    from evalsuite.analysis.compare import summarize

    relabelled = dataclasses.replace(run_result, task_results=tuple(
        dataclasses.replace(t, embedding=t.key.label()) if t.kind == "classification" else t
        for t in run_result.task_results))
    out = _render(relabelled, summarize(relabelled))
    tail = out.split("Fine-tuning")[1]
    assert "@seed" not in tail
    row = next(line for line in tail.splitlines() if " sgns " in line and " finetuned " in line)
    assert "79.0 ± 1.0%" in row  # seeds 0, 1, 2 at weight_decay 0: 0.78, 0.79, 0.80


def test_short_labels_are_file_stems_unless_they_clash():
    from evalsuite.report.terminal import short_labels

    assert short_labels(["/data/GoogleNews-vectors-negative300.bin.gz", "glove.6B.300d.txt", "ws353",
                         "sgns@seed1"]) == {
        "/data/GoogleNews-vectors-negative300.bin.gz": "GoogleNews-vectors-negative300",
        "glove.6B.300d.txt": "glove.6B.300d", "ws353": "ws353", "sgns@seed1": "sgns@seed1"}
    assert short_labels(["runs/a/vectors.txt", "runs/b/vectors.txt"]) == {
        "runs/a/vectors.txt": "a/vectors", "runs/b/vectors.txt": "b/vectors"}
    assert short_labels(["v.txt", "v.bin"]) == {"v.txt": "v.txt", "v.bin": "v.bin"}


def test_few_embeddings_put_tasks_as_rows(run_result):
    import dataclasses

    seed0 = dataclasses.replace(run_result, task_results=tuple(
        t for t in run_result.task_results if t.kind != "classification" and t.key.seed == 0))
    lines = _render(seed0, Analysis()).splitlines()
    header = next(line for line in lines if "Task" in line)
    assert header.index("sgns@seed0") < header.index("glove@seed0")
    assert "0.610 (96%)" in next(line for line in lines if " ws353 " in line)
    row = next(line for line in lines if " google " in line)
    assert " acc " in row and "55.6% (90%)" in row and "62.5% (80%)" in row  # 5 of 9 / 5 of 8 covered
