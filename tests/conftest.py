"""Shared fixtures. Every test session gets its own data dir so nothing touches the user's."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before any chengguo module reads settings.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="chengguo-test-"))
os.environ["CHENGGUO_DATA_DIR"] = str(_SESSION_DIR / "data")
os.environ.pop("CHENGGUO_MODEL", None)
# The default backends (SQLite, embedded Chroma) unless a test asks for a server; CI exports the
# servers as CHENGGUO_TEST_* so they reach only the fixtures below.
os.environ.pop("CHENGGUO_DATABASE_URL", None)
os.environ.pop("CHENGGUO_CHROMA_URL", None)


@pytest.fixture(scope="session")
def session_data_dir() -> Path:
    """The session's shared data dir (index built once, reused by read-only tests)."""
    return Path(os.environ["CHENGGUO_DATA_DIR"])


def indexed_copy(session_data_dir: Path, dest: Path) -> Path:
    """A private copy of the session's data dir with its index built (once per session), for an agent that
    writes threads or bookings; `dest` must not exist yet."""
    from knowledge.config import Settings
    from knowledge.kb import open_kb

    open_kb(Settings(data_dir=session_data_dir), progress=False)  # build (or reuse) the session index
    shutil.copytree(session_data_dir, dest, ignore=shutil.ignore_patterns("checkpoints*", "*.lock"))
    return dest


@pytest.fixture()
def fresh_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data dir for tests that write (ingest, bookings)."""
    d = tmp_path / "data"
    monkeypatch.setenv("CHENGGUO_DATA_DIR", str(d))
    from knowledge.config import get_settings

    get_settings.cache_clear()
    yield d
    get_settings.cache_clear()


# ------------------------------------------------------------------------------ backend servers


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """A PostgreSQL server whose user may create databases: CHENGGUO_TEST_DATABASE_URL, else a
    throwaway one started here (fails, never skips, when PostgreSQL is not installed)."""
    from bench.servers import PostgresServer, ServerUnavailable

    given = os.environ.get("CHENGGUO_TEST_DATABASE_URL")
    if given:
        yield given
        return
    try:
        server = PostgresServer().start()
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture()
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, empty database for one test (dropped afterwards)."""
    import uuid

    from bench.servers import create_database, drop_database

    name = f"chengguo_test_{uuid.uuid4().hex[:12]}"
    url = create_database(pg_server_url, name)
    yield url
    from knowledge import migrate

    migrate.forget(url)
    drop_database(pg_server_url, name)


@pytest.fixture(scope="session")
def chroma_url() -> Iterator[str]:
    """A Chroma server: CHENGGUO_TEST_CHROMA_URL, else `chroma run` started here."""
    from bench.servers import ChromaServer, ServerUnavailable

    given = os.environ.get("CHENGGUO_TEST_CHROMA_URL")
    if given:
        yield given
        return
    try:
        server = ChromaServer().start()
    except ServerUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server.url
    finally:
        server.stop()
