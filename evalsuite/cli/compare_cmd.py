"""``evalsuite compare A B``: per-task differences between two runs (:func:`evalsuite.api.compare`).

Differences A - B per embedding and task, with 95% CIs and Holm-corrected significance. A and B
are run ids (or prefixes, run names, 'latest'), results.json files of `run`, or JSON files of
`evaluate --json`. Runs under different protocols, corpora or vocabulary policies are refused
(exit 2) unless --allow-mismatch.
"""

from __future__ import annotations

from evalsuite.cli.options import add_command, add_store_option


def add_parser(subparsers) -> None:
    p = add_command(subparsers, "compare", __doc__, help='compare two runs task by task')
    p.add_argument("a", help="run id, results.json or evaluate --json file")
    p.add_argument("b", help="run id, results.json or evaluate --json file (the reference)")
    add_store_option(p)
    p.add_argument("--allow-mismatch", action="store_true",
                   help="compare even when protocol, corpus or vocabulary policy differ (stated at the top)")
    p.add_argument("--json", metavar="FILE", help="also write the comparison as JSON")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.api.comparison import compare
    from evalsuite.api.runs import load_run

    comparison = compare(load_run(args.a, args.store), load_run(args.b, args.store),
                         allow_mismatch=args.allow_mismatch)
    print(comparison.markdown(), end="")
    if args.json:
        from evalsuite.core.atomic import write_json

        write_json(args.json, comparison.analysis.to_dict())
    return 0
