import numpy as np
import pytest

from evalsuite import Embeddings
from evalsuite.core.errors import ConfigError
from evalsuite.evaluate.classification import FinetuneSettings, expand
from evalsuite.evaluate.classification.sweep import count_runs
from evalsuite.evaluate.classification.task import leak_warning, task_name


def test_validation_names_the_key():
    with pytest.raises(ConfigError, match=r"finetune\.dropout\[1\]: must be a number in \[0, 0.99\] or None, got 1.5"):
        FinetuneSettings({"dropout": [0, 1.5]})
    with pytest.raises(ConfigError, match=r"finetune\.weight_decy: unknown setting \(did you mean 'weight_decay'"):
        FinetuneSettings({"weight_decy": 0.1})
    with pytest.raises(ConfigError, match=r"finetune\.modes: unknown mode 'frozn'"):
        FinetuneSettings({"modes": ["frozn"]})
    with pytest.raises(ConfigError, match=r"finetune\.epochs: must be an int >= 1, got 2.5"):
        FinetuneSettings({"epochs": 2.5})
    with pytest.raises(ConfigError, match=r"finetune\.models"):
        FinetuneSettings({"models": ["rnn"]})


@pytest.mark.parametrize("settings, n", [
    ({}, 3),  # the three modes
    ({"datasets": "mr", "models": ["bag", "cnn"], "modes": ["random", "static", "non-static"],
      "weight_decay": [0, 1e-4], "l2_sp": [0, 1.0], "widths": [3, 4]}, (4 + 1 + 4) + (4 + 2 + 4)),
    # bag's frozen mode is the probe: no training setting multiplies it; duplicates count once
    ({"modes": ["frozen"], "models": ["bag", "bag"], "dropout": [0, 0.0, 0.5], "l1": [0, 1]}, 1),
    ({"widths": [[3], [3, 4]], "lr": [0.1, 0.1], "modes": "finetuned"}, 2),
])
def test_runs_counted_without_expanding(settings, n):
    assert count_runs(FinetuneSettings(settings)) == len(expand(settings)) == n


def test_expansion_and_frozen_dedupe():
    runs = expand({"datasets": "mr", "models": ["bag", "cnn"], "modes": ["random", "static", "non-static"],
                   "weight_decay": [0, 1e-4], "l2_sp": [0, 1.0], "widths": [3, 4]})
    # bag: random 4 + probe 1 (every training setting collapsed) + finetuned 4;
    # cnn: random 4 + frozen 2 (l2_sp collapsed) + finetuned 4
    assert len(runs) == (4 + 1 + 4) + (4 + 2 + 4)
    assert {r["mode"] for r in runs if r["model"] == "bag"} == {"random", "probe", "finetuned"}
    assert {r["mode"] for r in runs if r["model"] == "cnn"} == {"random", "frozen", "finetuned"}
    assert all(r["params"]["widths"] == (3, 4) for r in runs if r["mode"] != "probe")
    frozen = [r for r in runs if r["mode"] == "frozen"]
    assert all("l2_sp" not in r["varied"] for r in frozen)
    names = {task_name(r["dataset"], r["model"], r["mode"], r["varied"]) for r in runs}
    assert len(names) == len(runs)
    assert "mr/bag/finetuned[l2_sp=1,weight_decay=0.0001]" in names


def test_one_at_a_time_sweep_varies_one_setting_from_the_base():
    runs = expand({"models": "cnn", "modes": "non-static", "sweep": "one_at_a_time",
                   "dropout": [0.5, 0.0, 0.25], "max_norm": [3, 0], "early_stopping": [True, False]})
    # the base, then 2 other dropouts, 1 other max-norm, 1 without early stopping
    assert len(runs) == 5
    base = {"dropout": 0.5, "max_norm": 3.0, "early_stopping": True}
    assert runs[0]["params"].items() >= base.items() and runs[0]["varied"] == {} and runs[0]["sweep"]["axis"] is None
    for r in runs[1:]:
        axis = r["sweep"]["axis"]
        assert r["sweep"]["base"] == base and list(r["varied"]) == [axis]
        assert {k: v for k, v in r["params"].items() if k != axis} == \
            {k: v for k, v in runs[0]["params"].items() if k != axis}
    assert task_name("mr", "cnn", "finetuned", runs[-1]["varied"]) == "mr/cnn/finetuned[early_stopping=False]"


def test_probe_mode_needs_the_bag_model_and_run_settings_take_one_value():
    with pytest.raises(ConfigError, match=r"finetune\.modes: 'probe' reads the bag model"):
        FinetuneSettings({"models": "cnn", "modes": ["probe"]})
    with pytest.raises(ConfigError, match=r"finetune\.workers: one value"):
        FinetuneSettings({"workers": [1, 2]})
    with pytest.raises(ConfigError, match=r"finetune\.early_stopping: must be true or false"):
        FinetuneSettings({"early_stopping": "yes"})
    assert [r["mode"] for r in expand({"models": ["bag", "cnn"], "modes": ["probe", "static"]})] == ["probe", "frozen"]


def test_leak_flag_only_for_matching_corpus():
    class P:
        class dataset:
            name = "imdb"

        def test_ids(self):
            return ["imdb:1", "imdb:2"]

    emb = Embeddings(("a",), np.ones((1, 2)), name="e", meta={"corpus": "imdb"})
    assert "imdb" in leak_warning(emb, P())
    assert leak_warning(emb.with_meta(excluded_ids=["imdb:1", "imdb:2", "imdb:3"]), P()) is None
    assert leak_warning(emb.with_meta(corpus="lee_background"), P()) is None
    P.dataset.name = "mr"
    assert leak_warning(emb, P()) is None  # MR sentences are not in IMDB
