"""The history page: every score over the runs of one config, as one self-contained HTML file.

A summary of ``check``'s failures, then small multiples in a responsive grid (one inline SVG
panel per score, :mod:`evalsuite.report.history_plot`) in sections by task kind like the
scoreboard, then a table of the runs (date, git commit, config hash, check, breaks) and one of
the failures. No script, no external file: the style sheet is the report's own, inline.
"""

from __future__ import annotations

import html

from evalsuite.analysis.history import History, ScoreSeries
from evalsuite.analysis.verdict import difference_text
from evalsuite.core.atomic import write_text
from evalsuite.core.markup import visible

from .answer import KIND_ORDER, KIND_TITLES, score_text
from .history import BREAK, check_text, run_date, score_label
from .history_plot import svg_panel
from .html import CSS
from .views import fmt_p, is_number

PAGE_CSS = """
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:.6em 1em;margin:.6em 0 1.4em}
figure.panel{margin:0;border:1px solid #e4e4e4;border-radius:4px;padding:.3em .4em;min-width:0}
figure.panel.failed{border-color:#c62828;box-shadow:0 0 0 1px #c62828}
figure.panel figcaption{font-style:normal;font-size:.85em;color:#222;display:flex;justify-content:space-between;gap:.5em}
figure.panel figcaption .name{overflow-wrap:anywhere}
figure.panel figcaption .latest{font-variant-numeric:tabular-nums;white-space:nowrap}
svg.plot{width:100%;height:auto;display:block}
.fail{color:#c62828;font-weight:bold}
.brk{color:#e08214;font-weight:bold}
.key{display:inline-block;width:1.4em;height:.8em;vertical-align:middle;background:#dbe9f6;border-top:1px dashed #4a7fb5}
"""


def _esc(text) -> str:
    return html.escape(visible(text), quote=True)


def _summary(history: History) -> str:
    runs = history.runs
    span = f"{run_date(runs[0])} to {run_date(runs[-1])}" if len(runs) > 1 else run_date(runs[0])
    text = (f"{len(history.series)} scores of the runs named <code>{_esc(history.name)}</code>: "
            f"{len(runs)} run{'s' if len(runs) != 1 else ''}, {_esc(span)}. ")
    if history.baseline is None:
        text += ("No baseline, so no run was checked (give <code>--baseline</code>, or run "
                 "<code>evalsuite run --baseline</code>).")
    elif history.level is None:
        text += f"No run is comparable with the baseline <code>{_esc(history.baseline)}</code>, so none was checked."
    else:
        text += (f"Each run is checked against the baseline <code>{_esc(history.baseline)}</code> as "
                 f"<code>evalsuite check</code> does (Holm, α = {history.level:g}, margin {history.margin:g}).")
    out = [f"<p>{text}</p>"]
    failing = [i for i in range(len(runs)) if history.failures(i)]
    checked = sum(r.checked for r in runs)
    if failing:
        parts = [f"#{i + 1} ({history.failures(i)} score{'s' if history.failures(i) != 1 else ''})" for i in failing]
        out.append(f'<div class="callout warning" data-check="failures"><strong>Check fails</strong> in '
                   f"{len(failing)} of the {checked} runs checked: {_esc(', '.join(parts))}: the red panels and "
                   '▼ marks below; each failure is listed under <a href="#failures">Check failures</a>.</div>')
    elif any(r.checked for r in runs):
        out.append('<div class="callout verdict" data-check="failures">Check passes in every run checked.</div>')
    return "\n".join(out)


def _legend(history: History) -> str:
    band = {s.band.basis for s in history.series if s.band is not None}
    what = []
    if "gate" in band:
        what.append("the drop the gate tolerates (its margin plus the one-sided critical value times the test's "
                    "standard error, before Holm's correction, for a run like the latest one checked)")
    if "seeds" in band:
        what.append("1.96 × the spread of the baseline's seeds (where the gate has no standard error)")
    band_text = (f'<span class="key"></span> the baseline\'s band: its mean (dashed) ± {" or ± ".join(what)}. '
                 if what else ('<span class="key"></span> the baseline\'s mean (dashed). ' if band else ""))
    return (f'<p>Each panel: one score over the runs (numbered as under <a href="#runs">Runs</a>), with its 95% interval '
            f"(across seeds with two or more seeds, else the bootstrap over items). {band_text}"
            f'<span class="fail">▼</span> a point <code>check</code> fails (a significant drop, or the score '
            f"missing: a mark on the axis); a hollow point rests on too few items and is not checked. "
            f'<span class="brk">{BREAK}</span> a break (dashed orange rule): the '
            "protocol, corpus or vocabulary policy changed, so the line does not join the runs across it. "
            "Hover a point for its run, score and check result.</p>")


def _runs_table(history: History) -> str:
    rows = ["<thead><tr><th>#</th><th>Run</th><th>Created (UTC)</th><th>Git</th><th>Config</th>"
            "<th>Check</th></tr></thead><tbody>"]
    for i, run in enumerate(history.runs):
        if run.break_before:
            rows.append(f'<tr><td colspan="6"><span class="brk">{BREAK} break:</span> '
                        f"{_esc('; '.join(run.break_before))}</td></tr>")
        check = check_text(history, i)
        cls = ' class="fail"' if history.failures(i) else ""
        rows.append(f"<tr><td>{i + 1}</td><td><code>{_esc(run.run_id)}</code></td><td>{_esc(run_date(run))}</td>"
                    f"<td>{_esc(run.git.label)}</td><td><code>{_esc(run.config_hash[:8] or '–')}</code></td>"
                    f"<td{cls}>{_esc(check)}</td></tr>")
    rows.append("</tbody>")
    return '<div class="scroll"><table>' + "".join(rows) + "</table></div>"


def _panel(history: History, s: ScoreSeries) -> str:
    latest = next((p for p in reversed(s.points) if p is not None), None)
    latest_text = score_text(latest.score, s.kind) if latest is not None else "–"
    marks = ",".join(str(i + 1) for i in s.failures)  # the runs check fails this score in
    attrs = f' class="panel failed" data-failed="{marks}"' if marks else ' class="panel"'
    flag = '<span class="fail">▼</span> ' if marks else ""
    name = f"{score_label(s)} · {s.embedding}"
    return (f'<figure{attrs}><figcaption><span class="name">{_esc(name)}</span>'
            f'<span class="latest">{flag}{_esc(latest_text)}</span></figcaption>{svg_panel(history, s)}</figure>')


def _sections(history: History) -> list[tuple[str, str, str]]:
    """(anchor, title, HTML) per task kind, in the scoreboard's order."""
    kinds = sorted(dict.fromkeys(s.kind for s in history.series), key=lambda k: KIND_ORDER.get(k, 9))
    out = []
    for kind in kinds:
        panels = [_panel(history, s) for s in history.series if s.kind == kind]
        unit = "Spearman ρ" if kind == "similarity" else "accuracy (%)"
        title = KIND_TITLES.get(kind, kind.capitalize())
        out.append((f"kind-{kind}", title, f"<p>{_esc(unit)}, {len(panels)} scores.</p>"
                    f'<div class="grid">{"".join(panels)}</div>'))
    return out


def _change_text(change, kind: str) -> str:
    """A change in the unit its scores are shown in: ρ with 3 decimals, accuracy in points."""
    return difference_text(kind, change) if is_number(change) else "–"


def _failures(history: History) -> str:
    rows = []
    for s in history.series:
        for i in s.failures:
            p = s.points[i]
            rows.append(f"<tr><td>{i + 1}</td><td>{_esc(score_label(s))}</td><td>{_esc(s.embedding)}</td>"
                        f'<td class="num">{_esc(score_text(p.score, s.kind))}</td>'
                        f'<td class="num">{_esc(score_text(s.band.center, s.kind) if s.band else "–")}</td>'
                        f'<td class="num">{_esc(_change_text(p.change, s.kind))}</td><td class="num">{_esc(fmt_p(p.p_holm))}</td>'
                        f"<td>{_esc('significant drop' if p.status == 'regression' else 'missing')}</td></tr>")
    if not rows:
        return ""
    head = ("<thead><tr><th>Run</th><th>Task</th><th>Embedding</th><th>Score</th><th>Baseline</th>"
            "<th>Change</th><th>Holm p</th><th>Check</th></tr></thead>")
    return ('<h2 id="failures">Check failures</h2><div class="scroll"><table>' + head + "<tbody>"
            + "".join(rows) + "</tbody></table></div>")


def render_history_html(history: History) -> str:
    """The whole page as a string."""
    title = f"evalsuite history: {history.name}"
    sections = _sections(history)
    failures = _failures(history)
    links = [(a, t) for a, t, _ in sections] + [("runs", "Runs")] + ([("failures", "Check failures")] if failures else [])
    toc = ('<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>'
           + "".join(f'<li><a href="#{a}">{_esc(t)}</a></li>' for a, t in links) + "</ol></nav>")
    body = [f"<h1>{_esc(title)}</h1>", _summary(history), toc, _legend(history)]
    body += [f'<h2 id="{a}">{_esc(t)}</h2>{inner}' for a, t, inner in sections]
    body += ['<h2 id="runs">Runs</h2>', _runs_table(history), failures]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{_esc(title)}</title>\n<link rel=\"icon\" href=\"data:,\">\n"
            f"<style>{CSS}{PAGE_CSS}</style>\n</head>\n<body>\n" + "\n".join(b for b in body if b)
            + "\n</body>\n</html>\n")


def write_history_html(history: History, path) -> None:
    """Write the page to ``path`` atomically (a crash leaves the old file or none, never half a page)."""
    write_text(path, render_history_html(history))


__all__ = ["render_history_html", "write_history_html"]
