"""Run the fuzz properties of ``tests/fuzz`` for a time budget and report what they found.

    python scripts/fuzz.py --minutes 30
    python scripts/fuzz.py --minutes 5 --only vector

The same properties as the test suite, under the ``long`` hypothesis profile: random
examples (not the suite's fixed ones), in short batches, round robin over the properties
until the time is up. A property that fails is reported with its falsifying example (hypothesis
keeps it in ``.hypothesis/`` and replays it first next time) and is not run again in this
session. Exit status 0 when nothing was found, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FUZZ = ROOT / "tests" / "fuzz"
BATCH = 25  # examples per property per turn: a turn takes seconds, so the budget is kept


def properties(only: str | None):
    """(name, test function) of every hypothesis property in ``tests/fuzz``."""
    found = []
    for path in sorted(FUZZ.glob("test_*.py")):
        module = importlib.import_module(path.stem)
        for name in sorted(vars(module)):
            fn = getattr(module, name)
            if name.startswith("test_") and hasattr(fn, "hypothesis"):
                label = f"{path.stem}::{name}"
                if only is None or only in label:
                    found.append((label, fn))
    return found


def run_batch(fn):
    """Run ``fn`` for one batch of random examples; None, or the failure's text."""
    try:
        fn()
    except Exception as exc:  # a property failed: report it, keep fuzzing the others
        return describe(exc)
    return None


def describe(exc: BaseException) -> str:
    """The failure, its falsifying example and where it was raised; each one of a group."""
    parts = list(getattr(exc, "exceptions", ())) or [exc]  # hypothesis groups distinct failures
    out = []
    for e in parts:
        text = "".join(traceback.format_exception_only(type(e), e)).strip()
        notes = [n for n in getattr(e, "__notes__", []) if n not in text]
        where = traceback.extract_tb(e.__traceback__)[-1:] if e.__traceback__ else []
        out.append("\n".join([text, *notes, *(f"  at {f.filename}:{f.lineno} in {f.name}" for f in where)]))
    return "\n\n".join(out)


def fuzz(minutes: float, only: str | None) -> int:
    os.environ["EVALSUITE_FUZZ_PROFILE"] = "long"
    os.environ.setdefault("EVALSUITE_NO_PROGRESS", "1")
    sys.path[:0] = [str(ROOT), str(FUZZ)]
    from hypothesis import settings

    import mutate  # noqa: E402  (registers the profiles; counts examples)

    # short batches keep the time budget; each batch draws new random examples
    settings.register_profile("fuzz-batch", settings.get_profile("long"), max_examples=BATCH)
    settings.load_profile("fuzz-batch")
    todo = properties(only)  # imported now, so that they run under the batch profile
    if not todo:
        print(f"no property matches {only!r}", file=sys.stderr)
        return 2
    deadline = time.monotonic() + 60 * minutes
    failures: dict[str, str] = {}
    while time.monotonic() < deadline and len(failures) < len(todo):
        for label, fn in todo:
            if label in failures or time.monotonic() >= deadline:
                continue
            failure = run_batch(fn)
            if failure:
                failures[label] = failure
                print(f"FAILED {label}\n{failure}", flush=True)
    print(f"\nfuzzed for {minutes:g} min; examples tried (of which refused with an error):")
    for name, count in sorted(mutate.EXAMPLES.items()):
        print(f"  {name:24} {count:>8} ({mutate.REFUSED[name]})")
    print(f"  {'total':24} {sum(mutate.EXAMPLES.values()):>8} ({sum(mutate.REFUSED.values())})")
    print(f"failures: {len(failures)}" + "".join(f"\n  {label}" for label in failures))
    return 1 if failures else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="time budget (default: 5)")
    parser.add_argument("--only", metavar="TEXT", help="only the properties whose name contains TEXT")
    args = parser.parse_args(argv)
    if not args.minutes > 0:
        parser.error("--minutes must be positive")
    return fuzz(args.minutes, args.only)


if __name__ == "__main__":
    sys.exit(main())
