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


class DatabaseUnavailable(RuntimeError):
    """PostgreSQL does not answer at the configured URL (message in both languages, password
    never shown)."""

    def __init__(self, url: str, exc: BaseException) -> None:
        shown = redact(url)
        super().__init__(
            f"cannot reach PostgreSQL at {shown} ({type(exc).__name__}: {str(exc).strip()}); check "
            f"CHENGGUO_DATABASE_URL and that the server is running / 无法连接 PostgreSQL（{shown}），"
            "请检查 CHENGGUO_DATABASE_URL 并确认数据库服务已启动"
        )
        self.url = shown


def redact(url: str) -> str:
    """A database URL without its password, for messages and status output."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)


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
        self.url = url
        self._connect_timeout = connect_timeout
        self._lock = threading.RLock()
        self._depth = 0  # open transaction() blocks
        self.conn = self._connect()

    def _connect(self) -> Any:
        import psycopg
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(
                psycopg_url(self.url),
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=self._connect_timeout,
                options="-c TimeZone=UTC",
            )
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(self.url, exc) from exc

    def _live(self) -> Any:
        # A server restart or a dropped connection breaks it for good: reconnect before the next
        # statement (never inside a transaction, whose work would be lost silently).
        if self._depth == 0 and (self.conn.closed or self.conn.broken):
            self.conn = self._connect()
        return self.conn

    def _execute(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...]) -> Any:
        import psycopg

        try:
            return self._live().execute(to_pyformat(sql), params or None)
        except psycopg.OperationalError:
            # The server went away under an idle connection (restart, failover): outside a
            # transaction the statement stands alone, so run it once more on a new connection.
            if self._depth or not (self.conn.closed or self.conn.broken):
                raise
            return self._live().execute(to_pyformat(sql), params or None)

    def rows(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with self._lock:
            cur = self._execute(sql, params)
            return list(cur.fetchall()) if cur.description else []

    def run(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...] = ()) -> int:
        with self._lock:
            return int(self._execute(sql, params).rowcount)

    def run_many(self, sql: str, seq: list[tuple[Any, ...]]) -> None:
        with self._lock, self._live().cursor() as cur:
            cur.executemany(to_pyformat(sql), seq)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._lock, self._live().transaction():
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1

    def close(self) -> None:
        self.conn.close()
