"""Grouping by ResultKey: across-seed summaries and the fine-tuning measures the report shows."""

import math

import pytest
from scipy import stats

from evalsuite.analysis.aggregate import at_base, seed_groups, setup_of, spread, study_of, variant_labels
from evalsuite.analysis.types import Comparison
from evalsuite.core.results import ResultKey, TaskResult, Variant


def cls(label, group, seed, acc, wd=0.0, best=2, gap=0.1):
    return TaskResult(task="mr/bag/frozen", kind="classification", embedding=label, main_score=acc, scores={},
                      n_items=10, n_scored=10, main_score_name="test_accuracy",
                      details={"best_epoch": best, "overfit": {"gap_at_best": gap}, "drift": {"seen": 0.0}},
                      key=ResultKey(group, seed, Variant("bag", "frozen", {"weight_decay": wd})))


def test_spread_of_finite_values():
    assert spread([1.0, None, 2.0, math.nan, 3.0]) == spread([1, 2, 3])
    s = spread([1, 2, 3])
    assert (s.mean, s.sd, s.n) == (2.0, 1.0, 3)
    one = spread([0.5])
    assert (one.mean, one.sd, one.n) == (0.5, 0.0, 1)
    none = spread([None, math.inf])
    assert math.isnan(none.mean) and math.isnan(none.sd) and none.n == 0


def test_groups_follow_the_key_not_the_label():
    # the labels say nothing about the group: "a" and "b" are two seeds of "sgns"
    rs = [cls("b", "sgns", 1, 0.8, best=4, gap=0.3), cls("a", "sgns", 0, 0.7, best=2, gap=0.1),
          cls("c", "sgns", 0, 0.6, wd=1e-3), cls("d", "glove", 0, 0.5)]
    groups = seed_groups(rs)
    assert [(g.embedding, g.variant.settings_dict["weight_decay"], g.n_seeds) for g in groups] == [
        ("sgns", 0.0, 2), ("sgns", 1e-3, 1), ("glove", 0.0, 1)]
    g = groups[0]
    assert g.key == ResultKey("sgns", None, Variant("bag", "frozen", {"weight_decay": 0.0}))
    assert [r.key.seed for r in g.results] == [0, 1] and [r.embedding for r in g.results] == ["a", "b"]
    assert g.mean == pytest.approx(0.75) and g.sd == pytest.approx(math.sqrt(0.005))
    half = stats.t.ppf(0.975, 1) * math.sqrt(0.005) / math.sqrt(2)
    assert g.ci95 == pytest.approx((0.75 - half, 0.75 + half))
    m = g.measures
    assert (m["best_epoch"].mean, m["best_epoch"].n) == (3.0, 2)
    assert m["gap_at_best"].mean == pytest.approx(0.2) and m["gap_at_best"].sd == pytest.approx(math.sqrt(0.02))
    assert m["drift_seen"].mean == 0.0 and m["gap_at_last"].n == 0
    assert groups[1].sd == 0.0 and groups[1].ci95 is None


def test_variant_labels_need_no_parsing():
    comps = [Comparison("mr", "classification", "a", "b", "acc", 0.8, 0.7, 0.1,
                        variant=Variant("cnn", "frozen", {"lr": 0.01, "epochs": 3})),
             Comparison("mr", "classification", "a", "b", "acc", 0.8, 0.7, 0.1,
                        variant=Variant("cnn", "frozen", {"lr": 0.1, "epochs": 3})),
             Comparison("mr/cnn/frozen", "classification", "a", "b", "acc", 0.8, 0.7, 0.1,
                        variant=Variant("cnn", "frozen", {"lr": 0.1}))]
    assert variant_labels(comps) == ["cnn / frozen / lr=0.01", "cnn / frozen / lr=0.1", ""]


def _tuned(task, mode, settings, dataset="mr"):
    return TaskResult(task=task, kind="classification", embedding="e", main_score=0.7, scores={}, n_items=1,
                      n_scored=1, details={"dataset": dataset}, key=ResultKey("e", 0, Variant("bag", mode, settings)))


def test_at_base_checks_the_settings_a_result_has_and_a_missing_one_cannot_be_off_base():
    base = {"weight_decay": 0.0, "dropout": 0.5}
    assert at_base(_tuned("t", "random", {"weight_decay": 0.0, "dropout": 0.5}), base)
    assert not at_base(_tuned("t", "random", {"weight_decay": 1e-3, "dropout": 0.5}), base)
    assert at_base(_tuned("t", "random", {"weight_decay": 1e-3, "dropout": 0.5}), base, skip="weight_decay")
    # the probe has no weight decay: it is shown at its only setting, but a value it has still counts
    assert at_base(_tuned("t", "probe", {"dropout": 0.5}), base)
    assert not at_base(_tuned("t", "probe", {"dropout": 0.0}), base)


def test_setup_of_reads_the_dataset_and_the_key():
    assert setup_of(_tuned("mr/bag/finetuned[weight_decay=0.001]", "finetuned", {})) == "mr/bag/finetuned"
    assert setup_of(_tuned("mr/bag/probe", "probe", {})) == "mr/bag/probe"
    # a "[" in a dataset's file name or in a setting's value is no boundary: nothing is parsed
    odd = _tuned("rev[2]/bag/finetuned[widths=[3, 4]]", "finetuned", {"widths": [3, 4]}, dataset="/d/rev[2].csv")
    assert setup_of(odd) == "rev[2]/bag/finetuned" and study_of(odd) == "rev[2]/bag"
