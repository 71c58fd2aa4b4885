"""``evalsuite baseline RUN OUT``: save a run's scores as a baseline file for ``evalsuite check``."""

from __future__ import annotations

from evalsuite.cli.options import add_run_argument, add_store_option


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("baseline", help="save a run's scores as a baseline for `evalsuite check`",
                              description="Write RUN as a results.json without per-item outputs (answers per "
                                          "question, pair, document): `evalsuite check` needs only the scores "
                                          "and their confidence intervals, and the file stays small enough "
                                          "to commit.")
    add_run_argument(p)
    p.add_argument("output", help="file to write, e.g. reports/baseline/results.json")
    add_store_option(p)
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.core.atomic import write_json
    from evalsuite.store.sqlite import load_run_ref

    run = load_run_ref(args.run, args.store)
    write_json(args.output, run.to_dict(with_items=False))
    print(f"baseline: {args.output} (run {run.run_id}, {len(run.task_results)} scores)")
    return 0
