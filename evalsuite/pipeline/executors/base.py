"""Executors run jobs and hand their outcomes back to the driver.

The driver (:mod:`evalsuite.pipeline.runner`) alone writes the store and the report; an
executor only maps :func:`evalsuite.pipeline.jobs.run_job` over jobs. :class:`LocalExecutor`
runs them one after the other in this process. Another executor (Ray) registers
itself with :func:`register_executor` and implements the same two methods.
"""

from __future__ import annotations

from typing import Callable, Iterator, Protocol, Sequence

from evalsuite.core.errors import ConfigError
from evalsuite.pipeline.jobs import Job, JobOutcome, run_job
from evalsuite.core.registry import suggest


class Executor(Protocol):
    """Runs jobs; yields each outcome as soon as it is ready (any order)."""

    name: str

    def run(self, jobs: Sequence[Job], *, evaluate_fn=None, log: Callable[[str], None] = print) -> Iterator[JobOutcome]:
        ...

    def close(self) -> None:
        ...


class LocalExecutor:
    """Runs jobs sequentially in the current process (the default)."""

    name = "local"

    def __init__(self, **_options):
        pass

    def run(self, jobs, *, evaluate_fn=None, log=print):
        for job in jobs:
            yield run_job(job, evaluate_fn=evaluate_fn, log=log)

    def close(self) -> None:
        pass


_EXECUTORS: dict[str, Callable[..., Executor]] = {"local": LocalExecutor}


def register_executor(name: str, factory: Callable[..., Executor]) -> None:
    """Make ``factory(**options)`` available as ``--executor NAME``."""
    _EXECUTORS[name] = factory


def get_executor(name: str = "local", **options) -> Executor:
    """An executor by name; ``ray`` is imported on demand from ``evalsuite.pipeline.executors.ray_executor``."""
    if name not in _EXECUTORS and name == "ray":
        try:
            import evalsuite.pipeline.executors.ray_executor  # noqa: F401  (registers "ray")
        except ModuleNotFoundError as exc:
            if exc.name in ("ray", "evalsuite.pipeline.executors.ray_executor"):
                raise ConfigError(
                    "executor 'ray' needs Ray: install it with  pip install 'evalsuite[ray]'"
                ) from None
            raise
    if name not in _EXECUTORS:
        raise ConfigError(f"unknown executor {name!r}{suggest(name, _EXECUTORS)}; known: {', '.join(sorted(_EXECUTORS))}")
    return _EXECUTORS[name](**options)
