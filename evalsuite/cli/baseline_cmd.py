"""``evalsuite baseline RUN OUT``: save a run's scores as a baseline file for ``evalsuite check``."""

from __future__ import annotations

from evalsuite.store import DEFAULT_STORE


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("baseline", help="save a run's scores as a baseline for `evalsuite check`",
                              description="Write RUN as a results.json without per-item outputs (answers per "
                                          "question, pair, document): `evalsuite check` needs only the scores "
                                          "and their confidence intervals, and the file stays small enough "
                                          "to commit.")
    p.add_argument("run", help="run id (or prefix, run name, 'latest') or results.json")
    p.add_argument("output", help="file to write, e.g. reports/baseline/results.json")
    p.add_argument("--store", metavar="PATH", default=str(DEFAULT_STORE), help="results store (default: %(default)s)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.atomic import write_json
    from evalsuite.store import load_run_ref

    run = load_run_ref(args.run, args.store)
    write_json(args.output, run.to_dict(with_items=False))
    print(f"baseline: {args.output} (run {run.run_id}, {len(run.task_results)} scores)")
    return 0
