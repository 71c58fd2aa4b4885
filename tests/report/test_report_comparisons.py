"""Comparison-table labels: short, naming only the settings that tell rows apart."""

from evalsuite.analysis.aggregate import variant_labels
from evalsuite.analysis.types import Comparison
from evalsuite.core.results import Variant
from evalsuite.report.comparisons import comparison_table


def comp(task, params=None, model="bag", mode="finetuned"):
    return Comparison(task=task, kind="classification", a="sgns", b="glove", metric="test_accuracy",
                      score_a=0.8, score_b=0.7, diff=0.1, variant=Variant(model, mode, params or {}))


def test_labels_keep_only_settings_that_differ_within_a_task():
    comps = [comp("mr/bag/finetuned", {"dropout": 0.0, "epochs": 6, "weight_decay": 0.0}),
             comp("mr/bag/finetuned", {"dropout": 0.0, "epochs": 6, "weight_decay": 1e-4}),
             comp("mr/bag/frozen", {"dropout": 0.0, "epochs": 6}, mode="frozen")]
    assert variant_labels(comps) == ["weight_decay=0.0", "weight_decay=0.0001", ""]


def test_model_and_mode_named_when_the_task_lacks_them():
    comps = [comp("mr", {"epochs": 6}), comp("ws353", model=None, mode=None)]
    assert variant_labels(comps) == ["bag / finetuned", ""]
    table = comparison_table(comps)
    assert table.rows[0][0] == "mr (bag / finetuned)" and table.rows[1][0] == "ws353"
    assert "epochs" not in table.rows[0][0]
