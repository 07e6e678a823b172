"""LangGraph checkpoints in PostgreSQL (`PostgresSaver`) when a database URL is set: the durable
thread and crash scenarios of test_graph.py run again on it, and nothing lands in SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg
import pytest

from agent.events import Decision
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes, test_graph
from tests.agent.conftest import TODAY


@pytest.fixture()
def pg_settings(fresh_data_dir: Path, pg_url: str) -> Settings:
    return Settings(data_dir=fresh_data_dir, database_url=pg_url)


def _checkpoint_rows(url: str, thread_id: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM checkpoints WHERE thread_id = %s", (thread_id,)).fetchone()
    return int(row[0]) if row else 0


def test_durable_thread_resumes_in_a_new_agent(pg_settings: Settings) -> None:
    test_graph.test_durable_thread_resumes_in_a_new_agent(pg_settings)
    assert pg_settings.database_url is not None
    # Pruned after each run to the latest checkpoint; none in the data dir's SQLite file.
    assert _checkpoint_rows(pg_settings.database_url, "t-dur") == 1
    assert not (pg_settings.data_dir / "checkpoints.db").exists()


@pytest.mark.parametrize("crash_before_write", [False, True])
def test_crash_between_approval_and_write_leaves_one_hold(
    pg_settings: Settings, crash_before_write: bool
) -> None:
    test_graph.test_crash_between_approval_and_write_leaves_one_hold(pg_settings, crash_before_write)


def test_two_agents_share_threads(pg_settings: Settings) -> None:
    """Two server instances on one database: a thread begun on one is approved on the other,
    and both list it."""
    fakes.CALLS["fake_hold"] = 0
    with (
        Agent(pg_settings, planner=fakes.ScriptedPlanner(), today=TODAY) as a,
        Agent(pg_settings, planner=fakes.ScriptedPlanner(), today=TODAY) as b,
    ):
        list(a.stream("t-shared", test_graph.HOLD))
        assert b.pending_approval("t-shared")["action"] == "fake_hold"  # type: ignore[index]
        events = list(b.stream("t-shared", decision=Decision(action="approve")))
        assert [e.data["tool"] for e in events if e.event == "step" and e.data["status"] == "done"] == [
            "fake_hold"
        ]
        assert a.pending_approval("t-shared") is None
        assert a.threads() == b.threads() == ["t-shared"]


def _open_checkpoints(url: str, barrier: Any, out: Any) -> None:
    from agent.checkpoints import PostgresCheckpoints

    barrier.wait()
    try:
        PostgresCheckpoints(url).close()
        out.put("ok")
    except Exception as exc:  # reported to the test, which names it
        out.put(f"{type(exc).__name__}: {exc}")


def test_instances_starting_together_set_up_once(pg_url: str) -> None:
    """Servers behind a load balancer start at once: the saver's setup (CREATE INDEX
    CONCURRENTLY) must not deadlock with the others waiting for it (it did with a blocking
    advisory lock: PostgreSQL aborted three of four with "deadlock detected")."""
    import multiprocessing as mp

    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(4), ctx.Queue()
    procs = [ctx.Process(target=_open_checkpoints, args=(pg_url, barrier, out)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert results == ["ok"] * 4
    with psycopg.connect(pg_url) as conn:
        row = conn.execute("SELECT count(*), count(DISTINCT v) FROM checkpoint_migrations").fetchone()
    assert row is not None and row[0] == row[1]  # every migration recorded once


def test_agent_survives_the_database_dropping_connections(pg_settings: Settings) -> None:
    assert pg_settings.database_url is not None
    with Agent(pg_settings, planner=fakes.ScriptedPlanner(), today=TODAY) as a:
        list(a.stream("t-drop", "first question"))
        with psycopg.connect(pg_settings.database_url, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        events = list(a.stream("t-drop", "second question"))
        assert events[-1].event == "done" and not [e for e in events if e.event == "error"]
        assert [m["text"] for m in a.history("t-drop") if m["role"] == "user"] == [
            "first question",
            "second question",
        ]
