"""Score figures: analogy and difference heatmaps, similarity scores, throughput (PNG bytes).

Sizes, fonts and colours follow :mod:`evalsuite.report.plot_style`.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import plot_style as style


@style.styled
def analogy_heatmap(embeddings: Sequence[str], sections: Sequence[str],
                    accuracy: Sequence[Sequence[float | None]], *, title: str = "") -> bytes:
    """Heatmap of analogy accuracy: a row per relation, a column per embedding.

    Parameters
    ----------
    embeddings : sequence of str
        Embedding labels (columns).
    sections : sequence of str
        Relations / sections (rows).
    accuracy : 2-D sequence of float or None
        ``accuracy[i][j]`` for embedding ``i`` and section ``j``, in [0, 1]; None where
        a relation has no covered question.
    title : str
        Figure title.
    """
    if not embeddings or not sections:
        return style.empty("no analogy results")
    values = [[style.nan(accuracy[i][j]) for i in range(len(embeddings))] for j in range(len(sections))]
    label_px = 7 * max(len(s) for s in sections)
    fig = style.figure(label_px + 90 * len(embeddings) + 140, 22 * len(sections) + 110)
    ax = fig.add_subplot()
    im = ax.imshow(values, vmin=0.0, vmax=1.0, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(embeddings)), embeddings)
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(sections)), sections)
    ax.tick_params(length=0)
    for j, row in enumerate(values):
        for i, v in enumerate(row):
            text = "–" if math.isnan(v) else f"{100 * v:.0f}"
            ax.text(i, j, text, ha="center", va="center",
                    color="black" if (not math.isnan(v) and v > 0.6) else "white")
    fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02, label="accuracy")
    if title:
        fig.suptitle(title, x=0.01, ha="left")
    return style.png(fig)


@style.styled
def throughput_bars(labels: Sequence[str], items_per_second: Sequence[float | None],
                    units: Sequence[str], train_seconds: Sequence[float | None], *,
                    colors: Mapping[str, str] | None = None) -> bytes:
    """Bars of training throughput (its unit written on each bar) and training time per embedding."""
    if not labels:
        return style.empty("no training measurements")
    colors = style.palette(labels, colors)
    label_px = 7 * max(len(s) for s in labels)
    fig = style.figure(min(style.MAX_WIDTH, 2 * 300 + label_px + 40), 24 * len(labels) + 80)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    ypos = list(range(len(labels)))
    bar_colors = [colors[label] for label in labels]
    rates = [style.nan(v) for v in items_per_second]
    ax1.barh(ypos, rates, color=bar_colors)
    for y, v, u in zip(ypos, rates, units):
        if not math.isnan(v):  # the unit differs between trainers: written at the end of each bar
            ax1.annotate(f"{_short_rate(v)} {u or '?'}/s", (v, y), xytext=(3, 0), textcoords="offset points",
                         va="center", ha="left")
    finite = [v for v in rates if not math.isnan(v)]
    if finite:
        ax1.set_xlim(0, 1.6 * max(max(finite), 1.0))
    ax1.set_yticks(ypos, labels)
    ax1.invert_yaxis()
    ax1.set_xlabel("items / second")
    ax1.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _short_rate(v) if v else "0"))
    ax2.barh(ypos, [style.nan(v) for v in train_seconds], color=bar_colors)
    ax2.set_xlabel("training time (s)")
    for ax in (ax1, ax2):
        ax.xaxis.set_major_locator(MaxNLocator(4))
    return style.png(fig)


def _short_rate(v: float) -> str:
    return f"{v / 1e6:.1f} M" if v >= 1e6 else (f"{v / 1e3:.0f} k" if v >= 1e3 else f"{v:.0f}")


@style.styled
def similarity_scores(datasets: Sequence[str], embeddings: Sequence[str],
                      scores: Mapping[str, Mapping[str, tuple[float, tuple[float, float] | None]]], *,
                      colors: Mapping[str, str] | None = None) -> bytes:
    """Spearman ρ with 95% CI: a small panel per dataset, a row per embedding.

    ``scores[embedding][dataset] = (rho, (low, high) or None)``; panels share the
    ρ axis, so datasets compare at a glance.
    """
    if not datasets or not embeddings:
        return style.empty("no similarity results")
    colors = style.palette(embeddings, colors)
    rows, cols = style.grid(len(datasets), 4)
    fig = style.figure(style.MAX_WIDTH if cols > 2 else 300 * cols + 120, rows * (20 * len(embeddings) + 70) + 30)
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    ypos = list(range(len(embeddings)))
    for ax, ds in zip(axes, datasets):
        ax.axvline(0.0, color="#bbbbbb", lw=0.8)
        for y, emb in zip(ypos, embeddings):
            if ds not in scores.get(emb, {}):
                continue
            rho, ci = scores[emb][ds]
            rho = style.nan(rho)
            if math.isnan(rho):
                continue  # no score: drawn as missing
            ax.errorbar([rho], [y], xerr=_ci_error(rho, ci), fmt="o", ms=5, capsize=3, color=colors[emb])
        ax.set_title(ds)
        ax.grid(axis="x", color="#eeeeee")
        ax.set_axisbelow(True)
    for ax in axes[len(datasets):]:
        ax.set_visible(False)
    axes[0].set_yticks(ypos, embeddings)
    axes[0].invert_yaxis()
    axes[0].xaxis.set_major_locator(MaxNLocator(4))
    for ax in axes[(rows - 1) * cols:]:
        ax.set_xlabel("Spearman ρ")
    return style.png(fig)


def _ci_error(value: float, ci) -> list | None:
    """``xerr`` of a CI around ``value``: None without a finite CI; a side the value lies beyond is 0."""
    low, high = (style.nan(c) for c in ci) if ci else (math.nan, math.nan)
    if math.isnan(low) or math.isnan(high):
        return None
    return [[max(value - low, 0.0)], [max(high - value, 0.0)]]


@style.styled
def difference_heatmap(tasks: Sequence[str], settings: Sequence[str],
                       diffs: Sequence[Sequence[float | None]], significant: Sequence[Sequence[bool]],
                       *, title: str = "") -> bytes:
    """Heatmap of score differences A − B, one row per task and one column per grid setting.

    Parameters
    ----------
    tasks, settings : sequence of str
        Row and column labels.
    diffs : 2-D sequence of float or None
        The differences, oriented so that positive favours A (None: not compared).
    significant : 2-D sequence of bool
        Cells marked with ``*`` (significant after correction).
    title : str
        Figure title.
    """
    if not tasks or not settings:
        return style.empty("no grid comparisons")
    values = [[style.nan(v) for v in row] for row in diffs]
    finite = [abs(v) for row in values for v in row if not math.isnan(v)]
    bound = max(finite) if finite and max(finite) > 0 else 1.0
    fig = style.figure(max(360, 70 * len(settings) + 220), max(160, 34 * len(tasks) + 140))
    ax = fig.add_subplot()
    im = ax.imshow(values, vmin=-bound, vmax=bound, cmap="RdBu", aspect="auto")
    ax.set_xticks(range(len(settings)), settings, rotation=45, ha="right", fontsize=10)
    ax.set_yticks(range(len(tasks)), tasks, fontsize=10)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            text = "–" if math.isnan(v) else f"{v:+.3f}" + ("*" if significant[i][j] else "")
            dark = not math.isnan(v) and abs(v) > 0.6 * bound
            ax.text(j, i, text, ha="center", va="center", fontsize=10, color="white" if dark else "black")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="A − B")
    ax.set_title(title, fontsize=11)
    return style.png(fig)
