"""SQLite store of knowledge records: the source of truth the search indexes are built from.

One table holds achievements, organisations, facilities and policy documents as JSON, each
tagged with its source ("sample" = the bundled corpus, "ingest" = loaded by a user) and with
derived data (embedding-text hash and BM25 tokens) so a process can rebuild its in-memory
indexes without re-tokenising. Ingested rows win over sample rows with the same id, and a
refresh of the bundled corpus never touches ingested rows.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from knowledge.faults import pause_point
from knowledge.integrity import guard_records_db, mark_records_db

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
    """Records in `kb_items` of the shared SQLite database (WAL)."""

    def __init__(self, db_path: Path) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.path = db_path
        self._lock = threading.RLock()
        guard_records_db(db_path)  # damaged or lost (truncated to nothing): refuse, name the way back
        self._conn = sqlite3.connect(str(db_path), check_same_thread=False, timeout=30)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)
        self._conn.commit()
        mark_records_db(db_path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: everything inside commits together or not at all."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.rollback()
                raise
            self._conn.commit()

    # --- metadata -------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM kb_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str, conn: sqlite3.Connection | None = None) -> None:
        sql = "INSERT INTO kb_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        if conn is not None:
            conn.execute(sql, (key, value))
            return
        with self._lock:
            self._conn.execute(sql, (key, value))
            self._conn.commit()

    def _bump_generation(self, conn: sqlite3.Connection) -> None:
        row = conn.execute("SELECT value FROM kb_meta WHERE key = 'generation'").fetchone()
        self.set_meta("generation", str(int(row[0]) + 1 if row else 1), conn)

    @property
    def generation(self) -> int:
        return int(self.meta("generation") or 0)

    # --- rows -----------------------------------------------------------------------------
    def items(self) -> list[StoredItem]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, kind, source, data, derived FROM kb_items ORDER BY id"
            ).fetchall()
        return [StoredItem(r[0], r[1], r[2], json.loads(r[3]), json.loads(r[4])) for r in rows]

    def ids(self, kind: str | None = None) -> set[str]:
        with self._lock:
            if kind is None:
                rows = self._conn.execute("SELECT id FROM kb_items").fetchall()
            else:
                rows = self._conn.execute("SELECT id FROM kb_items WHERE kind = ?", (kind,)).fetchall()
        return {r[0] for r in rows}

    def count(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM kb_items").fetchone()[0])

    def upsert(self, items: Iterable[StoredItem]) -> int:
        """Insert or replace `items` in one transaction; returns how many were written."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (
                i.id,
                i.kind,
                i.source,
                json.dumps(i.data, ensure_ascii=False),
                json.dumps(i.derived, ensure_ascii=False),
                now,
            )
            for i in items
        ]
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO kb_items (id, kind, source, data, derived, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, source = excluded.source, "
                "data = excluded.data, derived = excluded.derived, updated_at = excluded.updated_at",
                rows,
            )
            self._bump_generation(conn)
            pause_point("ingest:before-commit")
        return len(rows)

    def replace_sample(self, items: Iterable[StoredItem], corpus_hash: str) -> None:
        """Swap the bundled corpus rows for `items` in one transaction; ingested rows stay."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        rows = [
            (
                i.id,
                i.kind,
                "sample",
                json.dumps(i.data, ensure_ascii=False),
                json.dumps(i.derived, ensure_ascii=False),
                now,
            )
            for i in items
        ]
        with self.transaction() as conn:
            conn.execute("DELETE FROM kb_items WHERE source = 'sample'")
            conn.executemany(
                "INSERT OR IGNORE INTO kb_items (id, kind, source, data, derived, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                rows,
            )
            self.set_meta("corpus_hash", corpus_hash, conn)
            self._bump_generation(conn)

    def update_derived(self, updates: Iterable[tuple[str, dict[str, Any]]], index_version: str) -> None:
        """Store recomputed derived data (after a tokenizer / embedding-text change)."""
        with self.transaction() as conn:
            conn.executemany(
                "UPDATE kb_items SET derived = ? WHERE id = ?",
                [(json.dumps(d, ensure_ascii=False), i) for i, d in updates],
            )
            self.set_meta("index_version", index_version, conn)
            self._bump_generation(conn)
