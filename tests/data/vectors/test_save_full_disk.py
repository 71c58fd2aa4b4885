import numpy as np
import pytest

from evalsuite.cli import main
from evalsuite.core.embeddings import Embeddings
from evalsuite.core.errors import EvalsuiteError
from evalsuite.data.vectors import save_embeddings
from fullfs import file_size_limit


@pytest.mark.parametrize("name", ["v.npz", "v.txt", "v.txt.gz"])
def test_a_full_disk_names_the_file_and_leaves_nothing(tmp_path, name):
    words = [f"word{i}" for i in range(3000)]
    emb = Embeddings(words, np.random.default_rng(0).normal(size=(len(words), 50)).astype(np.float32))
    with file_size_limit(16384), pytest.raises(EvalsuiteError, match=f"{name}: cannot write"):
        save_embeddings(emb, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_train_on_a_full_disk_is_one_error_line(tmp_path, capsys, fake_trainers):
    import runfakes

    corpus = runfakes.write_corpus(tmp_path)
    out = tmp_path / "vectors.txt"
    with file_size_limit(512):
        code = main(["train", "fake-sgns", "--corpus", str(corpus), "--output", str(out)])
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("evalsuite: error:")]
    assert code == 2 and len(errors) == 1 and f"{out}: cannot write" in errors[0] and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.txt"]
