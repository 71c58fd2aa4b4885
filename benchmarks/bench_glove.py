"""GloVe benchmark: co-occurrence build, training speed and quality on imdb.

Run alone: ``python benchmarks/bench_glove.py [--epochs N] [--limit-docs N]`` (writes
``benchmarks/results/glove.json`` and ``glove.md``); ``bench_trainers.py`` runs it as
its ``glove`` section, next to Word2Vec, with matched window and vocabulary cut.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from evalsuite.core.atomic import write_json, write_text
from evalsuite.data.corpus.base import InMemoryCorpus
from evalsuite.data.corpus.vocabulary import Vocabulary
from evalsuite.train.base import TrainerCallback
from evalsuite.train.glove.cooccurrence import count_cooccurrences
from evalsuite.train.glove.trainer import TorchGloVe

RESULTS = Path(__file__).parent / "results"
TEST_DATA = Path(__import__("gensim").__file__).parent / "test" / "test_data"


def imdb_corpus(limit_docs=None):
    """The built-in imdb corpus, optionally its first ``limit_docs`` reviews."""
    from evalsuite.data.corpus import corpus_from

    corpus = corpus_from("imdb")
    if limit_docs is None:
        return corpus
    return InMemoryCorpus([s for _, s in zip(range(limit_docs), corpus)], name="imdb")


def _count_child(ids, vocab_size, params, out_path, queue):
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    x = count_cooccurrences(ids, vocab_size, window=params["window"], max_buffer=params["max_buffer"])
    seconds = time.perf_counter() - t0
    sp.save_npz(out_path, x)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": seconds, "peak_rss_mb": peak / 1024, "rss_growth_mb": (peak - base) / 1024, "nnz": x.nnz})


def quality(emb):
    """WS-353 / SimLex-999 Spearman and Google analogy accuracy, by gensim's evaluators."""
    from gensim.models import KeyedVectors

    kv = KeyedVectors(emb.dim)
    kv.add_vectors(list(emb.vocab), emb.matrix)
    ws = kv.evaluate_word_pairs(str(TEST_DATA / "wordsim353.tsv"))[1][0]
    sl = kv.evaluate_word_pairs(str(TEST_DATA / "simlex999.txt"))[1][0]
    acc, _ = kv.evaluate_word_analogies(str(TEST_DATA / "questions-words.txt"), restrict_vocab=30000)
    return {"ws353_spearman": float(ws), "simlex999_spearman": float(sl), "google_accuracy": float(acc)}


def bench_glove(corpus, *, epochs=15, vector_size=100, window=10, min_count=5, workers=2, seed=0, batch_size=16384):
    """Measure counting and training of torch-glove on ``corpus``; returns a dict of figures."""
    t0 = time.perf_counter()
    vocab = Vocabulary.build(corpus, min_count=min_count)
    ids = [vocab.encode(s) for s in corpus]
    prep = time.perf_counter() - t0
    trainer = TorchGloVe(vector_size=vector_size, window=window, min_count=min_count, epochs=epochs,
                         workers=workers, batch_size=batch_size)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.npz")
        ctx = mp.get_context("fork")
        queue = ctx.Queue()
        child = ctx.Process(target=_count_child, args=(ids, len(vocab), trainer.get_params(), out, queue))
        child.start()
        counting = queue.get()
        child.join()
        x = sp.load_npz(out)

    class Log(TrainerCallback):
        def on_epoch_end(self, trainer, stats):
            print(f"epoch {stats.epoch}: loss {stats.loss:.4f}, {stats.items_per_second:,.0f} nonzeros/s, "
                  f"{stats.seconds:.1f} s", file=sys.stderr)

    emb = trainer.fit_cooccurrences(x, vocab, seed=seed, callbacks=[Log()])
    hist = emb.meta["history"]
    return {
        "corpus": corpus.name,
        "tokens_in_vocab": int(vocab.counts.sum()),
        "vocab_size": len(vocab),
        "params": trainer.get_params(),
        "vocab_and_encode_seconds": prep,
        "cooccurrence": counting,
        "epoch_seconds": [h["seconds"] for h in hist],
        "nonzeros_per_second": float(np.median([h["items_per_second"] for h in hist])),
        "loss": [h["loss"] for h in hist],
        "quality": quality(emb),
        "load_average": os.getloadavg(),
    }


def to_markdown(r):
    c, q = r["cooccurrence"], r["quality"]
    rows = [
        ("vocabulary / in-vocab tokens", f"{r['vocab_size']:,} / {r['tokens_in_vocab']:,}"),
        ("co-occurrence build", f"{c['seconds']:.1f} s, peak RSS {c['peak_rss_mb']:.0f} MB"),
        ("nonzeros", f"{c['nnz']:,}"),
        ("time per epoch (median)", f"{np.median(r['epoch_seconds']):.1f} s"),
        ("nonzeros/s (median)", f"{r['nonzeros_per_second']:,.0f}"),
        (f"loss epoch 1 -> {len(r['loss'])}", f"{r['loss'][0]:.4f} -> {r['loss'][-1]:.4f}"),
        ("WS-353 Spearman", f"{q['ws353_spearman']:.3f}"),
        ("SimLex-999 Spearman", f"{q['simlex999_spearman']:.3f}"),
        ("Google analogy accuracy", f"{100 * q['google_accuracy']:.1f} %"),
    ]
    lines = ["| torch-glove | value |", "|---|---|"] + [f"| {a} | {b} |" for a, b in rows]
    lines.append(f"\nLoad average during the run: {', '.join(f'{v:.1f}' for v in r['load_average'])}.")
    return "\n".join(lines) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--limit-docs", type=int, default=None)
    ap.add_argument("--batch-size", type=int, default=16384)
    ap.add_argument("--output", default=str(RESULTS / "glove"))
    args = ap.parse_args(argv)
    result = bench_glove(imdb_corpus(args.limit_docs), epochs=args.epochs, batch_size=args.batch_size)
    write_json(args.output + ".json", result)
    write_text(args.output + ".md", to_markdown(result))
    print(to_markdown(result))


if __name__ == "__main__":
    main()
