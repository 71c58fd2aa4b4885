"""Declared parameter constraints, in the style of scikit-learn's ``_parameter_constraints``.

A trainer (or any settings table, such as ``[finetune]``) declares, for each parameter, a
list of constraints; a value is valid when it satisfies any of them::

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],     # an int >= 1
        "max_final_vocab": [Interval(Integral, 1, None, closed="left"), None],  # ... or None
        "output": [Options("W", "W+C")],
        "symmetric": [Boolean()],
    }

:func:`validate_value` checks one value and :func:`validate_params` a whole mapping;
both raise :class:`ParameterError`, which carries the parameter's name apart from the
problem so that a config can report the full key path
(``embeddings[2] (torch-sgns).params.window: must be an int >= 1, got 0``).
Checks that involve several parameters are :class:`Relation` objects.
"""

from __future__ import annotations

import abc
import codecs
import math
import numbers
import warnings
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, Callable, Mapping, Sequence

from evalsuite.core.errors import ConfigError
from evalsuite.core.registry import suggest

__all__ = [
    "Boolean", "Constraint", "Integral", "Interval", "ListOf", "NonEmptyString", "Options", "ParameterError",
    "ParameterRenamedWarning", "Real", "Relation", "TextEncoding", "describe", "rename_params", "validate_params", "validate_value",
    "warn_renamed",
]


class ParameterError(ConfigError):
    """A parameter value breaks its declared constraints.

    Parameters
    ----------
    param : str
        The parameter's name (with ``[i]`` for the i-th value of a list).
    problem : str
        What is wrong, e.g. ``"must be an int >= 1, got 0"``.
    owner : str, optional
        Who the parameter belongs to (a trainer name), put before it in the message.
    """

    def __init__(self, param: str, problem: str, *, owner: str | None = None):
        self.param, self.problem, self.owner = param, problem, owner
        super().__init__(f"{owner}: {param}: {problem}" if owner else f"{param}: {problem}")


class ParameterRenamedWarning(FutureWarning):
    """A parameter was given under its old name; the message names the new one."""


class Constraint(abc.ABC):
    """One kind of value a parameter accepts."""

    @abc.abstractmethod
    def is_satisfied_by(self, value) -> bool:
        """Whether ``value`` is of this kind."""

    @abc.abstractmethod
    def describe(self) -> str:
        """The kind in words, as it follows "must be" (``"an int >= 1"``)."""

    def normalise(self, value):
        """``value`` in its canonical type (only called when it satisfies the constraint)."""
        return value


def _is_real(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _fmt(x) -> str:
    if isinstance(x, float):
        return f"{x:g}"
    for k in range(32, 128):  # a large power-of-two bound reads better as such (2**63 - 1)
        if x in (2**k, 2**k - 1):
            return f"2**{k}" + (" - 1" if x != 2**k else "")
    return str(x)


class Interval(Constraint):
    """An int (``Integral``) or a finite number (``Real``) between optional bounds.

    Parameters
    ----------
    kind : numbers.Integral or numbers.Real
    left, right : number or None
        Bounds; ``None`` for unbounded.
    closed : {"both", "left", "right", "neither"}
        Which bounds are included.
    """

    def __init__(self, kind, left=None, right=None, *, closed: str = "both"):
        if kind not in (Integral, Real) or closed not in ("both", "left", "right", "neither"):
            raise ValueError(f"Interval({kind!r}, closed={closed!r}): unsupported")
        self.kind, self.left, self.right, self.closed = kind, left, right, closed

    def is_satisfied_by(self, value) -> bool:
        if not _is_real(value) or (self.kind is Integral and not isinstance(value, numbers.Integral)):
            return False
        if not math.isfinite(value):
            return False
        if self.left is not None:
            if value < self.left or (value == self.left and self.closed in ("right", "neither")):
                return False
        if self.right is not None:
            if value > self.right or (value == self.right and self.closed in ("left", "neither")):
                return False
        return True

    def describe(self) -> str:
        what = "an int" if self.kind is Integral else "a number"
        lo_in, hi_in = self.closed in ("both", "left"), self.closed in ("both", "right")
        if self.left is not None and self.right is not None:
            return f"{what} in {'[' if lo_in else '('}{_fmt(self.left)}, {_fmt(self.right)}{']' if hi_in else ')'}"
        if self.left is not None:
            return f"{what} {'>=' if lo_in else '>'} {_fmt(self.left)}"
        if self.right is not None:
            return f"{what} {'<=' if hi_in else '<'} {_fmt(self.right)}"
        return what

    def normalise(self, value):
        return int(value) if self.kind is Integral else float(value)


class Options(Constraint):
    """One of a fixed set of values (strings, or ints such as ``0, 1``)."""

    def __init__(self, *options):
        self.options = tuple(options)

    def is_satisfied_by(self, value) -> bool:
        for option in self.options:
            same_kind = isinstance(value, str) if isinstance(option, str) else (
                isinstance(value, numbers.Integral) if isinstance(option, numbers.Integral) else True)
            if same_kind and value == option:
                return True
        return False

    def describe(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


class Boolean(Constraint):
    """``true`` or ``false`` (0 and 1 are accepted too)."""

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, (bool, numbers.Integral)) and value in (0, 1)

    def describe(self) -> str:
        return "true or false"

    def normalise(self, value):
        return bool(value)


class NonEmptyString(Constraint):
    """A string with at least one character."""

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, str) and bool(value)

    def describe(self) -> str:
        return "a non-empty string"


class TextEncoding(Constraint):
    """The name of a text encoding Python's codecs know (``"utf-8"``, ``"latin-1"``)."""

    def is_satisfied_by(self, value) -> bool:
        if not isinstance(value, str) or not value:
            return False
        try:
            info = codecs.lookup(value)
        except (LookupError, ValueError):
            return False
        return getattr(info, "_is_text_encoding", True)  # not base64, rot13 ...

    def describe(self) -> str:
        return "a text encoding such as 'utf-8' or 'latin-1'"


class ListOf(Constraint):
    """A non-empty list whose items all satisfy ``item``."""

    def __init__(self, item: Constraint):
        self.item = item

    def is_satisfied_by(self, value) -> bool:
        return isinstance(value, (list, tuple)) and bool(value) and all(self.item.is_satisfied_by(v) for v in value)

    def describe(self) -> str:
        return f"a non-empty list, each {self.item.describe()}"

    def normalise(self, value):
        return tuple(self.item.normalise(v) for v in value)


class _NoneConstraint(Constraint):
    def is_satisfied_by(self, value) -> bool:
        return value is None

    def describe(self) -> str:
        return "None"


def _constraints(declared: Sequence) -> list[Constraint]:
    return [_NoneConstraint() if c is None else c for c in declared]


def describe(declared: Sequence) -> str:
    """The accepted values of a declared constraint list, in words (``"an int >= 1 or None"``)."""
    return " or ".join(c.describe() for c in _constraints(declared))


def validate_value(name: str, value, declared: Sequence, *, owner: str | None = None):
    """Check ``value`` against the constraints declared for ``name``; return it normalised.

    Raises
    ------
    ParameterError
        ``must be <description>, got <value>`` (with a suggestion for a misspelt option).
    """
    for constraint in _constraints(declared):
        if constraint.is_satisfied_by(value):
            return constraint.normalise(value)
    hint = ""
    if isinstance(value, str):
        options = [o for c in declared if isinstance(c, Options) for o in c.options if isinstance(o, str)]
        hint = suggest(value, options)
    raise ParameterError(name, f"must be {describe(declared)}, got {value!r}{hint}", owner=owner)


@dataclass(frozen=True)
class Relation:
    """A check across parameters, reported against ``param``.

    ``check(params)`` returns True when the parameters are consistent; ``problem`` is
    formatted with the parameters (``"must be <= learning_rate ({learning_rate}), got
    {min_learning_rate}"``); ``summary`` says the rule in a few words, for listings.
    """

    param: str
    check: Callable[[Mapping[str, Any]], bool]
    problem: str
    summary: str = ""


def validate_params(params: Mapping[str, Any], constraints: Mapping[str, Sequence],
                    relations: Sequence[Relation] = (), *, owner: str | None = None) -> None:
    """Check every parameter of ``params`` that has declared constraints, then the relations."""
    for name, value in params.items():
        if name in constraints:
            validate_value(name, value, constraints[name], owner=owner)
    for rel in relations:
        if not rel.check(params):
            raise ParameterError(rel.param, rel.problem.format(**params), owner=owner)


def rename_params(params: Mapping[str, Any], renamed: Mapping[str, str]) -> tuple[dict, list[tuple[str, str]]]:
    """Translate old parameter names to their new ones.

    Parameters
    ----------
    params : mapping
        Parameters as given.
    renamed : mapping
        Old name -> new name.

    Returns
    -------
    (dict, list of (old, new))
        The parameters under their new names (order kept), and the old names that were used.

    Raises
    ------
    ParameterError
        When a parameter is given under both its old and its new name, or under two old names.
    """
    out: dict[str, Any] = {}
    used: list[tuple[str, str]] = []
    for key, value in params.items():
        new = renamed.get(key)
        if new is None:
            out[key] = value
            continue
        if new in params:
            raise ParameterError(key, f"given together with '{new}', its new name; keep only '{new}'")
        other = next((old for old, n in used if n == new), None)
        if other is not None:
            raise ParameterError(key, f"given together with '{other}', another old name of '{new}'; "
                                      f"keep only '{new}'")
        out[new] = value
        used.append((key, new))
    return out, used


def warn_renamed(key: str, new: str) -> None:
    """Warn (:class:`ParameterRenamedWarning`) that ``key`` is an old name of ``new``."""
    warnings.warn(f"{key}: deprecated name, use '{new}' instead", ParameterRenamedWarning, stacklevel=3)
