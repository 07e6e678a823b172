"""One small database adapter over SQLite and PostgreSQL, so a store's SQL is written once.

Stores write SQL with named (`:name`) or positional (`?`) parameters, the SQLite style; the
PostgreSQL adapter rewrites them to psycopg's `%(name)s` / `%s`. Rows come back as plain dicts
either way. Values are passed as ISO strings: psycopg sends Python `str` with the `unknown`
type, so PostgreSQL casts them to the column's type (date, timestamptz, jsonb) itself, and
the session runs in UTC so a naive ISO timestamp means UTC on both backends.

`CHENGGUO_DATABASE_URL` (postgresql://…) selects PostgreSQL; unset means SQLite in the data dir.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal, Protocol

Dialect = Literal["sqlite", "postgres"]

# `:name` not preceded by another colon (PostgreSQL casts are `::type`).
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).split(":", 1)[0] in ("postgresql", "postgres", "postgresql+psycopg")


def psycopg_url(url: str) -> str:
    """The URL psycopg accepts (no SQLAlchemy driver suffix)."""
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql://", url)


def to_pyformat(sql: str) -> str:
    """SQLite-style parameters to psycopg's: `:name` -> `%(name)s`, `?` -> `%s`, `%` -> `%%`."""
    sql = sql.replace("%", "%%")
    sql = _NAMED.sub(lambda m: f"%({m.group(1)})s", sql)
    return sql.replace("?", "%s")


class Db(Protocol):
    dialect: Dialect

    def rows(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]: ...

    def run(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> int: ...

    def run_many(self, sql: str, seq: list[tuple[Any, ...]]) -> None: ...

    def transaction(self) -> Any: ...

    def close(self) -> None: ...


class SqliteDb:
    """A SQLite connection in WAL mode; `transaction()` is `BEGIN IMMEDIATE` (the write lock is
    taken before any check, so racing processes are serialised)."""

    dialect: Dialect = "sqlite"

    def __init__(self, path: Path, *, busy_timeout_ms: int = 30_000) -> None:
        self.path = path
        # isolation_level=None: transactions are begun explicitly, never lazily at the first write.
        self.conn = sqlite3.connect(
            path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
        )
        self.conn.row_factory = sqlite3.Row
        self.conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self._lock = threading.RLock()

    def rows(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self.conn.execute(sql, params)]

    def run(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> int:
        with self._lock:
            return self.conn.execute(sql, params).rowcount

    def run_many(self, sql: str, seq: list[tuple[Any, ...]]) -> None:
        with self._lock:
            self.conn.executemany(sql, seq)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()


class PostgresDb:
    """One psycopg 3 connection (UTC session). Outside `transaction()` each statement commits on
    its own (autocommit), so reads never hold a transaction open between calls."""

    dialect: Dialect = "postgres"

    def __init__(self, url: str, *, connect_timeout: int = 10) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.url = url
        self.conn = psycopg.connect(
            psycopg_url(url),
            autocommit=True,
            row_factory=dict_row,
            connect_timeout=connect_timeout,
            options="-c TimeZone=UTC",
        )
        self._lock = threading.RLock()

    def rows(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self.conn.execute(to_pyformat(sql), params or None)
            return list(cur.fetchall()) if cur.description else []

    def run(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> int:
        with self._lock:
            return self.conn.execute(to_pyformat(sql), params or None).rowcount

    def run_many(self, sql: str, seq: list[tuple[Any, ...]]) -> None:
        with self._lock, self.conn.cursor() as cur:
            cur.executemany(to_pyformat(sql), seq)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock, self.conn.transaction():
            yield

    def close(self) -> None:
        self.conn.close()
