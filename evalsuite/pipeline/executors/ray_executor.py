"""Run benchmark jobs as Ray tasks: ``evalsuite run CONFIG --executor ray``.

Each :class:`~evalsuite.pipeline.jobs.Job` (one embedding and seed: train or load, then
evaluate) becomes one Ray task that declares the CPUs it needs. Outcomes come
back to the driver as tasks finish; the driver alone writes the results store,
and it also writes every freshly trained matrix into its own cache, so the
cache fills even when the workers do not share the driver's filesystem.

When the run fine-tunes, each classifier training of an embedding
(:class:`~evalsuite.pipeline.finetune_jobs.FinetuneJob`) is a Ray task too, submitted as
soon as that embedding's task has finished. The embedding task returns its matrix as an
object of its own in Ray's object store; every training task of that embedding gets the
object's reference, so the matrix is stored once and travels to each node once, not with
each task. Each classification task (its prepared dataset) is put into the store once
too. A training task declares ``threads`` CPUs (the ``[finetune]`` setting, default 1,
capped at the cluster's CPUs); ``[finetune] workers`` is the local executor's: on Ray as
many trainings run at once as the cluster has CPUs for.

A task of either kind is retried up to ``max_retries`` times when its worker dies and
when its job raises; after the last attempt the job is reported as failed and the other
jobs' results are kept. :func:`~evalsuite.pipeline.executors.base.get_executor`
imports this module by name when the executor ``ray`` is asked for.
"""

from __future__ import annotations

import os
import traceback
from dataclasses import replace
from typing import Callable, Iterator, Sequence

import ray

from evalsuite.core.cluster import connect
from evalsuite.core.errors import ConfigError
from evalsuite.core.progress import console, progress_enabled
from evalsuite.pipeline.finetune_jobs import FinetuneJob, FinetuneOutcome
from evalsuite.pipeline.finetuning import Finetuning
from evalsuite.pipeline.jobs import Job, JobOutcome, cache_entry_info, run_job
from evalsuite.train.cache import EmbeddingCache

_OPTIONS = ("address", "num_cpus", "max_retries", "cpus_per_job", "runtime_env")


class JobFailed(Exception):
    """Raised inside a Ray task when its job reported an error, so that Ray retries it.

    Parameters
    ----------
    error : str
        The job's error line (``"TypeName: message"``).
    traceback : str
        The formatted traceback recorded by :func:`~evalsuite.pipeline.jobs.run_job`.
    """

    def __init__(self, error: str, traceback: str = ""):
        super().__init__(error, traceback)
        self.error, self.traceback = error, traceback

    def __str__(self) -> str:
        return self.error


def _run_remote(job: Job, evaluate_fn) -> tuple:
    """Body of a job's Ray task: :func:`run_job`, raising on error so that Ray retries.

    Returns the outcome without its embeddings, and the embeddings: two objects, so that
    fine-tuning tasks can take the embeddings' reference.
    """
    outcome = run_job(job, evaluate_fn=evaluate_fn)
    if outcome.error is not None:
        raise JobFailed(outcome.error, outcome.traceback)
    embeddings, outcome.embeddings = outcome.embeddings, None
    return outcome, embeddings


def _train_remote(task, index: int, embeddings):
    """Body of a fine-tuning job's Ray task: training ``index`` of ``task``, raising
    :class:`JobFailed` on error so that Ray retries."""
    try:
        return task.trainings(embeddings)[index]()
    except Exception as exc:
        raise JobFailed(f"{type(exc).__name__}: {exc}", traceback.format_exc(limit=8)) from None


def _check_count(name: str, value, *, minimum: int, allow_none: bool = True):
    if value is None and allow_none:
        return None
    whole = ((isinstance(value, int) and not isinstance(value, bool))
             or (isinstance(value, float) and value.is_integer()))
    if not whole or value < minimum:
        raise ConfigError(f"executor option {name}: must be an int >= {minimum}, got {value!r}")
    return int(value)


def cpus_for(job: Job, *, cluster_cpus: float | None = None, cpus_per_job: int | None = None) -> int:
    """CPUs a job's task declares.

    ``cpus_per_job`` when given; else the trainer's resolved ``workers`` parameter
    (validated at config load), else 1; never more than the cluster has, so that
    every task can be scheduled.
    """
    resolved = job.spec.resolved
    if cpus_per_job is not None:
        need = cpus_per_job
    elif resolved is not None and "workers" in resolved.params:
        need = resolved.params["workers"]
    else:
        need = 1
    if cluster_cpus:
        need = min(need, max(1, int(cluster_cpus)))
    return max(1, need)


def cpus_for_training(job: FinetuneJob, *, cluster_cpus: float | None = None) -> int:
    """CPUs a fine-tuning job's task declares: its ``threads`` (1 when unset or None), never
    more than the cluster has."""
    threads = job.task.params["threads"]  # expanded settings hold every training setting
    need = threads if isinstance(threads, int) and not isinstance(threads, bool) and threads > 0 else 1
    if cluster_cpus:
        need = min(need, max(1, int(cluster_cpus)))
    return need


def _error(exc: BaseException, attempts: int) -> tuple[str, str]:
    """The error line and traceback of the exception ``ray.get`` raised for a task."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, JobFailed):
        error, tb = cause.error, cause.traceback
    else:
        err = cause if isinstance(cause, BaseException) else exc
        first = (str(err).strip().splitlines() or [""])[0]
        error, tb = f"{type(err).__name__}: {first}", ""
    retried = isinstance(cause, JobFailed) or isinstance(exc, ray.exceptions.WorkerCrashedError)
    if retried and attempts > 1:
        error += f" (failed {attempts} attempts on Ray)"
    return error, tb


def _failure(job: Job, exc: BaseException, attempts: int) -> JobOutcome:
    """A failed outcome from the exception ``ray.get`` raised for the job's task."""
    error, tb = _error(exc, attempts)
    return JobOutcome(job=job, error=error, traceback=tb)


def _store_in_cache(outcome: JobOutcome) -> None:
    """Write a trained matrix a task returned into the driver's cache unless it is there already.

    The worker cached it too, in its own filesystem; this makes the driver's cache
    complete when the workers run elsewhere.
    """
    rec, emb = outcome.record, outcome.embeddings
    if emb is None or rec is None or not rec.trained or not rec.cache_key:
        return
    cache = EmbeddingCache(outcome.job.cache_dir)
    if rec.cache_key in cache:
        return
    cache.put(rec.cache_key, emb, info=cache_entry_info(rec))


class _Progress:
    """A rich bar with done / running / queued / failed counts (silent off a terminal).

    Its total grows as fine-tuning jobs are submitted: it counts the jobs of both kinds.
    """

    def __init__(self, total: int):
        self.bar = None
        if progress_enabled():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("[bold]ray jobs"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.fields[counts]}"), TimeElapsedColumn(), console=console())
            self.task = self.bar.add_task("ray jobs", total=total, counts="")
            self.bar.start()

    def update(self, *, done: int, running: int, queued: int, failed: int) -> None:
        if self.bar is not None:
            counts = f"running {running} · queued {queued} · failed {failed}"
            self.bar.update(self.task, completed=done, total=done + running + queued, counts=counts)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


class RayExecutor:
    """Runs jobs as Ray tasks, on a cluster or on a local Ray instance.

    Parameters
    ----------
    address : str, optional
        Cluster to connect to (``"auto"``, ``"HOST:6379"``, ``"ray://HOST:10001"``);
        None starts a local instance. An already initialised Ray is used as it is.
    num_cpus : int, optional
        CPUs of the local instance started when ``address`` is None.
    max_retries : int
        Retries of a task after its worker died or its job raised (default 2,
        so at most three attempts).
    cpus_per_job : int, optional
        CPUs every embedding job's task declares; by default the trainer's ``workers``, else 1.
        (A fine-tuning job's task declares its ``threads``: :func:`cpus_for_training`.)
    runtime_env : dict, optional
        Ray runtime environment for the workers (for example ``{"py_modules": [...]}``).

    Attributes
    ----------
    submitted : list of (str, str)
        The name and the Ray task id (hex) of every task this executor submitted, in order:
        ``"evalsuite:<label>"`` for an embedding job, ``"evalsuite:finetune:<label>"`` for a
        fine-tuning job (:attr:`~evalsuite.pipeline.finetune_jobs.FinetuneJob.label`).
    """

    name = "ray"

    def __init__(self, address: str | None = None, num_cpus: int | None = None, max_retries: int = 2,
                 cpus_per_job: int | None = None, runtime_env: dict | None = None, **unknown):
        if unknown:
            raise ConfigError(f"unknown option(s) for executor 'ray': {', '.join(sorted(unknown))}; "
                              f"known: {', '.join(_OPTIONS)}")
        if address is not None and (not isinstance(address, str) or not address.strip()):
            raise ConfigError(f"executor option address: must be a non-empty string, got {address!r}")
        if runtime_env is not None and not isinstance(runtime_env, dict):
            raise ConfigError(f"executor option runtime_env: must be a table, got {runtime_env!r}")
        self.address = address
        self.num_cpus = _check_count("num_cpus", num_cpus, minimum=1)
        self.max_retries = _check_count("max_retries", max_retries, minimum=0, allow_none=False)
        self.cpus_per_job = _check_count("cpus_per_job", cpus_per_job, minimum=1)
        self.runtime_env = runtime_env
        self.submitted: list[tuple[str, str]] = []
        self._started = False

    def _submit(self, remote, name: str, cpus: int, *args):
        """Submit one task; its first object reference."""
        refs = remote.options(num_cpus=cpus, max_retries=self.max_retries, retry_exceptions=True,
                              name=name).remote(*args)
        first = refs[0] if isinstance(refs, list) else refs
        self.submitted.append((name, first.task_id().hex()))
        return refs

    def run(self, jobs: Sequence[Job], *, evaluate_fn=None, finetuning: Finetuning | None = None,
            log: Callable[[str], None] = print) -> Iterator[JobOutcome | FinetuneOutcome]:
        """Submit every job, then yield each outcome as its task finishes (any order); a finished
        embedding's fine-tuning jobs are submitted at once, their outcomes yielded as they finish."""
        jobs = list(jobs)
        if not jobs:
            return
        self._started = connect(self.address, num_cpus=self.num_cpus, runtime_env=self.runtime_env) or self._started
        cluster_cpus = ray.cluster_resources().get("CPU") or None
        embed = ray.remote(num_returns=2)(_run_remote)
        train = ray.remote(_train_remote)
        fn_ref = ray.put(evaluate_fn)
        pending: dict = {}  # outcome reference -> (submission number, job, cpus)
        matrices: dict = {}  # an embedding task's outcome reference -> its embeddings' reference
        task_refs: dict = {}  # id of a ClassificationTask -> its reference in the object store
        for i, job in enumerate(jobs):
            cpus = cpus_for(job, cluster_cpus=cluster_cpus, cpus_per_job=self.cpus_per_job)
            # absolute cache folder: a worker's working directory need not be the driver's
            task_job = replace(job, cache_dir=os.path.abspath(job.cache_dir))
            ref, matrices_ref = self._submit(embed, f"evalsuite:{job.label}", cpus, task_job, fn_ref)
            pending[ref], matrices[ref] = (i, job, cpus), matrices_ref
        log(f"ray: {len(jobs)} task(s) submitted to a cluster of {f'{cluster_cpus:g}' if cluster_cpus else '?'} CPU(s)")
        bar = _Progress(len(jobs))
        submitted, done, failed = len(jobs), 0, 0
        try:
            while pending:
                self._show(bar, pending, done, failed, cluster_cpus)
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=1.0)
                for ref in ready:
                    _, job, _ = pending.pop(ref)
                    if isinstance(job, FinetuneJob):
                        outcome = self._training_outcome(ref, job)
                    else:
                        matrices_ref = matrices.pop(ref)
                        outcome = self._embedding_outcome(ref, matrices_ref, job)
                        for fjob in finetuning.jobs_for(outcome) if finetuning is not None else ():
                            if id(fjob.task) not in task_refs:
                                task_refs[id(fjob.task)] = ray.put(fjob.task)
                            cpus = cpus_for_training(fjob, cluster_cpus=cluster_cpus)
                            fref = self._submit(train, f"evalsuite:finetune:{fjob.label}", cpus,
                                                task_refs[id(fjob.task)], fjob.index, matrices_ref)
                            pending[fref] = (submitted, fjob, cpus)
                            submitted += 1
                    done += 1
                    failed += not outcome.ok
                    self._show(bar, pending, done, failed, cluster_cpus)
                    yield outcome
        finally:
            bar.close()
            for ref in pending:  # the driver stopped early: do not leave work behind
                try:
                    ray.cancel(ref)
                except Exception:
                    pass

    def _embedding_outcome(self, ref, matrices_ref, job: Job) -> JobOutcome:
        """The outcome of an embedding job's finished task, its embeddings attached (and cached here)."""
        try:
            outcome = ray.get(ref)
            outcome.job, outcome.embeddings = job, ray.get(matrices_ref)
            _store_in_cache(outcome)
        except Exception as exc:  # the task's last attempt failed: report it, keep the rest
            outcome = _failure(job, exc, self.max_retries + 1)
        return outcome

    def _training_outcome(self, ref, job: FinetuneJob) -> FinetuneOutcome:
        """The outcome of a fine-tuning job's finished task."""
        try:
            return FinetuneOutcome(job, summary=ray.get(ref))
        except Exception as exc:  # the task's last attempt failed: report it, keep the rest
            error, tb = _error(exc, self.max_retries + 1)
            return FinetuneOutcome(job, error=error, traceback=tb)

    @staticmethod
    def _show(bar: _Progress, pending: dict, done: int, failed: int, cluster_cpus) -> None:
        # Ray runs tasks roughly in submission order: those that fit into the CPUs are running
        running, used = 0, 0
        for _, _, cpus in sorted(pending.values(), key=lambda p: p[0]):
            if cluster_cpus and used + cpus > cluster_cpus:
                break
            used += cpus
            running += 1
        bar.update(done=done, running=running, queued=len(pending) - running, failed=failed)

    def close(self) -> None:
        """Shut Ray down if this executor started or connected it (never a Ray it found running)."""
        if self._started and ray.is_initialized():
            ray.shutdown()
        self._started = False
