"""``evalsuite train``: train one embedding model on a corpus and write the vectors.

A thin layer over :mod:`evalsuite.api.training`: the trainer and its ``--set`` parameters are
resolved as a config's embedding is (old names warn, unknown names and bad values are errors,
in the same words), and the matrix comes from, or goes into, the same cache as ``evalsuite run``'s.
"""

from __future__ import annotations

import sys
from typing import Any

from evalsuite.config.sections import ConfigContext, lookup_trainer, trainer_params
from evalsuite.config.specs import DEFAULT_CACHE, EmbeddingSpec
from evalsuite.core.errors import ConfigError, EvalsuiteError

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def add_parser(subparsers) -> None:
    p = subparsers.add_parser(
        "train",
        help="train embeddings on a corpus",
        description="Train a registered trainer on a corpus file, folder or built-in corpus and write the vectors.",
    )
    p.add_argument("trainer", nargs="?", metavar="TRAINER", help="trainer name (see --list)")
    p.add_argument("--list", action="store_true", help="list trainers with their parameters and defaults")
    p.add_argument("--corpus", metavar="PATH|imdb|lee", help="text file(s) (.gz/.bz2 ok), folder or built-in corpus")
    p.add_argument("--output", metavar="FILE", help="where to write the vectors")
    p.add_argument("--format", default=None, metavar="FMT", help="vector format (default: from the file extension)")
    p.add_argument("--set", dest="settings", action="append", default=[], metavar="KEY=VALUE",
                   help="trainer parameter (repeatable), e.g. --set window=10")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--stopwords", action="store_true", help="remove English stop words")
    p.add_argument("--phrases", action="store_true", help="join frequent bigrams (new_york)")
    p.add_argument("--cache-dir", default=DEFAULT_CACHE, metavar="DIR",
                   help=f"cache of trained matrices, shared with `evalsuite run` (default {DEFAULT_CACHE})")
    p.add_argument("--no-cache", action="store_true", help="train even when the cache holds the matrix "
                   "(the new one is still stored)")
    p.set_defaults(func=run)


def parse_value(key: str, text: str, default: Any) -> Any:
    """Parse ``text`` as the type of the parameter's default (``None`` defaults: int, float or str)."""
    low = text.strip().lower()
    try:
        if isinstance(default, bool):
            if low in _TRUE | _FALSE:
                return low in _TRUE
            raise ValueError
        if low in ("none", "null") and default is None:
            return None
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
        if default is None:
            for conv in (int, float):
                try:
                    return conv(text)
                except ValueError:
                    pass
            return text
        return text
    except ValueError:
        kind = "true/false" if isinstance(default, bool) else type(default).__name__
        raise ConfigError(f"--set {key}={text}: expected a {kind} value") from None


class SettingsContext(ConfigContext):
    """Errors and warnings about ``--set`` items, named ``--set KEY``."""

    def __init__(self):
        super().__init__("--set")

    def where(self, key: str) -> str:
        return f"--set {key}"


def parse_settings(trainer_cls, settings) -> dict[str, Any]:
    """``["key=value", ...]`` -> keyword arguments of ``trainer_cls`` under their current
    names, typed by their defaults.

    An old name of a renamed parameter is translated, with a
    :class:`~evalsuite.train.params.ParameterRenamedWarning` naming the new one; an
    unknown name is an error, as in a config.
    """
    given: dict[str, str] = {}
    for item in settings:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(f"--set {item}: expected KEY=VALUE")
        given[key] = value
    defaults = trainer_cls.default_params()
    named = trainer_params(SettingsContext(), "", trainer_cls, given)
    return {key: parse_value(key, value, defaults[key]) for key, value in named.items()}


def resolve_settings(trainer: str, settings) -> EmbeddingSpec:
    """The embedding ``trainer`` trains with the ``--set`` items, resolved as a config's is
    (:func:`evalsuite.api.training.embedding_spec`)."""
    from evalsuite.api.training import embedding_spec

    ctx = SettingsContext()
    cls = lookup_trainer(ctx, "TRAINER", trainer)
    return embedding_spec(trainer, cls, parse_settings(cls, settings), ctx)


def parse_seed(seed: int) -> int:
    """``--seed``, checked by the trainers' seed rule (an int in ``[0, 2**32)``) before any work."""
    from evalsuite.api.training import check_seed

    return check_seed(seed, f"--seed {seed}")


def list_trainers(file=None) -> None:
    """Print a table of trainers, parameters and defaults."""
    from rich.console import Console
    from rich.table import Table

    import evalsuite.train.builtin  # noqa: F401  (registers the built-in trainers)
    from evalsuite.train import trainer_registry

    from evalsuite.train.params import describe

    table = Table(title="trainers")
    table.add_column("trainer", style="bold")
    table.add_column("parameter")
    table.add_column("default")
    table.add_column("allowed")
    for name, cls in trainer_registry.items():
        constraints = cls._parameter_constraints
        old_names: dict[str, list[str]] = {}
        for old, new in cls._renamed_parameters.items():
            old_names.setdefault(new, []).append(old)
        for i, (param, default) in enumerate(cls.default_params().items()):
            label = f"{param} (was {', '.join(old_names[param])})" if param in old_names else param
            allowed = describe(constraints[param]) if param in constraints else ""
            allowed = "; ".join([allowed] + [r.summary for r in cls._parameter_relations if r.param == param])
            table.add_row(name if i == 0 else "", label, repr(default), allowed)
        table.add_section()
    Console(file=file or sys.stdout, width=120).print(table)


def run(args) -> int:
    if args.list:
        list_trainers()
        return 0
    if not args.trainer:
        raise EvalsuiteError("train: give a TRAINER name (or --list)")
    if not args.corpus or not args.output:
        raise EvalsuiteError("train: --corpus and --output are required")
    from evalsuite.core.markup import rich_text
    from evalsuite.core.progress import console
    from evalsuite.api.training import obtain
    from evalsuite.data.vectors.api import check_output
    from evalsuite.train.callbacks import ProgressCallback

    check_output(args.output, args.format)  # before training: a name that cannot be written
    spec = resolve_settings(args.trainer, args.settings)
    seed = parse_seed(args.seed)
    emb, record, hit = obtain(spec, args.corpus, seed=seed, stopwords=args.stopwords, phrases=args.phrases,
                              cache_dir=args.cache_dir, use_cache=not args.no_cache, callbacks=[ProgressCallback()])
    if hit:
        console().print(rich_text(f"{spec.name}: from the cache in {args.cache_dir} ({record.cache_key})"))

    from evalsuite.data.vectors import save_embeddings  # lazily: the io package is optional at import time

    save_embeddings(emb, args.output, args.format)
    history = emb.meta.get("history") or []
    last = f", final loss {history[-1]['loss']:.4f}" if history else ""
    console().print(rich_text(
        f"wrote {len(emb)} words x {emb.dim} to {args.output} "
        f"({emb.meta.get('train_seconds', float('nan')):.1f} s{last})"
    ))
    return 0
