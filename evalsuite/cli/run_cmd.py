"""``evalsuite run [CONFIG]``: train, evaluate, store and report a benchmark."""

from __future__ import annotations

from evalsuite.config import DEFAULT_CONFIG


def add_parser(subparsers) -> None:
    p = subparsers.add_parser("run", help="run a benchmark config (default benchmarks/default.toml)",
                              description="Train and load the configured embeddings, evaluate every task, "
                                          "store the results and write the report.")
    p.add_argument("config", nargs="?", default=str(DEFAULT_CONFIG), help="TOML config (default: %(default)s)")
    p.add_argument("--no-cache", action="store_true", help="train again even when the cache holds a matrix")
    p.add_argument("--baseline", action="store_true",
                   help="run the config's baseline for `evalsuite check`: the seeds of its [baseline] table "
                        "(default 0, 1, 2), named <name>-baseline; then save it with `evalsuite baseline`")
    p.add_argument("--store", metavar="PATH", help="results store (default: the config's, reports/results.sqlite)")
    p.add_argument("--output", metavar="DIR", help="reports folder (default: the config's, reports/)")
    p.add_argument("--cache-dir", metavar="DIR", help="cache folder (default: the config's, .evalsuite-cache)")
    p.add_argument("--executor", choices=("local", "ray"), help="where jobs run (default: the config's, local)")
    p.add_argument("--address", metavar="ADDRESS",
                   help="Ray cluster to use with --executor ray: auto, HOST:6379 or ray://HOST:10001 "
                        "(default: the config's, else a local Ray on this machine)")
    p.add_argument("--max-retries", type=int, metavar="N",
                   help="with --executor ray: retries of a task whose worker died or whose job failed (default 2)")
    p.add_argument("--cpus-per-job", type=int, metavar="N",
                   help="with --executor ray: CPUs each job declares (default: the trainer's workers, else 1)")
    p.add_argument("--num-cpus", type=int, metavar="N",
                   help="with --executor ray and no address: CPUs of the local Ray (default: all)")
    p.add_argument("--dry-run", action="store_true",
                   help="print the plan and stop: every job with its resolved parameters, whether the cache "
                        "holds it, and a rough time estimate")
    p.add_argument("--json", action="store_true", help="with --dry-run: print the plan as JSON")
    p.set_defaults(func=handle)


def _dry_run(config, args) -> int:
    import json

    from evalsuite.pipeline.plan import plan, plan_json, plan_text

    jobs = plan(config, use_cache=not args.no_cache)
    print(json.dumps(plan_json(config, jobs), indent=1) if args.json else plan_text(config, jobs))
    return 0


def handle(args) -> int:
    from evalsuite.config import load_config
    from evalsuite.pipeline.runner import run_benchmark

    if args.json and not args.dry_run:
        from evalsuite.core.errors import ConfigError

        raise ConfigError("--json: only used with --dry-run")
    config = load_config(args.config)
    if args.baseline:
        config = config.as_baseline()
    if args.cache_dir:
        config = config.replace(cache=args.cache_dir)
    if args.dry_run:
        return _dry_run(config, args)
    options = {}
    address = args.address or config.address
    if address:
        options["address"] = address
    for option in ("max_retries", "cpus_per_job", "num_cpus"):
        if getattr(args, option) is not None:
            options[option] = getattr(args, option)
    if (args.executor or config.executor) != "ray":
        given = [f"--{k.replace('_', '-')}" for k in ("address", "max_retries", "cpus_per_job", "num_cpus")
                 if getattr(args, k) is not None]
        if given:
            from evalsuite.core.errors import ConfigError

            raise ConfigError(f"{', '.join(given)}: only used with --executor ray")
        options = {}
    out = run_benchmark(config, use_cache=not args.no_cache, store_path=args.store, output=args.output,
                        executor=args.executor, executor_options=options)
    if out.failures:
        from rich.text import Text

        from evalsuite.core.markup import rich_text
        from evalsuite.core.progress import console

        console().print(Text.assemble(rich_text(f"{len(out.failures)} job(s) failed", "red"), rich_text(
            f"; results of the others were stored (run {out.run.run_id} marked failed)")))
        return 1
    return 0
