"""The history page in headless Chromium at desktop and phone width (one browser, two pages)."""

import pytest

import historyruns
from evalsuite.analysis.history import history
from evalsuite.report.browser_check import check_pages, find_chromium
from evalsuite.report.history_page import write_history_html

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")]

WIDTHS = {1280: 800, 390: 844}


def test_history_pages_render_at_desktop_and_phone_width(tmp_path, artifacts):
    small = tmp_path / "five.html"  # 5 runs of one config, a drop injected in one
    write_history_html(history(historyruns.runs(5, drop_in=3), historyruns.baseline()), small)
    big = tmp_path / "big.html"  # 20 runs × 85 scores, a break and a drop
    runs, baseline = historyruns.many(20, 17, 5)
    write_history_html(history(runs, baseline), big)
    pages = [(p, w, h, artifacts / f"history-{p.stem}-{w}.png") for p in (small, big) for w, h in WIDTHS.items()]
    for (path, width, _, _), result in zip(pages, check_pages(pages)):
        assert result.problems() == [], (path.name, width)  # loads, no console error, no sideways scrolling
        assert result.title.startswith("evalsuite history: ")
        assert result.viewport_width == width and result.page_width == width
        assert result.on_first_screen("failures")  # the check's failures are said on the first screen
