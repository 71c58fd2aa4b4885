"""Load-time benchmark: evalsuite.data.vectors.load_embeddings against gensim's load_word2vec_format.

Generates a word2vec text file and a word2vec binary file (ROWS x DIM, random vectors) in a
temporary folder, loads each with both libraries in fresh subprocesses (so peak memory is
measured per load), checks that both read identical matrices, and reports time, the
speed ratio and peak resident memory relative to the matrix size.

    python benchmarks/bench_io.py [--rows N --dim D --repeat R]

Results: benchmarks/results/io.json and io.md (written atomically).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"


def _current_rss() -> int:
    """Resident memory now (bytes): the peak counter would still hold the imports' high-water mark."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # not Linux: fall back to the peak so far
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _peak_rss() -> int:
    """Peak resident memory of this process (bytes).

    Linux's ``ru_maxrss`` survives ``exec``: a child started by a large parent reports at
    least the parent's size. ``VmHWM`` belongs to this process's own address space.
    """
    try:
        with open("/proc/self/status") as f:
            line = next(line for line in f if line.startswith("VmHWM:"))
        return int(line.split()[1]) * 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(loader: str, fmt: str, path: str) -> None:
    """Run one load in this process and print timing and memory as JSON."""
    if loader == "gensim":
        from gensim.models import KeyedVectors
    else:
        from evalsuite.data.vectors import load_embeddings
    base = _current_rss()
    start = time.perf_counter()
    if loader == "gensim":
        kv = KeyedVectors.load_word2vec_format(path, binary=fmt == "word2vec-binary")
        words, matrix = kv.index_to_key, kv.vectors
    else:
        emb = load_embeddings(path, fmt)
        words, matrix = emb.vocab, emb.matrix
    seconds = time.perf_counter() - start
    peak = _peak_rss()
    digest = __import__("hashlib").sha256(np.ascontiguousarray(matrix).tobytes()
                                          + "\n".join(words).encode()).hexdigest()
    print(json.dumps({"seconds": seconds, "rss_before": base, "rss_peak": peak,
                      "shape": list(matrix.shape), "digest": digest}))


def run_child(loader, fmt, path):
    env = {**os.environ, "EVALSUITE_NO_PROGRESS": "1"}
    out = subprocess.run([sys.executable, __file__, "--child", loader, fmt, str(path)],
                         check=True, capture_output=True, text=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def generate(folder: Path, rows: int, dim: int):
    from evalsuite import Embeddings
    from evalsuite.data.vectors import save_embeddings

    rng = np.random.default_rng(0)
    matrix = rng.standard_normal((rows, dim), dtype=np.float32)
    emb = Embeddings(tuple(f"w{i}" for i in range(rows)), matrix, name="bench")
    text = save_embeddings(emb, folder / "vectors.txt", "word2vec")
    binary = save_embeddings(emb, folder / "vectors.bin", "word2vec-binary")
    return matrix.nbytes, {"word2vec": text, "word2vec-binary": binary}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--repeat", type=int, default=1, help="best of R loads per library")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0

    from rich.console import Console
    from rich.table import Table

    from evalsuite.core.atomic import write_json, write_text
    from evalsuite.core.provenance import package_versions

    console = Console()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        console.print(f"generating {args.rows} x {args.dim} vectors ...")
        t0 = time.perf_counter()
        matrix_bytes, files = generate(Path(tmp), args.rows, args.dim)
        console.print(f"  written in {time.perf_counter() - t0:.1f} s")
        for fmt, path in files.items():
            res = {}
            for loader in ("evalsuite", "gensim"):
                runs = [run_child(loader, fmt, path) for _ in range(args.repeat)]
                best = min(runs, key=lambda r: r["seconds"])
                best["rss_peak_over_matrix"] = (max(r["rss_peak"] - r["rss_before"] for r in runs)
                                                / matrix_bytes)
                res[loader] = best
            same = res["evalsuite"]["digest"] == res["gensim"]["digest"]
            rows.append({
                "format": fmt, "file_mb": path.stat().st_size / 2**20,
                "evalsuite_s": res["evalsuite"]["seconds"], "gensim_s": res["gensim"]["seconds"],
                "speedup": res["gensim"]["seconds"] / res["evalsuite"]["seconds"],
                "evalsuite_peak_x_matrix": res["evalsuite"]["rss_peak_over_matrix"],
                "gensim_peak_x_matrix": res["gensim"]["rss_peak_over_matrix"],
                "identical": same,
            })

    table = Table(title=f"Vector file load: {args.rows} x {args.dim} "
                        f"(matrix {matrix_bytes / 2**20:.1f} MiB)")
    for col in ("format", "file MiB", "evalsuite s", "gensim s", "speed-up", "peak RSS / matrix "
                "(evalsuite)", "peak RSS / matrix (gensim)", "same matrix"):
        table.add_column(col, justify="left" if col == "format" else "right")
    for r in rows:
        table.add_row(r["format"], f"{r['file_mb']:.1f}", f"{r['evalsuite_s']:.2f}",
                      f"{r['gensim_s']:.2f}", f"{r['speedup']:.2f}x",
                      f"{r['evalsuite_peak_x_matrix']:.2f}", f"{r['gensim_peak_x_matrix']:.2f}",
                      "yes" if r["identical"] else "NO")
    console.print(table)

    report = {"benchmark": "io_load", "rows": args.rows, "dim": args.dim, "repeat": args.repeat,
              "matrix_bytes": matrix_bytes, "results": rows, "cpu_count": os.cpu_count(),
              "load_average": list(os.getloadavg()), "python": platform.python_version(),
              "packages": package_versions(), "created": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                       time.gmtime())}
    RESULTS.mkdir(parents=True, exist_ok=True)
    write_json(RESULTS / "io.json", report)
    md = [f"# Vector file load: {args.rows} x {args.dim}", "",
          f"Matrix {matrix_bytes / 2**20:.1f} MiB; best of {args.repeat}; each load in a fresh "
          f"process; load average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.", "",
          "| format | file MiB | evalsuite s | gensim s | speed-up | peak RSS / matrix (evalsuite) "
          "| peak RSS / matrix (gensim) | same matrix |", "|---|---:|---:|---:|---:|---:|---:|:-:|"]
    for r in rows:
        md.append(f"| {r['format']} | {r['file_mb']:.1f} | {r['evalsuite_s']:.2f} | "
                  f"{r['gensim_s']:.2f} | {r['speedup']:.2f}x | {r['evalsuite_peak_x_matrix']:.2f} | "
                  f"{r['gensim_peak_x_matrix']:.2f} | {'yes' if r['identical'] else 'NO'} |")
    write_text(RESULTS / "io.md", "\n".join(md) + "\n")
    return 0 if all(r["identical"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
