"""``evalsuite check RUN --baseline B``: the regression gate (exit 1 on a regression)."""

from __future__ import annotations

from evalsuite.cli.options import add_run_argument, add_store_option


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("check", help="fail (exit 1) when a score regressed against a baseline",
                              description="Compare every score of RUN with the baseline. A score regresses "
                                          "when it drops by more than the tolerance: by default the half-width "
                                          "of the baseline's 95%% CI across seeds (or of its own CI with one "
                                          "seed). Prints a Markdown summary; exit 0 = pass, 1 = regression.")
    add_run_argument(p)
    p.add_argument("--baseline", required=True, metavar="FILE|RUN", help="baseline results.json or run id")
    p.add_argument("--tolerance", type=float, metavar="X", help="allowed drop for every score (absolute)")
    add_store_option(p)
    p.add_argument("--json", metavar="FILE", help="also write the check as JSON")
    p.add_argument("--allow-mismatch", action="store_true",
                   help="check even when protocol, corpus or vocabulary policy differ (stated at the top)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.analysis.compare import check
    from evalsuite.core.errors import EvalsuiteError
    from evalsuite.store.sqlite import load_run_ref

    if args.tolerance is not None and not args.tolerance >= 0:
        raise EvalsuiteError(f"--tolerance must be >= 0, got {args.tolerance}")
    run = load_run_ref(args.run, args.store)
    baseline = load_run_ref(args.baseline, args.store)
    from evalsuite.analysis.compatibility import mismatch_notice, require_compatible

    found = require_compatible(run, baseline, allow=args.allow_mismatch)
    report = check(run, baseline, tolerance=args.tolerance)
    print(mismatch_notice(found) + report.markdown(), end="")
    if args.json:
        from evalsuite.core.atomic import write_json

        write_json(args.json, report.to_dict())
    return 0 if report.passed else 1
