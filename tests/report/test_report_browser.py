"""The HTML report in a real browser (headless Chromium), at desktop and phone width.

Screenshots of the first screen and the measured page sizes go to ``$EVALSUITE_ARTIFACTS``
(default ``test-artifacts/`` in the repository root), which CI keeps.
"""

import base64
import json
from pathlib import Path

import pytest

from evalsuite.report import write_report
from evalsuite.report.browser_check import check_page, check_pages, find_chromium, main

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")]

WINDOWS = {"desktop": (1280, 800), "phone": (390, 844)}


def test_report_renders_in_chromium_at_desktop_and_phone_width(tmp_path, run_result, analysis, artifacts):
    paths = write_report(run_result, tmp_path, analysis)
    n_figures = paths["html"].read_text().count("<img ")
    out = artifacts
    measured = {}
    # both sizes in one browser, each in its own tab
    results = check_pages([(paths["html"], w, h, out / f"first-screen-{w}.png") for w, h in WINDOWS.values()])
    for (name, (width, height)), result in zip(WINDOWS.items(), results):
        assert result.problems() == [], name  # loads, no console error, no sideways scrolling
        assert result.ok
        assert result.title == "evalsuite report: unit-run"
        assert result.viewport_width == width and result.page_width == width
        assert len(result.images) == n_figures >= 6
        assert all(im["w"] > 100 for im in result.images)
        assert result.tables >= 8
        assert result.screenshot_colors > 50  # text, tables and plots, not a blank page
        measured[name] = {"width": width, "window_height": height, "page_height": result.page_height,
                          "screenshot": result.screenshot.name}
    assert measured["phone"]["page_height"] > measured["desktop"]["page_height"] > 800
    (out / "page-size.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
    print(f"report page height at 1280 px: {measured['desktop']['page_height']} px")


def test_check_catches_broken_images_errors_and_sideways_scrolling(tmp_path, capsys):
    bad_png = base64.b64encode(b"\x89PNG\r\n\x1a\nnot really").decode()
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title></head><body><p>text</p>"
        f'<img alt="broken" src="data:image/png;base64,{bad_png}">'
        '<table id="wide" style="width:1600px"><tr><td>cell</td></tr></table>'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>")
    # through the command-line entry point: one browser start for the whole test
    assert main([str(page), "--width", "390"]) == 1
    problems = capsys.readouterr().out
    assert "image not loaded: broken" in problems
    assert "console.error: boom" in problems
    assert "undefinedFunction" in problems
    assert "scrolls sideways: 1608 px wide in a 390 px window; too wide: table#wide" in problems


def test_a_missing_page_is_a_problem_not_a_blank_pass(tmp_path):
    result = check_page(tmp_path / "nowhere.html")
    assert not result.ok and result.problems() == ["the page did not finish loading",
                                                   f"{tmp_path / 'nowhere.html'}: no such file"]
