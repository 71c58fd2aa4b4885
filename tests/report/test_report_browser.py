"""The HTML report in a real browser (headless Chromium)."""

import base64

import pytest

from evalsuite.report import write_report
from evalsuite.report.browser_check import check_page, find_chromium, main

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")]


def test_report_renders_in_chromium(tmp_path, run_result, analysis):
    paths = write_report(run_result, tmp_path, analysis)
    n_figures = paths["html"].read_text().count("<img ")
    result = check_page(paths["html"], screenshot=tmp_path / "shot.png")
    assert result.problems() == []
    assert result.ok
    assert result.title == "evalsuite report: unit-run"
    assert len(result.images) == n_figures >= 6
    assert all(im["w"] > 100 for im in result.images)
    assert result.tables >= 8
    assert result.screenshot_colors > 50  # text, tables and plots, not a blank page


def test_check_catches_broken_images_and_errors(tmp_path, capsys):
    bad_png = base64.b64encode(b"\x89PNG\r\n\x1a\nnot really").decode()
    page = tmp_path / "bad.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>bad</title></head><body><p>text</p>"
        f'<img alt="broken" src="data:image/png;base64,{bad_png}">'
        "<script>console.error('boom'); undefinedFunction();</script></body></html>")
    # through the command-line entry point: one browser start for the whole test
    assert main([str(page)]) == 1
    problems = capsys.readouterr().out
    assert "image not loaded: broken" in problems
    assert "console.error: boom" in problems
    assert "undefinedFunction" in problems
