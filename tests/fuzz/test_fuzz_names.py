"""Any name (embedding, task, run) is shown as text: the terminal summary and the figures never
fail on it, report.md holds no HTML or link made from it, report.html escapes it, and its
control characters (ANSI, OSC-8, newline, NUL) print as visible escapes in the terminal, in
both reports and in the command line's one-line errors."""

import html
import re
import warnings
from contextlib import ExitStack, redirect_stderr, redirect_stdout
from io import StringIO
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console

from evalsuite.core.results import RunResult, TaskResult
from evalsuite.analysis.types import Analysis, Comparison, Verdict
from evalsuite.report import print_summary, score_plots, training_plots
from evalsuite.report.content import build_document
from evalsuite.report.html import PRINT_SCRIPT, render_html
from evalsuite.report.markdown import render_markdown
from evalsuite.core.markup import visible
from limits import within
from mutate import EXAMPLES, REFUSED, scratch

NAME = st.text(min_size=1, max_size=24)
_PLOTS = ((score_plots, "analogy_heatmap"), (score_plots, "throughput_bars"), (score_plots, "similarity_scores"),
          (training_plots, "loss_curves"), (training_plots, "learning_curves"),
          (training_plots, "regularization_curves"))  # stubbed here (drawing is slow); test_names_in_figures draws


def _run(run_name, embeddings, task) -> RunResult:
    results = tuple(TaskResult(task=task, kind="similarity", embedding=e, main_score=0.5 + i / 10,
                               scores={"spearman": 0.5}, n_items=10, n_scored=9, ci95=(0.1, 0.9),
                               main_score_name="spearman") for i, e in enumerate(embeddings))
    return RunResult(run_id="r1", name=run_name, task_results=results,
                     embeddings=tuple({"name": e, "meta": {"trainer": "t", "seed": 0}} for e in embeddings))


def _analysis(a, b, task) -> Analysis:
    comp = Comparison(task=task, kind="similarity", a=a, b=b, metric="spearman", score_a=0.6,
                      score_b=0.5, diff=0.1, test="paired bootstrap", p_value=0.01, significant=True)
    return Analysis(verdicts=(Verdict("similarity", a, a=a, b=b, test="paired bootstrap", p_value=0.01,
                                      comparisons=(comp,)),), comparisons=(comp,))


def _walk(tokens):
    for t in tokens:
        yield t
        yield from _walk(t.children or ())


@given(run_name=NAME, names=st.lists(NAME, min_size=2, max_size=3, unique=True), task=NAME)
def test_names_are_text_in_every_report(run_name, names, task):
    EXAMPLES["names in reports"] += 1
    run, analysis = _run(run_name, names, task), _analysis(names[0], names[1], task)
    print_summary(run, analysis, console=Console(file=StringIO(), width=200),
                  report_paths={"markdown": f"reports/{run_name}/report.md"})
    with ExitStack() as stack:
        for module, plot in _PLOTS:
            stack.enter_context(mock.patch.object(module, plot, lambda *a, **k: b"png"))
        doc = build_document(run, analysis)
    md = render_markdown(doc)
    tokens = list(_walk(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)))
    assert not [t for t in tokens if t.type in ("html_inline", "link_open")]
    assert all(t.content.startswith(("<details><summary>", "</details>")) for t in tokens if t.type == "html_block")
    assert all(t.attrs["src"].startswith("plots/") for t in tokens if t.type == "image")
    page = render_html(doc)
    assert page.replace(PRINT_SCRIPT, "").count("<script") == 0 and page.count("<img") == len(doc.figures)


@settings(max_examples=3)  # a figure takes a tenth of a second or more
@given(names=st.lists(NAME, min_size=1, max_size=3, unique=True), task=NAME)
def test_names_in_figures(names, task):
    EXAMPLES["names in figures"] += 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # glyphs missing from the font
        scores = {n: {task: (0.5, (0.25, 0.75))} for n in names}
        assert score_plots.similarity_scores([task], names, scores).startswith(b"\x89PNG")
        assert score_plots.analogy_heatmap(names, [task], [[0.5]] * len(names), title=task).startswith(b"\x89PNG")


# --- control characters and markup ------------------------------------------------------
_FRAGMENTS = st.sampled_from([
    "\x1b[2J", "\x1b[31m", "\x1b[5m", "\x1b]8;;http://e.x\x1b\\", "\x1b]8;;\x07", "\n", "\t", "\r", "\x00",
    "\x07", "\x7f", "\x9b", "\u202e", "[blink]", "[/]", "[link=http://e.x]", ":fire:", "`", "**", "<b>",
    "</b>", "_", "|", "\\", "[x](y)", "#", "- ",
])
HOSTILE = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=4)), min_size=1, max_size=6).map("".join)
_RAW = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _no_raw(text: str, where: str) -> None:
    found = _RAW.search(text.replace("\n", ""))
    assert found is None, f"{where}: raw {found.group(0)!r} in the output"


@given(run_name=HOSTILE, names=st.lists(HOSTILE, min_size=2, max_size=3, unique=True), task=HOSTILE)
def test_control_characters_in_names_are_visible_everywhere(run_name, names, task):
    EXAMPLES["control characters in names"] += 1
    run, analysis = _run(run_name, names, task), _analysis(names[0], names[1], task)
    with within(10, "the summary and both reports"):
        buf = StringIO()
        print_summary(run, analysis, console=Console(file=buf, width=400),
                      report_paths={"markdown": f"reports/{run_name}/report.md"})
        with ExitStack() as stack:
            for module, plot in _PLOTS:
                stack.enter_context(mock.patch.object(module, plot, lambda *a, **k: b"png"))
            doc = build_document(run, analysis)
        md, page = render_markdown(doc), render_html(doc)
    terminal = buf.getvalue()
    for out, where in ((terminal, "terminal"), (md, "report.md"), (page, "report.html")):
        _no_raw(out, where)
    assert visible(names[0]).strip() in terminal  # the name's visible form, as a user reads it
    tokens = list(_walk(MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)))
    shown = "".join(t.content for t in tokens if t.type in ("text", "code_inline"))
    assert visible(f"evalsuite report: {run_name}").strip() in shown
    assert html.escape(visible(f"evalsuite report: {run_name}")) in page
    assert not [t for t in tokens if t.type in ("html_inline", "link_open")]


@settings(max_examples=6)  # each is a command line in this process
@given(name=HOSTILE.filter(lambda s: "\x00" not in s and "/" not in s and s.strip(". ")))
def test_error_lines_show_names_as_one_visible_line(name):
    EXAMPLES["control characters in error lines"] += 1
    REFUSED["control characters in error lines"] += 1
    from evalsuite.cli import main

    with scratch() as folder:
        task = folder / "pairs.txt"
        task.write_text("cat\tdog\t9\n", encoding="utf-8")
        err = StringIO()
        with within(10, "evaluate of a missing file"), redirect_stderr(err), redirect_stdout(StringIO()):
            status = main(["evaluate", str(folder / name), "--task", str(task)])
        assert status == 2
        lines = err.getvalue().splitlines()
        assert len(lines) == 1 and lines[0].startswith("evalsuite: error: "), lines
        _no_raw(lines[0], "error line")
        assert visible(name) in lines[0]
