"""Rendering of results: terminal, Markdown, HTML with plots, JSON. No computation here.

Entry points: :func:`write_report` (report folder) and :func:`print_summary`
(terminal table at the end of a run). Comparison statistics are passed in as
:class:`Analysis` / :class:`Verdict` / :class:`Comparison` / :class:`SeedSummary`.
"""

from .inputs import Analysis, Comparison, SeedSummary, Verdict, as_analysis
from .terminal import print_summary, summary_table
from .writer import report_dir, write_report

__all__ = ["Analysis", "Comparison", "SeedSummary", "Verdict", "as_analysis", "print_summary",
           "summary_table", "report_dir", "write_report"]
