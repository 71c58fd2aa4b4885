"""The history in the terminal and as a page: marks, breaks, width, self-containment."""

import io
import re

from rich.console import Console

import historyruns
from evalsuite.analysis.history import history
from evalsuite.report.history import print_history
from evalsuite.report.history_page import render_history_html, write_history_html


def _printed(h, width=100) -> str:
    buf = io.StringIO()
    print_history(h, Console(file=buf, width=width, color_system=None))
    return buf.getvalue()


def test_terminal_marks_the_drop_and_fits_100_columns():
    h = history(historyruns.runs(5, drop_in=3), historyruns.baseline(), baseline_name="cfg-baseline")
    out = _printed(h)
    assert max(len(line) for line in out.splitlines()) <= 100
    [row] = [line for line in out.splitlines() if "ws353" in line and "sgns" in line and "│" in line]
    cells = [c.strip() for c in row.split("│")[3:-1]]
    assert cells == ["0.600", "0.604", "0.597", "0.402▼", "0.599"]
    text = " ".join(out.split())  # the run lines and the legend wrap at the console's width
    assert "#4 cfg-20260513-0003 · 2026-05-13 09:30 · git 3333333 · check: 1 failure" in text
    assert "▼ a significant drop" in text


def test_terminal_splits_many_runs_over_tables_that_fit():
    runs, baseline = historyruns.many(20, 3, 2)
    out = _printed(history(runs, baseline), width=100)
    assert max(len(line) for line in out.splitlines()) <= 100
    assert all(f"#{i}" in out for i in range(1, 21))  # every run's column shown whole
    text = " ".join(out.split())  # the run lines wrap at the console's width
    assert "‖#5" in out and "break before #5: corpus fingerprint differs" in text
    assert "not checked: not comparable with the baseline (corpus fingerprint)" in text


def test_page_is_self_contained_grouped_by_kind_and_marks_drops_and_breaks(tmp_path):
    runs, baseline = historyruns.many(20, 17, 5)
    h = history(runs, baseline, baseline_name="big-baseline")
    page = render_history_html(h)
    assert page.count("<svg ") == len(h.series) == 85
    assert page.index('id="kind-similarity"') < page.index('id="kind-analogy"')
    assert re.findall(r'data-failed="([0-9,]+)"', page) == ["13"]  # sgns's first task, run 13
    assert page.count('class="break"') == 85  # one rule per panel, at run 5
    assert page.count('class="band"') == 85 and "the drop the gate tolerates" in page
    assert "<script" not in page and not re.search(r'(src|href)="(?!#|data:)', page)
    path = tmp_path / "h" / "history.html"
    write_history_html(h, path)
    assert path.read_text(encoding="utf-8") == page and [p.name for p in path.parent.iterdir()] == ["history.html"]


def test_a_change_is_shown_in_its_scores_unit():
    from evalsuite.report.history_page import _change_text

    assert _change_text(-0.0571, "similarity") == "-0.057"
    assert _change_text(-0.038, "analogy") == "-3.8"  # accuracy points, as the scores beside it
    assert _change_text(None, "analogy") == "–"
