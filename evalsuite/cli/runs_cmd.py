"""``evalsuite runs``: list the runs in the results store."""

from __future__ import annotations

from evalsuite.cli.options import add_store_option, run_count


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("runs", help="list stored runs", description="List the runs in the results store.")
    add_store_option(p)
    p.add_argument("--limit", type=run_count, default=50, help="show at most N runs (default: %(default)s)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from pathlib import Path

    from rich import box
    from rich.console import Console
    from rich.table import Table

    from evalsuite.core.markup import rich_text
    from evalsuite.store.sqlite import ResultStore, StoreError

    if not Path(args.store).exists():
        raise StoreError(f"{args.store}: no results store yet; `evalsuite run` creates it")
    with ResultStore(args.store, create=False) as store:
        runs = store.list_runs(limit=args.limit)
    # the id is the run's name and its creation time (UTC), so neither needs a column of its own:
    # the table fits 80 columns with every cell whole
    table = Table(title=rich_text(f"runs in {args.store}", "table.title"), title_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True, show_edge=False)
    for col, just in (("id (name-created)", "left"), ("status", "left"), ("emb.", "right"),
                      ("results", "right"), ("wall", "right"), ("config", "left")):
        table.add_column(col, justify=just, no_wrap=True)
    colours = {"complete": "green", "running": "yellow", "failed": "red"}
    for r in runs:
        status = r["status"] if r["status"] != "running" else "incomplete"
        wall = f"{r['wall_time']:.0f} s" if r["wall_time"] is not None else "–"
        table.add_row(rich_text(r["id"]), rich_text(status, colours.get(r["status"], "white")),
                      str(r["n_embeddings"]), str(r["n_results"]), wall,
                      rich_text((r["config_hash"] or "–")[:8]))
    console = Console()
    if runs:
        console.print(table)
    else:
        console.print(rich_text(f"no runs in {args.store}"))
    return 0
