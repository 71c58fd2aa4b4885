"""The committed example of the default report (reports/example/), opened in headless Chromium.

It is the report of a fresh default run (`python benchmarks/bench_run.py --keep reports/example`).
"""

import json
import re
from pathlib import Path

import pytest

from evalsuite.report.browser_check import check_pages, find_chromium

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "reports" / "example"
# The default run's report.html before the answer-first layout, measured at 1280 px by this
# browser check: 12,322 px. The layout must bring it to at most 40% of that.
HEIGHT_BEFORE = 12_322


def test_the_example_holds_the_rendered_report_but_no_per_item_outputs():
    md = (EXAMPLE / "report.md").read_text(encoding="utf-8")
    assert (EXAMPLE / "report.html").is_file() and not (EXAMPLE / "results.json").exists()
    linked = re.findall(r"\]\((plots/[^)]+\.png)\)", md)
    assert linked and all((EXAMPLE / p).is_file() for p in linked)
    # the Markdown mirrors the page: the answer, the scoreboard, then the details
    order = [md.index(h) for h in ("## The answer", "## Scoreboard", "## Evidence for the verdict", "## Settings",
                                   "## Fine-tuning")]
    assert order == sorted(order)
    assert "(reports/example/first-screen.png)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert (EXAMPLE / "first-screen.png").is_file()


@pytest.mark.browser
@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")
def test_the_example_answers_on_its_first_screen_and_is_short(artifacts):
    out = artifacts
    measured = {}
    windows = {"desktop": (1280, 800), "phone": (390, 844)}
    results = check_pages([(EXAMPLE / "report.html", w, h, out / f"example-{w}.png") for w, h in windows.values()])
    for name, result in zip(windows, results):
        assert result.problems() == [], name  # loads, every image decodes, no error, no sideways scrolling
        assert result.on_first_screen("answer"), (name, result.marks)
        measured[name] = result.page_height
        if name == "desktop":
            assert result.on_first_screen("scoreboard"), result.marks
    assert measured["desktop"] <= 0.4 * HEIGHT_BEFORE, measured
    (out / "example-page-size.json").write_text(json.dumps(measured, indent=2) + "\n", encoding="utf-8")
