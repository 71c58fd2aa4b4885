"""A results.json from the user is checked field by field before it is compared or reported."""

import json
from pathlib import Path

import pytest

from evalsuite.core.errors import InputError
from evalsuite.store.sqlite import load_run_ref

BASELINE = Path(__file__).resolve().parents[2] / "reports" / "baseline" / "results.json"


def _write(tmp_path, change):
    doc = json.loads(BASELINE.read_text("utf-8"))
    change(doc)
    p = tmp_path / "results.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    return p


def test_the_committed_baseline_loads(tmp_path):
    run = load_run_ref(str(_write(tmp_path, lambda d: None)), tmp_path / "none.sqlite")
    # the default config's baseline run: 85 scores (5 embeddings x 17 tasks) x 3 seeds
    assert run.name == "default-baseline" and len(run.task_results) == 255


@pytest.mark.parametrize("field,value,problem", [
    ("task", True, "'task_results[1].task' must be a string"),
    ("main_score", "0.5", "'task_results[1].main_score' must be a finite number or null"),
    ("scores", {"spearman": [1]}, "'task_results[1].scores' must be an object of finite numbers or nulls"),
    ("n_items", -3, "'task_results[1].n_items' and 'n_scored' must be counts (integers >= 0)"),
    ("ci95", [0.1], "'task_results[1].ci95' must be null or two finite numbers"),
    ("details", [], "'task_results[1].details' must be an object"),
    ("main_score", 1e300, "'task_results[1].main_score' must be within [-1, 1] for a similarity task "
                          "(a correlation or an accuracy), got 1e+300"),
])
def test_a_field_of_the_wrong_type_is_named(tmp_path, field, value, problem):
    p = _write(tmp_path, lambda d: d["task_results"][1].__setitem__(field, value))
    with pytest.raises(InputError) as err:
        load_run_ref(str(p), tmp_path / "none.sqlite")
    assert str(err.value) == f"{p}: {problem}"


def test_a_folder_without_results_is_named(tmp_path):
    with pytest.raises(InputError, match="is a folder without a results.json"):
        load_run_ref(str(tmp_path), tmp_path / "none.sqlite")


@pytest.mark.parametrize("section,value,problem", [
    ("compare", {"differences": "x"}, "'config.compare.differences' must be an object of strings, got 'x'"),
    ("compare", {"dev_fraction": True}, "'config.compare.dev_fraction' must be a number in (0, 1), got True"),
    ("compare", [1], "'config.compare' must be an object"),
    ("corpus", {"name": 3}, "'config.corpus.name' must be a string, got 3"),
    ("run", {"seeds": "0"}, "'config.run.seeds' must be a list of integers, got '0'"),
])
def test_a_config_section_read_back_is_checked(tmp_path, section, value, problem):
    p = _write(tmp_path, lambda d: d["config"].__setitem__(section, value))
    with pytest.raises(InputError) as err:
        load_run_ref(str(p), tmp_path / "none.sqlite")
    assert str(err.value) == f"{p}: {problem}"
