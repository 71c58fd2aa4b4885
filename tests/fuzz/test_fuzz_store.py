"""The results store: a valid small ``results.sqlite`` damaged by bytes, pages or rows, then read by
``runs``, ``check`` and ``report`` and opened for a ``run``. Each outcome is a clean result or one
error line naming the store (a damaged row may be skipped with a one-line warning), within the
time limit; never a traceback."""

import contextlib
import io
import json
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from evalsuite.cli import main
from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.store.sqlite import ResultStore
from limits import within
from mutate import EXAMPLES, INTERESTING, REFUSED, mutate, scratch

PAGE = 4096


def _result(emb, task, seed, value):
    return TaskResult(task=task, kind="similarity", embedding=f"{emb}@seed{seed}", main_score=value,
                      scores={"spearman": value}, n_items=5, n_scored=5, ci95=(value - 0.1, value + 0.1),
                      main_score_name="spearman", protocol={"name": "default", "version": "1.0"},
                      items={"word1": list("abcde"), "word2": list("bcdef"), "gold": [1.0, 2.0, 3.0, 4.0, 5.0],
                             "predicted": [0.1, 0.3, 0.2, 0.5, 0.4 + 0.01 * seed]},
                      details={"sufficient": True}, provenance={"seed": seed, "embedding_group": emb},
                      key=ResultKey(emb, seed))


def _store_bytes() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "results.sqlite"
        with ResultStore(path) as store:
            for run_id in ("base", "new"):
                results = [_result(e, t, s, 0.5 + 0.02 * s) for e in ("a", "b") for t in ("ws", "men") for s in (0, 1)]
                store.save_run(RunResult(run_id=run_id, name=run_id, task_results=tuple(results),
                                         embeddings=tuple({"name": f"{e}@seed{s}", "seed": s}
                                                          for e in ("a", "b") for s in (0, 1)),
                                         created=f"2026-01-0{1 + (run_id == 'new')}T00:00:00+00:00"))
        return path.read_bytes()


VALID = _store_bytes()
TABLES = {"runs": ["id", "name", "config", "status", "created", "wall_time", "provenance", "timings"],
          "task_results": ["task", "embedding", "main_score", "scores", "ci_low", "n_items", "n_scored",
                           "protocol", "details", "result_key", "kind", "higher_is_better"],
          "items": ["data"], "embeddings": ["meta", "name"], "schema_version": ["version"]}
ODD = [None, -1, 0, 2**63 - 1, 1e308, float("inf"), float("nan"), "", "x", "{", "[]", "{}", '{"a": 1}', "null",
       b"", b"\x00\xff", b"x\x9c\x03\x00"]


def _damage_rows(data, path: Path) -> None:
    conn = sqlite3.connect(path)
    for _ in range(data.draw(st.integers(1, 3), label="row edits")):
        table = data.draw(st.sampled_from(sorted(TABLES)), label="table")
        column = data.draw(st.sampled_from(TABLES[table]), label="column")
        value = data.draw(st.sampled_from(ODD), label="value")
        try:
            conn.execute(f"UPDATE {table} SET {column}=? WHERE rowid IN (SELECT rowid FROM {table} LIMIT 1)", (value,))
        except sqlite3.IntegrityError:
            pass  # a constraint keeps this value out: nothing to read back
    conn.commit()
    conn.close()


def _damage(data, path: Path) -> None:
    how = data.draw(st.sampled_from(["bytes", "page", "rows"]), label="damage")
    if how == "rows":
        path.write_bytes(VALID)
        _damage_rows(data, path)
        return
    raw = bytearray(VALID)
    if how == "bytes":
        raw = bytearray(mutate(data, bytes(raw), max_ops=3))
    else:
        page = data.draw(st.integers(0, len(raw) // PAGE - 1), label="page")
        fill = data.draw(st.sampled_from([b"\x00", b"\xff", b"garbage!", INTERESTING[0]]), label="fill")
        raw[page * PAGE:(page + 1) * PAGE] = (fill * PAGE)[:PAGE]
    path.write_bytes(bytes(raw))


def _cli(path: Path, *argv) -> None:
    """``evalsuite ARGV --store PATH``: exit 0, 1 (a regression found) or 2 with one line naming the store."""
    out, err = io.StringIO(), io.StringIO()
    name = f"store: {argv[0]}"
    EXAMPLES[name] += 1
    with within(10, f"evalsuite {argv[0]}"), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*map(str, argv), "--store", str(path)])
    text = err.getvalue()
    errors = [line for line in text.splitlines() if line.startswith("evalsuite: error:")]
    warnings = [line for line in text.splitlines() if "warning" in line.lower()]
    assert code in (0, 1, 2), (argv, code, text)
    assert all(w.startswith(f"evalsuite: warning: {path}") for w in warnings), text
    if code == 2:
        REFUSED[name] += 1
        # damage that leaves valid rows is data: two runs refused as not comparable is a clean outcome too
        assert len(errors) == 1 and (str(path) in errors[0] or "not comparable" in errors[0]), text


def _open_for_run(path: Path) -> None:
    """The store-opening step of ``run``: writable, then a run row written and finished."""
    EXAMPLES["store: run"] += 1
    try:
        with within(10, "opening the store for a run"), ResultStore(path, write=True) as store:
            store.begin_run("fuzz", "fuzz", {}, "h", package_versions={}, machine={})
            store.finish_run("fuzz", wall_time=0.0)
    except EvalsuiteError as exc:
        REFUSED["store: run"] += 1
        assert str(path) in str(exc) and "\n" not in str(exc), str(exc)


@settings(max_examples=5)
@given(data=st.data())
def test_damaged_store(data):
    with scratch() as folder:
        path = folder / "results.sqlite"
        _damage(data, path)
        _cli(path, "runs")
        _cli(path, "check", "new", "--baseline", "base")
        if data.draw(st.booleans(), label="report too"):  # figures take a second: not every time
            _cli(path, "report", "latest", "--output", folder / "out")
        _open_for_run(path)
        json.dumps(EXAMPLES)  # the counters stay plain
