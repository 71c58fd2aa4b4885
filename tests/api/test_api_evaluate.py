"""``evalsuite.evaluate``: gensim vectors in memory score as ``evalsuite evaluate`` scores them
saved to a file; the result prints, renders and flattens."""

import json
import subprocess
import sys

import pytest

import evalsuite
from lee_vectors import TASKS
from evalsuite.cli import main
from evalsuite.core.atomic import write_json
from evalsuite.core.errors import ConfigError, EvalsuiteError, UnknownNameError

FIELDS = ("task", "kind", "main_score", "main_score_name", "scores", "n_items", "n_scored", "ci95", "sufficient")


def _scores(entries):
    return {e["task"]: {k: e.get(k) for k in FIELDS} for e in entries}


@pytest.fixture(scope="module")
def evaluation(lee_model):
    return evalsuite.evaluate(lee_model.wv)


def test_keyed_vectors_score_as_the_command_scores_their_file(evaluation, lee_model, lee_file, tmp_path, capsys):
    out = tmp_path / "cli.json"
    assert main(["evaluate", str(lee_file), "--json", str(out)]) == 0
    cli = json.loads(out.read_text(encoding="utf-8"))
    write_json(tmp_path / "api.json", evaluation.to_document())  # as the command writes it: NaN as null
    api = json.loads((tmp_path / "api.json").read_text(encoding="utf-8"))
    assert api["protocol"] == cli["protocol"]
    assert _scores(api["results"]) == _scores(cli["results"])
    assert len(api["results"]) == len(evalsuite.api.evaluation.resolve_tasks(None)) > 5
    assert any(r["n_scored"] > 0 for r in api["results"])
    # the model itself (``.wv`` read from it) scores the same
    assert _scores(json.loads(json.dumps(evalsuite.evaluate(lee_model, TASKS).to_document()))["results"]) == {
        t: s for t, s in _scores(cli["results"]).items() if t in TASKS}


def test_printed_as_the_evaluate_table(evaluation, lee_file, capsys):
    text = str(evaluation)
    assert "evalsuite evaluate (protocol default v1.0)" in text
    first = evaluation.task_results[0]
    assert f"{first.main_score:.3f}" in text and f"{first.n_scored}/{first.n_items} covered" in text
    assert max(len(line) for line in text.splitlines()) <= 100 and "\x1b" not in text
    assert "vectors" in text and "ws353" in text


def test_the_notebook_shows_the_reports_scoreboard(evaluation):
    html = evaluation._repr_html_()
    assert html.startswith('<div class="evalsuite-report"><style>') and html.endswith("</div>")
    assert "<html" not in html and "<body" not in html  # a fragment, not a page
    assert ".evalsuite-report table.ranked" in html and "@media" not in html  # the page's style, scoped
    assert 'data-check="scoreboard"' in html and ">Scoreboard</h2>" in html
    assert "ws353" in html


def test_records_and_frame(evaluation):
    records = evaluation.to_records()
    assert len(records) == len(evaluation.task_results)
    first = records[0]
    assert list(first) == list(evalsuite.api.display.TASK_FIELDS)
    r = evaluation.task_results[0]
    assert first["embedding"] == "vectors" and first["task"] == r.task and first["score"] == r.main_score
    assert (first["ci_low"], first["ci_high"]) == tuple(r.ci95) and first["coverage"] == r.coverage
    assert first["protocol"] == "default" and first["seed"] is None and first["run"] == "evaluate"
    frame = evaluation.to_frame()
    assert frame.shape == (len(records), len(first)) and list(frame["task"]) == [x["task"] for x in records]


def test_to_frame_without_pandas_says_how_to_install_it(evaluation, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(EvalsuiteError, match=r"pip install pandas"):
        evaluation.to_frame()


def test_several_vectors_named_by_a_dict(lee_model):
    both = evalsuite.evaluate({"sg": lee_model.wv, "same": lee_model}, tasks="ws353")
    assert [r.embedding for r in both.task_results] == ["sg", "same"]
    assert both.task_results[0].main_score == both.task_results[1].main_score
    assert "sg" in str(both) and "same" in str(both)


def test_bad_input_is_refused_before_any_vectors_are_read(lee_model):
    with pytest.raises(UnknownNameError, match="ws35x"):
        evalsuite.evaluate("no-such-file.vec", tasks=["ws35x"])
    with pytest.raises(ConfigError, match=r"^restrict_vocab: must be an int >= 0, got -1$"):
        evalsuite.evaluate(lee_model.wv, restrict_vocab=-1)
    with pytest.raises(ConfigError, match="^vectors: expected gensim KeyedVectors.*got int$"):
        evalsuite.evaluate(42)


def test_restrict_vocab_as_gensim_names_it(lee_model):
    few = evalsuite.evaluate(lee_model.wv, tasks="ws353", restrict_vocab=50)
    assert few.protocol.similarity_vocab == 50 and few.protocol.analogy_vocab == 50
    assert few.task_results[0].n_scored < evalsuite.evaluate(lee_model.wv, tasks="ws353").task_results[0].n_scored


def test_the_package_face_stays_light_and_evaluate_is_still_the_tasks_package():
    code = ("import sys, evalsuite; heavy = [m for m in ('evalsuite.api', 'torch', 'gensim', 'matplotlib') "
            "if m in sys.modules]; print(heavy); import evalsuite.evaluate.metrics as m; "
            "print(callable(evalsuite.evaluate), evalsuite.evaluate.metrics is m, 'compare' in dir(evalsuite))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:2] == ["[]", "True True True"]
