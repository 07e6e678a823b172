"""The web surface's own SQLite file (`web.db` in the data dir): keys, thread ownership, artifacts, run leases.

A separate file keeps the web tables out of other packages' schema and lock traffic (the agent's
checkpoints and the booking store write `chengguo.db`). One connection per thread; WAL so readers
never wait for the occasional writer, and a busy timeout so concurrent workers queue instead of failing.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from knowledge.config import Settings
from knowledge.integrity import ensure_healthy

_SCHEMA = """
CREATE TABLE IF NOT EXISTS web_keys (
    token_hash  TEXT PRIMARY KEY,
    key_id      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('pk', 'sk')),
    hint        TEXT NOT NULL,
    tenant      TEXT NOT NULL,
    origins     TEXT NOT NULL,
    rate        TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
CREATE INDEX IF NOT EXISTS web_keys_key_id ON web_keys (key_id);
CREATE INDEX IF NOT EXISTS web_keys_tenant ON web_keys (tenant);
CREATE TABLE IF NOT EXISTS web_threads (
    thread_id   TEXT PRIMARY KEY,
    tenant      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS web_threads_tenant ON web_threads (tenant);
CREATE TABLE IF NOT EXISTS web_artifacts (
    artifact_id TEXT PRIMARY KEY,
    thread_id   TEXT NOT NULL REFERENCES web_threads (thread_id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    path        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS web_run_leases (
    thread_id   TEXT PRIMARY KEY,
    owner       TEXT NOT NULL,
    started_at  REAL NOT NULL,
    instance    TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS web_instances (
    instance    TEXT PRIMARY KEY,
    pid         INTEGER NOT NULL,
    host        TEXT NOT NULL,
    started_at  REAL NOT NULL,
    heartbeat   REAL NOT NULL
);
"""


def _migrate(conn: sqlite3.Connection) -> None:
    """Leases are transient: a table from before owners were named is simply recreated."""
    cols = {r[1] for r in conn.execute("PRAGMA table_info(web_run_leases)")}
    if cols and "instance" not in cols:
        conn.execute("DROP TABLE web_run_leases")


def web_db_path(settings: Settings) -> Path:
    return settings.data_dir / "web.db"


class WebDB:
    """Thread-local connections to `web.db`, schema created on first open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        ensure_healthy(path)
        conn = self.connect()
        _migrate(conn)
        conn.executescript(_SCHEMA)

    def connect(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=10.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=10000")
            self._local.conn = conn
        return conn
