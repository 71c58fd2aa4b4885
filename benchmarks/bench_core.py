"""Core benchmark: analogy evaluation and vector-file loading against gensim, in one table of ratios.

Runs ``bench_analogy.py`` (synthetic vectors) and ``bench_io.py`` with their defaults; each
prints its detailed table and writes its own results. Then one summary table gives, for
every comparison, evalsuite's time, gensim's time in the same run, the ratio, and whether
both gave the same answer (identical accuracy, identical matrix).

    python benchmarks/bench_core.py

Results: benchmarks/results/core.json and core.md (written atomically).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import bench_analogy
import bench_io
from rich.console import Console
from rich.table import Table

from evalsuite.core.atomic import write_json, write_text

RESULTS = Path(__file__).resolve().parent / "results"


def summary_rows(analogy: dict, io: dict) -> list[dict]:
    """One row per comparison from the two benchmarks' JSON results."""
    v = analogy["vectors"]
    add = next(e for e in analogy["evalsuite"] if e["methods"] == "3CosAdd")
    rows = [{
        "comparison": f"analogy evaluation, Google 3CosAdd, {v['words']} x {v['dim']} {v['file']}",
        "evalsuite_s": add["seconds"], "gensim_s": analogy["gensim"]["seconds"],
        "speedup": add["speedup"], "same_answer": add["identical_accuracy"],
    }]
    for r in io["results"]:
        rows.append({
            "comparison": f"load {r['format']} file, {io['rows']} x {io['dim']}",
            "evalsuite_s": r["evalsuite_s"], "gensim_s": r["gensim_s"],
            "speedup": r["speedup"], "same_answer": r["identical"],
        })
    return rows


def main(argv=None) -> int:
    if argv:
        print(__doc__, file=sys.stderr)
        return 2
    bench_analogy.main([])
    bench_io.main([])
    analogy = json.loads((RESULTS / "analogy.json").read_text(encoding="utf-8"))
    io = json.loads((RESULTS / "io.json").read_text(encoding="utf-8"))
    rows = summary_rows(analogy, io)

    table = Table(title="evalsuite vs gensim, same run")
    for col in ("comparison", "evalsuite s", "gensim s", "speed-up", "same answer"):
        table.add_column(col, justify="left" if col == "comparison" else "right")
    for r in rows:
        table.add_row(r["comparison"], f"{r['evalsuite_s']:.2f}", f"{r['gensim_s']:.2f}",
                      f"{r['speedup']:.1f}x", "yes" if r["same_answer"] else "NO")
    Console().print(table)

    write_json(RESULTS / "core.json", {"benchmark": "core", "rows": rows,
                                       "sources": ["analogy.json", "io.json"]})
    md = ["# evalsuite vs gensim, same run", "",
          "| comparison | evalsuite s | gensim s | speed-up | same answer |", "|---|---:|---:|---:|:-:|"]
    md += [f"| {r['comparison']} | {r['evalsuite_s']:.2f} | {r['gensim_s']:.2f} | {r['speedup']:.1f}x | "
           f"{'yes' if r['same_answer'] else 'NO'} |" for r in rows]
    write_text(RESULTS / "core.md", "\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
