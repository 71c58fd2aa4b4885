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

    [finetune]            # checked against the fine-tuning settings' constraints
    dataset = "mr"

    [compare]             # Word2Vec or GloVe: the two compared, fixed before any score is seen
    word2vec = "torch-sgns"   # or select = "dev": chosen on a seeded dev split of each dataset
    glove = "glove-6b"
    [compare.differences]     # matched settings that differ on purpose, and why
    epochs = "..."

Everything is checked before any work starts: each trainer parameter (each value of a
sweep) against the constraints its trainer declares, every sweep point as a whole,
the ``[finetune]`` settings, and the number of jobs against ``run.max_jobs`` (default
1000, counted without expanding the sweeps). Errors are
:class:`~evalsuite.core.errors.ConfigError` naming the file, the key path
(``embeddings[2] (sgns).params.window: must be an int >= 1, got 0``), the allowed values
and, for a misspelt key, the closest valid one. Old names of renamed trainer parameters
are accepted with a :class:`~evalsuite.train.params.ParameterRenamedWarning`.
    [baseline]            # `evalsuite run --baseline` and the regression gate of `evalsuite check`
    seeds = [0, 1, 2]     # training seeds of the baseline run (named "quick-baseline")
    level = 0.05          # family-wise false-alarm rate of the gate
    margin = 0.0          # a drop no larger than this never fails

Errors are :class:`~evalsuite.core.errors.ConfigError` naming the file, the key, the
allowed values and, for a misspelt key, the closest valid one.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Mapping

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from evalsuite.config.compare import parse_compare
from evalsuite.config.jobcount import DEFAULT_MAX_JOBS, MAX_JOBS_LIMIT, check_job_count
from evalsuite.config.limits import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_TASKS, check_depth, folder_name_problem
from evalsuite.config.sections import (
    ConfigContext,
    check_protocol,
    check_seeds,
    parse_baseline,
    check_tasks,
    expand_embedding,
    parse_corpus,
    parse_embedding,
    plain,
    resolve_input,
    validate_finetune,
)
from evalsuite.config.specs import DEFAULT_CACHE, BaselineSpec, CorpusSpec, EmbeddingSpec, RunConfig
from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest
from evalsuite.train.params import Integral, Interval, ParameterError, validate_value

DEFAULT_CONFIG = Path("benchmarks/default.toml")
TOP_KEYS = ("run", "corpus", "embeddings", "tasks", "finetune", "compare", "baseline")
RUN_KEYS = ("name", "output", "seeds", "protocol", "store", "cache", "executor", "address", "tasks", "max_jobs")
EXECUTORS = ("local", "ray")

__all__ = ["DEFAULT_CONFIG", "BaselineSpec", "CorpusSpec", "EmbeddingSpec", "RunConfig", "load_config", "parse_config"]


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
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: {size:,} bytes is too large for a config file; at most {MAX_CONFIG_BYTES:,}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}, byte {exc.start}: not UTF-8 text") from None
    except RecursionError:
        raise ConfigError(f"{path}: tables and arrays nest more than {MAX_DEPTH} levels deep") from None
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
    ctx = ConfigContext(source)
    base_dir = Path(base_dir) if base_dir is not None else None
    if not isinstance(raw, Mapping):
        raise ctx.error("<top>", "expected a table")
    check_depth(source, raw)
    ctx.unknown_keys("", raw, TOP_KEYS)

    run = raw.get("run", {})
    ctx.expect("run", run, dict, "a table [run]")
    settings = _parse_run(ctx, run, source)
    tasks = _parse_tasks(ctx, raw, run, base_dir)
    corpus = parse_corpus(ctx, raw.get("corpus"), base_dir)

    entries = raw.get("embeddings")
    if entries is None:
        raise ctx.error("embeddings", "missing: add at least one [[embeddings]] table")
    ctx.expect("embeddings", entries, list, "an array of tables [[embeddings]]")
    if not entries:
        raise ctx.error("embeddings", "empty: add at least one [[embeddings]] table")
    checked = [parse_embedding(ctx, i, entry, base_dir, check_names) for i, entry in enumerate(entries)]

    finetune = raw.get("finetune")
    if finetune is not None:
        ctx.expect("finetune", finetune, dict, "a table [finetune]")
        finetune = validate_finetune(ctx, finetune, check_files=check_names)
    check_job_count(ctx, checked, len(settings["seeds"]), finetune, settings["max_jobs"])
    specs: list[EmbeddingSpec] = [spec for entry in checked for spec in expand_embedding(ctx, entry)]
    seen: dict[str, int] = {}
    for spec in specs:
        if spec.name in seen:
            raise ctx.error("embeddings", f"two embeddings are named {spec.name!r}; give each a distinct name")
        seen[spec.name] = 1
    if corpus is None and any(not s.is_pretrained for s in specs):
        raise ctx.error("corpus", "missing: trained embeddings need a [corpus] table with name or path")
    compare = parse_compare(ctx, raw.get("compare"), specs)

    if check_names:
        check_protocol(ctx, settings["protocol"])
        check_tasks(ctx, tasks)

    baseline = parse_baseline(ctx, raw.get("baseline"))
    return RunConfig(embeddings=tuple(specs), tasks=tuple(tasks), corpus=corpus, finetune=finetune, compare=compare,
                     baseline=baseline, source=source, raw=plain(raw), **settings)


def _parse_tasks(ctx: ConfigContext, raw: Mapping, run: Mapping, base_dir) -> list[str]:
    """The task list (top level or in ``[run]``), file paths resolved against the config's folder."""
    if "tasks" in raw and "tasks" in run:
        raise ctx.error("tasks", "given both at top level and in [run]; keep one")
    tasks = raw.get("tasks", run.get("tasks"))
    if tasks is None:
        raise ctx.error("tasks", "missing: list the evaluation tasks, e.g. tasks = [\"ws353\", \"google\"]")
    ctx.expect("tasks", tasks, list, "a list of task names")
    if len(tasks) > MAX_TASKS:
        raise ctx.error("tasks", f"{len(tasks):,} entries; at most {MAX_TASKS:,}")
    if not all(isinstance(t, str) and t for t in tasks):
        raise ctx.error("tasks", f"expected a list of task names, got {tasks!r}")
    if len(set(tasks)) != len(tasks):
        raise ctx.error("tasks", "duplicate task names")
    return [resolve_input(t, base_dir) if ("/" in t or t.endswith((".txt", ".tsv", ".csv"))) else t for t in tasks]


def _parse_run(ctx: ConfigContext, run: Mapping, source: str) -> dict:
    """The ``[run]`` table checked, as keyword arguments of :class:`RunConfig` (defaults filled in)."""
    ctx.unknown_keys("run.", run, RUN_KEYS)
    name = ctx.expect("run.name", run.get("name", Path(source).stem if source[:1] != "<" else "run"), str, "a string")
    problem = folder_name_problem(name)
    if problem:
        raise ctx.error("run.name", problem)
    seeds = run.get("seeds", [0])
    if isinstance(seeds, int) and not isinstance(seeds, bool):
        seeds = [seeds]
    seeds = check_seeds(ctx, "run.seeds", seeds)
    protocol = ctx.expect("run.protocol", run.get("protocol", "default"), str, "a string")
    executor = ctx.expect("run.executor", run.get("executor", "local"), str, "a string")
    if executor not in EXECUTORS:
        raise ctx.error("run.executor", f"unknown executor {executor!r}{suggest(executor, EXECUTORS)}; allowed: {', '.join(EXECUTORS)}")
    address = run.get("address")
    if address is not None:
        ctx.expect("run.address", address, str, "a string")
    output = ctx.expect("run.output", run.get("output", "reports"), str, "a folder path")
    store = ctx.expect("run.store", run.get("store", str(Path(output) / "results.sqlite")), str, "a file path")
    cache = ctx.expect("run.cache", run.get("cache", DEFAULT_CACHE), str, "a folder path")

    try:
        max_jobs = validate_value("max_jobs", run.get("max_jobs", DEFAULT_MAX_JOBS),
                                  [Interval(Integral, 1, MAX_JOBS_LIMIT)])
    except ParameterError as exc:
        raise ctx.error("run.max_jobs", exc.problem) from None
    return dict(name=name, seeds=tuple(seeds), protocol=protocol, executor=executor, address=address, output=output,
                store=store, cache=cache, max_jobs=max_jobs)
