"""The scores of a run, as the public functions return them: printed as the terminal tables,
shown in a notebook as the report's HTML, and given as records or a ``DataFrame``."""

from __future__ import annotations

from functools import cached_property

from rich.console import Console

from evalsuite.analysis.types import Analysis
from evalsuite.core.results import RunResult, TaskResult
from .display import TASK_FIELDS, console_text, frame, task_record


class Results:
    """Task results of one run (:class:`~evalsuite.core.results.RunResult`).

    ``print(results)`` shows the terminal tables, a notebook shows the report's HTML
    (``_repr_html_``), and :meth:`to_records` / :meth:`to_frame` give one row per task result.

    Parameters
    ----------
    run : RunResult
        The run.
    """

    def __init__(self, run: RunResult):
        self.run = run

    @property
    def task_results(self) -> tuple[TaskResult, ...]:
        """Every task result, in the run's order."""
        return self.run.task_results

    @cached_property
    def analysis(self) -> Analysis:
        """What the report shows besides the scores (:func:`~evalsuite.analysis.compare.analyze`):
        the scoreboard, across-seed summaries and the Word2Vec-or-GloVe verdicts."""
        from evalsuite.analysis.compare import analyze

        return analyze(self.run)

    def show(self, console: Console | None = None) -> None:
        """Print the terminal tables on ``console`` (default: standard output)."""
        raise NotImplementedError

    def html_blocks(self) -> list:
        """The report blocks :meth:`_repr_html_` renders."""
        raise NotImplementedError

    def to_records(self) -> list[dict]:
        """One flat dict per task result.

        Returns
        -------
        list of dict
            Keys ``run``, ``embedding`` (the embedding group), ``seed``, ``task``, ``kind``,
            ``variant`` (fine-tuning: model, mode and settings), ``metric``, ``score``,
            ``ci_low``, ``ci_high`` (None without a CI), ``n_items``, ``n_scored``,
            ``coverage``, ``sufficient`` and ``protocol``.
        """
        return [task_record(self.run.run_id, r) for r in self.task_results]

    def to_frame(self):
        """:meth:`to_records` as a pandas ``DataFrame`` (needs pandas: ``pip install pandas``)."""
        return frame(self.to_records(), TASK_FIELDS)

    def __str__(self) -> str:
        return console_text(self.show)

    def _repr_html_(self) -> str:
        from evalsuite.report.html import render_fragment

        return render_fragment(self.html_blocks())

    def __repr__(self) -> str:
        embeddings = len({r.key.embedding for r in self.task_results})
        tasks = len({r.task for r in self.task_results})
        return (f"<{type(self).__name__} {self.run.run_id!r}: {embeddings} embedding(s) x {tasks} task(s), "
                f"{len(self.task_results)} result(s)>")


__all__ = ["Results"]
