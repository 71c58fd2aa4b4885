"""Analogy evaluation speed: evalsuite vs gensim's evaluate_word_analogies on the same vectors.

Vectors: a 30,000-word vocabulary covering the Google questions, with weakly planted
relation offsets, as gensim KeyedVectors. Accuracy is only about 2%, and 3.6% of the
questions are near ties (top two candidates within float32 rounding of each other),
which makes them a hard case for giving exactly gensim's answers. Both tools
score the same vectors under the same conventions (evalsuite's ``gensim`` protocol,
restrict_vocab 30,000) in the same process; the table shows time ratios and checks
that accuracies are identical. Writes benchmarks/results/analogy.json and .md.

With ``--vectors FILE`` the same comparison runs on a real vector file instead
(e.g. a matrix from ``evalsuite train``); its 30,000 most frequent words compete.
The compiled kernel is built (or loaded from its cache) before timing.

Each tool runs ``--repeat`` times (default 3) and its fastest run counts.

Usage: python benchmarks/bench_analogy.py [--words 30000] [--dim 100] [--vectors FILE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from gensim.models import KeyedVectors
from gensim.test.utils import datapath
from rich.console import Console
from rich.table import Table

from evalsuite.core.atomic import write_json, write_text
from evalsuite.data.datasets.parsers import parse_analogy
from evalsuite.core.embeddings import Embeddings
from evalsuite.data.vectors import load_embeddings
from evalsuite.data.vectors.gensim_compat import to_keyed_vectors
from evalsuite.native.analogy import load_analogy_kernel
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.core.provenance import machine, package_versions
from evalsuite.evaluate.analogy import AnalogyTask

GOOGLE = datapath("questions-words.txt")


def make_vectors(n_words: int, dim: int, seed: int = 0) -> KeyedVectors:
    rng = np.random.default_rng(seed)
    ds = parse_analogy(GOOGLE)
    words = list(dict.fromkeys(w for q in ds.questions for w in (q.a, q.b, q.c, q.d)))
    offsets = {s: rng.normal(size=dim) * 1.5 for s in ds.sections}
    vec = {w: rng.normal(size=dim) for w in words}
    for q in ds.questions:
        for w in (q.b, q.d):
            vec[w] = vec[w] + offsets[q.section] / 8
    vocab = words + [f"w{i}" for i in range(max(0, n_words - len(words)))]
    matrix = np.array([vec[w] if w in vec else rng.normal(size=dim) for w in vocab], dtype=np.float32)
    kv = KeyedVectors(dim)
    kv.add_vectors(vocab, matrix)
    return kv


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--words", type=int, default=30_000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--vectors", help="benchmark on this vector file instead of synthetic vectors")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs per tool; the fastest counts (default 3)")
    ap.add_argument("--out", default=str(Path(__file__).parent / "results" / "analogy"))
    args = ap.parse_args(argv)
    if args.vectors:
        emb = load_embeddings(args.vectors)
        kv = to_keyed_vectors(emb)
        args.words, args.dim = min(args.words, len(emb)), emb.dim
    else:
        kv = make_vectors(args.words, args.dim)
        emb = Embeddings(kv.index_to_key, kv.vectors, name="structured")
    load_analogy_kernel()
    task = AnalogyTask(parse_analogy(GOOGLE))
    rows = []
    proto = get_protocol("gensim").replace(analogy_vocab=args.words, bootstrap_samples=0)
    for label, methods in (("3CosAdd", ("3cosadd",)), ("3CosAdd+3CosMul", ("3cosadd", "3cosmul"))):
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            ours = task.evaluate(emb, proto.replace(analogy_methods=methods))
            times.append(time.perf_counter() - t)
        rows.append((label, min(times), ours.main_score))
        ours_covered = ours.n_scored
        if methods == ("3cosadd",):
            near_ties = dict(task.last_gensim_fixups)
    g_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        g_score, _ = kv.evaluate_word_analogies(GOOGLE, restrict_vocab=args.words)
        g_times.append(time.perf_counter() - t)
    g_time = min(g_times)
    result = {
        "vectors": {"words": args.words, "dim": args.dim, "file": args.vectors or "synthetic"},
        "questions": len(task.dataset), "covered": ours_covered, "repeat": args.repeat,
        "near_ties": near_ties,
        "gensim": {"seconds": g_time, "accuracy": g_score},
        "evalsuite": [{"methods": l, "seconds": s, "accuracy": a, "speedup": g_time / s,
                       "identical_accuracy": a == g_score} for l, s, a in rows],
        "machine": machine(), "versions": package_versions(),
    }
    source = args.vectors or "synthetic vectors"
    table = Table(title=f"Google analogies vs gensim evaluate_word_analogies, {source}, {args.words} words x {args.dim}d")
    for col in ("tool", "seconds", "accuracy", "speed-up vs gensim", "identical"):
        table.add_column(col)
    table.add_row("gensim", f"{g_time:.2f}", f"{g_score:.4f}", "1.0x", "")
    for e in result["evalsuite"]:
        table.add_row(f"evalsuite {e['methods']}", f"{e['seconds']:.2f}", f"{e['accuracy']:.4f}",
                      f"{e['speedup']:.1f}x", str(e["identical_accuracy"]))
    Console().print(table)
    Console().print(f"near ties: {near_ties['near_ties']} questions, {near_ties['settled']} settled by exact "
                    f"scores, {near_ties['redone']} redone with gensim's arithmetic")
    out = Path(args.out)
    write_json(out.with_suffix(".json"), result)
    md = [f"Google analogies, {source}, {args.words} words x {args.dim}d, {ours_covered} of "
          f"{len(task.dataset)} questions covered, best of {args.repeat} runs per tool", "",
          "| tool | seconds | accuracy | speed-up | identical |", "|---|---|---|---|---|",
          f"| gensim | {g_time:.2f} | {g_score:.4f} | 1.0x | |"]
    md += [f"| evalsuite {e['methods']} | {e['seconds']:.2f} | {e['accuracy']:.4f} | {e['speedup']:.1f}x | "
           f"{e['identical_accuracy']} |" for e in result["evalsuite"]]
    md += ["", f"Near ties (3CosAdd): {near_ties['near_ties']} questions, {near_ties['settled']} settled by "
               f"exact scores, {near_ties['redone']} redone with gensim's arithmetic."]
    write_text(out.with_suffix(".md"), "\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
