"""Baselines for ``evalsuite check``: a valid small baseline with deep nesting, huge, negative and
non-finite numbers put into it, then read and gated. The outcome is a gate report or one error
line naming the file, within the time limit."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from evalsuite.analysis.gate import BaselineError, gate
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.store.sqlite import load_run_ref
from limits import within
from mutate import EXAMPLES, REFUSED, scratch


def _baseline() -> dict:
    results = [TaskResult(task=t, kind="similarity", embedding=f"{e}@seed{s}", main_score=0.5 + 0.01 * s,
                          scores={"spearman": 0.5 + 0.01 * s}, n_items=50, n_scored=40, ci95=(0.4, 0.6),
                          main_score_name="spearman", details={"sufficient": True}, key=ResultKey(e, s))
               for e in ("a", "b") for t in ("ws", "men") for s in range(3)]
    noise = [{"embedding": e, "task": t, "variant": "", "metric": "spearman", "n_seeds": 3, "seed_sd": 0.01,
              "item_sd": 0.02} for e in ("a", "b") for t in ("ws", "men")]
    return RunResult(run_id="base", name="base", task_results=tuple(results),
                     provenance={"baseline_noise": noise}).to_dict()


BASELINE = _baseline()
CURRENT = RunResult.from_dict(BASELINE)
NUMBERS = ["1e308", "-1e308", "1e999", "-1e999", "NaN", "Infinity", "-Infinity", "-1", "-0.5", "0", "1e-320",
           str(10**400), str(-(10**30)), "null", "2.5"]
FIELDS = [("task_results", "main_score"), ("task_results", "n_items"), ("task_results", "n_scored"),
          ("task_results", "ci95"), ("provenance.baseline_noise", "item_sd"),
          ("provenance.baseline_noise", "seed_sd")]


def _text(data) -> str:
    doc = json.loads(json.dumps(BASELINE))
    marks = {}
    for i in range(data.draw(st.integers(1, 4), label="edits")):
        where, field = data.draw(st.sampled_from(FIELDS), label="field")
        rows = doc["provenance"]["baseline_noise"] if where.startswith("provenance") else doc["task_results"]
        if data.draw(st.booleans(), label="every row"):
            targets = rows
        else:
            targets = [rows[data.draw(st.integers(0, len(rows) - 1), label="row")]]
        mark = f"@{i}@"
        marks[mark] = data.draw(st.sampled_from(NUMBERS), label="number")
        for row in targets:
            row[field] = [mark, mark] if field == "ci95" else mark
    text = json.dumps(doc)
    for mark, number in marks.items():
        text = text.replace(f'"{mark}"', number)
    depth = data.draw(st.sampled_from([0, 0, 50, 5000, 200_000]), label="nesting")
    if depth:  # a deeply nested value in place of the config, or the whole document
        nested = "[" * depth + "]" * depth
        text = nested if data.draw(st.booleans(), label="whole") else text.replace('"config": {}', f'"config": {nested}')
    return text


@settings(max_examples=10)
@given(data=st.data())
def test_baseline_numbers_and_nesting(data):
    with scratch() as folder:
        path = folder / "results.json"
        path.write_text(_text(data))
        EXAMPLES["baselines"] += 1
        try:
            with within(10, "reading and gating a baseline"):
                baseline = load_run_ref(str(path), folder / "no.sqlite")
                gate(CURRENT, baseline, baseline_name=str(path))
        except (BaselineError, EvalsuiteError) as exc:
            REFUSED["baselines"] += 1
            assert str(path) in str(exc) and "\n" not in str(exc), str(exc)
