"""The results store: every run, its task results and per-item outputs, in SQLite.

The database runs in WAL mode and records its schema version in ``schema_version``;
opening an older database migrates it in place. A run row is written with status
``running`` first, results are added in transactions, and the status becomes
``complete`` (or ``failed``) at the end, so a killed run shows as incomplete and
never as a half-written complete one.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from evalsuite.core.errors import EvalsuiteError
from evalsuite.core.jsonutil import json_safe
from evalsuite.core.results import RunResult, TaskResult

DEFAULT_STORE = Path("reports/results.sqlite")
SCHEMA_VERSION = 3

# Migration i brings a database from version i-1 to version i.
MIGRATIONS: dict[int, str] = {
    1: """
    CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        config TEXT NOT NULL,
        config_hash TEXT NOT NULL,
        package_versions TEXT NOT NULL,
        machine TEXT NOT NULL,
        provenance TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
        created TEXT NOT NULL,
        finished TEXT,
        wall_time REAL,
        timings TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE task_results (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        embedding TEXT NOT NULL,
        task TEXT NOT NULL,
        kind TEXT NOT NULL,
        main_score REAL,
        main_score_name TEXT NOT NULL,
        higher_is_better INTEGER NOT NULL,
        scores TEXT NOT NULL,
        ci_low REAL,
        ci_high REAL,
        n_items INTEGER NOT NULL,
        n_scored INTEGER NOT NULL,
        protocol TEXT NOT NULL,
        details TEXT NOT NULL,
        provenance TEXT NOT NULL
    );
    CREATE TABLE items (
        task_result_id INTEGER PRIMARY KEY REFERENCES task_results(id) ON DELETE CASCADE,
        data BLOB NOT NULL
    );
    CREATE TABLE embeddings (
        run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        seed INTEGER,
        meta TEXT NOT NULL,
        PRIMARY KEY (run_id, name, seed)
    );
    """,
    2: """
    ALTER TABLE runs ADD COLUMN error TEXT;
    ALTER TABLE task_results ADD COLUMN seed INTEGER;
    CREATE INDEX task_results_run ON task_results(run_id);
    CREATE INDEX runs_created ON runs(created);
    """,
    # the ResultKey (embedding group, seed, variant) as JSON; NULL for rows written before
    3: """
    ALTER TABLE task_results ADD COLUMN result_key TEXT;
    """,
}


class StoreError(EvalsuiteError):
    """The store is unreadable, newer than this code, or a run is not found."""


def _dumps(obj) -> str:
    return json.dumps(json_safe(obj), allow_nan=False, default=str)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ResultStore:
    """SQLite results store.

    Parameters
    ----------
    path : path
        Database file; created (with its folder) if missing.
    """

    def __init__(self, path=DEFAULT_STORE):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._conn.execute("PRAGMA journal_mode=WAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable results store ({exc})") from None
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.row_factory = sqlite3.Row
        self._migrate()

    # --- lifecycle ----------------------------------------------------------------
    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back if the block raises."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self._conn
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    @property
    def schema_version(self) -> int:
        row = self._conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name='schema_version'"
        ).fetchone()
        if row is None:
            return 0
        return int(self._conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] or 0)

    def _migrate(self) -> None:
        try:
            current = self.schema_version
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable results store ({exc})") from None
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path}: schema version {current} is newer than this evalsuite ({SCHEMA_VERSION}); upgrade evalsuite")
        if current == SCHEMA_VERSION:
            return
        with self.transaction() as c:
            c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
            for version in range(current + 1, SCHEMA_VERSION + 1):
                for statement in filter(str.strip, MIGRATIONS[version].split(";")):
                    c.execute(statement)
                c.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))

    # --- writing ------------------------------------------------------------------
    def begin_run(self, run_id: str, name: str, config: Mapping, config_hash: str, *,
                  package_versions: Mapping, machine: Mapping, provenance: Mapping | None = None,
                  created: str | None = None) -> None:
        """Record a run as ``running``."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO runs (id, name, config, config_hash, package_versions, machine, provenance,"
                " status, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?)",
                (run_id, name, _dumps(config), config_hash, _dumps(package_versions), _dumps(machine),
                 _dumps(provenance or {}), created or _now()),
            )

    def add_results(self, run_id: str, results: Iterable[TaskResult], embeddings: Iterable[Mapping] = ()) -> None:
        """Add task results (with their items) and embedding records in one transaction."""
        with self.transaction() as c:
            for meta in embeddings:
                c.execute(
                    "INSERT OR REPLACE INTO embeddings (run_id, name, seed, meta) VALUES (?, ?, ?, ?)",
                    (run_id, meta["name"], meta.get("seed"), _dumps(meta)),
                )
            for r in results:
                ci = r.ci95 or (None, None)
                cur = c.execute(
                    "INSERT INTO task_results (run_id, embedding, seed, result_key, task, kind, main_score,"
                    " main_score_name, higher_is_better, scores, ci_low, ci_high, n_items, n_scored, protocol,"
                    " details, provenance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (run_id, r.embedding, r.key.seed, _dumps(r.key.to_dict()), r.task, r.kind, json_safe(r.main_score),
                     r.main_score_name, int(bool(r.higher_is_better)), _dumps(r.scores), json_safe(ci[0]),
                     json_safe(ci[1]), r.n_items, r.n_scored, _dumps(r.protocol), _dumps(r.details),
                     _dumps(r.provenance)),
                )
                blob = zlib.compress(_dumps(r.items).encode("utf-8"), 6)
                c.execute("INSERT INTO items (task_result_id, data) VALUES (?, ?)", (cur.lastrowid, blob))

    def finish_run(self, run_id: str, *, status: str = "complete", wall_time: float | None = None,
                   timings: Mapping | None = None, provenance: Mapping | None = None, error: str | None = None) -> None:
        """Mark a run complete or failed."""
        if status not in ("complete", "failed"):
            raise ValueError(f"status must be 'complete' or 'failed', got {status!r}")
        with self.transaction() as c:
            sets = "status=?, finished=?, wall_time=?, timings=?, error=?"
            args: list[Any] = [status, _now(), wall_time, _dumps(timings or {}), error]
            if provenance is not None:
                sets += ", provenance=?"
                args.append(_dumps(provenance))
            c.execute(f"UPDATE runs SET {sets} WHERE id=?", (*args, run_id))

    def save_run(self, run: RunResult, *, timings: Mapping | None = None) -> None:
        """Store a finished :class:`RunResult` in one go (used for imports and tests)."""
        prov = dict(run.provenance)
        self.begin_run(run.run_id, run.name, run.config, run.config_hash,
                       package_versions=prov.get("package_versions", {}), machine=prov.get("machine", {}),
                       provenance=prov, created=run.created or None)
        self.add_results(run.run_id, run.task_results, run.embeddings)
        self.finish_run(run.run_id, wall_time=run.wall_time, timings=timings)

    # --- reading ------------------------------------------------------------------
    def list_runs(self, *, limit: int | None = None) -> list[dict]:
        """Runs, newest first: id, name, status, created, wall_time, config_hash, n_results."""
        sql = (
            "SELECT r.id, r.name, r.status, r.created, r.finished, r.wall_time, r.config_hash, r.error,"
            " (SELECT COUNT(*) FROM task_results t WHERE t.run_id = r.id) AS n_results,"
            " (SELECT COUNT(DISTINCT embedding) FROM task_results t WHERE t.run_id = r.id) AS n_embeddings"
            " FROM runs r ORDER BY r.created DESC, r.rowid DESC"
        )
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [dict(row) for row in self._conn.execute(sql)]

    def resolve(self, ref: str) -> str:
        """A run id from an id, a unique id prefix, a run name (its latest run) or ``latest``."""
        if ref == "latest":
            row = self._conn.execute("SELECT id FROM runs ORDER BY created DESC, rowid DESC LIMIT 1").fetchone()
            if row is None:
                raise StoreError(f"{self.path}: the store holds no runs")
            return row[0]
        row = self._conn.execute("SELECT id FROM runs WHERE id=?", (ref,)).fetchone()
        if row:
            return row[0]
        row = self._conn.execute(
            "SELECT id FROM runs WHERE name=? AND status='complete' ORDER BY created DESC, rowid DESC LIMIT 1", (ref,)
        ).fetchone()
        if row:
            return row[0]
        rows = self._conn.execute("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\'",
                                  (ref.replace("%", "\\%").replace("_", "\\_") + "%",)).fetchall()
        if len(rows) == 1:
            return rows[0][0]
        if len(rows) > 1:
            raise StoreError(f"run id prefix {ref!r} is ambiguous: {', '.join(r[0] for r in rows[:5])}")
        from evalsuite.core.registry import suggest

        known = [r["id"] for r in self.list_runs(limit=200)]
        raise StoreError(f"{self.path}: no run {ref!r}{suggest(ref, known)}")

    def run_status(self, run_id: str) -> str:
        row = self._conn.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id!r}")
        return row[0]

    def load_run(self, ref: str, *, with_items: bool = True) -> RunResult:
        """Rebuild the :class:`RunResult` of a stored run."""
        run_id = self.resolve(ref)
        run = self._conn.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
        results = []
        for row in self._conn.execute("SELECT * FROM task_results WHERE run_id=? ORDER BY id", (run_id,)):
            items = {}
            if with_items:
                blob = self._conn.execute("SELECT data FROM items WHERE task_result_id=?", (row["id"],)).fetchone()
                if blob is not None:
                    items = json.loads(zlib.decompress(blob[0]).decode("utf-8"))
            ci = None if row["ci_low"] is None or row["ci_high"] is None else (row["ci_low"], row["ci_high"])
            # from_dict derives the key of rows stored before results carried one
            results.append(TaskResult.from_dict({
                "task": row["task"], "kind": row["kind"], "embedding": row["embedding"],
                "main_score": row["main_score"], "scores": json.loads(row["scores"]), "n_items": row["n_items"],
                "n_scored": row["n_scored"], "ci95": ci, "main_score_name": row["main_score_name"],
                "higher_is_better": bool(row["higher_is_better"]), "protocol": json.loads(row["protocol"]),
                "items": items, "details": json.loads(row["details"]), "provenance": json.loads(row["provenance"]),
                "key": json.loads(row["result_key"]) if row["result_key"] else None,
            }))
        embeddings = tuple(
            json.loads(r["meta"])
            for r in self._conn.execute("SELECT meta FROM embeddings WHERE run_id=? ORDER BY rowid", (run_id,))
        )
        prov = json.loads(run["provenance"])
        prov.setdefault("package_versions", json.loads(run["package_versions"]))
        prov.setdefault("machine", json.loads(run["machine"]))
        prov["status"] = run["status"]
        prov["timings"] = json.loads(run["timings"])
        return RunResult(
            run_id=run_id, name=run["name"], task_results=tuple(results), config=json.loads(run["config"]),
            config_hash=run["config_hash"], embeddings=embeddings, provenance=prov, created=run["created"],
            wall_time=run["wall_time"] or 0.0,
        )


def run_from_document(data: Mapping, name: str) -> RunResult:
    """A run from a parsed ``results.json`` (``run``, ``report``, ``baseline``) or an ``evaluate --json``
    document (its ``task_results``, under its ``protocol``; the run id is ``name``)."""
    if isinstance(data, Mapping) and "run_id" not in data and "protocol" in data and "results" in data:
        if "task_results" not in data:
            raise ValueError("an evaluate --json file written before it kept task_results; evaluate again")
        results = tuple(TaskResult.from_dict(t) for t in data["task_results"])
        return RunResult(run_id=name, name="evaluate", task_results=results,
                         provenance={"protocol": dict(data["protocol"]), "source": "evaluate --json"})
    return RunResult.from_dict(data)


def load_run_ref(ref: str, store_path=DEFAULT_STORE) -> RunResult:
    """A run from a ``results.json`` file, a report folder holding one, or a store reference.

    Store references are run ids, unique id prefixes, run names (latest complete
    run of that name) and ``latest``.
    """
    from evalsuite.core.errors import InputError

    p = Path(ref)
    if p.is_dir():
        if not (p / "results.json").is_file():
            raise InputError(p, "is a folder without a results.json; give a results.json file, "
                             "a report folder holding one, or a run id")
        p = p / "results.json"
    if p.is_file():
        from evalsuite.store.results_file import check_results

        try:
            run = run_from_document(json.loads(p.read_text(encoding="utf-8")), p.name)
        except json.JSONDecodeError as exc:
            raise InputError(p, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        except (TypeError, ValueError, KeyError) as exc:
            raise InputError(p, f"not a results.json file ({exc})") from None
        return check_results(p, run)
    if ref.endswith(".json"):
        raise InputError(p, "file not found")
    if not Path(store_path).exists():
        raise StoreError(f"{store_path}: no results store here (and {ref!r} is not a results.json file)")
    with ResultStore(store_path) as store:
        return store.load_run(ref)
