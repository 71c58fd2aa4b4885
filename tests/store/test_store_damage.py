"""A damaged, unrelated, read-only or missing results store: one line naming the store, exit 2,
nothing modified; damage confined to rows is skipped with a warning."""

import hashlib
import sqlite3
import zlib

import pytest

from evalsuite.cli import main
from evalsuite.core.results import ResultKey, RunResult, TaskResult
from evalsuite.store.sqlite import ResultStore, StoreError, StoreWarning


def result(task="ws", score=0.5, seed=0, emb="e"):
    return TaskResult(task=task, kind="similarity", embedding=emb, main_score=score, scores={"spearman": score},
                      n_items=4, n_scored=4, ci95=(score - 0.1, score + 0.1), main_score_name="spearman",
                      protocol={"name": "default", "version": "1.0"},
                      items={"word1": list("abcd"), "word2": list("bcde"), "gold": [1.0, 2.0, 3.0, 4.0],
                             "predicted": [0.1, 0.2, 0.4, 0.3]},
                      details={"sufficient": True}, provenance={"seed": seed}, key=ResultKey(emb, seed))


def a_run(run_id="r1", tasks=("ws", "men", "rg")):
    return RunResult(run_id=run_id, name="demo", task_results=tuple(result(t) for t in tasks),
                     config={"run": {"name": "demo"}}, config_hash="h", embeddings=({"name": "e", "seed": 0},),
                     provenance={"package_versions": {}, "machine": {}}, created="2026-01-01T00:00:00+00:00",
                     wall_time=1.0)


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "results.sqlite"
    with ResultStore(path) as s:
        s.save_run(a_run())
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(capsys, *argv):
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def one_error(err, *names):
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("evalsuite: error: "), err
    for name in names:
        assert str(name) in lines[0], lines[0]
    return lines[0]


def edit(path, *statements):
    conn = sqlite3.connect(path)
    for sql, *args in statements:
        conn.execute(sql, *args)
    conn.commit()
    conn.close()


READERS = [("runs",), ("report", "r1", "--output", "{out}"), ("check", "r1", "--baseline", "r1"),
           ("compare", "r1", "r1")]


def reader_args(cmd, store, tmp_path):
    return [a.replace("{out}", str(tmp_path / "out")) for a in cmd] + ["--store", str(store)]


@pytest.mark.parametrize("cmd", READERS[:3], ids=lambda c: c[0])
def test_a_page_of_garbage_is_one_error_naming_the_store(store, tmp_path, capsys, cmd):
    data = bytearray(store.read_bytes())
    data[4096:] = bytes(range(256)) * ((len(data) - 4096) // 256)  # every page after the first
    store.write_bytes(bytes(data))
    code, _, err = cli(capsys, *reader_args(cmd, store, tmp_path))
    assert code == 2
    assert "damaged results store" in one_error(err, store)


@pytest.mark.parametrize("table", ["schema_version", "items", "runs"])
def test_a_dropped_table_is_named_and_nothing_is_recreated(store, tmp_path, capsys, table):
    edit(store, ("PRAGMA foreign_keys=OFF",), (f"DROP TABLE {table}",))
    before = digest(store)
    for cmd in (("runs",), ("run", "never-read.toml")):
        code, _, err = cli(capsys, *reader_args(cmd, store, tmp_path))
        assert code == 2
    code, _, err = cli(capsys, "runs", "--store", store)
    assert f"table {table} missing" in one_error(err, store)
    with pytest.raises(StoreError, match=f"damaged results store: table {table} missing"):
        ResultStore(store, write=True)
    assert digest(store) == before


def test_damaged_rows_are_skipped_with_a_warning_and_the_rest_served(store, tmp_path, capsys):
    edit(store, ("UPDATE task_results SET scores='{bad' WHERE task='ws'",),
         ("UPDATE items SET data=? WHERE task_result_id=(SELECT id FROM task_results WHERE task='men')",
          (zlib.compress(b"{}")[:-3] + b"xyz",)),
         ("UPDATE task_results SET main_score='high' WHERE task='rg'",))
    with ResultStore(store, create=False) as s, pytest.warns(StoreWarning) as warned:
        assert s.load_run("r1").task_results == ()
    assert len(warned) == 3
    edit(store, ("UPDATE task_results SET main_score=0.5 WHERE task='rg'",))
    code, _, err = cli(capsys, "report", "r1", "--store", store, "--output", tmp_path / "out")
    assert code == 0
    assert "Traceback" not in err and "StoreWarning" not in err
    warnings = [line for line in err.splitlines() if "warning" in line]
    assert len(warnings) == 2 and all(w.startswith(f"evalsuite: warning: {store}: run 'r1': task result") for w in warnings)
    assert "scores is not valid JSON" in warnings[0] and "do not decompress" in warnings[1]
    assert '"task": "rg"' in (tmp_path / "out" / "demo" / "results.json").read_text()


def test_a_damaged_run_row_is_one_error(store, capsys):
    edit(store, ("UPDATE runs SET config='{'",))
    code, _, err = cli(capsys, "report", "r1", "--store", store)
    assert code == 2
    assert "run 'r1' is damaged: config is not valid JSON" in one_error(err, store)


def test_a_stored_config_of_the_wrong_shape_is_one_error(store, capsys):
    edit(store, ("""UPDATE runs SET config='{"compare": {"differences": true}}'""",))
    code, _, err = cli(capsys, "report", "r1", "--store", store)
    assert code == 2
    assert "run 'r1' is damaged: 'config.compare.differences' must be an object of strings" in one_error(err, store)


def test_a_read_only_store_is_refused_before_any_training(tmp_path, capsys, monkeypatch, fake_trainers):
    import runfakes

    cfg = runfakes.write_config(tmp_path, seeds=(0,))
    path = tmp_path / "results.sqlite"
    with ResultStore(path) as s:
        s.save_run(a_run())
    before = digest(path)
    connect = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda p, **kw: connect(f"file:{p}?mode=ro", uri=True, **kw))
    runfakes.CALLS.clear()
    code, _, err = cli(capsys, "run", cfg)
    assert code == 2
    assert "read-only" in one_error(err, path)
    assert runfakes.CALLS == []  # nothing trained
    assert digest(path) == before


def test_an_unrelated_database_is_refused_and_left_unchanged(tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    edit(other, ("CREATE TABLE contacts (name TEXT)",), ("INSERT INTO contacts VALUES ('x')",))
    before = digest(other)
    for cmd in READERS + [("run", "never-read.toml")]:
        code, _, err = cli(capsys, *reader_args(cmd, other, tmp_path))
        assert code == 2, cmd
        if cmd[0] != "run":  # run reads its config first
            assert "not an evalsuite results store" in one_error(err, other)
    with pytest.raises(StoreError, match="not an evalsuite results store"):
        ResultStore(other, write=True)
    assert digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_only_a_missing_or_empty_file_gets_the_schema(tmp_path):
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    with ResultStore(empty) as s:
        s.save_run(a_run())
    with ResultStore(empty, create=False) as s:
        assert [r["id"] for r in s.list_runs()] == ["r1"]


def test_reading_commands_create_no_store(tmp_path, capsys):
    missing = tmp_path / "missing.sqlite"
    for cmd in READERS:
        code, _, err = cli(capsys, *reader_args(cmd, missing, tmp_path))
        assert code == 2
        one_error(err, missing)
    assert not missing.exists()


def test_runs_limit_is_bounded(store, capsys):
    code, out, _ = cli(capsys, "runs", "--store", store, "--limit", 10**30)
    assert code == 0 and "r1" in out
    code, _, err = cli(capsys, "runs", "--store", store, "--limit", "0")
    assert code == 2 and "--limit: must be an int >= 1" in one_error(err)


def test_a_full_disk_while_storing_is_one_error_and_the_store_stays_consistent(tmp_path, capsys, fake_trainers):
    import runfakes
    from fullfs import file_size_limit

    cfg = runfakes.write_config(tmp_path, seeds=(0, 1))
    path = tmp_path / "results.sqlite"
    with ResultStore(path) as s:
        s.save_run(a_run())
    with file_size_limit(path.stat().st_size + 8192):  # room for the run row, not for its results
        code, _, err = cli(capsys, "run", cfg, "--store", path)
    assert code == 2
    assert "full disk" in [line for line in err.splitlines() if line.startswith("evalsuite: error:")][0]
    assert str(path) in err and "Traceback" not in err
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # every result stored has its items: no transaction was half applied
    assert conn.execute("SELECT COUNT(*) FROM task_results t LEFT JOIN items i ON i.task_result_id = t.id"
                        " WHERE i.data IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT COUNT(*) FROM runs WHERE id='r1'").fetchone()[0] == 1
