"""Trainer parameters, fine-tuning settings and the job count, checked at config load."""

import re
import tracemalloc

import pytest

import runfakes
from evalsuite.cli import main
from evalsuite.config import parse_config
from evalsuite.core.errors import ConfigError
from evalsuite.train import get_trainer
from evalsuite.train.params import ParameterRenamedWarning, describe

SOURCE = "benchmarks/x.toml"

# every parameter of every built-in trainer, with a value its constraints refuse
BAD = {
    "torch-sgns": {
        "vector_size": 0, "window": 2.5, "negative": 0, "ns_exponent": "high", "sample": -0.1, "min_count": 0,
        "max_vocab_size": 0, "learning_rate": 0, "min_learning_rate": -1e-4, "epochs": 0, "batch_size": 0,
        "workers": 0, "output": "C", "kernel": "cuda",
    },
    "torch-glove": {
        "vector_size": 1.5, "window": 0, "x_max": 0, "weighting_exponent": -0.75, "learning_rate": float("inf"),
        "epochs": 0, "min_count": -1, "max_final_vocab": 0, "batch_size": 0, "symmetric": "yes",
        "distance_weighting": 2, "output": "C", "workers": 0, "max_buffer": 0, "kernel": "cuda",
    },
    "gensim-word2vec": {
        "architecture": "skipgrm", "vector_size": 0, "window": 0, "negative": -1, "ns_exponent": None,
        "sample": -1, "min_count": 0, "max_vocab_size": 0, "max_final_vocab": 0, "learning_rate": -0.1,
        "min_learning_rate": -1, "epochs": 0, "workers": 0, "hs": 2, "cbow_mean": 2, "output": "C",
    },
}
BAD["torch-cbow"] = {**BAD["torch-sgns"], "cbow_mean": 2}
CASES = [(trainer, param, value) for trainer, table in BAD.items() for param, value in table.items()]


def config(tmp_path, trainer="torch-sgns", params=None, **over):
    raw = {
        "tasks": [str(runfakes.write_similarity(tmp_path))],
        "run": {"name": "x", "seeds": [0]},
        "corpus": {"path": str(runfakes.write_corpus(tmp_path))},
        "embeddings": [{"name": "e", "trainer": trainer, "params": dict(params or {})}],
    }
    raw.update(over)
    return raw


def test_the_table_covers_every_parameter():
    for trainer, table in BAD.items():
        assert set(table) == set(get_trainer(trainer).param_names()), trainer


@pytest.mark.parametrize("trainer, param, value", CASES)
def test_bad_value_named_by_its_key_path(tmp_path, trainer, param, value):
    declared = get_trainer(trainer)._parameter_constraints[param]
    with pytest.raises(ConfigError) as err:
        parse_config(config(tmp_path, trainer, {param: value}), source=SOURCE)
    expected = f"{SOURCE}: embeddings[0] (e).params.{param}: must be {describe(declared)}, got {value!r}"
    assert str(err.value).startswith(expected)


def test_each_value_of_a_sweep_is_checked_with_its_index(tmp_path):
    with pytest.raises(ConfigError, match=re.escape(
            f"{SOURCE}: embeddings[0] (e).params.window[2]: must be an int in [1, 10000], got 0")):
        parse_config(config(tmp_path, params={"window": [2, 5, 0]}), source=SOURCE)


def test_every_sweep_point_is_checked_as_a_whole(tmp_path):
    params = {"learning_rate": [0.05, 0.01], "min_learning_rate": 0.02}
    with pytest.raises(ConfigError, match=re.escape(
            "params.min_learning_rate: must be <= learning_rate (0.01), got 0.02 (in the sweep point "
            "e[learning_rate=0.01])")):
        parse_config(config(tmp_path, params=params), source=SOURCE)
    with pytest.raises(ConfigError, match=re.escape("(e).params.negative: must be > 0 when hs=0")):
        parse_config(config(tmp_path, "gensim-word2vec", {"negative": 0}), source=SOURCE)
    cfg = parse_config(config(tmp_path, "gensim-word2vec", {"negative": 0, "hs": 1}), source=SOURCE)
    assert cfg.embeddings[0].params == {"negative": 0, "hs": 1}


@pytest.mark.parametrize("trainer, old, new", [("torch-glove", "alpha", "weighting_exponent"),
                                               ("torch-glove", "max_vocab", "max_final_vocab"),
                                               ("torch-glove", "max_vocab_size", "max_final_vocab"),
                                               ("torch-sgns", "alpha", "learning_rate"),
                                               ("torch-cbow", "min_alpha", "min_learning_rate"),
                                               ("gensim-word2vec", "alpha", "learning_rate")])
def test_old_names_still_work_with_a_warning(tmp_path, trainer, old, new):
    with pytest.warns(ParameterRenamedWarning, match=re.escape(
            f"{SOURCE}: embeddings[0] (e).params.{old}: deprecated name, use '{new}' instead")):
        cfg = parse_config(config(tmp_path, trainer, {old: [0.01, 0.02] if "alpha" in old else 50}), source=SOURCE)
    assert all(new in spec.params and old not in spec.params for spec in cfg.embeddings)
    if "alpha" in old:  # a sweep is labelled with the new name
        assert [s.name for s in cfg.embeddings] == [f"e[{new}=0.01]", f"e[{new}=0.02]"]


def test_old_and_new_name_together_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match=re.escape(
            f"{SOURCE}: embeddings[0] (e).params.alpha: given together with 'weighting_exponent'")):
        parse_config(config(tmp_path, "torch-glove", {"alpha": 0.5, "weighting_exponent": 0.75}), source=SOURCE)


@pytest.mark.parametrize("settings, key, problem", [
    ({"dropout": [0, 1.5]}, "finetune.dropout[1]", "must be a number in [0, 0.99] or None, got 1.5"),
    ({"epochs": 2.5}, "finetune.epochs", "must be an int >= 1, got 2.5"),
    ({"weight_decy": 0.1}, "finetune.weight_decy", "unknown setting (did you mean 'weight_decay'?)"),
    ({"models": ["bag", "rnn"]}, "finetune.models[1]", "must be one of 'bag', 'cnn', got 'rnn'"),
    ({"modes": ["frozn"]}, "finetune.modes", "unknown mode 'frozn'"),
])
def test_finetune_errors_name_the_file(tmp_path, settings, key, problem):
    with pytest.raises(ConfigError) as err:
        parse_config(config(tmp_path, finetune=settings), source=SOURCE)
    assert str(err.value).startswith(f"{SOURCE}: {key}: {problem}")


def test_job_count_refused_without_building_the_sweep(tmp_path):
    # six parameters of 9 values: 531,441 embeddings; refused before one is built
    params = {k: list(range(1, 10)) for k in ("vector_size", "window", "negative", "min_count", "epochs", "workers")}
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as err:
            parse_config(config(tmp_path, params=params), source=SOURCE)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    msg = str(err.value)
    assert msg.startswith(f"{SOURCE}: run.max_jobs: the run expands to 531,441 jobs, more than max_jobs = 1,000")
    assert "embeddings[0] (e) sweeps vector_size (9) × window (9) × negative (9)" in msg
    # beyond the largest max_jobs allowed, the message does not suggest raising it
    assert "× 1 seed(s) (run.seeds)" in msg and msg.endswith("Shrink the sweeps: max_jobs can be at most 10,000")
    assert peak < 20 * 2**20


def test_job_count_multiplies_seeds_and_finetune_sweeps(tmp_path):
    # 2 embeddings x 2 seeds = 4 jobs; each fine-tuned: random and fine-tuned x 2 weight decays, plus
    # the bag model's probe (frozen mode), which no training setting multiplies: 5 x 4 = 20 runs; 24 in all
    raw = config(tmp_path, params={"window": [2, 3]}, finetune={"weight_decay": [0, 1e-3]})
    raw["run"].update(seeds=[0, 1], max_jobs=24)
    assert parse_config(raw).max_jobs == 24
    raw["run"]["max_jobs"] = 23
    with pytest.raises(ConfigError) as err:
        parse_config(raw, source=SOURCE)
    msg = str(err.value)
    assert "expands to 24 jobs, more than max_jobs = 23" in msg and "2 trained embedding(s) × 2 seed(s)" in msg
    assert "fine-tuning: 5 setting(s) per embedding and seed (weight_decay (2) × modes (3)) = 20 run(s)" in msg


@pytest.mark.parametrize("value", [0, 2.5, "many", True])
def test_max_jobs_must_be_a_positive_int(tmp_path, value):
    raw = config(tmp_path)
    raw["run"]["max_jobs"] = value
    with pytest.raises(ConfigError, match=re.escape(f"{SOURCE}: run.max_jobs: must be an int in [1, 10000], "
                                                    f"got {value!r}")):
        parse_config(raw, source=SOURCE)


def _write(tmp_path, params_line, run=""):
    path = tmp_path / "bad.toml"
    path.write_text(f"""
tasks = ["{runfakes.write_similarity(tmp_path)}"]
[run]
name = "bad"
store = "{tmp_path / 'results.sqlite'}"
cache = "{tmp_path / 'cache'}"
output = "{tmp_path / 'reports'}"
{run}
[corpus]
path = "{runfakes.write_corpus(tmp_path)}"
[[embeddings]]
name = "sgns"
trainer = "torch-sgns"
params = {{ {params_line} }}
""", encoding="utf-8")
    return path


def test_run_refuses_a_bad_window_before_any_work(tmp_path, capsys, monkeypatch):
    def no_training(*args, **kwargs):
        raise AssertionError("training started")

    monkeypatch.setattr(get_trainer("torch-sgns"), "fit", no_training)
    path = _write(tmp_path, "vector_size = 8, window = 0")
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"evalsuite: error: {path}: embeddings[0] (sgns).params.window: must be an int in [1, 10000], got 0"
    assert not (tmp_path / "results.sqlite").exists() and not (tmp_path / "cache").exists()


def test_run_refuses_too_many_jobs(tmp_path, capsys):
    path = _write(tmp_path, "window = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], vector_size = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]",
                  run="max_jobs = 100")
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"evalsuite: error: {path}: run.max_jobs: the run expands to 110 jobs, more than max_jobs = 100")
    assert "window (11) × vector_size (10) = 110 points" in err and "max_jobs = 110" in err
    assert not (tmp_path / "results.sqlite").exists()


@pytest.mark.parametrize("old", ["max_vocab", "max_vocab_size"])
def test_old_name_of_the_final_cut_warns_once(tmp_path, old):
    with pytest.warns(ParameterRenamedWarning) as caught:
        cfg = parse_config(config(tmp_path, "torch-glove", {old: 50}), source=SOURCE)
    assert [str(w.message) for w in caught] == [
        f"{SOURCE}: embeddings[0] (e).params.{old}: deprecated name, use 'max_final_vocab' instead"]
    assert cfg.embeddings[0].params == {"max_final_vocab": 50}
    new = parse_config(config(tmp_path, "torch-glove", {"max_final_vocab": 50}), source=SOURCE)
    assert new.embeddings[0].params == cfg.embeddings[0].params
