"""Two `chengguo serve` instances on one PostgreSQL database and one Chroma server: holds
requested on one instance and approved on the other, from several client processes at once,
never overlap, and nothing errors (a smaller run of bench/multi_instance.py)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from bench.chroma_scale import new_database
from bench.multi_instance import prepare, run_race
from bench.servers import create_database, drop_database
from knowledge.config import Settings
from knowledge.kb import open_kb

# The session index may be built here first (cold: minutes on a busy 2-core box).
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1200)]


def test_hold_race_across_two_instances(
    tmp_path: Path, pg_server_url: str, chroma_url: str, session_data_dir: Path
) -> None:
    open_kb(Settings(data_dir=session_data_dir))  # the session's index (built once, shared)
    name = f"race_{uuid.uuid4().hex[:10]}"
    db_url = create_database(pg_server_url, name)
    # The session's sample index already embedded the corpus: reuse its vectors.
    dep = prepare(tmp_path / "data", db_url, new_database(chroma_url), session_data_dir)
    try:
        bases = dep.start(2)
        assert len(set(bases)) == 2
        race = run_race(dep, bases, holds=24, processes=3, windows=6)
    finally:
        dep.stop()
        drop_database(pg_server_url, name)
    assert race.requests == 24 and race.processes == 3
    assert race.outcomes.get("error", 0) == 0, race.errors
    assert race.overlapping_pairs == 0
    assert race.windows_with_two_winners == 0 and race.winners_not_live == 0
    o = race.outcomes
    assert o.get("won", 0) + o.get("conflict", 0) + o.get("declined", 0) == 24
    # Windows 0, 2, 4 (or 1, 3, 5) can all be held; neighbours overlap, so at most 3 of 6 win.
    assert 2 <= o.get("won", 0) <= 3
    assert race.ok
