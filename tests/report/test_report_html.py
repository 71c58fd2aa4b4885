import pytest
import base64
import re
from html.parser import HTMLParser

from evalsuite.report.content import build_document
from evalsuite.report.document import Callout, Document, Paragraph, Table
from evalsuite.report.html import render_html

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
    doc = Document("a <b> & c", (Paragraph("x < y **bold**"), Callout("warning", "leak <here>"),
                                 Table(["h"], [["<script>alert(1)</script>"]])))
    page = render_html(doc)
    assert "<title>a &lt;b&gt; &amp; c</title>" in page
    assert "x &lt; y <strong>bold</strong>" in page
    assert "<strong>Warning:</strong> leak &lt;here&gt;" in page
    assert "<script>" not in page
    full = render_html(build_document(run_result, analysis))
    assert '<td class="num">0.630</td>' in full
    assert "is better than GloVe on similarity" in full
