"""``evalsuite compare A B``: per-task differences between two runs.

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


def _f(x, sign=False):
    if x is None:
        return "–"
    return f"{x:+.4f}" if sign else f"{x:.4f}"


def format_comparison(analysis) -> str:
    """Markdown table of a run-vs-run comparison."""
    runs = analysis.runs
    from evalsuite.report.markdown import markdown_text as name_of

    lines = [f"## {name_of(runs.run)} vs {name_of(runs.baseline_run)}", ""]
    if not analysis.comparisons:
        lines.append("No (embedding, task) pair is present in both runs.")
        return "\n".join(lines) + "\n"
    lines += ["| embedding | task | metric | A | B | A - B | 95% CI | test | p (Holm) | significant |",
              "|---|---|---|---:|---:|---:|---|---|---:|---|"]
    for c in analysis.comparisons:
        name = name_of(c.a.rsplit(" (", 1)[0])
        task = name_of(c.task + (f" ({c.variant.text})" if c.variant.text else ""))
        ci = f"[{_f(c.ci95[0], sign=True)}, {_f(c.ci95[1], sign=True)}]" if c.ci95 else "–"
        lines.append(f"| {name} | {task} | {c.metric} | {_f(c.score_a)} | {_f(c.score_b)} | {_f(c.diff, sign=True)} | "
                     f"{ci} | {c.test} | {_f(c.p_adjusted, 3)} | {'yes' if c.significant else 'no'} |")
    only = runs.only_in_run
    if only:
        lines += ["", f"Only in A: {', '.join(name_of(f'{e}/{t}') for e, t in only)}"]
    return "\n".join(lines) + "\n"


def handle(args) -> int:
    from dataclasses import replace

    from evalsuite.analysis.compare import compare_runs
    from evalsuite.analysis.compatibility import mismatch_notice, require_compatible
    from evalsuite.store.sqlite import load_run_ref

    a = load_run_ref(args.a, args.store)
    b = load_run_ref(args.b, args.store)
    found = require_compatible(a, b, allow=args.allow_mismatch)
    analysis = compare_runs(a, b)
    if found:
        analysis = replace(analysis, runs=replace(analysis.runs, mismatches=tuple(m.text() for m in found)))
    print(mismatch_notice(found) + format_comparison(analysis), end="")
    if args.json:
        from evalsuite.core.atomic import write_json

        write_json(args.json, analysis.to_dict())
    return 0
