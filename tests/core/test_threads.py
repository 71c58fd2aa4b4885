"""Hogwild worker threads."""

import threading

import pytest

from evalsuite.core.threads import run_threads


def test_runs_every_worker_once():
    seen, lock = [], threading.Lock()

    def work(w):
        with lock:
            seen.append(w)

    run_threads(work, 4)
    assert sorted(seen) == [0, 1, 2, 3]


def test_single_worker_runs_inline():
    names = []
    run_threads(lambda w: names.append(threading.current_thread().name), 1)
    assert names == [threading.current_thread().name]


def test_first_error_is_reraised_in_the_caller():
    def work(w):
        if w == 1:
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        run_threads(work, 3)
