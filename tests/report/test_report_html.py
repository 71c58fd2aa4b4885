import pytest
import base64
import re
from html.parser import HTMLParser

from evalsuite.report.content import build_document
from evalsuite.report.document import Callout, Document, Heading, Marked, Paragraph, Table
from evalsuite.report.html import PRINT_SCRIPT, render_html

pytestmark = pytest.mark.usefixtures("fast_plots")


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.refs, self.imgs = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("src", "href", "action", "data"):
            if attrs.get(key) is not None:
                self.refs.append((tag, attrs[key]))
        if tag == "img":
            self.imgs.append(attrs["src"])


def test_html_is_self_contained(run_result, analysis):
    doc = build_document(run_result, analysis)
    page = render_html(doc)
    parser = _Collect()
    parser.feed(page)
    assert len(parser.imgs) == len(doc.figures) > 0
    for tag, ref in parser.refs:
        assert ref.startswith("data:") or ref.startswith("#"), (tag, ref[:40])
    assert not re.search(r"https?://", page)
    assert "@import" not in page and "url(" not in page
    # the embedded images are the very PNGs
    for fig, src in zip(doc.figures, parser.imgs):
        assert base64.b64decode(src.split(",", 1)[1]) == fig.png


def test_html_escapes_text_and_keeps_numbers(run_result, analysis):
    doc = Document("a <b> & c", (Paragraph(Marked("x < y **bold**")), Callout("warning", "leak <here>"),
                                 Table(["h"], [["<script>alert(1)</script>"]])))
    page = render_html(doc)
    assert "<title>a &lt;b&gt; &amp; c</title>" in page
    assert "x &lt; y <strong>bold</strong>" in page
    assert "<strong>Warning:</strong> leak &lt;here&gt;" in page
    # the page's only script is its own: open every <details> before printing
    assert page.count("<script") == 1 and PRINT_SCRIPT in page and "<script>alert" not in page
    full = render_html(build_document(run_result, analysis))
    assert '<td class="num">0.630</td>' in full
    assert "is better than GloVe on similarity" in full


def test_tables_scroll_in_their_own_box_and_images_have_their_display_size(run_result, analysis):
    page = render_html(build_document(run_result, analysis))
    assert page.count("<table>") == page.count('<div class="scroll"><table>') > 0
    assert ".scroll{overflow-x:auto" in page
    # fast_plots draws 8 × 6 pixels: shown at half size (plots.PIXEL_RATIO = 2)
    imgs = re.findall(r"<img [^>]*>", page)
    assert imgs and all(' width="4" height="3" ' in img for img in imgs)
    assert "@media print{" in page


def test_contents_link_to_unique_section_anchors(run_result, analysis):
    doc = Document("t", (Heading(2, "Word similarity"), Heading(3, "Word similarity"), Heading(2, "Training"),
                         Paragraph("x")))
    page = render_html(doc)
    assert ('<nav class="toc" aria-label="Contents"><strong>Contents</strong><ol>'
            '<li><a href="#word-similarity">Word similarity</a></li>'
            '<li><a href="#training">Training</a></li></ol></nav>') in page
    assert '<h3 id="word-similarity-2">' in page
    full = render_html(build_document(run_result, analysis))
    ids = re.findall(r' id="([^"]+)"', full)
    assert len(ids) == len(set(ids))
    links = re.findall(r'<a href="#([^"]+)"', full)
    assert len(links) >= 5 and set(links) <= set(ids)
