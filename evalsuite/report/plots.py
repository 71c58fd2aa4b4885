"""Report figures as PNG bytes (matplotlib, Agg backend, no global pyplot state).

Every function takes plain, already computed numbers and returns the PNG file's
bytes; nothing here computes statistics.
"""

from __future__ import annotations

import io
import math
from typing import Mapping, Sequence

import matplotlib

matplotlib.use("Agg", force=False)
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

DPI = 90
_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
           "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _color(i: int) -> str:
    return _COLORS[i % len(_COLORS)]


def _figure(width: float, height: float) -> Figure:
    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buf.getvalue()


def _nan(v):
    return float("nan") if v is None else float(v)


def _empty(message: str) -> bytes:
    fig = _figure(4, 1.2)
    fig.text(0.5, 0.5, message, ha="center", va="center")
    return _png(fig)


def analogy_heatmap(embeddings: Sequence[str], sections: Sequence[str],
                    accuracy: Sequence[Sequence[float | None]], *, title: str = "") -> bytes:
    """Heatmap of analogy accuracy, one row per embedding and one column per relation.

    Parameters
    ----------
    embeddings : sequence of str
        Row labels.
    sections : sequence of str
        Column labels (relations / sections).
    accuracy : 2-D sequence of float or None
        Accuracy in [0, 1]; None where a relation has no covered question.
    title : str
        Figure title.
    """
    if not embeddings or not sections:
        return _empty("no analogy results")
    values = [[_nan(v) for v in row] for row in accuracy]
    fig = _figure(max(4.0, 0.55 * len(sections) + 2.5), max(1.6, 0.38 * len(embeddings) + 1.4))
    ax = fig.add_subplot()
    im = ax.imshow(values, vmin=0.0, vmax=1.0, cmap="viridis", aspect="auto")
    ax.set_xticks(range(len(sections)), [s.replace("gram", "g") for s in sections],
                  rotation=60, ha="right", fontsize=7)
    ax.set_yticks(range(len(embeddings)), embeddings, fontsize=7)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            text = "–" if math.isnan(v) else f"{100 * v:.0f}"
            ax.text(j, i, text, ha="center", va="center", fontsize=6,
                    color="black" if (not math.isnan(v) and v > 0.6) else "white")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="accuracy")
    ax.set_title(title, fontsize=9)
    return _png(fig)


def loss_curves(curves: Mapping[str, Mapping[str, Sequence[float]]], *,
                panels: Mapping[str, str] | None = None) -> bytes:
    """Training loss per epoch.

    Parameters
    ----------
    curves : mapping of label to ``{"epoch": [...], "loss": [...]}``
        One line per embedding.
    panels : mapping of label to panel name, optional
        Lines whose losses share a scale (same trainer objective) share a panel.
    """
    if not curves:
        return _empty("no training history")
    panels = panels or {label: "" for label in curves}
    names = list(dict.fromkeys(panels.get(label, "") for label in curves))
    fig = _figure(3.4 * len(names), 2.6)
    for p, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), p + 1)
        for i, (label, c) in enumerate(curves.items()):
            if panels.get(label, "") != name:
                continue
            ax.plot(c["epoch"], [_nan(v) for v in c["loss"]], marker="o", ms=3,
                    label=label, color=_color(i))
        ax.set_xlabel("epoch", fontsize=8)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("loss", fontsize=8)
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6, loc="upper right")
    return _png(fig)


def throughput_bars(labels: Sequence[str], items_per_second: Sequence[float | None],
                    units: Sequence[str], train_seconds: Sequence[float | None]) -> bytes:
    """Bars of training throughput (per unit) and training time per embedding."""
    if not labels:
        return _empty("no training measurements")
    fig = _figure(7.5, max(1.8, 0.32 * len(labels) + 1.0))
    ax1 = fig.add_subplot(1, 2, 1)
    ax2 = fig.add_subplot(1, 2, 2)
    ypos = range(len(labels))
    unit_names = list(dict.fromkeys(units))
    colors = [_color(unit_names.index(u)) for u in units]
    ax1.barh(ypos, [_nan(v) for v in items_per_second], color=colors)
    ax1.set_yticks(ypos, labels, fontsize=7)
    ax1.invert_yaxis()
    ax1.set_xlabel("items / second (" + ", ".join(u or "?" for u in unit_names) + ")", fontsize=8)
    for k, u in enumerate(unit_names):
        ax1.bar([0], [0], color=_color(k), label=u or "?")
    ax1.legend(fontsize=6, loc="lower right")
    ax2.barh(ypos, [_nan(v) for v in train_seconds], color="#7f7f7f")
    ax2.set_yticks(ypos, [""] * len(labels))
    ax2.invert_yaxis()
    ax2.set_xlabel("training time (s)", fontsize=8)
    for ax in (ax1, ax2):
        ax.tick_params(labelsize=7)
    return _png(fig)


def similarity_scores(datasets: Sequence[str], embeddings: Sequence[str],
                      scores: Mapping[str, Mapping[str, tuple[float, tuple[float, float] | None]]]
                      ) -> bytes:
    """Spearman correlation per dataset with 95% CI error bars, one marker per embedding.

    ``scores[embedding][dataset] = (rho, (low, high) or None)``.
    """
    if not datasets or not embeddings:
        return _empty("no similarity results")
    fig = _figure(max(4.0, 0.9 * len(datasets) + 2.0), 2.8)
    ax = fig.add_subplot()
    width = 0.8 / len(embeddings)
    for i, emb in enumerate(embeddings):
        xs, ys, lo, hi = [], [], [], []
        for j, ds in enumerate(datasets):
            if ds not in scores.get(emb, {}):
                continue
            rho, ci = scores[emb][ds]
            rho = _nan(rho)
            xs.append(j - 0.4 + width * (i + 0.5))
            ys.append(rho)
            lo.append(rho - ci[0] if ci else 0.0)
            hi.append(ci[1] - rho if ci else 0.0)
        ax.errorbar(xs, ys, yerr=[lo, hi], fmt="o", ms=4, capsize=2, label=emb, color=_color(i))
    ax.set_xticks(range(len(datasets)), datasets, fontsize=7, rotation=30, ha="right")
    ax.set_ylabel("Spearman ρ", fontsize=8)
    ax.axhline(0.0, color="#999999", lw=0.6)
    ax.tick_params(labelsize=7)
    ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _png(fig)


def learning_curves(panels: Mapping[str, Mapping[str, Mapping[str, Sequence[float]]]]) -> bytes:
    """Train (dashed) and validation (solid) accuracy per epoch.

    ``panels[title][label] = {"epoch", "train_acc", "val_acc"}``, one panel per
    (model, mode), one colour per embedding.
    """
    if not panels:
        return _empty("no learning curves")
    n = len(panels)
    cols = min(3, n)
    rows = math.ceil(n / cols)
    fig = _figure(3.2 * cols, 2.5 * rows)
    labels = list(dict.fromkeys(label for p in panels.values() for label in p))
    for k, (title, lines) in enumerate(panels.items()):
        ax = fig.add_subplot(rows, cols, k + 1)
        for label, c in lines.items():
            color = _color(labels.index(label))
            ax.plot(c["epoch"], [_nan(v) for v in c["val_acc"]], color=color, label=label)
            ax.plot(c["epoch"], [_nan(v) for v in c["train_acc"]], color=color, ls="--")
        ax.set_title(title, fontsize=8)
        ax.set_xlabel("epoch", fontsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel("accuracy", fontsize=7)
        ax.tick_params(labelsize=6)
        ax.legend(fontsize=5, title="solid: val, dashed: train", title_fontsize=5, loc="lower right")
    fig.tight_layout()
    return _png(fig)


def regularization_curves(param: str, series: Mapping[str, Mapping[str, Sequence[float]]]) -> bytes:
    """Effect of one regularization strength on test accuracy and train−val gap.

    ``series[label] = {"x", "acc", "acc_sd", "gap", "gap_sd"}`` (sd may be absent),
    one line per (embedding, init mode).
    """
    if not series:
        return _empty(f"no sweep over {param}")
    fig = _figure(7.0, 2.7)
    ax1 = fig.add_subplot(1, 2, 1)
    ax2 = fig.add_subplot(1, 2, 2)
    positive = [x for s in series.values() for x in s["x"] if x > 0]
    for i, (label, s) in enumerate(series.items()):
        for ax, key in ((ax1, "acc"), (ax2, "gap")):
            sd = s.get(f"{key}_sd")
            ax.errorbar(s["x"], [_nan(v) for v in s[key]],
                        yerr=None if sd is None else [_nan(v) for v in sd],
                        marker="o", ms=3, capsize=2, color=_color(i), label=label)
    for ax, ylabel in ((ax1, "test accuracy"), (ax2, "train − val accuracy gap")):
        if positive and max(positive) / min(positive) >= 10:
            ax.set_xscale("symlog", linthresh=min(positive))
        ax.set_xlabel(param, fontsize=8)
        ax.set_ylabel(ylabel, fontsize=8)
        ax.tick_params(labelsize=7)
    ax2.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.0, 0.5))
    return _png(fig)


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
        return _empty("no grid comparisons")
    values = [[_nan(v) for v in row] for row in diffs]
    finite = [abs(v) for row in values for v in row if not math.isnan(v)]
    bound = max(finite) if finite and max(finite) > 0 else 1.0
    fig = _figure(max(4.0, 0.75 * len(settings) + 2.5), max(1.8, 0.4 * len(tasks) + 1.6))
    ax = fig.add_subplot()
    im = ax.imshow(values, vmin=-bound, vmax=bound, cmap="RdBu", aspect="auto")
    ax.set_xticks(range(len(settings)), settings, rotation=45, ha="right", fontsize=7)
    ax.set_yticks(range(len(tasks)), tasks, fontsize=7)
    for i, row in enumerate(values):
        for j, v in enumerate(row):
            text = "–" if math.isnan(v) else f"{v:+.3f}" + ("*" if significant[i][j] else "")
            dark = not math.isnan(v) and abs(v) > 0.6 * bound
            ax.text(j, i, text, ha="center", va="center", fontsize=6, color="white" if dark else "black")
    fig.colorbar(im, ax=ax, fraction=0.03, pad=0.02, label="A − B")
    ax.set_title(title, fontsize=9)
    return _png(fig)
