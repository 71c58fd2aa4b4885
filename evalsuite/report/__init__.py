"""Rendering of results: terminal, Markdown, HTML with plots, JSON. No computation here.

Entry points: :func:`write_report` (report folder) and :func:`print_summary`
(terminal table at the end of a run). What they show besides raw scores comes in an
:class:`evalsuite.analysis.types.Analysis`.
"""

from .terminal import print_summary, summary_table
from .writer import report_dir, write_report

__all__ = ["print_summary", "summary_table", "report_dir", "write_report"]
