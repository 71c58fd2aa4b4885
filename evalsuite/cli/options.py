"""Arguments shared by the subcommands that read stored runs."""

from __future__ import annotations

from evalsuite.store.sqlite import DEFAULT_STORE

RUN_HELP = "run id (or prefix, run name, 'latest') or results.json"


def add_run_argument(parser) -> None:
    """The positional ``run``: a stored run or a results.json file."""
    parser.add_argument("run", help=RUN_HELP)


def add_store_option(parser) -> None:
    """``--store PATH``, the results store (default ``reports/results.sqlite``)."""
    parser.add_argument("--store", metavar="PATH", default=str(DEFAULT_STORE),
                        help="results store (default: %(default)s)")
