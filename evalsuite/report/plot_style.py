"""The report figures' shared style: sizes, fonts, palette and the figure/PNG helpers.

The figures themselves (:mod:`evalsuite.report.score_plots`,
:mod:`evalsuite.report.training_plots`) take plain, already computed numbers and
return the PNG file's bytes (matplotlib, Agg backend, no global pyplot state);
nothing there computes statistics.

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

from evalsuite.core.markup import visible  # noqa: E402

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


def palette(labels: Iterable[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """``colors`` where given, else colours from the labels of this figure alone."""
    return {**embedding_colors(labels), **(colors or {})}


def styled(fn):
    """Draw under :data:`STYLE` (font sizes, spines; "$...$" in a name is no mathtext)
    without touching global settings, every name in the arguments in its visible form
    (control characters as escapes, as in the report's text)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(STYLE):
            return fn(*_shown(args), **_shown(kwargs))
    return wrapper


def _shown(value):
    """``value`` with every string in it, in lists, tuples and mappings, made :func:`visible`."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, Mapping):
        return {_shown(k): _shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(_shown(v) for v in value)
    return value


def figure(width: float, height: float) -> Figure:
    """A figure of ``width`` × ``height`` CSS px (capped at :data:`MAX_WIDTH`)."""
    fig = Figure(figsize=(min(width, MAX_WIDTH) / 72, height / 72), dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    return buf.getvalue()


def nan(v):
    """``v`` as a float to plot; None and non-finite values (NaN, ±inf) are NaN, drawn as missing."""
    v = float("nan") if v is None else float(v)
    return v if math.isfinite(v) else float("nan")


def grid(n: int, max_cols: int) -> tuple[int, int]:
    cols = max(1, min(max_cols, n))
    return math.ceil(n / cols), cols


def legend_right(fig: Figure, handles, labels) -> None:
    fig.legend(handles, labels, loc="outside right upper")


@styled
def empty(message: str) -> bytes:
    fig = figure(400, 80)
    fig.text(0.5, 0.5, message, ha="center", va="center")
    return png(fig)


def limits(series: Iterable[Sequence], pad: float = 0.0) -> tuple[float, float] | None:
    """The span of all finite values, widened by ``pad`` of it on each side (None: no value)."""
    vals = [v for vs in series for v in map(nan, vs) if not math.isnan(v)]
    if not vals:
        return None
    lo, hi = min(vals), max(vals)
    margin = pad * (hi - lo) if hi > lo else 0.5
    return lo - margin, hi + margin
