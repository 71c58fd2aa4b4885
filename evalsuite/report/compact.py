"""Tables without the columns that say nothing: constant or empty in every row.

A dropped column is named in a note under the table with why it is gone (its one value,
"empty", or a reason the caller gives, such as "one seed: no CI"), so nothing the
table reported is lost.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping

from .document import Paragraph, Table

EMPTY = {"", "–", "-"}


def compact(table: Table, *, keep: int = 1, empty_reasons: Mapping[str, str] | None = None) -> list:
    """``table`` without its constant and empty columns, and a note naming them.

    Parameters
    ----------
    table : Table
    keep : int
        Leading columns always kept (the row labels).
    empty_reasons : mapping of str to str, optional
        Header -> why the column is empty (``"one seed: no CI"``), said instead of "empty".

    Returns
    -------
    list of block
        The table, followed by a :class:`Paragraph` when a column was dropped. A table of
        fewer than two rows is returned as it is: every column of one row is constant.
    """
    if len(table.rows) < 2:
        return [table]
    reasons = empty_reasons or {}
    drop, notes = [], []
    for j, header in enumerate(table.headers):
        if j < keep:
            continue
        values = {str(row[j]).strip() for row in table.rows}
        if values <= EMPTY:
            drop.append(j)
            notes.append(f"{header} ({reasons.get(header, 'empty in every row')})")
        elif len(values) == 1:
            drop.append(j)
            notes.append(f"{header} ({values.pop()} in every row)")
    if not drop:
        return [table]
    kept = [j for j in range(len(table.headers)) if j not in drop]
    numeric = list(table.numeric) + [False] * (len(table.headers) - len(table.numeric))
    slim = replace(table, headers=[table.headers[j] for j in kept],
                   rows=[[row[j] for j in kept] for row in table.rows],
                   numeric=[numeric[j] for j in kept])
    return [slim, Paragraph("Columns not shown: " + "; ".join(notes) + ".")]


__all__ = ["compact"]
