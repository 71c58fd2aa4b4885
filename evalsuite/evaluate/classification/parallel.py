"""Running independent training jobs in worker processes.

Every job is self-contained (data, starting matrix, settings, seed) and trains with
one torch thread, so its outcome is the same whichever process runs it, and the
outcomes come back in the order of the jobs. Two trainings in two processes use two
cores without the barrier waits of one training's small ops split over two threads.
Workers are started with ``spawn`` (a clean interpreter; forking a process whose
torch thread pools already ran is unsafe).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator, Sequence


def _call(job):
    return job()


def run_jobs(jobs: Sequence[Callable], workers: int = 1) -> Iterator:
    """The result of each job, in order; in this process when ``workers`` is 1."""
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job()
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=ctx) as pool:
        yield from pool.map(_call, jobs)
