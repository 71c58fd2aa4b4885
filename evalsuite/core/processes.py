"""Running independent jobs (trainings) in worker processes.

Every job is self-contained (data, starting matrix, settings, seed) and trains with
one torch thread, so its outcome is the same whichever process runs it, and the
outcomes come back in the order of the jobs. Two trainings in two processes use two
cores without the barrier waits of one training's small ops split over two threads.
Workers are started with ``spawn`` (a clean interpreter; forking a process whose
torch thread pools already ran is unsafe).

A worker that dies (killed for memory, a crash in native code) breaks the whole pool;
the jobs whose outcomes have not come back are then run again in a fresh pool, so a
lost process costs its unfinished trainings, not the finished ones.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterator, Sequence

from evalsuite.core.progress import console


def _call(job):
    return job()


def run_jobs(jobs: Sequence[Callable], workers: int = 1, *, retries: int = 1) -> Iterator:
    """The result of each job, in order; in this process when ``workers`` is 1.

    Parameters
    ----------
    jobs : sequence of callables
        Picklable, self-contained jobs.
    workers : int
        Worker processes.
    retries : int
        How many fresh pools may take over the unfinished jobs after a worker died.
    """
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            yield job()
        return
    ctx = multiprocessing.get_context("spawn")
    done = 0
    for attempt in range(retries + 1):
        try:
            with ProcessPoolExecutor(max_workers=min(workers, len(jobs) - done), mp_context=ctx) as pool:
                for outcome in pool.map(_call, jobs[done:]):
                    done += 1
                    yield outcome
            return
        except BrokenProcessPool:
            if attempt == retries:
                raise
            console().print(f"a worker process died; running the {len(jobs) - done} unfinished training(s) "
                            "again in new worker processes")
