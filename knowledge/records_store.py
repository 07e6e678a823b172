"""The store of knowledge records: the source of truth the search indexes are built from.

One table holds achievements, organisations, facilities and policy documents as JSON, each
tagged with its source ("sample" = the bundled corpus, "ingest" = loaded by a user) and with
derived data (embedding-text hash and BM25 tokens) so a process can rebuild its in-memory
indexes without re-tokenising. Ingested rows win over sample rows with the same id, and a
refresh of the bundled corpus never touches ingested rows.

SQLite in the data dir by default; PostgreSQL (`kb_items` / `kb_meta`, Alembic revision 0003)
when `CHENGGUO_DATABASE_URL` is set, so server instances on several machines share one set of
records and notice each other's writes through `generation`. The SQL is written once for both
(`knowledge/sqldb.py`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge.faults import pause_point
from knowledge.integrity import guard_records_db, mark_records_db
from knowledge.sqldb import Db, PostgresDb, SqliteDb, is_postgres_url

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kb_items (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    data TEXT NOT NULL,
    derived TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS kb_items_kind ON kb_items(kind);
CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass
class StoredItem:
    """One row: a record or policy document with its derived index data."""

    id: str
    kind: str
    source: str
    data: dict[str, Any]
    derived: dict[str, Any]


class RecordStore:
    """Records in `kb_items`: the SQLite database at `db_path`, or PostgreSQL at `database_url`."""

    def __init__(self, db_path: Path | None, *, database_url: str | None = None) -> None:
        self._lock = threading.RLock()
        self._db: Db
        if is_postgres_url(database_url):
            from knowledge.migrate import upgrade

            assert database_url is not None
            upgrade(database_url)
            self.path: Path | None = None
            self._db = PostgresDb(database_url)
        else:
            assert db_path is not None
            db_path.parent.mkdir(parents=True, exist_ok=True)
            self.path = db_path
            guard_records_db(db_path)  # damaged or lost (truncated to nothing): refuse, name the way back
            self._db = SqliteDb(db_path)
            with self._db.transaction():
                for stmt in _SCHEMA.strip().split(";"):
                    if stmt.strip():
                        self._db.run(stmt)
            mark_records_db(db_path)

    @property
    def backend(self) -> str:
        return self._db.dialect

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: everything inside commits together or not at all."""
        with self._lock, self._db.transaction():
            yield

    # --- metadata -------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self._lock:
            rows = self._db.rows("SELECT value FROM kb_meta WHERE key = ?", (key,))
        return None if not rows else str(rows[0]["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._db.run(
                "INSERT INTO kb_meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def _bump_generation(self) -> None:
        # One statement, so two writers on PostgreSQL never both write the same next number.
        self._db.run(
            "INSERT INTO kb_meta (key, value) VALUES ('generation', '1') "
            "ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(kb_meta.value AS INTEGER) + 1 AS TEXT)"
        )

    @property
    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # --- rows -----------------------------------------------------------------------------
    def items(self) -> list[StoredItem]:
        with self._lock:
            rows = self._db.rows("SELECT id, kind, source, data, derived FROM kb_items ORDER BY id")
        return [
            StoredItem(r["id"], r["kind"], r["source"], json.loads(r["data"]), json.loads(r["derived"]))
            for r in rows
        ]

    def ids(self, kind: str | None = None) -> set[str]:
        with self._lock:
            if kind is None:
                rows = self._db.rows("SELECT id FROM kb_items")
            else:
                rows = self._db.rows("SELECT id FROM kb_items WHERE kind = ?", (kind,))
        return {r["id"] for r in rows}

    def count(self) -> int:
        with self._lock:
            return int(self._db.rows("SELECT COUNT(*) AS n FROM kb_items")[0]["n"])

    def upsert(self, items: Iterable[StoredItem]) -> int:
        """Insert or replace `items` in one transaction; returns how many were written."""
        rows = _rows(items)
        with self.transaction():
            self._db.run_many(
                "INSERT INTO kb_items (id, kind, source, data, derived, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, source = excluded.source, "
                "data = excluded.data, derived = excluded.derived, updated_at = excluded.updated_at",
                rows,
            )
            self._bump_generation()
            pause_point("ingest:before-commit")
        return len(rows)

    def replace_sample(self, items: Iterable[StoredItem], corpus_hash: str) -> None:
        """Swap the bundled corpus rows for `items` in one transaction; ingested rows stay."""
        rows = _rows(items, source="sample")
        with self.transaction():
            self._db.run("DELETE FROM kb_items WHERE source = 'sample'")
            self._db.run_many(
                "INSERT INTO kb_items (id, kind, source, data, derived, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO NOTHING",
                rows,
            )
            self.set_meta("corpus_hash", corpus_hash)
            self._bump_generation()

    def update_derived(self, updates: Iterable[tuple[str, dict[str, Any]]], index_version: str) -> None:
        """Store recomputed derived data (after a tokenizer / embedding-text change)."""
        with self.transaction():
            self._db.run_many(
                "UPDATE kb_items SET derived = ? WHERE id = ?",
                [(json.dumps(d, ensure_ascii=False), i) for i, d in updates],
            )
            self.set_meta("index_version", index_version)
            self._bump_generation()


def _rows(items: Iterable[StoredItem], source: str | None = None) -> list[tuple[Any, ...]]:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    return [
        (
            i.id,
            i.kind,
            source or i.source,
            json.dumps(i.data, ensure_ascii=False),
            json.dumps(i.derived, ensure_ascii=False),
            now,
        )
        for i in items
    ]
