"""The ``evalsuite`` command line: a thin layer over the package.

Each subcommand lives in its own module exposing ``add_parser(subparsers)`` which
registers the subcommand and sets ``func(args) -> int`` as its handler.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import warnings

from evalsuite import __version__
from evalsuite.cli.crash import save_traceback
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.markup import visible

# Subcommand modules, in the order shown by --help.
SUBCOMMANDS = ("run", "train", "evaluate", "datasets", "runs", "compare", "report", "check", "baseline", "history")

EXIT_OK, EXIT_REGRESSION, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

EXIT_CODES = """exit status:
  0    success
  1    a failed regression gate (check) or failed job(s) (run)
  2    bad input, configuration or usage (one "evalsuite: error:" line)
  3    internal error: a bug; one "evalsuite: internal error:" line names the file
       holding its traceback ($EVALSUITE_CRASH_DIR, default ~/.cache/evalsuite/crash)
  130  interrupted"""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2, as argparse does, but without the usage dump
        self.exit(EXIT_USAGE, f"evalsuite: error: {visible(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="evalsuite", description="Train, evaluate and compare static word embeddings.",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"evalsuite {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        importlib.import_module(f"evalsuite.cli.{name}_cmd").add_parser(sub)
    return parser


def main(argv=None) -> int:
    """Entry point of the ``evalsuite`` console script.

    Every outcome is a status and at most one line per problem on stderr: bad input is
    ``evalsuite: error: ...`` and exit 2, an interruption exit 130, and any other exception
    (a bug) ``evalsuite: internal error: ...`` with the traceback saved to a file, exit 3.
    ``EVALSUITE_RAISE_INTERNAL=1`` re-raises such an exception instead (the test suite sets it).
    """
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _one_line_warning
            parser = build_parser()
            args = parser.parse_args(argv)
            if not getattr(args, "func", None):
                parser.print_help()
                return EXIT_USAGE
            return int(args.func(args) or 0)
    except EvalsuiteError as exc:
        _error_line(f"error: {exc}")
        return EXIT_USAGE
    except FileNotFoundError as exc:
        _error_line(f"error: {exc.filename or exc}: no such file")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _error_line("interrupted")
        return 130
    except Exception as exc:  # noqa: BLE001  a bug: one line for the user, the traceback in a file
        if os.environ.get("EVALSUITE_RAISE_INTERNAL"):
            raise
        _error_line(f"internal error: {type(exc).__name__}: {exc} ({save_traceback(exc)})")
        return EXIT_INTERNAL


def _error_line(message: str) -> None:
    """``evalsuite: <message>`` on stderr as one line, control characters shown as escapes."""
    print(f"evalsuite: {visible(message)}", file=sys.stderr, flush=True)


def _one_line_warning(message, category, filename, lineno, file=None, line=None):
    """``warnings.showwarning`` printing every warning as one ``evalsuite: warning:`` line.

    The project's own warnings are their message; others (numpy, matplotlib) are prefixed
    by their category.
    """
    text = str(message)
    if not category.__module__.startswith("evalsuite"):
        text = f"{category.__name__}: {text}"
    try:
        print(f"evalsuite: warning: {visible(text)}", file=file or sys.stderr, flush=True)
    except OSError:  # like warnings.showwarning: a closed or broken stderr loses the warning
        pass


if __name__ == "__main__":
    sys.exit(main())
