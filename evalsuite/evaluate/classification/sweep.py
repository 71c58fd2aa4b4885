"""The ``[finetune]`` settings: validation and expansion of list values into a sweep
(:mod:`~evalsuite.evaluate.classification.runs` prepares and runs it)."""

from __future__ import annotations

import itertools
import math
from typing import Mapping

from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest
from evalsuite.evaluate.classification.task import DATA_DEFAULTS
from evalsuite.evaluate.classification.train import TRAIN_DEFAULTS
from evalsuite.train.limits import SEED
from evalsuite.train.params import (
    Boolean,
    Integral,
    Interval,
    ListOf,
    NonEmptyString,
    Options,
    ParameterError,
    Real,
    validate_value,
)

MODE_ALIASES = {"random": "random", "rand": "random", "frozen": "frozen", "static": "frozen",
                "finetuned": "finetuned", "fine-tuned": "finetuned", "non-static": "finetuned",
                "nonstatic": "finetuned", "probe": "probe"}
AXES = {"datasets": ("dataset", ["mr"]), "models": ("model", ["bag"]),
        "modes": ("mode", ["random", "frozen", "finetuned"])}
#: settings that act only on a trained embedding (collapsed to their default in frozen mode)
EMBEDDING_ONLY = ("l1", "l1_target", "l2_sp", "embedding_max_norm", "embedding_update")
#: settings of the whole fine-tuning run, not of one training
RUN_KEYS = ("workers", "sweep")
DATA_KEYS = tuple(DATA_DEFAULTS) + ("text_column", "label_column")


_INT_1 = Interval(Integral, 1, None, closed="left")
_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_POSITIVE = Interval(Real, 0, None, closed="neither")
_FRACTION = Interval(Real, 0, 0.9, closed="right")

#: the accepted values of each setting (a list value sweeps: each of its items must be accepted)
FINETUNE_CONSTRAINTS = {
    "epochs": [_INT_1], "batch_size": [_INT_1], "lr": [_POSITIVE, None],
    "optimizer": [Options("adam", "adamw", "adadelta", "sgd")], "weight_decay": [_NON_NEGATIVE],
    "dropout": [Interval(Real, 0, 0.99), None], "l1": [_NON_NEGATIVE], "l1_target": [Options("embedding", "change")],
    "l2_sp": [_NON_NEGATIVE], "max_norm": [_NON_NEGATIVE, None],
    "patience": [Interval(Integral, 0, None, closed="left"), None],
    "select_by": [Options("val_accuracy", "val_loss")], "head": [Options("linear", "mlp")],
    "hidden": [_INT_1], "widths": [ListOf(_INT_1)], "filters": [_INT_1],
    "threads": [_INT_1, None], "embedding_update": [Options("lazy", "dense")],
    "val_fraction": [_FRACTION], "test_fraction": [_FRACTION],
    "folds": [Interval(Integral, 0, 50)], "split_seed": [Interval(Integral, 0, None, closed="left")],
    "min_count": [_INT_1], "max_vocab": [_INT_1, None], "max_length": [Interval(Integral, 5, None, closed="left"), None],
    "subsample": [Interval(Integral, 10, None, closed="left"), None], "init_scale": [Options("auto"), _POSITIVE],
    "text_column": [NonEmptyString()], "label_column": [NonEmptyString()],
    "dataset": [NonEmptyString()], "model": [Options("bag", "cnn")],
    "seeds": SEED,
    # Kim's CNN, the probe and the run (one-at-a-time sweeps, worker processes)
    "embedding_max_norm": [_NON_NEGATIVE, None], "early_stopping": [Boolean()],
    "workers": [Interval(Integral, 1, 64)], "sweep": [Options("grid", "one_at_a_time")],
    "train_eval_size": [Interval(Integral, 100, None, closed="left"), None],
}
_ALL_KEYS = set(FINETUNE_CONSTRAINTS) | set(AXES) | {"mode"}


def _check(key: str, values: list, constraint_key: str | None = None) -> list:
    """Each of ``values`` checked against the setting's constraints and normalised."""
    declared = FINETUNE_CONSTRAINTS[constraint_key or key]
    out = []
    for j, v in enumerate(values):
        try:
            out.append(validate_value(key, v, declared))
        except ParameterError as exc:
            name = f"finetune.{key}" + (f"[{j}]" if len(values) > 1 else "")
            raise ParameterError(name, exc.problem) from None
    return out


def _values(key, v) -> list:
    """A setting as the list of values it sweeps over."""
    if key == "widths":
        return [v] if not (isinstance(v, list) and v and isinstance(v[0], (list, tuple))) else list(v)
    if isinstance(v, (list, tuple)):
        if not v:
            raise ParameterError(f"finetune.{key}", "an empty list sweeps over nothing")
        return list(v)
    return [v]


def validate_finetune_settings(settings: Mapping) -> dict:
    """Check a ``[finetune]`` table; return it normalised (every key a list of valid values).

    Raises
    ------
    ParameterError
        Naming the offending key (``finetune.dropout: must be a number in [0, 0.99] or None,
        got 1.5``), checked against :data:`FINETUNE_CONSTRAINTS`.
    """
    if not isinstance(settings, Mapping):
        raise ConfigError(f"finetune: expected a table, got {type(settings).__name__}")
    out: dict[str, list] = {}
    for key, value in settings.items():
        if key not in _ALL_KEYS:
            raise ParameterError(f"finetune.{key}", f"unknown setting{suggest(key, sorted(_ALL_KEYS))}")
        axis = next((a for a, (single, _) in AXES.items() if key in (a, single)), None)
        if axis is None:
            out[key] = _check(key, _values(key, value))
            continue
        if axis in out:
            raise ParameterError(f"finetune.{key}", f"given twice (as {axis!r} and {AXES[axis][0]!r})")
        vals = _values(key, value)
        if axis == "modes":
            bad = [v for v in vals if v not in MODE_ALIASES]
            if bad:
                raise ParameterError(f"finetune.{key}", f"unknown mode {bad[0]!r}{suggest(str(bad[0]), MODE_ALIASES)};"
                                                        " use random, frozen (static) or finetuned (non-static)")
            vals = list(dict.fromkeys(MODE_ALIASES[v] for v in vals))
        else:
            vals = _check(key, vals, AXES[axis][0])
        out[axis] = vals
    for axis, (_single, default) in AXES.items():
        out.setdefault(axis, list(default))
    for key in RUN_KEYS:
        if len(out.get(key, [None])) > 1:
            raise ConfigError(f"finetune.{key}: one value for the whole run, got {out[key]!r}")
    if "probe" in out["modes"] and "bag" not in out["models"]:
        raise ConfigError("finetune.modes: 'probe' reads the bag model's features; add 'bag' to models")
    return out


def _combos(norm: Mapping, keys: list[str]) -> list[tuple[dict, str | None]]:
    """Settings of each run and the swept key it varies (``None`` for the shared base).

    ``sweep = "grid"`` (default): every combination. ``"one_at_a_time"``: the base (the
    first value of every list), then each other value of one list with the rest at base.
    """
    if norm.get("sweep", ["grid"])[0] == "grid":
        return [(dict(zip(keys, combo)), None) for combo in itertools.product(*(norm[k] for k in keys))]
    base = {k: norm[k][0] for k in keys}
    out = [(base, None)]
    for k in keys:
        out += [({**base, k: v}, k) for v in norm[k][1:]]
    return out


def _mode_for(model: str, mode: str) -> str | None:
    """The mode a (model, mode) pair runs as: bag's frozen mode is the probe; only bag has one."""
    if model == "bag" and mode == "frozen":
        return "probe"
    if model != "bag" and mode == "probe":
        return None
    return mode


def expand(settings: Mapping) -> list[dict]:
    """Every run of the sweep (frozen mode skips embedding-only penalties, the probe every training setting).

    Each entry holds ``dataset``, ``model``, ``mode``, ``params`` (one value per key),
    ``varied`` (the swept keys whose value differs between entries) and ``sweep``
    (for one-at-a-time sweeps: ``{"kind", "axis", "base"}``, else ``None``).
    """
    norm = validate_finetune_settings(settings)
    keys = [k for k in norm if k not in AXES and k not in RUN_KEYS and k != "seeds"]
    swept = {k for k in keys if len(norm[k]) > 1}
    one_at_a_time = norm.get("sweep", ["grid"])[0] == "one_at_a_time"
    seen, runs = set(), []
    for dataset, model, asked in itertools.product(norm["datasets"], norm["models"], norm["modes"]):
        mode = _mode_for(model, asked)
        if mode is None:
            continue
        for params, axis in _combos(norm, keys):
            params = dict(params)
            collapse = [k for k in params if k in TRAIN_DEFAULTS] if mode == "probe" else \
                (EMBEDDING_ONLY if mode == "frozen" else ())
            for k in collapse:
                if k in params:
                    params[k] = TRAIN_DEFAULTS[k]
            ident = (dataset, model, mode, tuple(sorted((k, str(v)) for k, v in params.items())))
            if ident in seen:
                continue
            seen.add(ident)
            varied = ({axis: params[axis]} if axis else {}) if one_at_a_time else \
                {k: params[k] for k in sorted(swept) if k not in collapse}
            sweep = {"kind": "one_at_a_time", "axis": axis, "base": {k: norm[k][0] for k in sorted(swept)}} \
                if one_at_a_time else None
            runs.append({"dataset": dataset, "model": model, "mode": mode, "params": params, "varied": varied,
                         "sweep": sweep})
    return runs


def _collapsed(mode: str, keys) -> set[str]:
    """Settings that :func:`expand` sets to their default in ``mode`` (so they do not multiply runs)."""
    if mode == "probe":
        return {k for k in keys if k in TRAIN_DEFAULTS}
    return set(EMBEDDING_ONLY) if mode == "frozen" else set()


def count_runs(norm: Mapping) -> int:
    """How many entries :func:`expand` gives for the normalised settings ``norm``, without expanding.

    Duplicates (by their string form, as :func:`expand` compares them) count once; settings a
    mode does not use (:func:`_collapsed`) count as one value; a one-at-a-time sweep counts its
    base and each other value of each list once.
    """
    keys = [k for k in norm if k not in AXES and k not in RUN_KEYS and k != "seeds"]
    one_at_a_time = norm.get("sweep", ["grid"])[0] == "one_at_a_time"
    setups = {(str(d), str(m), _mode_for(m, a)) for d in norm["datasets"] for m in norm["models"]
              for a in norm["modes"]}
    total = 0
    for _, _, mode in setups:
        if mode is None:
            continue
        live = [k for k in keys if k not in _collapsed(mode, keys)]
        values = {k: {str(v) for v in norm[k]} for k in live}
        if one_at_a_time:
            total += 1 + sum(len(values[k] - {str(norm[k][0])}) for k in live)
        else:
            total += math.prod(len(v) for v in values.values())
    return total


def sweep_factors(norm: Mapping) -> list[tuple[str, int]]:
    """The settings of ``norm`` that take several values, with their number of values."""
    return [(k, len(v)) for k, v in norm.items() if k != "seeds" and len(v) > 1]


__all__ = ["FINETUNE_CONSTRAINTS", "count_runs", "expand", "sweep_factors", "validate_finetune_settings"]
