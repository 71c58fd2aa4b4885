"""Hogwild worker threads: run ``work(0..n-1)`` in parallel and re-raise the first error."""

from __future__ import annotations

import threading
from typing import Callable


def run_threads(work: Callable[[int], None], n: int) -> None:
    """``work(0..n-1)``, each in its own thread (inline when ``n == 1``); re-raises the first error."""
    if n == 1:
        work(0)
        return
    errors: list[BaseException] = []

    def guarded(w: int) -> None:
        try:
            work(w)
        except BaseException as exc:  # re-raised in the calling thread
            errors.append(exc)

    threads = [threading.Thread(target=guarded, args=(w,), daemon=True) for w in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]


__all__ = ["run_threads"]
