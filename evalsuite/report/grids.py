"""Score tables for the terminal that never cut a cell short.

A :class:`ScoreGrid` holds the cells of a table: leading key columns (the
embedding, say) and score columns. :func:`print_grid` prints it as one rich table
when it fits the console, else as several, each with some of the score columns
and all the key columns, so that a narrow terminal or an 80-column CI log shows
every row and every score in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table
from rich.text import Text

from evalsuite.core.markup import rich_text

_NATURAL_WIDTH = 10_000  # measuring width: wide enough for any table's unshrunk layout


@dataclass(frozen=True)
class ScoreGrid:
    """Cells of a table: ``rows`` of (key cells, score cells), one score cell per column.

    A string cell is rich markup (``"0.5 [dim](90%)[/]"``); user strings (names) go in as
    :func:`evalsuite.core.markup.rich_text`, which is never read as markup.
    """

    title: str
    keys: tuple[str, ...]
    columns: tuple[str | Text, ...]
    rows: tuple[tuple[tuple[str | Text, ...], tuple[str | Text, ...]], ...]


def grid_table(grid: ScoreGrid, columns: list[int] | None = None, title: bool = True) -> Table:
    """The rich table of ``grid`` with the score columns at indices ``columns`` (default all)."""
    columns = list(range(len(grid.columns))) if columns is None else columns
    table = Table(title=rich_text(grid.title, "table.title") if title else None, title_justify="left")
    for name in grid.keys:
        table.add_column(name, no_wrap=True)
    for i in columns:
        table.add_column(grid.columns[i], justify="right", no_wrap=True)
    for keys, cells in grid.rows:
        table.add_row(*keys, *[cells[i] for i in columns])
    return table


def fit_tables(grid: ScoreGrid, console: Console) -> list[Table]:
    """Untitled tables of ``grid``, its score columns split in order so that each fits ``console``."""
    options = console.options.update_width(_NATURAL_WIDTH)
    groups: list[list[int]] = [[]]
    for i in range(len(grid.columns)):
        wider = groups[-1] + [i]
        if groups[-1] and console.measure(grid_table(grid, wider, False), options=options).maximum > console.width:
            groups.append([i])
        else:
            groups[-1] = wider
    return [grid_table(grid, group, title=False) for group in groups]


def print_grid(grid: ScoreGrid, console: Console) -> None:
    """Print the title once, then the grid as one or more tables that fit the console."""
    console.print(rich_text(grid.title, "table.title"))
    for table in fit_tables(grid, console):
        console.print(table)


__all__ = ["ScoreGrid", "fit_tables", "grid_table", "print_grid"]
