"""ResultKey and Variant: typed result identity, JSON round trips, and keys of older files."""

import json
from pathlib import Path

import pytest

from evalsuite.core.results import ResultKey, RunResult, TaskResult, Variant

BASELINE = Path(__file__).resolve().parents[2] / "reports" / "baseline" / "results.json"


def result(**kw):
    base = dict(task="mr/bag/frozen", kind="classification", embedding="sgns@seed1", main_score=0.75,
                scores={"test_accuracy": 0.75}, n_items=4, n_scored=4, main_score_name="test_accuracy",
                details={"model": "bag", "mode": "frozen", "params": {"dropout": 0.5, "widths": [3, 4, 5]}},
                provenance={"seed": 1, "embedding_group": "sgns"})
    return TaskResult(**{**base, **kw})


def test_key_round_trips_through_json():
    key = ResultKey("sgns", 1, Variant("bag", "frozen", {"widths": [3, 4, 5], "dropout": 0.5}))
    r = result(key=key)
    d = json.loads(r.to_json())
    assert d["key"] == {"embedding": "sgns", "seed": 1,
                        "variant": {"model": "bag", "mode": "frozen",
                                    "settings": {"dropout": 0.5, "widths": [3, 4, 5]}}}
    back = TaskResult.from_dict(d)
    assert back == r and back.key == key and hash(back.key) == hash(key)


def test_a_result_without_a_key_gets_its_embedding_name():
    r = result()
    assert r.key == ResultKey("sgns@seed1")  # no label is parsed: the name is the group


def test_old_json_without_key_takes_group_seed_and_variant_from_provenance_and_details():
    old = result().to_dict()
    del old["key"]
    key = TaskResult.from_dict(old).key
    assert key == ResultKey("sgns", 1, Variant("bag", "frozen", {"dropout": 0.5, "widths": [3, 4, 5]}))
    # no group recorded: the embedding name as it is; the seed from details when provenance lacks it
    bare = {**old, "provenance": {}, "details": {**old["details"], "seed": 4}}
    assert TaskResult.from_dict(bare).key.embedding == "sgns@seed1"
    assert TaskResult.from_dict(bare).key.seed == 4
    sim = {**old, "kind": "similarity"}
    assert TaskResult.from_dict(sim).key.variant == Variant()  # only fine-tuning has variants


def test_variant_text_and_key_label_are_built_from_the_fields():
    v = Variant("bag", "finetuned", {"weight_decay": 0.0, "dropout": 0.5})
    assert v.text == 'model=bag mode=finetuned {"dropout": 0.5, "weight_decay": 0.0}'
    assert Variant().text == "" and Variant(mode="frozen").text == "mode=frozen"
    assert ResultKey("sgns", 2).label() == "sgns@seed2" and ResultKey("glove").label() == "glove"
    assert ResultKey("sgns", 2, v).without_seed() == ResultKey("sgns", None, v)


def test_settings_order_does_not_matter_but_values_do():
    a = Variant("bag", "frozen", {"a": 1, "b": [1, 2]})
    assert a == Variant("bag", "frozen", {"b": (1, 2), "a": 1})
    assert a != Variant("bag", "frozen", {"a": 2, "b": [1, 2]})
    assert a.settings_dict == {"a": 1, "b": [1, 2]}


@pytest.mark.parametrize("seed", ["1", 1.0, True])
def test_a_seed_must_be_an_integer(seed):
    with pytest.raises(ValueError, match="seed must be an int or None"):
        ResultKey("sgns", seed)


def test_the_committed_baseline_loads_with_keys():
    run = RunResult.from_json(BASELINE.read_text())
    keys = {t.key.without_seed() for t in run.task_results if t.task == "mr/bag/finetuned[weight_decay=0]"}
    assert {k.embedding for k in keys} == {"gensim-sg", "gensim-cbow", "torch-sgns", "torch-cbow", "torch-glove"}
    assert {k.variant.settings_dict["weight_decay"] for k in keys} == {0.0}
    assert {(k.variant.model, k.variant.mode) for k in keys} == {("bag", "finetuned")}
    assert {t.key.seed for t in run.task_results} == {0, 1, 2}  # the baseline's seeds


def test_numpy_seeds_are_stored_as_ints():
    import numpy as np

    key = ResultKey("sgns", np.int64(3))
    assert key.seed == 3 and type(key.seed) is int
