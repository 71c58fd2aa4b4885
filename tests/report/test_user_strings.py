"""Names are text everywhere: escaped for rich in the terminal, for Markdown in report.md
(which holds no HTML), and for HTML in report.html."""

import dataclasses
import html
import re
from io import StringIO

import pytest
from rich.console import Console

from evalsuite.analysis.types import Analysis, Comparison, Verdict
from evalsuite.report import print_summary
from evalsuite.report.content import build_document
from evalsuite.report.html import render_html
from evalsuite.report.markdown import markdown_text, render_markdown

pytestmark = pytest.mark.usefixtures("fast_plots")

HOSTILE = {
    "sgns@seed0": "[/bad][red]x",
    "glove@seed0": "<script>alert(1)</script>",
    "sgns@seed1": "<img src=x onerror=alert(1)>",
    "glove@seed1": "[click](javascript:alert(1))|**b**_i_",
}


def renamed(run, names=HOSTILE, run_name="[red]run<b>"):
    tasks = tuple(dataclasses.replace(t, embedding=names.get(t.embedding, t.embedding))
                  for t in run.task_results)
    embeddings = tuple({**e, "name": names.get(e["name"], e["name"])} for e in run.embeddings)
    return dataclasses.replace(run, name=run_name, task_results=tasks, embeddings=embeddings)


def hostile_analysis():
    a, b = HOSTILE["sgns@seed0"], HOSTILE["glove@seed0"]
    comp = Comparison(task="ws353", kind="similarity", a=a, b=b, metric="spearman", score_a=0.6,
                      score_b=0.5, diff=0.1, test="paired bootstrap", p_value=0.01, significant=True)
    return Analysis(verdicts=(Verdict("similarity", a, a=a, b=b, test="paired bootstrap",
                                      p_value=0.01, comparisons=(comp,)),), comparisons=(comp,))


def test_terminal_summary_prints_markup_in_names_as_text(run_result):
    buf = StringIO()
    print_summary(renamed(run_result), hostile_analysis(), console=Console(file=buf, width=400),
                  report_paths={"markdown": "reports/[red]x[bold]/report.md"})
    out = buf.getvalue()
    for name in HOSTILE.values():
        assert name in out  # was: rich.errors.MarkupError on "[/bad]"
    assert "similarity: [/bad][red]x is better than <script>alert(1)</script>" in out
    assert "markdown: reports/[red]x[bold]/report.md" in out


def _tokens(md_text):
    from markdown_it import MarkdownIt

    def walk(tokens):
        for t in tokens:
            yield t
            yield from walk(t.children or ())

    return list(walk(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md_text)))


def test_report_markdown_shows_names_as_text_and_holds_no_html(run_result):
    md = render_markdown(build_document(renamed(run_result), hostile_analysis()))
    assert "<script" not in md and "<img" not in md and "<b>" not in md
    tokens = _tokens(md)
    kinds = {t.type for t in tokens}
    assert "html_inline" not in kinds
    # the only links are the renderer's own, to a heading of the report
    assert all(t.attrs["href"].startswith("#") for t in tokens if t.type == "link_open")
    # the only HTML is the renderer's own folding of details: <details> with an escaped summary
    blocks = [t.content for t in tokens if t.type == "html_block"]
    assert "<details><summary>Configuration (hash cafe1234)</summary>\n" in blocks
    assert all(re.fullmatch(r"<details><summary>[^<>]*</summary>\n|</details>\n", b) for b in blocks), blocks
    assert all(t.attrs["src"].startswith("plots/") for t in tokens if t.type == "image")
    shown = {t.content for t in tokens if t.type == "text"}
    for name in ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[/bad][red]x"):
        assert name in shown  # what a reader sees is the name, as written
    assert "evalsuite report: [red]run<b>" in shown


def test_report_html_escapes_names(run_result):
    page = render_html(build_document(renamed(run_result), hostile_analysis()))
    assert "<script>alert" not in page and "<img src=x" not in page
    assert html.escape("<script>alert(1)</script>") in page


@pytest.mark.parametrize("text,expected", [
    ("weight_decay=0", "weight_decay=0"),  # inside a word "_" is literal
    ("_x_ *y* `z` ~w~", "\\_x\\_ \\*y\\* \\`z\\` \\~w\\~"),
    ("a|b", "a\\|b"),
    ("[0.1, 0.2]", "[0.1, 0.2]"),
    ("[a](b) ![c](d)", "[a\\](b) ![c\\](d)"),
    ("R&D <b>", "R&amp;D &lt;b&gt;"),
    ("two\nlines", "two\\\\nlines"),  # shown as the visible form of a newline: two\nlines
    ("\x1b[2J\tx", "\\\\x1b[2J\\\\tx"),
])
def test_markdown_text(text, expected):
    assert markdown_text(text) == expected


def test_markdown_text_at_a_paragraph_start():
    assert markdown_text("- item", block_start=True) == "\\- item"
    assert markdown_text("# title", block_start=True) == "\\# title"
    assert markdown_text("1. first", block_start=True) == "1\\. first"
    assert markdown_text("3.5 points", block_start=True) == "3.5 points"


CONTROL = {
    "sgns@seed0": "\x1b[2J\x1b[31mred",
    "glove@seed0": "\x1b]8;;http://e.x\x1b\\link\x1b]8;;\x1b\\",
    "sgns@seed1": "two\nlines\ttab\x00nul\x9bcsi",
    "glove@seed1": "`code` **bold** <b>b</b>",
}
SHOWN = {
    "sgns@seed0": "\\x1b[2J\\x1b[31mred",
    "glove@seed0": "\\x1b]8;;http://e.x\\x1b\\link\\x1b]8;;\\x1b\\",
    "sgns@seed1": "two\\nlines\\ttab\\x00nul\\x9bcsi",
}
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # no control character but newline and tab


def test_control_characters_in_names_are_visible_in_the_terminal(run_result):
    buf = StringIO()
    print_summary(renamed(run_result, CONTROL, run_name="\x1b[5mrun\n"), hostile_analysis(),
                  console=Console(file=buf, width=400), report_paths={"markdown": "reports/\x1b[2J/report.md"})
    out = buf.getvalue()
    assert not RAW.search(out), repr(out)
    for shown in SHOWN.values():
        assert shown in out
    assert "\\x1b[5mrun\\n" in out and "markdown: reports/\\x1b[2J/report.md" in out


def test_control_characters_and_marks_in_names_are_text_in_both_reports(run_result):
    from evalsuite.report.document import Callout, Document, Paragraph, Table

    doc = build_document(renamed(run_result, CONTROL, run_name="\x1b[5m**run**`x`"), hostile_analysis())
    md, page = render_markdown(doc), render_html(doc)
    for out in (md, page):
        assert not RAW.search(out.replace("\n", "").replace("\t", ""))
        assert "\x1b" not in out and "\x00" not in out
    shown = {t.content for t in _tokens(md) if t.type == "text"}
    assert "evalsuite report: \\x1b[5m**run**`x`" in shown  # the title, as written
    assert "<title>evalsuite report: \\x1b[5m**run**`x`</title>" in page
    assert "`code` **bold** <b>b</b>" in shown and html.escape("`code` **bold** <b>b</b>") in page
    for name in SHOWN.values():
        assert any(name in s for s in shown) and html.escape(name) in page
    # a name's marks are never the report's: no code span or bold made from them
    assert not [t for t in _tokens(md) if t.type == "code_inline" and "code" == t.content]
    assert "<code>code</code>" not in page and "<strong>bold</strong>" not in page
    # a name of plain text inside plain document text is unchanged
    plain = render_markdown(Document("t", (Paragraph("a `b` **c**"), Callout("neutral", "x"), Table(["h"], [["**y**"]]))))
    assert "a \\`b\\` \\*\\*c\\*\\*" in plain and "\\*\\*y\\*\\*" in plain


def test_verdict_names_with_marks_stay_text():
    from evalsuite.report.comparisons import verdict_sentence
    from evalsuite.report.document import plain, spans

    a, b = "w**2v`", "gl*ve"
    kind, text = verdict_sentence(Verdict("similarity", a, a=a, b=b, test="t", p_value=0.01))
    assert spans(text)[0] == ("bold", a) and plain(text).startswith(f"{a} is better than {b} on")
