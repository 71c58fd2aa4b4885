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
    """Text; ``link`` appends a link (label, ``#anchor``) to a heading of the same report."""

    text: str
    link: tuple[str, str] | None = None


@dataclass(frozen=True)
class Callout:
    """A highlighted paragraph; ``kind`` is ``"verdict"``, ``"neutral"`` or ``"warning"``; ``check``
    names it for the browser test (HTML ``data-check``)."""

    kind: str
    text: str
    check: str = ""


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


@dataclass(frozen=True)
class RankedCell:
    """A scoreboard cell: ``shade`` in [0, 1] (1 = the column's best, None = unranked),
    ``marked`` = significantly below the column's best, ``muted`` = too little evidence."""

    text: str
    shade: float | None = None
    marked: bool = False
    muted: bool = False
    title: str = ""


@dataclass(frozen=True)
class RankedTable:
    """A matrix of row labels × columns whose cells are coloured by rank within each column;
    ``check`` names it for the browser test (HTML ``data-check``)."""

    headers: Sequence[str]
    labels: Sequence[str]
    cells: Sequence[Sequence[RankedCell]]
    caption: str = ""
    check: str = ""


@dataclass(frozen=True)
class Details:
    """Blocks shown on demand: collapsed under a one-line ``summary`` (``<details>``)."""

    summary: str
    blocks: tuple


Block = Union[Heading, Paragraph, Callout, Table, Figure, Code, RankedTable, Details]


@dataclass(frozen=True)
class Document:
    """A report: ``blocks`` in order; the first ``lead`` of them (the answer) come before the
    table of contents."""

    title: str
    blocks: tuple[Block, ...]
    lead: int = 0

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for b in walk(self.blocks) if isinstance(b, Figure))


def walk(blocks):
    """Every block in document order, those inside :class:`Details` included."""
    for b in blocks:
        yield b
        if isinstance(b, Details):
            yield from walk(b.blocks)


def fold(blocks, summary: str) -> list:
    """``blocks`` with their headings and callouts in place and everything else (tables,
    figures, notes) moved into one :class:`Details` under ``summary`` at the end."""
    shown = [b for b in blocks if isinstance(b, (Heading, Callout))]
    hidden = tuple(b for b in blocks if not isinstance(b, (Heading, Callout)))
    return shown + ([Details(summary, hidden)] if hidden else [])
