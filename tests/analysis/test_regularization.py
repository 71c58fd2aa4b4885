"""regularization_effects: each strength against the regularizer off, tests by hand, the answer sentence."""

import pytest
from scipy.stats import ttest_1samp

from evalsuite.analysis.regularization import regularization_effects
from evalsuite.core.results import ResultKey, TaskResult, Variant
from evalsuite.report.document import Callout, Table
from evalsuite.report.finetune_regularization import answer, regularization_blocks

BASE = {"dropout": 0.5, "max_norm": 3.0}


def result(axis, params, seed, gap, correct):
    return TaskResult(
        task="mr/cnn/finetuned", kind="classification", embedding=f"g@seed{seed}", main_score=sum(correct) / 4,
        scores={}, n_items=4, n_scored=4, main_score_name="test_accuracy",
        items={"id": ["a", "b", "c", "d"], "correct": correct},
        details={"dataset": "mr", "model": "cnn", "mode": "finetuned", "params": {**BASE, **params}, "seed": seed,
                 "overfit": {"gap_at_best": gap},
                 "sweep": {"kind": "one_at_a_time", "axis": axis, "base": BASE}},
        provenance={"seed": seed, "embedding_group": "g"},
        key=ResultKey("g", seed, Variant("cnn", "finetuned", {**BASE, **params})))


RIGHT = [True, True, True, False]
BASE_GAPS, NO_DROPOUT_GAPS = (0.10, 0.12, 0.11), (0.30, 0.33, 0.32)


@pytest.fixture
def effects():
    rs = [result(None, {}, s, BASE_GAPS[s], RIGHT) for s in range(3)]
    rs += [result("dropout", {"dropout": 0.0}, s, NO_DROPOUT_GAPS[s], RIGHT) for s in range(3)]
    rs += [result("max_norm", {"max_norm": 0.0}, s, BASE_GAPS[s], RIGHT) for s in range(3)]
    return regularization_effects(rs)


def test_each_strength_is_compared_with_the_regularizer_off(effects):
    by = {(e["param"], e["value"]): e for e in effects}
    assert set(by) == {("dropout", 0.0), ("dropout", 0.5), ("max_norm", 0.0), ("max_norm", 3.0)}
    off = by[("dropout", 0.0)]
    assert off["verdict"] is None and off["acc_test"] is None and off["gap"] == pytest.approx(0.95 / 3)
    on = by[("dropout", 0.5)]
    assert on["off"] == 0.0 and on["seeds"] == 3 and on["accuracy"] == 0.75
    diffs = [b - n for b, n in zip(BASE_GAPS, NO_DROPOUT_GAPS)]
    assert on["gap_test"]["diff"] == pytest.approx(sum(diffs) / 3)
    assert on["gap_test"]["p_value"] == pytest.approx(ttest_1samp(diffs, 0.0).pvalue)
    # Holm over the two gap tests: the smaller p doubles; max-norm changed nothing (p = 1)
    assert on["gap_test"]["p_holm"] == pytest.approx(2 * on["gap_test"]["p_value"])
    assert on["acc_test"]["diff"] == 0.0 and on["acc_test"]["n"] == 4  # each document once, over 3 seeds
    assert on["verdict"] == "helps"
    assert by[("max_norm", 3.0)]["verdict"] == "no effect" and by[("max_norm", 3.0)]["gap_test"]["p_value"] == 1.0


def test_answer_names_what_helps_and_by_how_much(effects):
    text = answer(effects)
    assert text.startswith("Of 2 regularizer settings tested against the regularizer off, 1 reduces the train − "
                           "validation gap significantly without a significant loss of accuracy: dropout 0.5 "
                           "(gap −20.7 pt, accuracy +0.0 pt).")
    # max-norm 3 gave the same predictions and curves as max-norm none in every seed: said, not just "no effect"
    assert text.endswith("The other 1 changes neither significantly; max-norm 3 trained exactly as with the "
                         "regularizer off (the same curves and predictions in every seed: it never changed a weight).")
    by = {(e["param"], e["value"]): e for e in effects}
    assert by[("max_norm", 3.0)]["identical"] and not by[("dropout", 0.5)]["identical"]
    blocks = regularization_blocks(effects)
    table = next(b for b in blocks if isinstance(b, Table))
    assert ["max-norm", "none"] == table.rows[2][:2] and table.rows[2][-1] == "(off: the reference)"
    assert any(isinstance(b, Callout) and b.text == text for b in blocks)
