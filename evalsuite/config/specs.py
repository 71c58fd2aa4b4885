"""The validated form of a benchmark config: what to train or load, on which corpus, how to run."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Mapping

from evalsuite.core.provenance import stable_hash
from evalsuite.core.runspecs import BaselineSpec, CompareSpec
from evalsuite.evaluate.classification.settings import FinetuneSettings
from evalsuite.train.base import ResolvedTrainer

#: the cache folder of trained matrices when neither ``run.cache`` nor ``--cache-dir`` names one
DEFAULT_CACHE = ".evalsuite-cache"


@dataclass(frozen=True)
class CorpusSpec:
    """Which corpus to train on and how to preprocess it."""

    source: str
    is_path: bool
    preprocessing: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        key = "path" if self.is_path else "name"
        return {key: self.source, **dict(self.preprocessing)}


@dataclass(frozen=True)
class EmbeddingSpec:
    """One embedding to train (trainer + params) or load (pretrained file).

    ``base`` is the name written in the config; ``name`` adds the swept values,
    e.g. ``torch-sgns[window=2]``. ``params`` are the trainer parameters as written
    (current names); ``resolved`` the trainer class with every parameter resolved and
    validated at config load (None for a pretrained file, or a config read without
    checking names): what jobs, the plan and the cache key use.
    """

    name: str
    base: str
    trainer: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    pretrained: str | None = None
    format: str | None = None
    family: str = "other"
    sweep: Mapping[str, Any] = field(default_factory=dict)
    resolved: ResolvedTrainer | None = field(default=None, compare=False, repr=False)

    @property
    def is_pretrained(self) -> bool:
        return self.pretrained is not None

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "base": self.base,
            "trainer": self.trainer,
            "params": dict(self.params),
            "pretrained": self.pretrained,
            "format": self.format,
            "family": self.family,
            "sweep": dict(self.sweep),
        }


@dataclass(frozen=True)
class RunConfig:
    """A validated benchmark configuration."""

    name: str
    embeddings: tuple[EmbeddingSpec, ...]
    tasks: tuple[str, ...]
    corpus: CorpusSpec | None = None
    seeds: tuple[int, ...] = (0,)
    protocol: str = "default"
    output: str = "reports"
    store: str = "reports/results.sqlite"
    cache: str = DEFAULT_CACHE
    executor: str = "local"
    address: str | None = None
    max_jobs: int = 1000  # most jobs (trainings + fine-tuning runs) the config may expand to
    finetune: FinetuneSettings | None = None  # the checked [finetune] table
    compare: CompareSpec | None = None  # the checked [compare] table
    baseline: BaselineSpec | None = None  # the checked [baseline] table
    source: str = "<dict>"
    raw: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The config as written, for storage and provenance."""
        return dict(self.raw)

    def hash(self) -> str:
        """Stable hash of what determines results (output locations excluded)."""
        raw = {k: v for k, v in self.raw.items() if k not in ("run", "baseline")}
        run = {k: v for k, v in dict(self.raw.get("run", {})).items() if k in ("seeds", "protocol", "tasks")}
        return stable_hash({"run": run, **raw})

    def as_baseline(self) -> "RunConfig":
        """This config as its baseline run: the ``[baseline]`` seeds and name, in the stored config too."""
        spec = self.baseline or BaselineSpec()
        name = spec.run_name(self.name)
        run = {**dict(self.raw.get("run", {})), "name": name, "seeds": list(spec.seeds)}
        return replace(self, name=name, seeds=spec.seeds, raw={**self.raw, "run": run})

    def replace(self, **changes) -> "RunConfig":
        """A copy with some fields changed."""
        return replace(self, **changes)
