"""The corpus contract every trainer consumes."""

from __future__ import annotations

import hashlib
from typing import Iterable, Iterator, Protocol, Sequence, runtime_checkable


@runtime_checkable
class Corpus(Protocol):
    """A re-iterable stream of tokenised sentences.

    Iterating yields one ``list[str]`` per sentence (or document); iterating again
    starts over. ``fingerprint()`` identifies content plus preprocessing settings.
    """

    name: str

    def __iter__(self) -> Iterator[list[str]]: ...

    def fingerprint(self) -> str: ...


class InMemoryCorpus:
    """A corpus held in a list; for tests and small examples.

    Parameters
    ----------
    sentences : iterable of sequence of str
        Tokenised sentences.
    name : str
        Name shown in reports.
    """

    def __init__(self, sentences: Iterable[Sequence[str]], name: str = "in-memory"):
        self.sentences = [list(s) for s in sentences]
        self.name = name

    def __iter__(self) -> Iterator[list[str]]:
        return iter(self.sentences)

    def __len__(self) -> int:
        return len(self.sentences)

    def fingerprint(self) -> str:
        h = hashlib.sha256()
        for s in self.sentences:
            h.update(" ".join(s).encode("utf-8"))
            h.update(b"\n")
        return h.hexdigest()
