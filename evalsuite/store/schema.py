"""The results store's schema: its migrations and how a database is recognised as a store.

A store carries ``PRAGMA application_id = APPLICATION_ID`` (stores written before it carried
one are recognised by their ``schema_version`` table and evalsuite's tables) and records
its schema version in ``schema_version``. :func:`identify` tells an evalsuite store, an
empty database (which gets the schema), a damaged store and an unrelated database apart
without writing anything, so that an unrelated database is never modified.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from datetime import datetime, timezone

from evalsuite.core.errors import EvalsuiteError

SCHEMA_VERSION = 4
APPLICATION_ID = 0x4556414C  # "EVAL"

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
    # the run's [compare] and [baseline] settings as JSON; NULL for runs stored before
    4: """
    ALTER TABLE runs ADD COLUMN specs TEXT;
    """,
}

#: the tables every version of the store has
TABLES = frozenset(re.findall(r"CREATE TABLE (\w+)", MIGRATIONS[1])) | {"schema_version"}


class StoreError(EvalsuiteError):
    """The store is unreadable, damaged, not a results store, newer than this code, or a run is not found."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _listed(names) -> str:
    names = sorted(names)
    return ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")


def identify(conn: sqlite3.Connection, path) -> int:
    """The schema version of the store open on ``conn``: 0 for an empty database.

    Raises :class:`StoreError` (naming ``path``) for a database that is not an evalsuite
    store, a damaged store (tables missing) and a store newer than this code. Reads only.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    tables -= {"sqlite_sequence"}
    if app_id not in (0, APPLICATION_ID):
        raise StoreError(f"{path}: an SQLite database of another application (application_id {app_id}), "
                         "not an evalsuite results store; left unchanged")
    if not tables:
        return 0
    ours = tables & TABLES
    if app_id == 0 and (not ours or ours == {"schema_version"}):
        raise StoreError(f"{path}: an SQLite database that is not an evalsuite results store (its tables: "
                         f"{_listed(tables)}); left unchanged, give another --store")
    missing = TABLES - tables
    if missing:
        raise StoreError(f"{path}: damaged results store: table {_listed(missing)} missing")
    version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    if not isinstance(version, int) or version < 1:
        raise StoreError(f"{path}: damaged results store: its schema_version table holds no version")
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: schema version {version} is newer than this evalsuite ({SCHEMA_VERSION}); "
                         "upgrade evalsuite")
    for table, expected in _columns(version).items():
        missing = expected - {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if missing:
            raise StoreError(f"{path}: damaged results store: table {table} lacks column {_listed(missing)}")
    return version


@functools.lru_cache(maxsize=None)
def _columns(version: int) -> dict[str, frozenset]:
    """The columns of each table at schema ``version`` (built in memory from the migrations)."""
    conn = sqlite3.connect(":memory:")
    try:
        migrate(conn, 0, version)
        return {t: frozenset(row[1] for row in conn.execute(f"PRAGMA table_info({t})")) for t in sorted(TABLES)}
    finally:
        conn.close()


def migrate(conn: sqlite3.Connection, current: int, target: int = SCHEMA_VERSION) -> None:
    """Bring the schema from version ``current`` to ``target`` (inside the caller's transaction)."""
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied TEXT NOT NULL)")
    for version in range(current + 1, target + 1):
        for statement in filter(str.strip, MIGRATIONS[version].split(";")):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, ?)", (version, _now()))
