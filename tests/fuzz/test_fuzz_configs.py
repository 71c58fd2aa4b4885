"""TOML run configs and baseline results.json files."""

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from evalsuite.analysis.compare import analyze
from evalsuite.analysis.gate import BaselineError, gate
from evalsuite.config import load_config
from evalsuite.core.errors import ConfigError, EvalsuiteError
from evalsuite.core.results import RunResult
from evalsuite.store.sqlite import load_run_ref
from limits import within
from mutate import mutate, outcome, scratch

ROOT = Path(__file__).resolve().parents[2]
CONFIG = (ROOT / "benchmarks" / "quick.toml").read_bytes()
TOML_VALUES = [b"nan", b"inf", b"-inf", b"-1", b"0", b"99999999999999999999", b"1e400", b"0.5", b"true",
               b'""', b'"x"', b'"[/bad]<b>"', b'"../../etc"', b"[]", b"[1, 2]", b'["a", 1]', b"{}",
               b'{ dim = -5 }', b"1979-05-27", b"[[]]", b'"\\u0000"', b"'''\n'''"]
_VALUE = re.compile(rb"(=\s*)([^\n]+)")
load_config(ROOT / "benchmarks" / "quick.toml")  # imports the registries once, outside the memory check


@given(data=st.data())
def test_run_configs(data):
    raw = CONFIG
    for _ in range(data.draw(st.integers(0, 3), label="value swaps")):
        values = list(_VALUE.finditer(raw))
        m = values[data.draw(st.integers(0, len(values) - 1))]
        raw = raw[:m.start(2)] + data.draw(st.sampled_from(TOML_VALUES)) + raw[m.end(2):]
    content = mutate(data, raw, max_ops=2)
    with scratch() as folder:
        path = folder / "run.toml"
        path.write_bytes(content)
        outcome("TOML configs", path, lambda: load_config(path), ConfigError)


@settings(max_examples=6)
@given(depth=st.one_of(st.integers(1, 40), st.integers(40, 5000)), brackets=st.sampled_from(["[]", "{}"]),
       length=st.one_of(st.integers(0, 2000), st.integers(2000, 100_000)), where=st.sampled_from(["tasks", "seeds"]))
def test_deep_and_long_configs(depth, brackets, length, where):
    opening, closing = ("[", "]") if brackets == "[]" else ("{a=", "}")
    nested = opening * depth + "1" + closing * depth
    items = ", ".join(['"ws353"' if where == "tasks" else "0"] * length)
    head = "tasks = [" + (items if where == "tasks" else '"ws353"') + "]\n[run]\nname = \"x\"\n"
    head += f"seeds = [{items}]\n" if where == "seeds" else ""
    text = head + f'[corpus]\nname = "lee"\n[[embeddings]]\nname = "e"\ntrainer = "torch-sgns"\nparams = {{ window = {nested} }}\n'
    with scratch() as folder:
        path = folder / "run.toml"
        path.write_text(text, encoding="utf-8")
        with within(10, "load_config"):
            outcome("deep and long configs", path, lambda: load_config(path), ConfigError)


def _small_results() -> dict:
    doc = json.loads((ROOT / "reports" / "baseline" / "results.json").read_text("utf-8"))
    kinds = {}
    for t in doc["task_results"]:
        kinds.setdefault(t["kind"], t)
    doc["task_results"] = list(kinds.values())
    doc["embeddings"] = doc["embeddings"][:2]
    return doc


RESULTS = _small_results()
JSON_VALUES = [None, True, -1, 0, 1e308, float("nan"), "", "x", "[/bad]", [], [None], {}, {"a": 1}]


def _replace_somewhere(data, node):
    """``node`` with one value somewhere inside it replaced by an odd one."""
    if isinstance(node, (dict, list)) and node and data.draw(st.integers(0, 3)):
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        key = keys[data.draw(st.integers(0, len(keys) - 1))]
        copy = dict(node) if isinstance(node, dict) else list(node)
        copy[key] = _replace_somewhere(data, node[key])
        return copy
    return data.draw(st.sampled_from(JSON_VALUES))


@given(data=st.data())
def test_baseline_json(data):
    doc = RESULTS
    for _ in range(data.draw(st.integers(0, 3), label="value swaps")):
        doc = _replace_somewhere(data, doc)
    content = mutate(data, json.dumps(doc).encode(), max_ops=2)
    with scratch() as folder:
        path = folder / "results.json"
        path.write_bytes(content)
        run = outcome("baseline JSON", path, lambda: load_run_ref(str(path), folder / "no.sqlite"),
                      EvalsuiteError)
        if run is not None:  # what loads can be used: as a baseline, and for a verdict
            assert isinstance(run, RunResult)
            try:
                gate(run, run, baseline_name=str(path))
            except BaselineError as exc:  # an untestable baseline: refused with one line naming the file
                assert str(path) in str(exc) and "\n" not in str(exc)
            analyze(run)
