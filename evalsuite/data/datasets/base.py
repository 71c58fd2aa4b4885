"""Typed evaluation datasets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class SimilarityPair:
    """Two words and a human similarity (or relatedness) score."""

    word1: str
    word2: str
    score: float


@dataclass(frozen=True)
class SimilarityDataset:
    """Word pairs with human scores.

    Parameters
    ----------
    name : str
        Registry name (``"ws353"``) or the file path for user data.
    pairs : tuple of SimilarityPair
        The pairs, in file order.
    sha256 : str
        Checksum of the source file.
    meta : mapping
        Source, licence, citation, ...
    """

    name: str
    pairs: tuple[SimilarityPair, ...]
    sha256: str = ""
    meta: Mapping = field(default_factory=dict)

    kind = "similarity"

    def __len__(self) -> int:
        return len(self.pairs)


@dataclass(frozen=True)
class AnalogyQuestion:
    """``a : b :: c : d`` within a named section (relation)."""

    a: str
    b: str
    c: str
    d: str
    section: str


@dataclass(frozen=True)
class AnalogyDataset:
    """Analogy questions grouped in sections.

    Parameters
    ----------
    name : str
        Registry name (``"google"``) or the file path for user data.
    questions : tuple of AnalogyQuestion
        In file order.
    families : mapping of str to str
        Section -> family (``"semantic"`` / ``"syntactic"``).
    sha256 : str
        Checksum of the source file.
    meta : mapping
        Source, licence, citation, ...
    """

    name: str
    questions: tuple[AnalogyQuestion, ...]
    families: Mapping[str, str] = field(default_factory=dict)
    sha256: str = ""
    meta: Mapping = field(default_factory=dict)

    kind = "analogy"

    def __len__(self) -> int:
        return len(self.questions)

    @property
    def sections(self) -> tuple[str, ...]:
        """Section names in order of first appearance."""
        return tuple(dict.fromkeys(q.section for q in self.questions))
