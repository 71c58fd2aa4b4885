"""``evalsuite.load_run``: a run from the store or from a ``results.json``, shown as ``evalsuite
run`` prints it and as the report's first screen."""

import pytest

import evalsuite
from evalsuite.core.atomic import write_json
from evalsuite.core.errors import EvalsuiteError
from evalsuite.store.sqlite import ResultStore


@pytest.fixture(scope="module")
def stored(lee_model, tmp_path_factory):
    """A run of two embeddings on two tasks, in a store and as a results.json."""
    from dataclasses import replace

    root = tmp_path_factory.mktemp("runs")
    scores = evalsuite.evaluate({"w2v-lee": lee_model.wv, "glove-lee": lee_model}, ["ws353", "men"])
    run = replace(scores.run, run_id="r1", name="notebook", created="2025-01-01T00:00:00")
    with ResultStore(root / "results.sqlite") as store:
        store.save_run(run)
    write_json(root / "results.json", run.to_dict())
    return root, run


@pytest.mark.parametrize("where", ["store", "file"])
def test_a_run_from_the_store_or_a_file(stored, where):
    root, run = stored
    loaded = (evalsuite.load_run("notebook", store=root / "results.sqlite") if where == "store"
              else evalsuite.load_run(root / "results.json"))
    assert loaded.run.run_id == "r1"
    assert [(r.embedding, r.task, r.main_score) for r in loaded.task_results] == [
        (r.embedding, r.task, r.main_score) for r in run.task_results]
    records = loaded.to_records()
    assert [(r["embedding"], r["task"]) for r in records] == [
        ("w2v-lee", "ws353"), ("w2v-lee", "men"), ("glove-lee", "ws353"), ("glove-lee", "men")]
    assert loaded.to_frame()["score"].tolist() == [r["score"] for r in records]


def test_printed_as_run_prints_it_and_shown_as_the_reports_first_screen(stored):
    root, _ = stored
    loaded = evalsuite.load_run(root / "results.json")
    text = str(loaded)
    assert "notebook (r1)" in text and "w2v-lee" in text and "ws353" in text
    assert "similarity:" in text  # the Word2Vec-or-GloVe verdict under the table
    html = loaded._repr_html_()
    assert ">The answer</h2>" in html and ">Scoreboard</h2>" in html and 'data-check="answer"' in html
    assert repr(loaded) == "<Run 'r1': 2 embedding(s) x 2 task(s), 4 result(s)>"


def test_a_missing_run_is_one_error(stored, tmp_path):
    root, _ = stored
    with pytest.raises(EvalsuiteError, match="no-such-run"):
        evalsuite.load_run("no-such-run", store=root / "results.sqlite")
    with pytest.raises(EvalsuiteError, match="no results store here"):
        evalsuite.load_run("notebook", store=tmp_path / "none.sqlite")
