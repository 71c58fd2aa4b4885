"""Units of work of a benchmark run.

A :class:`Job` is one (embedding spec, seed): load or train the matrix (through
the cache), then evaluate it on every task. :func:`run_job` is a plain module-level
function of picklable arguments, so any executor (a loop, a process pool, Ray) can
run it; it returns a :class:`JobOutcome` and never writes the results store.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from evalsuite.train.cache import EmbeddingCache, entry_info, trainer_cache_key
from evalsuite.config import CorpusSpec, EmbeddingSpec
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.results import TaskResult
from evalsuite.store.embedding_record import EmbeddingRecord
from evalsuite.train.base import EpochStats, TrainerCallback

EvaluateFn = Callable[[Embeddings, Sequence[str], str], list]


@dataclass(frozen=True)
class Job:
    """Train (or load) one embedding for one seed and evaluate it.

    Parameters
    ----------
    spec : EmbeddingSpec
        What to train or load.
    seed : int or None
        Training seed (None for a pretrained file).
    label : str
        Name the embedding gets in results (``name`` or ``name@seed<N>``).
    corpus : CorpusSpec or None
        The training corpus (None for a pretrained file).
    tasks : tuple of str
        Task names to evaluate.
    protocol : str
        Evaluation protocol name.
    cache_dir : str or None
        Cache folder (None: no cache, the matrix is neither read nor stored).
    use_cache : bool
        Read the cache (False for ``--no-cache``; new matrices are still stored).
    """

    spec: EmbeddingSpec
    seed: int | None
    label: str
    corpus: CorpusSpec | None
    tasks: tuple[str, ...]
    protocol: str
    cache_dir: str | None
    use_cache: bool = True


@dataclass
class JobOutcome:
    """What a job produced.

    Parameters
    ----------
    job : Job
        The job.
    record : EmbeddingRecord or None
        The embedding's record for the store (None when the job failed before it had one).
    results : list of TaskResult
        The task results, keyed by the embedding's group and seed.
    embeddings : Embeddings or None
        The trained or loaded matrix.
    cached : bool
        Whether the matrix came from the cache.
    seconds : dict
        Wall seconds per stage (``obtain``, ``evaluate``).
    error : str or None
        ``"TypeName: message"`` when the job failed.
    traceback : str
        The failed job's formatted traceback.
    """

    job: Job
    record: EmbeddingRecord | None = None
    results: list = field(default_factory=list)
    embeddings: Embeddings | None = None
    cached: bool = False
    seconds: dict = field(default_factory=dict)
    error: str | None = None
    traceback: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None


class _EpochPrinter(TrainerCallback):
    """Prints one line per epoch (a bar would clash with bars drawn by trainers)."""

    def __init__(self, label: str, log: Callable[[str], None]):
        self.label, self.log, self.total = label, log, 0

    def on_train_begin(self, trainer, total_epochs: int) -> None:
        self.total = total_epochs

    def on_epoch_end(self, trainer, stats: EpochStats) -> None:
        self.log(
            f"  {self.label}: epoch {stats.epoch}/{self.total or '?'} loss {stats.loss:.4f} "
            f"{stats.items_per_second:,.0f} {stats.unit}/s"
        )


def default_evaluate(emb: Embeddings, tasks: Sequence[str], protocol: str) -> list:
    """Evaluate with :func:`evalsuite.evaluate.suite.evaluate` under the named protocol."""
    from evalsuite.evaluate.suite import evaluate
    from evalsuite.evaluate.protocol import get_protocol

    return list(evaluate(emb, list(tasks), get_protocol(protocol)))


def make_corpus(spec: CorpusSpec):
    from evalsuite.data.corpus import corpus_from

    return corpus_from(spec.source, **dict(spec.preprocessing))


def cache_entry_info(record: EmbeddingRecord) -> dict:
    """What the cache entry of a trained embedding records about its job: the inputs of its
    key, the parameters as the trainer resolved them (the same wherever the entry is written)."""
    return entry_info(record.corpus_fingerprint, record.trainer, record.resolved_params, record.seed)


def obtain_embeddings(job: Job, *, log: Callable[[str], None] = lambda m: None, corpus=None,
                      callbacks: Sequence[TrainerCallback] | None = None):
    """Load the pretrained file, or return the cached matrix, or train and cache it.

    The trainer is built from the spec's resolved parameters (``spec.resolved``), as the
    config validated them: it is not looked up or validated again. ``callbacks`` follow
    the training (default: one log line per epoch); ``corpus`` replaces ``job.corpus``'s
    reader.

    Returns
    -------
    (Embeddings, EmbeddingRecord, bool, float)
        The embeddings (named ``job.label``), their record for the store, whether the
        cache was hit, and the seconds spent.
    """
    spec = job.spec
    t0 = time.perf_counter()
    head = dict(name=job.label, group=spec.name, base=spec.base, seed=job.seed, family=spec.family,
                sweep=dict(spec.sweep))
    if spec.is_pretrained:
        from evalsuite.data.vectors.sources import load_pretrained

        emb = load_pretrained(spec.pretrained, spec.format, name=job.label)
        record = EmbeddingRecord(**head, source="pretrained", path=spec.pretrained, format=spec.format,
                                 vocab_size=len(emb), dim=emb.dim, fingerprint=emb.fingerprint())
        return emb, record, False, time.perf_counter() - t0
    resolved = spec.resolved
    if resolved is None:
        raise EvalsuiteError(f"{spec.name}: the trainer {spec.trainer!r} was not resolved (a config read "
                             "without checking names cannot train)")
    corpus = corpus if corpus is not None else make_corpus(job.corpus)
    fingerprint = corpus.fingerprint()
    trainer = resolved.build()
    key = trainer_cache_key(fingerprint, resolved, job.seed)  # resolved parameters: defaults count
    cache = EmbeddingCache(job.cache_dir, enabled=job.use_cache) if job.cache_dir is not None else None
    record = EmbeddingRecord(**head, source="trained", trainer=spec.trainer, params=dict(spec.params),
                             resolved_params=dict(resolved.params), cache_key=key,
                             corpus=getattr(corpus, "name", str(job.corpus.source)), corpus_fingerprint=fingerprint)
    emb = cache.get(key) if cache is not None else None
    hit = emb is not None
    if hit:
        log(f"{job.label}: cached ({key})")
    else:
        log(f"{job.label}: training {spec.trainer}")
        emb = trainer.fit(corpus, seed=job.seed,
                          callbacks=[_EpochPrinter(job.label, log)] if callbacks is None else callbacks)
        if cache is not None:
            cache.put(key, emb, info=cache_entry_info(record))
    emb = emb.with_name(job.label)
    meta = dict(emb.meta)
    record = replace(record, vocab_size=len(emb), dim=emb.dim, fingerprint=emb.fingerprint(), cached=hit,
                     history=tuple(meta.get("history", [])), train_seconds=meta.get("train_seconds"),
                     meta={k: v for k, v in meta.items() if k not in ("history",)})
    return emb, record, hit, time.perf_counter() - t0


def tag_result(result: TaskResult, *, label: str, group: str, seed, extra: Mapping | None = None) -> TaskResult:
    """The result keyed by its embedding group and seed (its variant kept), ``extra`` added to provenance.

    ``label`` is the embedding's display name, which the result already carries.
    """
    prov = dict(result.provenance)
    if seed is not None:
        prov.setdefault("seed", seed)
    if extra:
        for k, v in extra.items():
            prov.setdefault(k, v)
    return replace(result, provenance=prov, key=replace(result.key, embedding=group, seed=seed))


def run_job(job: Job, *, evaluate_fn: EvaluateFn | None = None, log: Callable[[str], None] = lambda m: None) -> JobOutcome:
    """Run one job; any exception is caught and returned in ``outcome.error``."""
    outcome = JobOutcome(job=job)
    try:
        emb, record, hit, seconds = obtain_embeddings(job, log=log)
        outcome.embeddings, outcome.record, outcome.cached = emb, record, hit
        outcome.seconds["obtain"] = seconds
        t0 = time.perf_counter()
        evaluate = evaluate_fn or default_evaluate
        results = evaluate(emb, job.tasks, job.protocol) if job.tasks else []
        outcome.results = [
            tag_result(r, label=job.label, group=job.spec.name, seed=job.seed,
                       extra={"embedding_fingerprint": record.fingerprint, "cache_key": record.cache_key})
            for r in results
        ]
        outcome.seconds["evaluate"] = time.perf_counter() - t0
    except Exception as exc:  # reported per job; the other jobs go on
        outcome.error = f"{type(exc).__name__}: {exc}"
        outcome.traceback = traceback.format_exc(limit=8)
    return outcome
