"""Rich summaries printed at the end of a run and by ``evalsuite evaluate``.

Tables wider than the console are split into several tables over their score
columns, each repeating the leading (embedding) columns, so that no cell is cut
short on a narrow terminal or in an 80-column log. With few embeddings (at most
:data:`FEW_EMBEDDINGS`) tasks are rows and embeddings columns, so that a table of
one vector file on all bundled tasks fits one screen. A vector file is labelled by
its file stem; its full path is printed once, below the table.
"""

from __future__ import annotations

import math
from pathlib import PurePath
from typing import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalsuite.analysis.aggregate import at_base, base_values, setup_of, swept_params
from evalsuite.analysis.types import Analysis
from evalsuite.core.markup import rich_text, visible
from evalsuite.core.results import RunResult, TaskResult
from .comparisons import verdict_sentence
from .document import plain
from .finetune import _mode_key
from .grids import ScoreGrid, grid_table, print_grid
from .views import embedding_names, fmt, fmt_spread, is_number, pct


FEW_EMBEDDINGS = 3  # up to this many embeddings, tasks are rows
_COMPRESSED = (".gz", ".bz2", ".xz", ".zip")


def short_labels(names: Sequence[str]) -> dict[str, str]:
    """A short label for every name: a path becomes its file stem (``GoogleNews.bin.gz`` ->
    ``GoogleNews``), or its last folders and stem when stems would clash; other names stay."""
    def label(name: str, parts: int) -> str:
        path = PurePath(name)
        stem = path.name
        if stem.lower().endswith(_COMPRESSED):
            stem = stem.rsplit(".", 1)[0]
        stem = stem.rsplit(".", 1)[0] if "." in stem.strip(".") else stem
        return "/".join([*path.parent.parts[-parts:], stem] if parts else [stem])

    names = list(dict.fromkeys(names))
    for parts in range(0, 1 + max((len(PurePath(n).parts) for n in names), default=0)):
        labels = {n: label(n, parts) for n in names}
        if len(set(labels.values())) == len(names):
            return labels
    return {n: n for n in names}


def _print_paths(labels: dict[str, str], console: Console) -> None:
    """``label: full path`` for every label that shortens a name."""
    for name, label in labels.items():
        if label != name:
            console.print(rich_text(f"{label}: {name}"), soft_wrap=True)


def _summary_grid(run: RunResult) -> ScoreGrid | None:
    results = [t for t in run.task_results if t.kind in ("similarity", "analogy")]
    if not results:
        return None
    tasks = list(dict.fromkeys(t.task for t in sorted(results, key=lambda t: (t.kind != "similarity", t.task))))
    metric = {t.task: "ρ" if t.kind == "similarity" else "acc" for t in results}
    cells = {}
    for t in results:
        score = pct(t.main_score) if t.kind == "analogy" else fmt(t.main_score)
        cells[t.embedding, t.task] = f"{score} [dim]({t.coverage:.0%})[/]" if t.n_items else score
    embs = [e for e in embedding_names(run) if any((e, task) in cells for task in tasks)]
    title = f"{run.name} ({run.run_id})"
    if len(embs) <= FEW_EMBEDDINGS:
        rows = tuple(((rich_text(task), metric[task]), tuple(cells.get((e, task), "–") for e in embs)) for task in tasks)
        return ScoreGrid(title, ("Task", "Score"), tuple(rich_text(e) for e in embs), rows)
    rows = tuple(((rich_text(e),), tuple(cells.get((e, task), "–") for task in tasks)) for e in embs)
    return ScoreGrid(title, ("Embedding",), tuple(Text(f"{visible(task)}\n{metric[task]}") for task in tasks), rows)


def _finetune_column(t: TaskResult) -> str:
    """The dataset when the task name, less its swept settings, only repeats dataset/model/mode
    (shown in other columns)."""
    d = t.details or {}
    dataset = d.get("dataset")
    redundant = dataset is not None and setup_of(t) == "/".join(str(d.get(k)) for k in ("dataset", "model", "mode"))
    return str(dataset) if redundant else setup_of(t)


def _accuracy(g) -> str:
    return fmt_spread(g.measures.get("score"), percent=True) if g is not None else "–"


def _finetune_grid(run: RunResult, analysis: Analysis) -> ScoreGrid | None:
    results = [t for t in run.task_results if t.kind == "classification"]
    groups = [g for g in analysis.seed_summaries if g.kind == "classification"]
    if not results or not groups:
        return None
    columns = list(dict.fromkeys(_finetune_column(t) for t in results))
    column_of = {t.task: _finetune_column(t) for t in results}
    cells = {}
    for setup in dict.fromkeys(setup_of(t) for t in results):
        rs = [t for t in results if setup_of(t) == setup]
        base = base_values(rs, swept_params(rs))
        for g in groups:
            if setup_of(g) == setup and at_base(g, base):
                # one seed group per cell: settings other than the swept numbers tell groups apart
                cells.setdefault((g.embedding, str(g.model or "–"), str(g.mode or "–"), column_of[g.task]), g)
    keys = sorted({k[:3] for k in cells}, key=lambda k: (k[0], k[1], _mode_key(k[2])))
    rows = tuple((tuple(map(rich_text, key)), tuple(_accuracy(cells.get((*key, c))) for c in columns)) for key in keys)
    return ScoreGrid("Fine-tuning: test accuracy (mean ± sd over seeds)", ("Embedding", "Model", "Mode"),
                     tuple(map(rich_text, columns)), rows)


def summary_table(run: RunResult) -> Table:
    """Embeddings × tasks: the main score of every similarity and analogy result.

    Similarity cells show Spearman ρ, analogy cells 3CosAdd accuracy over covered
    questions; the header row names the dataset and the share of items covered
    is given in brackets.

    Parameters
    ----------
    run : RunResult

    Returns
    -------
    rich.table.Table
        One table with every task; :func:`print_summary` splits it to fit the console.
    """
    grid = _summary_grid(run) or ScoreGrid(f"{run.name} ({run.run_id})", ("Embedding",), (), ())
    return grid_table(grid)


def print_summary(run: RunResult, analysis: Analysis | None = None, *, console: Console | None = None,
                  report_paths=None) -> None:
    """Print the summary tables, the verdicts and where the report was written.

    A table wider than the console is printed as several tables, each with some
    of the score columns, so every row and every score is shown in full.

    Parameters
    ----------
    run : RunResult
    analysis : Analysis, optional
        Across-seed summaries (for the fine-tuning table) and verdicts (printed under
        the tables), from :func:`evalsuite.analysis.compare.analyze`.
    console : rich.console.Console, optional
        Defaults to a stdout console.
    report_paths : mapping of str to path, optional
        Files written by :func:`evalsuite.report.writer.write_report`.
    """
    console = console or Console()
    analysis = analysis or Analysis()
    for grid in (_summary_grid(run), _finetune_grid(run, analysis)):
        if grid is not None:
            print_grid(grid, console)
    if not analysis.verdicts:
        console.print("no comparison statistics: no verdict", style="dim", highlight=False)
    for v in analysis.verdicts:
        kind, text = verdict_sentence(v)
        style = "bold green" if kind == "verdict" else "yellow"
        console.print(Text.assemble(rich_text(f"{v.kind}:", style), " ", rich_text(plain(text))))
    if is_number(run.wall_time) and run.wall_time:
        console.print(f"wall time {run.wall_time:.1f} s", highlight=False)
    for key in ("markdown", "html", "json"):
        if report_paths and key in report_paths:
            console.print(rich_text(f"{key}: {report_paths[key]}"), soft_wrap=True)



def _evaluation_cell(r, one_line: bool) -> str:
    if r is None:
        return "-"
    score = f"{r.main_score:.3f}" if math.isfinite(r.main_score) else "n/a"
    if not r.sufficient:  # too few items scored: shown, but left out of verdicts and the gate
        score += " (insufficient)"
    ci = f"[{r.ci95[0]:.3f}, {r.ci95[1]:.3f}]" if r.ci95 else ""
    covered = f"{r.n_scored}/{r.n_items} covered"
    if one_line:  # fixed widths: the cells of a column line up
        return f"{score:>6} {ci:>16} {covered:>19}"
    return "\n".join([score, ci, covered])


def evaluation_grid(results, task_names: Sequence[str], embedding_names: Sequence[str],
                    title: str) -> ScoreGrid:
    """The scores of ``evalsuite evaluate``: main score, 95% CI and coverage per task and embedding.

    With at most :data:`FEW_EMBEDDINGS` embeddings a task is a row (with its metric) and an
    embedding a column, else the other way round; names are :func:`short_labels`.
    """
    by_key = {(r.embedding, r.task): r for r in results}
    emb_label, task_label = short_labels(embedding_names), short_labels(task_names)
    metric = {r.task: r.main_score_name for r in results}
    if len(embedding_names) <= FEW_EMBEDDINGS:
        rows = tuple(((rich_text(task_label[t]), metric.get(t, "")),
                      tuple(_evaluation_cell(by_key.get((e, t)), True) for e in embedding_names))
                     for t in task_names)
        return ScoreGrid(title, ("task", "metric"), tuple(rich_text(emb_label[e]) for e in embedding_names), rows)
    rows = tuple(((rich_text(emb_label[e]),), tuple(_evaluation_cell(by_key.get((e, t)), False) for t in task_names))
                 for e in embedding_names)
    columns = tuple(Text(f"{visible(task_label[t])}\n{metric.get(t, '')}") for t in task_names)
    return ScoreGrid(title, ("embedding",), columns, rows)


def print_evaluation(results, task_names: Sequence[str], embedding_names: Sequence[str], title: str,
                     console: Console | None = None) -> None:
    """Print :func:`evaluation_grid`, then the full path of every file shown by its stem.

    Parameters
    ----------
    results : sequence of TaskResult
        One per (embedding, task); ``embedding`` and ``task`` are the names given here.
    task_names, embedding_names : sequence of str
        Row and column order (dataset names or file paths; vector file paths).
    title : str
        Printed above the table.
    console : rich.console.Console, optional
        Defaults to a stdout console.
    """
    console = console or Console()
    print_grid(evaluation_grid(results, task_names, embedding_names, title), console)
    _print_paths(short_labels(embedding_names), console)
    _print_paths(short_labels(task_names), console)
