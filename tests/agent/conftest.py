"""Fixtures for agent tests: an Agent over a fresh data dir with the scripted planner and fake tools."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from agent.events import Event
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def _fake_tools() -> Iterator[None]:
    """The fake tools are registered only while an agent test runs."""
    with fakes.registered_fakes():
        yield


@pytest.fixture()
def settings(fresh_data_dir: Path) -> Settings:
    return Settings(data_dir=fresh_data_dir)


@pytest.fixture()
def planner() -> fakes.ScriptedPlanner:
    return fakes.ScriptedPlanner()


@pytest.fixture()
def agent(settings: Settings, planner: fakes.ScriptedPlanner) -> Iterator[Agent]:
    fakes.CALLS["fake_hold"] = 0
    fakes.CRASH_AFTER_WRITE["on"] = False
    a = Agent(settings, planner=planner, today=TODAY)
    yield a
    a.close()


def kinds(events: list[Event]) -> list[str]:
    return [e.event for e in events]


def steps(events: list[Event], status: str | None = None) -> list[dict]:
    return [e.data for e in events if e.event == "step" and (status is None or e.data["status"] == status)]
