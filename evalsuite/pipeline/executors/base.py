"""Executors run jobs and hand their outcomes back to the driver.

The driver (:mod:`evalsuite.pipeline.runner`) alone writes the store and the report; an
executor only maps :func:`evalsuite.pipeline.jobs.run_job` over jobs. :class:`LocalExecutor`
runs them one after the other in this process. The Ray executor implements the same
two methods; its module is imported only when it is asked for, as it needs Ray.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterator, Protocol, Sequence

from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest
from evalsuite.pipeline.jobs import Job, JobOutcome, run_job


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

#: executors that need an optional dependency: name -> (module, class, the dependency);
#: the module is imported only when the executor is asked for
_OPTIONAL = {"ray": ("evalsuite.pipeline.executors.ray_executor", "RayExecutor", "ray")}


def get_executor(name: str = "local", **options) -> Executor:
    """An executor by name, made with ``options``.

    Raises
    ------
    ConfigError
        For an unknown name (suggesting the closest), an executor whose dependency
        is not installed (saying how to install it) and, from the executor, bad options.
    """
    if name in _EXECUTORS:
        return _EXECUTORS[name](**options)
    if name not in _OPTIONAL:
        known = sorted({*_EXECUTORS, *_OPTIONAL})
        raise ConfigError(f"unknown executor {name!r}{suggest(name, known)}; known: {', '.join(known)}")
    module_name, class_name, dependency = _OPTIONAL[name]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != dependency:
            raise
        raise ConfigError(
            f"executor {name!r} needs {dependency}: install it with  pip install 'evalsuite[{dependency}]'"
        ) from None
    return getattr(module, class_name)(**options)
