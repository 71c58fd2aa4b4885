"""``evalsuite baseline RUN OUT``: save a run's scores and their noise as a baseline for ``evalsuite check``.

Write RUN as a results.json without per-item outputs (answers per question, pair, document),
plus a table of every score's spread across seeds and its item-level sd (computed here from the
per-item outputs): all `evalsuite check` needs, in a file small enough to commit. Make RUN with
`evalsuite run --baseline` (three or more seeds): with one seed the gate cannot know the
training variance.
"""

from __future__ import annotations

from evalsuite.cli.options import add_command, add_run_argument, add_store_option


def add_parser(subparsers) -> None:
    p = add_command(subparsers, "baseline", __doc__, help="save a run's scores as a baseline for `evalsuite check`")
    add_run_argument(p)
    p.add_argument("output", help="file to write, e.g. reports/baseline/results.json")
    add_store_option(p)
    p.set_defaults(func=handle)


def handle(args) -> int:
    from dataclasses import replace

    from evalsuite.analysis.noise import TABLE_KEY, noise_table
    from evalsuite.core.atomic import write_json
    from evalsuite.core.markup import visible
    from evalsuite.store.sqlite import load_run_ref

    run = load_run_ref(args.run, args.store)
    table = noise_table(run)
    run = replace(run, provenance={**dict(run.provenance), TABLE_KEY: table})
    write_json(args.output, run.to_dict(with_items=False))
    seeds = min((row["n_seeds"] for row in table), default=0)
    print(visible(f"baseline: {args.output} (run {run.run_id}, {len(table)} scores, {seeds}+ seeds each)"))
    if seeds < 2:
        print("warning: some scores have a single seed: `evalsuite check` cannot tell training noise from a "
              "regression there; run `evalsuite run --baseline` for a baseline of several seeds")
    elif any(row["item_sd"] is None for row in table):
        print("note: some scores lack per-item outputs: their item-level sd is unknown")
    return 0
