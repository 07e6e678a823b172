"""The run journal: crashes and disconnects never lose a decision or leave a turn unanswered."""

from __future__ import annotations

import pytest

from agent.errors import INTERRUPTED_TEXT
from agent.events import Decision
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes
from tests.agent.conftest import TODAY, kinds, steps

HOLD = "hold FAC-0007 2026-12-01 2026-12-04"


def _agent(settings: Settings) -> Agent:
    return Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY)


def test_a_closed_stream_leaves_the_interrupted_marker_and_the_thread_usable(settings: Settings) -> None:
    with _agent(settings) as a:
        gen = a.stream("t-d", "three things please")
        assert next(gen).event == "plan"
        gen.close()  # the client went away mid-stream
        hist = a.history("t-d")
        assert [m["role"] for m in hist] == ["user", "assistant"]
        assert hist[-1]["text"] == INTERRUPTED_TEXT["en"] and hist[-1]["status"] == "interrupted"
        assert a.unfinished() == []
        events = list(a.stream("t-d", "three things please"))
        assert kinds(events)[-2:] == ["message", "done"]
        assert [m["role"] for m in a.history("t-d")] == ["user", "assistant", "user", "assistant"]


def test_a_crashed_turn_is_finished_by_the_next_process(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    a1 = _agent(settings)
    calls = {"n": 0}
    original = fakes.fake_search

    from tools.base import REGISTRY

    spec = REGISTRY["fake_search"]

    def dying(args, ctx):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise fakes.Crash("killed mid-turn")
        return original(args, ctx)

    monkeypatch.setitem(
        REGISTRY,
        "fake_search",
        spec.__class__(spec.name, spec.kind, spec.input_model, dying, spec.description),
    )
    with pytest.raises(fakes.Crash):
        list(a1.stream("t-k", "three things please"))
    a1.close()
    a2 = _agent(settings)
    assert a2.unfinished() == ["t-k"] and a2.needs_recovery("t-k")
    events = list(a2.recover("t-k"))
    assert kinds(events)[-2:] == ["message", "done"]
    hist = a2.history("t-k")
    assert [m["role"] for m in hist] == ["user", "assistant"] and "status" not in hist[-1]
    assert a2.unfinished() == []
    a2.close()


def test_a_recovery_that_dies_again_ends_in_the_marker(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tools.base import REGISTRY

    spec = REGISTRY["fake_search"]

    def always_dying(args, ctx):  # type: ignore[no-untyped-def]
        raise fakes.Crash("poison")

    monkeypatch.setitem(
        REGISTRY,
        "fake_search",
        spec.__class__(spec.name, spec.kind, spec.input_model, always_dying, spec.description),
    )
    a1 = _agent(settings)
    with pytest.raises(fakes.Crash):
        list(a1.stream("t-p", "三件事"))
    with pytest.raises(fakes.Crash):
        list(a1.recover("t-p"))
    a1.close()
    with _agent(settings) as a2:
        list(a2.recover("t-p"))
        hist = a2.history("t-p")
        assert hist[-1]["status"] == "interrupted" and hist[-1]["text"] == INTERRUPTED_TEXT["zh"]
        assert a2.unfinished() == []


def test_a_decision_recorded_before_a_crash_is_applied_once_at_recovery(settings: Settings) -> None:
    fakes.CALLS["fake_hold"] = 0
    a1 = _agent(settings)
    list(a1.stream("t-a", HOLD))
    # die right after the decision is journaled, before the graph resumed
    journal = a1._journal
    journal.begin("t-a", "decision", Decision(action="approve").model_dump(mode="json"), "en")
    a1.close()
    a2 = _agent(settings)
    assert a2.pending_approval("t-a") is not None and a2.unfinished() == ["t-a"]
    events = list(a2.recover("t-a"))
    assert [d["tool"] for d in steps(events, "done")] == ["fake_hold"]
    assert len(fakes.holds(settings)) == 1 and a2.pending_approval("t-a") is None
    assert a2.history("t-a")[-1]["role"] == "assistant"
    # replaying again (a second restart, or the user re-sending the decision) changes nothing
    assert list(a2.recover("t-a"))[-1].event == "done"
    again = list(a2.stream("t-a", decision=Decision(action="approve")))
    assert again[0].data["code"] == "no_pending_approval"
    assert len(fakes.holds(settings)) == 1
    a2.close()
