"""``evalsuite.compare``: two sets of word vectors (or two runs) task by task, with paired
tests and a verdict."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from evalsuite.analysis.compatibility import Mismatch
from evalsuite.analysis.paired import ALPHA
from evalsuite.analysis.types import Analysis, Comparison, Verdict
from evalsuite.core.errors import ConfigError
from evalsuite.core.results import RunResult
from evalsuite.evaluate.base import Task
from evalsuite.evaluate.protocol import Protocol
from .display import console_text, frame
from .evaluation import evaluate
from .inputs import UNNAMED, Vectors, resolve_protocol, resolve_tasks
from .results import Results

#: the fields of a comparison's record, in column order
COMPARISON_FIELDS = ("embedding", "task", "kind", "variant", "metric", "a", "b", "score_a", "score_b", "diff",
                     "ci_low", "ci_high", "test", "p_value", "p_adjusted", "significant", "n")
#: the names of the two sides when they have none of their own
SIDES = ("A", "B")


@dataclass(frozen=True, repr=False)
class RunComparison:
    """A against B, task by task: what ``evalsuite compare`` prints, and the verdict.

    Parameters
    ----------
    analysis : Analysis
        :func:`~evalsuite.analysis.compare.compare_runs`: the difference A − B on every
        (embedding, task) both hold, with its 95% CI and paired test, Holm-corrected across them.
    verdicts : tuple of Verdict
        Which side is better, per task kind and over all tasks
        (:func:`~evalsuite.analysis.compare.pair_verdicts`).
    mismatches : tuple of Mismatch
        What makes the two not strictly comparable (compared anyway: ``allow_mismatch``).
    """

    analysis: Analysis
    verdicts: tuple[Verdict, ...]
    mismatches: tuple[Mismatch, ...] = ()

    @property
    def comparisons(self) -> tuple[Comparison, ...]:
        """The paired tests, one per (embedding, task) both sides hold."""
        return self.analysis.comparisons

    def markdown(self) -> str:
        """The output of ``evalsuite compare``: any mismatch, then the table of differences."""
        from evalsuite.analysis.compatibility import mismatch_notice
        from evalsuite.report.comparisons import comparison_markdown

        return mismatch_notice(list(self.mismatches)) + comparison_markdown(self.analysis)

    def __str__(self) -> str:
        from evalsuite.core.markup import rich_text
        from evalsuite.report.comparisons import verdict_sentence
        from evalsuite.report.document import plain

        def draw(console):
            for v in self.verdicts:
                console.print(rich_text(f"{v.kind}: {plain(verdict_sentence(v)[1])}"), soft_wrap=True)

        return self.markdown() + ("\n" + console_text(draw) if self.verdicts else "")

    def _repr_html_(self) -> str:
        from evalsuite.report.answer import one_sentence
        from evalsuite.report.compact import compact
        from evalsuite.report.comparisons import comparison_table
        from evalsuite.report.document import Callout, Paragraph
        from evalsuite.report.html import render_fragment

        blocks = [Callout("warning", "Not strictly comparable (compared anyway): "
                          + "; ".join(m.text() for m in self.mismatches))] if self.mismatches else []
        blocks += [Callout(*one_sentence(v)) for v in self.verdicts]
        blocks += compact(comparison_table(self.comparisons)) if self.comparisons else [
            Paragraph("No (embedding, task) pair is present in both.")]
        return render_fragment(blocks)

    def __repr__(self) -> str:
        runs = self.analysis.runs
        return f"<RunComparison {runs.run!r} vs {runs.baseline_run!r}: {len(self.comparisons)} paired test(s)>"

    def to_records(self) -> list[dict]:
        """One flat dict per paired test: the embedding and task, both scores, the difference
        A − B with its 95% CI (``ci_low``, ``ci_high``), the test, its p-values before and after
        Holm's correction, whether it is significant and the number of paired items ``n``."""
        out = []
        for c in self.comparisons:
            low, high = c.ci95 if c.ci95 is not None else (None, None)
            out.append({"embedding": c.a.rsplit(" (", 1)[0], "task": c.task, "kind": c.kind,
                        "variant": c.variant.text or None, "metric": c.metric, "a": c.a, "b": c.b,
                        "score_a": c.score_a, "score_b": c.score_b, "diff": c.diff, "ci_low": low, "ci_high": high,
                        "test": c.test, "p_value": c.p_value, "p_adjusted": c.p_adjusted,
                        "significant": c.significant, "n": c.n})
        return out

    def to_frame(self):
        """:meth:`to_records` as a pandas ``DataFrame`` (needs pandas: ``pip install pandas``)."""
        return frame(self.to_records(), COMPARISON_FIELDS)


def _side_names(a, b, names) -> tuple[str, str]:
    if names is not None:
        if (not isinstance(names, (list, tuple)) or len(names) != 2 or not all(isinstance(n, str) for n in names)
                or names[0] == names[1]):
            raise ConfigError(f"names: expected two different strings, got {names!r}")
        return names[0], names[1]
    own = [x.run.run_id if isinstance(x, Results) else None for x in (a, b)]
    return (own[0], own[1]) if None not in own and own[0] != own[1] else SIDES


def _runs(a, b, names, tasks, protocol, restrict_vocab, format) -> tuple[RunResult, RunResult]:
    """Both sides as runs: a result as it is (renamed when ``names`` are given), vectors scored
    under one embedding name (``"vectors"``) so that their results pair task by task."""
    labels = _side_names(a, b, names)
    if not all(isinstance(x, Results) for x in (a, b)):  # checked once, before any vectors are read
        protocol, tasks = resolve_protocol(protocol, restrict_vocab), resolve_tasks(tasks)
    runs = []
    for x, label in zip((a, b), labels):
        if isinstance(x, Results):
            runs.append(x.run if names is None else replace(x.run, run_id=label))
        else:
            runs.append(evaluate({UNNAMED: x}, tasks, protocol, format=format, run_id=label).run)
    return runs[0], runs[1]


def compare(a: Vectors | Results, b: Vectors | Results, tasks: str | Task | Iterable[str | Task] | None = None,
            protocol: str | Protocol = "default", *, restrict_vocab: int | None = None, format: str | None = None,
            names: Sequence[str] | None = None, allow_mismatch: bool = False, alpha: float = ALPHA) -> RunComparison:
    """Compare A with B task by task: the difference A − B with its 95% CI and paired test
    (Holm-corrected across the tasks), and which side is better, as ``evalsuite compare`` does.

    Parameters
    ----------
    a, b : vectors, Evaluation or Run
        Word vectors in any form :func:`~evalsuite.api.evaluate` takes (scored here, both on the
        same tasks), or results already made (:func:`~evalsuite.api.evaluate`,
        :func:`~evalsuite.api.load_run`), whose (embedding, task) pairs are matched by name.
    tasks : str, Task or iterable of them, optional
        For vectors: dataset names or files (default every bundled similarity and analogy dataset).
    protocol : str or Protocol
        For vectors: the protocol (``"default"`` or ``"gensim"``).
    restrict_vocab : int, optional
        For vectors: use only that many most frequent words (0: all).
    format : str, optional
        For vector files: their format (detected when omitted).
    names : (str, str), optional
        The names of A and B (default: the run ids of two results, else ``"A"`` and ``"B"``).
    allow_mismatch : bool
        Compare even when the protocol, corpus or vocabulary policy differ (the result lists
        the differences); otherwise that is an error.
    alpha : float
        Significance level after Holm's correction.

    Returns
    -------
    RunComparison
        The paired tests (``comparisons``, ``to_frame()``) and the ``verdicts``.

    Raises
    ------
    EvalsuiteError
        For bad input, or two sides that are not comparable (unless ``allow_mismatch``).
    """
    from evalsuite.analysis.compare import compare_runs, pair_verdicts
    from evalsuite.analysis.compatibility import require_compatible

    run_a, run_b = _runs(a, b, names, tasks, protocol, restrict_vocab, format)
    found = require_compatible(run_a, run_b, allow=allow_mismatch)
    analysis = compare_runs(run_a, run_b, alpha=alpha)
    if found:
        analysis = replace(analysis, runs=replace(analysis.runs, mismatches=tuple(m.text() for m in found)))
    sides = (run_a.run_id, run_b.run_id) if run_a.run_id != run_b.run_id else SIDES
    return RunComparison(analysis, pair_verdicts(run_a, analysis, sides, alpha=alpha), tuple(found))


__all__ = ["COMPARISON_FIELDS", "RunComparison", "compare"]
