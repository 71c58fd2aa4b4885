"""The README's test command, timed: alone, then beside a busy loop.

Usage::

    python benchmarks/bench_tests.py [-- PYTEST ARGS]

Runs ``python -m pytest -q`` (the test command of the README, after the install) in a
fresh process, once alone and once beside one CPU-bound Python process (as a second
job on a shared machine), and writes ``benchmarks/results/tests.json`` and
``tests.md`` with the wall times, the number of tests and the 2-minute budget both
are held against.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

from evalsuite.core.atomic import write_json, write_text
from evalsuite.core.provenance import machine, package_versions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_run import start_busy_loop  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
BUDGET = 120.0


def timed_suite(setting: str, extra: list[str]) -> dict:
    busy = start_busy_loop() if setting == "busy" else None
    try:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra], cwd=ROOT,
                              capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    finally:
        if busy is not None:
            busy.kill()
            busy.wait()
    last = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
    passed = re.search(r"(\d+) passed", last)
    return {"setting": setting, "seconds": round(seconds, 1), "returncode": proc.returncode, "summary": last,
            "passed": int(passed.group(1)) if passed else 0, "budget_seconds": BUDGET,
            "within_budget": proc.returncode == 0 and seconds <= BUDGET}


def render(results: list[dict], command: str) -> str:
    lines = ["# The test suite, alone and beside a busy loop", "",
             "| setting | wall time | tests | budget | within budget |", "|---|---:|---|---:|---|"]
    for r in results:
        lines.append(f"| {r['setting']} | {r['seconds']:.0f} s | {r['summary']} | {r['budget_seconds']:.0f} s | "
                     f"{'yes' if r['within_budget'] else 'no'} |")
    return "\n".join(lines + ["", f"Command: `{command}`", ""])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pytest_args", nargs="*", help="extra pytest arguments (after --)")
    ap.add_argument("--out", type=Path, default=RESULTS)
    args = ap.parse_args(argv)
    results = []
    for setting in ("alone", "busy"):
        results.append(timed_suite(setting, args.pytest_args))
        print(f"{setting}: {results[-1]['seconds']:.0f} s: {results[-1]['summary']}", flush=True)
    command = "python benchmarks/bench_tests.py" + (" -- " + " ".join(args.pytest_args) if args.pytest_args else "")
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(args.out / "tests.json", {"results": results, "machine": machine(),
                                         "package_versions": package_versions(), "command": command})
    write_text(args.out / "tests.md", render(results, command))
    return 0 if all(r["within_budget"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
