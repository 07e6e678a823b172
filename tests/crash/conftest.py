"""Crash tests: real `chengguo serve` / `chengguo ingest` processes killed with SIGKILL at named points.

Each test gets its own copy of the session's indexed data dir, so the servers start warm-ish
(no index build) and the tests cannot disturb each other.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.config import Settings


@pytest.fixture(scope="session")
def indexed_dir(session_data_dir: Path) -> Path:
    from knowledge.kb import open_kb

    open_kb(Settings(data_dir=session_data_dir))
    return session_data_dir


@pytest.fixture()
def data_dir(tmp_path: Path, indexed_dir: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(indexed_dir, d, ignore=shutil.ignore_patterns("backups", "web.db*", "checkpoints.db*"))
    return d
