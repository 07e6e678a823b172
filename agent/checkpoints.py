"""Where LangGraph keeps the threads' checkpoints: SQLite in the data dir, or PostgreSQL.

`open_checkpoints(settings)` picks the backend like the booking store does: the official
`PostgresSaver` (langgraph-checkpoint-postgres) when `CHENGGUO_DATABASE_URL` is set, so every
server instance sharing that database resumes any thread; else `SqliteSaver` over
`<data_dir>/checkpoints.db`. Both keep only the latest checkpoints of a thread after each run.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any, Protocol

from langgraph.checkpoint.base import BaseCheckpointSaver

from knowledge.config import Settings
from knowledge.sqldb import DatabaseUnavailable, is_postgres_url, psycopg_url, redact

CHECKPOINTS_FILE = "checkpoints.db"
# Advisory-lock key for PostgresSaver.setup(): its own migrations are not safe to run from two
# processes at once, and servers behind a load balancer start together.
_SETUP_LOCK = 0x636B7074  # "ckpt"


class Checkpoints(Protocol):
    saver: BaseCheckpointSaver[Any]
    location: str

    def prune(self, thread_id: str, keep: int) -> None: ...

    def threads(self) -> list[str]: ...

    def close(self) -> None: ...


class SqliteCheckpoints:
    def __init__(self, path: Path) -> None:
        from langgraph.checkpoint.sqlite import SqliteSaver

        self.location = str(path)
        # One connection shared by threads; SqliteSaver serialises access with its own lock.
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._saver = SqliteSaver(self._conn)
        self.saver: BaseCheckpointSaver[Any] = self._saver
        self._saver.setup()  # switches the file to WAL
        # WAL + NORMAL: a commit survives a process crash (what approvals need); only a power
        # cut can lose the last commits, and the idempotent write covers that too.
        self._conn.execute("PRAGMA synchronous=NORMAL")

    def prune(self, thread_id: str, keep: int) -> None:
        with self._saver.cursor() as cur:
            cur.execute(
                "SELECT checkpoint_id FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = '' "
                "ORDER BY checkpoint_id DESC LIMIT 1 OFFSET ?",
                (thread_id, keep - 1),
            )
            row = cur.fetchone()
            if row is None:
                return
            for table in ("checkpoints", "writes"):
                cur.execute(
                    f"DELETE FROM {table} WHERE thread_id = ? AND checkpoint_id < ?", (thread_id, row[0])
                )

    def threads(self) -> list[str]:
        with self._saver.cursor(transaction=False) as cur:
            cur.execute(
                "SELECT thread_id, MAX(checkpoint_id) AS last FROM checkpoints "
                "WHERE checkpoint_ns = '' GROUP BY thread_id ORDER BY last DESC"
            )
            return [str(row[0]) for row in cur.fetchall()]

    def close(self) -> None:
        self._conn.close()


class PostgresCheckpoints:
    def __init__(self, url: str) -> None:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool, PoolTimeout

        self.location = redact(url)
        # One direct attempt first: a refused connection fails at once with a clear message,
        # where the pool would keep retrying until its timeout.
        try:
            psycopg.connect(psycopg_url(url), connect_timeout=10).close()
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(url, exc) from exc
        # The connection settings PostgresSaver.from_conn_string uses (autocommit for its setup,
        # dict rows it reads by name, no server-side prepared statements so a pgbouncer in
        # between works), in a small pool that checks a connection before lending it: a
        # database restart costs the requests in flight, not the server instance.
        self._pool: Any = ConnectionPool(
            psycopg_url(url),
            min_size=1,
            max_size=4,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            check=ConnectionPool.check_connection,
            open=True,
        )
        try:
            self._pool.wait(timeout=15)
        except PoolTimeout as exc:
            self._pool.close()
            raise DatabaseUnavailable(url, exc) from exc
        self._saver = PostgresSaver(self._pool)
        self.saver: BaseCheckpointSaver[Any] = self._saver
        self._setup()

    def _setup(self) -> None:
        """Run the saver's own migrations once across processes.

        Not `pg_advisory_lock` (blocking): its setup builds indexes CONCURRENTLY, which waits for
        every statement running at the time — including another instance's blocked lock call
        (PostgreSQL then aborts one with "deadlock detected"). So: nothing to do when the tables
        are at the newest version; else poll a try-lock, holding no statement open between
        attempts. The lock belongs to this connection's session while the saver migrates on
        whichever pooled connection it takes: other processes are still kept out.
        """
        import time

        newest = len(self._saver.MIGRATIONS) - 1
        with self._pool.connection() as conn:
            while not _migrated(conn, newest):
                got = conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (_SETUP_LOCK,)).fetchone()
                if not got or not got["ok"]:
                    time.sleep(0.2)
                    continue
                try:
                    self._saver.setup()
                finally:
                    conn.execute("SELECT pg_advisory_unlock(%s)", (_SETUP_LOCK,))

    def prune(self, thread_id: str, keep: int) -> None:
        # The saver's own pruning keeps the latest checkpoint (what a resume loads) with its
        # pending writes and blobs. A concurrent prune of the same thread may lose the race;
        # the next run prunes again, so that is not an error.
        from psycopg import errors

        with contextlib.suppress(errors.SerializationFailure, errors.DeadlockDetected):
            self._saver.prune([thread_id], strategy="keep_latest")

    def threads(self) -> list[str]:
        with self._saver._cursor() as cur:
            cur.execute(
                "SELECT thread_id, MAX(checkpoint_id) AS last FROM checkpoints "
                "WHERE checkpoint_ns = '' GROUP BY thread_id ORDER BY last DESC"
            )
            return [str(row["thread_id"]) for row in cur.fetchall()]

    def close(self) -> None:
        self._pool.close()


def _migrated(conn: Any, newest: int) -> bool:
    found = conn.execute("SELECT to_regclass('checkpoint_migrations') IS NOT NULL AS ok").fetchone()
    if not found or not found["ok"]:
        return False
    row = conn.execute("SELECT max(v) AS v FROM checkpoint_migrations").fetchone()
    return row is not None and row["v"] is not None and int(row["v"]) >= newest


def open_checkpoints(settings: Settings) -> Checkpoints:
    if is_postgres_url(settings.database_url):
        assert settings.database_url is not None
        return PostgresCheckpoints(settings.database_url)
    return SqliteCheckpoints(settings.data_dir / CHECKPOINTS_FILE)
