"""A tiny document model shared by the Markdown and HTML renderers.

:mod:`evalsuite.report.content` builds a :class:`Document` once; the renderers only
turn its blocks into text, so both formats always show the same numbers.

Text in the model is plain text, shown as written: names and paths go in as they are.
Only a :class:`Marked` text carries the report's own two marks, ``**bold**`` and
```code```; a name inside one is written with :func:`~evalsuite.core.markup.literal`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence, Union


class Marked(str):
    """Document text with the report's marks ``**bold**`` and ```code``` (a plain ``str`` has none).

    A backslash makes the next ``\\``, ``*`` or ``` ` ``` text; names inside are written with
    :func:`~evalsuite.core.markup.literal`, which adds it.
    """


_MARK = re.compile(r"\\[\\*`]|\*\*|`")


def spans(text) -> list[tuple[str, str]]:
    """``(style, text)`` runs of document text, style ``""``, ``"bold"`` or ``"code"``.

    A plain ``str`` is one plain run; a :class:`Marked` text is split at its marks (a mark
    left unclosed is text).
    """
    if not isinstance(text, Marked):
        return [("", str(text))]
    pieces: list[tuple[str, str]] = []  # ("mark", "**" or "`") or ("", text)
    pos = 0
    for m in _MARK.finditer(text):
        pieces.append(("", text[pos:m.start()]))
        tok = m.group(0)
        pieces.append(("", tok[1]) if tok[0] == "\\" else ("mark", tok))
        pos = m.end()
    pieces.append(("", text[pos:]))
    runs: list[tuple[str, str]] = []
    style = ""
    for i, (kind, value) in enumerate(pieces):
        if kind != "mark":
            runs.append((style, value))
        elif style == ("bold" if value == "**" else "code"):
            style = ""
        elif not style and any(k == "mark" and v == value for k, v in pieces[i + 1:]):
            style = "bold" if value == "**" else "code"
        else:  # a mark inside the other one's span, or never closed: text
            runs.append((style, value))
    out: list[tuple[str, str]] = []
    for style, value in runs:
        if out and out[-1][0] == style:
            out[-1] = (style, out[-1][1] + value)
        elif value or style:
            out.append((style, value))
    return out or [("", "")]


def plain(text) -> str:
    """Document text without its marks (for the terminal)."""
    return "".join(value for _, value in spans(text))


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
