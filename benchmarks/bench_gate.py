"""The regression gate (``evalsuite check``) measured: its false-alarm and detection rates.

Usage::

    python benchmarks/bench_gate.py [--runs 10] [--work DIR]     # about 25 min on 2 cores
    python benchmarks/bench_gate.py --quick                       # smoke test, writes nothing

Config: the first 6,000 IMDB reviews (1.4M tokens), three trainers (gensim CBOW, whose
worker threads make it nondeterministic even for a fixed seed, torch SGNS and torch CBOW;
50 dimensions, 3 epochs, min_count 5), the 8 similarity and 2 analogy datasets of the
default benchmark: 30 scores per run.

1. Baseline: the config with seeds 100, 101, 102, saved as ``evalsuite baseline`` saves it
   (scores without per-item outputs, plus the noise table).
2. False alarms: ``--runs`` fresh runs of the unchanged config, seeds 0, 1, ..., each
   checked against the baseline; the share the gate fails (target <= 5%).
3. Detection: the same runs with Gaussian noise added to every vector (the matrices come
   from the cache, so only evaluation is repeated), its scale calibrated on the baseline's
   matrices to cost 0.05 Spearman on WS-353; the share the gate fails (target >= 90%).

The noise goes in through ``run_benchmark``'s ``evaluate_fn`` seam; nothing user-facing.
Figures go to ``benchmarks/results/gate.json`` and ``gate.md`` (atomically).
"""

from __future__ import annotations

import argparse
import itertools
import math
import sys
import tempfile
import time
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy import stats

from evalsuite.analysis.gate import GateSettings, gate
from evalsuite.analysis.noise import TABLE_KEY, noise_table
from evalsuite.config import parse_config
from evalsuite.core.atomic import write_json, write_text
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.provenance import machine
from evalsuite.core.results import RunResult
from evalsuite.pipeline.jobs import default_evaluate
from evalsuite.pipeline.runner import run_benchmark

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
TASKS = ["ws353", "ws353_sim", "ws353_rel", "simlex999", "men", "rw", "mturk287", "rg65", "google", "msr"]
PARAMS = {"vector_size": 50, "window": 5, "negative": 5, "min_count": 5, "epochs": 3}
EMBEDDINGS = [
    {"name": "gensim-cbow", "trainer": "gensim-word2vec", "params": {"architecture": "cbow", **PARAMS}},
    {"name": "torch-sgns", "trainer": "torch-sgns", "params": PARAMS},
    {"name": "torch-cbow", "trainer": "torch-cbow", "params": PARAMS},
]
BASELINE_SEEDS = [100, 101, 102]
TARGET_DROP = 0.05  # Spearman on WS-353
TARGETS = {"false_alarm_rate": 0.05, "detection_rate": 0.90}


def write_corpus(path: Path, n_docs: int) -> Path:
    """The first ``n_docs`` IMDB reviews, one per line."""
    from evalsuite.data.corpus.text import imdb_source

    with open(path, "w", encoding="utf-8") as f:
        for _path, _line, text in itertools.islice(iter(imdb_source()), n_docs):
            f.write(" ".join(text.split()) + "\n")
    return path


def make_config(corpus: Path, work: Path, seeds):
    raw = {"tasks": TASKS, "corpus": {"path": str(corpus)}, "embeddings": EMBEDDINGS,
           "run": {"name": "gate-bench", "seeds": list(seeds), "store": str(work / "runs.sqlite"),
                   "cache": str(work / "cache"), "output": str(work / "reports")}}
    return parse_config(raw, source="bench_gate")


def run(config, evaluate_fn=None) -> RunResult:
    return run_benchmark(config, evaluate_fn=evaluate_fn, report_fn=None, summary_fn=None, log=lambda m: None).run


def as_committed(run_result: RunResult) -> RunResult:
    """What ``evalsuite baseline`` writes, read back: no per-item outputs, the noise table."""
    prov = {**dict(run_result.provenance), TABLE_KEY: noise_table(run_result)}
    return RunResult.from_dict(replace(run_result, provenance=prov).to_dict(with_items=False))


def noisy(emb: Embeddings, scale: float, seed: int) -> Embeddings:
    """``emb`` plus Gaussian noise of sd ``scale`` times the sd of its entries."""
    rng = np.random.default_rng([seed, zlib.crc32(emb.name.split("@")[0].encode())])
    m = emb.matrix + scale * float(emb.matrix.std()) * rng.standard_normal(emb.matrix.shape).astype(emb.matrix.dtype)
    return Embeddings(emb.vocab, m, emb.counts, emb.name, emb.meta)


def degrading(scale: float, seed: int):
    """An ``evaluate_fn`` that scores noisy copies of the matrices."""
    def evaluate(emb, tasks, protocol):
        return default_evaluate(noisy(emb, scale, seed), tasks, protocol)
    return evaluate


def calibrate(embs: list[Embeddings], protocol: str, target: float = TARGET_DROP) -> tuple[float, list]:
    """The noise scale whose mean WS-353 drop over ``embs`` (3 draws each) is ``target``."""
    def ws353(e):
        return default_evaluate(e, ["ws353"], protocol)[0].main_score

    clean = np.mean([ws353(e) for e in embs])
    curve = [(0.0, 0.0)]
    for scale in (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0):
        drop = clean - np.mean([ws353(noisy(e, scale, 1000 + d)) for e in embs for d in range(3)])
        curve.append((scale, float(drop)))
        if drop >= target:
            (s0, d0), (s1, d1) = curve[-2], curve[-1]
            return float(s0 + (target - d0) * (s1 - s0) / (d1 - d0)), curve
    return max(curve, key=lambda c: c[1])[0], curve  # target out of reach: the most damaging scale


def run_record(report, current: RunResult, baseline: RunResult, seed: int, kind: str, seconds: float) -> dict:
    def ws353(r):
        return np.mean([t.main_score for t in r.task_results if t.task == "ws353"])

    p = [r.p_holm for r in report.rows if r.p_holm is not None]
    return {"kind": kind, "seed": seed, "failed": not report.passed, "significant_drops": report.count("regression"),
            "drops_within_noise": report.count("noise"), "min_p_holm": min(p) if p else None,
            "ws353_change": float(ws353(current) - ws353(baseline)), "seconds": round(seconds, 1),
            "flagged": [f"{r.embedding}/{r.task}" for r in report.rows if r.status == "regression"]}


def rate(records: list[dict]) -> dict:
    """Share of failed runs with its exact (Clopper-Pearson) 95% interval."""
    n, k = len(records), sum(r["failed"] for r in records)
    lo = stats.beta.ppf(0.025, k, n - k + 1) if k else 0.0
    hi = stats.beta.ppf(0.975, k + 1, n - k) if k < n else 1.0
    return {"runs": n, "failed": k, "rate": k / n if n else math.nan, "ci95": [float(lo), float(hi)]}


def _mean_change(records: list[dict], kind: str) -> float:
    return float(np.mean([r["ws353_change"] for r in records if r["kind"] == kind]))


def measure(work: Path, runs: int, n_docs: int, log) -> dict:
    t0 = time.perf_counter()
    corpus = write_corpus(work / "corpus.txt", n_docs)
    captured: dict[str, Embeddings] = {}

    def capture(emb, tasks, protocol):
        captured.setdefault(emb.name.split("@")[0], emb)
        return default_evaluate(emb, tasks, protocol)

    base_cfg = make_config(corpus, work, BASELINE_SEEDS)
    baseline = as_committed(run(base_cfg, capture))
    t_base = time.perf_counter() - t0
    log(f"baseline: {len(baseline.task_results)} results in {t_base:.0f} s")
    scale, curve = calibrate(list(captured.values()), base_cfg.protocol)
    log(f"noise scale {scale:.3f} x the matrices' sd (WS-353 drop by scale: {curve})")
    settings = GateSettings()
    records = []
    for seed in range(runs):
        for kind in ("unchanged", "degraded"):
            t = time.perf_counter()
            current = run(make_config(corpus, work, [seed]), degrading(scale, seed) if kind == "degraded" else None)
            report = gate(current, baseline, settings)
            records.append(run_record(report, current, baseline, seed, kind, time.perf_counter() - t))
            r = records[-1]
            log(f"seed {seed} {kind}: {'FAIL' if r['failed'] else 'pass'} ({r['significant_drops']} significant, "
                f"{r['drops_within_noise']} within noise; WS-353 {r['ws353_change']:+.3f}) {r['seconds']:.0f} s")
    table = baseline.provenance[TABLE_KEY]
    return {
        "config": {"corpus": f"first {n_docs} IMDB reviews", "embeddings": EMBEDDINGS, "tasks": TASKS,
                   "baseline_seeds": BASELINE_SEEDS, "run_seeds": list(range(runs)),
                   "scores_per_run": len(table), "level": settings.level, "margin": settings.margin},
        "degradation": {"kind": "Gaussian noise added to every vector", "scale_of_matrix_sd": scale,
                        "calibration_ws353_drop": curve, "target_ws353_drop": TARGET_DROP,
                        "mean_ws353_change": _mean_change(records, "degraded") - _mean_change(records, "unchanged")},
        "false_alarms": rate([r for r in records if r["kind"] == "unchanged"]),
        "detection": rate([r for r in records if r["kind"] == "degraded"]),
        "targets": TARGETS, "runs": records, "baseline_noise": table,
        "seconds": {"baseline": round(t_base, 1), "total": round(time.perf_counter() - t0, 1)},
        "machine": machine(),
    }


def _pct(r: dict) -> str:
    return f"{r['rate']:.0%} ({r['failed']}/{r['runs']}; 95% CI {r['ci95'][0]:.0%}–{r['ci95'][1]:.0%})"


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


def render(res: dict, command: str) -> str:
    """The Markdown summary."""
    cfg, deg = res["config"], res["degradation"]
    fa, det = res["false_alarms"], res["detection"]
    ok_fa = fa["rate"] <= TARGETS["false_alarm_rate"]
    ok_det = det["rate"] >= TARGETS["detection_rate"]
    lines = [
        "# The regression gate's error rates", "",
        f"Config: {cfg['corpus']}, {', '.join(e['name'] for e in cfg['embeddings'])} (50 dimensions, 3 epochs), "
        f"{len(cfg['tasks'])} similarity and analogy datasets: {cfg['scores_per_run']} scores per run. Baseline: seeds "
        f"{', '.join(map(str, cfg['baseline_seeds']))}, saved as `evalsuite baseline` saves it. Gate: level "
        f"{cfg['level']:g}, margin {cfg['margin']:g}.", "",
        "| measure | runs | result | target | met |", "|---|---:|---|---|---|",
        f"| false alarms: unchanged config, fresh seeds | {fa['runs']} | {_pct(fa)} | ≤ 5% | {_yes(ok_fa)} |",
        f"| detection: Gaussian noise on the vectors | {det['runs']} | {_pct(det)} | ≥ 90% | {_yes(ok_det)} |",
        "",
        f"Degradation: noise of sd {deg['scale_of_matrix_sd']:.3f} × the matrix's sd, calibrated on the baseline's "
        f"matrices to cost {deg['target_ws353_drop']} Spearman on WS-353; measured in the runs: "
        f"{deg['mean_ws353_change']:+.3f} (degraded minus unchanged, same seeds).", "",
        "| seed | run | gate | significant drops | drops within noise | smallest Holm p | WS-353 vs baseline |",
        "|---:|---|---|---:|---:|---:|---:|",
    ]
    for r in res["runs"]:
        p = "–" if r["min_p_holm"] is None else f"{r['min_p_holm']:.2g}"
        lines.append(f"| {r['seed']} | {r['kind']} | {'FAIL' if r['failed'] else 'pass'} | {r['significant_drops']} | "
                     f"{r['drops_within_noise']} | {p} | {r['ws353_change']:+.3f} |")
    flagged: dict[str, int] = {}
    for r in res["runs"]:
        if r["kind"] == "degraded":
            for f in r["flagged"]:
                flagged[f] = flagged.get(f, 0) + 1
    if flagged:
        top = sorted(flagged.items(), key=lambda kv: (-kv[1], kv[0]))
        lines += ["", "Scores flagged in the degraded runs (runs out of " + str(det["runs"]) + "): "
                  + ", ".join(f"{k} {v}" for k, v in top) + "."]
    sec = res["seconds"]
    lines += ["", f"Wall time {sec['total'] / 60:.1f} min (baseline {sec['baseline'] / 60:.1f} min), "
              f"{res['machine'].get('cpus', '?')} CPUs.", "", f"Command: `{command}`", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10, help="unchanged and degraded runs each (default 10)")
    ap.add_argument("--docs", type=int, default=6000, help="IMDB reviews in the corpus (default 6000)")
    ap.add_argument("--work", metavar="DIR", help="keep the store and matrix cache here (default: a temporary folder)")
    ap.add_argument("--quick", action="store_true", help="2 runs each on 1,500 reviews; prints, writes nothing")
    args = ap.parse_args(argv)
    runs, docs = (2, 1500) if args.quick else (args.runs, args.docs)
    with tempfile.TemporaryDirectory(prefix="evalsuite-bench-gate-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        res = measure(work, runs, docs, log=lambda m: print(m, file=sys.stderr, flush=True))
    command = "python benchmarks/bench_gate.py" + (f" --runs {runs}" if runs != 10 else "") + (
        f" --docs {docs}" if docs != 6000 else "")
    text = render(res, command)
    print(text)
    if not args.quick:
        write_json(RESULTS / "gate.json", res)
        write_text(RESULTS / "gate.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
