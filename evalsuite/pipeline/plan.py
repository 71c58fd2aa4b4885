"""The plan of a run, before any work: ``evalsuite run CONFIG --dry-run``.

For every job: the embedding, its trainer and resolved parameters (defaults filled in,
exactly what the cache key is built from), the seed, whether the cache already holds
the matrix, and a rough time estimate. Nothing is trained or read but the corpus
file's hash (itself cached).

The estimate scales throughputs measured on a 2-core development machine (IMDB,
dimension 100, window 5, 5 negatives; ``benchmarks/results/trainers.json``) by the job's
parameters, and counts tokens from the corpus files' size (about 6 bytes per token). It
is meant to tell minutes from hours, not to predict a wall time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from evalsuite.config import RunConfig
from evalsuite.core.jsonutil import json_safe
from evalsuite.train.cache import EmbeddingCache, trainer_cache_key

BYTES_PER_TOKEN = 6.0
TOKENIZE_PER_SECOND = 400_000.0  # counting the vocabulary and encoding the corpus
#: words/s of two threads at dimension 100, window 5, 5 negatives
WORD2VEC_RATES = {("torch-sgns", "skipgram"): 1.09e6, ("torch-cbow", "cbow"): 3.25e6,
                  ("gensim-word2vec", "skipgram"): 5.15e5, ("gensim-word2vec", "cbow"): 1.79e6}
#: the architecture of the trainers that have no ``architecture`` parameter
ARCHITECTURE_OF = {"torch-sgns": "skipgram", "torch-cbow": "cbow"}
GLOVE_NONZEROS_PER_TOKEN = 1.77  # at window 5
GLOVE_NONZEROS_PER_SECOND = 2.18e6  # two threads, dimension 100
GLOVE_COUNT_PER_SECOND = 1.1e7  # tokens x window
TASK_SECONDS = {"similarity": 0.5, "analogy": 4.0}


@dataclass(frozen=True)
class PlannedJob:
    """One job of the plan (see the module docstring)."""

    embedding: str
    trainer: str | None
    params: Mapping[str, Any]
    seed: int | None
    cached: bool
    estimated_seconds: float | None
    cache_key: str | None = None

    def to_dict(self) -> dict:
        return json_safe({"embedding": self.embedding, "trainer": self.trainer, "params": dict(self.params),
                          "seed": self.seed, "cached": self.cached, "estimated_seconds": self.estimated_seconds,
                          "cache_key": self.cache_key})


def corpus_tokens(corpus) -> float | None:
    """Tokens of a corpus, estimated from its files' size; None when it has no files."""
    files = getattr(getattr(corpus, "source", None), "files", None)
    if not files:
        return None
    return sum(Path(f).stat().st_size for f in files) / BYTES_PER_TOKEN


def training_seconds(trainer: str, params: Mapping[str, Any], tokens: float) -> float | None:
    """Rough training time of ``trainer`` with resolved ``params`` (every parameter, defaults
    filled in) on ``tokens`` tokens (None: a trainer without measured rates)."""
    if trainer == "torch-glove":
        nonzeros = tokens * GLOVE_NONZEROS_PER_TOKEN * (params["window"] / 5) ** 0.7
        count = tokens * params["window"] / GLOVE_COUNT_PER_SECOND
        return count + params["epochs"] * nonzeros * _scale(params) / GLOVE_NONZEROS_PER_SECOND
    arch = ARCHITECTURE_OF.get(trainer, params.get("architecture"))
    rate = WORD2VEC_RATES.get((trainer, arch))
    if rate is None:
        return None
    cost = _scale(params) * (params["negative"] + 1) / 6
    if arch == "skipgram":
        cost *= params["window"] / 5
    return params["epochs"] * tokens * cost / rate


def _scale(params: Mapping[str, Any]) -> float:
    """Cost relative to the measured rates: dimension over 100, times 2 over the threads (at most 2)."""
    return params["vector_size"] / 100 * 2 / min(2, params["workers"])


def _evaluation_seconds(config: RunConfig) -> float:
    from evalsuite.evaluate.registry import get_task

    total = 0.0
    for name in config.tasks:
        kind = getattr(getattr(get_task(name), "metadata", None), "kind", "similarity")
        total += TASK_SECONDS.get(kind, 1.0)
    return total


def plan(config: RunConfig, *, use_cache: bool = True) -> list[PlannedJob]:
    """The jobs of ``config`` with resolved parameters, cache state and estimated seconds."""
    from evalsuite.pipeline.jobs import make_corpus
    from evalsuite.pipeline.runner import make_jobs

    evaluation = _evaluation_seconds(config)
    cache = EmbeddingCache(config.cache)
    corpus = make_corpus(config.corpus) if config.corpus is not None else None
    trains = corpus is not None and any(not s.is_pretrained for s in config.embeddings)
    fingerprint = corpus.fingerprint() if trains else None
    tokens = corpus_tokens(corpus) if corpus is not None else None
    out = []
    for job in make_jobs(config, use_cache=use_cache):
        spec = job.spec
        if spec.is_pretrained:
            out.append(PlannedJob(job.label, None, {"pretrained": spec.pretrained, "format": spec.format}, None,
                                  False, evaluation))
            continue
        params = dict(spec.resolved.params)
        key = trainer_cache_key(fingerprint, spec.resolved, job.seed)
        cached = use_cache and key in cache
        train = 0.0 if cached else (training_seconds(spec.trainer, params, tokens) if tokens else None)
        if train is not None and not cached and tokens:
            train += tokens / TOKENIZE_PER_SECOND
        est = None if train is None else round(train + evaluation, 1)
        out.append(PlannedJob(job.label, spec.trainer, params, job.seed, cached, est, key))
    return out


def plan_json(config: RunConfig, jobs: list[PlannedJob]) -> dict:
    """The ``--dry-run --json`` document: ``{"jobs": [...], ...}``."""
    known = [j.estimated_seconds for j in jobs if j.estimated_seconds is not None]
    return {"config": config.source, "tasks": list(config.tasks), "seeds": list(config.seeds),
            "jobs": [j.to_dict() for j in jobs], "cached": sum(j.cached for j in jobs),
            "estimated_seconds": round(sum(known), 1) if known else None,
            "estimate_complete": len(known) == len(jobs), "finetune": config.finetune is not None}


def plan_text(config: RunConfig, jobs: list[PlannedJob]) -> str:
    """The plan as lines for a terminal."""
    doc = plan_json(config, jobs)
    lines = [f"plan of {config.source}: {len(jobs)} job(s), {len(config.tasks)} task(s), seeds {list(config.seeds)}, "
             f"{doc['cached']} cached (cache {config.cache})"]
    for j in jobs:
        est = "?" if j.estimated_seconds is None else _duration(j.estimated_seconds)
        params = " ".join(f"{k}={v}" for k, v in j.params.items())
        lines.append(f"  {j.embedding:<28} {j.trainer or 'pretrained':<16} seed {j.seed!s:<5} "
                     f"{'cached' if j.cached else 'train ':<7} ~{est:>7}  {params}")
    total = doc["estimated_seconds"]
    lines.append(f"estimated: ~{_duration(total) if total is not None else '?'}"
                 + ("" if doc["estimate_complete"] else " (some jobs unknown)")
                 + (" plus fine-tuning" if config.finetune is not None else "")
                 + " (rough: throughputs measured on a 2-core machine)")
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "?"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


__all__ = ["PlannedJob", "plan", "plan_json", "plan_text", "training_seconds"]
