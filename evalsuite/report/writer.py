"""Write a run's report folder: ``report.md``, ``report.html``, ``results.json`` and plots.

Everything is rendered in memory first, so an error while rendering writes nothing;
each file is then written atomically (a crash never leaves a half-written file).
"""

from __future__ import annotations

import re
from pathlib import Path

from evalsuite.analysis.types import Analysis
from evalsuite.core.atomic import write_bytes, write_text
from evalsuite.core.results import RunResult
from .content import build_document
from .html import render_html
from .markdown import render_markdown
from .results_json import comparison_json, results_json

PLOTS_DIR = "plots"


def safe_name(name: str) -> str:
    """A run name usable as a folder name (other characters become ``_``)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", str(name)).strip("._") or "run"
    return safe


def report_dir(out_dir, run: RunResult) -> Path:
    """``out_dir/<run name>``: the folder :func:`write_report` fills."""
    return Path(out_dir) / safe_name(run.name)


def write_report(run: RunResult, out_dir, analysis: Analysis | None = None, *, with_items: bool = True,
                 subdir: bool = True) -> dict[str, Path]:
    """Render and write the report of ``run``.

    Parameters
    ----------
    run : RunResult
        The run to report.
    out_dir : path
        Reports root (default layout ``reports/``); files go to ``out_dir/<run name>/``,
        or to ``out_dir`` itself when ``subdir`` is False.
    analysis : Analysis, optional
        Verdicts, comparisons and across-seed summaries
        (:func:`evalsuite.analysis.compare.analyze`). Without it the report shows the
        scores of single results and says that no verdict was computed.
    with_items : bool
        Keep per-item outputs in ``results.json`` (needed to compare runs item by item).
    subdir : bool
        Write into a folder named after the run.

    Returns
    -------
    dict of str to Path
        ``dir``, ``markdown``, ``html``, ``json``, ``plots`` and, with a comparison,
        ``comparison``.
    """
    given = analysis is not None
    analysis = analysis or Analysis()
    folder = report_dir(out_dir, run) if subdir else Path(out_dir)
    doc = build_document(run, analysis)
    markdown = render_markdown(doc, image_dir=PLOTS_DIR)
    html = render_html(doc)
    results = results_json(run, with_items=with_items)
    comp = comparison_json(analysis) if given else None

    plots_dir = folder / PLOTS_DIR
    for fig in doc.figures:
        write_bytes(plots_dir / fig.name, fig.png)
    if plots_dir.is_dir():
        current = {fig.name for fig in doc.figures}
        for stale in plots_dir.glob("*.png"):
            if stale.name not in current:
                stale.unlink()
    paths = {"dir": folder, "plots": plots_dir, "json": folder / "results.json",
             "markdown": folder / "report.md", "html": folder / "report.html"}
    write_text(paths["json"], results)
    if comp is not None:
        paths["comparison"] = folder / "comparison.json"
        write_text(paths["comparison"], comp)
    write_text(paths["markdown"], markdown)
    write_text(paths["html"], html)
    return paths
