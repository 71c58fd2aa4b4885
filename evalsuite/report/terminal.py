"""Rich summary printed at the end of a run."""

from __future__ import annotations

from collections import defaultdict

from rich.console import Console
from rich.table import Table

from ..results import RunResult
from .comparisons import verdict_sentence
from .finetune import _at_base, _base_values, _mode_key, swept_params
from .inputs import Analysis, as_analysis
from .views import embedding_names, fmt, fmt_mean_sd, is_number, pct


def summary_table(run: RunResult) -> Table:
    """Embeddings × tasks: the main score of every similarity and analogy result.

    Similarity cells show Spearman ρ, analogy cells 3CosAdd accuracy over covered
    questions; the header row names the dataset and the share of items covered
    is given in brackets.
    """
    results = [t for t in run.task_results if t.kind in ("similarity", "analogy")]
    tasks = list(dict.fromkeys(t.task for t in sorted(results, key=lambda t: (t.kind != "similarity", t.task))))
    kind_of = {t.task: t.kind for t in results}
    table = Table(title=f"{run.name} ({run.run_id})", title_justify="left")
    table.add_column("Embedding", no_wrap=True)
    for task in tasks:
        table.add_column(f"{task}\n{'ρ' if kind_of[task] == 'similarity' else 'acc'}",
                         justify="right", no_wrap=True)
    cells = {(t.embedding, t.task): t for t in results}
    for emb in embedding_names(run):
        if not any((emb, task) in cells for task in tasks):
            continue
        row = [emb]
        for task in tasks:
            t = cells.get((emb, task))
            if t is None:
                row.append("–")
                continue
            score = pct(t.main_score) if t.kind == "analogy" else fmt(t.main_score)
            row.append(f"{score} [dim]({t.coverage:.0%})[/]" if t.n_items else score)
        table.add_row(*row)
    return table


def finetune_table(run: RunResult) -> Table | None:
    """(embedding, model, mode) × classification task: test accuracy mean ± sd over seeds,
    at the smallest value of every swept regularization setting."""
    results = [t for t in run.task_results if t.kind == "classification"]
    if not results:
        return None
    tasks = list(dict.fromkeys(t.task for t in results))
    cells = defaultdict(list)
    for task in tasks:
        rs = [t for t in results if t.task == task]
        base = _base_values(rs, swept_params(rs))
        for t in rs:
            if _at_base(t, base):
                cells[(t.embedding, str(t.details.get("model", "–")), str(t.details.get("mode", "–")),
                       task)].append(t.main_score)
    keys = sorted({k[:3] for k in cells}, key=lambda k: (k[0], k[1], _mode_key(k[2])))
    table = Table(title="Fine-tuning: test accuracy (mean ± sd over seeds)", title_justify="left")
    for name in ("Embedding", "Model", "Mode"):
        table.add_column(name, no_wrap=True)
    for task in tasks:
        table.add_column(task, justify="right", no_wrap=True)
    for key in keys:
        table.add_row(*key, *[fmt_mean_sd(cells.get((*key, task), []), percent=True) for task in tasks])
    return table


def print_summary(run: RunResult, comparison=None, *, console: Console | None = None,
                  report_paths=None) -> None:
    """Print the summary tables, the verdicts and where the report was written.

    Parameters
    ----------
    run : RunResult
    comparison : Analysis or compatible, optional
        Verdicts to print under the table (see :func:`evalsuite.report.inputs.as_analysis`).
    console : rich.console.Console, optional
        Defaults to a stdout console.
    report_paths : mapping of str to path, optional
        Files written by :func:`evalsuite.report.writer.write_report`.
    """
    console = console or Console()
    analysis: Analysis = as_analysis(comparison)
    if any(t.kind in ("similarity", "analogy") for t in run.task_results):
        console.print(summary_table(run))
    ft = finetune_table(run)
    if ft is not None:
        console.print(ft)
    if not analysis.verdicts:
        console.print("no comparison statistics: no verdict", style="dim", highlight=False)
    for v in analysis.verdicts:
        kind, text = verdict_sentence(v)
        style = "bold green" if kind == "verdict" else "yellow"
        console.print(f"[{style}]{v.family}:[/] " + text.replace("**", ""), highlight=False)
    if is_number(run.wall_time) and run.wall_time:
        console.print(f"wall time {run.wall_time:.1f} s", highlight=False)
    for key in ("markdown", "html", "json"):
        if report_paths and key in report_paths:
            console.print(f"{key}: {report_paths[key]}", highlight=False, soft_wrap=True)
