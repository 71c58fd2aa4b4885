"""Fine-tuning speed and the Kim (2014) ordering on MR.

Trains each model (bag, cnn) in each init mode (random, frozen, finetuned) on MR and
reports training examples per second, plus test accuracy. Good pretrained vectors come
from a quick gensim Word2Vec on IMDB text (a different corpus from MR, so no leak).

    python benchmarks/bench_finetune.py [--epochs 3] [--subsample 0] [--threads 2]

Writes benchmarks/results/finetune.json and finetune.md (atomically) and prints a table.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import torch
from rich.console import Console
from rich.table import Table

from evalsuite import Embeddings
from evalsuite.core.atomic import write_json, write_text
from evalsuite.data.datasets.classification import load_imdb, load_mr
from evalsuite.core.provenance import machine, package_versions
from evalsuite.evaluate.classification.data import tokenize
from evalsuite.evaluate.classification.task import ClassificationTask, prepare

OUT = Path(__file__).parent / "results"


def imdb_word2vec(n_docs: int, dim: int, seed: int) -> Embeddings:
    from gensim.models import Word2Vec

    texts = load_imdb().texts[:n_docs]
    sentences = [tokenize(t) for t in texts]
    t0 = time.perf_counter()
    model = Word2Vec(sentences, vector_size=dim, window=5, min_count=3, sg=1, negative=5, epochs=3,
                     workers=2, seed=seed)
    kv = model.wv
    return Embeddings(tuple(kv.index_to_key), kv.vectors, name=f"w2v-imdb{n_docs}-{dim}d",
                      meta={"corpus": "imdb", "train_seconds": time.perf_counter() - t0})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--subsample", type=int, default=0, help="MR documents to use (0 = all 8,530)")
    ap.add_argument("--imdb-docs", type=int, default=25000)
    ap.add_argument("--dim", type=int, default=100)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    emb = imdb_word2vec(args.imdb_docs, args.dim, args.seed)
    prep = prepare(load_mr(), {"subsample": args.subsample or None})
    rows = []
    for model in ("bag", "cnn"):
        for mode in ("random", "frozen", "finetuned"):
            t0 = time.perf_counter()
            params = {"epochs": args.epochs, "threads": args.threads}
            r = ClassificationTask(prep, model=model, mode=mode, params=params, seed=args.seed).evaluate(emb)
            d = r.details
            rows.append({"model": model, "mode": mode, "examples_per_second": d["examples_per_second"],
                         "seconds_per_epoch": d["train_seconds"] / d["epochs_run"], "test_accuracy": r.main_score,
                         "ci95": r.ci95, "best_epoch": d["best_epoch"], "gap_at_best": d["overfit"]["gap_at_best"],
                         "wall_seconds": time.perf_counter() - t0})
    bag = {r["mode"]: r["examples_per_second"] for r in rows if r["model"] == "bag"}
    for r in rows:
        r["speed_vs_bag_finetuned"] = r["examples_per_second"] / bag["finetuned"]
    result = {"embedding": emb.name, "vocab": len(emb), "dim": emb.dim, "mr_docs": len(prep.rows),
              "n_train": len(prep.splits[0].train), "epochs": args.epochs, "threads": args.threads, "rows": rows,
              "machine": machine(), "packages": package_versions()}
    table = Table(title=f"fine-tuning on MR ({result['n_train']} training examples, {emb.name})")
    for col in ("model", "mode", "examples/s", "s/epoch", "vs bag-finetuned", "test acc", "best epoch"):
        table.add_column(col, justify="left" if col in ("model", "mode") else "right")
    md = ["| model | mode | examples/s | s/epoch | vs bag-finetuned | test acc | best epoch |",
          "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        cells = (r["model"], r["mode"], f"{r['examples_per_second']:,.0f}", f"{r['seconds_per_epoch']:.2f}",
                 f"{r['speed_vs_bag_finetuned']:.2f}x", f"{r['test_accuracy']:.3f}", str(r["best_epoch"]))
        table.add_row(*cells)
        md.append("| " + " | ".join(cells) + " |")
    Console().print(table)
    write_json(OUT / "finetune.json", result)
    write_text(OUT / "finetune.md", f"# Fine-tuning benchmark\n\n{table.title}, {args.threads} threads\n\n"
               + "\n".join(md) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
