import pytest

import evalsuite.data.vectors
from evalsuite.cli import main
from evalsuite.cli.train_cmd import parse_settings, parse_value
from evalsuite.core.errors import ConfigError
from evalsuite.train.word2vec.gensim_trainer import GensimWord2Vec

ARGS = ["--set", "epochs=1", "--set", "vector_size=8", "--set", "min_count=1", "--set", "workers=1", "--seed", "3"]


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default cache folder, .evalsuite-cache, goes there


@pytest.fixture
def tiny(tmp_path):
    p = tmp_path / "tiny.txt"
    p.write_text("\n".join(["The cat sat on the mat.", "A dog sat on the log!"] * 20) + "\n")
    return p


def test_parse_values():
    assert parse_value("k", "3", 1) == 3
    assert parse_value("k", "0.5", 1.0) == 0.5
    assert parse_value("k", "cbow", "skipgram") == "cbow"
    assert parse_value("k", "none", None) is None and parse_value("k", "7", None) == 7
    assert parse_value("k", "yes", False) is True
    with pytest.raises(ConfigError, match="k=x: expected a int"):
        parse_value("k", "x", 1)
    assert parse_settings(GensimWord2Vec, ["window=7", "sample=0"]) == {"window": 7, "sample": 0.0}
    with pytest.raises(ConfigError, match="did you mean 'window'"):
        parse_settings(GensimWord2Vec, ["windw=7"])


def test_list(capsys):
    assert main(["train", "--list"]) == 0
    out = capsys.readouterr().out
    assert "gensim-word2vec" in out and "ns_exponent" in out and "0.75" in out


def test_unknown_trainer_and_param(tiny, tmp_path, capsys):
    assert main(["train", "gensim-wordvec", "--corpus", str(tiny), "--output", str(tmp_path / "v.txt")]) == 2
    err = capsys.readouterr().err.strip()
    assert "did you mean 'gensim-word2vec'" in err and "\n" not in err
    code = main(["train", "gensim-word2vec", "--corpus", str(tiny), "--output", "v.txt", "--set", "windw=2"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "did you mean 'window'" in err and "\n" not in err
    assert main(["train", "gensim-word2vec", "--corpus", "imbd", "--output", "v.txt"]) == 2
    assert "did you mean 'imdb'" in capsys.readouterr().err


def test_train_writes_via_save_embeddings(tiny, tmp_path, monkeypatch):
    saved = {}

    def fake_save(emb, path, format=None):
        saved.update(emb=emb, path=path, format=format)

    monkeypatch.setattr(evalsuite.data.vectors, "save_embeddings", fake_save, raising=False)
    out = tmp_path / "v.txt"
    assert main(["train", "gensim-word2vec", "--corpus", str(tiny), "--output", str(out), "--format", "glove", *ARGS]) == 0
    emb = saved["emb"]
    assert saved["path"] == str(out) and saved["format"] == "glove"
    assert emb.dim == 8 and emb.vocab[:2] == ("the", "on") and emb.meta["seed"] == 3
    assert emb.meta["params"]["epochs"] == 1 and emb.meta["corpus"] == "tiny.txt"


def test_train_end_to_end_file(tiny, tmp_path):
    from evalsuite.data.vectors import load_embeddings

    out = tmp_path / "v.txt"
    assert main(["train", "gensim-word2vec", "--corpus", str(tiny), "--output", str(out), "--format", "word2vec", *ARGS]) == 0
    emb = load_embeddings(out, "word2vec")
    assert emb.dim == 8 and "cat" in emb


def test_old_parameter_names_are_translated_with_a_warning(capsys):
    from evalsuite.train.glove.trainer import TorchGloVe
    from evalsuite.train.params import ParameterRenamedWarning

    with pytest.warns(ParameterRenamedWarning, match="--set alpha: deprecated name, use 'weighting_exponent' instead"):
        assert parse_settings(TorchGloVe, ["alpha=0.5", "max_final_vocab=9"]) == {"weighting_exponent": 0.5,
                                                                                  "max_final_vocab": 9}
    with pytest.warns(ParameterRenamedWarning, match="use 'learning_rate'"):
        assert parse_settings(GensimWord2Vec, ["alpha=0.01"]) == {"learning_rate": 0.01}
    with pytest.raises(ConfigError, match="--set max_vocab: given together with 'max_final_vocab'"):
        parse_settings(TorchGloVe, ["max_vocab=5", "max_final_vocab=9"])
    with pytest.raises(ConfigError, match="--set max_vocab: given together with 'max_vocab_size', another old name "
                                          "of 'max_final_vocab'"):
        parse_settings(TorchGloVe, ["max_vocab_size=5", "max_vocab=9"])


def test_old_name_warns_on_one_line_and_trains(tiny, tmp_path, capsys):
    out = tmp_path / "v.npz"
    assert main(["train", "gensim-word2vec", "--corpus", str(tiny), "--output", str(out), *ARGS,
                 "--set", "min_alpha=0.001"]) == 0
    err = capsys.readouterr().err
    assert "evalsuite: warning: --set min_alpha: deprecated name, use 'min_learning_rate' instead\n" in err


def test_bad_value_names_its_setting(tiny, capsys):
    assert main(["train", "torch-sgns", "--corpus", str(tiny), "--output", "v.npz", "--set", "window=0"]) == 2
    assert capsys.readouterr().err == "evalsuite: error: --set window: must be an int in [1, 10000], got 0\n"
    assert main(["train", "torch-glove", "--corpus", str(tiny), "--output", "v.npz", "--set", "output=C"]) == 2
    assert "--set output: must be one of 'W+C', 'W', got 'C'" in capsys.readouterr().err


def test_list_shows_what_each_parameter_accepts(capsys):
    assert main(["train", "--list"]) == 0
    out = capsys.readouterr().out
    assert "weighting_exponent (was alpha)" in out
    assert "max_final_vocab (was max_vocab," in out and "│ max_vocab_size)" in out  # two old names, wrapped
    assert "learning_rate (was alpha)" in out and "a number >= 0; <= learning_rate" in out


@pytest.mark.parametrize("seed", ["-1", str(2**70), str(2**32)])
def test_seed_out_of_range_is_one_line(tiny, capsys, seed):
    assert main(["train", "torch-sgns", "--corpus", str(tiny), "--output", "v.npz", "--seed", seed]) == 2
    assert capsys.readouterr().err == f"evalsuite: error: --seed {seed}: must be an int in [0, 2**32 - 1], got {seed}\n"


@pytest.mark.parametrize("trainer, setting", [("torch-sgns", "vector_size=1099511627776"),
                                              ("torch-glove", "epochs=1000000000000000000"),
                                              ("gensim-word2vec", "window=4611686018427387904")])
def test_huge_parameters_are_one_line(tiny, capsys, trainer, setting):
    assert main(["train", trainer, "--corpus", str(tiny), "--output", "v.npz", "--set", setting]) == 2
    err = capsys.readouterr().err
    key, value = setting.split("=")
    assert err.startswith(f"evalsuite: error: --set {key}: must be an int in [1, ") and err.count("\n") == 1
    assert err.endswith(f", got {value}\n")


def test_vector_size_beyond_memory_is_refused_with_the_estimate(tiny, tmp_path, capsys, monkeypatch):
    import evalsuite.train.limits

    monkeypatch.setattr(evalsuite.train.limits, "available_memory", lambda: (1 << 20, "MemAvailable"))
    out = tmp_path / "v.npz"
    assert main(["train", "torch-sgns", "--corpus", str(tiny), "--output", str(out), "--set", "min_count=1",
                 "--set", "vector_size=100000"]) == 2
    assert capsys.readouterr().err == (
        "evalsuite: error: torch-sgns: vector_size: 100,000 dimensions x 10 words need about 16.0 MB for the "
        "training matrices (4 float32 matrices of 10 x 100,000), more than the 1.0 MB of memory available "
        "(MemAvailable); lower vector_size or shrink the vocabulary (min_count)\n")
    assert not out.exists()


@pytest.mark.parametrize("old", ["max_vocab", "max_vocab_size"])
def test_old_name_of_the_final_cut_warns_once_and_trains_the_same(tiny, tmp_path, capsys, old):
    import numpy as np

    from evalsuite.data.vectors import load_embeddings

    args = ["train", "torch-glove", "--corpus", str(tiny), *ARGS, "--set", "kernel=torch"]
    assert main([*args, "--set", "max_final_vocab=5", "--output", str(tmp_path / "new.npz")]) == 0
    assert "warning" not in capsys.readouterr().err
    assert main([*args, "--set", f"{old}=5", "--output", str(tmp_path / "old.npz")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "warning" in line]
    assert warnings == [f"evalsuite: warning: --set {old}: deprecated name, use 'max_final_vocab' instead"]
    new, was = load_embeddings(tmp_path / "new.npz"), load_embeddings(tmp_path / "old.npz")
    assert len(new.vocab) == 5 and list(new.vocab) == list(was.vocab)
    np.testing.assert_array_equal(new.matrix, was.matrix)


def test_train_uses_the_run_cache_unless_told_not_to(tiny, tmp_path, capsys):
    import numpy as np

    from evalsuite.data.vectors import load_embeddings

    args = ["train", "torch-sgns", "--corpus", str(tiny), *ARGS]
    assert main([*args, "--output", "a.npz"]) == 0
    assert "from the cache" not in str(capsys.readouterr()) and list((tmp_path / ".evalsuite-cache").glob("*.npz"))
    assert main([*args, "--output", "b.npz"]) == 0
    assert "torch-sgns: from the cache in .evalsuite-cache (" in str(capsys.readouterr())
    assert main([*args, "--output", "c.npz", "--no-cache"]) == 0
    assert "from the cache" not in str(capsys.readouterr())
    a, b, c = (load_embeddings(tmp_path / f"{n}.npz") for n in "abc")
    np.testing.assert_array_equal(a.matrix, b.matrix)
    np.testing.assert_array_equal(a.matrix, c.matrix)
