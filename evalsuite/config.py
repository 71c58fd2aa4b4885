"""Benchmark configuration: a TOML file validated completely before any work starts.

Example::

    [run]
    name = "quick"
    seeds = [0, 1]
    protocol = "default"

    [corpus]
    name = "lee"          # or path = "my_corpus.txt.gz"
    lowercase = true      # preprocessing options, passed to the corpus reader

    tasks = ["ws353", "google"]   # (top level, before the tables, or in [run])

    [[embeddings]]
    name = "torch-sgns"
    trainer = "torch-sgns"
    params = { dim = 50, window = [2, 5] }   # a list is a sweep: two embeddings

    [[embeddings]]
    name = "glove-6b"
    pretrained = "vectors/glove.6B.50d.txt"
    format = "glove"

    [finetune]            # passed to the fine-tuning task as is
    dataset = "mr"

Errors are :class:`~evalsuite.errors.ConfigError` naming the file, the key, the
allowed values and, for a misspelt key, the closest valid one.
"""

from __future__ import annotations

import inspect
import itertools
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from evalsuite.errors import ConfigError, EvalsuiteError
from evalsuite.provenance import stable_hash
from evalsuite.registry import suggest

DEFAULT_CONFIG = Path("benchmarks/default.toml")
TOP_KEYS = ("run", "corpus", "embeddings", "tasks", "finetune")
RUN_KEYS = ("name", "output", "seeds", "protocol", "store", "cache", "executor", "address", "tasks")
EMBEDDING_KEYS = ("name", "trainer", "params", "pretrained", "format", "family")
CORPUS_SOURCE_KEYS = ("name", "path")
EXECUTORS = ("local", "ray")
FORMATS = ("word2vec", "word2vec-binary", "glove", "fasttext", "npz")
FAMILIES = ("word2vec", "glove", "other")


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
    e.g. ``torch-sgns[window=2]``.
    """

    name: str
    base: str
    trainer: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    pretrained: str | None = None
    format: str | None = None
    family: str = "other"
    sweep: Mapping[str, Any] = field(default_factory=dict)

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
    cache: str = ".evalsuite-cache"
    executor: str = "local"
    address: str | None = None
    finetune: Mapping[str, Any] | None = None
    source: str = "<dict>"
    raw: Mapping[str, Any] = field(default_factory=dict)

    @property
    def output_dir(self) -> Path:
        """Folder of this run's report: ``<output>/<name>``."""
        return Path(self.output) / self.name

    def to_dict(self) -> dict:
        """The config as written, for storage and provenance."""
        return dict(self.raw)

    def hash(self) -> str:
        """Stable hash of what determines results (output locations excluded)."""
        raw = {k: v for k, v in self.raw.items() if k != "run"}
        run = {k: v for k, v in dict(self.raw.get("run", {})).items() if k in ("seeds", "protocol", "tasks")}
        return stable_hash({"run": run, **raw})

    def replace(self, **changes) -> "RunConfig":
        from dataclasses import replace

        return replace(self, **changes)


# --- helpers ---------------------------------------------------------------------------
class _Ctx:
    def __init__(self, source: str):
        self.source = source

    def error(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.source}: {key}: {problem}")

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


def load_config(path=None) -> RunConfig:
    """Read and validate a TOML config file (``benchmarks/default.toml`` by default).

    Raises
    ------
    ConfigError
        On a syntax error, unknown key, wrong type, unknown trainer, task,
        protocol or trainer parameter, or an invalid parameter value.
    """
    path = Path(path) if path is not None else DEFAULT_CONFIG
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}, byte {exc.start}: not UTF-8 text") from None
    return parse_config(raw, source=str(path), base_dir=path.parent)


def parse_config(raw: Mapping, *, source: str = "<config>", base_dir=None, check_names: bool = True) -> RunConfig:
    """Validate a config mapping (as parsed from TOML) into a :class:`RunConfig`.

    Parameters
    ----------
    raw : mapping
        The parsed TOML document.
    source : str
        Name used in error messages (the file path).
    base_dir : path, optional
        Folder against which relative input paths are resolved when they
        exist there (otherwise they are taken relative to the working folder).
    check_names : bool
        Check trainer, task and protocol names against their registries.
    """
    ctx = _Ctx(source)
    base_dir = Path(base_dir) if base_dir is not None else None
    if not isinstance(raw, Mapping):
        raise ctx.error("<top>", "expected a table")
    ctx.unknown_keys("", raw, TOP_KEYS)

    run = raw.get("run", {})
    ctx.expect("run", run, dict, "a table [run]")
    ctx.unknown_keys("run.", run, RUN_KEYS)
    name = ctx.expect("run.name", run.get("name", Path(source).stem if source[:1] != "<" else "run"), str, "a string")
    if not name or any(c in name for c in "/\\") or name.startswith("."):
        raise ctx.error("run.name", f"not usable as a folder name: {name!r}")
    seeds = run.get("seeds", [0])
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = [seeds]
    ctx.expect("run.seeds", seeds, list, "a list of integers")
    if not seeds or not all(isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds):
        raise ctx.error("run.seeds", f"expected a non-empty list of integers >= 0, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ctx.error("run.seeds", f"duplicate seeds in {seeds!r}")
    protocol = ctx.expect("run.protocol", run.get("protocol", "default"), str, "a string")
    executor = ctx.expect("run.executor", run.get("executor", "local"), str, "a string")
    if executor not in EXECUTORS:
        raise ctx.error("run.executor", f"unknown executor {executor!r}{suggest(executor, EXECUTORS)}; allowed: {', '.join(EXECUTORS)}")
    address = run.get("address")
    if address is not None:
        ctx.expect("run.address", address, str, "a string")
    output = ctx.expect("run.output", run.get("output", "reports"), str, "a folder path")
    store = ctx.expect("run.store", run.get("store", str(Path(output) / "results.sqlite")), str, "a file path")
    cache = ctx.expect("run.cache", run.get("cache", ".evalsuite-cache"), str, "a folder path")

    if "tasks" in raw and "tasks" in run:
        raise ctx.error("tasks", "given both at top level and in [run]; keep one")
    tasks = raw.get("tasks", run.get("tasks"))
    if tasks is None:
        raise ctx.error("tasks", "missing: list the evaluation tasks, e.g. tasks = [\"ws353\", \"google\"]")
    ctx.expect("tasks", tasks, list, "a list of task names")
    if not all(isinstance(t, str) and t for t in tasks):
        raise ctx.error("tasks", f"expected a list of task names, got {tasks!r}")
    if len(set(tasks)) != len(tasks):
        raise ctx.error("tasks", "duplicate task names")
    tasks = [_resolve_input(t, base_dir) if ("/" in t or t.endswith((".txt", ".tsv", ".csv"))) else t for t in tasks]

    corpus = _parse_corpus(ctx, raw.get("corpus"), base_dir)

    entries = raw.get("embeddings")
    if entries is None:
        raise ctx.error("embeddings", "missing: add at least one [[embeddings]] table")
    ctx.expect("embeddings", entries, list, "an array of tables [[embeddings]]")
    if not entries:
        raise ctx.error("embeddings", "empty: add at least one [[embeddings]] table")
    specs: list[EmbeddingSpec] = []
    for i, entry in enumerate(entries):
        specs.extend(_parse_embedding(ctx, i, entry, base_dir, check_names))
    seen: dict[str, int] = {}
    for spec in specs:
        if spec.name in seen:
            raise ctx.error("embeddings", f"two embeddings are named {spec.name!r}; give each a distinct name")
        seen[spec.name] = 1
    if corpus is None and any(not s.is_pretrained for s in specs):
        raise ctx.error("corpus", "missing: trained embeddings need a [corpus] table with name or path")

    finetune = raw.get("finetune")
    if finetune is not None:
        ctx.expect("finetune", finetune, dict, "a table [finetune]")
        _validate_finetune(ctx, finetune)

    if check_names:
        _check_protocol(ctx, protocol)
        _check_tasks(ctx, tasks)

    return RunConfig(
        name=name,
        embeddings=tuple(specs),
        tasks=tuple(tasks),
        corpus=corpus,
        seeds=tuple(seeds),
        protocol=protocol,
        output=output,
        store=store,
        cache=cache,
        executor=executor,
        address=address,
        finetune=finetune,
        source=source,
        raw=_plain(raw),
    )


def _plain(obj):
    """Deep copy of a TOML document into plain dicts/lists (dates to strings)."""
    if isinstance(obj, Mapping):
        return {k: _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    if isinstance(obj, (str, int, float, bool)) or obj is None:
        return obj
    return str(obj)


def _resolve_input(path: str, base_dir: Path | None) -> str:
    p = Path(path)
    if not p.is_absolute() and base_dir is not None and not p.exists() and (base_dir / p).exists():
        return str(base_dir / p)
    return path


def _parse_corpus(ctx: _Ctx, table, base_dir) -> CorpusSpec | None:
    if table is None:
        return None
    ctx.expect("corpus", table, dict, "a table [corpus]")
    given = [k for k in CORPUS_SOURCE_KEYS if k in table]
    if len(given) != 1:
        raise ctx.error("corpus", "give exactly one of 'name' (a built-in corpus) or 'path' (a text file)")
    key = given[0]
    source = ctx.expect(f"corpus.{key}", table[key], str, "a string")
    pre = {k: v for k, v in table.items() if k not in CORPUS_SOURCE_KEYS}
    allowed = _corpus_options()
    if allowed is not None:
        ctx.unknown_keys("corpus.", pre, sorted(allowed) + list(CORPUS_SOURCE_KEYS))
    if key == "path":
        source = _resolve_input(source, base_dir)
        if not Path(source).exists():
            raise ctx.error("corpus.path", f"file not found: {source}")
    else:
        names = _corpus_names()
        if names is not None and source not in names:
            raise ctx.error("corpus.name", f"unknown corpus {source!r}{suggest(source, names)}; allowed: {', '.join(sorted(names))}, or use path = ...")
    try:
        from evalsuite.corpus import corpus_from
    except ImportError:
        corpus_from = None
    if corpus_from is not None:
        try:
            corpus_from(source, **pre)  # cheap: builds the reader, reads nothing
        except TypeError as exc:
            raise ctx.error("corpus", f"invalid preprocessing option: {exc}") from None
        except (EvalsuiteError, ValueError) as exc:
            raise ctx.error("corpus", str(exc)) from None
    return CorpusSpec(source=source, is_path=key == "path", preprocessing=pre)


def _corpus_options():
    """Preprocessing keywords the corpus reader accepts (None when unknown)."""
    try:
        from evalsuite.corpus import corpus_from
    except ImportError:
        return None
    params = list(inspect.signature(corpus_from).parameters.values())
    if any(p.kind == p.VAR_KEYWORD for p in params):
        try:
            from evalsuite.corpus import TextCorpus
        except ImportError:
            return None
        params = list(inspect.signature(TextCorpus.__init__).parameters.values())
        if any(p.kind == p.VAR_KEYWORD for p in params):
            return None
    return {p.name for p in params if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)} - {
        "self", "spec", "source", "name_or_path", "name"}


def _corpus_names():
    try:
        from evalsuite.corpus import BUILTIN_CORPORA
    except ImportError:
        return None
    return set(BUILTIN_CORPORA)


def _family(trainer: str | None, name: str) -> str:
    text = f"{trainer or ''} {name}".lower()
    if "glove" in text:
        return "glove"
    if any(k in text for k in ("word2vec", "sgns", "cbow", "skipgram", "skip-gram", "w2v")):
        return "word2vec"
    return "other"


def _fmt_value(v) -> str:
    return str(v).lower() if isinstance(v, bool) else str(v)


def _parse_embedding(ctx: _Ctx, i: int, entry, base_dir, check_names: bool) -> list[EmbeddingSpec]:
    where = f"embeddings[{i}]"
    ctx.expect(where, entry, dict, "a table")
    ctx.unknown_keys(f"{where}.", entry, EMBEDDING_KEYS)
    if "name" not in entry:
        raise ctx.error(f"{where}.name", "missing: every embedding needs a name")
    name = ctx.expect(f"{where}.name", entry["name"], str, "a string")
    where = f"embeddings[{i}] ({name})"
    family = entry.get("family")
    if family is not None and family not in FAMILIES:
        raise ctx.error(f"{where}.family", f"unknown family {family!r}; allowed: {', '.join(FAMILIES)}")
    has_trainer, has_file = "trainer" in entry, "pretrained" in entry
    if has_trainer == has_file:
        raise ctx.error(where, "give exactly one of 'trainer' (to train) or 'pretrained' (a vector file)")
    if has_file:
        for key in ("params",):
            if key in entry:
                raise ctx.error(f"{where}.{key}", "only for trained embeddings (this one is pretrained)")
        path = _resolve_input(ctx.expect(f"{where}.pretrained", entry["pretrained"], str, "a file path"), base_dir)
        if not Path(path).exists():
            raise ctx.error(f"{where}.pretrained", f"file not found: {path}")
        fmt = entry.get("format")
        if fmt is not None and fmt not in FORMATS:
            raise ctx.error(f"{where}.format", f"unknown format {fmt!r}{suggest(str(fmt), FORMATS)}; allowed: {', '.join(FORMATS)}")
        return [EmbeddingSpec(name=name, base=name, pretrained=path, format=fmt, family=family or _family(None, name))]
    if "format" in entry:
        raise ctx.error(f"{where}.format", "only for pretrained embeddings")
    trainer = ctx.expect(f"{where}.trainer", entry["trainer"], str, "a trainer name")
    params = entry.get("params", {})
    ctx.expect(f"{where}.params", params, dict, "a table of trainer parameters")
    cls = None
    if check_names:
        from evalsuite.trainers import get_trainer

        try:
            cls = get_trainer(trainer)
        except EvalsuiteError as exc:
            raise ctx.error(f"{where}.trainer", str(exc)) from None
        allowed = cls.param_names()
        ctx.unknown_keys(f"{where}.params.", params, allowed)
    swept = {k: v for k, v in params.items() if isinstance(v, list)}
    for k, v in swept.items():
        if not v:
            raise ctx.error(f"{where}.params.{k}", "an empty list sweeps over nothing")
    keys = list(swept)
    specs = []
    for combo in itertools.product(*(swept[k] for k in keys)) if keys else [()]:
        chosen = dict(zip(keys, combo))
        values = {**params, **chosen}
        label = name + ("[" + ",".join(f"{k}={_fmt_value(v)}" for k, v in chosen.items()) + "]" if chosen else "")
        if cls is not None:
            try:
                cls(**values)
            except (TypeError, ValueError) as exc:
                raise ctx.error(f"{where}.params", f"invalid for trainer {trainer!r}: {exc}") from None
        specs.append(
            EmbeddingSpec(
                name=label,
                base=name,
                trainer=trainer,
                params=values,
                family=family or _family(trainer, name),
                sweep=chosen,
            )
        )
    return specs


def _validate_finetune(ctx: _Ctx, table) -> None:
    try:
        from evalsuite.tasks import classification
    except ImportError:
        return
    validator = getattr(classification, "validate_finetune_settings", None) or getattr(classification, "validate_settings", None)
    if validator is None:
        try:
            from evalsuite.tasks.classification.sweep import validate_finetune_settings as validator
        except ImportError:
            return
    try:
        validator(table)
    except (EvalsuiteError, ValueError, TypeError) as exc:
        msg = str(exc)
        raise ConfigError(msg if msg.startswith("finetune") else f"{ctx.source}: finetune: {msg}") from None


def _check_protocol(ctx: _Ctx, name: str) -> None:
    try:
        from evalsuite.protocol import get_protocol
    except ImportError:
        return
    try:
        get_protocol(name)
    except (EvalsuiteError, KeyError, ValueError) as exc:
        raise ctx.error("run.protocol", str(exc)) from None


def _check_tasks(ctx: _Ctx, tasks) -> None:
    try:
        from evalsuite.tasks.registry import get_task
    except ImportError:
        return
    for t in tasks:
        try:
            get_task(t)
        except (EvalsuiteError, KeyError, ValueError, OSError) as exc:
            raise ctx.error("tasks", str(exc)) from None
