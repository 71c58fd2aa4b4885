"""A score's history in the terminal: one row per score, one column per run, check's failures marked.

Rendering only: the series, breaks and gate results come computed in a
:class:`~evalsuite.analysis.history.History`. The table is a
:class:`~evalsuite.report.grids.ScoreGrid`, split over its run columns where it is wider than
the console, so that every cell is shown whole in 100 columns (or fewer).
"""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from evalsuite.analysis.history import History, HistoryPoint, HistoryRun, ScoreSeries
from evalsuite.core.markup import rich_text

from .answer import KIND_TITLES, score_text
from .grids import ScoreGrid, print_grid

#: the marks of a point ``check`` fails, by the gate's status
MARKS = {"regression": "▼", "missing": "!"}
#: the mark of a run whose scores do not continue the line before it
BREAK = "‖"
UNITS = {"similarity": "Spearman ρ", "analogy": "accuracy %", "classification": "accuracy %"}


def run_date(run: HistoryRun) -> str:
    """``2026-05-14 10:15`` from the run's creation time (as stored, when it is not ISO)."""
    text = run.created or ""
    return text[:16].replace("T", " ") if len(text) >= 16 and text[10:11] == "T" else text or "–"


def point_text(point: HistoryPoint | None, kind: str) -> str:
    """The score as the scoreboard shows it and its check mark (``0.612▼``, ``–!``, ``61.2``)."""
    if point is None:
        return ""
    return score_text(point.score, kind) + MARKS.get(point.status or "", "")


def score_label(s: ScoreSeries) -> str:
    """``task`` (and its variant label, where the task has several)."""
    return f"{s.task} {s.variant_label}" if s.variant_label else s.task


def check_text(history: History, index: int) -> str:
    """What ``check`` said of run number ``index``: ``2 failures``, ``passed``, or why it was not run."""
    run = history.runs[index]
    if not run.checked:
        return run.check
    n = history.failures(index)
    return f"check: {n} failure{'s' if n != 1 else ''}" if n else "check: passed"


def legend(history: History) -> str:
    """What the marks mean (and against which baseline)."""
    breaks = (f"{BREAK} a break: protocol, corpus or vocabulary policy changed, so the runs before and after "
              "are not one line.")
    if history.baseline is None:
        return f"No baseline: no check marks (give --baseline, or run `evalsuite run --baseline`). {breaks}"
    if history.level is None:
        return f"Baseline {history.baseline}: no run is comparable with it, so none was checked. {breaks}"
    return (f"Checked against {history.baseline} as `evalsuite check` does (Holm, α = {history.level:g}, "
            f"margin {history.margin:g}): ▼ a significant drop, ! a baseline score the run lacks. {breaks}")


def history_grid(history: History) -> ScoreGrid:
    """The history as a grid: key columns task and embedding, a column per run (``#3`` and its date;
    ``‖`` before the number where a break comes first)."""
    columns = []
    for i, run in enumerate(history.runs):
        date = run_date(run)
        head = Text(f"{BREAK if run.break_before else ''}#{i + 1}\n{date[5:10] or date}\n{date[11:16]}",
                    style="bold red" if history.failures(i) else "")
        columns.append(head)
    rows = []
    for s in history.series:
        cells = tuple(rich_text(point_text(p, s.kind), "bold red" if p is not None and p.failed else "")
                      for p in s.points)
        rows.append(((rich_text(score_label(s)), rich_text(s.embedding)), cells))
    units = ", ".join(dict.fromkeys(f"{KIND_TITLES.get(s.kind, s.kind).lower()}: {UNITS.get(s.kind, s.metric)}"
                                    for s in history.series))
    title = f"History of {history.name}: {len(history.series)} scores in {len(history.runs)} runs ({units})"
    return ScoreGrid(title=title, keys=("task", "embedding"), columns=tuple(columns), rows=tuple(rows))


def run_lines(history: History) -> list[str]:
    """A line per run: its number, id, date, git state and check; a line per break."""
    lines = []
    for i, run in enumerate(history.runs):
        if run.break_before:
            lines.append(f"  {BREAK} break before #{i + 1}: " + "; ".join(run.break_before))
        lines.append(f"#{i + 1} {run.run_id} · {run_date(run)} · git {run.git.label} · {check_text(history, i)}")
    return lines


def print_history(history: History, console: Console) -> None:
    """Print the table (split to fit the console), the runs and the legend."""
    print_grid(history_grid(history), console)
    for line in run_lines(history):
        console.print(rich_text(line), soft_wrap=False)
    console.print(rich_text(legend(history)))


__all__ = ["BREAK", "MARKS", "check_text", "history_grid", "legend", "point_text", "print_history", "run_date",
           "run_lines", "score_label"]
