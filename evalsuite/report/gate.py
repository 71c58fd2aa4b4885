"""The regression gate's verdict as Markdown for a CI log (reads a GateReport, computes nothing)."""

from __future__ import annotations

import math
import re

from evalsuite.analysis.aggregate import variant_labels
from evalsuite.analysis.gate import GateReport
from evalsuite.core.markup import visible

from .markdown import markdown_text as _name

_MARKS = {"regression": "**REGRESSION**", "missing": "**MISSING**", "noise": "drop within noise",
          "margin": "drop within margin", "untested": "not tested", "ok": "ok"}
_ORDER = {"regression": 0, "missing": 1, "noise": 2, "margin": 3, "untested": 4, "ok": 5}


def _code(name) -> str:
    """A Markdown code span showing ``name`` as written (a longer fence around its own backticks)."""
    text = visible(name)
    fence = "`" * (1 + max(map(len, re.findall("`+", text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _f(x, fmt: str = ".4f") -> str:
    return "–" if x is None or not math.isfinite(x) else format(x, fmt)


def _p(x) -> str:
    return "–" if x is None else (f"{x:.2g}" if x < 0.001 else f"{x:.3f}")


def _seeds(report: GateReport) -> str:
    ks = sorted({r.n_seeds for r in report.rows})
    return "/".join(map(str, ks)) + (" seed" if ks == [1] else " seeds")


def rule_text(report: GateReport) -> str:
    """One paragraph stating the decision rule and its error rate."""
    n = sum(r.p_value is not None for r in report.rows)
    text = (f"Rule: per score, a one-sided t-test of \"current is lower than baseline by more than the margin\" "
            f"(margin {report.margin:g}), its standard error from the baseline's spread across training seeds "
            f"(an embedding factor times a task factor times the score's item-level variance, pooled over the "
            f"embeddings of each task; never below the score's own spread or its item-level variance). "
            f"Holm's correction over the {n} tested scores holds the family-wise false-alarm rate at "
            f"{report.level:g}. **REGRESSION** = significant drop (fails); drop within noise = lower, "
            f"not significant.")
    if any(r.basis == "item CIs" for r in report.rows):
        text += (" Scores whose baseline has a single seed are tested against the two results' item-level "
                 "CIs alone: training variance is unknown there, so such a baseline is not a reliable gate.")
    return text


def gate_markdown(report: GateReport) -> str:
    """Headline, rule and one table row per score (failures first)."""
    head = "PASS" if report.passed else "FAIL"
    lines = [f"## evalsuite check: {head}", "",
             f"Run {_code(report.run)} against baseline {_code(report.baseline)} ({_seeds(report)} per score): "
             f"{len(report.rows)} scores; {report.count('regression')} significant drop(s), "
             f"{report.count('noise')} drop(s) within noise, {report.count('missing')} missing"
             + (f", {report.count('untested')} not tested" if report.count("untested") else "") + "."
             + (f" {report.not_in_baseline} score(s) of the run are not in the baseline and were not checked."
                if report.not_in_baseline else ""), "",
             rule_text(report), "",
             "| status | embedding | task | metric | baseline | seed sd | item sd | current | change | SE | df "
             "| p | p (Holm) |",
             "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    rows = sorted(report.rows, key=lambda r: (_ORDER.get(r.status, 9), r.p_value if r.p_value is not None else 2,
                                              r.embedding, r.task))
    for r, label in zip(rows, variant_labels(rows)):
        task = _name(r.task + (f" ({label})" if label else ""))
        df = "∞" if r.df is not None and math.isinf(r.df) else _f(r.df, ".0f")
        lines.append(f"| {_MARKS.get(r.status, r.status)} | {_name(r.embedding)} | {task} | {_name(r.metric)} | {_f(r.baseline)} | "
                     f"{_f(r.seed_sd)} | {_f(r.item_sd)} | {_f(r.current)} | {_f(r.change, '+.4f')} | {_f(r.se)} | "
                     f"{df} | {_p(r.p_value)} | {_p(r.p_holm)} |")
    return "\n".join(lines) + "\n"
