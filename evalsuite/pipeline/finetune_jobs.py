"""Fine-tuning jobs: one classifier training on one embedding, and running them locally.

A :class:`FinetuneJob` is one training (a split of one
:class:`~evalsuite.evaluate.classification.task.ClassificationTask`: a dataset, model, mode,
setting and seed) on the embeddings of one embedding :class:`~evalsuite.pipeline.jobs.Job`.
It exists once that job has finished (:class:`~evalsuite.pipeline.finetuning.Finetuning`
makes it) and runs on the same executor. Each training is seeded and self-contained, so its
outcome does not depend on where or when it runs.

:func:`run_trainings` is the local executor's way: the trainings of one embedding in
``workers`` worker processes (:func:`~evalsuite.core.processes.run_jobs`, one torch thread each;
a dead worker's unfinished trainings run again in a fresh pool).
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from evalsuite.core.processes import run_jobs
from evalsuite.core.progress import progress

if TYPE_CHECKING:
    from evalsuite.core.embeddings import Embeddings
    from evalsuite.evaluate.classification.task import ClassificationTask
    from evalsuite.evaluate.classification.train import TrainOutcome
    from evalsuite.pipeline.jobs import Job


@dataclass(frozen=True)
class FinetuneJob:
    """Training ``index`` of ``task`` on the embeddings of ``embedding_job``.

    Parameters
    ----------
    task : ClassificationTask
        The task (prepared dataset, model, mode, settings, seed); shared by its trainings.
    index : int
        Which of ``task.trainings(embeddings)`` (the split, or the fold).
    embedding_job : Job
        The job whose embeddings are trained on.
    result : int
        The number of the fine-tuning result the training belongs to (one per task and
        embedding; see :class:`~evalsuite.pipeline.finetuning.Finetuning`).
    """

    task: ClassificationTask
    index: int
    embedding_job: Job
    result: int

    @property
    def label(self) -> str:
        """``"sgns mr/cnn/finetuned seed 0 training 2/10"``."""
        n = len(self.task.prepared.splits)
        return (f"{self.embedding_job.label} {self.task.metadata.name} seed {self.task.seed} "
                f"training {self.index + 1}/{n}")


@dataclass
class FinetuneOutcome:
    """What a fine-tuning job produced: the training's summary, or its error."""

    job: FinetuneJob
    summary: TrainOutcome | None = None
    error: str | None = None
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class Attempt:
    """A training whose error comes back as a value, ``(summary, error, traceback)``
    (picklable: worker processes run it)."""

    training: Callable

    def __call__(self) -> tuple:
        try:
            return self.training(), None, ""
        except Exception as exc:  # reported per training; the other trainings go on
            return None, f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=8)


def run_trainings(jobs: Sequence[FinetuneJob], embeddings: Embeddings, workers: int = 1,
                  log: Callable[[str], None] = lambda m: None) -> Iterator[FinetuneOutcome]:
    """Run fine-tuning jobs on their embeddings in ``workers`` processes; an outcome per job, in order.

    The trainings of one task are made once (they share its starting matrix). A worker pool
    that breaks beyond :func:`~evalsuite.core.processes.run_jobs`' retry fails the jobs whose
    outcomes had not come back; an error in one training fails only that job.
    """
    if not jobs:
        return
    done = 0
    try:
        made: dict[int, list] = {}
        for job in jobs:
            if id(job.task) not in made:
                made[id(job.task)] = job.task.trainings(embeddings)
        calls = [Attempt(made[id(job.task)][job.index]) for job in jobs]
        log(f"fine-tuning {jobs[0].embedding_job.label}: {len(jobs)} training(s), {workers} worker process(es)")
        with progress(f"fine-tuning {jobs[0].embedding_job.label}", len(jobs), unit="trainings") as advance:
            for job, (summary, error, tb) in zip(jobs, run_jobs(calls, workers)):
                done += 1
                advance(1)
                yield FinetuneOutcome(job, summary, error, tb)
    except Exception as exc:
        error, tb = f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=8)
        for job in jobs[done:]:
            yield FinetuneOutcome(job, error=error, traceback=tb)


__all__ = ["Attempt", "FinetuneJob", "FinetuneOutcome", "run_trainings"]
