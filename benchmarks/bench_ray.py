"""Ray executor benchmark: one run with the local executor and on Ray, timed.

Usage::

    python benchmarks/bench_ray.py [--num-cpus 2 | --address HOST:PORT] [--windows 2 3 5 8] [--epochs 20]
    python benchmarks/bench_ray.py --config benchmarks/kim.toml [--num-cpus 2] [--shared-matrices]

The default run is a sweep of gensim Word2Vec (skip-gram, ``workers=1``) on the built-in Lee
corpus with one configuration per window, each evaluated on RG-65. ``--config`` runs a config
file instead (its embeddings, tasks and ``[finetune]`` table: with ``benchmarks/kim.toml``,
Kim's CNN on MR in three modes, ten folds, for three embeddings), with its store, cache and
reports in a temporary folder. The local executor runs the jobs one after another in this
process (each embedding's classifier trainings right after it, in ``[finetune] workers``
processes); the Ray executor runs them as tasks on a local Ray instance of ``--num-cpus``
CPUs (or on the running cluster at ``--address``), each classifier training a task of its
own. Both start warm (trainer, evaluation and fine-tuning modules imported in this process
and in every Ray worker, Ray already running; the start-up time is reported apart) and train
from empty caches. Writes ``benchmarks/results/ray.json`` (``ray-<config name>.json`` with
``--config``) atomically and prints the wall times, the speed-up (local / Ray), Ray's time
as a multiple of the local time, and whether the scores (similarities, accuracies) are
identical.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from evalsuite.core.atomic import write_json
from evalsuite.config import RunConfig, load_config, parse_config
from evalsuite.core.provenance import machine, package_versions
from evalsuite.pipeline.runner import run_benchmark

RESULTS = Path(__file__).resolve().parent / "results"


def sweep_config(windows, epochs: int, folder: Path, name: str):
    """A config of one gensim skip-gram embedding per window, cache and store under ``folder``."""
    raw = {
        "tasks": ["rg65"],
        "run": {"name": name, "seeds": [0], "output": str(folder / "reports"),
                "store": str(folder / "results.sqlite"), "cache": str(folder / "cache")},
        "corpus": {"name": "lee"},
        "embeddings": [{"name": "sg", "trainer": "gensim-word2vec",
                        "params": {"architecture": "skipgram", "vector_size": 50, "min_count": 2,
                                   "epochs": epochs, "workers": 1, "window": list(windows)}}],
    }
    return parse_config(raw, source="benchmarks/bench_ray.py")


def file_config(path: str, folder: Path) -> RunConfig:
    """The config file at ``path`` with its store, cache and reports under ``folder``."""
    return load_config(path).replace(output=str(folder / "reports"), store=str(folder / "results.sqlite"),
                                     cache=str(folder / "cache"))


def share_matrices(config, folders: list[Path]) -> None:
    """Train (or load) the config's embeddings once, untimed, and copy that cache into each folder."""
    import shutil

    out = run_benchmark(config.replace(tasks=(), finetune=None), report_fn=None, summary_fn=None, log=lambda m: None)
    if not out.ok:
        raise SystemExit(f"training the shared matrices failed: {out.failures}")
    for folder in folders:
        shutil.copytree(config.cache, folder / "cache")


TRAINING_SECONDS: dict = {}  # executor -> the classifier trainings' summed seconds, measured inside the workers


def timed_run(config, executor: str) -> tuple[float, dict]:
    """Wall seconds of the whole run and the main score of every (embedding, task)."""
    t0 = time.perf_counter()
    out = run_benchmark(config, executor=executor, report_fn=None, summary_fn=None, log=lambda m: None)
    wall = time.perf_counter() - t0
    if not out.ok:
        raise SystemExit(f"{executor} run failed: {out.failures}")
    TRAINING_SECONDS[executor] = round(sum(r.details.get("train_seconds", 0.0) for r in out.run.task_results
                                           if r.kind == "classification"), 1)
    return wall, {f"{r.embedding} / {r.task}": r.main_score for r in out.run.task_results}


def _warm_up() -> int:
    """Import what a job needs (trainers, evaluation), as a long-lived worker has."""
    import evalsuite.evaluate.classification.train  # noqa: F401  (torch)
    import evalsuite.evaluate.suite  # noqa: F401
    import evalsuite.train.builtin  # noqa: F401

    time.sleep(2.0)  # hold this worker so that the next warm-up lands on another one
    return os.getpid()


def start_ray(num_cpus: int, address: str | None = None) -> tuple[float, int]:
    """Start a local Ray (or connect to ``address``) and warm one worker per CPU.

    Returns the seconds it took and the cluster's CPUs.
    """
    import ray

    t0 = time.perf_counter()
    if address:
        ray.init(address=address, log_to_driver=False)
        num_cpus = int(ray.cluster_resources().get("CPU", 1))
    else:
        ray.init(num_cpus=num_cpus, include_dashboard=False, log_to_driver=False)
    warm = ray.remote(num_cpus=1)(_warm_up)
    pids = ray.get([warm.remote() for _ in range(num_cpus)])
    if len(set(pids)) != num_cpus:
        print(f"note: warm-up reached {len(set(pids))} of {num_cpus} workers", file=sys.stderr)
    return time.perf_counter() - t0, num_cpus


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--num-cpus", type=int, default=2, help="CPUs of the local Ray (default 2)")
    ap.add_argument("--address", help="use this running Ray cluster instead of starting one (its CPUs count)")
    ap.add_argument("--windows", type=int, nargs="+", default=[2, 3, 5, 8], help="one configuration per window")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--config", help="run this config file (e.g. benchmarks/kim.toml) instead of the sweep")
    ap.add_argument("--output", help="result file (default benchmarks/results/ray.json, "
                                     "ray-<config name>.json with --config)")
    ap.add_argument("--timeline", metavar="FILE", help="write Ray's task timeline of the Ray run (chrome://tracing JSON)")
    ap.add_argument("--shared-matrices", action="store_true",
                    help="train the embeddings once (untimed) and start both runs from a cache holding them, so "
                         "that the scores compare the executors and not a multi-threaded trainer's run-to-run "
                         "differences (gensim with workers > 1 is not reproducible)")
    args = ap.parse_args(argv)
    if len(args.windows) < 1:
        ap.error("--windows: give at least one window")
    if args.config:
        load_config(args.config)  # a bad config fails before any work
        output = args.output or str(RESULTS / f"ray-{Path(args.config).stem}.json")
    else:
        output = args.output or str(RESULTS / "ray.json")

    def config_for(executor: str, folder: Path):
        if args.config:
            return file_config(args.config, folder)
        return sweep_config(args.windows, args.epochs, folder, executor)

    import evalsuite.evaluate.classification.train  # noqa: F401  (warm, as the Ray workers will be)
    import evalsuite.evaluate.suite  # noqa: F401
    import evalsuite.pipeline.executors.ray_executor  # noqa: F401
    import evalsuite.train.builtin  # noqa: F401
    import ray

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as tmp:
        tmp = Path(tmp)
        if args.shared_matrices:
            share_matrices(config_for("shared", tmp / "shared"), [tmp / "local", tmp / "ray"])
        local_wall, local_scores = timed_run(config_for("local", tmp / "local"), "local")
        print(f"local executor: {local_wall:.1f} s", flush=True)
        startup, num_cpus = start_ray(args.num_cpus, args.address)
        print(f"ray start and worker warm-up: {startup:.1f} s", flush=True)
        try:
            ray_wall, ray_scores = timed_run(config_for("ray", tmp / "ray"), "ray")
            if args.timeline:
                ray.timeline(filename=args.timeline)
        finally:
            ray.shutdown()
    if args.config:
        what = {"benchmark": "same config, local executor vs ray executor", "config": args.config}
    else:
        what = {"benchmark": "same sweep, local executor vs ray executor",
                "sweep": {"trainer": "gensim-word2vec", "corpus": "lee", "task": "rg65", "windows": args.windows,
                          "epochs": args.epochs, "workers_per_job": 1, "configurations": len(args.windows)}}
    result = {
        **what,
        "command": "python benchmarks/bench_ray.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "ray_num_cpus": num_cpus,
        "ray_cluster": "running cluster at --address" if args.address else "local Ray started by the script",
        "local_seconds": round(local_wall, 3),
        "ray_seconds": round(ray_wall, 3),
        "speedup": round(local_wall / ray_wall, 3),
        "ray_time_ratio": round(ray_wall / local_wall, 3),  # Ray's wall time as a multiple of the local one
        "ray_startup_seconds": round(startup, 3),
        "identical_scores": local_scores == ray_scores,
        "classifier_training_seconds": TRAINING_SECONDS,  # summed inside the workers, per executor
        "matrices": "trained once, both runs start from a cache holding them" if args.shared_matrices
                    else "each run trains its own from an empty cache",
        "scores": local_scores,  # the local executor's main score of every (embedding, task)
        "differing_scores": {k: [local_scores.get(k), ray_scores.get(k)]
                             for k in sorted(set(local_scores) | set(ray_scores))
                             if local_scores.get(k) != ray_scores.get(k)},
        # other processes on the machine compete for its CPUs: 1/5/15-minute load averages
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "scores": local_scores,
        "machine": machine(),
        "package_versions": package_versions(),
    }
    write_json(output, result)
    print(f"ray executor ({num_cpus} CPUs): {ray_wall:.1f} s")
    print(f"speed-up (local / ray): {result['speedup']:.2f}x; ray / local time: {result['ray_time_ratio']:.2f}; "
          f"identical scores: {result['identical_scores']}")
    print(f"written {output}")
    return result


if __name__ == "__main__":
    main()
