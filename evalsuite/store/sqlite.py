"""The results store: every run, its task results and per-item outputs, in SQLite.

The database runs in WAL mode and records its schema version in ``schema_version``;
opening an older database migrates it in place. A run row is written with status
``running`` first, results are added in transactions, and the status becomes
``complete`` (or ``failed``) at the end, so a killed run shows as incomplete and
never as a half-written complete one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import warnings
import zlib
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping

from evalsuite.core.jsonutil import json_safe
from evalsuite.core.results import RunResult, TaskResult
from evalsuite.core.runspecs import specs_from_dict, specs_to_dict
from evalsuite.store import rows
from evalsuite.store.results_file import config_problem
from evalsuite.store.rows import RowDamage, StoreWarning
from evalsuite.store.schema import MIGRATIONS, SCHEMA_VERSION, StoreError, identify, migrate

__all__ = ["DEFAULT_STORE", "MIGRATIONS", "SCHEMA_VERSION", "ResultStore", "StoreError", "StoreWarning",
           "load_run_ref", "run_from_document"]

DEFAULT_STORE = Path("reports/results.sqlite")
LIST_LIMIT = 2**31 - 1  # the most runs ``list_runs`` returns (a larger limit means: all)


def _dumps(obj) -> str:
    return json.dumps(json_safe(obj), allow_nan=False, default=str)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# what SQLite's primary result codes mean for the store, in a user's words
_PROBLEMS = {
    "SQLITE_FULL": "the disk is full; the change was rolled back",
    "SQLITE_READONLY": "read-only: results cannot be stored here; give a writable --store",
    "SQLITE_CORRUPT": "damaged results store",
    "SQLITE_NOTADB": "not an SQLite database",
    "SQLITE_BUSY": "locked by another process; try again when it has finished",
    "SQLITE_LOCKED": "locked by another process; try again when it has finished",
    "SQLITE_CANTOPEN": "cannot be opened (a read-only disk or folder, or a missing folder?)",
    "SQLITE_IOERR": "a disk input/output error (a full disk, the file size limit or a failing disk)",
    "SQLITE_PERM": "permission denied",
}


def _problem(exc: sqlite3.Error) -> str:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    detail = " ".join(str(exc).split())  # one line: SQLite may quote a damaged schema
    detail = detail if len(detail) <= 160 else detail[:160] + "..."
    for code, text in _PROBLEMS.items():
        if name == code or name.startswith(code + "_"):
            return f"{text} ({detail})"
    if "no such table" in detail or "no such column" in detail or "malformed" in detail:
        return f"damaged results store ({detail})"
    return f"not a usable results store ({detail})"


class ResultStore:
    """SQLite results store.

    Parameters
    ----------
    path : path
        Database file; created (with its folder) if missing.
    """

    def __init__(self, path=DEFAULT_STORE, *, create: bool = True, write: bool = False):
        self.path = Path(path)
        if self.path.exists() and not self.path.is_file():
            raise StoreError(f"{self.path}: not a file; give the path of a results store")
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no results store here")
        if create:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"{self.path}: cannot create its folder ({exc.strerror or exc})") from None
        if write and not all(os.access(p, os.W_OK) for p in (self.path, self.path.parent) if p.exists()):
            # the store and its folder (where SQLite keeps its log) must both take writes
            raise StoreError(f"{self.path}: {_PROBLEMS['SQLITE_READONLY']}")
        self._conn = None
        self.read_only = not (create or write)
        with self._sql():
            self._conn = self._connect()
            self._open(create, write)

    def _connect(self) -> sqlite3.Connection:
        """A connection; for reading only (``runs``, ``report``, ``check``), one that never writes,
        so that a store on a read-only disk or in a read-only folder can still be read."""
        if not self.read_only:
            return sqlite3.connect(self.path, timeout=30, isolation_level=None)
        uri = self.path.resolve().as_uri()
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30, isolation_level=None)
        try:
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:
            conn.close()
            if os.access(self.path.parent, os.W_OK):
                raise
        # a folder nobody can write in: no other process can be writing the store either, and
        # its write-ahead log index cannot be created, so the file is read as it stands
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, timeout=30, isolation_level=None)

    def _open(self, create: bool, write: bool) -> None:
        """Recognise the database (unchanged unless it is an evalsuite store or empty), then set it up."""
        try:
            current = identify(self._conn, self.path)
        except StoreError:
            self.close()
            raise
        if current == 0 and not create:
            self.close()
            raise StoreError(f"{self.path}: an empty database, not a results store yet; `evalsuite run` fills it")
        if not self.read_only:
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.row_factory = sqlite3.Row
        if write:
            self._check_writable()
        if current < SCHEMA_VERSION and not self.read_only:  # an older store is read as it stands
            with self.transaction() as c:
                migrate(c, current)

    def _check_writable(self) -> None:
        """Fail now, before any work, when results could not be stored (a write rolled back at once)."""
        with self.transaction() as c:
            c.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
            c.execute("UPDATE schema_version SET version = version WHERE rowid = (SELECT MIN(rowid) FROM schema_version)")
            c.execute("ROLLBACK")

    @contextmanager
    def _sql(self):
        """Turn SQLite's errors into a :class:`StoreError` naming the store and the problem."""
        try:
            yield
        except (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.InterfaceError):
            raise  # what evalsuite itself wrote wrongly: a bug, not a problem of the store
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: {_problem(exc)}") from None
        except UnicodeDecodeError:  # a table or column name that is not UTF-8: the schema is damaged
            raise StoreError(f"{self.path}: damaged results store (a name in its schema is not UTF-8)") from None

    def _skip(self, what: str, damage: Exception) -> None:
        warnings.warn(f"{self.path}: {what} skipped, damaged: {damage}", StoreWarning, stacklevel=3)

    # --- lifecycle ----------------------------------------------------------------
    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self):
        """``BEGIN IMMEDIATE`` ... ``COMMIT``; rolled back if the block raises (SQLite errors become
        :class:`StoreError`)."""
        with self._sql():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
                if self._conn.in_transaction:  # a block may end it itself (the write probe rolls back)
                    self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> int:
        with self._sql():
            return identify(self._conn, self.path)

    # --- writing ------------------------------------------------------------------
    def begin_run(self, run_id: str, name: str, config: Mapping, config_hash: str, *,
                  package_versions: Mapping, machine: Mapping, provenance: Mapping | None = None,
                  created: str | None = None, specs: Mapping | None = None) -> None:
        """Record a run as ``running``; ``specs`` are its ``[compare]`` and ``[baseline]``
        settings (:func:`~evalsuite.core.runspecs.specs_to_dict`)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO runs (id, name, config, config_hash, package_versions, machine, provenance,"
                " status, created, specs) VALUES (?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)",
                (run_id, name, _dumps(config), config_hash, _dumps(package_versions), _dumps(machine),
                 _dumps(provenance or {}), created or _now(), _dumps(specs) if specs is not None else None),
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
                       provenance=prov, created=run.created or None, specs=specs_to_dict(run.compare, run.baseline))
        self.add_results(run.run_id, run.task_results, run.embeddings)
        self.finish_run(run.run_id, wall_time=run.wall_time, timings=timings)

    # --- reading ------------------------------------------------------------------
    def list_runs(self, *, limit: int | None = None) -> list[dict]:
        """Runs, newest first: id, name, status, created, wall_time, config_hash, n_results.

        ``limit`` above :data:`LIST_LIMIT` means all; a damaged run row is skipped with a warning.
        """
        sql = (
            "SELECT r.id, r.name, r.status, r.created, r.finished, r.wall_time, r.config_hash, r.error,"
            " (SELECT COUNT(*) FROM task_results t WHERE t.run_id = r.id) AS n_results,"
            " (SELECT COUNT(DISTINCT embedding) FROM task_results t WHERE t.run_id = r.id) AS n_embeddings"
            " FROM runs r ORDER BY r.created DESC, r.rowid DESC"
        )
        if limit:
            sql += f" LIMIT {min(int(limit), LIST_LIMIT)}"
        out = []
        with self._sql():
            for row in self._conn.execute(sql):
                problem = rows.run_row_problem(row)
                if problem:
                    self._skip(f"run {row['id']!r}", problem)
                else:
                    out.append(dict(row))
        return out

    def resolve(self, ref: str) -> str:
        """A run id from an id, a unique id prefix, a run name (its latest run) or ``latest``."""
        with self._sql():
            return self._resolve(ref)

    def _resolve(self, ref: str) -> str:
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
        found = self._conn.execute("SELECT id FROM runs WHERE id LIKE ? ESCAPE '\\'",
                                   (ref.replace("%", "\\%").replace("_", "\\_") + "%",)).fetchall()
        if len(found) == 1:
            return found[0][0]
        if len(found) > 1:
            raise StoreError(f"run id prefix {ref!r} is ambiguous: {', '.join(str(r[0]) for r in found[:5])}")
        from evalsuite.core.registry import suggest

        known = [r["id"] for r in self.list_runs(limit=200)]
        raise StoreError(f"{self.path}: no run {ref!r}{suggest(ref, known)}")

    def run_status(self, run_id: str) -> str:
        with self._sql():
            row = self._conn.execute("SELECT status FROM runs WHERE id=?", (run_id,)).fetchone()
        if row is None:
            raise StoreError(f"{self.path}: no run {run_id!r}")
        return row[0]

    def load_run(self, ref: str, *, with_items: bool = True) -> RunResult:
        """Rebuild the :class:`RunResult` of a stored run.

        A damaged task result or embedding row is skipped with a :class:`StoreWarning`; a
        damaged run row raises :class:`StoreError`.
        """
        with self._sql():
            run_id = self._resolve(ref)
            run = self._conn.execute("SELECT * FROM runs WHERE id=?", (run_id,)).fetchone()
            if run is None or not isinstance(run_id, str):
                raise StoreError(f"{self.path}: damaged results store: run {ref!r} has no usable id ({run_id!r})")
            results = [r for r in (self._task_result(row, with_items) for row in self._conn.execute(
                "SELECT * FROM task_results WHERE run_id=? ORDER BY id", (run_id,))) if r is not None]
            embeddings = []
            for row in self._conn.execute("SELECT rowid, meta FROM embeddings WHERE run_id=? ORDER BY rowid", (run_id,)):
                try:
                    embeddings.append(rows.embedding_record(row))
                except RowDamage as exc:
                    self._skip(f"run {run_id!r}: embedding record {row['rowid']}", exc)
        try:
            return self._run(run_id, run, tuple(results), tuple(embeddings))
        except RowDamage as exc:
            raise StoreError(f"{self.path}: run {run_id!r} is damaged: {exc}") from None

    def _task_result(self, row, with_items: bool) -> TaskResult | None:
        """The result of a ``task_results`` row, or None (with a warning) when the row is damaged."""
        try:
            items = {}
            if with_items:
                blob = self._conn.execute("SELECT data FROM items WHERE task_result_id=?", (row["id"],)).fetchone()
                if blob is not None:
                    items = rows.items(blob[0])
            return rows.task_result(row, items)
        except RowDamage as exc:
            self._skip(f"run {row['run_id']!r}: task result {row['id']}", exc)
            return None

    def _run(self, run_id, run, results: tuple, embeddings: tuple) -> RunResult:
        problem = rows.run_row_problem(run)
        if problem:
            raise RowDamage(problem)
        config = rows.json_field(run, "config")
        problem = config_problem(config)
        if problem:
            raise RowDamage(problem)
        prov = rows.json_field(run, "provenance")
        prov.setdefault("package_versions", rows.json_field(run, "package_versions"))
        prov.setdefault("machine", rows.json_field(run, "machine"))
        prov["status"] = run["status"]
        prov["timings"] = rows.json_field(run, "timings")
        # a run stored before runs held their specs reads them from its config (RunResult)
        stored = "specs" in run.keys() and run["specs"] is not None
        compare, baseline = specs_from_dict(rows.json_field(run, "specs")) if stored else (None, None)
        return RunResult(
            run_id=run_id, name=run["name"], task_results=results, config=config,
            config_hash=run["config_hash"], embeddings=embeddings, provenance=prov, created=run["created"],
            wall_time=run["wall_time"] or 0.0, compare=compare, baseline=baseline,
        )


def run_from_document(data: Mapping, name: str) -> RunResult:
    """A run from a parsed ``results.json`` (``run``, ``report``, ``baseline``) or an ``evaluate --json``
    document (its ``task_results``, under its ``protocol``; the run id is ``name``)."""
    if isinstance(data, Mapping) and "run_id" not in data and "protocol" in data and "results" in data:
        if "task_results" not in data:
            raise ValueError("an evaluate --json file written before it kept task_results; evaluate again")
        results = tuple(TaskResult.from_dict(t) for t in data["task_results"])
        return evaluation_run(results, data["protocol"], name, source="evaluate --json")
    return RunResult.from_dict(data)


def evaluation_run(results, protocol: Mapping, run_id: str, *, source: str) -> RunResult:
    """The run of one evaluation (``evaluate``): its task results under its protocol
    (:meth:`~evalsuite.evaluate.protocol.Protocol.to_dict`), named by ``run_id``; ``source`` says
    where it came from (``"evaluate --json"``, a file, or a call)."""
    return RunResult(run_id=run_id, name="evaluate", task_results=tuple(results),
                     provenance={"protocol": dict(protocol), "source": source})


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
        from evalsuite.store.results_file import NonFiniteNumber, check_results, loads

        try:
            run = run_from_document(loads(p.read_text(encoding="utf-8")), p.name)
        except json.JSONDecodeError as exc:
            raise InputError(p, f"not valid JSON: {exc.msg}", line=exc.lineno) from None
        except NonFiniteNumber as exc:
            raise InputError(p, str(exc)) from None
        except RecursionError:
            raise InputError(p, "nested too deeply to be a results.json file") from None
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # a field of the wrong shape
            raise InputError(p, f"not a results.json file ({exc})") from None
        return check_results(p, run)
    if ref.endswith(".json"):
        raise InputError(p, "file not found")
    if not Path(store_path).exists():
        raise StoreError(f"{store_path}: no results store here (and {ref!r} is not a results.json file)")
    with ResultStore(store_path, create=False) as store:
        return store.load_run(ref)
