import pytest
import re

from evalsuite.analysis.aggregate import seed_groups
from evalsuite.analysis.compare import summarize
from evalsuite.analysis.types import Analysis
from evalsuite.report.content import build_document
from evalsuite.report.document import Document, Figure, Table
from evalsuite.report.markdown import render_markdown, table_markdown

pytestmark = pytest.mark.usefixtures("fast_plots")


def _rows(md: str, first_cell: str):
    return [line for line in md.splitlines() if line.startswith(f"| {first_cell} |")]


def test_table_markdown_escapes_pipes_and_aligns_numbers():
    md = table_markdown(Table(["a|b", "n"], [["x|y", "1.5"]], numeric=[False, True]))
    assert md.splitlines() == ["| a\\|b | n |", "|:---|---:|", "| x\\|y | 1.5 |"]


def test_similarity_and_analogy_tables_hold_the_numbers(run_result, analysis):
    md = render_markdown(build_document(run_result, analysis))
    ws = _rows(md, "ws353")
    # the fixture's Pearson r is 0.5 in every row: the column is left out, with a note saying so
    assert "| ws353 | sgns@seed1 | 0.630 | [0.550, 0.670] | 340/353 (96.3%) |" in ws
    assert "| ws353 | glove@seed0 | 0.520 | [0.450, 0.580] | 340/353 (96.3%) |" in ws
    assert "Columns not shown: Pearson r (0.500 in every row)." in md
    google = _rows(md, "google")
    # sgns: 5 of 9 covered correct = 55.6%, 5 of 10 = 50.0%; 3CosMul 6/9, 6/10; semantic 3/4, syntactic 2/5
    # 3CosAdd and 3CosMul over all questions happen to be equal for both embeddings here
    assert "| google | sgns@seed0 | 55.6% | 66.7% | 75.0% | 40.0% | 9/10 (90.0%) |" in google
    assert ("Columns not shown: 3CosAdd (all) (50.0% in every row); 3CosMul (all) (60.0% in every row); "
            "Candidates (3000 in every row).") in md


def test_verdicts_name_winner_test_and_p(run_result, analysis):
    md = render_markdown(build_document(run_result, analysis))
    assert "**Word2Vec** is better than GloVe on similarity (paired bootstrap, Holm-corrected p = 0.008)" in md
    assert "No significant difference between Word2Vec and GloVe on analogy (McNemar, Holm-corrected p = 0.500)" in md
    assert "| ws353 | sgns | glove | spearman | 0.620 | 0.530 | +0.090 | [0.030, 0.150] | paired bootstrap | 0.004 | 0.008 | yes |" in md


def test_without_analysis_no_verdict_is_claimed(run_result):
    md = render_markdown(build_document(run_result, Analysis()))
    assert "no verdict is given" in md
    assert "is better than" not in md


def test_seed_summary_given_is_shown(run_result, analysis):
    md = render_markdown(build_document(run_result, analysis))
    assert "| ws353 | sgns | spearman | 0.620 ± 0.014 | [0.500, 0.740] |" in md
    assert "Columns not shown: Seeds (2 in every row)." in md


def test_seed_mean_sd_from_the_analysis(run_result):
    md = render_markdown(build_document(run_result, summarize(run_result)))
    # ws353 sgns seeds: 0.61, 0.63 -> mean 0.620, sd 0.0141; t(0.975, 1) * 0.0141 / sqrt(2) = 0.127
    assert "| ws353 | sgns | spearman | 0.620 ± 0.014 | [0.493, 0.747] |" in md
    assert "| google | glove | accuracy | 62.5 ± 0.0% | [62.5, 62.5] |" in md
    # the report computes nothing: without summaries there is no across-seeds table
    assert "## Across seeds" not in render_markdown(build_document(run_result, Analysis()))


def test_finetune_section(run_result, analysis):
    md = render_markdown(build_document(run_result, analysis))
    assert "## Fine-tuning: text classification" in md
    # sgns finetuned, wd=0: accs 0.78, 0.79, 0.80 -> 79.0 ± 1.0%
    # columns that are the same in every row (model, seeds, best epoch ...) are named under the table
    row = [r for r in md.splitlines()
           if r.startswith("| sgns | finetuned | weight_decay=0 |")]
    assert len(row) == 1
    cells = [c.strip() for c in row[0].strip("|").split("|")]
    # the 95% CI of the mean over three seeds: 79.0 ± t(0.975, 2) * 1.0 / sqrt(3) = 79.0 ± 2.5
    assert cells[3:5] == ["79.0 ± 1.0%", "[76.5, 81.5]"]
    assert cells[5] == "15.0 ± 0.0%" and cells[6] == "20.0 ± 0.0%"
    assert cells[7] == "0.250"
    assert ("Columns not shown: Model (bag in every row); Seeds (3 in every row); Best epoch (2.0 in every row); "
            "Epochs past best (1.0 in every row); Val loss rise (0.020 in every row); "
            "Drift of untouched rows (0.000 in every row).") in md
    # modes ordered random, frozen, finetuned
    modes = [r.split("|")[2].strip() for r in md.splitlines() if r.startswith("| glove | ")]
    assert modes[:3] == ["random"] * 3 and modes[-1] == "finetuned"
    assert "Warning:** embedding glove was trained on text that includes documents of the mr" in md
    assert md.count("Warning:**") == 1  # one flag per (task, embedding)
    # the tests between embeddings are shown once, with the classification verdict
    assert md.count("| mr (bag / finetuned) | sgns | glove | test_accuracy | 79.0% | 78.0% | +1.0 pt |") == 1
    assert "plots/regularization_mr_bag_weight_decay.png" in md
    assert "plots/learning_curves_mr_bag_weight_decay.png" in md  # a panel per setting
    assert "plots/learning_curves_mr_bag.png" in md  # overfitting at a glance, at the sweep's base


def test_figures_are_linked_and_provenance_listed(run_result, analysis):
    doc = build_document(run_result, analysis)
    md = render_markdown(doc)
    names = {f.name for f in doc.figures}
    assert {"similarity.png", "analogy_google.png", "training_loss.png", "throughput.png"} <= names
    for name in names:
        assert f"](plots/{name})" in md
    assert "| ws353 | `sha-ws353` |" in md
    assert "| gensim | 4.4 |" in md
    assert "| oov | drop |" in md
    assert '"name": "imdb"' in md
    assert "| sgns@seed0 | torch_sgns | 0 | 1.9000 | 250.0 k words/s | 12.5 |" in md
    assert "Columns not shown: Epochs (3 in every row); Parameters (dim=50, window=5, epochs=3 in every row)." in md


def test_an_empty_document_is_its_title():
    md = render_markdown(Document("t", ()))
    assert md == "# t\n"


@pytest.mark.parametrize("title", ["report: #", "run ##", "#"])
def test_a_title_ending_in_hashes_keeps_them(title):
    from markdown_it import MarkdownIt

    html = MarkdownIt().render(render_markdown(Document(title, ())))
    assert html.strip() == f"<h1>{title}</h1>"


def test_markdown_has_no_html_images(run_result, analysis):
    md = render_markdown(build_document(run_result, analysis))
    assert "data:image" not in md and not re.search(r"<img", md)
    assert isinstance(build_document(run_result, analysis).figures[0], Figure)


def test_a_sweep_named_per_setting_is_shown_as_one_section(run_result, analysis):
    # run_finetune names each swept setting as its own task: mr/bag/finetuned[weight_decay=0.001]
    from dataclasses import replace

    from evalsuite.evaluate.classification.task import task_name

    renamed = []
    for t in run_result.task_results:
        if t.kind == "classification":
            wd = t.details["params"]["weight_decay"]
            t = replace(t, task=task_name("mr", t.details["model"], t.details["mode"],
                                          {"weight_decay": wd} if wd else None))
        renamed.append(t)
    run = replace(run_result, task_results=tuple(renamed))
    md = render_markdown(build_document(run, replace(analysis, seed_summaries=tuple(seed_groups(run)))))
    # one section per dataset and classifier: its modes side by side, its swept settings together
    assert md.count("### mr/bag\n") == 1 and "### mr/bag/finetuned" not in md
    assert "plots/regularization_mr_bag_weight_decay.png" in md
    assert len(_rows(md, "sgns")) == 9  # 3 modes x 3 weight decays
