"""The trainer contract, callbacks and registry."""

from __future__ import annotations

import abc
import warnings
from dataclasses import dataclass
from typing import Any, Callable, ClassVar, Mapping, Sequence

from evalsuite.core.embeddings import Embeddings
from evalsuite.core.registry import Registry
from evalsuite.native import NativeKernelError
from evalsuite.train.params import Relation, validate_params as check_params


@dataclass(frozen=True)
class EpochStats:
    """What a trainer reports at the end of each epoch.

    Parameters
    ----------
    epoch : int
        1-based epoch number.
    loss : float
        Mean training loss over the epoch (``nan`` if the backend gives none).
    items_per_second : float
        Throughput: words/s for Word2Vec, co-occurrence nonzeros/s for GloVe.
    seconds : float
        Wall time of the epoch.
    unit : str
        ``"words"`` or ``"nonzeros"``.
    """

    epoch: int
    loss: float
    items_per_second: float
    seconds: float
    unit: str = "words"


class TrainerCallback:
    """Hooks called by trainers; override what you need."""

    def on_train_begin(self, trainer: "Trainer", total_epochs: int) -> None:
        pass

    def on_epoch_end(self, trainer: "Trainer", stats: EpochStats) -> None:
        pass

    def on_train_end(self, trainer: "Trainer", embeddings: Embeddings) -> None:
        pass

    def on_train_error(self, trainer: "Trainer", error: BaseException) -> None:
        """Called when ``fit`` fails (a bar can close itself); the error propagates."""


class Trainer(abc.ABC):
    """Base class: declared keyword parameters, ``fit`` returns Embeddings.

    Subclasses declare their parameters once: their defaults, in display order, in
    ``_parameter_defaults`` and the accepted values of each in ``_parameter_constraints``
    (see :mod:`evalsuite.train.params`). The constructor takes exactly those keywords and
    stores each as an attribute of the same name (scikit-learn convention), so
    :meth:`get_params` can read them back; a bad value fails at construction, and config
    loading checks exactly the same rules.
    """

    name: ClassVar[str] = ""
    #: raised when a change to the algorithm changes the matrices it trains, so
    #: that cached matrices of the previous version are not reused
    version: ClassVar[int] = 1
    #: parameter name -> list of constraints (a value must satisfy one); every trainer declares it
    _parameter_constraints: ClassVar[Mapping[str, list] | None] = None
    #: parameter name -> default, in display order: the constructor's keywords; every trainer declares it
    _parameter_defaults: ClassVar[Mapping[str, Any] | None] = None
    #: checks across parameters, run after the per-parameter ones
    _parameter_relations: ClassVar[tuple[Relation, ...]] = ()
    #: old parameter name -> new name; the old one is still accepted by config and CLI
    _renamed_parameters: ClassVar[Mapping[str, str]] = {}

    def __init__(self, **params: Any):
        """Take the parameters declared in ``_parameter_defaults`` as keywords (the rest keep
        their defaults), then validate them."""
        defaults = type(self).default_params()
        unknown = sorted(set(params) - set(defaults))
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        self._set_params({**defaults, **params})

    @classmethod
    def param_names(cls) -> list[str]:
        """Constructor keyword names, in declaration order."""
        return list(cls.default_params())

    @classmethod
    def default_params(cls) -> dict[str, Any]:
        """Constructor defaults, as declared in ``_parameter_defaults``.

        Raises
        ------
        TypeError
            When the trainer declares no ``_parameter_defaults``.
        """
        if cls._parameter_defaults is None:
            raise TypeError(f"{cls.__name__} declares no _parameter_defaults")
        return dict(cls._parameter_defaults)

    def get_params(self) -> dict[str, Any]:
        """Current parameter values (a copy)."""
        return {n: getattr(self, n) for n in self.param_names()}

    @classmethod
    def validate_params(cls, params: Mapping[str, Any]) -> None:
        """Check ``params`` (all or some of them) against the declared constraints.

        Relations are checked only when every parameter is given.

        Raises
        ------
        ParameterError
            Naming the parameter and the accepted values.
        TypeError
            When the trainer declares no ``_parameter_constraints``.
        """
        if cls._parameter_constraints is None:
            raise TypeError(f"{cls.__name__} declares no _parameter_constraints")
        complete = set(params) >= set(cls._parameter_constraints)
        check_params(params, cls._parameter_constraints, cls._parameter_relations if complete else (),
                        owner=cls.name)

    def _set_params(self, values: Mapping[str, Any]) -> None:
        """Store each declared parameter's value in ``values`` as an attribute, then validate."""
        for name in self.param_names():
            setattr(self, name, values[name])
        self._validate_params()

    def _compiled_kernel(self, load: Callable[..., Any]):
        """``load(required=True)`` for ``kernel`` "native" or "auto"; None for "torch", or for "auto"
        (with a warning) when the kernel cannot be built, so the batched PyTorch path runs instead."""
        if self.kernel == "torch":
            return None
        try:
            return load(required=True)
        except NativeKernelError as exc:
            if self.kernel == "native":
                raise
            warnings.warn(f"{self.name}: using the batched PyTorch kernel, the compiled one is not available: "
                          f"{exc}", RuntimeWarning, stacklevel=4)
            return None

    def _validate_params(self) -> None:
        """Check the current parameters (called at the end of ``__init__`` and before training)."""
        self.validate_params(self.get_params())

    def _check_fit(self, seed) -> int:
        """Check the parameters and ``seed`` (an int in ``[0, 2**32)``) before training; returns the seed."""
        from evalsuite.train.limits import check_seed

        self._validate_params()
        return check_seed(seed, owner=self.name)

    @abc.abstractmethod
    def fit(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()) -> Embeddings:
        """Train on ``corpus`` and return the embeddings."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


trainer_registry: Registry[type[Trainer]] = Registry("trainer")


def register_trainer(cls: type[Trainer]) -> type[Trainer]:
    """Class decorator registering a trainer under ``cls.name``.

    The trainer must declare constraints for exactly its constructor parameters, and
    rename old names to parameters it has.
    """
    declared, names = cls._parameter_constraints, cls.param_names()
    if declared is None or set(declared) != set(names):
        missing = sorted(set(names) - set(declared or {}))
        extra = sorted(set(declared or {}) - set(names))
        raise TypeError(f"trainer {cls.name!r}: _parameter_constraints must cover its parameters "
                        f"(undeclared: {missing}, unknown: {extra})")
    bad = {old: new for old, new in cls._renamed_parameters.items() if new not in names or old in names}
    if bad:
        raise TypeError(f"trainer {cls.name!r}: _renamed_parameters maps to unknown or kept names: {bad}")
    trainer_registry.register(cls.name, cls)
    return cls


def get_trainer(name: str) -> type[Trainer]:
    """The trainer class registered as ``name`` (imports the built-in trainers first)."""
    import evalsuite.train.builtin  # noqa: F401  (registers built-ins)

    return trainer_registry.get(name)
