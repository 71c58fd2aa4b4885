"""Rich summary printed at the end of a run.

Tables wider than the console are split into several tables over their score
columns, each repeating the leading (embedding) columns, so that no cell is cut
short on a narrow terminal or in an 80-column log.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalsuite.analysis.aggregate import at_base, base_values, swept_params
from evalsuite.analysis.types import Analysis
from evalsuite.core.markup import rich_text
from evalsuite.core.results import RunResult, TaskResult
from .comparisons import verdict_sentence
from .finetune import _mode_key, setup_of
from .grids import ScoreGrid, grid_table, print_grid
from .views import embedding_names, fmt, fmt_spread, is_number, pct


def _summary_grid(run: RunResult) -> ScoreGrid | None:
    results = [t for t in run.task_results if t.kind in ("similarity", "analogy")]
    if not results:
        return None
    tasks = list(dict.fromkeys(t.task for t in sorted(results, key=lambda t: (t.kind != "similarity", t.task))))
    kind_of = {t.task: t.kind for t in results}
    cells = {(t.embedding, t.task): t for t in results}
    rows = []
    for emb in embedding_names(run):
        if not any((emb, task) in cells for task in tasks):
            continue
        row = []
        for task in tasks:
            t = cells.get((emb, task))
            if t is None:
                row.append("–")
                continue
            score = pct(t.main_score) if t.kind == "analogy" else fmt(t.main_score)
            row.append(f"{score} [dim]({t.coverage:.0%})[/]" if t.n_items else score)
        rows.append(((rich_text(emb),), tuple(row)))
    columns = tuple(rich_text(f"{task}\n{'ρ' if kind_of[task] == 'similarity' else 'acc'}")
                    for task in tasks)
    return ScoreGrid(f"{run.name} ({run.run_id})", ("Embedding",), columns, tuple(rows))


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
        console.print(Text.assemble(rich_text(f"{v.kind}:", style), " ", rich_text(text.replace("**", ""))))
    if is_number(run.wall_time) and run.wall_time:
        console.print(f"wall time {run.wall_time:.1f} s", highlight=False)
    for key in ("markdown", "html", "json"):
        if report_paths and key in report_paths:
            console.print(rich_text(f"{key}: {report_paths[key]}"), soft_wrap=True)
