"""A tiny document model shared by the Markdown and HTML renderers.

:mod:`evalsuite.report.content` builds a :class:`Document` once; the renderers only
turn its blocks into text, so both formats always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence, Union


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Callout:
    """A highlighted paragraph; ``kind`` is ``"verdict"``, ``"neutral"`` or ``"warning"``."""

    kind: str
    text: str


@dataclass(frozen=True)
class Table:
    """A table; ``muted`` marks rows shown greyed (a score too weak to count), by row index."""

    headers: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    numeric: Sequence[bool] = ()
    muted: Sequence[bool] = ()


@dataclass(frozen=True)
class Figure:
    """A PNG image; ``name`` is its file name inside the report folder."""

    name: str
    png: bytes = field(repr=False)
    caption: str


@dataclass(frozen=True)
class Code:
    text: str
    language: str = ""
    summary: str = ""


Block = Union[Heading, Paragraph, Callout, Table, Figure, Code]


@dataclass(frozen=True)
class Document:
    title: str
    blocks: tuple[Block, ...]

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figure))
