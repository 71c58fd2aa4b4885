"""run_jobs: outcomes in order from worker processes, and a dead worker costs only unfinished jobs."""

import os
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import pytest

from evalsuite.core.processes import run_jobs


@dataclass
class Square:
    x: int

    def __call__(self):
        return self.x * self.x


@dataclass
class DieOnce:
    """Kills its worker process the first time (no exception: the process is gone), then squares."""
    x: int
    marker: str

    def __call__(self):
        if not Path(self.marker).exists():
            Path(self.marker).write_text("died")
            os._exit(1)
        return self.x * self.x


def test_one_worker_runs_the_jobs_in_this_process_in_order():
    assert list(run_jobs([Square(i) for i in range(3)], workers=1)) == [0, 1, 4]


def test_a_dead_worker_is_replaced_and_every_outcome_comes_back_in_order(tmp_path):
    # each pool starts two interpreters that import the package (seconds each): one test, two pools
    marker = tmp_path / "died"
    jobs = [Square(0), DieOnce(1, str(marker)), Square(2), Square(3), Square(4)]
    assert list(run_jobs(jobs, workers=2)) == [0, 1, 4, 9, 16]
    assert marker.exists(), "the worker was never killed"


def test_without_a_retry_the_broken_pool_is_raised(tmp_path, monkeypatch):
    import evalsuite.core.processes as parallel

    class Broken:  # a pool whose worker died: map raises as concurrent.futures does
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, fn, jobs):
            raise BrokenProcessPool("a child process terminated abruptly")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", Broken)
    with pytest.raises(BrokenProcessPool):
        list(run_jobs([Square(0), Square(1)], workers=2, retries=0))
    assert list(run_jobs([Square(0), Square(1)], workers=1, retries=0)) == [0, 1]
