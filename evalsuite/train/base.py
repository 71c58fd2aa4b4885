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
    :meth:`get_params` can read them back; a bad value fails at construction (or when the
    attribute is set), and config loading checks exactly the same rules once, handing
    :meth:`from_resolved` the resolved parameters.
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
        their defaults), validated (see :meth:`resolve_params`)."""
        self._assign(type(self).resolve_params(params))

    @classmethod
    def from_resolved(cls, params: Mapping[str, Any]) -> "Trainer":
        """The trainer with ``params``, every declared parameter, already resolved and validated
        (:attr:`ResolvedTrainer.params`, as config loading gives them): not validated again."""
        trainer = cls.__new__(cls)
        trainer._assign(params)
        return trainer

    @classmethod
    def resolve_params(cls, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params`` (all or some) validated, with the declared defaults filled in.

        Raises
        ------
        TypeError
            For a keyword the trainer does not declare.
        ParameterError
            Naming the parameter and the accepted values.
        """
        unknown = sorted(set(params) - set(cls.default_params()))
        if unknown:
            raise TypeError(f"{cls.__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        cls.validate_params(params)
        return cls.complete_params(params)

    @classmethod
    def complete_params(cls, params: Mapping[str, Any]) -> dict[str, Any]:
        """``params``, whose values are validated already, with the declared defaults filled in
        and the relations across parameters checked.

        Raises
        ------
        ParameterError
            When a relation does not hold.
        """
        complete = {**cls.default_params(), **params}
        check_params(complete, {}, cls._parameter_relations, owner=cls.name)
        return complete

    @classmethod
    def resolve(cls, params: Mapping[str, Any]) -> "ResolvedTrainer":
        """This trainer with ``params`` resolved (:meth:`resolve_params`)."""
        return ResolvedTrainer(cls, cls.resolve_params(params))

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
        """Check each value of ``params`` (all or some of them) against its declared constraints
        (the relations across parameters are :meth:`complete_params`' part).

        Raises
        ------
        ParameterError
            Naming the parameter and the accepted values.
        TypeError
            When the trainer declares no ``_parameter_constraints``.
        """
        if cls._parameter_constraints is None:
            raise TypeError(f"{cls.__name__} declares no _parameter_constraints")
        check_params(params, cls._parameter_constraints, owner=cls.name)

    def _assign(self, values: Mapping[str, Any]) -> None:
        """Store each declared parameter's value in ``values`` as an attribute (no validation)."""
        for name in self.param_names():
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        """A declared parameter set after construction is validated, with the relations."""
        if name in (type(self)._parameter_defaults or ()):
            self.resolve_params({**self.get_params(), name: value})
        object.__setattr__(self, name, value)

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

    def _check_fit(self, seed) -> int:
        """The training ``seed``, checked (an int in ``[0, 2**32)``); the parameters were at construction."""
        from evalsuite.train.limits import check_seed

        return check_seed(seed, owner=self.name)

    @abc.abstractmethod
    def fit(self, corpus, *, seed: int = 0, callbacks: Sequence[TrainerCallback] = ()) -> Embeddings:
        """Train on ``corpus`` and return the embeddings."""

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_params().items())
        return f"{type(self).__name__}({args})"


@dataclass(frozen=True)
class ResolvedTrainer:
    """A trainer class with its resolved parameters: every declared one, validated, defaults filled in.

    What a config's trained embedding carries (``EmbeddingSpec.resolved``): the parameters
    are those :meth:`Trainer.get_params` gives, the ones the cache key is built from.

    Parameters
    ----------
    cls : type of Trainer
        The registered trainer class.
    params : mapping
        Parameter name -> value, for every declared parameter, in declaration order.
    """

    cls: type[Trainer]
    params: Mapping[str, Any]

    def build(self) -> Trainer:
        """The trainer, built without validating again (:meth:`Trainer.from_resolved`)."""
        return self.cls.from_resolved(self.params)


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
