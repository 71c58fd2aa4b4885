"""The fine-tuning settings: one declaration of each default and rule, checked once."""

from dataclasses import replace

import pytest

import runfakes
from evalsuite.config import load_config
from evalsuite.core.errors import ConfigError
from evalsuite.evaluate.classification import settings as settings_module
from evalsuite.evaluate.classification.settings import SETTINGS, FinetuneSettings, defaults
from evalsuite.evaluate.classification.sweep import count_runs, expand
from evalsuite.pipeline.runner import run_benchmark


def test_a_declared_default_is_seen_where_it_is_used(monkeypatch):
    monkeypatch.setitem(SETTINGS, "epochs", replace(SETTINGS["epochs"], default=3))
    monkeypatch.setitem(SETTINGS, "val_fraction", replace(SETTINGS["val_fraction"], default=0.2))
    runs = expand(FinetuneSettings(models=["bag", "cnn"]))
    assert runs and all(r["params"]["epochs"] == 3 and r["params"]["val_fraction"] == 0.2 for r in runs)
    assert defaults("training")["epochs"] == 3
    # a given value still wins over the default
    assert {r["params"]["epochs"] for r in expand({"epochs": 5, "modes": "finetuned"})} == {5}


def test_direct_construction_checks_and_normalises():
    s = FinetuneSettings({"dropout": [0, 0.5]}, models="cnn", mode="static", widths=[3, 4])
    assert s["dropout"] == (0.0, 0.5) and s["models"] == ("cnn",) and s["modes"] == ("frozen",)
    assert s["widths"] == ((3, 4),) and s.first("epochs") == SETTINGS["epochs"].default
    assert s.seeds == [0] and s.workers == 1 and not s.one_at_a_time
    assert FinetuneSettings.of(s) is s and s == FinetuneSettings(s.to_dict())
    with pytest.raises(ConfigError, match=r"finetune\.dropout\[1\]: must be a number in \[0, 0.99\] or None, got 1.5"):
        FinetuneSettings(dropout=[0, 1.5])
    with pytest.raises(ConfigError, match=r"finetune\.model: given twice"):
        FinetuneSettings(models=["bag"], model="cnn")


def test_expand_and_count_take_the_checked_value_without_checking_again(monkeypatch):
    s = FinetuneSettings(models=["bag", "cnn"], dropout=[0, 0.5])
    calls = []
    monkeypatch.setattr(settings_module, "_normalise", lambda table: calls.append(table))
    assert count_runs(s) == len(expand(s)) == 2 + 1 + 2 + 2 + 2 + 2
    assert calls == []


def _tiny_csv(folder):
    lines = ["text,label"] + [f"w{i % 7} w{(i * 3) % 11} {'w1' if i % 2 else 'w2'},{i % 2}" for i in range(40)]
    path = folder / "tiny[1].csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_finetune_table_is_checked_once_per_run(tmp_path, monkeypatch, fake_trainers):
    path = runfakes.write_config(tmp_path, seeds=(0, 1))
    data = _tiny_csv(tmp_path)
    path.write_text(path.read_text() + f'\n[finetune]\ndataset = "{data}"\nmodes = ["finetuned"]\nepochs = 1\n'
                    'dropout = [0.0, 0.5]\nfolds = 0\n', encoding="utf-8")
    calls = []
    real = settings_module._normalise
    monkeypatch.setattr(settings_module, "_normalise", lambda table: calls.append(1) or real(table))
    config = load_config(path)
    assert len(calls) == 1 and isinstance(config.finetune, FinetuneSettings)
    out = run_benchmark(config, evaluate_fn=runfakes.fake_evaluate, report_fn=None, summary_fn=None,
                        log=lambda m: None)
    assert out.ok and len(calls) == 1
    tuned = [t for t in out.run.task_results if t.kind == "classification"]
    assert len(tuned) == 2 * 2 * 2  # embeddings x dropouts x seeds
    assert {t.task for t in tuned} == {"tiny[1]/bag/finetuned[dropout=0]", "tiny[1]/bag/finetuned[dropout=0.5]"}
