"""Shared fixtures. Every test session gets its own data dir so nothing touches the user's."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

# Set before any chengguo module reads settings.
_SESSION_DIR = Path(tempfile.mkdtemp(prefix="chengguo-test-"))
os.environ["CHENGGUO_DATA_DIR"] = str(_SESSION_DIR / "data")
os.environ.pop("CHENGGUO_MODEL", None)


@pytest.fixture(scope="session")
def session_data_dir() -> Path:
    """The session's shared data dir (index built once, reused by read-only tests)."""
    return Path(os.environ["CHENGGUO_DATA_DIR"])


@pytest.fixture()
def fresh_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty data dir for tests that write (ingest, bookings)."""
    d = tmp_path / "data"
    monkeypatch.setenv("CHENGGUO_DATA_DIR", str(d))
    from knowledge.config import get_settings

    get_settings.cache_clear()
    yield d
    get_settings.cache_clear()
