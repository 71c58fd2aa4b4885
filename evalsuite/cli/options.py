"""Arguments shared by the subcommands that read stored runs."""

from __future__ import annotations

from evalsuite.store.sqlite import DEFAULT_STORE

RUN_HELP = "run id (or prefix, run name, 'latest') or results.json"


def add_command(subparsers, name: str, doc: str, *, help: str):
    """The subcommand's parser; its description is the command module's docstring after the
    first paragraph (the prose a user reads under ``evalsuite NAME --help``)."""
    parts = (doc or "").split("\n\n", 1)
    description = " ".join(parts[1].split()) if len(parts) > 1 else None
    return subparsers.add_parser(name, help=help, description=description)


def add_run_argument(parser) -> None:
    """The positional ``run``: a stored run or a results.json file."""
    parser.add_argument("run", help=RUN_HELP)


def add_store_option(parser) -> None:
    """``--store PATH``, the results store (default ``reports/results.sqlite``)."""
    parser.add_argument("--store", metavar="PATH", default=str(DEFAULT_STORE),
                        help="results store (default: %(default)s)")


def run_count(text: str) -> int:
    """A count of runs: an int >= 1 (one above the store's ``LIST_LIMIT`` means all)."""
    import argparse

    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be an int >= 1, got {text!r}")
    return value
