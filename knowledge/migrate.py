"""PostgreSQL schema migrations with Alembic (`knowledge/migrations/`).

Every process that opens a PostgreSQL store calls `upgrade(url)` once: when the database is
already at the newest revision that is one query; otherwise Alembic runs inside a transaction
holding an advisory lock, so several servers starting at once migrate exactly once (the
others wait, then find the work done). SQLite files are migrated by the stores themselves
(`ALTER TABLE ... ADD COLUMN` when a column is missing): they have one owner and no DBA.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

MIGRATIONS = Path(__file__).parent / "migrations"
# Any fixed 64-bit number: the key of the advisory lock taken while migrating.
_LOCK_KEY = 0x636867756F  # "chguo"
_done: set[str] = set()
_done_lock = threading.Lock()


def sqlalchemy_url(url: str) -> str:
    """The SQLAlchemy form of a PostgreSQL URL, with the psycopg 3 driver."""
    return re.sub(r"^postgres(ql)?(\+psycopg)?://", "postgresql+psycopg://", url)


def head_revision() -> str:
    """The newest revision in `migrations/versions` (file names start with it)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def _latest_file_revision() -> str:
    # Cheap stand-in for head_revision() on the fast path: revisions are numbered files.
    names = sorted(p.name.split("_", 1)[0] for p in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))
    return names[-1]


def current_revision(url: str) -> str | None:
    import psycopg

    from knowledge.sqldb import DatabaseUnavailable, psycopg_url

    try:
        conn = psycopg.connect(psycopg_url(url), autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DatabaseUnavailable(url, exc) from exc
    with conn:
        exists = conn.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return str(row[0]) if row else None


def upgrade(url: str) -> None:
    """Bring the database at `url` to the newest schema (once per process and URL)."""
    with _done_lock:
        if url in _done:
            return
        if current_revision(url) != _latest_file_revision():
            _run_alembic(url)
        _done.add(url)


def forget(url: str) -> None:
    """Drop the memo for `url` (tests reuse database names only after dropping them)."""
    with _done_lock:
        _done.discard(url)


def _run_alembic(url: str) -> None:
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import create_engine, text

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    engine = create_engine(sqlalchemy_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()
