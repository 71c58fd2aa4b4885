"""The ``evalsuite`` command line: a thin layer over the package.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` which
registers the subcommand and sets ``func(args) -> int`` as its handler.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from evalsuite import __version__
from evalsuite.core.errors import EvalsuiteError

# Subcommand modules, in the order shown by --help.
SUBCOMMANDS = ("run", "train", "evaluate", "datasets", "runs", "compare", "report", "check", "baseline")

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as argparse does, but without the usage dump
        self.exit(EXIT_USAGE, f"evalsuite: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="evalsuite", description="Train, evaluate and compare static word embeddings.")
    parser.add_argument("--version", action="version", version=f"evalsuite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        importlib.import_module(f"evalsuite.cli.{name}_cmd").add_parser(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``evalsuite`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning(warnings.showwarning)
            return int(args.func(args) or 0)
    except EvalsuiteError as exc:
        print(f"evalsuite: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as exc:
        print(f"evalsuite: error: {exc.filename or exc}: no such file", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("evalsuite: interrupted", file=sys.stderr)
        return 130


def _one_line_warning(show):
    """``warnings.showwarning`` printing a renamed-parameter warning as one line (others as ``show`` does)."""
    from evalsuite.store.rows import StoreWarning
    from evalsuite.train.params import ParameterRenamedWarning

    def showwarning(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, (ParameterRenamedWarning, StoreWarning)):
            print(f"evalsuite: warning: {message}", file=file or sys.stderr)
        else:
            show(message, category, filename, lineno, file, line)

    return showwarning


if __name__ == "__main__":
    sys.exit(main())
