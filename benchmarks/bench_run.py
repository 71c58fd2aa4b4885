"""The README's main job, timed from an empty cache: alone, then beside a busy loop.

Usage::

    python benchmarks/bench_run.py [--config benchmarks/default.toml] [--only alone busy ray] [--name run]

Each setting runs ``evalsuite run CONFIG --no-cache`` in a fresh process with its own
temporary store, report folder, matrix cache and compiled-kernel cache, so nothing
is reused between settings or from earlier runs. "busy" starts one CPU-bound
process (a Python busy loop) beside the run, as a second job on a shared machine
would be, and stops it afterwards. "ray" runs alone on a local 2-CPU Ray
(``--executor ray --num-cpus 2``); its budget is 1.5x the local executor's time alone.
Figures go to ``benchmarks/results/<name>.json`` and ``<name>.md`` (``run`` by
default; atomically), with the budgets they are held against.

``--baseline FILE`` also gates each fresh run against a committed baseline
(``evalsuite check``), so the timed runs double as fresh runs of an unchanged tree;
``--keep DIR`` keeps the first run's report folder (``report.md``, ``report.html``,
plots; not its per-item ``results.json``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from evalsuite.core.atomic import write_json, write_text
from evalsuite.core.provenance import machine, package_versions

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
#: seconds; the issue's budgets for the default run on 2 cores
BUDGETS = {"alone": 600, "busy": 1200}
#: the Ray executor on a local 2-CPU Ray, against the local executor alone
RAY_RATIO = 1.5
BUSY_LOOP = "while True:\n    pass\n"


def start_busy_loop() -> subprocess.Popen:
    """One CPU-bound competitor at normal priority."""
    return subprocess.Popen([sys.executable, "-c", BUSY_LOOP])


def gate(store: Path, name: str, baseline: str) -> dict:
    """``evalsuite check NAME --baseline FILE`` on the run just made: exit code and verdict line."""
    proc = subprocess.run([sys.executable, "-m", "evalsuite", "check", name, "--baseline", baseline,
                           "--store", str(store)], cwd=ROOT, capture_output=True, text=True)
    said = [line for line in proc.stdout.splitlines() if line.startswith(("evalsuite check:", "Run `"))]
    return {"baseline": baseline, "returncode": proc.returncode, "summary": " ".join(said)[:400]}


def keep_report(reports: Path, dest: Path) -> None:
    """Copy the run's report (Markdown, HTML, plots) to ``dest``, replacing what was there."""
    (run_dir,) = [d for d in reports.iterdir() if d.is_dir()]
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(run_dir, dest, ignore=shutil.ignore_patterns("results.json", "*.sqlite*"))


def timed_run(config: str, setting: str, *, name: str = "default", baseline: str | None = None,
              keep: Path | None = None, budget: float | None = None) -> dict:
    """Run the benchmark once from empty caches; returns wall seconds and the exit code (and,
    with ``baseline``, the gate's verdict on the run)."""
    with tempfile.TemporaryDirectory(prefix="evalsuite-bench-run-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "EVALSUITE_NATIVE_CACHE": str(tmp / "native"), "EVALSUITE_NO_PROGRESS": "1"}
        cmd = [sys.executable, "-m", "evalsuite", "run", config, "--no-cache", "--store", str(tmp / "r.sqlite"),
               "--output", str(tmp / "reports"), "--cache-dir", str(tmp / "cache")]
        if setting == "ray":
            cmd += ["--executor", "ray", "--num-cpus", "2"]
        busy = start_busy_loop() if setting == "busy" else None
        try:
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - t0
        finally:
            if busy is not None:
                busy.kill()
                busy.wait()
        checked = gate(tmp / "r.sqlite", name, baseline) if baseline and proc.returncode == 0 else None
        if keep is not None and proc.returncode == 0:
            keep_report(tmp / "reports", keep)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
    budget = BUDGETS[setting] if budget is None else budget
    out = {"setting": setting, "seconds": round(seconds, 1), "returncode": proc.returncode,
           "budget_seconds": round(budget, 1), "within_budget": proc.returncode == 0 and seconds <= budget}
    return {**out, "gate": checked} if baseline else out


def render(results: list[dict], config: str, command: str) -> str:
    """The Markdown summary."""
    lines = [f"# `evalsuite run {config}`, from an empty cache", "",
             f"Config `{config}`; each setting in a fresh process with empty caches.", "",
             "| setting | wall time | budget | within budget | gate against the baseline |",
             "|---|---:|---:|---|---|"]
    for r in results:
        ok = "yes" if r["within_budget"] else ("no (failed)" if r["returncode"] else "no")
        g = r.get("gate")
        gated = "–" if not g else ("pass (exit 0)" if g["returncode"] == 0 else f"FAIL (exit {g['returncode']})")
        lines.append(f"| {r['setting']} | {r['seconds'] / 60:.1f} min | {r['budget_seconds'] / 60:.0f} min | {ok} "
                     f"| {gated} |")
    by = {r["setting"]: r for r in results}
    if "alone" in by and "busy" in by:
        lines += ["", f"Beside one busy process the run took {by['busy']['seconds'] / by['alone']['seconds']:.2f}x "
                      "its time alone."]
    if "alone" in by and "ray" in by:
        lines += ["", f"On a local 2-CPU Ray the run took {by['ray']['seconds'] / by['alone']['seconds']:.2f}x its "
                      f"time with the local executor (budget {RAY_RATIO}x)."]
    lines += ["", f"Command: `{command}`", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", default="benchmarks/default.toml")
    ap.add_argument("--only", choices=sorted(BUDGETS) + ["ray"], nargs="+", help="run these settings")
    ap.add_argument("--name", default="run", help="results file stem (default run)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    ap.add_argument("--baseline", help="gate each run against this baseline file (evalsuite check)")
    ap.add_argument("--keep", type=Path, help="keep the first run's report folder here")
    args = ap.parse_args(argv)
    settings = args.only or ["alone", "busy"]
    if "ray" in settings and "alone" not in settings:
        ap.error("the ray setting is held against the local executor alone: add alone")
    results = []
    for setting in settings:
        print(f"{setting}: running {args.config} ...", flush=True)
        alone = next((r["seconds"] for r in results if r["setting"] == "alone"), None)
        results.append(timed_run(args.config, setting, name=_run_name(args.config), baseline=args.baseline,
                                 keep=args.keep if not results else None,
                                 budget=RAY_RATIO * alone if setting == "ray" and alone else None))
        gated = results[-1].get("gate")
        print(f"{setting}: {results[-1]['seconds']:.0f} s (exit {results[-1]['returncode']})"
              + (f"; gate exit {gated['returncode']}: {gated['summary']}" if gated else ""), flush=True)
    command = "python benchmarks/bench_run.py" + (f" --config {args.config}" if args.config != "benchmarks/default.toml"
                                                  else "") + (f" --only {' '.join(args.only)}" if args.only else "") + (
        f" --name {args.name}" if args.name != "run" else "") + (
        f" --baseline {args.baseline}" if args.baseline else "") + (f" --keep {args.keep}" if args.keep else "")
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / f"{args.name}.json", {"config": args.config, "results": results, "machine": machine(),
                                       "package_versions": package_versions(), "command": command})
    write_text(args.out / f"{args.name}.md", render(results, args.config, command))
    return 0 if all(r["within_budget"] for r in results) else 1


def _run_name(config: str) -> str:
    import tomllib

    with open(ROOT / config if not Path(config).is_absolute() else config, "rb") as f:
        return (tomllib.load(f).get("run") or {}).get("name", "default")


if __name__ == "__main__":
    raise SystemExit(main())
