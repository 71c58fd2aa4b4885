"""Report sections on the fairness of the comparison: the settings table and the grid verdicts.

Rendering only: :class:`~evalsuite.analysis.types.SettingsTable` and
:class:`~evalsuite.analysis.types.Sensitivity` come computed from
:func:`evalsuite.analysis.compare.analyze`.
"""

from __future__ import annotations

from evalsuite.analysis.aggregate import variant_labels
from evalsuite.analysis.sensitivity import Sensitivity
from evalsuite.analysis.types import Analysis, SettingsTable
from evalsuite.core.markup import literal

from . import score_plots
from .document import Callout, Figure, Heading, Marked, Paragraph, Table, fold

FAMILY_NAMES = {"word2vec": "Word2Vec", "glove": "GloVe"}


def _value(v) -> str:
    if v is None:
        return "–"
    return f"{v:g}" if isinstance(v, float) else str(v)


def settings_blocks(analysis: Analysis) -> list:
    """"Settings": every embedding's resolved parameters, broken matches in bold, declared reasons."""
    table: SettingsTable | None = analysis.settings
    if table is None or not table.rows:
        return []
    headers = ["Parameter"] + [f"{e} ({FAMILY_NAMES.get(f, f)})" for e, f in zip(table.embeddings, table.families)]
    rows = []
    for r in table.rows:
        label = r.param + (" (swept)" if r.swept else "") + (" (matched)" if r.matched and not r.swept else "")
        rows.append([label] + [Marked(f"**{literal(_value(v))}**") if hi else _value(v) for v, hi in zip(r.values, r.highlighted)])
    blocks = [Heading(2, "Settings"),
              Paragraph("Every embedding's trainer parameters as trained (defaults filled in). A fair "
                        "comparison holds the matched settings (dimension, window, min_count, negative "
                        "samples, learning rate, epochs, output) equal, or states why not; a value in bold "
                        "breaks the match. Swept parameters vary on purpose."),
              Table(headers, rows, numeric=[False] + [True] * len(table.embeddings))]
    declared = [[k, reason] for k, reason in table.declared.items()]
    if declared:
        blocks += [Paragraph("Differences declared in the config ([compare.differences]):"),
                   Table(["Setting", "Why it differs"], declared)]
    if table.undeclared:
        blocks.append(Callout("warning", "Matched settings that differ without a declared reason: "
                                         + ", ".join(table.undeclared)
                                         + ". Declare them under [compare.differences] or make them equal."))
    return fold(blocks, f"Every embedding's resolved parameters ({len(rows)} rows)"
                        + (f" and the {len(declared)} declared differences" if declared else ""))


def _grid_matrix(sens: Sensitivity):
    """Rows (task labels), columns (settings), differences and significance for the heatmap."""
    tasks: list[str] = []
    cells: dict[tuple[str, int], tuple[float | None, bool]] = {}
    for j, point in enumerate(sens.points):
        comps = point.verdict.comparisons
        for c, label in zip(comps, variant_labels(comps)):
            task = c.task + (f" ({label})" if label else "")
            if task not in tasks:
                tasks.append(task)
            cells[task, j] = (c.diff, c.significant)
    diffs = [[cells.get((t, j), (None, False))[0] for j in range(len(sens.points))] for t in tasks]
    sig = [[cells.get((t, j), (None, False))[1] for j in range(len(sens.points))] for t in tasks]
    return tasks, diffs, sig


def sensitivity_blocks(analysis: Analysis) -> list:
    """"Does the answer depend on the hyperparameters?": the verdict at each grid point, a heatmap, a summary."""
    sens = analysis.sensitivity
    if sens is None or not sens.points:
        return []
    rows = []
    for p in sens.points:
        v = p.verdict
        rows.append([p.label, p.a, p.b, p.ahead or "tie", Marked(f"**{literal(v.winner)}**") if v.winner else "no winner",
                     str(v.wins_a), str(v.wins_b), str(v.ties), "; ".join(v.excluded) or "–"])
    tasks, diffs, sig = _grid_matrix(sens)
    return fold([Heading(2, "Does the answer depend on the hyperparameters?"),
            Callout("neutral", sens.summary),
            Paragraph("At each setting of the grid the Word2Vec and the GloVe embedding trained with the same "
                      "swept values are compared on every task (Holm across the tasks of that setting). "
                      "Ahead: higher on more tasks. Winner: significant wins on more than half of the tasks "
                      "and none against."),
            Table(["Setting", "Word2Vec", "GloVe", "Ahead", "Verdict", "Word2Vec wins", "GloVe wins", "Ties",
                   "Left out"], rows, numeric=[False] * 5 + [True] * 3 + [False]),
            Figure("sensitivity.png",
                   score_plots.difference_heatmap(tasks, [p.label for p in sens.points], diffs, sig,
                                            title="Word2Vec − GloVe per task and setting"),
                   "Score difference Word2Vec − GloVe per task (rows) and grid setting (columns): "
                   "Spearman ρ for similarity, accuracy for analogy; * significant after Holm correction "
                   "across the setting's tasks")], f"The verdict at each of the {len(rows)} settings and a heatmap")


__all__ = ["sensitivity_blocks", "settings_blocks"]
