"""The runs of a ``[finetune]`` sweep on their prepared datasets, and running them in one call.

:func:`prepare_sweep` expands the settings and prepares each dataset once (tokenised,
encoded, split) for every run and embedding that uses it. Each :class:`SweepRun` makes the
:class:`~evalsuite.evaluate.classification.task.ClassificationTask` of a seed; the pipeline
turns that task's trainings into jobs of its executors, :func:`run_finetune` runs them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from evalsuite.core.processes import run_jobs
from evalsuite.core.progress import progress
from evalsuite.core.results import TaskResult
from evalsuite.data.datasets.classification import load_classification_dataset
from evalsuite.evaluate.classification.settings import FinetuneSettings, defaults
from evalsuite.evaluate.classification.sweep import expand
from evalsuite.evaluate.classification.task import ClassificationTask, Prepared, prepare, task_name


@dataclass(frozen=True)
class SweepRun:
    """One entry of the sweep on its prepared dataset: a classification task but for its seed.

    Attributes
    ----------
    prepared : Prepared
        The dataset as prepared for this run's data settings (shared by the runs with the same).
    model, mode : str
        As in :func:`~evalsuite.evaluate.classification.sweep.expand`.
    params : mapping
        One value per setting.
    name : str
        The task name in results (:func:`~evalsuite.evaluate.classification.task.task_name`).
    sweep : mapping or None
        Where the run sits in a one-at-a-time sweep.
    """

    prepared: Prepared
    model: str
    mode: str
    params: Mapping
    name: str
    sweep: Mapping | None = None

    def task(self, seed: int) -> ClassificationTask:
        """The run's classification task for ``seed``."""
        return ClassificationTask(self.prepared, model=self.model, mode=self.mode, params=self.params, seed=seed,
                                  name=self.name, sweep=self.sweep)


@dataclass(frozen=True)
class PreparedSweep:
    """A ``[finetune]`` sweep ready to run.

    Attributes
    ----------
    runs : tuple of SweepRun
        In the order of :func:`~evalsuite.evaluate.classification.sweep.expand`.
    seeds : tuple of int
        The settings' own ``seeds`` (default ``(0,)``), used where the caller gives none.
    workers : int
        Worker processes for the trainings (``workers``, default 1).
    """

    runs: tuple[SweepRun, ...]
    seeds: tuple[int, ...]
    workers: int


def prepare_sweep(settings: FinetuneSettings | Mapping) -> PreparedSweep:
    """Expand the ``[finetune]`` settings and prepare each dataset once for the runs on it.

    ``settings`` is the checked :class:`FinetuneSettings` (a mapping is checked here, once).
    """
    settings = FinetuneSettings.of(settings)
    data_keys, columns = defaults("data"), defaults("column")
    prepared: dict = {}
    runs = []
    for run in expand(settings):
        params = run["params"]
        read = {k: params.get(k, default) for k, default in columns.items()}
        data = {k: params[k] for k in data_keys}
        key = (run["dataset"], tuple(sorted(read.items())), tuple(sorted(data.items())))
        if key not in prepared:
            prepared[key] = prepare(load_classification_dataset(run["dataset"], **read), data)
        prep = prepared[key]
        runs.append(SweepRun(prep, run["model"], run["mode"], params,
                             task_name(prep.dataset.name, run["model"], run["mode"], run["varied"]), run["sweep"]))
    return PreparedSweep(tuple(runs), tuple(settings.seeds), settings.workers)


def run_finetune(embeddings_list: Sequence, settings: FinetuneSettings | Mapping,
                 seeds: Sequence[int] | None = None) -> list[TaskResult]:
    """Fine-tune every embedding under every setting combination and seed, in this process's pool.

    Parameters
    ----------
    embeddings_list : sequence of Embeddings
    settings : FinetuneSettings or mapping
        The ``[finetune]`` settings: ``datasets``, ``models``, ``modes`` and any training or
        data setting; a list value sweeps over its entries (``dropout = [0, 0.5]``).
        ``workers = N`` runs the trainings (one per split) in N worker processes. A mapping
        is checked here, once.
    seeds : sequence of int, optional
        Training seeds; default ``settings["seeds"]`` or ``[0]``.

    Returns
    -------
    list of TaskResult
        One per (embedding, dataset, model, mode, setting combination, seed), kind ``"classification"``.
    """
    sweep = prepare_sweep(settings)
    seeds = list(seeds) if seeds else list(sweep.seeds)
    tasks = [(run.task(seed), emb) for run in sweep.runs for emb in embeddings_list for seed in seeds]
    jobs = [(i, job) for i, (task, emb) in enumerate(tasks) for job in task.trainings(emb)]
    outcomes: dict[int, list] = {i: [] for i in range(len(tasks))}
    with progress("fine-tuning", len(jobs), unit="trainings") as advance:
        for (i, _), outcome in zip(jobs, run_jobs([job for _, job in jobs], sweep.workers)):
            outcomes[i].append(outcome)
            advance(1)
    return [task.result(emb, outcomes[i]) for i, (task, emb) in enumerate(tasks)]


__all__ = ["PreparedSweep", "SweepRun", "prepare_sweep", "run_finetune"]
