"""The SQL adapter and the PostgreSQL migrations: parameter styles, Alembic at head, repeatable."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from knowledge import migrate
from knowledge.sqldb import is_postgres_url, psycopg_url, to_pyformat


def test_parameter_styles_and_urls() -> None:
    assert to_pyformat("SELECT * FROM t WHERE a = :a AND b::date > :b_2 AND c LIKE '5%'") == (
        "SELECT * FROM t WHERE a = %(a)s AND b::date > %(b_2)s AND c LIKE '5%%'"
    )
    assert to_pyformat("INSERT INTO t VALUES (?, ?)") == "INSERT INTO t VALUES (%s, %s)"
    assert is_postgres_url("postgresql://u@h/db") and is_postgres_url("postgres://h/db")
    assert not is_postgres_url(None) and not is_postgres_url("sqlite:///x.db")
    assert psycopg_url("postgresql+psycopg://u@h:5/db") == "postgresql://u@h:5/db"
    assert migrate.sqlalchemy_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"


def test_migrations_reach_head_once(pg_url: str) -> None:
    assert migrate.current_revision(pg_url) is None
    migrate.upgrade(pg_url)
    head = migrate.head_revision()
    assert head == "0003" and migrate.current_revision(pg_url) == head
    migrate.forget(pg_url)
    migrate.upgrade(pg_url)  # at head already: nothing to do, no error
    with psycopg.connect(pg_url) as conn:
        cols = {
            r[0]
            for r in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'bookings'"
            )
        }
        constraint = conn.execute(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'bookings_no_overlap'"
        ).fetchone()
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"holder_id", "thread_id", "facility_id", "start", "end"} <= cols
    assert {
        "bookings",
        "booking_audit",
        "booking_idempotency",
        "booking_meta",
        "kb_items",
        "kb_meta",
    } <= tables
    assert constraint is not None and "EXCLUDE USING gist" in constraint[0] and "daterange" in constraint[0]


def test_db_cli_status_and_upgrade(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from knowledge.config import get_settings
    from knowledge.db_cli import db_app

    monkeypatch.setenv("CHENGGUO_DATABASE_URL", pg_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        before = json.loads(runner.invoke(db_app, ["status", "--json"]).output)
        assert before["backend"] == "postgres" and before["revision"] is None and before["head"] == "0003"
        out = runner.invoke(db_app, ["upgrade"])
        assert out.exit_code == 0 and "0003" in out.output
        after = json.loads(runner.invoke(db_app, ["status", "--json"]).output)
        assert after["revision"] == "0003"
    finally:
        get_settings.cache_clear()


def test_unreachable_database_is_named_not_a_traceback(tmp_path: Path) -> None:
    """Nothing listens on the port: every store says which database (without the password) and
    what to check, in both languages."""
    from agent.checkpoints import PostgresCheckpoints
    from knowledge.bookings import BookingStore
    from knowledge.config import Settings
    from knowledge.records_store import RecordStore
    from knowledge.sqldb import DatabaseUnavailable

    url = "postgresql://app:s3cret@127.0.0.1:9/chengguo"
    for open_store in (
        lambda: BookingStore(Settings(data_dir=tmp_path, database_url=url)),
        lambda: RecordStore(None, database_url=url),
        lambda: PostgresCheckpoints(url),
    ):
        with pytest.raises(DatabaseUnavailable) as exc:
            open_store()
        text = str(exc.value)
        assert "postgresql://app:***@127.0.0.1:9/chengguo" in text and "s3cret" not in text
        assert "CHENGGUO_DATABASE_URL" in text and "无法连接 PostgreSQL" in text
