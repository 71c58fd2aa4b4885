"""Validation of each part of a config: corpus, embeddings, fine-tuning, comparison, protocol and tasks.

Each function raises :class:`~evalsuite.core.errors.ConfigError` naming the file, the
key and the allowed values.
"""

from __future__ import annotations

import inspect
import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from evalsuite.config.specs import BaselineSpec, CorpusSpec, EmbeddingSpec
from evalsuite.data.corpus import BUILTIN_CORPORA, TextCorpus, corpus_from
from evalsuite.data.vectors.sources import SOURCES, is_source
from evalsuite.core.errors import ConfigError, EvalsuiteError
from evalsuite.core.families import family_of
from evalsuite.core.registry import suggest
from evalsuite.config.limits import folder_name_problem
from evalsuite.train.base import ResolvedTrainer, Trainer, get_trainer
from evalsuite.train.limits import check_seed
from evalsuite.train.params import (
    Boolean, Integral, Interval, ParameterError, Real, TextEncoding, rename_params, validate_value, warn_renamed,
)

EMBEDDING_KEYS = ("name", "trainer", "params", "pretrained", "format", "family")
CORPUS_SOURCE_KEYS = ("name", "path")
FORMATS = ("word2vec", "word2vec-binary", "glove", "fasttext", "npz")
FAMILIES = ("word2vec", "glove", "other")
BASELINE_KEYS = ("seeds", "name", "level", "margin")
#: the accepted values of the [corpus] preprocessing options (checked before the reader is built)
CORPUS_OPTION_CONSTRAINTS = {
    "lowercase": [Boolean()], "strip_markup": [Boolean()], "phrases": [Boolean()],
    "phrase_min_count": [Interval(Integral, 1, 2**63 - 1)], "phrase_threshold": [Interval(Real, 0, None, closed="neither")],
    "encoding": [TextEncoding()],
}


class ConfigContext:
    """Where a config came from, for errors that name the file and the key."""

    def __init__(self, source: str):
        self.source = source

    def where(self, key: str) -> str:
        """``key`` as errors and warnings name it: after the file."""
        return f"{self.source}: {key}"

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where(key)}: {problem}")

    def unknown_keys(self, where: str, table: Mapping, allowed) -> None:
        for key in table:
            if key not in allowed:
                raise self.error(
                    f"{where}{key}" if where else key,
                    f"unknown key{suggest(key, allowed)}; allowed: {', '.join(allowed)}",
                )

    def expect(self, key: str, value, types, what: str):
        if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
            raise self.error(key, f"expected {what}, got {value!r}")
        if not isinstance(value, types):
            raise self.error(key, f"expected {what}, got {value!r}")
        return value


def plain(obj):
    """Deep copy of a TOML document into plain dicts/lists (dates to strings)."""
    if isinstance(obj, Mapping):
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def resolve_input(path: str, base_dir: Path | None) -> str:
    p = Path(path)
    if not p.is_absolute() and base_dir is not None and not p.exists() and (base_dir / p).exists():
        return str(base_dir / p)
    return path


def parse_corpus(ctx: ConfigContext, table, base_dir) -> CorpusSpec | None:
    if table is None:
        return None
    ctx.expect("corpus", table, dict, "a table [corpus]")
    given = [k for k in CORPUS_SOURCE_KEYS if k in table]
    if len(given) != 1:
        raise ctx.error("corpus", "give exactly one of 'name' (a built-in corpus) or 'path' (a text file)")
    key = given[0]
    source = ctx.expect(f"corpus.{key}", table[key], str, "a string")
    pre = {k: v for k, v in table.items() if k not in CORPUS_SOURCE_KEYS}
    ctx.unknown_keys("corpus.", pre, sorted(_corpus_options()) + list(CORPUS_SOURCE_KEYS))
    if key == "path":
        source = resolve_input(source, base_dir)
        if not Path(source).exists():
            raise ctx.error("corpus.path", f"file not found: {source}")
    else:
        names = set(BUILTIN_CORPORA)
        if source not in names:
            raise ctx.error("corpus.name", f"unknown corpus {source!r}{suggest(source, names)}; allowed: {', '.join(sorted(names))}, or use path = ...")
    for option in [k for k in pre if k in CORPUS_OPTION_CONSTRAINTS]:
        try:
            validate_value(option, pre[option], CORPUS_OPTION_CONSTRAINTS[option])
        except ParameterError as exc:
            raise ctx.error(f"corpus.{option}", exc.problem) from None
    try:
        corpus_from(source, **pre)  # cheap: builds the reader, reads nothing
    except TypeError as exc:
        raise ctx.error("corpus", f"invalid preprocessing option: {exc}") from None
    except (EvalsuiteError, ValueError) as exc:
        raise ctx.error("corpus", str(exc)) from None
    return CorpusSpec(source=source, is_path=key == "path", preprocessing=pre)


def _corpus_options() -> set[str]:
    """Preprocessing keywords the corpus reader accepts."""
    params = inspect.signature(TextCorpus.__init__).parameters.values()
    return {p.name for p in params if p.kind is p.KEYWORD_ONLY} - {"name"}


def fmt_value(v) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


@dataclass
class EmbeddingEntry:
    """One ``[[embeddings]]`` table, checked, before its sweep is expanded.

    ``swept`` maps each list-valued parameter to its values; :attr:`points` is the
    number of embeddings it expands to, computed without expanding.
    """

    where: str
    name: str
    family: str | None
    trainer: str | None = None
    cls: type[Trainer] | None = None
    params: dict = field(default_factory=dict)
    swept: dict = field(default_factory=dict)
    pretrained: EmbeddingSpec | None = None

    @property
    def is_pretrained(self) -> bool:
        return self.pretrained is not None

    @property
    def points(self) -> int:
        return math.prod(len(v) for v in self.swept.values())


def parse_embedding(ctx: ConfigContext, i: int, entry, base_dir, check_names: bool) -> EmbeddingEntry:
    """Check one ``[[embeddings]]`` table: keys, trainer, and each parameter value (sweeps not expanded)."""
    where = f"embeddings[{i}]"
    ctx.expect(where, entry, dict, "a table")
    ctx.unknown_keys(f"{where}.", entry, EMBEDDING_KEYS)
    if "name" not in entry:
        raise ctx.error(f"{where}.name", "missing: every embedding needs a name")
    name = ctx.expect(f"{where}.name", entry["name"], str, "a string")
    if not name.strip():
        raise ctx.error(f"{where}.name", "empty: every embedding needs a name")
    where = f"embeddings[{i}] ({name})"
    family = entry.get("family")
    if family is not None and family not in FAMILIES:
        raise ctx.error(f"{where}.family", f"unknown family {family!r}; allowed: {', '.join(FAMILIES)}")
    has_trainer, has_file = "trainer" in entry, "pretrained" in entry
    if has_trainer == has_file:
        raise ctx.error(where, "give exactly one of 'trainer' (to train) or 'pretrained' (a vector file)")
    if has_file:
        spec = _pretrained_spec(ctx, where, name, family, entry, base_dir)
        return EmbeddingEntry(where=where, name=name, family=family, pretrained=spec)
    if "format" in entry:
        raise ctx.error(f"{where}.format", "only for pretrained embeddings")
    trainer = ctx.expect(f"{where}.trainer", entry["trainer"], str, "a trainer name")
    params = dict(ctx.expect(f"{where}.params", entry.get("params", {}), dict, "a table of trainer parameters"))
    cls = None
    if check_names:
        cls = lookup_trainer(ctx, f"{where}.trainer", trainer)
        params = trainer_params(ctx, f"{where}.params", cls, params)
    swept = {k: v for k, v in params.items() if isinstance(v, list)}
    for k, v in swept.items():
        if not v:
            raise ctx.error(f"{where}.params.{k}", "an empty list sweeps over nothing")
    if cls is not None:
        _check_values(ctx, f"{where}.params", params, cls._parameter_constraints)
    return EmbeddingEntry(where=where, name=name, family=family, trainer=trainer, cls=cls, params=params,
                          swept=swept)


def _pretrained_spec(ctx: ConfigContext, where: str, name: str, family, entry, base_dir) -> EmbeddingSpec:
    """The spec of a pretrained embedding: a registered source name or an existing vector file."""
    if "params" in entry:
        raise ctx.error(f"{where}.params", "only for trained embeddings (this one is pretrained)")
    path = ctx.expect(f"{where}.pretrained", entry["pretrained"], str, "a file path or a source name")
    if is_source(path):
        try:
            SOURCES.get(path).check()
        except EvalsuiteError as exc:
            raise ctx.error(f"{where}.pretrained", str(exc)) from None
    else:
        path = resolve_input(path, base_dir)
        if not Path(path).exists():
            raise ctx.error(f"{where}.pretrained", f"file not found: {path} (nor a pretrained source: "
                            f"{', '.join(SOURCES)})")
    fmt = entry.get("format")
    if fmt is not None and fmt not in FORMATS:
        raise ctx.error(f"{where}.format", f"unknown format {fmt!r}{suggest(str(fmt), FORMATS)}; allowed: {', '.join(FORMATS)}")
    return EmbeddingSpec(name=name, base=name, pretrained=path, format=fmt, family=family or family_of(None, name))


def _key(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def lookup_trainer(ctx: ConfigContext, key: str, name: str) -> type[Trainer]:
    """The trainer class registered as ``name`` (the one place a trainer is looked up by name)."""
    try:
        return get_trainer(name)
    except EvalsuiteError as exc:
        raise ctx.error(key, str(exc)) from None


def trainer_params(ctx: ConfigContext, where: str, cls: type[Trainer], params: Mapping) -> dict:
    """``params`` under the trainer's current names: an old name warns, old and new together
    and an unknown name are errors."""
    try:
        params, used = rename_params(params, cls._renamed_parameters)
    except ParameterError as exc:
        raise ctx.error(_key(where, exc.param), exc.problem) from None
    for old, new in used:
        warn_renamed(ctx.where(_key(where, old)), new)
    ctx.unknown_keys(f"{where}." if where else "", params, cls.param_names())
    return params


def resolve_trainer(ctx: ConfigContext, where: str, cls: type[Trainer], params: Mapping) -> ResolvedTrainer:
    """The trainer with ``params`` (no sweep, under current names) resolved: each value
    validated, the defaults filled in, the relations checked."""
    _check_values(ctx, where, params, cls._parameter_constraints)
    return _complete(ctx, where, cls, params, "")


def _complete(ctx: ConfigContext, where: str, cls: type[Trainer], params: Mapping, point: str) -> ResolvedTrainer:
    try:
        return ResolvedTrainer(cls, cls.complete_params(params))
    except ParameterError as exc:
        raise ctx.error(_key(where, exc.param), exc.problem + point) from None


def _check_values(ctx: ConfigContext, where: str, params: Mapping, constraints: Mapping) -> None:
    """Each value (each value of a sweep list) against the parameter's declared constraints."""
    for key, value in params.items():
        if key not in constraints:
            continue
        values = value if isinstance(value, list) else [value]
        for j, v in enumerate(values):
            try:
                validate_value(key, v, constraints[key])
            except ParameterError as exc:
                index = f"[{j}]" if isinstance(value, list) else ""
                raise ctx.error(_key(where, key) + index, exc.problem) from None


def expand_embedding(ctx: ConfigContext, entry: EmbeddingEntry) -> list[EmbeddingSpec]:
    """The embeddings of one entry: one per combination of its swept values, each resolved
    (defaults filled in, relations checked; the values were checked by :func:`parse_embedding`)."""
    if entry.pretrained is not None:
        return [entry.pretrained]
    keys = list(entry.swept)
    specs = []
    for combo in itertools.product(*(entry.swept[k] for k in keys)):
        chosen = dict(zip(keys, combo))
        values = {**entry.params, **chosen}
        label = entry.name + ("[" + ",".join(f"{k}={fmt_value(v)}" for k, v in chosen.items()) + "]" if chosen else "")
        resolved = None
        if entry.cls is not None:  # each value was checked by parse_embedding
            point = f" (in the sweep point {label})" if chosen else ""
            resolved = _complete(ctx, f"{entry.where}.params", entry.cls, values, point)
        specs.append(
            EmbeddingSpec(
                name=label,
                base=entry.name,
                trainer=entry.trainer,
                params=values,
                family=entry.family or family_of(entry.trainer, entry.name),
                sweep=chosen,
                resolved=resolved,
            )
        )
    return specs


def validate_finetune(ctx: ConfigContext, table, check_files: bool = True):
    """The ``[finetune]`` table checked against the declared fine-tuning settings, once: a
    :class:`~evalsuite.evaluate.classification.settings.FinetuneSettings`.

    With ``check_files``, each dataset that is not bundled is read now (a user CSV is parsed
    whole), so that a bad file stops the run before any training.
    """
    from evalsuite.evaluate.classification.settings import FinetuneSettings

    try:
        settings = FinetuneSettings(table)
    except ParameterError as exc:
        raise ctx.error(exc.param, exc.problem) from None
    except (EvalsuiteError, ValueError, TypeError) as exc:
        raise ctx.error("finetune", str(exc)) from None
    if check_files:
        _check_datasets(ctx, settings)
    return settings


def _check_datasets(ctx: ConfigContext, settings) -> None:
    """Read each user dataset of the ``[finetune]`` settings with each column choice."""
    from evalsuite.data.datasets.classification import BUNDLED, load_classification_dataset

    for dataset in settings["datasets"]:
        if str(dataset).lower() in BUNDLED:
            continue  # verified against its checksum when loaded
        for text_column, label_column in itertools.product(settings.get("text_column", [settings.first("text_column")]),
                                                           settings.get("label_column", [settings.first("label_column")])):
            try:
                load_classification_dataset(dataset, text_column=text_column, label_column=label_column)
            except EvalsuiteError as exc:
                raise ctx.error("finetune.dataset", str(exc)) from None


def check_protocol(ctx: ConfigContext, name: str) -> None:
    from evalsuite.evaluate.protocol import get_protocol

    try:
        get_protocol(name)
    except (EvalsuiteError, KeyError, ValueError) as exc:
        raise ctx.error("run.protocol", str(exc)) from None


def check_tasks(ctx: ConfigContext, tasks) -> None:
    from evalsuite.evaluate.registry import get_task

    for t in tasks:
        try:
            get_task(t)
        except (EvalsuiteError, KeyError, ValueError, OSError) as exc:
            raise ctx.error("tasks", str(exc)) from None


def check_seeds(ctx: ConfigContext, key: str, seeds) -> list[int]:
    """A non-empty list of distinct seeds, each by the trainers' seed rule (an int in ``[0, 2**32)``)."""
    if not isinstance(seeds, list) or not seeds:
        raise ctx.error(key, f"expected a non-empty list of integers >= 0, got {seeds!r}")
    for j, seed in enumerate(seeds):
        try:
            check_seed(seed)
        except ParameterError:
            raise ctx.error(key, f"expected a non-empty list of integers in [0, 2**32), got {seed!r} "
                                 f"(item {j})") from None
    if len(set(seeds)) != len(seeds):
        raise ctx.error(key, f"duplicate seeds in {seeds!r}")
    return seeds


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def parse_baseline(ctx: ConfigContext, table) -> BaselineSpec | None:
    """The ``[baseline]`` table (every key optional), or None without one."""
    if table is None:
        return None
    ctx.expect("baseline", table, dict, "a table [baseline]")
    ctx.unknown_keys("baseline.", table, BASELINE_KEYS)
    check_seeds(ctx, "baseline.seeds", table.get("seeds", list(BaselineSpec().seeds)))
    name = table.get("name")
    problem = None if name is None else folder_name_problem(name)
    if problem:
        raise ctx.error("baseline.name", problem)
    level = table.get("level", BaselineSpec().level)
    if not (_number(level) and 0 < level < 1):
        raise ctx.error("baseline.level", f"expected a number in (0, 1) (a family-wise error rate), got {level!r}")
    margin = table.get("margin", BaselineSpec().margin)
    if not (_number(margin) and 0 <= margin < float("inf")):
        raise ctx.error("baseline.margin", f"expected a number >= 0 (a drop in score units), got {margin!r}")
    return BaselineSpec.from_table(table)
