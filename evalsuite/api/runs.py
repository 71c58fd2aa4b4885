"""``evalsuite.load_run``: a stored run, or a ``results.json`` file, as results."""

from __future__ import annotations

import os

from rich.console import Console

from .results import Results


class Run(Results):
    """A stored benchmark run (or a ``results.json``): what ``evalsuite run`` printed at its end,
    and the first screen of its report (the answer and the scoreboard) in a notebook."""

    def show(self, console: Console | None = None) -> None:
        """Print the run's summary tables and verdicts on ``console`` (default: standard output)."""
        from evalsuite.report.terminal import print_summary

        print_summary(self.run, self.analysis, console=console)

    def html_blocks(self) -> list:
        """The report's first screen: the answer (a sentence per task kind) and the scoreboard."""
        from evalsuite.report.answer import answer_blocks

        return answer_blocks(self.run, self.analysis)


def load_run(name_or_path: str | os.PathLike, store: str | os.PathLike | None = None) -> Run:
    """A stored run or a ``results.json`` file, as ``evalsuite report`` and ``compare`` read them.

    Parameters
    ----------
    name_or_path : str or path
        A ``results.json`` (of ``run``, or of ``evaluate --json``), a report folder holding
        one, or a run in the store: its id, a unique id prefix, its name (the latest complete
        run of that name) or ``"latest"``.
    store : str or path, optional
        The results store (default ``reports/results.sqlite``); opened read-only, never created.

    Returns
    -------
    Run

    Raises
    ------
    EvalsuiteError
        For a missing or damaged file or store, or a run the store does not hold.
    """
    from evalsuite.store.sqlite import DEFAULT_STORE, load_run_ref

    return Run(load_run_ref(os.fspath(name_or_path), store if store is not None else DEFAULT_STORE))


__all__ = ["Run", "load_run"]
