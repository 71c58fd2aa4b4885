"""Rebuild ``reports/history-example/``: the history page of five runs of a small config, one with a drop.

Usage::

    python scripts/history_example.py [--out reports/history-example] [--keep-store DIR]

Runs ``benchmarks/history-example.toml`` (IMDB corpus, torch-sgns and torch-glove, a few
similarity and analogy tasks) in a temporary store: its baseline (three seeds), then five runs
with one seed each (seeds 10 to 14, so that they move as fresh runs do). The fourth run has a
drop injected: its torch-sgns trains with ``vector_size = 2`` (the config says 50). Then
``evalsuite history`` writes ``history.html`` and the browser check its first screen at 1280 px
(``first-screen.png``) and checks it at 390 px.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "benchmarks" / "history-example.toml"
DROP_RUN, DROP_EMBEDDING, DROP_PARAMS = 3, "torch-sgns", {"vector_size": 2}


def _config(work: Path, seeds: list[int] | None = None, drop: bool = False):
    """The example config with its store, cache and reports in ``work``, other seeds, and the
    injected drop (``DROP_PARAMS`` for ``DROP_EMBEDDING``), each written into the stored config too."""
    import tomllib

    from evalsuite.config import parse_config

    raw = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    raw["run"].update(store=str(work / "results.sqlite"), cache=str(work / "cache"), output=str(work / "reports"))
    if seeds is not None:
        raw["run"]["seeds"] = seeds
    if drop:
        for e in raw["embeddings"]:
            if e["name"] == DROP_EMBEDDING:
                e["params"] = {**e.get("params", {}), **DROP_PARAMS}
    return parse_config(raw, source=str(CONFIG.relative_to(ROOT)), base_dir=CONFIG.parent)


def build(work: Path) -> None:
    """The baseline and the five runs, in ``work/results.sqlite``."""
    from evalsuite.pipeline.runner import run_benchmark

    quiet = dict(report_fn=None, summary_fn=None, log=lambda message: None)
    run_benchmark(_config(work).as_baseline(), **quiet)
    for i in range(5):
        out = run_benchmark(_config(work, [10 + i], drop=i == DROP_RUN), **quiet)
        print(f"run {i + 1}: {out.run.run_id}" + (" (drop injected: torch-sgns vector_size 2)" if i == DROP_RUN else ""))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(ROOT / "reports" / "history-example"))
    parser.add_argument("--keep-store", metavar="DIR", help="keep the store and cache in DIR (default: temporary)")
    args = parser.parse_args(argv)
    from evalsuite.cli import main as cli
    from evalsuite.report.browser_check import check_pages

    out = Path(args.out)
    with tempfile.TemporaryDirectory(prefix="evalsuite-history-") as tmp:
        work = Path(args.keep_store or tmp)
        build(work)
        page = out / "history.html"
        code = cli(["history", "history-example", "--store", str(work / "results.sqlite"), "--html", str(page)])
        if code:
            return code
    desktop, phone = check_pages([(page, 1280, 800, out / "first-screen.png"), (page, 390, 844, None)])
    for width, result in ((1280, desktop), (390, phone)):
        print(f"browser check at {width} px: {'ok' if result.ok else '; '.join(result.problems())}")
    return 0 if desktop.ok and phone.ok else 1


if __name__ == "__main__":
    sys.exit(main())
