import pytest
from io import StringIO

from rich.console import Console

from evalsuite.report import Analysis, print_summary

pytestmark = pytest.mark.usefixtures("fast_plots")


def _render(run, analysis=None, **kw):
    buf = StringIO()
    print_summary(run, analysis, console=Console(file=buf, width=140, color_system=None), **kw)
    return buf.getvalue()


def test_summary_shows_scores_and_verdicts(run_result, analysis):
    out = _render(run_result, analysis, report_paths={"markdown": "reports/unit-run/report.md"})
    lines = out.splitlines()
    row = next(line for line in lines if "sgns@seed1" in line)
    assert "0.630 (96%)" in row and "0.300 (99%)" in row and "55.6% (90%)" in row
    ft = next(line for line in lines if "sgns" in line and "finetuned" in line)
    assert "79.0 ± 1.0%" in ft  # wd=0 only: 0.78, 0.79, 0.80
    assert "Word2Vec is better than GloVe on similarity" in out
    assert "No significant difference between Word2Vec and GloVe on analogy" in out
    assert "markdown: reports/unit-run/report.md" in out


def test_summary_without_verdicts(run_result):
    out = _render(run_result, Analysis())
    assert "no verdict" in out and "is better" not in out
