"""The fine-tuning of a run: jobs for each finished embedding, results from their outcomes.

An executor hands every finished embedding job's outcome to :meth:`Finetuning.jobs_for`,
which returns that embedding's fine-tuning jobs (every run of the sweep, for the seeds that
apply: the embedding trained with seed s is fine-tuned with seed s, a pretrained one with
every seed of the run). The driver passes each fine-tuning outcome to :meth:`Finetuning.add`,
which gives the task's result once all its trainings are in; the driver stores it at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Sequence

from evalsuite.core.results import TaskResult
from evalsuite.evaluate.classification.runs import PreparedSweep, prepare_sweep
from evalsuite.evaluate.classification.settings import FinetuneSettings
from evalsuite.evaluate.classification.task import ClassificationTask
from evalsuite.pipeline.finetune_jobs import FinetuneJob, FinetuneOutcome
from evalsuite.pipeline.jobs import JobOutcome, tag_result


@dataclass
class _Open:
    """A fine-tuning result whose trainings are not all in yet."""

    task: ClassificationTask
    outcome: JobOutcome  # the embedding job's
    summaries: list
    failed: bool = False
    left: int = field(init=False)

    def __post_init__(self):
        self.left = len(self.summaries)


class Finetuning:
    """Plans each embedding's fine-tuning jobs and assembles their results.

    Parameters
    ----------
    sweep : PreparedSweep
        The ``[finetune]`` sweep, each dataset prepared once for the whole run.
    seeds : sequence of int
        The run's seeds.
    """

    def __init__(self, sweep: PreparedSweep, seeds: Sequence[int]):
        self.sweep, self.seeds = sweep, tuple(seeds)
        self._tasks: dict[tuple[int, int], ClassificationTask] = {}
        self._open: dict[int, _Open] = {}
        self._made = 0

    @classmethod
    def from_settings(cls, settings: FinetuneSettings, seeds: Sequence[int]) -> "Finetuning":
        """The fine-tuning of the ``[finetune]`` settings for a run of ``seeds`` (prepares the datasets)."""
        return cls(prepare_sweep(settings), seeds)

    @property
    def workers(self) -> int:
        """Worker processes for the trainings of one embedding (the local executor's)."""
        return self.sweep.workers

    def _task(self, run: int, seed: int) -> ClassificationTask:
        if (run, seed) not in self._tasks:
            self._tasks[(run, seed)] = self.sweep.runs[run].task(seed)
        return self._tasks[(run, seed)]

    def jobs_for(self, outcome: JobOutcome) -> list[FinetuneJob]:
        """The fine-tuning jobs of a finished embedding job (none when it failed)."""
        if not outcome.ok or outcome.embeddings is None:
            return []
        job = outcome.job
        seeds = self.seeds if job.seed is None else (job.seed,)
        jobs: list[FinetuneJob] = []
        for run in range(len(self.sweep.runs)):
            for seed in seeds:
                task = self._task(run, seed)
                number, self._made = self._made, self._made + 1
                self._open[number] = _Open(task, outcome, [None] * len(task.prepared.splits))
                jobs += [FinetuneJob(task, i, job, number) for i in range(len(task.prepared.splits))]
        return jobs

    def add(self, outcome: FinetuneOutcome) -> TaskResult | None:
        """Record a training's outcome; the result of its task once every training is in and none failed.

        The result is named and keyed as the embedding job's results are; a pretrained
        embedding fine-tuned in a run of several seeds gets one result name per seed.
        """
        job = outcome.job
        entry = self._open[job.result]
        entry.summaries[job.index] = outcome.summary
        entry.failed |= not outcome.ok
        entry.left -= 1
        if entry.left:
            return None
        del self._open[job.result]
        if entry.failed:
            return None
        emb_job = entry.outcome.job
        result = entry.task.result(entry.outcome.embeddings, entry.summaries)
        result = tag_result(result, label=result.embedding, group=emb_job.spec.name, seed=entry.task.seed)
        if len(self.seeds) > 1 and emb_job.seed is None:
            result = replace(result, embedding=result.key.label())
        return result


__all__ = ["Finetuning"]
