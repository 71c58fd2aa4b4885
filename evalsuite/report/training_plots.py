"""Training figures: loss, learning and overfitting curves, regularization effects (PNG bytes).

Sizes, fonts and colours follow :mod:`evalsuite.report.plot_style`.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from . import plot_style as style


@style.styled
def loss_curves(curves: Mapping[str, Mapping[str, Sequence[float]]], *,
                panels: Mapping[str, str] | None = None, colors: Mapping[str, str] | None = None) -> bytes:
    """Training loss per epoch: a panel per trainer objective, a line per embedding.

    Parameters
    ----------
    curves : mapping of label to ``{"epoch": [...], "loss": [...]}``
        One line per embedding.
    panels : mapping of label to panel name, optional
        Lines whose losses share a scale (same trainer objective) share a panel.
    colors : mapping of label to colour, optional
        From :func:`~evalsuite.report.plot_style.embedding_colors` (default: from these labels alone).
    """
    if not curves:
        return style.empty("no training history")
    panels = panels or {label: "" for label in curves}
    colors = style.palette(curves, colors)
    names = list(dict.fromkeys(panels.get(label, "") for label in curves))
    rows, cols = style.grid(len(names), 4)
    fig = style.figure(min(style.MAX_WIDTH, 250 * cols + 160), 200 * rows + 10)
    handles = {}
    for p, name in enumerate(names):
        ax = fig.add_subplot(rows, cols, p + 1)
        for label, c in curves.items():
            if panels.get(label, "") == name:
                handles[label], = ax.plot(c["epoch"], [style.nan(v) for v in c["loss"]], marker="o", ms=3,
                                          color=colors[label])
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        if p % cols == 0:
            ax.set_ylabel("loss")
    style.legend_right(fig, list(handles.values()), list(handles))
    return style.png(fig)


def _best(record: Mapping) -> int | None:
    best = record.get("best_epoch")
    if best is None:
        vals = [style.nan(v) for v in record.get("val_acc", ())]
        finite = [(v, i) for i, v in enumerate(vals) if not math.isnan(v)]
        return record["epoch"][max(finite)[1]] if finite else None  # ties: the later epoch
    return best


@style.styled
def overfitting_curves(records: Sequence[Mapping], *, colors: Mapping[str, str] | None = None) -> bytes:
    """Train and validation accuracy per epoch, a small panel per (setting, embedding).

    The shaded band between the two curves is the train − validation gap, so
    overfitting shows as a band that widens while validation accuracy stalls; a
    marker shows the best validation epoch.

    Parameters
    ----------
    records : sequence of mapping
        One per curve: ``embedding``, ``panel`` (a row of panels: model / mode /
        setting), ``epoch``, ``train_acc``, ``val_acc`` and optionally ``best_epoch``
        (default: the epoch of the highest validation accuracy).
    colors : mapping of str to str, optional
        Embedding colours (:func:`~evalsuite.report.plot_style.embedding_colors`).
    """
    if not records:
        return style.empty("no learning curves")
    embs = list(dict.fromkeys(r["embedding"] for r in records))
    panels = list(dict.fromkeys(r.get("panel", "") for r in records))
    colors = style.palette(embs, colors)
    cell = {(r.get("panel", ""), r["embedding"]): r for r in records}
    chunks = [embs[i:i + 5] for i in range(0, len(embs), 5)]  # at most 5 panels a row
    cols = len(chunks[0])
    rows = [(p, chunk) for chunk in chunks for p in panels]
    fig = style.figure(min(style.MAX_WIDTH, 190 * cols + 70), 170 * len(rows) + 55)
    subfigs = fig.subfigures(len(rows), 1, squeeze=False).ravel()
    # the same limits everywhere; axes shared across subfigures would redraw the figure at each change
    xlim, ylim = style.limits([r["epoch"] for r in records]), style.limits(
        [r[k] for r in records for k in ("train_acc", "val_acc")], pad=0.05)
    for sf, (panel, chunk) in zip(subfigs, rows):
        if panel:
            sf.suptitle(panel, x=0.0, ha="left", fontsize=11, fontweight="bold")
        for j, emb in enumerate(chunk):
            ax = sf.add_subplot(1, cols, j + 1)
            ax.set(xlim=xlim, ylim=ylim)
            ax.set_title(emb, color=colors[emb])
            r = cell.get((panel, emb))
            if r is not None:
                _train_val(ax, r, colors[emb])
            ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(4))
            if j == 0:
                ax.set_ylabel("accuracy")
            else:
                ax.tick_params(labelleft=False)
            if sf is subfigs[-1]:
                ax.set_xlabel("epoch")
    handles = [Line2D([], [], color=style.GREY, label="validation"),
               Line2D([], [], color=style.GREY, ls="--", label="train"),
               Patch(color=style.GREY, alpha=0.25, label="train − validation gap"),
               Line2D([], [], color=style.GREY, marker="o", ls="", label="best validation epoch")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    return style.png(fig)


def _train_val(ax, r: Mapping, color: str) -> None:
    epochs = list(r["epoch"])
    train = [style.nan(v) for v in r["train_acc"]]
    val = [style.nan(v) for v in r["val_acc"]]
    ax.plot(epochs, val, color=color)
    ax.plot(epochs, train, color=color, ls="--")
    ax.fill_between(epochs, val, train, color=color, alpha=0.18, lw=0)
    best = _best(r)
    if best in epochs:
        ax.plot([best], [val[epochs.index(best)]], "o", color=color, ms=5)


def learning_curves(panels: Mapping[str, Mapping[str, Mapping[str, Sequence[float]]]], *,
                    colors: Mapping[str, str] | None = None) -> bytes:
    """:func:`overfitting_curves` of ``panels[title][embedding] = {"epoch", "train_acc", "val_acc"}``."""
    records = [{"panel": title, "embedding": emb, **curves}
               for title, lines in panels.items() for emb, curves in lines.items()]
    return overfitting_curves(records, colors=colors)


@style.styled
def regularizer_effect(param: str, records: Sequence[Mapping], *,
                       colors: Mapping[str, str] | None = None) -> bytes:
    """Effect of one regularizer on test accuracy and on the train − validation gap.

    Small multiples: a column per ``panel`` (mode), accuracy on the top row and the gap below
    (each row on one y scale, so the modes compare at a glance), a line per embedding, error
    bars of ± one sd over seeds; the swept values are evenly spaced on the x axis.

    Parameters
    ----------
    param : str
        The regularizer (x axis label).
    records : sequence of mapping
        One per line: ``embedding``, ``panel`` (optional), ``x``, ``acc``, ``gap`` and
        optionally ``acc_sd``, ``gap_sd``.
    colors : mapping of str to str, optional
        Embedding colours (:func:`~evalsuite.report.plot_style.embedding_colors`).
    """
    if not records:
        return style.empty(f"no sweep over {param}")
    embs = list(dict.fromkeys(r["embedding"] for r in records))
    panels = list(dict.fromkeys(r.get("panel", "") for r in records))
    colors = style.palette(embs, colors)
    xs = sorted({float(x) for r in records for x in r["x"]})
    fig = style.figure(min(style.MAX_WIDTH, 300 * len(panels) + 170), 2 * 210 + 40)
    axes = fig.subplots(2, len(panels), sharex=True, sharey="row", squeeze=False)
    handles = {}
    for j, panel in enumerate(panels):
        for r in (r for r in records if r.get("panel", "") == panel):
            k = embs.index(r["embedding"])
            pos = [xs.index(float(x)) + 0.08 * (k - (len(embs) - 1) / 2) for x in r["x"]]
            for ax, key in zip(axes[:, j], ("acc", "gap")):
                sd = r.get(f"{key}_sd")
                handles[r["embedding"]] = ax.errorbar(
                    pos, [style.nan(v) for v in r[key]], yerr=None if sd is None else [style.nan(v) for v in sd],
                    marker="o", ms=4, capsize=3, color=colors[r["embedding"]])
        prefix = f"{panel}: " if panel else ""
        axes[0, j].set_title(f"{prefix}test accuracy")
        axes[1, j].set_title(f"{prefix}train − val. gap")
        for ax in axes[:, j]:
            ax.yaxis.set_major_locator(MaxNLocator(5))
            ax.grid(axis="y", color="#eeeeee")
    for ax in axes[-1]:
        ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs])
        ax.set_xlabel(param)
    style.legend_right(fig, list(handles.values()), list(handles))
    return style.png(fig)


def regularization_curves(param: str, series: Mapping[str, Mapping[str, Sequence[float]]], *,
                          colors: Mapping[str, str] | None = None) -> bytes:
    """:func:`regularizer_effect` of ``series[label] = {"x", "acc", "acc_sd", "gap", "gap_sd"}``.

    A series may name its ``embedding`` and ``panel``; otherwise its label is the embedding.
    """
    records = [{"embedding": s.get("embedding", label), **s} for label, s in series.items()]
    return regularizer_effect(param, records, colors=colors)
