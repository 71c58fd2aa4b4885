"""``evalsuite report RUN``: rebuild a run's report from the store."""

from __future__ import annotations

from evalsuite.cli.options import add_run_argument, add_store_option


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("report", help="rebuild a run's report from the store",
                              description="Recompute the verdicts and write report.md, report.html and "
                                          "results.json for a stored run (or a results.json file).")
    add_run_argument(p)
    add_store_option(p)
    p.add_argument("--output", metavar="DIR", default="reports", help="reports folder (default: %(default)s)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.analysis.compare import analyze
    from evalsuite.core.markup import rich_text
    from evalsuite.core.progress import console
    from evalsuite.report import write_report
    from evalsuite.store.sqlite import load_run_ref

    run = load_run_ref(args.run, args.store)
    paths = write_report(run, args.output, analyze(run))
    for key in ("markdown", "html", "json"):
        if key in paths:
            console().print(rich_text(f"{key}: {paths[key]}"), soft_wrap=True)
    return 0
