"""The first screen: a sentence per task kind, the scoreboard, the settings in one line."""

from evalsuite.analysis.scoreboard import ScoreCell, ScoreColumn, Scoreboard
from evalsuite.analysis.types import Analysis, Comparison, SettingRow, SettingsTable, Verdict
from evalsuite.core.results import RunResult
from evalsuite.report.answer import answer_blocks, one_sentence, scoreboard_table, settings_line
from evalsuite.report.content import build_document
from evalsuite.report.document import Callout, Heading, RankedTable
from evalsuite.report.html import render_html
from evalsuite.report.markdown import render_markdown


def comp(task):
    return Comparison(task, "similarity", "torch-sgns", "torch-glove", "spearman", 0.6, 0.5, 0.1)


VERDICT = Verdict("similarity", "Word2Vec", wins_a=6, wins_b=0, ties=2, median_diff=0.289,
                  comparisons=tuple(comp(t) for t in ("ws", "men")), excluded=("rg65: 3 of 65 pairs",),
                  summary="Long summary. In several sentences.")

BOARD = Scoreboard(
    embeddings=("a", "b", "c"),
    columns=(ScoreColumn("ws", "ws", "similarity", "spearman", "paired bootstrap",
                         (ScoreCell(0.7, 1), ScoreCell(0.6, 2, below_best=True, p_adjusted=0.01),
                          ScoreCell(0.65, None, sufficient=False))),
             ScoreColumn("google", "google", "analogy", "accuracy", "McNemar",
                         (ScoreCell(0.30, 3), ScoreCell(0.35, 2), ScoreCell(0.40, 1)))),
    base_settings=(("mr/bag/random", (("weight_decay", 0.0),)), ("mr/bag/frozen", (("weight_decay", 0.0),))))

SETTINGS = SettingsTable(("a", "b"), ("torch-sgns", "torch-glove"), ("word2vec", "glove"), (
    SettingRow("vector_size", (100, 100), (False, False), matched=True),
    SettingRow("learning_rate", (0.025, 0.05), (True, True), matched=True, declared="different optimisers"),
    SettingRow("negative", (5, None), (False, False))))

RUN = RunResult(run_id="r1", name="default", task_results=(), config={"corpus": {"name": "imdb"}, "run": {"seeds": [0]}},
                provenance={"protocol": {"name": "default", "version": "1"}})


def test_a_verdict_is_one_sentence_with_its_evidence():
    kind, text = one_sentence(VERDICT)
    assert kind == "verdict"
    assert text == ("Word similarity: **Word2Vec** is better (torch-sgns vs torch-glove): significant wins "
                    "Word2Vec 6, GloVe 0, ties 2 of 8 tasks (Holm, α = 0.05); median Word2Vec − GloVe "
                    "+0.289 Spearman ρ; 1 left out for too little evidence.")
    kind, text = one_sentence(Verdict("analogy", None, wins_a=1, ties=1, median_diff=0.012))
    assert (kind, text) == ("neutral", "Word analogy: no winner: significant wins Word2Vec 1, GloVe 0, ties 1 of "
                                       "2 tasks (Holm, α = 0.05); median Word2Vec − GloVe +1.2 accuracy points.")


def test_scoreboard_cells_are_shaded_by_rank_within_their_column():
    table = scoreboard_table(Analysis(scoreboard=BOARD))
    assert table.headers == ["Embedding", "ws", "google"] and table.labels == ("a", "b", "c")
    ws = [row[0] for row in table.cells]
    assert [c.text for c in ws] == ["0.700", "0.600", "0.650"]
    assert ws[0].shade == 1.0 and ws[1].shade == 0.0 and ws[1].marked and "Holm p = 0.010" in ws[1].title
    assert ws[2].muted and ws[2].shade is None and "too little evidence" in ws[2].title
    google = [row[1] for row in table.cells]
    assert [c.text for c in google] == ["30.0", "35.0", "40.0"]  # accuracy in percent
    assert [c.shade for c in google] == [0.0, 0.5, 1.0]


def test_scoreboard_renders_as_coloured_html_and_as_marked_markdown():
    table = scoreboard_table(Analysis(scoreboard=BOARD))
    page = render_html(build_document(RUN, Analysis(scoreboard=BOARD)))
    assert 'data-check="scoreboard"' in page
    assert '<td class="cell best" style="background:#92c5de" title="rank 1 of 2">0.700</td>' in page
    assert 'title="rank 2 of 2; vs the best: Holm p = 0.010">0.600 <span class="mark"' in page
    assert '<td class="cell muted" title="not ranked: too little evidence">0.650</td>' in page
    md = render_markdown(build_document(RUN, Analysis(scoreboard=BOARD)))
    assert "| a | **0.700** | 30.0 |" in md
    assert "| b | 0.600 ▼ | 35.0 |" in md
    assert "| c | *0.650* | **40.0** |" in md
    assert table.check == "scoreboard"


def test_the_first_screen_is_the_answer_then_the_scoreboard_then_the_settings_line():
    analysis = Analysis(verdicts=(VERDICT,), scoreboard=BOARD, settings=SETTINGS)
    blocks = answer_blocks(RUN, analysis)
    assert [type(b).__name__ for b in blocks] == ["Heading", "Callout", "Heading", "RankedTable", "Paragraph",
                                                  "Paragraph"]
    assert blocks[0] == Heading(2, "The answer") and blocks[1].check == "answer"
    assert ("Fine-tuning columns: mr/bag/random, mr/bag/frozen at weight_decay=0 (every setting under "
            "Fine-tuning).") in blocks[4].text
    line = settings_line(RUN, analysis)
    assert line.text == ("Settings: corpus imdb · seeds 0 · protocol default v1 · vector_size 100 · "
                         "differing: learning_rate (declared).")
    assert line.link == ("Full settings table", "#settings")
    doc = build_document(RUN, analysis)
    assert isinstance(doc.blocks[1], Callout) and isinstance(doc.blocks[3], RankedTable)
    assert "[Full settings table](#settings)" in render_markdown(doc)
    assert '<a href="#settings">Full settings table</a>' in render_html(doc)


def test_a_study_without_a_family_comparison_answers_its_own_question_first():
    """A regularization sweep of one pretrained embedding: its answer leads, no empty verdict evidence."""
    test = {"diff": -0.1, "p_value": 0.01, "p_holm": 0.01, "n": 4}
    reg = [{"setup": "mr/cnn/finetuned", "embedding": "g", "param": "dropout", "value": 0.0, "off": 0.0, "seeds": 3,
            "accuracy": 0.75, "accuracy_sd": 0.01, "gap": 0.3, "gap_sd": 0.02, "acc_test": None, "gap_test": None,
            "verdict": None, "identical": False},
           {"setup": "mr/cnn/finetuned", "embedding": "g", "param": "dropout", "value": 0.5, "off": 0.0, "seeds": 3,
            "accuracy": 0.75, "accuracy_sd": 0.01, "gap": 0.2, "gap_sd": 0.02, "gap_test": test, "verdict": "helps",
            "acc_test": {"diff": 0.0, "p_value": 1.0, "p_holm": 1.0, "n": 4}, "identical": False}]
    not_compared = Verdict("classification", None, summary="Not compared: the run lacks a Word2Vec or a GloVe "
                                                           "embedding for these tasks.")
    analysis = Analysis(verdicts=(not_compared,), regularization=tuple(reg))
    callouts = [b for b in answer_blocks(RUN, analysis) if isinstance(b, Callout)]
    assert [c.text for c in callouts] == [
        "Regularization (mr/cnn/finetuned, g): Of 1 regularizer setting tested against the regularizer off, "
        "1 reduces the train − validation gap significantly without a significant loss of accuracy: dropout 0.5 "
        "(gap −10.0 pt, accuracy +0.0 pt)."]
    assert "Evidence for the verdict" not in render_markdown(build_document(RUN, analysis))
    # with nothing to answer, the answer says why there is no verdict
    (alone,) = [b for b in answer_blocks(RUN, Analysis(verdicts=(not_compared,))) if isinstance(b, Callout)]
    assert "Not compared" in alone.text
