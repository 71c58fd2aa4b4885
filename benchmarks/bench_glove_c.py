"""torch-glove against Stanford GloVe's own C tools, side by side on the IMDB corpus.

Usage::

    python benchmarks/bench_glove_c.py --glove-bin DIR [--epochs 15] [--threads 2] [--memory 4.0]
                                       [--limit-docs N] [--out benchmarks/results/glove_c]

``DIR`` holds GloVe's ``vocab_count``, ``cooccur``, ``shuffle`` and ``glove`` binaries.
They are not part of this project; build them from Stanford's source with the
upstream Makefile (``-O3 -march=native -funroll-loops -pthread -lm``)::

    git clone https://github.com/stanfordnlp/GloVe && make -C GloVe   # then --glove-bin GloVe/build

The corpus is the built-in IMDB corpus (25,000 reviews, 5.8M tokens), written once
as one space-separated line of tokens per review. The C tools read that file, and
torch-glove reads the same file split on whitespace, so both see the same tokens.
Both use min_count 5, a symmetric window of 10 weighted by 1/distance, 100
dimensions, x_max 100, alpha 0.75, eta 0.05 and ``--threads`` threads (torch-glove's
``workers``; its x_max and alpha defaults are GloVe's). GloVe runs ``vocab_count``,
``cooccur`` (``-memory``), ``shuffle`` (``-memory``) and ``glove`` (text output,
``-model 2``); torch-glove runs ``fit`` on the corpus. Every stage runs in a fresh
process, started by a small runner process that reads the stage's own peak RSS
(``getrusage(RUSAGE_CHILDREN)``; Linux counts the starting process's memory in it,
about 10 MB for the runner, not this script's hundreds):

- **epoch time**: median seconds per epoch; GloVe's are the gaps between its
  ``iter:`` lines on stderr (the first from the line printed just before training),
  torch-glove's are its ``EpochStats``;
- **counting time**: GloVe's vocab_count + cooccur + shuffle against torch-glove's
  fit up to its first epoch (vocabulary, ids, counts, training arrays, shuffle);
- **peak memory**: torch-glove's whole fit, and its counting alone (vocabulary and
  counts, another process), against the largest of GloVe's counting stages;
- **losses** per epoch, side by side, and the vocabulary and nonzeros of both
  (they must be equal).

Writes ``benchmarks/results/glove_c.json`` and ``glove_c.md`` atomically, with the
command line, the load average and ``uptime``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from evalsuite.core.atomic import write_json, write_text
from evalsuite.core.provenance import machine, package_versions

RESULTS = Path(__file__).resolve().parent / "results"
TOOLS = ("vocab_count", "cooccur", "shuffle", "glove")
COUNTING = ("vocab_count", "cooccur", "shuffle")
PARAMS = dict(vector_size=100, window=10, min_count=5, learning_rate=0.05)
TARGETS = {"epoch": 0.5, "counting": 0.3, "memory": 1.0}
ITER_LINE = re.compile(r"iter: *(\d+), cost: *([0-9.eE+-]+)")


class LinesCorpus:
    """A corpus file of one sentence a line, tokens separated by whitespace."""

    def __init__(self, path):
        self.path = Path(path)
        self.name = self.path.stem

    def __iter__(self):
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                yield line.split()


def write_corpus(path: Path, limit_docs: int | None) -> dict:
    """The IMDB reviews' tokens, one review a line; refuses tokens the C tools would read differently."""
    from evalsuite.data.corpus import corpus_from

    tokens = lines = 0
    with open(path, "w", encoding="utf-8") as fh:
        for sentence in corpus_from("imdb"):
            if limit_docs is not None and lines >= limit_docs:
                break
            for t in sentence:
                if not t or t == "<unk>" or any(c.isspace() for c in t):
                    raise SystemExit(f"{path}: token {t!r} cannot be written for GloVe's tools")
            fh.write(" ".join(sentence) + "\n")
            tokens, lines = tokens + len(sentence), lines + 1
    return {"tokens": tokens, "lines": lines}


#: runs one stage and writes its wall time and its peak RSS (RUSAGE_CHILDREN: the stage's own, counting
#: from this small process, not from the large one that started it) to the file named first
RUNNER = """
import json, resource, subprocess, sys, time
out, stdin, stdout, *cmd = sys.argv[1:]
with open(stdin or "/dev/null", "rb") as fin, open(stdout or "/dev/null", "wb") as fout:
    start = time.perf_counter()
    code = subprocess.run(cmd, stdin=fin if stdin else None, stdout=fout if stdout else None).returncode
    seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
with open(out, "w") as fh:
    json.dump({"code": code, "seconds": seconds, "peak_rss_mb": peak / 1024}, fh)
"""


def run_process(cmd, *, stdin=None, stdout=None, log: Path, on_line=None) -> dict:
    """Run ``cmd`` in a fresh process: its wall time and its own peak RSS.

    A process started from this one would count this one's memory in its peak RSS
    (Linux keeps the high-water mark across ``exec``), so a small runner process
    (``RUNNER``) starts it and reads its peak. ``on_line(line, now)`` sees each
    stderr line as it arrives (else stderr goes to ``log``).
    """
    result = log.with_suffix(".rusage.json")
    argv = [sys.executable, "-S", "-c", RUNNER, result, stdin or "", stdout or "", *cmd]
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen([str(a) for a in argv], stderr=subprocess.PIPE if on_line else err, text=True)
        try:
            if on_line:
                for line in proc.stderr:
                    err.write(line)
                    on_line(line, time.perf_counter())
            proc.wait()
        except BaseException:
            proc.kill()
            proc.wait()
            raise
    stage = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {"code": proc.returncode}
    if proc.returncode != 0 or stage["code"] != 0:
        raise SystemExit(f"{cmd[0]} failed with exit code {stage['code']}; see {log}")
    return {"seconds": stage["seconds"], "peak_rss_mb": stage["peak_rss_mb"]}


def run_glove_c(bin_dir: Path, corpus: Path, work: Path, args) -> dict:
    """GloVe's four tools on ``corpus``: per-stage time and peak RSS, epoch times and losses."""
    tool = {name: bin_dir / name for name in TOOLS}
    vocab, cooc, shuf = work / "vocab.txt", work / "cooc.bin", work / "cooc.shuf.bin"
    stages = {"vocab_count": run_process([tool["vocab_count"], "-min-count", PARAMS["min_count"], "-verbose", 0],
                                         stdin=corpus, stdout=vocab, log=work / "vocab_count.log")}
    stages["cooccur"] = run_process(
        [tool["cooccur"], "-memory", args.memory, "-vocab-file", vocab, "-verbose", 0, "-symmetric", 1,
         "-window-size", PARAMS["window"], "-distance-weighting", 1, "-overflow-file", work / "overflow"],
        stdin=corpus, stdout=cooc, log=work / "cooccur.log")
    stages["shuffle"] = run_process([tool["shuffle"], "-memory", args.memory, "-verbose", 0, "-seed", 1,
                                     "-temp-file", work / "shuffle"], stdin=cooc, stdout=shuf, log=work / "shuffle.log")
    nonzeros = cooc.stat().st_size // 16  # records of (int, int, double)
    cooc.unlink()
    marks, losses = [], []

    def on_line(line: str, now: float) -> None:
        if line.startswith("alpha:"):  # printed just before the first iteration
            marks.append(now)
        elif (m := ITER_LINE.search(line)) is not None:
            marks.append(now)
            losses.append(float(m.group(2)))

    stages["glove"] = run_process(
        [tool["glove"], "-input-file", shuf, "-vocab-file", vocab, "-save-file", work / "vectors",
         "-threads", args.threads, "-iter", args.epochs, "-vector-size", PARAMS["vector_size"], "-x-max", 100.0,
         "-alpha", 0.75, "-eta", PARAMS["learning_rate"], "-binary", 0, "-model", 2, "-seed", 1, "-verbose", 2],
        log=work / "glove.log", on_line=on_line)
    if len(marks) != args.epochs + 1:
        raise SystemExit(f"glove printed {len(marks) - 1} iterations, expected {args.epochs}; see {work / 'glove.log'}")
    with open(vocab, encoding="utf-8") as fh:
        vocab_size = sum(1 for _ in fh)
    return {"stages": stages, "epoch_seconds": [b - a for a, b in zip(marks, marks[1:])], "losses": losses,
            "nonzeros": nonzeros, "vocab_size": vocab_size}


def run_torch_glove(corpus: Path, work: Path, args) -> dict:
    """torch-glove's counting alone and its whole fit, each in a fresh process of this script."""
    from evalsuite.native import cooccur, glove

    cooccur.load_native(required=True)  # compiled (and cached) here, so that no stage pays for it
    glove.load_native(required=True)
    out = {}
    for stage in ("count", "fit"):
        result = work / f"{stage}.json"
        cmd = [sys.executable, __file__, "--stage", stage, "--corpus", corpus, "--stage-out", result,
               "--epochs", args.epochs, "--threads", args.threads]
        process = run_process(cmd, log=work / f"torch-{stage}.log")
        out[stage] = {**process, **json.loads(result.read_text(encoding="utf-8"))}
    return out


def stage_main(args) -> None:
    """One torch-glove stage in this process (run by :func:`run_torch_glove`)."""
    import numpy as np

    from evalsuite.data.corpus.encoded import encode_with_vocabulary
    from evalsuite.train.base import TrainerCallback
    from evalsuite.train.glove.cooccurrence import count_cooccurrences
    from evalsuite.train.glove.trainer import TorchGloVe

    corpus = LinesCorpus(args.corpus)
    start = time.perf_counter()
    if args.stage == "count":
        vocab, encoded = encode_with_vocabulary(corpus, min_count=PARAMS["min_count"])
        with encoded:
            matrix = count_cooccurrences(encoded, len(vocab), window=PARAMS["window"], dtype=np.float32,
                                         workers=args.threads)  # as fit counts
        result = {"seconds_in_process": time.perf_counter() - start, "nonzeros": matrix.nnz,
                  "vocab_size": len(vocab)}
    else:
        begun = []

        class Mark(TrainerCallback):
            def on_train_begin(self, trainer, total_epochs):
                begun.append(time.perf_counter())

        trainer = TorchGloVe(**PARAMS, epochs=args.epochs, workers=args.threads)
        emb = trainer.fit(corpus, seed=0, callbacks=[Mark()])
        history = emb.meta["history"]
        result = {"counting_seconds": begun[0] - start, "epoch_seconds": [h["seconds"] for h in history],
                  "losses": [h["loss"] for h in history], "nonzeros": emb.meta["nonzeros"],
                  "vocab_size": len(emb), "kernel": emb.meta["kernel"], "shuffle": emb.meta.get("shuffle")}
    with open("/proc/self/status", encoding="ascii") as fh:  # the process's own high-water mark, to cross-check
        result["vm_hwm_mb"] = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM"))
    Path(args.stage_out).write_text(json.dumps(result), encoding="utf-8")


def compare(c: dict, t: dict) -> dict:
    """The four comparisons, as ratios torch-glove / GloVe C."""
    c_counting = sum(c["stages"][s]["seconds"] for s in COUNTING)
    c_peak = max(c["stages"][s]["peak_rss_mb"] for s in COUNTING)
    fit = t["fit"]
    return {
        "epoch": median(fit["epoch_seconds"]) / median(c["epoch_seconds"]),
        "counting": fit["counting_seconds"] / c_counting,
        "memory": fit["peak_rss_mb"] / c_peak,
        "memory_counting_only": t["count"]["peak_rss_mb"] / c_peak,
        "loss_difference": [a - b for a, b in zip(fit["losses"], c["losses"])],
        "same_nonzeros": c["nonzeros"] == fit["nonzeros"] == t["count"]["nonzeros"],
        "same_vocabulary": c["vocab_size"] == fit["vocab_size"] == t["count"]["vocab_size"],
    }


def to_markdown(r: dict) -> str:
    c, t, q = r["glove_c"], r["torch_glove"], r["ratios"]
    fit, cnt = t["fit"], t["count"]
    c_counting = sum(c["stages"][s]["seconds"] for s in COUNTING)
    c_peak = max(c["stages"][s]["peak_rss_mb"] for s in COUNTING)
    lines = [f"# torch-glove against GloVe C — IMDB ({r['corpus']['tokens']:,} tokens), {r['epochs']} epochs",
             "", f"`{r['command']}`", "",
             "| comparison | GloVe C | torch-glove | ratio | target |", "|---|---:|---:|---:|---:|",
             f"| time per epoch (median) | {median(c['epoch_seconds']):.2f} s | {median(fit['epoch_seconds']):.2f} s "
             f"| **{q['epoch']:.2f}** | ≤ {TARGETS['epoch']} |",
             f"| counting (vocab_count + cooccur + shuffle / fit up to epoch 1) | {c_counting:.2f} s "
             f"| {fit['counting_seconds']:.2f} s | **{q['counting']:.2f}** | ≤ {TARGETS['counting']} |",
             f"| peak RSS (largest counting stage / whole fit) | {c_peak:.0f} MB | {fit['peak_rss_mb']:.0f} MB "
             f"| **{q['memory']:.2f}** | ≤ {TARGETS['memory']} |",
             f"| peak RSS, torch-glove's counting alone | | {cnt['peak_rss_mb']:.0f} MB "
             f"| {q['memory_counting_only']:.2f} | |",
             "", "| stage | seconds | peak RSS |", "|---|---:|---:|"]
    lines += [f"| GloVe C {s} | {v['seconds']:.2f} | {v['peak_rss_mb']:.0f} MB |" for s, v in c["stages"].items()]
    lines += [f"| torch-glove counting (own process) | {cnt['seconds']:.2f} | {cnt['peak_rss_mb']:.0f} MB |",
              f"| torch-glove fit (own process) | {fit['seconds']:.2f} | {fit['peak_rss_mb']:.0f} MB |",
              "", f"Vocabulary {c['vocab_size']:,} / {fit['vocab_size']:,} words and nonzeros "
              f"{c['nonzeros']:,} / {fit['nonzeros']:,} (GloVe C / torch-glove): "
              f"{'identical' if q['same_nonzeros'] and q['same_vocabulary'] else 'DIFFERENT'}.",
              "", "| epoch | GloVe C loss | torch-glove loss | GloVe C s | torch-glove s |", "|---:|---:|---:|---:|---:|"]
    lines += [f"| {k + 1} | {a:.4f} | {b:.4f} | {sa:.2f} | {sb:.2f} |" for k, (a, b, sa, sb) in
              enumerate(zip(c["losses"], fit["losses"], c["epoch_seconds"], fit["epoch_seconds"]))]
    lines += ["", f"Load average before / after: {r['load_before']} / {r['load_after']}; `uptime` before: "
              f"{r['uptime_before']}"]
    return "\n".join(lines) + "\n"


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glove-bin", type=Path, help="folder with GloVe's built vocab_count, cooccur, shuffle, glove")
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--memory", type=float, default=4.0, help="GloVe's -memory (GB) for cooccur and shuffle")
    ap.add_argument("--limit-docs", type=int, default=None, help="only the first N reviews")
    ap.add_argument("--out", default=str(RESULTS / "glove_c"))
    ap.add_argument("--stage", choices=("count", "fit"), help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--stage-out", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        return stage_main(args)
    missing = [t for t in TOOLS if args.glove_bin is None or not (args.glove_bin / t).is_file()]
    if missing:
        ap.error(f"--glove-bin: {', '.join(missing)} not found in {args.glove_bin} (build them: see --help)")
    command = shlex.join([Path(sys.executable).name, *sys.argv]) if argv is None else shlex.join(argv)
    load_before, uptime_before = os.getloadavg(), uptime()
    with tempfile.TemporaryDirectory(prefix="bench-glove-c-") as tmp:
        work = Path(tmp)
        corpus = work / "imdb.txt"
        info = write_corpus(corpus, args.limit_docs)
        c = run_glove_c(args.glove_bin.resolve(), corpus, work, args)
        t = run_torch_glove(corpus, work, args)
    result = {"command": command, "corpus": info, "epochs": args.epochs, "threads": args.threads,
              "glove_memory_gb": args.memory, "params": PARAMS, "glove_c": c, "torch_glove": t,
              "ratios": compare(c, t), "targets": TARGETS, "load_before": [round(v, 2) for v in load_before],
              "load_after": [round(v, 2) for v in os.getloadavg()], "uptime_before": uptime_before,
              "machine": machine(), "packages": package_versions()}
    write_json(args.out + ".json", result)
    write_text(args.out + ".md", to_markdown(result))
    print(to_markdown(result))


if __name__ == "__main__":
    main()
