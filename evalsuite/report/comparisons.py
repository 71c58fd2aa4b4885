"""Verdict sentences and comparison tables (rendering of precomputed statistics)."""

from __future__ import annotations

from evalsuite.analysis.aggregate import variant_labels
from evalsuite.analysis.types import Verdict

from evalsuite.core.markup import literal

from .document import Marked, Table
from .markdown import markdown_text
from .views import fmt, fmt_ci, fmt_p, is_number, pct


def verdict_sentence(v: Verdict) -> tuple[str, str]:
    """(callout kind, sentence) for one verdict: its own summary when it has one (complete
    sentences from the analysis), else a sentence built from its winner, test and p-value."""
    if v.summary:  # the analysis writes names in it with literal()
        return ("verdict" if v.winner else "neutral"), Marked(v.summary)
    test = v.test or "test not named"
    p = fmt_p(v.p_value)
    corr = f", {v.correction}-corrected" if v.correction else ""
    if v.winner:
        loser = v.b if v.winner == v.a else v.a
        text = (f"**{literal(v.winner)}** is better than {literal(loser)} on {literal(v.kind)} "
                f"({literal(test)}{literal(corr)} p = {p}).")
        kind = "verdict"
    else:
        text = (f"No significant difference between {literal(v.a)} and {literal(v.b)} on {literal(v.kind)} "
                f"({literal(test)}{literal(corr)} p = {p}).")
        kind = "neutral"
    return kind, Marked(text)


def comparison_table(comps, *, caption: str = "") -> Table:
    rows = []
    for c, setting in zip(comps, variant_labels(comps)):
        percent = c.kind in ("analogy", "classification")
        f = pct if percent else fmt
        diff = (f"{100 * c.diff:+.1f} pt" if percent else f"{c.diff:+.3f}") if is_number(c.diff) else "–"
        rows.append([c.task + (f" ({setting})" if setting else ""), c.a, c.b, c.metric,
                     f(c.score_a), f(c.score_b), diff, fmt_ci(c.ci95, percent=percent),
                     c.test or "–", fmt_p(c.p_value), fmt_p(c.p_adjusted),
                     "yes" if c.significant else "no"])
    return Table(["Task", "A", "B", "Metric", "A score", "B score", "A − B", "95% CI of A − B",
                  "Test", "p", "p (corrected)", "Significant"], rows, caption=caption,
                 numeric=[False] * 4 + [True] * 4 + [False, True, True, False])


def _number(x, sign=False) -> str:
    if x is None:
        return "–"
    return f"{x:+.4f}" if sign else f"{x:.4f}"


def comparison_markdown(analysis) -> str:
    """Markdown table of a run-vs-run comparison (:func:`~evalsuite.analysis.compare.compare_runs`),
    as ``evalsuite compare`` prints it."""
    name_of = markdown_text
    runs = analysis.runs
    lines = [f"## {name_of(runs.run)} vs {name_of(runs.baseline_run)}", ""]
    if not analysis.comparisons:
        lines.append("No (embedding, task) pair is present in both runs.")
        return "\n".join(lines) + "\n"
    lines += ["| embedding | task | metric | A | B | A - B | 95% CI | test | p (Holm) | significant |",
              "|---|---|---|---:|---:|---:|---|---|---:|---|"]
    for c in analysis.comparisons:
        name = name_of(c.a.rsplit(" (", 1)[0])
        task = name_of(c.task + (f" ({c.variant.text})" if c.variant.text else ""))
        ci = f"[{_number(c.ci95[0], sign=True)}, {_number(c.ci95[1], sign=True)}]" if c.ci95 else "–"
        lines.append(f"| {name} | {task} | {c.metric} | {_number(c.score_a)} | {_number(c.score_b)} | "
                     f"{_number(c.diff, sign=True)} | {ci} | {c.test} | {_number(c.p_adjusted, 3)} | "
                     f"{'yes' if c.significant else 'no'} |")
    only = runs.only_in_run
    if only:
        lines += ["", f"Only in A: {', '.join(name_of(f'{e}/{t}') for e, t in only)}"]
    return "\n".join(lines) + "\n"
