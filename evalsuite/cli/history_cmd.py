"""``evalsuite history [CONFIG_OR_RUN_NAME]``: each score across the stored runs of one config.

Shows every score of the last N complete runs of one name (a config file gives its run name, a
run id its run's name; default: the latest run's name) as a table: a row per score, a column per
run. Each run is checked against the baseline as `evalsuite check` does: ▼ marks a significant
drop, ! a baseline score the run lacks. ‖ marks a break: the protocol, corpus or vocabulary policy
changed, so the runs before and after are not one line. The baseline is --baseline, else the run
the config's [baseline] table names (<name>-baseline) when the store holds one. --html writes a
self-contained page that plots every score over the runs with its 95% interval and the
baseline's band.
"""

from __future__ import annotations

from evalsuite.cli.options import add_command, run_count

DEFAULT_LAST = 10


def add_parser(subparsers) -> None:
    p = add_command(subparsers, "history", __doc__, help="each score across the stored runs of a config, "
                                                         "check's failures marked")
    p.add_argument("name", nargs="?", metavar="CONFIG_OR_RUN_NAME",
                   help="TOML config, run name or run id (default: the latest run's name)")
    p.add_argument("--task", action="append", default=[], metavar="T", help="only task T (repeatable)")
    p.add_argument("--embedding", action="append", default=[], metavar="E",
                   help="only embedding E (repeatable)")
    p.add_argument("--last", type=run_count, default=DEFAULT_LAST, metavar="N",
                   help="the last N runs (default: %(default)s)")
    p.add_argument("--html", metavar="FILE", help="also write the page with a plot per score")
    p.add_argument("--baseline", metavar="FILE|RUN",
                   help="baseline results.json or run id (default: the config's [baseline] run, if stored)")
    p.add_argument("--store", metavar="PATH",
                   help="results store (default: the config's, else reports/results.sqlite)")
    p.set_defaults(func=handle)


def _is_config(ref: str | None) -> bool:
    from pathlib import Path

    return ref is not None and (ref.endswith(".toml") or Path(ref).is_file())


def handle(args) -> int:
    from pathlib import Path

    from evalsuite.analysis.history import HistoryError, history
    from evalsuite.core.markup import rich_text
    from evalsuite.core.progress import console as stderr_console
    from evalsuite.store.sqlite import DEFAULT_STORE, ResultStore, StoreError

    name, store_path = None, args.store
    if _is_config(args.name):
        from evalsuite.config import load_config

        config = load_config(args.name)
        name, store_path = config.name, store_path or config.store
    store_path = Path(store_path or DEFAULT_STORE)
    if not store_path.exists():
        raise StoreError(f"{store_path}: no results store yet; `evalsuite run` creates it")
    with ResultStore(store_path, create=False) as store:
        listed = store.list_runs()
        if name is None:
            run_id = store.resolve(args.name or "latest")
            name = next(r["name"] for r in listed if r["id"] == run_id)
        ids = [r["id"] for r in listed if r["name"] == name and r["status"] == "complete"][:args.last]
        if not ids:
            raise HistoryError(f"{store_path}: no complete run named {name!r}")
        runs = [store.load_run(i, with_items=False) for i in reversed(ids)]
        baseline, label = _baseline(args, store, store_path, listed, runs[-1])
    found = history(runs, baseline, baseline_name=label, tasks=args.task, embeddings=args.embedding)
    from rich.console import Console

    from evalsuite.report.history import print_history

    print_history(found, Console(highlight=False))
    if args.html:
        from evalsuite.report.history_page import write_history_html

        write_history_html(found, args.html)
        stderr_console().print(rich_text(f"history page: {args.html}"))
    return 0


def _baseline(args, store, store_path, listed, latest):
    """The baseline and how messages name it: --baseline, else the stored run the latest run's
    [baseline] table names; (None, None) without either."""
    from pathlib import Path

    from evalsuite.core.runspecs import BaselineSpec
    from evalsuite.store.sqlite import load_run_ref

    if args.baseline:
        baseline = load_run_ref(args.baseline, store_path)
        return baseline, (args.baseline if Path(args.baseline).exists() else f"run {baseline.run_id}")
    wanted = (latest.baseline or BaselineSpec()).run_name(latest.name)
    if wanted == latest.name or not any(r["name"] == wanted and r["status"] == "complete" for r in listed):
        return None, None
    baseline = store.load_run(wanted)
    return baseline, f"run {baseline.run_id}"
