"""Report figures as PNG bytes (matplotlib, Agg backend, no global pyplot state).

Every function takes plain, already computed numbers and returns the PNG file's
bytes; nothing here computes statistics.

Sizes, the rule that keeps text readable: figures are laid out in CSS pixels. A
figure of ``w`` × ``h`` px is drawn at ``72 × PIXEL_RATIO`` dpi (sharp on high-density
screens) and the HTML page shows it at ``1 / PIXEL_RATIO`` of its pixel size
(:mod:`evalsuite.report.html` sets the ``<img>`` width), so one point of font size is
one CSS pixel. No figure is wider than ``MAX_WIDTH`` px, less than the page's
content column, so a desktop browser never shrinks it, and no text is smaller
than ``FONT_MIN`` pt: at 100% zoom no text is below 10 px. Legends sit outside
the plotted area; each embedding keeps one colour, from :func:`embedding_colors`,
in every figure; crowded comparisons are small multiples (one small panel per
dataset, mode or embedding, on shared axes).
"""

from __future__ import annotations

import functools
import io
import math
from typing import Iterable, Mapping, Sequence

import matplotlib

matplotlib.use("Agg", force=False)
from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

PIXEL_RATIO = 2
DPI = 72 * PIXEL_RATIO
MAX_WIDTH = 1000  # CSS px; the page's content column is 1068 px wide (html.CSS)
FONT_MIN = 10
STYLE = {"font.size": FONT_MIN, "axes.titlesize": 11, "axes.labelsize": FONT_MIN,
         "xtick.labelsize": FONT_MIN, "ytick.labelsize": FONT_MIN, "legend.fontsize": FONT_MIN,
         "legend.title_fontsize": FONT_MIN, "figure.titlesize": 12, "font.family": "DejaVu Sans",
         "axes.spines.top": False, "axes.spines.right": False, "legend.frameon": False,
         "axes.titlelocation": "left", "text.parse_math": False}  # names are drawn as written
# Okabe & Ito (2008), "Color universal design": distinguishable with any colour vision;
# the light yellow last, as it is the hardest to see on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
GREY = "#777777"


def embedding_colors(names: Iterable[str], groups: Mapping[str, str] | None = None) -> dict[str, str]:
    """The colour of every embedding, the same in every figure of a run.

    Colours follow the sorted distinct embedding names (Okabe–Ito palette, repeated
    past eight embeddings), so they depend only on which embeddings the run has.

    Parameters
    ----------
    names : iterable of str
        Embedding labels as the figures show them.
    groups : mapping of str to str, optional
        The embedding a label belongs to (``sgns@seed1`` -> ``sgns``): labels of one
        embedding (its seeds) share its colour.

    Returns
    -------
    dict of str to str
        Hex colour of every label and of every group.
    """
    groups = dict(groups or {})
    names = list(names)
    keys = sorted({groups.get(n, n) for n in names})
    by_group = {g: OKABE_ITO[i % len(OKABE_ITO)] for i, g in enumerate(keys)}
    return {**by_group, **{n: by_group[groups.get(n, n)] for n in names}}


def _palette(labels: Iterable[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """``colors`` where given, else colours from the labels of this figure alone."""
    return {**embedding_colors(labels), **(colors or {})}


def _styled(fn):
    """Draw under :data:`STYLE` (font sizes, spines; "$...$" in a name is no mathtext)
    without touching global settings."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return fn(*args, **kwargs)
    return wrapper


def _figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` CSS px (capped at :data:`MAX_WIDTH`)."""
    fig = Figure(figsize=(min(width, MAX_WIDTH) / 72, height / 72), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def _nan(v):
    return float("nan") if v is None else float(v)


def _grid(n: int, max_cols: int) -> tuple[int, int]:
    cols = max(1, min(max_cols, n))
    return math.ceil(n / cols), cols


def _legend_right(fig: Figure, handles, labels) -> None:
    fig.legend(handles, labels, loc="outside right upper")


@_styled
def _empty(message: str) -> bytes:
    fig = _figure(400, 80)
    fig.text(0.5, 0.5, message, ha="center", va="center")
    return _png(fig)


@_styled
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
        return _empty("no analogy results")
    values = [[_nan(accuracy[i][j]) for i in range(len(embeddings))] for j in range(len(sections))]
    label_px = 7 * max(len(s) for s in sections)
    fig = _figure(label_px + 90 * len(embeddings) + 140, 22 * len(sections) + 110)
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
    return _png(fig)


@_styled
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
        From :func:`embedding_colors` (default: from these labels alone).
    """
    if not curves:
        return _empty("no training history")
    panels = panels or {label: "" for label in curves}
    colors = _palette(curves, colors)
    names = list(dict.fromkeys(panels.get(label, "") for label in curves))
    rows, cols = _grid(len(names), 4)
    fig = _figure(min(MAX_WIDTH, 250 * cols + 160), 200 * rows + 10)
    handles = {}
    for p, name in enumerate(names):
        ax = fig.add_subplot(rows, cols, p + 1)
        for label, c in curves.items():
            if panels.get(label, "") == name:
                handles[label], = ax.plot(c["epoch"], [_nan(v) for v in c["loss"]], marker="o", ms=3,
                                          color=colors[label])
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(5))
        if p % cols == 0:
            ax.set_ylabel("loss")
    _legend_right(fig, list(handles.values()), list(handles))
    return _png(fig)


@_styled
def throughput_bars(labels: Sequence[str], items_per_second: Sequence[float | None],
                    units: Sequence[str], train_seconds: Sequence[float | None], *,
                    colors: Mapping[str, str] | None = None) -> bytes:
    """Bars of training throughput (its unit written on each bar) and training time per embedding."""
    if not labels:
        return _empty("no training measurements")
    colors = _palette(labels, colors)
    label_px = 7 * max(len(s) for s in labels)
    fig = _figure(min(MAX_WIDTH, 2 * 300 + label_px + 40), 24 * len(labels) + 80)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    ypos = list(range(len(labels)))
    bar_colors = [colors[label] for label in labels]
    rates = [_nan(v) for v in items_per_second]
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
    ax2.barh(ypos, [_nan(v) for v in train_seconds], color=bar_colors)
    ax2.set_xlabel("training time (s)")
    for ax in (ax1, ax2):
        ax.xaxis.set_major_locator(MaxNLocator(4))
    return _png(fig)


def _short_rate(v: float) -> str:
    return f"{v / 1e6:.1f} M" if v >= 1e6 else (f"{v / 1e3:.0f} k" if v >= 1e3 else f"{v:.0f}")


@_styled
def similarity_scores(datasets: Sequence[str], embeddings: Sequence[str],
                      scores: Mapping[str, Mapping[str, tuple[float, tuple[float, float] | None]]], *,
                      colors: Mapping[str, str] | None = None) -> bytes:
    """Spearman ρ with 95% CI: a small panel per dataset, a row per embedding.

    ``scores[embedding][dataset] = (rho, (low, high) or None)``; panels share the
    ρ axis, so datasets compare at a glance.
    """
    if not datasets or not embeddings:
        return _empty("no similarity results")
    colors = _palette(embeddings, colors)
    rows, cols = _grid(len(datasets), 4)
    fig = _figure(MAX_WIDTH if cols > 2 else 300 * cols + 120, rows * (20 * len(embeddings) + 70) + 30)
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False).ravel()
    ypos = list(range(len(embeddings)))
    for ax, ds in zip(axes, datasets):
        ax.axvline(0.0, color="#bbbbbb", lw=0.8)
        for y, emb in zip(ypos, embeddings):
            if ds not in scores.get(emb, {}):
                continue
            rho, ci = scores[emb][ds]
            rho = _nan(rho)
            err = [[rho - ci[0]], [ci[1] - rho]] if ci else None
            ax.errorbar([rho], [y], xerr=err, fmt="o", ms=5, capsize=3, color=colors[emb])
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
    return _png(fig)


def _best(record: Mapping) -> int | None:
    best = record.get("best_epoch")
    if best is None:
        vals = [_nan(v) for v in record.get("val_acc", ())]
        finite = [(v, i) for i, v in enumerate(vals) if not math.isnan(v)]
        return record["epoch"][max(finite)[1]] if finite else None  # ties: the later epoch
    return best


@_styled
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
        Embedding colours (:func:`embedding_colors`).
    """
    if not records:
        return _empty("no learning curves")
    embs = list(dict.fromkeys(r["embedding"] for r in records))
    panels = list(dict.fromkeys(r.get("panel", "") for r in records))
    colors = _palette(embs, colors)
    cell = {(r.get("panel", ""), r["embedding"]): r for r in records}
    chunks = [embs[i:i + 5] for i in range(0, len(embs), 5)]  # at most 5 panels a row
    cols = len(chunks[0])
    rows = [(p, chunk) for chunk in chunks for p in panels]
    fig = _figure(min(MAX_WIDTH, 190 * cols + 70), 170 * len(rows) + 55)
    subfigs = fig.subfigures(len(rows), 1, squeeze=False).ravel()
    # the same limits everywhere; axes shared across subfigures would redraw the figure at each change
    xlim, ylim = _limits([r["epoch"] for r in records]), _limits(
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
    handles = [Line2D([], [], color=GREY, label="validation"),
               Line2D([], [], color=GREY, ls="--", label="train"),
               Patch(color=GREY, alpha=0.25, label="train − validation gap"),
               Line2D([], [], color=GREY, marker="o", ls="", label="best validation epoch")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4)
    return _png(fig)


def _limits(series: Iterable[Sequence], pad: float = 0.0) -> tuple[float, float] | None:
    """The span of all finite values, widened by ``pad`` of it on each side (None: no value)."""
    vals = [v for vs in series for v in map(_nan, vs) if not math.isnan(v)]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    margin = pad * (hi - lo) if hi > lo else 0.5
    return lo - margin, hi + margin


def _train_val(ax, r: Mapping, color: str) -> None:
    epochs = list(r["epoch"])
    train = [_nan(v) for v in r["train_acc"]]
    val = [_nan(v) for v in r["val_acc"]]
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


@_styled
def regularizer_effect(param: str, records: Sequence[Mapping], *,
                       colors: Mapping[str, str] | None = None) -> bytes:
    """Effect of one regularizer on test accuracy and on the train − validation gap.

    A row of two panels (accuracy, gap) per ``panel`` (mode), a line per embedding,
    error bars of ± one sd over seeds; the swept values are evenly spaced on the x axis.

    Parameters
    ----------
    param : str
        The regularizer (x axis label).
    records : sequence of mapping
        One per line: ``embedding``, ``panel`` (optional), ``x``, ``acc``, ``gap`` and
        optionally ``acc_sd``, ``gap_sd``.
    colors : mapping of str to str, optional
        Embedding colours (:func:`embedding_colors`).
    """
    if not records:
        return _empty(f"no sweep over {param}")
    embs = list(dict.fromkeys(r["embedding"] for r in records))
    panels = list(dict.fromkeys(r.get("panel", "") for r in records))
    colors = _palette(embs, colors)
    xs = sorted({float(x) for r in records for x in r["x"]})
    fig = _figure(min(MAX_WIDTH, 2 * 320 + 170), 210 * len(panels) + 30)
    axes = fig.subplots(len(panels), 2, sharex=True, squeeze=False)
    handles = {}
    for row, panel in zip(axes, panels):
        for r in (r for r in records if r.get("panel", "") == panel):
            k = embs.index(r["embedding"])
            pos = [xs.index(float(x)) + 0.08 * (k - (len(embs) - 1) / 2) for x in r["x"]]
            for ax, key in zip(row, ("acc", "gap")):
                sd = r.get(f"{key}_sd")
                handles[r["embedding"]] = ax.errorbar(
                    pos, [_nan(v) for v in r[key]], yerr=None if sd is None else [_nan(v) for v in sd],
                    marker="o", ms=4, capsize=3, color=colors[r["embedding"]])
        prefix = f"{panel}: " if panel else ""
        row[0].set_title(f"{prefix}test accuracy")
        row[1].set_title(f"{prefix}train − validation gap")
        for ax in row:
            ax.yaxis.set_major_locator(MaxNLocator(5))
            ax.grid(axis="y", color="#eeeeee")
    for ax in axes[-1]:
        ax.set_xticks(range(len(xs)), [f"{x:g}" for x in xs])
        ax.set_xlabel(param)
    _legend_right(fig, list(handles.values()), list(handles))
    return _png(fig)


def regularization_curves(param: str, series: Mapping[str, Mapping[str, Sequence[float]]], *,
                          colors: Mapping[str, str] | None = None) -> bytes:
    """:func:`regularizer_effect` of ``series[label] = {"x", "acc", "acc_sd", "gap", "gap_sd"}``.

    A series may name its ``embedding`` and ``panel``; otherwise its label is the embedding.
    """
    records = [{"embedding": s.get("embedding", label), **s} for label, s in series.items()]
    return regularizer_effect(param, records, colors=colors)


@_styled
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
    fig = _figure(max(360, 70 * len(settings) + 220), max(160, 34 * len(tasks) + 140))
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
    return _png(fig)
