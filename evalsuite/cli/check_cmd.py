"""``evalsuite check RUN --baseline B``: the regression gate (exit 1 on a significant drop).

Test every baseline score for a drop in RUN: one-sided tests whose noise comes from the
baseline's spread across training seeds and its item-level variance, Holm-corrected so that an
unchanged tree fails with probability at most the level (A). Level and margin default to the
[baseline] settings stored with RUN, else with the baseline, else 0.05 and 0. Prints a Markdown
summary; exit 0 = pass, 1 = regression.
"""

from __future__ import annotations

from evalsuite.cli.options import add_command, add_run_argument, add_store_option


def add_parser(subparsers) -> None:
    p = add_command(subparsers, "check", __doc__, help='fail (exit 1) when a score dropped significantly below a baseline')
    add_run_argument(p)
    p.add_argument("--baseline", required=True, metavar="FILE|RUN", help="baseline results.json or run id")
    p.add_argument("--level", type=float, metavar="A", help="family-wise false-alarm rate (default 0.05)")
    p.add_argument("--margin", type=float, metavar="X",
                   help="practical margin: a drop no larger than X (absolute) never fails (default 0)")
    add_store_option(p)
    p.add_argument("--json", metavar="FILE", help="also write the check as JSON")
    p.add_argument("--allow-mismatch", action="store_true",
                   help="check even when protocol, corpus or vocabulary policy differ (stated at the top)")
    p.set_defaults(func=handle)


def handle(args) -> int:
    from evalsuite.analysis.gate import gate, gate_settings
    from evalsuite.core.errors import EvalsuiteError
    from evalsuite.report.gate import gate_markdown
    from evalsuite.store.sqlite import load_run_ref

    if args.level is not None and not 0 < args.level < 1:
        raise EvalsuiteError(f"--level must be in (0, 1), got {args.level}")
    if args.margin is not None and not args.margin >= 0:
        raise EvalsuiteError(f"--margin must be >= 0, got {args.margin}")
    run = load_run_ref(args.run, args.store)
    baseline = load_run_ref(args.baseline, args.store)
    from evalsuite.analysis.compatibility import mismatch_notice, require_compatible

    found = require_compatible(run, baseline, allow=args.allow_mismatch)
    try:
        settings = gate_settings(run.baseline, baseline.baseline, level=args.level, margin=args.margin)
    except ValueError as exc:
        raise EvalsuiteError(f"{args.run} / {args.baseline}: config [baseline]: {exc}") from None
    from pathlib import Path

    source = args.baseline if Path(args.baseline).exists() else f"{args.store}: run {baseline.run_id!r}"
    report = gate(run, baseline, settings, baseline_name=source)
    print(mismatch_notice(found) + gate_markdown(report), end="")
    if args.json:
        from evalsuite.core.atomic import write_json

        write_json(args.json, report.to_dict())
    return 0 if report.passed else 1
