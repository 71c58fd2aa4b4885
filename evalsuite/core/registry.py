"""A small name -> object registry with helpful errors."""

from __future__ import annotations

import difflib
from typing import Generic, Iterator, TypeVar

from evalsuite.core.errors import UnknownNameError

T = TypeVar("T")


def suggest(name: str, known) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest known name, or ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f" (did you mean '{close[0]}'?)" if close else ""


class Registry(Generic[T]):
    """Mapping of unique names to objects.

    Parameters
    ----------
    kind : str
        What is registered ("trainer", "task", "dataset"); used in messages.
    """

    def __init__(self, kind: str):
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, name: str, obj: T) -> T:
        """Register ``obj`` under ``name``; a duplicate name raises ``ValueError``."""
        if name in self._items:
            raise ValueError(f"{self.kind} '{name}' is already registered")
        self._items[name] = obj
        return obj

    def get(self, name: str) -> T:
        """Return the object registered as ``name`` or raise :class:`UnknownNameError`."""
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise UnknownNameError(
                f"unknown {self.kind} '{name}'{suggest(name, self._items)}; known: {known}"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._items))

    def __len__(self) -> int:
        return len(self._items)

    def items(self):
        return sorted(self._items.items())
