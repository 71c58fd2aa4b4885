"""Executors run jobs and hand their outcomes back to the driver.

The driver (:mod:`evalsuite.pipeline.runner`) alone writes the store and the report; an
executor only runs jobs of two kinds: embedding jobs (:func:`evalsuite.pipeline.jobs.run_job`)
and, when the run fine-tunes, the classifier trainings that
:meth:`~evalsuite.pipeline.finetuning.Finetuning.jobs_for` makes from each finished embedding
job (:class:`~evalsuite.pipeline.finetune_jobs.FinetuneJob`). :class:`LocalExecutor` runs the
embedding jobs one after the other in this process, each followed by its trainings in
``[finetune] workers`` worker processes. The Ray executor implements the same two methods;
its module is imported only when it is asked for, as it needs Ray.
"""

from __future__ import annotations

import importlib
from typing import Callable, Iterator, Protocol, Sequence

from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest
from evalsuite.pipeline.finetune_jobs import FinetuneOutcome, run_trainings
from evalsuite.pipeline.finetuning import Finetuning
from evalsuite.pipeline.jobs import Job, JobOutcome, run_job


class Executor(Protocol):
    """Runs embedding jobs and their fine-tuning jobs; yields each outcome as soon as it is ready.

    ``run(jobs, evaluate_fn=, finetuning=, log=)`` yields a :class:`~evalsuite.pipeline.jobs.JobOutcome`
    per job and, when ``finetuning`` is given, a :class:`~evalsuite.pipeline.finetune_jobs.FinetuneOutcome`
    per job of ``finetuning.jobs_for(outcome)``, which it asks for each finished embedding job
    (any order; an embedding's outcome comes before its trainings' outcomes).
    """

    name: str

    def run(self, jobs: Sequence[Job], *, evaluate_fn=None, finetuning: Finetuning | None = None,
            log: Callable[[str], None] = print) -> Iterator[JobOutcome | FinetuneOutcome]:
        ...

    def close(self) -> None:
        ...


class LocalExecutor:
    """Runs jobs sequentially in the current process (the default); each embedding's trainings
    right after it, in ``finetuning.workers`` worker processes."""

    name = "local"

    def __init__(self, **_options):
        pass

    def run(self, jobs, *, evaluate_fn=None, finetuning=None, log=print):
        for job in jobs:
            outcome = run_job(job, evaluate_fn=evaluate_fn, log=log)
            yield outcome
            if finetuning is not None:
                yield from run_trainings(finetuning.jobs_for(outcome), outcome.embeddings, finetuning.workers, log)

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
