import pytest

import runfakes
from evalsuite.config import load_config, parse_config
from evalsuite.core.errors import ConfigError

# the fake trainers of runfakes, registered for each test
pytestmark = pytest.mark.usefixtures("fake_trainers")


def base(tmp_path, **over):
    corpus = runfakes.write_corpus(tmp_path)
    raw = {
        "tasks": [str(runfakes.write_similarity(tmp_path))],
        "run": {"name": "x", "seeds": [0]},
        "corpus": {"path": str(corpus)},
        "embeddings": [{"name": "sg", "trainer": "fake-sgns", "params": {"noise": 0.1}}],
    }
    raw.update(over)
    return raw


def test_minimal_config_defaults(tmp_path):
    cfg = parse_config(base(tmp_path))
    assert cfg.name == "x" and cfg.seeds == (0,) and cfg.protocol == "default"
    assert cfg.store.endswith("results.sqlite") and cfg.executor == "local"
    (spec,) = cfg.embeddings
    assert spec.name == "sg" and spec.trainer == "fake-sgns" and spec.family == "word2vec"


def test_unknown_top_key_suggests(tmp_path):
    raw = base(tmp_path)
    raw["embedings"] = raw.pop("embeddings")
    with pytest.raises(ConfigError, match=r"embedings: unknown key \(did you mean 'embeddings'\?\)"):
        parse_config(raw)


def test_unknown_run_key_lists_allowed(tmp_path):
    raw = base(tmp_path)
    raw["run"]["sedes"] = [1]
    with pytest.raises(ConfigError) as e:
        parse_config(raw)
    msg = str(e.value)
    assert "run.sedes" in msg and "did you mean 'seeds'" in msg and "allowed: name, output, seeds" in msg


def test_unknown_trainer_param_names_key_and_suggests(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["params"] = {"nois": 0.2}
    with pytest.raises(ConfigError, match=r"embeddings\[0\] \(sg\)\.params\.nois: unknown key \(did you mean 'noise'\?\); allowed: noise, dim, epochs"):
        parse_config(raw)


def test_unknown_trainer_suggests(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["trainer"] = "fake-sgn"
    with pytest.raises(ConfigError, match=r"trainer: unknown trainer 'fake-sgn' \(did you mean 'fake-sgns'\?\)"):
        parse_config(raw)


def test_bad_param_value_rejected_by_trainer(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["params"] = {"noise": -1.0}
    with pytest.raises(ConfigError, match=r"params\.noise: must be a number >= 0, got -1\.0"):
        parse_config(raw)


@pytest.mark.parametrize("seeds, problem", [([], "non-empty"), ([0, 0], "duplicate"), (["a"], "integers"),
                                            ([True], "integers"), ("zero", "list of integers")])
def test_bad_seeds(tmp_path, seeds, problem):
    raw = base(tmp_path)
    raw["run"]["seeds"] = seeds
    with pytest.raises(ConfigError, match=f"run.seeds: .*{problem}"):
        parse_config(raw)


def test_bad_executor_lists_allowed(tmp_path):
    raw = base(tmp_path)
    raw["run"]["executor"] = "rey"
    with pytest.raises(ConfigError, match=r"run.executor: .*did you mean 'ray'.*allowed: local, ray"):
        parse_config(raw)


def test_missing_tasks_and_embeddings(tmp_path):
    raw = base(tmp_path)
    del raw["tasks"]
    with pytest.raises(ConfigError, match="tasks: missing"):
        parse_config(raw)
    raw = base(tmp_path)
    del raw["embeddings"]
    with pytest.raises(ConfigError, match="embeddings: missing"):
        parse_config(raw)


def test_trainer_and_pretrained_exclusive(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["pretrained"] = "x.txt"
    with pytest.raises(ConfigError, match="exactly one of 'trainer'"):
        parse_config(raw)


def test_pretrained_missing_file_and_bad_format(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"] = [{"name": "p", "pretrained": str(tmp_path / "nope.txt")}]
    with pytest.raises(ConfigError, match="pretrained: file not found"):
        parse_config(raw)
    f = tmp_path / "v.txt"
    f.write_text("1 2\na 0.5 0.5\n")
    raw["embeddings"] = [{"name": "p", "pretrained": str(f), "format": "glov"}]
    with pytest.raises(ConfigError, match=r"format: unknown format 'glov' \(did you mean 'glove'\?\)"):
        parse_config(raw)


def test_corpus_needs_one_source_and_valid_options(tmp_path):
    raw = base(tmp_path)
    raw["corpus"] = {}
    with pytest.raises(ConfigError, match="corpus: give exactly one of 'name'"):
        parse_config(raw)
    raw["corpus"] = {"name": "imbd"}
    with pytest.raises(ConfigError, match=r"corpus.name: unknown corpus 'imbd' \(did you mean 'imdb'\?\)"):
        parse_config(raw)
    raw["corpus"] = {"name": "imdb", "lowercse": True}
    with pytest.raises(ConfigError, match=r"corpus.lowercse: unknown key \(did you mean 'lowercase'\?\)"):
        parse_config(raw)


def test_sweep_expands_cartesian_product(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["params"] = {"noise": [0.1, 0.5], "dim": [4, 8, 6], "epochs": 1}
    cfg = parse_config(raw)
    names = [s.name for s in cfg.embeddings]
    assert len(names) == 6
    assert names[0] == "sg[noise=0.1,dim=4]" and names[-1] == "sg[noise=0.5,dim=6]"
    spec = cfg.embeddings[1]
    assert spec.params == {"noise": 0.1, "dim": 8, "epochs": 1} and spec.sweep == {"noise": 0.1, "dim": 8}
    assert all(s.base == "sg" for s in cfg.embeddings)


def test_sweep_value_invalid_in_one_combination(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"][0]["params"] = {"noise": [0.1, -2.0]}
    with pytest.raises(ConfigError, match=r"params\.noise\[1\]: must be a number >= 0, got -2\.0"):
        parse_config(raw)


def test_duplicate_embedding_names(tmp_path):
    raw = base(tmp_path)
    raw["embeddings"].append(dict(raw["embeddings"][0]))
    with pytest.raises(ConfigError, match="two embeddings are named 'sg'"):
        parse_config(raw)


def test_toml_syntax_error_names_file_and_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text("[run]\nname = 'x'\nseeds = [0,,]\n")
    with pytest.raises(ConfigError, match=r"bad.toml: invalid TOML: .*line"):
        load_config(p)


def test_missing_file():
    with pytest.raises(ConfigError, match="config file not found"):
        load_config("does/not/exist.toml")


def test_load_config_file_and_hash_ignores_output(tmp_path):
    path = runfakes.write_config(tmp_path)
    cfg = load_config(path)
    assert [s.name for s in cfg.embeddings] == ["sgns", "glove"]
    assert cfg.embeddings[1].family == "glove"
    text = path.read_text().replace("/reports", "/elsewhere")
    p2 = tmp_path / "b.toml"
    p2.write_text(text)
    assert load_config(p2).hash() == cfg.hash()
    p2.write_text(path.read_text().replace("noise = 0.1 }\n\n[[", "noise = 0.2 }\n\n[["))
    assert load_config(p2).hash() != cfg.hash()


def test_bundled_benchmark_configs_parse():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "benchmarks"
    for name in ("default.toml", "quick.toml", "sensitivity.toml"):
        cfg = load_config(root / name)
        assert cfg.embeddings and cfg.tasks
    grid = load_config(root / "sensitivity.toml")
    assert grid.compare.grid is True and len(grid.embeddings) == 12


def test_baseline_table_defaults_and_as_baseline(tmp_path):
    cfg = parse_config(base(tmp_path))
    assert cfg.baseline is None and cfg.as_baseline().seeds == (0, 1, 2)
    cfg = parse_config(base(tmp_path, baseline={}))
    assert cfg.baseline.seeds == (0, 1, 2) and cfg.baseline.level == 0.05 and cfg.baseline.margin == 0.0
    raw = base(tmp_path, baseline={"seeds": [3, 4, 5, 6], "level": 0.01, "margin": 0.02})
    cfg = parse_config(raw)
    bl = cfg.as_baseline()
    assert bl.name == "x-baseline" and bl.seeds == (3, 4, 5, 6)
    assert bl.to_dict()["run"] == {"name": "x-baseline", "seeds": [3, 4, 5, 6]}  # what the store records
    assert (bl.embeddings, bl.tasks) == (cfg.embeddings, cfg.tasks)
    # the gate's settings do not change what a run computes: same hash
    assert cfg.hash() == parse_config(base(tmp_path, baseline={"level": 0.2})).hash()


@pytest.mark.parametrize("table, message", [
    ({"seeds": []}, r"baseline\.seeds: expected a non-empty list"),
    ({"seeds": [1, 1]}, r"baseline\.seeds: duplicate seeds"),
    ({"level": 1.5}, r"baseline\.level: expected a number in \(0, 1\)"),
    ({"margin": -0.1}, r"baseline\.margin: expected a number >= 0"),
    ({"levle": 0.1}, r"baseline\.levle: unknown key \(did you mean 'level'\?\)"),
    ({"name": "a/b"}, r"baseline\.name: not usable as a folder name"),
])
def test_bad_baseline_table(tmp_path, table, message):
    with pytest.raises(ConfigError, match=r"<config>: " + message):
        parse_config(base(tmp_path, baseline=table))
