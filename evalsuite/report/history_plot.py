"""One score over the runs as a small inline SVG plot (a panel of the history page).

The panel scales with its box (``viewBox``, width 100%): the baseline's band as a shaded
stripe with its mean dashed, each run's score with its 95% interval as a whisker, the line
through the runs of one stretch (broken where protocol or corpus changed, the break a dashed
orange rule), the points ``check`` fails as red downward triangles, and a score on too few items
(never checked) hollow. Every point has a
tooltip (``<title>``) with its run, score, interval and check result.
"""

from __future__ import annotations

import html

from evalsuite.analysis.gate import STATUS_LABELS
from evalsuite.analysis.history import History, HistoryPoint, ScoreSeries
from evalsuite.core.markup import visible

from .answer import score_text
from .views import fmt, fmt_p

WIDTH, HEIGHT = 300, 120
LEFT, RIGHT, TOP, BOTTOM = 38, 8, 8, 18
INK, WHISKER, BAND, BAND_LINE, FAIL, BREAK_INK = "#333", "#999", "#dbe9f6", "#4a7fb5", "#c62828", "#e08214"


def _esc(text) -> str:
    return html.escape(visible(text), quote=True)


def _range(series: ScoreSeries) -> tuple[float, float]:
    values = []
    for p in series.points:
        if p is not None and p.score is not None:
            values.append(p.score)
            values += list(p.ci95 or ())
    if series.band is not None:
        values += [series.band.low, series.band.high]
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or max(abs(hi) * 0.05, 0.01)
    return lo - pad, hi + pad


def point_title(history: History, series: ScoreSeries, i: int, p: HistoryPoint) -> str:
    """The tooltip of run ``i``'s point: run, score, interval, seeds and the check's result."""
    run = history.runs[i]
    head = f"#{i + 1} {run.created[:16].replace('T', ' ')} git {run.git.label}: "
    if p.score is None:
        text = head + "no score"
    else:
        text = head + score_text(p.score, series.kind)
        if p.ci95:
            text += f" [{score_text(p.ci95[0], series.kind)}, {score_text(p.ci95[1], series.kind)}]"
        text += f" ({p.n_seeds} seed{'s' if p.n_seeds != 1 else ''})"
        if not p.sufficient:
            text += ", too few items scored"
    if p.status is not None:
        text += f"; check: {STATUS_LABELS.get(p.status, p.status)}"
        if p.change is not None:
            text += f", change {fmt(p.change)}, Holm p {fmt_p(p.p_holm)}"
    return text


def svg_panel(history: History, series: ScoreSeries) -> str:
    """The ``<svg>`` of one score over the runs of ``history``."""
    n = len(history.runs)
    lo, hi = _range(series)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: float) -> float:
        return LEFT + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + plot_h * (hi - v) / (hi - lo)

    out = [f'<svg class="plot" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
           f'aria-label="{_esc(series.task)} {_esc(series.embedding)} over {n} runs">']
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#ddd"/>')
    band = series.band
    if band is not None:
        top, bottom = y(min(hi, band.high)), y(max(lo, band.low))
        out.append(f'<rect class="band" x="{LEFT}" y="{top:.1f}" width="{plot_w}" height="{max(bottom - top, 0):.1f}" '
                   f'fill="{BAND}"><title>baseline {_esc(score_text(band.center, series.kind))} '
                   f'[{_esc(score_text(band.low, series.kind))}, {_esc(score_text(band.high, series.kind))}]</title></rect>')
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(band.center):.1f}" y2="{y(band.center):.1f}" '
                   f'stroke="{BAND_LINE}" stroke-dasharray="4 3"/>')
    for v in (lo, (lo + hi) / 2, hi):  # three ticks: the range's ends and middle
        out.append(f'<text x="{LEFT - 3}" y="{y(v) + 3:.1f}" text-anchor="end" font-size="9" fill="#666">'
                   f'{_esc(score_text(v, series.kind))}</text>')
    step = 1 if n <= 10 else 5
    for i in range(n):
        if i % step == 0 or i == n - 1:
            out.append(f'<text x="{x(i):.1f}" y="{HEIGHT - 5}" text-anchor="middle" font-size="9" fill="#666">'
                       f'{i + 1}</text>')
    for i, run in enumerate(history.runs):
        if i and run.break_before:
            xb = (x(i - 1) + x(i)) / 2
            out.append(f'<line class="break" x1="{xb:.1f}" x2="{xb:.1f}" y1="{TOP}" y2="{TOP + plot_h}" '
                       f'stroke="{BREAK_INK}" stroke-width="1.5" stroke-dasharray="3 2">'
                       f'<title>break: {_esc("; ".join(run.break_before))}</title></line>')
    for segment in history.segments:  # the line joins only the runs of one stretch
        pts = [(x(i), y(series.points[i].score)) for i in segment
               if series.points[i] is not None and series.points[i].score is not None]
        if len(pts) > 1:
            out.append(f'<polyline fill="none" stroke="{INK}" stroke-width="1.2" '
                       f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>')
    for i, p in enumerate(series.points):
        if p is None:
            continue
        title = f"<title>{_esc(point_title(history, series, i, p))}</title>"
        if p.score is None:
            if p.failed:  # a baseline score the run lacks: a mark on the axis
                out.append(f'<path class="fail" d="M{x(i) - 5:.1f},{TOP + plot_h - 9:.1f} h10 l-5,9 z" '
                           f'fill="{FAIL}">{title}</path>')
            continue
        if p.ci95:
            out.append(f'<line x1="{x(i):.1f}" x2="{x(i):.1f}" y1="{y(p.ci95[1]):.1f}" y2="{y(p.ci95[0]):.1f}" '
                       f'stroke="{WHISKER}" stroke-width="1.2"/>')
        if p.failed:
            cx, cy = x(i), y(p.score)
            out.append(f'<path class="fail" d="M{cx - 5.5:.1f},{cy - 4.5:.1f} h11 l-5.5,9.5 z" fill="{FAIL}">'
                       f'{title}</path>')
        else:
            fill = INK if p.sufficient else "#fff"  # hollow: too few items, never checked
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(p.score):.1f}" r="2.6" fill="{fill}" stroke="{INK}">'
                       f"{title}</circle>")
    out.append("</svg>")
    return "".join(out)


__all__ = ["point_title", "svg_panel"]
