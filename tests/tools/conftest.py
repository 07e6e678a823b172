"""Fixtures for the tool tests: a small in-memory knowledge base and an isolated booking store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from knowledge.bookings import BookingStore
from knowledge.config import Settings
from tests.tools.fakes import NOW, TODAY, MemoryKB, small_corpus
from tools.base import ToolContext


@pytest.fixture(scope="session")
def memory_kb() -> MemoryKB:
    return MemoryKB(small_corpus())


@pytest.fixture(params=["sqlite", "postgres"])
def backend_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for a fresh, empty booking store on each backend (PostgreSQL: a new database)."""
    if request.param == "postgres":
        return Settings(data_dir=tmp_path / "data", database_url=request.getfixturevalue("pg_url"))
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[BookingStore]:
    """The default (SQLite) store; tests/tools/test_booking_store.py runs on both backends."""
    s = BookingStore(Settings(data_dir=tmp_path / "data"), seed=False)
    yield s
    s.close()


@pytest.fixture()
def make_ctx(memory_kb: MemoryKB, store: BookingStore, tmp_path: Path) -> Callable[..., ToolContext]:
    def build(lang: str = "en", step: str = "s1", thread: str = "t1", **extra: Any) -> ToolContext:
        return ToolContext(
            settings=Settings(data_dir=tmp_path / "data"),
            lang=lang,  # type: ignore[arg-type]
            thread_id=thread,
            step_id=step,
            extra={"kb": memory_kb, "booking_store": store, **extra},
            today=TODAY,
            now=NOW,
        )

    return build
