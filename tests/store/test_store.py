import sqlite3

import pytest

from evalsuite.core.results import ResultKey, RunResult, TaskResult, Variant
from evalsuite.store.sqlite import MIGRATIONS, SCHEMA_VERSION, ResultStore, StoreError, load_run_ref


def tr(emb="e", task="ws", score=0.5, seed=0):
    return TaskResult(task=task, kind="similarity", embedding=emb, main_score=score, scores={"spearman": score},
                      n_items=3, n_scored=2, ci95=(score - 0.1, score + 0.1), main_score_name="spearman",
                      protocol={"name": "default", "version": 1},
                      items={"word1": ["a", "b", "c"], "word2": ["b", "c", "d"], "gold": [1.0, 2.0, 3.0],
                             "predicted": [0.1, None, 0.3]},
                      details={"x": 1}, provenance={"seed": seed}, key=ResultKey(emb, seed))


def run(run_id="r1", results=None):
    return RunResult(run_id=run_id, name="demo", task_results=tuple(results or [tr(), tr(task="men", score=0.7)]),
                     config={"run": {"name": "demo"}}, config_hash="h", embeddings=({"name": "e", "seed": 0, "history": [1, 2]},),
                     provenance={"package_versions": {"numpy": "1"}, "machine": {"cpus": "2"}}, created="2026-01-01T00:00:00+00:00",
                     wall_time=1.5)


def test_schema_version_and_wal(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        assert s.schema_version == SCHEMA_VERSION
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in s._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"runs", "task_results", "items", "embeddings", "schema_version"} <= tables


def test_round_trip_of_a_run(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        s.save_run(run())
        back = s.load_run("r1")
    assert back.run_id == "r1" and back.name == "demo" and back.config_hash == "h"
    assert [t.to_dict() for t in back.task_results] == [t.to_dict() for t in run().task_results]
    assert back.embeddings[0]["history"] == [1, 2]
    assert back.provenance["status"] == "complete" and back.provenance["package_versions"] == {"numpy": "1"}


def test_migration_from_version_1(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[1])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (1, 'then')")
    conn.execute("INSERT INTO runs (id, name, config, config_hash, package_versions, machine, status, created)"
                 " VALUES ('old', 'n', '{}', 'h', '{}', '{}', 'complete', '2020-01-01')")
    conn.commit()
    conn.close()
    with ResultStore(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 4
        cols = {r[1] for r in s._conn.execute("PRAGMA table_info(task_results)")}
        assert {"seed", "result_key"} <= cols
        assert s.list_runs()[0]["id"] == "old"  # data kept
        s.add_results("old", [tr(seed=3)])
        assert s._conn.execute("SELECT seed FROM task_results").fetchone()[0] == 3


def test_rows_stored_before_result_keys_get_theirs_from_provenance_and_details(tmp_path):
    path = tmp_path / "v2.sqlite"
    conn = sqlite3.connect(path)
    for version in (1, 2):
        conn.executescript(MIGRATIONS[version])
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    conn.execute("INSERT INTO schema_version VALUES (2, 'then')")
    conn.execute("INSERT INTO runs (id, name, config, config_hash, package_versions, machine, status, created)"
                 " VALUES ('old', 'n', '{}', 'h', '{}', '{}', 'complete', '2020-01-01')")
    conn.execute("INSERT INTO task_results (run_id, embedding, seed, task, kind, main_score, main_score_name,"
                 " higher_is_better, scores, n_items, n_scored, protocol, details, provenance) VALUES"
                 " ('old', 'sgns@seed1', 1, 'mr/bag/frozen', 'classification', 0.5, 'test_accuracy', 1, '{}', 2, 2,"
                 " '{}', '{\"model\": \"bag\", \"mode\": \"frozen\", \"params\": {\"dropout\": 0.5}}',"
                 " '{\"seed\": 1, \"embedding_group\": \"sgns\"}')")
    conn.commit()
    conn.close()
    with ResultStore(path) as s:
        (old,) = s.load_run("old").task_results
        assert old.key == ResultKey("sgns", 1, Variant("bag", "frozen", {"dropout": 0.5}))
        new = tr("glove", seed=2)
        s.add_results("old", [new])
        assert s.load_run("old").task_results[1].key == ResultKey("glove", 2)
        assert s._conn.execute("SELECT seed FROM task_results WHERE embedding='glove'").fetchone()[0] == 2


def test_newer_schema_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    ResultStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="schema version 99 is newer"):
        ResultStore(path)


def test_not_a_database(tmp_path):
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="not an SQLite database"):
        ResultStore(path)


def test_listing_order_status_and_resolution(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        s.save_run(run("demo-1"))
        s.begin_run("demo-2", "demo", {}, "h2", package_versions={}, machine={}, created="2026-02-01T00:00:00+00:00")
        runs = s.list_runs()
        assert [r["id"] for r in runs] == ["demo-2", "demo-1"]
        assert runs[0]["status"] == "running" and runs[1]["status"] == "complete"
        assert runs[1]["n_results"] == 2 and runs[1]["n_embeddings"] == 1
        assert s.resolve("latest") == "demo-2"
        assert s.resolve("demo") == "demo-1"  # a name resolves to its latest complete run
        with pytest.raises(StoreError, match="ambiguous"):
            s.resolve("demo-")
        with pytest.raises(StoreError, match="no run 'demo-3'"):
            s.resolve("demo-3")


def test_failed_transaction_leaves_nothing(tmp_path):
    with ResultStore(tmp_path / "s.sqlite") as s:
        s.begin_run("r", "n", {}, "h", package_versions={}, machine={})
        bad = tr()
        object.__setattr__(bad, "embedding", None)  # violates NOT NULL -> fails mid-transaction
        with pytest.raises(sqlite3.IntegrityError):
            s.add_results("r", [tr(task="first"), bad])
        assert s._conn.execute("SELECT COUNT(*) FROM task_results").fetchone()[0] == 0
        assert s._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 0
        s.add_results("r", [tr()])
        assert s._conn.execute("SELECT COUNT(*) FROM task_results").fetchone()[0] == 1


def test_load_run_ref_from_json_and_errors(tmp_path):
    p = tmp_path / "results.json"
    p.write_text(run().to_json())
    assert load_run_ref(str(p)).run_id == "r1"
    assert load_run_ref(str(tmp_path)).run_id == "r1"  # a report folder
    bad = tmp_path / "bad.json"
    bad.write_text("{\n oops")
    from evalsuite.core.errors import InputError

    with pytest.raises(InputError, match="bad.json, line 2: not valid JSON"):
        load_run_ref(str(bad))
    with pytest.raises(StoreError, match="no results store"):
        load_run_ref("abc", tmp_path / "none.sqlite")
