"""mode_effects: accuracy per initialisation mode, paired McNemar tests, Kim's order."""

import pytest
from scipy.stats import binomtest

from evalsuite.analysis.mode_effects import mode_effects
from evalsuite.report.finetune_modes import mode_blocks
from evalsuite.report.document import Callout, Paragraph, Table
from evalsuite.core.results import ResultKey, TaskResult, Variant

IDS = [f"doc{i}" for i in range(10)]


def result(emb, mode, correct, *, wd=0.0, seed=0, train_acc=(0.6, 0.7, 0.8), best=2, gap=0.1, cover=0.5):
    return TaskResult(
        task=f"mr/bag/{mode}", kind="classification", embedding=emb, main_score=sum(correct) / len(correct),
        scores={}, n_items=len(correct), n_scored=len(correct), main_score_name="test_accuracy",
        items={"id": IDS[: len(correct)], "correct": list(correct)},
        details={"dataset": "mr", "model": "bag", "mode": mode, "params": {"weight_decay": wd}, "seed": seed,
                 "best_epoch": best, "curves": {"train_acc": list(train_acc)},
                 "overfit": {"gap_at_best": gap}, "vocab_coverage": None if mode == "random" else cover},
        provenance={"seed": seed}, key=ResultKey(emb, seed, Variant("bag", mode, {"weight_decay": wd})))


# random: 8/10 right; frozen: 5/10 (docs 0-4); fine-tuned: 9/10 (all but doc 9)
RANDOM = [True] * 8 + [False] * 2
FROZEN = [True] * 5 + [False] * 5
TUNED = [True] * 9 + [False]


def test_accuracies_order_and_paired_tests_by_hand():
    rs = [result("w2v", "random", RANDOM, train_acc=(0.7, 0.9, 0.95)),
          result("w2v", "frozen", FROZEN, train_acc=(0.6, 0.65, 0.66), gap=0.02),
          result("w2v", "finetuned", TUNED)]
    (e,) = mode_effects(rs)
    assert e["accuracy"] == {"random": 0.8, "frozen": 0.5, "finetuned": 0.9}
    assert e["ordering"] == ["finetuned", "random", "frozen"]
    assert e["expected_order_holds"] is False
    # train accuracy at the best epoch (2): the second value of each curve
    assert e["train_accuracy"] == {"random": 0.9, "frozen": 0.65, "finetuned": 0.7}
    assert e["gap_at_best"]["frozen"] == 0.02
    assert e["vocab_coverage"] == 0.5
    # frozen vs random: discordant docs 5, 6, 7 (random only) and none for frozen only
    fr = e["tests"]["frozen-random"]
    assert fr["diff"] == pytest.approx(-0.3) and fr["n"] == 10
    assert fr["p_value"] == pytest.approx(binomtest(0, 3, 0.5).pvalue)
    # fine-tuned vs frozen: docs 5-8 right only when fine-tuned
    ff = e["tests"]["finetuned-frozen"]
    assert ff["diff"] == pytest.approx(0.4)
    assert ff["p_value"] == pytest.approx(binomtest(4, 4, 0.5).pvalue)


def test_expected_order_holds_and_missing_mode_is_undecided():
    rs = [result("a", "random", FROZEN), result("a", "frozen", RANDOM), result("a", "finetuned", TUNED),
          result("b", "frozen", FROZEN), result("b", "finetuned", TUNED), result("c", "random", RANDOM)]
    by = {e["embedding"]: e for e in mode_effects(rs)}
    assert by["a"]["expected_order_holds"] is True
    assert by["b"]["expected_order_holds"] is None and set(by["b"]["tests"]) == {"finetuned-frozen"}
    assert "c" not in by  # one mode only: nothing to compare


def test_only_the_unregularized_setting_and_seeds_are_averaged():
    rs = [result("w", "random", RANDOM, seed=0), result("w", "random", FROZEN, seed=1),
          result("w", "frozen", FROZEN, seed=0), result("w", "frozen", FROZEN, seed=1),
          result("w", "frozen", TUNED, wd=1e-3, seed=0)]
    (e,) = mode_effects(rs)
    assert e["accuracy"]["random"] == pytest.approx(0.65)
    assert e["accuracy"]["frozen"] == 0.5  # the weight_decay=1e-3 result is left out
    assert e["seeds"] == 2 and e["tests"]["frozen-random"]["n"] == 20


def test_report_explains_why_frozen_lost():
    rs = [result("w2v", "random", RANDOM, train_acc=(0.7, 0.9, 0.95)),
          result("w2v", "frozen", FROZEN, train_acc=(0.6, 0.65, 0.66), gap=0.02),
          result("w2v", "finetuned", TUNED)]
    blocks = mode_blocks(mode_effects(rs))
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows[0][:5] == ["w2v", "80.0%", "50.0%", "90.0%", "fine-tuned > random > frozen"]
    callout = next(b for b in blocks if isinstance(b, Callout))
    assert "holds for 0 of 1 embeddings" in callout.text
    why = " ".join(b.text for b in blocks if isinstance(b, Paragraph))
    assert "only to 65.0% at the best epoch, against 90.0% with random" in why
    assert "gap is only 2.0%" in why and "50.0% of the classifier's vocabulary" in why


def test_report_states_the_order_held_without_excuses():
    rs = [result("a", "random", FROZEN), result("a", "frozen", RANDOM), result("a", "finetuned", TUNED)]
    blocks = mode_blocks(mode_effects(rs))
    assert any(isinstance(b, Callout) and "holds for 1 of 1" in b.text for b in blocks)
    assert not any(isinstance(b, Paragraph) for b in blocks)
