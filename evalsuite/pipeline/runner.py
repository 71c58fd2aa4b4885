"""The orchestrator: config -> embeddings (cache or train) -> tasks -> store -> report.

:func:`run_benchmark` builds one :class:`~evalsuite.pipeline.jobs.Job` per (embedding, seed),
hands them to an executor, stores each finished job's results at once (so a killed
run keeps what it finished, and its trained matrices stay in the cache for the next
run), then marks the run complete and writes the report folder. With a ``[finetune]``
table, each finished embedding's classifier trainings are jobs on the same executor
(:class:`~evalsuite.pipeline.finetuning.Finetuning`); the driver assembles and stores each
fine-tuning result as soon as its trainings are in.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from evalsuite.analysis.compare import Analysis, analyze
from evalsuite.config import RunConfig
from evalsuite.pipeline.executors.base import get_executor
from evalsuite.pipeline.finetune_jobs import FinetuneOutcome
from evalsuite.pipeline.finetuning import Finetuning
from evalsuite.pipeline.jobs import Job, JobOutcome
from evalsuite.core.markup import rich_text
from evalsuite.core.progress import console
from evalsuite.core.provenance import git_state, machine, package_versions
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.core.runspecs import specs_to_dict
from evalsuite.evaluate.protocol import get_protocol
from evalsuite.store.sqlite import ResultStore


@dataclass
class RunOutput:
    """What :func:`run_benchmark` returns."""

    run: RunResult
    analysis: Analysis
    report_paths: dict = field(default_factory=dict)
    failures: list = field(default_factory=list)
    cache_hits: int = 0
    trained: int = 0

    @property
    def ok(self) -> bool:
        return not self.failures


def new_run_id(name: str, now: datetime | None = None) -> str:
    now = now or datetime.now(timezone.utc)
    return f"{name}-{now.strftime('%Y%m%dT%H%M%S')}-{secrets.token_hex(2)}"


def make_jobs(config: RunConfig, *, use_cache: bool = True) -> list[Job]:
    """One job per trained (embedding, seed), one per pretrained embedding."""
    jobs = []
    multi = len(config.seeds) > 1
    for spec in config.embeddings:
        seeds = [None] if spec.is_pretrained else list(config.seeds)
        for seed in seeds:
            label = ResultKey(spec.name, seed).label() if multi else spec.name
            jobs.append(Job(spec=spec, seed=seed, label=label, corpus=None if spec.is_pretrained else config.corpus,
                            tasks=tuple(config.tasks), protocol=config.protocol, cache_dir=config.cache,
                            use_cache=use_cache))
    return jobs


def default_report(run: RunResult, analysis: Analysis, out_dir) -> dict:
    from evalsuite.report import write_report

    return write_report(run, out_dir, analysis)


def default_summary(run: RunResult, analysis: Analysis, paths) -> None:
    from evalsuite.report import print_summary

    print_summary(run, analysis, console=console(), report_paths=paths)


def run_benchmark(
    config: RunConfig,
    *,
    use_cache: bool = True,
    store_path=None,
    output=None,
    executor: str | None = None,
    executor_options: dict | None = None,
    evaluate_fn=None,
    report_fn: Callable | None = default_report,
    summary_fn: Callable | None = default_summary,
    log: Callable[[str], None] | None = None,
) -> RunOutput:
    """Run a benchmark end to end.

    Parameters
    ----------
    config : RunConfig
        A validated configuration.
    use_cache : bool
        False forces training (``--no-cache``); new matrices are still cached.
    store_path, output : path, optional
        Override ``config.store`` and ``config.output``.
    executor : str, optional
        Override ``config.executor``.
    evaluate_fn, report_fn, summary_fn : callable, optional
        Seams for the evaluation (it travels to the executor's workers), report writer
        and terminal summary (defaults: the package's own; ``None`` for report/summary
        skips them).
    log : callable, optional
        Receives status lines (default: the stderr console).

    Returns
    -------
    RunOutput
    """
    log = log or (lambda msg: console().print(rich_text(msg)))  # names in it are text
    started = time.perf_counter()
    run_id = new_run_id(config.name)
    created = datetime.now(timezone.utc).isoformat(timespec="seconds")
    out_dir = Path(output if output is not None else config.output)
    jobs = make_jobs(config, use_cache=use_cache)
    provenance = _provenance(config, executor)
    store = ResultStore(store_path if store_path is not None else config.store, write=True)  # fails before any work
    acc = _Collected()
    try:
        store.begin_run(run_id, config.name, config.to_dict(), config.hash(), package_versions=provenance["package_versions"],
                        machine=provenance["machine"], provenance=provenance, created=created,
                        specs=specs_to_dict(config.compare, config.baseline))
        log(f"run {run_id}: {len(jobs)} job(s), {len(config.tasks)} task(s), seeds {list(config.seeds)}")
        ex = get_executor(executor or config.executor, **(executor_options or {}))
        finetuning = _finetuning(config, acc, log)
        _run_jobs(ex, jobs, finetuning, store, run_id, acc, evaluate_fn, log)
        run, analysis = _finish(config, store, run_id, provenance, created, started, acc)
    except BaseException as exc:
        _abort(store, run_id, started, acc.timings, exc)
        raise
    store.close()
    return _output(run, analysis, acc, out_dir, report_fn, summary_fn)


@dataclass
class _Collected:
    """What a run gathers from its finished jobs until it is stored (``timings["finetune"]``: the
    seconds of every classifier training, summed)."""

    results: list[TaskResult] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)
    outcomes: list[JobOutcome] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)
    timings: dict = field(default_factory=lambda: {"jobs": {}, "finetune": 0.0})


def _provenance(config: RunConfig, executor: str | None) -> dict:
    """Where and how the run ran: versions, machine, the git state of the current folder's work tree,
    protocol, config source, executor."""
    protocol = get_protocol(config.protocol).to_dict()
    return {"package_versions": package_versions(), "machine": machine(), "git": git_state().to_dict(),
            "protocol": protocol, "config_source": config.source, "executor": executor or config.executor}


def _collect(store: ResultStore, run_id: str, acc: _Collected, outcome: JobOutcome, step: str, log) -> None:
    """Store a finished job's results at once (a failed job is recorded as a failure) and log it."""
    job = outcome.job
    acc.timings["jobs"][job.label] = outcome.seconds
    if not outcome.ok:
        log(f"{step} {job.label}: FAILED: {outcome.error}")
        acc.failures.append({"embedding": job.label, "stage": "train/evaluate", "error": outcome.error})
        return
    record = replace(outcome.record, seconds=dict(outcome.seconds)).to_dict()
    store.add_results(run_id, outcome.results, [record])
    acc.results.extend(outcome.results)
    acc.records.append(record)
    acc.outcomes.append(outcome)
    state = "cached" if outcome.cached else ("loaded" if job.spec.is_pretrained else "trained")
    log(f"{step} {job.label}: {state}, {len(outcome.results)} task result(s)")


def _collect_training(store: ResultStore, run_id: str, acc: _Collected, finetuning: Finetuning,
                      outcome: FinetuneOutcome, log) -> None:
    """Record a classifier training (a failed one as a failure); store its task's result once complete."""
    job = outcome.job
    stage = f"finetune {job.task.metadata.name} seed {job.task.seed}"
    if outcome.ok:
        acc.timings["finetune"] += outcome.summary.seconds
    else:
        log(f"fine-tuning {job.label}: FAILED: {outcome.error}")
        acc.failures.append({"embedding": job.embedding_job.label, "stage": stage, "error": outcome.error})
    try:
        result = finetuning.add(outcome)
    except Exception as exc:  # assembling the result failed: recorded, the rest goes on
        error = f"{type(exc).__name__}: {exc}"
        log(f"fine-tuning {job.embedding_job.label} {job.task.metadata.name}: FAILED: {error}")
        acc.failures.append({"embedding": job.embedding_job.label, "stage": stage, "error": error})
        return
    if result is not None:
        store.add_results(run_id, [result])
        acc.results.append(result)
        log(f"fine-tuned {result.embedding} {result.task}: test accuracy {result.main_score:.4f}")


def _finetuning(config: RunConfig, acc: _Collected, log) -> Finetuning | None:
    """The run's fine-tuning (its datasets prepared once), or None: without ``[finetune]``, or when
    preparing failed (recorded; the embedding jobs still run)."""
    if config.finetune is None:
        return None
    try:
        return Finetuning.from_settings(config.finetune, config.seeds)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        log(f"fine-tuning: FAILED: {error}")
        acc.failures.append({"embedding": "*", "stage": "finetune", "error": error})
        return None


def _run_jobs(ex, jobs: list[Job], finetuning: Finetuning | None, store: ResultStore, run_id: str, acc: _Collected,
              evaluate_fn, log) -> None:
    """Run the jobs and their fine-tuning jobs on the executor ``ex`` (closed afterwards), storing each
    result as it is ready."""
    done = 0
    try:
        for outcome in ex.run(jobs, evaluate_fn=evaluate_fn, finetuning=finetuning, log=log):
            if isinstance(outcome, FinetuneOutcome):
                _collect_training(store, run_id, acc, finetuning, outcome, log)
                continue
            done += 1
            _collect(store, run_id, acc, outcome, f"[{done}/{len(jobs)}]", log)
    finally:
        ex.close()


def _finish(config: RunConfig, store: ResultStore, run_id: str, provenance: dict, created: str, started: float,
            acc: _Collected) -> tuple[RunResult, Analysis]:
    """The run's result and analysis; the stored run marked complete (failed when a job failed)."""
    wall = time.perf_counter() - started
    provenance["timings"] = acc.timings
    if acc.failures:
        provenance["failures"] = acc.failures
    run = RunResult(run_id=run_id, name=config.name, task_results=tuple(acc.results), config=config.to_dict(),
                    config_hash=config.hash(), embeddings=tuple(acc.records), provenance=provenance, created=created,
                    wall_time=wall, compare=config.compare, baseline=config.baseline)
    analysis = analyze(run)
    store.finish_run(run_id, status="failed" if acc.failures else "complete", wall_time=wall, timings=acc.timings,
                     provenance=provenance, error="; ".join(f["error"] for f in acc.failures) or None)
    return run, analysis


def _abort(store: ResultStore, run_id: str, started: float, timings: dict, exc: BaseException) -> None:
    """Mark the stored run failed after an error (best effort) and close the store."""
    try:
        store.finish_run(run_id, status="failed", wall_time=time.perf_counter() - started, timings=timings,
                         error=f"{type(exc).__name__}: {exc}")
    except Exception:
        pass  # the run row stays 'running', which also marks it incomplete
    store.close()


def _output(run: RunResult, analysis: Analysis, acc: _Collected, out_dir: Path, report_fn, summary_fn) -> RunOutput:
    """Write the report and the terminal summary (each unless ``None``); the run's output."""
    paths = {}
    if report_fn is not None:
        paths = report_fn(run, analysis, out_dir) or {}
    if summary_fn is not None:
        summary_fn(run, analysis, paths)
    return RunOutput(run=run, analysis=analysis, report_paths=dict(paths), failures=acc.failures,
                     cache_hits=sum(o.cached for o in acc.outcomes),
                     trained=sum(1 for o in acc.outcomes if not o.cached and not o.job.spec.is_pretrained))
