"""Trainer benchmark: PyTorch trainers against gensim, side by side in one run.

Usage::

    python benchmarks/bench_trainers.py [--corpus imdb] [--epochs 5] [--only word2vec]

Each section is one function taking the tokenised corpus and returning a dict of
figures; ``main`` runs the selected sections and writes
``benchmarks/results/trainers.json`` and ``trainers.md`` atomically. Speed is a
ratio against gensim measured in the same run (same corpus in memory, same
hyperparameters, two threads each); quality is scored with evalsuite's own tasks
after the same number of epochs.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from evalsuite.core.atomic import write_json, write_text
from evalsuite.data.corpus import InMemoryCorpus, corpus_from
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.provenance import machine, package_versions

RESULTS = Path(__file__).resolve().parent / "results"
QUALITY_TASKS = ("ws353", "simlex999", "google")
#: matched Word2Vec hyperparameters (issue: dim 100, window 5, 5 negatives, min_count 5, sample 1e-3)
W2V_PARAMS = dict(vector_size=100, window=5, negative=5, min_count=5, sample=1e-3, workers=2)


def load_corpus(spec: str) -> InMemoryCorpus:
    """Tokenise the corpus once, so tokenisation time is charged to no trainer."""
    corpus = corpus_from(spec)
    return InMemoryCorpus(list(corpus), name=getattr(corpus, "name", str(spec)))


def quality(emb: Embeddings) -> dict:
    """Main scores (Spearman / analogy accuracy) and coverage on the quality tasks."""
    from evalsuite.evaluate.suite import evaluate

    return {r.task: {"score": r.main_score, "metric": r.main_score_name, "n_scored": r.n_scored,
                     "n_items": r.n_items} for r in evaluate(emb, list(QUALITY_TASKS))}


def _gensim_embeddings(model, name: str) -> Embeddings:
    wv = model.wv
    counts = [wv.get_vecattr(w, "count") for w in wv.index_to_key]
    return Embeddings(list(wv.index_to_key), np.asarray(wv.vectors, dtype=np.float32), counts=counts, name=name)


def _time_gensim(corpus: InMemoryCorpus, sg: int, epochs: int, seed: int):
    from gensim.models import Word2Vec

    t0 = time.perf_counter()
    model = Word2Vec(corpus.sentences, sg=sg, epochs=epochs, seed=seed, **W2V_PARAMS)
    return _gensim_embeddings(model, f"gensim-{'sg' if sg else 'cbow'}"), time.perf_counter() - t0


def _time_torch(corpus: InMemoryCorpus, trainer_name: str, epochs: int, seed: int):
    from evalsuite.train import get_trainer

    trainer = get_trainer(trainer_name)(epochs=epochs, **W2V_PARAMS)
    t0 = time.perf_counter()
    emb = trainer.fit(corpus, seed=seed)
    return emb, time.perf_counter() - t0


def bench_word2vec(corpus: InMemoryCorpus, *, epochs: int, seed: int = 1) -> dict:
    """gensim skip-gram vs torch-sgns and gensim CBOW vs torch-cbow: words/s and quality.

    Words/s = corpus tokens x epochs / wall time of the whole fit (vocabulary
    included) for both sides, so the ratio is a ratio of wall times.
    """
    n_tokens = sum(len(s) for s in corpus.sentences)
    out: dict = {"tokens": n_tokens, "epochs": epochs, "params": W2V_PARAMS, "pairs": {}}
    targets = {"skipgram": 1.0, "cbow": 0.7}
    for arch, sg, torch_name in (("skipgram", 1, "torch-sgns"), ("cbow", 0, "torch-cbow")):
        g_emb, g_sec = _time_gensim(corpus, sg, epochs, seed)
        t_emb, t_sec = _time_torch(corpus, torch_name, epochs, seed)
        g_wps, t_wps = n_tokens * epochs / g_sec, n_tokens * epochs / t_sec
        g_q, t_q = quality(g_emb), quality(t_emb)
        out["pairs"][arch] = {
            "gensim": {"seconds": g_sec, "words_per_second": g_wps, "quality": g_q},
            torch_name: {"seconds": t_sec, "words_per_second": t_wps, "quality": t_q,
                         "history": t_emb.meta.get("history")},
            "speed_ratio": t_wps / g_wps,
            "speed_target": targets[arch],
            "quality_delta": {k: t_q[k]["score"] - g_q[k]["score"] for k in QUALITY_TASKS},
        }
    return out


def word2vec_markdown(res: dict) -> str:
    """Markdown table of :func:`bench_word2vec`'s result."""
    lines = [
        f"### Word2Vec ({res['tokens']:,} tokens, {res['epochs']} epochs, dim 100, window 5, "
        "5 negatives, min_count 5, sample 1e-3, 2 threads)",
        "",
        "| model | words/s | ratio (target) | WS-353 ρ | SimLex-999 ρ | Google acc. |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for arch, pair in res["pairs"].items():
        for name, row in pair.items():
            if not isinstance(row, dict) or "words_per_second" not in row:
                continue
            q = row["quality"]
            ratio = "" if name == "gensim" else f"{pair['speed_ratio']:.2f} (≥ {pair['speed_target']})"
            label = f"gensim {arch}" if name == "gensim" else name
            lines.append(
                f"| {label} | {row['words_per_second']:,.0f} | {ratio} | {q['ws353']['score']:.3f} | "
                f"{q['simlex999']['score']:.3f} | {100 * q['google']['score']:.1f}% |"
            )
    return "\n".join(lines) + "\n"


def bench_glove_section(corpus: InMemoryCorpus, *, epochs: int, seed: int = 1) -> dict:
    """torch-glove with the Word2Vec runs' vocabulary cut and window: counting and training figures.

    GloVe gets ``GLOVE_EPOCHS`` passes (its epochs are passes over the nonzeros,
    far cheaper than a pass over the corpus).
    """
    from bench_glove import bench_glove

    return bench_glove(corpus, epochs=GLOVE_EPOCHS, window=W2V_PARAMS["window"], min_count=W2V_PARAMS["min_count"],
                       workers=W2V_PARAMS["workers"], seed=seed)


def glove_markdown(res: dict) -> str:
    from bench_glove import to_markdown

    return f"### GloVe ({res['params']['epochs']} epochs, window {res['params']['window']})\n\n" + to_markdown(res)


GLOVE_EPOCHS = 15
SECTIONS = {"word2vec": (bench_word2vec, word2vec_markdown), "glove": (bench_glove_section, glove_markdown)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default="imdb", help="built-in corpus name or path (default imdb)")
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=sorted(SECTIONS), action="append", help="run only these sections")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    results = {"corpus": corpus.name, "machine": machine(), "versions": package_versions(), "sections": {}}
    md = [f"# Trainer benchmark — corpus `{corpus.name}`", ""]
    for name in args.only or sorted(SECTIONS):
        run, render = SECTIONS[name]
        results["sections"][name] = run(corpus, epochs=args.epochs, seed=args.seed)
        md.append(render(results["sections"][name]))
    extra = "".join(f" --only {name}" for name in args.only or ()) + (f" --seed {args.seed}" if args.seed != 1 else "")
    extra += f" --out {args.out}" if args.out.resolve() != RESULTS else ""
    md.append(f"Command: `python benchmarks/bench_trainers.py --corpus {args.corpus} --epochs {args.epochs}{extra}`\n")
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / "trainers.json", results)
    write_text(args.out / "trainers.md", "\n".join(md))
    print("\n".join(md))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
