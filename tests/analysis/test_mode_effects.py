"""mode_effects: accuracy per initialisation mode, tests that count each document once, Holm, Kim's order."""

import pytest
from scipy.stats import binomtest

from evalsuite.analysis.mode_effects import mode_effects
from evalsuite.analysis.paired import document_test
from evalsuite.report.finetune_modes import mode_blocks
from evalsuite.report.document import Callout, Paragraph, Table
from evalsuite.core.results import ResultKey, TaskResult, Variant

IDS = [f"doc{i}" for i in range(20)]


def result(emb, mode, correct, *, model="cnn", wd=0.0, seed=0, train_acc=(0.6, 0.7, 0.8), best=2, gap=0.1,
           cover=0.5, folds=None):
    details = {"dataset": "mr", "model": model, "mode": mode, "params": {"weight_decay": wd, "epochs": 3},
               "seed": seed, "best_epoch": best, "curves": {"train_acc": list(train_acc)}, "epochs_run": 3,
               "overfit": {"gap_at_best": gap}, "token_coverage": None if mode == "random" else cover,
               "drift": {"seen": 0.0 if mode in ("frozen", "probe") else 0.5, "unseen": 0.0,
                         "seen_zero": mode in ("frozen", "probe"), "unseen_zero": True}}
    if folds:
        details["fold_results"] = [{"test_accuracy": a, "best_epoch": best} for a in folds]
        details["folds"] = len(folds)
    return TaskResult(
        task=f"mr/{model}/{mode}", kind="classification", embedding=emb, main_score=sum(correct) / len(correct),
        scores={}, n_items=len(correct), n_scored=len(correct), main_score_name="test_accuracy",
        items={"id": IDS[: len(correct)], "correct": list(correct)}, details=details,
        provenance={"seed": seed}, key=ResultKey(emb, seed, Variant(model, mode, {"weight_decay": wd, "epochs": 3})))


HALF = [True] * 10 + [False] * 10      # docs 0-9 right
ALL = [True] * 20
MOST = [True] * 18 + [False] * 2


def test_accuracies_tests_and_holm_by_hand():
    rs = [result("w2v", "random", HALF, train_acc=(0.7, 0.9, 0.95)),
          result("w2v", "frozen", ALL, gap=0.02), result("w2v", "finetuned", MOST)]
    (e,) = mode_effects(rs)
    assert e["accuracy"] == {"random": 0.5, "frozen": 1.0, "finetuned": 0.9}
    assert e["ordering"] == ["frozen", "finetuned", "random"]
    assert e["train_accuracy"] == {"random": 0.9, "frozen": 0.7, "finetuned": 0.7}  # the best epoch's (2nd) value
    fr, ff, fra = e["tests"]["frozen-random"], e["tests"]["finetuned-frozen"], e["tests"]["finetuned-random"]
    # static vs rand: docs 10-19 right only when static: 10 discordant, all one way
    assert fr["diff"] == pytest.approx(0.5) and fr["n"] == 20
    assert fr["p_value"] == pytest.approx(binomtest(10, 10, 0.5).pvalue)
    assert ff["diff"] == pytest.approx(-0.1) and ff["p_value"] == pytest.approx(binomtest(0, 2, 0.5).pvalue)
    assert fra["p_value"] == pytest.approx(binomtest(8, 8, 0.5).pvalue)
    # Holm over the three: smallest x3, next x2 (kept monotone), largest x1
    assert fr["p_holm"] == pytest.approx(3 * fr["p_value"])
    assert fra["p_holm"] == pytest.approx(2 * fra["p_value"])
    assert ff["p_holm"] == pytest.approx(ff["p_value"])
    # static beats rand significantly; non-static is lower than static but not significantly
    assert e["verdict"] == "holds" and e["expected_order_holds"] is True


def test_mode_test_counts_each_document_once_whatever_the_seeds():
    # static right everywhere; rand wrong on docs 0-5 (seed 0), docs 0-2 (seed 1), nowhere (seed 2)
    rand = [result("w", "random", [i >= 6 for i in range(10)], seed=0),
            result("w", "random", [i >= 3 for i in range(10)], seed=1),
            result("w", "random", [True] * 10, seed=2)]
    static = [result("w", "frozen", [True] * 10, seed=s) for s in range(3)]
    test = document_test(static, rand)
    # per document, static − rand: 2/3 (docs 0-2), 1/3 (docs 3-5), 0 (docs 6-9)
    assert test.n == 10 and test.diff == pytest.approx(0.3)
    assert test.p_value == pytest.approx(binomtest(6, 6, 0.5).pvalue)
    (e,) = mode_effects(rand + static)
    assert e["tests"]["frozen-random"]["n"] == 10 and e["seeds"] == 3
    # one seed: McNemar on the predictions, each document once
    one = document_test(static[:1], rand[:1])
    assert one.test.startswith("mcnemar") and one.n == 10
    assert one.p_value == pytest.approx(binomtest(6, 6, 0.5).pvalue)


def test_verdicts_fail_and_not_shown_and_missing_mode():
    rs = [result("a", "random", ALL), result("a", "frozen", HALF), result("a", "finetuned", ALL),
          result("b", "random", MOST), result("b", "frozen", ALL), result("b", "finetuned", ALL),
          result("c", "frozen", HALF), result("c", "finetuned", ALL), result("d", "random", ALL)]
    by = {e["embedding"]: e for e in mode_effects(rs)}
    assert by["a"]["verdict"] == "fails" and by["a"]["expected_order_holds"] is False
    assert by["b"]["verdict"] == "not shown" and by["b"]["expected_order_holds"] is None  # 2 discordant docs
    assert by["c"]["verdict"] is None and set(by["c"]["tests"]) == {"finetuned-frozen"}
    assert "d" not in by  # one mode only: nothing to compare


def test_runs_are_folds_and_only_the_base_setting_is_used():
    rs = [result("w", "random", HALF, folds=[0.4, 0.6]), result("w", "frozen", ALL, folds=[0.9, 1.0]),
          result("w", "frozen", HALF, wd=1e-3, folds=[0.1, 0.2])]
    (e,) = mode_effects(rs)
    assert e["accuracy"]["frozen"] == pytest.approx(0.95)  # the weight_decay=1e-3 result is left out
    assert e["accuracy_sd"]["random"] == pytest.approx(0.1414, abs=1e-4) and e["runs"]["random"] == 2


def test_probe_is_reported_beside_the_modes_not_tested_as_one():
    rs = [result("g", "random", HALF, model="bag"), result("g", "finetuned", ALL, model="bag"),
          result("g", "probe", MOST, model="bag")]
    (e,) = mode_effects(rs)
    assert e["probe"]["accuracy"] == pytest.approx(0.9) and set(e["tests"]) == {"finetuned-random"}
    assert e["verdict"] is None
    table = next(b for b in mode_blocks([e]) if isinstance(b, Table))
    assert "Linear probe (%)" in table.headers and table.rows[0][3] == "90.0"


def test_report_gives_tests_kim_table_and_measured_reasons():
    rs = [result("glove", "random", HALF, train_acc=(0.7, 0.9, 0.95), gap=0.3),
          result("glove", "frozen", ALL, train_acc=(0.6, 0.65, 0.66), gap=0.02, cover=0.97),
          result("glove", "finetuned", MOST, cover=0.97)]
    blocks = mode_blocks(mode_effects(rs))
    tables = [b for b in blocks if isinstance(b, Table)]
    assert tables[0].rows[0][:4] == ["glove", "50.0", "100.0", "90.0"]
    assert tables[0].rows[0][4].startswith("+50.0 pt (p ") and tables[0].rows[0][7] == "holds"
    kim = tables[1]
    assert kim.rows[0][:2] == ["CNN-rand", "76.1%"] and kim.rows[2][:2] == ["CNN-non-static", "81.5%"]
    callout = next(b for b in blocks if isinstance(b, Callout))
    assert "holds for 1 of 1 embeddings (glove)" in callout.text
    why = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "fits its training documents to 65.0% (gap 2.0%), rand to 90.0% (gap 30.0%)" in why
    assert "97.0% of the classifier's tokens have a pretrained vector" in why
    assert "0 by construction and is not shown" in why


def test_rand_note_names_the_bound_each_embedding_gives_its_random_vectors():
    rs = []
    for emb, bound, correct in (("wide", 0.7, HALF), ("narrow", 0.2, MOST)):
        for mode in ("random", "frozen", "finetuned"):
            r = result(emb, mode, correct if mode == "random" else ALL)
            r.details["init_bound"] = bound
            rs.append(r)
    effects = mode_effects(rs)
    assert {e["embedding"]: e["init_bound"] for e in effects} == pytest.approx({"wide": 0.7, "narrow": 0.2})
    why = " ".join(b.text for b in mode_blocks(effects) if isinstance(b, Paragraph))
    assert "differ only through these two: wide: a = 0.700, 50.0%; narrow: a = 0.200, 90.0%." in why
    # one embedding: nothing to set side by side
    one = " ".join(b.text for b in mode_blocks(mode_effects(rs[3:])) if isinstance(b, Paragraph))
    assert "differ only through" not in one
