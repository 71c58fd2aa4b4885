"""The first screen of the report: the answer, the scoreboard and the run's settings in one line.

Rendering only: the verdicts, the ranks and the tests against each column's best come
computed in the :class:`~evalsuite.analysis.types.Analysis`.
"""

from __future__ import annotations

from evalsuite.analysis.paired import ALPHA
from evalsuite.analysis.types import Analysis, Verdict
from evalsuite.analysis.verdict import KINDS, median_text
from evalsuite.core.results import RunResult

from .comparisons import verdict_sentence
from evalsuite.core.markup import literal

from .document import Callout, Heading, Marked, Paragraph, RankedCell, RankedTable
from .finetune_modes import order_sentence
from .finetune_regularization import answer as regularization_answer
from .views import fmt, fmt_p, group_entries, is_number

KIND_TITLES = {"overall": "All tasks", "similarity": "Word similarity", "analogy": "Word analogy",
               "classification": "Text classification (fine-tuning)"}
KIND_ORDER = {"similarity": 0, "analogy": 1, "classification": 2, "overall": 3}


def one_sentence(v: Verdict, alpha: float = ALPHA) -> tuple[str, str]:
    """(callout kind, the verdict of one task kind in one sentence, with its evidence)."""
    title = KIND_TITLES.get(v.kind, v.kind.capitalize())
    n = v.wins_a + v.wins_b + v.ties
    if n == 0:  # no per-task counts: the verdict's own sentence
        kind, text = verdict_sentence(v) if (v.winner or v.comparisons or v.summary) else ("neutral", "not compared.")
        return kind, Marked(f"{literal(title)}: {text}")
    pairs = {(c.a, c.b) for c in v.comparisons}
    a, b = literal(v.a), literal(v.b)
    names = f" ({literal(next(iter(pairs))[0])} vs {literal(next(iter(pairs))[1])})" if len(pairs) == 1 else ""
    head = f"**{literal(v.winner)}** is better{names}" if v.winner else f"no winner{names}"
    text = (f"{literal(title)}: {head}: significant wins {a} {v.wins_a}, {b} {v.wins_b}, ties {v.ties} "
            f"of {n} task{'s' if n != 1 else ''} (Holm, α = {alpha:g})")
    if is_number(v.median_diff) and v.kind in KINDS:
        text += f"; median {a} − {b} {median_text(v.kind, v.median_diff)}"
    if v.excluded:
        text += f"; {len(v.excluded)} left out for too little evidence"
    return ("verdict" if v.winner else "neutral"), Marked(text + ".")


def score_text(score, kind: str) -> str:
    """A scoreboard cell: ρ with 3 decimals for similarity, accuracy in % (1 decimal) otherwise."""
    if not is_number(score):
        return "–"
    return fmt(score) if kind == "similarity" else f"{100 * score:.1f}"


def scoreboard_table(analysis: Analysis) -> RankedTable | None:
    """Embeddings × tasks, shaded by rank within each column (None without a scoreboard)."""
    board = analysis.scoreboard
    if board is None or not board.columns:
        return None
    cells = []
    for i, name in enumerate(board.embeddings):
        row = []
        for col in board.columns:
            c = col.cells[i]
            ranked = sum(x.rank is not None for x in col.cells)
            shade = None if c.rank is None else (1.0 if ranked == 1 else 1 - (c.rank - 1) / (ranked - 1))
            title = (f"rank {c.rank} of {ranked}" if c.rank else "not ranked: too little evidence"
                     if not c.sufficient else "")
            if c.p_adjusted is not None:
                title += f"; vs the best: Holm p = {fmt_p(c.p_adjusted)}"
            row.append(RankedCell(score_text(c.score, col.kind), shade, c.below_best, not c.sufficient, title))
        cells.append(row)
    return RankedTable(["Embedding"] + [c.label for c in board.columns], board.embeddings, cells, check="scoreboard")


def _legend(analysis: Analysis) -> str:
    board = analysis.scoreboard
    tests = ", ".join(dict.fromkeys(c.test for c in board.columns if c.test)) or "paired tests"
    seeds = f"mean over {board.n_seeds} seeds" if board.n_seeds > 1 else "one seed"
    text = (f"Spearman ρ for similarity, accuracy (%) for analogy and fine-tuning ({seeds}). Shaded by rank "
            f"within each column, the best in bold; ▼ significantly below the column's best ({tests}, Holm "
            f"across the column, α = {board.alpha:g}); greyed: too few items scored, neither ranked nor tested. "
            "The best is picked on the same items it is tested on, so a mark describes this run"
            + ("; the verdict above, whose two embeddings are fixed before any score is seen, is the "
               "selection-free comparison." if any(v.comparisons for v in analysis.verdicts) else "."))
    if board.base_settings:
        shown = {}  # the swept values shown -> the setups shown at them
        for setup, values in board.base_settings:
            shown.setdefault(", ".join(f"{k}={v:g}" for k, v in values), []).append(setup)
        text += (" Fine-tuning columns: " + "; ".join(f"{', '.join(setups)} at {values}" for values, setups in shown.items())
                 + " (every setting under Fine-tuning).")
    return text


def scoreboard_blocks(analysis: Analysis) -> list:
    """The "Scoreboard" section: its heading, the ranked table and the legend (none without a scoreboard)."""
    board = scoreboard_table(analysis)
    return [] if board is None else [Heading(2, "Scoreboard"), board, Paragraph(_legend(analysis))]


def settings_line(run: RunResult, analysis: Analysis) -> Paragraph | None:
    """The run's settings in one line, linked to the full settings table."""
    config = run.config or {}
    parts = []
    corpus = (config.get("corpus") or {}).get("name")
    if corpus:
        parts.append(f"corpus {corpus}")
    seeds = (config.get("run") or {}).get("seeds")
    if seeds:
        parts.append(f"seeds {', '.join(map(str, seeds))}")
    protocol = run.provenance.get("protocol") or {}
    if isinstance(protocol, dict) and protocol.get("name"):
        parts.append(f"protocol {protocol['name']}" + (f" v{protocol['version']}" if protocol.get("version") else ""))
    table = analysis.settings
    differ = []
    if table is not None:
        same = [r for r in table.rows if r.matched and not r.differs and len({repr(v) for v in r.values}) == 1]
        parts += [f"{r.param} {r.values[0]:g}" if isinstance(r.values[0], float) else f"{r.param} {r.values[0]}"
                  for r in same]
        differ = [literal(r.param) + (" (declared)" if r.declared else " (**not declared**)")
                  for r in table.rows if r.differs]
    parts = [literal(p) for p in parts] + (["differing: " + ", ".join(differ)] if differ else [])
    if not parts:
        return None
    return Paragraph(Marked("Settings: " + " · ".join(parts) + "."),
                     link=("Full settings table", "#settings") if table is not None and table.rows else None)


def study_answers(analysis: Analysis) -> list[tuple[str, str]]:
    """(callout kind, sentence) for the fine-tuning studies: Kim's order per dataset and model,
    and which regularizers help, per sweep."""
    out = []
    for (dataset, model), entries in group_entries(analysis.mode_effects, "dataset",
                                                   "model").items():
        if (order := order_sentence(entries)) is not None:
            out.append((order[0], f"Fine-tuning modes ({dataset} / {model}): {order[1]}"))
    for (setup, emb), entries in group_entries(analysis.regularization, "setup",
                                               "embedding").items():
        out.append(("verdict", f"Regularization ({setup}, {emb}): {regularization_answer(entries)}"))
    return out


def answer_blocks(run: RunResult, analysis: Analysis) -> list:
    """"The answer" (a sentence per task kind) and "Scoreboard", the report's first screen."""
    blocks = [Heading(2, "The answer")]
    alpha = analysis.scoreboard.alpha if analysis.scoreboard else ALPHA
    verdicts = sorted(analysis.verdicts, key=lambda v: KIND_ORDER.get(v.kind, 9))
    studies = study_answers(analysis)
    if studies:  # a study's own question comes first; a family comparison the run cannot make is left out
        verdicts = [v for v in verdicts if v.comparisons]
    elif not verdicts:
        blocks.append(Callout("neutral", "No Word2Vec–GloVe comparison for this run (it needs an embedding of "
                                         "each family), so no verdict is given.", check="answer"))
    blocks += [Callout(kind, text, check="answer") for kind, text in studies]
    for v in verdicts:
        blocks.append(Callout(*one_sentence(v, alpha), check="answer"))
    blocks += scoreboard_blocks(analysis)
    line = settings_line(run, analysis)
    if line is not None:
        blocks.append(line)
    return blocks


__all__ = ["answer_blocks", "one_sentence", "score_text", "scoreboard_blocks", "scoreboard_table", "settings_line",
           "study_answers"]
