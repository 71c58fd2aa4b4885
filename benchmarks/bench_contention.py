"""Contention benchmark: the torch trainers' epoch throughput alone and beside competing work.

Usage::

    python benchmarks/bench_contention.py [--lines 120000] [--epochs 3] [--workers 2] [--only torch-glove] [--quick]

For each trainer (torch-glove, torch-sgns, torch-cbow), the median over epochs of
its own reported throughput (``EpochStats.items_per_second``: nonzeros/s for
GloVe, words/s for Word2Vec) is measured in three settings:

- ``alone``;
- ``busy loop``: beside a ``while True: pass`` Python process started (and killed
  afterwards) by this script;
- ``second copy``: beside a second process running the same training (this script
  with ``--child``: same corpus and parameters, its epoch count raised so that it
  trains until killed); the measurement starts once the copy has finished its
  first epoch, so that both are training.

Slowdown = throughput alone / throughput in the setting (1.0: none). On a machine
with ``workers`` cores, a busy loop leaves ``workers - 1`` of them and a second copy
half of them, so fair sharing gives about ``workers / (workers - 1)`` and 2. The
corpus is the built-in IMDB corpus cut to its first ``--lines`` lines (one review
a line; it has 25,000, so the default of 120,000 takes all of them).
Writes ``benchmarks/results/contention.json`` and ``contention.md`` atomically, with
the command line that produced them.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import shlex
import subprocess
import sys
from pathlib import Path
from statistics import median

from evalsuite.core.atomic import write_json, write_text
from evalsuite.data.corpus import InMemoryCorpus, Vocabulary, corpus_from
from evalsuite.core.provenance import machine, package_versions
from evalsuite.train import TrainerCallback, get_trainer
from evalsuite.train.callbacks import HistoryCallback
from evalsuite.train.glove.cooccurrence import count_cooccurrences

RESULTS = Path(__file__).resolve().parent / "results"
TRAINERS = ("torch-glove", "torch-sgns", "torch-cbow")
SETTINGS = ("alone", "busy loop", "second copy")
#: a copy "until killed": more epochs than any run lasts
FOREVER = 10**6
#: Linux: the child gets SIGKILL when this process dies, so that no spinning child outlives a killed run
DIE_WITH_PARENT = "import ctypes, signal\ntry: ctypes.CDLL(None).prctl(1, signal.SIGKILL)\nexcept Exception: pass\n"


def load_corpus(lines: int) -> InMemoryCorpus:
    """The first ``lines`` lines of the built-in IMDB corpus, tokenised once."""
    return InMemoryCorpus(list(itertools.islice(corpus_from("imdb"), lines)), name=f"imdb[:{lines}]")


def trainer_params(name: str, args) -> dict:
    """Each trainer's parameters: window 10 for GloVe, word2vec's usual ones for SGNS / CBOW."""
    common = dict(vector_size=50 if args.quick else 100, min_count=5, epochs=args.epochs, workers=args.workers)
    if name == "torch-glove":
        return dict(common, window=10)
    return dict(common, window=5, negative=5, sample=1e-3)


def prepare(name: str, corpus: InMemoryCorpus, params: dict):
    """A function ``run(callbacks)`` that trains once; GloVe's counting is done here, not timed."""
    trainer = get_trainer(name)(**params)
    if name != "torch-glove":
        return lambda callbacks: trainer.fit(corpus, seed=0, callbacks=callbacks)
    vocab = Vocabulary.build(corpus, min_count=params["min_count"])
    matrix = count_cooccurrences([vocab.encode(s) for s in corpus], len(vocab), window=params["window"])
    return lambda callbacks: trainer.fit_cooccurrences(matrix, vocab, seed=0, callbacks=callbacks)


def measure(run) -> dict:
    """Median of the per-epoch throughput a trainer reports, with the per-epoch figures."""
    history = HistoryCallback()
    run([history])
    rates = [s.items_per_second for s in history.history]
    return {"unit": history.history[0].unit, "median": median(rates), "per_epoch": rates,
            "epoch_seconds": [s.seconds for s in history.history]}


def _stop(proc: subprocess.Popen) -> None:
    proc.kill()
    proc.wait()


@contextlib.contextmanager
def busy_loop():
    """A Python process spinning on one core while the block runs."""
    proc = subprocess.Popen([sys.executable, "-c", DIE_WITH_PARENT + "while True: pass"])
    try:
        yield
    finally:
        _stop(proc)


@contextlib.contextmanager
def second_copy(name: str, args):
    """The same training in a child process, from the end of its first epoch until the block ends."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", name, "--lines", str(args.lines),
           "--workers", str(args.workers)] + (["--quick"] if args.quick else [])
    env = dict(os.environ, EVALSUITE_NO_PROGRESS="1")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    try:
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the second copy of {name} stopped before training (exit {proc.wait()})")
        yield
    finally:
        _stop(proc)


def child(name: str, args) -> None:
    """``--child``: train until killed; print ``ready`` after the first epoch."""

    class Ready(TrainerCallback):
        def on_epoch_end(self, trainer, stats):
            if stats.epoch == 1:
                print("ready", flush=True)

    exec(DIE_WITH_PARENT)
    params = dict(trainer_params(name, args), epochs=FOREVER)
    prepare(name, load_corpus(args.lines), params)([Ready()])


def bench_trainer(name: str, corpus: InMemoryCorpus, args) -> dict:
    """One trainer in the three settings; returns figures and slowdowns."""
    params = trainer_params(name, args)
    run = prepare(name, corpus, params)
    contexts = {"alone": contextlib.nullcontext, "busy loop": busy_loop,
                "second copy": lambda: second_copy(name, args)}
    out: dict = {"params": params, "settings": {}}
    for setting in SETTINGS:
        load = os.getloadavg()
        with contexts[setting]():
            out["settings"][setting] = dict(measure(run), load_average_before=load)
        print(f"{name} {setting}: {out['settings'][setting]['median']:,.0f} "
              f"{out['settings'][setting]['unit']}/s", file=sys.stderr)
    alone = out["settings"]["alone"]["median"]
    out["slowdown"] = {s: alone / out["settings"][s]["median"] for s in SETTINGS[1:]}
    return out


def to_markdown(res: dict) -> str:
    """Markdown table of :func:`main`'s results."""
    lines = [
        f"# Contention benchmark — `{res['corpus']['name']}` ({res['corpus']['lines']:,} lines, "
        f"{res['corpus']['tokens']:,} tokens)",
        "",
        f"Median epoch throughput over {res['epochs']} epochs, {res['workers']} worker threads per training, "
        f"{res['machine']['cpus']} CPUs; slowdown = alone / beside.",
        "",
        "| trainer | unit | alone | beside a busy loop | slowdown | beside a second copy | slowdown |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in res["trainers"].items():
        s = r["settings"]
        lines.append(f"| {name} | {s['alone']['unit']}/s | {s['alone']['median']:,.0f} | "
                     f"{s['busy loop']['median']:,.0f} | {r['slowdown']['busy loop']:.2f}x | "
                     f"{s['second copy']['median']:,.0f} | {r['slowdown']['second copy']:.2f}x |")
    loads = "; ".join(f"{name} {setting}: {r['settings'][setting]['load_average_before'][0]:.1f}"
                      for name, r in res["trainers"].items() for setting in SETTINGS)
    lines += ["", f"1-minute load average before each setting: {loads}.", "", f"Command: `{res['command']}`", ""]
    return "\n".join(lines)


def parse_args(argv):
    """Command-line options; --quick changes the defaults of --lines and --epochs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=None, help="IMDB lines to train on (default 120000)")
    parser.add_argument("--epochs", type=int, default=None, help="epochs per measurement (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="worker threads per training (default 2)")
    parser.add_argument("--only", choices=TRAINERS, action="append", help="run only these trainers")
    parser.add_argument("--quick", action="store_true", help="smoke test: 2,000 lines, 2 epochs, dim 50")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--child", choices=TRAINERS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.lines = args.lines or (2000 if args.quick else 120_000)
    args.epochs = args.epochs or (2 if args.quick else 3)
    return args


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    if args.child:
        child(args.child, args)
        return 0
    corpus = load_corpus(args.lines)
    results = {
        "command": "python benchmarks/bench_contention.py" + "".join(f" {shlex.quote(a)}" for a in argv),
        "corpus": {"name": corpus.name, "lines": len(corpus.sentences),
                   "tokens": sum(len(s) for s in corpus.sentences)},
        "epochs": args.epochs, "workers": args.workers,
        "machine": machine(), "versions": package_versions(), "trainers": {},
    }
    for name in args.only or TRAINERS:
        results["trainers"][name] = bench_trainer(name, corpus, args)
    md = to_markdown(results)
    write_json(args.out / "contention.json", results)
    write_text(args.out / "contention.md", md)
    print(md)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
