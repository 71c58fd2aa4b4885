"""``evalsuite datasets``: list the bundled evaluation data."""

from __future__ import annotations

import json

from rich.console import Console
from rich.table import Table

from evalsuite.core.markup import rich_text


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("datasets", help="list bundled evaluation datasets")
    parser.add_argument("--kind", choices=("similarity", "analogy", "classification"),
                        help="only datasets of this kind")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(func=run)


def run(args) -> int:
    from evalsuite.data.datasets import list_datasets

    rows = list_datasets(args.kind)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    table = Table(title="Bundled evaluation datasets")
    for column in ("name", "kind", "items", "licence", "description"):
        table.add_column(column, justify="right" if column == "items" else "left")
    for row in rows:
        table.add_row(*map(rich_text, (row["name"], row["kind"], row["rows"] or "?", row["licence"],
                                       row["description"])))
    Console().print(table)
    return 0
