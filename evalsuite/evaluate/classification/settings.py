"""The fine-tuning settings: each one's default and accepted values, declared once.

:data:`SETTINGS` declares every setting of the ``[finetune]`` table the way trainers declare
``_parameter_defaults`` and ``_parameter_constraints`` (:mod:`evalsuite.train.params`): its
default, its constraints and what it belongs to (one training, the data, the dataset's
columns or the whole run). :class:`FinetuneSettings` is a ``[finetune]`` table checked
against them once, normalised: config loading builds it, the sweep expansion and the
training read it and check nothing again.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Iterator, Mapping

from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest
from evalsuite.train.limits import SEED
from evalsuite.train.params import (
    Boolean, Integral, Interval, ListOf, NonEmptyString, Options, ParameterError, Real, validate_value,
)


@dataclass(frozen=True)
class Setting:
    """One fine-tuning setting.

    Parameters
    ----------
    default : object
        Its value when the table does not give it.
    constraints : list
        The accepted values (:mod:`evalsuite.train.params`); a list value sweeps, each item checked.
    scope : {"training", "data", "column", "run"}
        ``training``: a setting of one classifier training; ``data``: of the prepared split;
        ``column``: which CSV column to read; ``run``: of the whole fine-tuning run.
    """

    default: Any
    constraints: list
    scope: str


_INT_1 = Interval(Integral, 1, None, closed="left")
_NON_NEGATIVE = Interval(Real, 0, None, closed="left")
_POSITIVE = Interval(Real, 0, None, closed="neither")
_FRACTION = Interval(Real, 0, 0.9, closed="right")


def _declare(scope: str, **settings) -> dict[str, Setting]:
    return {k: Setting(default, constraints, scope) for k, (default, constraints) in settings.items()}


#: every setting of the ``[finetune]`` table: its default, accepted values and scope (the one home of each)
SETTINGS: dict[str, Setting] = {
    **_declare(
        "training",
        epochs=(10, [_INT_1]), batch_size=(50, [_INT_1]),
        lr=(None, [_POSITIVE, None]),  # None: the optimizer's own (DEFAULT_LR)
        optimizer=("adam", [Options("adam", "adamw", "adadelta", "sgd")]),
        weight_decay=(0.0, [_NON_NEGATIVE]),
        dropout=(None, [Interval(Real, 0, 0.99), None]),  # None: the model's own (DEFAULT_DROPOUT)
        l1=(0.0, [_NON_NEGATIVE]), l1_target=("embedding", [Options("embedding", "change")]),
        l2_sp=(0.0, [_NON_NEGATIVE]), max_norm=(None, [_NON_NEGATIVE, None]),
        embedding_max_norm=(None, [_NON_NEGATIVE, None]),
        patience=(None, [Interval(Integral, 0, None, closed="left"), None]),
        early_stopping=(True, [Boolean()]), select_by=("val_accuracy", [Options("val_accuracy", "val_loss")]),
        head=("linear", [Options("linear", "mlp")]), hidden=(100, [_INT_1]),
        widths=((3, 4, 5), [ListOf(_INT_1)]), filters=(100, [_INT_1]), threads=(1, [_INT_1, None]),
        embedding_update=("lazy", [Options("lazy", "dense")]),
        train_eval_size=(None, [Interval(Integral, 100, None, closed="left"), None]),
    ),
    **_declare(
        "data",
        val_fraction=(0.1, [_FRACTION]), test_fraction=(0.1, [_FRACTION]),
        folds=(0, [Interval(Integral, 0, 50)]), split_seed=(0, [Interval(Integral, 0, None, closed="left")]),
        min_count=(1, [_INT_1]), max_vocab=(None, [_INT_1, None]),
        max_length=(400, [Interval(Integral, 5, None, closed="left"), None]),
        subsample=(None, [Interval(Integral, 10, None, closed="left"), None]),
        init_scale=("auto", [Options("auto"), _POSITIVE]),
    ),
    **_declare("column", text_column=("text", [NonEmptyString()]), label_column=("label", [NonEmptyString()])),
    **_declare(
        "run",
        workers=(1, [Interval(Integral, 1, 64)]), sweep=("grid", [Options("grid", "one_at_a_time")]),
        seeds=((0,), SEED),
    ),
}

#: the axes of the sweep: plural key -> (singular key, default values, constraints of one value)
AXES: dict[str, tuple[str, tuple, list | None]] = {
    "datasets": ("dataset", ("mr",), [NonEmptyString()]),
    "models": ("model", ("bag",), [Options("bag", "cnn")]),
    "modes": ("mode", ("random", "frozen", "finetuned"), None),  # checked against MODE_ALIASES
}
MODE_ALIASES = {"random": "random", "rand": "random", "frozen": "frozen", "static": "frozen",
                "finetuned": "finetuned", "fine-tuned": "finetuned", "non-static": "finetuned",
                "nonstatic": "finetuned", "probe": "probe"}
#: learning rate of each optimizer when ``lr`` is None (Adadelta's rule has none: 1)
DEFAULT_LR = {"adam": 1e-3, "adamw": 1e-3, "adadelta": 1.0, "sgd": 0.1}
#: dropout of each model when ``dropout`` is None (Kim's CNN: 0.5)
DEFAULT_DROPOUT = {"bag": 0.0, "cnn": 0.5}
#: settings that act only on a trained embedding (collapsed to their default in frozen mode)
EMBEDDING_ONLY = ("l1", "l1_target", "l2_sp", "embedding_max_norm", "embedding_update")

_KEYS = set(SETTINGS) | set(AXES) | {single for single, _, _ in AXES.values()}


def defaults(*scopes: str) -> dict[str, Any]:
    """The declared default of every setting of ``scopes`` (``"training"``, ``"data"`` ...), in declaration order."""
    return {k: s.default for k, s in SETTINGS.items() if s.scope in scopes}


def learning_rate(params: Mapping) -> float:
    """``params["lr"]``, or the optimizer's own when it is None."""
    return params["lr"] if params["lr"] is not None else DEFAULT_LR[params["optimizer"]]


def _check(key: str, values: list, constraints: list) -> tuple:
    """Each of ``values`` checked against ``constraints`` and normalised."""
    out = []
    for j, v in enumerate(values):
        try:
            out.append(validate_value(key, v, constraints))
        except ParameterError as exc:
            name = f"finetune.{key}" + (f"[{j}]" if len(values) > 1 else "")
            raise ParameterError(name, exc.problem) from None
    return tuple(out)


def _values(key: str, v) -> list:
    """A setting as the list of values it sweeps over."""
    if key == "widths":
        return [v] if not (isinstance(v, (list, tuple)) and v and isinstance(v[0], (list, tuple))) else list(v)
    if isinstance(v, (list, tuple)):
        if not v:
            raise ParameterError(f"finetune.{key}", "an empty list sweeps over nothing")
        return list(v)
    return [v]


def _axis(key: str, axis: str, value) -> tuple:
    vals = _values(key, value)
    if axis != "modes":
        return _check(key, vals, AXES[axis][2])
    bad = [v for v in vals if v not in MODE_ALIASES]
    if bad:
        raise ParameterError(f"finetune.{key}", f"unknown mode {bad[0]!r}{suggest(str(bad[0]), MODE_ALIASES)};"
                                                " use random, frozen (static) or finetuned (non-static)")
    return tuple(dict.fromkeys(MODE_ALIASES[v] for v in vals))


def _normalise(table: Mapping) -> dict[str, tuple]:
    """A ``[finetune]`` table as setting -> its valid values, the axes under their plural names."""
    if not isinstance(table, Mapping):
        raise ConfigError(f"finetune: expected a table, got {type(table).__name__}")
    out: dict[str, tuple] = {}
    for key, value in table.items():
        if key not in _KEYS:
            raise ParameterError(f"finetune.{key}", f"unknown setting{suggest(key, sorted(_KEYS))}")
        axis = next((a for a, (single, _, _) in AXES.items() if key in (a, single)), None)
        if axis is None:
            out[key] = _check(key, _values(key, value), SETTINGS[key].constraints)
            continue
        if axis in out:
            raise ParameterError(f"finetune.{key}", f"given twice (as {axis!r} and {AXES[axis][0]!r})")
        out[axis] = _axis(key, axis, value)
    for axis, (_single, default, _c) in AXES.items():
        out.setdefault(axis, default)
    for key in (k for k, s in SETTINGS.items() if s.scope == "run" and k != "seeds"):
        if len(out.get(key, ())) > 1:
            raise ConfigError(f"finetune.{key}: one value for the whole run, got {list(out[key])!r}")
    if "probe" in out["modes"] and "bag" not in out["models"]:
        raise ConfigError("finetune.modes: 'probe' reads the bag model's features; add 'bag' to models")
    return out


class FinetuneSettings(Mapping):
    """A ``[finetune]`` table, checked against :data:`SETTINGS` once and normalised.

    As a mapping it holds each given setting (and each axis: ``datasets``, ``models``,
    ``modes``, defaults filled in) as the tuple of its values; a setting with several
    values is swept. Settings not given take their declared default where they are used.

    Parameters
    ----------
    table : mapping, optional
        The ``[finetune]`` table: ``datasets``, ``models``, ``modes`` (or ``dataset``,
        ``model``, ``mode``) and any setting of :data:`SETTINGS`.
    **settings
        More settings, as keywords.

    Raises
    ------
    ParameterError
        Naming the offending key (``finetune.dropout[1]: must be a number in [0, 0.99] or
        None, got 1.5``).
    ConfigError
        When the table is not a table, or a run setting has several values.
    """

    def __init__(self, table: Mapping | None = None, **settings):
        self._values = MappingProxyType(_normalise({**dict(table or {}), **settings}))

    @classmethod
    def of(cls, settings: "FinetuneSettings | Mapping | None") -> "FinetuneSettings":
        """``settings`` itself when it is checked already, else a :class:`FinetuneSettings` of the mapping."""
        return settings if isinstance(settings, FinetuneSettings) else cls(settings)

    def __getitem__(self, key: str) -> tuple:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other) -> bool:
        return isinstance(other, FinetuneSettings) and dict(self._values) == dict(other._values)

    __hash__ = None  # a mapping

    def __repr__(self) -> str:
        return f"FinetuneSettings({dict(self._values)!r})"

    def first(self, key: str):
        """The (first) value of ``key``, or its declared default when the table does not give it."""
        return self._values[key][0] if key in self._values else SETTINGS[key].default

    @property
    def swept_keys(self) -> list[str]:
        """The given settings that vary from one training to the next (axes and run settings excluded)."""
        return [k for k in self._values if k not in AXES and SETTINGS[k].scope != "run"]

    @property
    def seeds(self) -> list[int]:
        """The fine-tuning seeds (``seeds``, default the declared one)."""
        return list(self._values.get("seeds", SETTINGS["seeds"].default))

    @property
    def workers(self) -> int:
        return self.first("workers")

    @property
    def one_at_a_time(self) -> bool:
        return self.first("sweep") == "one_at_a_time"

    def to_dict(self) -> dict:
        """Plain JSON: each key to the list of its values."""
        return {k: [list(v) if isinstance(v, tuple) else v for v in vals] for k, vals in self._values.items()}


__all__ = ["AXES", "DEFAULT_DROPOUT", "DEFAULT_LR", "EMBEDDING_ONLY", "FinetuneSettings", "MODE_ALIASES", "SETTINGS",
           "Setting", "defaults", "learning_rate"]
