"""Typed evaluation datasets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Mapping


@dataclass(frozen=True)
class Dataset:
    """What every dataset carries. ``len()`` counts its items.

    Parameters
    ----------
    name : str
        Registry name (``"ws353"``, ``"google"``, ``"mr"``) or the file path for user data.
    sha256 : str, keyword only
        Checksum of the source file.
    meta : mapping, keyword only
        Source, licence, citation ...
    """

    name: str
    sha256: str = field(default="", kw_only=True)
    meta: Mapping = field(default_factory=dict, kw_only=True)

    kind: ClassVar[str] = ""
    _items: ClassVar[str] = ""  # the field holding the items

    def __len__(self) -> int:
        return len(getattr(self, self._items))


@dataclass(frozen=True)
class SimilarityPair:
    """Two words and a human similarity (or relatedness) score."""

    word1: str
    word2: str
    score: float


@dataclass(frozen=True)
class SimilarityDataset(Dataset):
    """Word pairs with human scores.

    ``pairs`` (tuple of :class:`SimilarityPair`) in file order; ``name``, ``sha256`` and ``meta``
    as for every :class:`Dataset`.
    """

    pairs: tuple[SimilarityPair, ...]

    kind: ClassVar[str] = "similarity"
    _items: ClassVar[str] = "pairs"


@dataclass(frozen=True)
class AnalogyQuestion:
    """``a : b :: c : d`` within a named section (relation)."""

    a: str
    b: str
    c: str
    d: str
    section: str


@dataclass(frozen=True)
class AnalogyDataset(Dataset):
    """Analogy questions grouped in sections.

    Parameters
    ----------
    questions : tuple of AnalogyQuestion
        In file order.
    families : mapping of str to str
        Section -> family (``"semantic"`` / ``"syntactic"``).
    name, sha256, meta
        As for every :class:`Dataset`.
    """

    questions: tuple[AnalogyQuestion, ...]
    families: Mapping[str, str] = field(default_factory=dict)

    kind: ClassVar[str] = "analogy"
    _items: ClassVar[str] = "questions"

    @property
    def sections(self) -> tuple[str, ...]:
        """Section names in order of first appearance."""
        return tuple(dict.fromkeys(q.section for q in self.questions))
