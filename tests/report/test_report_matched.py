"""Report sections of the comparison's fairness: settings, grid verdicts, insufficient scores."""

import dataclasses
import io

import pytest
from PIL import Image

from evalsuite.analysis.sensitivity import GridPoint, Sensitivity
from evalsuite.analysis.types import Analysis, Comparison, SettingRow, SettingsTable, Verdict
from evalsuite.report import score_plots
from evalsuite.report.content import build_document
from evalsuite.report.html import render_html
from evalsuite.report.markdown import render_markdown

pytestmark = pytest.mark.usefixtures("fast_plots")


def test_settings_table_bolds_broken_matches_and_states_reasons(run_result):
    table = SettingsTable(
        embeddings=("sgns", "cbow", "glove"), trainers=("torch-sgns", "torch-cbow", "torch-glove"),
        families=("word2vec", "word2vec", "glove"),
        rows=(SettingRow("learning_rate", (0.025, 0.05, 0.025), (False, True, False), matched=True),
              SettingRow("epochs", (3, 3, 15), (False, False, True), matched=True, declared="units differ"),
              SettingRow("x_max", (None, None, 100.0), (False, False, False))),
        declared={"epochs": "units differ"})
    md = render_markdown(build_document(run_result, Analysis(settings=table)))
    assert "| Parameter | sgns (Word2Vec) | cbow (Word2Vec) | glove (GloVe) |" in md
    assert "| learning_rate (matched) | 0.025 | **0.05** | 0.025 |" in md
    assert "| epochs (matched) | 3 | 3 | **15** |" in md
    assert "| x_max | – | – | 100 |" in md
    assert "| epochs | units differ |" in md
    assert "Matched settings that differ without a declared reason: learning_rate." in md


def _point(window, winner, ahead, diffs):
    comps = tuple(Comparison(task=t, kind="similarity", a=f"sg{window}", b=f"gl{window}", metric="spearman",
                             score_a=0.5, score_b=0.5 - d, diff=d, significant=winner is not None)
                  for t, d in diffs.items())
    v = Verdict("overall", winner, comparisons=comps, wins_a=len(comps) if winner else 0,
                ties=0 if winner else len(comps))
    return GridPoint(setting=(("window", window),), a=f"sg{window}", b=f"gl{window}", verdict=v, ahead=ahead)


def test_sensitivity_section_lists_each_setting_and_the_summary(run_result, monkeypatch):
    seen = {}

    def heatmap(tasks, settings, diffs, significant, **kw):
        seen.update(tasks=tasks, settings=settings, diffs=diffs, significant=significant)
        return b"\x89PNG\r\n\x1a\n"

    monkeypatch.setattr(score_plots, "difference_heatmap", heatmap)
    sens = Sensitivity(points=(_point(2, "Word2Vec", "Word2Vec", {"ws353": 0.1, "men": 0.2}),
                               _point(5, None, None, {"ws353": 0.0})),
                       ahead_a=1, significant_a=1, summary="Word2Vec ahead in 1 of 2 settings, significantly in 1.")
    md = render_markdown(build_document(run_result, Analysis(sensitivity=sens)))
    assert "## Does the answer depend on the hyperparameters?" in md
    assert "> ➖ Word2Vec ahead in 1 of 2 settings, significantly in 1." in md
    assert "| window=2 | sg2 | gl2 | Word2Vec | **Word2Vec** | 2 | 0 | 0 | – |" in md
    assert "| window=5 | sg5 | gl5 | tie | no winner | 0 | 0 | 1 | – |" in md
    assert "![Score difference Word2Vec − GloVe" in md and "(plots/sensitivity.png)" in md
    assert seen == {"tasks": ["ws353", "men"], "settings": ["window=2", "window=5"],
                    "diffs": [[0.1, 0.0], [0.2, None]], "significant": [[True, False], [True, False]]}


def test_insufficient_similarity_rows_are_greyed_with_their_reason(run_result):
    reason = "3 of 353 pairs scored (fewer than 20 pairs)"
    weak = dataclasses.replace(run_result.task_results[0], details={"sufficient": False, "insufficient": reason})
    run = dataclasses.replace(run_result, task_results=(weak,) + run_result.task_results[1:])
    doc = build_document(run, Analysis())
    md, html = render_markdown(doc), render_html(doc)
    assert ("| *ws353* | *sgns@seed0* | *0.610* | *[0.550, 0.670]* | *340/353 (96.3%)* | "
            "*insufficient: 3 of 353 pairs scored (fewer than 20 pairs)* |") in md
    assert "| ws353 | glove@seed0 | 0.520 | [0.450, 0.580] | 340/353 (96.3%) | ok |" in md
    assert html.count('<tr class="muted">') == 1 and "tr.muted td{color:#999}" in html


def test_a_verdict_with_a_summary_is_said_once(run_result):
    tie = Comparison("ws", "similarity", "sgns", "glove", "spearman", 0.6, 0.6, 0.0)
    v = Verdict("similarity", None, test="paired bootstrap", p_value=1.0, comparisons=(tie,),
                summary="No winner on similarity: no task shows a significant difference.",
                selection="One embedding per family (glove, sgns): nothing was chosen, every item is used.")
    md = render_markdown(build_document(run_result, Analysis(verdicts=(v,))))
    assert "> ➖ No winner on similarity: no task shows a significant difference.\n" in md
    assert "No significant difference between" not in md
    assert "One embedding per family (glove, sgns): nothing was chosen, every item is used." in md


def test_difference_heatmap_draws_a_png():
    png = score_plots.difference_heatmap(["ws353", "google"], ["window=2", "window=5"], [[0.1, None], [-0.05, 0.0]],
                                   [[True, False], [False, False]], title="t")
    with Image.open(io.BytesIO(png)) as im:
        assert im.size[0] > 100 and len(im.convert("RGB").getcolors(1 << 16)) > 5
