"""How many jobs a config expands to, counted from the lengths of its lists before anything is expanded.

A run trains (or loads) one embedding per sweep point and seed, and fine-tunes each of
those under every ``[finetune]`` setting combination; a product of a few long lists
grows quickly (six parameters of 9 values: 531,441 embeddings), so the count is checked
against ``run.max_jobs`` at config time and only then is anything built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from evalsuite.evaluate.classification.settings import FinetuneSettings

DEFAULT_MAX_JOBS = 1000
#: the most ``run.max_jobs`` may be: planning 10,000 jobs takes a few seconds, training them weeks
MAX_JOBS_LIMIT = 10_000
_SHOWN = 4  # sweeping entries named in the message


def count_jobs(entries: Sequence, n_seeds: int, finetune: FinetuneSettings | None) -> tuple[int, int]:
    """``(training jobs, fine-tuning runs)`` of a config.

    Parameters
    ----------
    entries : sequence of EmbeddingEntry
        The checked ``[[embeddings]]`` tables (their ``points``, not their expansion).
    n_seeds : int
        Number of ``run.seeds``.
    finetune : FinetuneSettings or None
        The checked ``[finetune]`` settings.
    """
    from evalsuite.evaluate.classification.sweep import count_runs

    trained = sum(e.points for e in entries if not e.is_pretrained)
    pretrained = sum(1 for e in entries if e.is_pretrained)
    jobs = trained * n_seeds + pretrained
    runs = (trained + pretrained) * n_seeds * count_runs(finetune) if finetune is not None else 0
    return jobs, runs


def check_job_count(ctx, entries: Sequence, n_seeds: int, finetune: FinetuneSettings | None, max_jobs: int) -> int:
    """The number of jobs (training jobs + fine-tuning runs); a ConfigError when over ``max_jobs``.

    The message gives the count, what multiplies it and how to raise the limit.
    """
    jobs, runs = count_jobs(entries, n_seeds, finetune)
    total = jobs + runs
    if total <= max_jobs:
        return total
    trained = sum(e.points for e in entries if not e.is_pretrained)
    pretrained = f" + {jobs - trained * n_seeds} pretrained" if jobs > trained * n_seeds else ""
    parts = [f"{trained:,} trained embedding(s) × {n_seeds} seed(s) (run.seeds){pretrained} = {jobs:,} job(s)"]
    sweeping = sorted((e for e in entries if e.points > 1), key=lambda e: -e.points)
    for e in sweeping[:_SHOWN]:
        factors = " × ".join(f"{k} ({len(v)})" for k, v in e.swept.items() if len(v) > 1)
        parts.append(f"{e.where} sweeps {factors} = {e.points:,} points")
    if len(sweeping) > _SHOWN:
        parts.append(f"{len(sweeping) - _SHOWN} more sweeping embedding(s)")
    if runs:
        from evalsuite.evaluate.classification.sweep import count_runs, sweep_factors

        factors = " × ".join(f"{k} ({n})" for k, n in sweep_factors(finetune)) or "one setting"
        parts.append(f"fine-tuning: {count_runs(finetune):,} setting(s) per embedding and seed ({factors}) "
                     f"= {runs:,} run(s)")
    raise ctx.error("run.max_jobs", f"the run expands to {total:,} jobs, more than max_jobs = {max_jobs:,}: "
                                    + "; ".join(parts)
                                    + (f". Shrink the sweeps, or raise the limit in [run]: max_jobs = {total}"
                                       if total <= MAX_JOBS_LIMIT else
                                       f". Shrink the sweeps: max_jobs can be at most {MAX_JOBS_LIMIT:,}"))
