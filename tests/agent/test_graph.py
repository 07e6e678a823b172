"""The graph through the public runtime: routing, approvals, limits, errors, durability, events."""

from __future__ import annotations

import asyncio

import pytest

from agent.events import Citation, Decision, Event
from agent.runtime import Agent
from knowledge.config import Settings
from tests.agent import fakes
from tests.agent.conftest import TODAY, kinds, steps

HOLD = "hold FAC-0007 2026-12-01 2026-12-04"


def test_read_steps_run_at_once_and_event_order(agent: Agent) -> None:
    events = list(agent.stream("t-read", "three things please"))
    ks = kinds(events)
    assert ks[0] == "plan"
    assert ks[-1] == "done" and ks[-2] == "message"
    # three READ steps, each started then done, in plan order, before any answer token
    seq = [(e.data["step_id"], e.data["status"]) for e in events if e.event == "step"]
    assert seq == [
        ("t1-s1", "started"),
        ("t1-s1", "done"),
        ("t1-s2", "started"),
        ("t1-s2", "done"),
        ("t1-s3", "started"),
        ("t1-s3", "done"),
    ]
    first_token = ks.index("token")
    assert first_token > max(i for i, k in enumerate(ks) if k == "step")
    assert "approval" not in ks
    # the plan announced once (re-plans that only drop the executed step stay quiet)
    assert ks.count("plan") == 1
    plan = events[0].data
    assert [s["tool"] for s in plan["steps"]] == ["fake_search", "fake_search", "fake_availability"]
    assert plan["note"] == "scripted"
    # tokens concatenate to the message text
    message = next(e for e in events if e.event == "message")
    assert "".join(e.data["text"] for e in events if e.event == "token") == message.data["text"]
    assert message.data["text"] == "Results: fake_search:ok, fake_search:ok, fake_availability:ok."
    assert message.data["lang"] == "en"
    cites = [Citation.model_validate(c) for c in message.data["citations"]]
    assert [c.id for c in cites] == ["ACH-0001", "ACH-0002", "FAC-1"]  # deduplicated across the two searches
    assert events[-1].data == {"thread_id": "t-read", "interrupted": False}
    # every done step carries a one-line summary and the tool output
    for d in steps(events, "done"):
        assert d["summary"] and "\n" not in d["summary"] and d["result"]["ok"] is True


def test_write_step_interrupts_with_quote(agent: Agent, settings: Settings) -> None:
    events = list(agent.stream("t-w", HOLD))
    ks = kinds(events)
    assert ks[-1] == "done" and events[-1].data["interrupted"] is True
    assert "message" not in ks and "token" not in ks
    approval = next(e for e in events if e.event == "approval").data
    assert approval["action"] == "fake_hold"
    assert approval["args"] == {"facility_id": "FAC-0007", "start": "2026-12-01", "end": "2026-12-04"}
    assert approval["quote"]["total_cny"] == 3000.0
    assert approval["step_id"] == "t1-s2"
    # the READ step before it ran, the WRITE did not
    assert [d["tool"] for d in steps(events, "done")] == ["fake_availability"]
    assert fakes.holds(settings) == [] and fakes.CALLS["fake_hold"] == 0
    assert agent.pending_approval("t-w") == approval


def test_approve_runs_the_write_once(agent: Agent, settings: Settings) -> None:
    list(agent.stream("t-a", HOLD))
    events = list(agent.stream("t-a", decision=Decision(action="approve")))
    done = steps(events, "done")
    assert [d["tool"] for d in done] == ["fake_hold"]
    assert done[0]["result"]["reference"] == "HOLD-1"
    assert events[-1].data["interrupted"] is False
    assert agent.pending_approval("t-a") is None
    rows = fakes.holds(settings)
    assert len(rows) == 1 and rows[0][0] == "t-a:t1-s2"  # idempotency key thread:step
    result = agent.state("t-a")["history"][-1]
    assert result["approval"] == "approved" and result["ok"] is True


def test_double_resume_holds_once(agent: Agent, settings: Settings) -> None:
    list(agent.stream("t-d", HOLD))
    list(agent.stream("t-d", decision=Decision(action="approve")))
    second = list(agent.stream("t-d", decision=Decision(action="approve")))
    assert kinds(second) == ["error", "done"]
    assert second[0].data["code"] == "no_pending_approval"
    assert len(fakes.holds(settings)) == 1 and fakes.CALLS["fake_hold"] == 1


def test_reject_records_declined_step_and_answers(
    agent: Agent, settings: Settings, planner: fakes.ScriptedPlanner
) -> None:
    list(agent.stream("t-r", HOLD))
    events = list(agent.stream("t-r", decision=Decision(action="reject")))
    # a user's "no" is its own status, not a red failure
    assert steps(events, "error") == []
    rej = steps(events, "rejected")
    assert len(rej) == 1 and rej[0]["tool"] == "fake_hold" and rej[0]["result"]["code"] == "rejected"
    assert rej[0]["summary"].startswith("Skipped — you declined")
    assert fakes.holds(settings) == []
    msg = next(e for e in events if e.event == "message").data
    assert msg["text"] == "Results: fake_availability:ok, fake_hold:rejected."
    # the planner saw the rejection as a failed StepResult
    last = planner.plans[-1].results[-1]
    assert (last.tool, last.ok, last.approval) == ("fake_hold", False, "rejected")


def test_edit_changes_the_args(agent: Agent, settings: Settings) -> None:
    list(agent.stream("t-e", HOLD))
    events = list(
        agent.stream(
            "t-e", decision=Decision(action="edit", args={"start": "2026-12-10", "end": "2026-12-12"})
        )
    )
    done = steps(events, "done")
    assert done[0]["result"]["start"] == "2026-12-10" and done[0]["result"]["end"] == "2026-12-12"
    rows = fakes.holds(settings)
    assert [(r[2], r[3], r[4]) for r in rows] == [("FAC-0007", "2026-12-10", "2026-12-12")]
    assert agent.state("t-e")["history"][-1]["approval"] == "edited"


@pytest.mark.parametrize("crash_before_write", [False, True])
def test_crash_between_approval_and_write_leaves_one_hold(
    settings: Settings, crash_before_write: bool
) -> None:
    """Kill the process at the write; a new process resumes; exactly one hold exists."""
    fakes.CALLS["fake_hold"] = 0
    a1 = Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY)
    list(a1.stream("t-c", HOLD))
    if crash_before_write:
        # die after the approval was checkpointed but before the tool ran
        original = fakes.fake_hold

        def dying(args, ctx):  # type: ignore[no-untyped-def]
            raise fakes.Crash("killed before the write")

        from tools.base import REGISTRY

        spec = REGISTRY["fake_hold"]
        REGISTRY["fake_hold"] = spec.__class__(
            spec.name, spec.kind, spec.input_model, dying, spec.description
        )
        try:
            with pytest.raises(fakes.Crash):
                list(a1.stream("t-c", decision=Decision(action="approve")))
        finally:
            REGISTRY["fake_hold"] = spec
        assert fakes.holds(settings) == []
        del original
    else:
        fakes.CRASH_AFTER_WRITE["on"] = True
        with pytest.raises(fakes.Crash):
            list(a1.stream("t-c", decision=Decision(action="approve")))
        assert len(fakes.holds(settings)) == 1
    a1.close()

    a2 = Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY)  # "a new process"
    events = list(a2.stream("t-c", decision=Decision(action="approve")))
    assert kinds(events)[-1] == "done" and events[-1].data["interrupted"] is False
    done = steps(events, "done")
    assert [d["tool"] for d in done] == ["fake_hold"] and done[0]["result"]["reference"] == "HOLD-1"
    assert len(fakes.holds(settings)) == 1
    # and sending the resume yet again changes nothing
    again = list(a2.stream("t-c", decision=Decision(action="approve")))
    assert again[0].data["code"] == "no_pending_approval"
    assert len(fakes.holds(settings)) == 1
    a2.close()


def test_step_limit_stops_the_loop(settings: Settings) -> None:
    p = fakes.ScriptedPlanner()
    with Agent(settings, planner=p, today=TODAY, max_steps=3) as a:
        events = list(a.stream("t-l", "loop forever"))
        assert len(steps(events, "done")) == 3
        assert a.state("t-l")["steps_used"] == 3
    assert "3" in p.responds[-1].note and "limit" in p.responds[-1].note
    assert kinds(events)[-2:] == ["message", "done"]


def test_tool_error_is_fed_back_to_the_planner(agent: Agent, planner: fakes.ScriptedPlanner) -> None:
    events = list(agent.stream("t-f", "please fail"))
    err = steps(events, "error")
    assert err[0]["result"] == {
        "ok": False,
        "code": "unknown_id",
        "message": "fake failure unknown_id",
        "details": {},
    }
    assert "fake failure unknown_id" in err[0]["summary"]
    assert planner.plans[-1].results[-1].ok is False
    assert kinds(events)[-2:] == ["message", "done"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("boom", "tool_exception"), ("badargs", "invalid_args")],
)
def test_raising_tool_and_invalid_args_become_failed_steps(agent: Agent, text: str, code: str) -> None:
    events = list(agent.stream(f"t-{code}", text))
    err = steps(events, "error")
    assert len(err) == 1 and err[0]["result"]["code"] == code
    assert next(e for e in events if e.event == "message").data["text"].endswith(f"{code}.")


def test_unknown_tool_is_a_failed_step(
    agent: Agent, planner: fakes.ScriptedPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planner, "_desired", lambda inp: [("no_such_tool", {})])
    events = list(agent.stream("t-u", "anything"))
    assert steps(events, "error")[0]["result"]["code"] == "unknown_tool"


def test_repeated_step_stops_in_code(
    agent: Agent, planner: fakes.ScriptedPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a planner that never stops re-planning the same call
    from agent.plan import Plan, PlanStep

    monkeypatch.setattr(
        planner, "plan", lambda inp: Plan(steps=[PlanStep(id="", tool="fake_search", args={"query": "x"})])
    )
    events = list(agent.stream("t-rep", "anything"))
    assert len(steps(events, "done")) == 1
    assert "repeated" in planner.responds[-1].note


def test_clarification_answers_without_steps(agent: Agent) -> None:
    events = list(agent.stream("t-q", "can you clarify?"))
    assert kinds(events) == ["token", "message", "done"]
    assert events[1].data["text"] == "Which facility?"


def test_planner_exception_is_an_error_event(
    agent: Agent, planner: fakes.ScriptedPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(inp):  # type: ignore[no-untyped-def]
        raise ValueError("planner bug")

    monkeypatch.setattr(planner, "plan", broken)
    events = list(agent.stream("t-pe", "hello"))
    err = [e for e in events if e.event == "error"]
    assert err[0].data["code"] == "planner_error" and "planner bug" not in err[0].data["message"]
    assert err[0].data["ref"].startswith("ERR-") and err[0].data["ref"] in err[0].data["message"]
    assert kinds(events)[-2:] == ["message", "done"]  # the thread stays usable


def test_text_while_approval_pending_is_refused(agent: Agent) -> None:
    list(agent.stream("t-p", HOLD))
    events = list(agent.stream("t-p", "something else"))
    assert kinds(events) == ["error", "done"]
    assert events[0].data["code"] == "approval_pending" and events[1].data["interrupted"] is True
    assert agent.pending_approval("t-p") is not None


@pytest.mark.parametrize(
    ("text", "decision", "code"),
    [
        (None, None, "invalid_request"),
        ("hi", Decision(action="approve"), "invalid_request"),
        ("   ", None, "empty_message"),
    ],
)
def test_invalid_requests(agent: Agent, text: str | None, decision: Decision | None, code: str) -> None:
    events = list(agent.stream("t-x", text, decision=decision))
    assert kinds(events) == ["error", "done"] and events[0].data["code"] == code
    assert agent.history("t-x") == []


def test_durable_thread_resumes_in_a_new_agent(settings: Settings) -> None:
    with Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY) as a1:
        list(a1.stream("t-dur", "first question"))
        list(a1.stream("t-dur", HOLD))
    p2 = fakes.ScriptedPlanner()
    with Agent(settings, planner=p2, today=TODAY) as a2:
        assert a2.pending_approval("t-dur")["action"] == "fake_hold"
        hist = a2.history("t-dur")
        assert [(m["role"], m["text"]) for m in hist] == [
            ("user", "first question"),
            ("assistant", "Results: fake_search:ok."),
            ("user", HOLD),
        ]
        assert all(m["ts"] for m in hist)
        events = list(a2.stream("t-dur", decision=Decision(action="approve")))
        assert steps(events, "done")[0]["tool"] == "fake_hold"
        # the new process's planner saw turn 1's results as history
        assert [r.tool for r in p2.plans[-1].history] == ["fake_search"]
        assert p2.plans[-1].turn == 2
        assert "t-dur" in a2.threads()


def test_threads_most_recent_first(agent: Agent) -> None:
    list(agent.stream("t-old", "a"))
    list(agent.stream("t-new", "b"))
    ids = agent.threads()
    assert ids.index("t-new") < ids.index("t-old")


def test_language_follows_the_question_or_the_override(agent: Agent, planner: fakes.ScriptedPlanner) -> None:
    events = list(agent.stream("t-zh", "查找储能相关成果"))
    assert next(e for e in events if e.event == "message").data["lang"] == "zh"
    assert planner.plans[-1].lang == "zh"
    events = list(agent.stream("t-zh", "查找储能相关成果", lang="en"))
    assert next(e for e in events if e.event == "message").data["lang"] == "en"


def test_today_and_step_budget_reach_the_planner(agent: Agent, planner: fakes.ScriptedPlanner) -> None:
    list(agent.stream("t-today", "three things"))
    assert planner.plans[0].today == TODAY.isoformat()
    assert [p.steps_left for p in planner.plans] == [8, 7, 6, 5]


def test_astream_yields_the_same_events(agent: Agent) -> None:
    async def collect() -> list[Event]:
        return [ev async for ev in agent.astream("t-async", "three things")]

    events = asyncio.run(collect())
    assert kinds(events)[0] == "plan" and kinds(events)[-1] == "done"
    assert len(steps(events, "done")) == 3


# the data keys of each event kind, as documented in agent/events.py
SHAPES = {
    "plan": ({"steps", "note"}, set()),
    "step": ({"step_id", "tool", "status", "summary"}, {"result"}),
    "approval": ({"step_id", "action", "args", "quote", "summary"}, set()),
    "token": ({"text"}, set()),
    "message": ({"text", "lang", "citations", "artifacts"}, set()),
    "error": ({"message", "code"}, set()),
    "done": ({"thread_id", "interrupted"}, set()),
}


def test_event_shapes_through_an_approval_flow(agent: Agent) -> None:
    events = list(agent.stream("t-shape", HOLD))
    events += list(agent.stream("t-shape", decision=Decision(action="approve")))
    events += list(agent.stream("t-shape", decision=Decision(action="approve")))  # -> error
    seen = set()
    for ev in events:
        required, optional = SHAPES[ev.event]
        keys = set(ev.data)
        assert required <= keys <= required | optional, (ev.event, keys)
        seen.add(ev.event)
        if ev.event == "step":
            assert ev.data["status"] in ("started", "done", "error")
            assert ("result" in ev.data) == (ev.data["status"] != "started")
        if ev.event == "plan":
            for s in ev.data["steps"]:
                assert set(s) == {"id", "tool", "args", "summary"}
    assert seen == set(SHAPES)
    # the whole stream is JSON-serialisable (SSE and --json depend on it)
    import json

    json.dumps([e.model_dump(mode="json") for e in events], ensure_ascii=False)


def test_a_rejected_write_is_not_asked_again(
    agent: Agent, planner: fakes.ScriptedPlanner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a planner that keeps proposing the hold the user just rejected
    from agent.plan import Plan, PlanStep

    hold = PlanStep(
        id="", tool="fake_hold", args={"facility_id": "FAC-1", "start": "2026-12-01", "end": "2026-12-02"}
    )
    monkeypatch.setattr(planner, "plan", lambda inp: Plan(steps=[hold]))
    first = list(agent.stream("t-rr", "hold it"))
    assert first[-1].data["interrupted"] is True
    events = list(agent.stream("t-rr", decision=Decision(action="reject")))
    assert "approval" not in kinds(events)
    assert events[-1].data["interrupted"] is False and kinds(events)[-2] == "message"


@pytest.mark.parametrize("reply", ["7", "ACH-0010", "2027-03-01", "BK-3F9A1C2E"])
def test_a_reply_without_words_keeps_the_threads_language(agent: Agent, reply: str) -> None:
    # QA: answering a Chinese clarifying question with "7" switched the conversation to English.
    list(agent.stream("t-keep", "查找储能相关成果"))
    events = list(agent.stream("t-keep", reply))
    assert next(e for e in events if e.event == "message").data["lang"] == "zh"


def test_an_english_sentence_still_switches_to_english(agent: Agent) -> None:
    list(agent.stream("t-switch", "查找储能相关成果"))
    events = list(agent.stream("t-switch", "search storage achievements"))
    assert next(e for e in events if e.event == "message").data["lang"] == "en"


def _checkpoint_rows(settings: Settings, thread: str) -> tuple[int, int]:
    import sqlite3

    con = sqlite3.connect(settings.data_dir / "checkpoints.db")
    try:
        n_cp = con.execute("SELECT count(*) FROM checkpoints WHERE thread_id = ?", (thread,)).fetchone()[0]
        n_w = con.execute(
            "SELECT count(DISTINCT checkpoint_id) FROM writes WHERE thread_id = ?", (thread,)
        ).fetchone()[0]
    finally:
        con.close()
    return int(n_cp), int(n_w)


def test_old_checkpoints_are_pruned_and_the_thread_still_resumes(settings: Settings) -> None:
    with Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY) as a1:
        for i in range(4):
            list(a1.stream("t-prune", f"question {i}"))
        list(a1.stream("t-prune", HOLD))
        list(a1.stream("t-other", "question"))
        n_cp, n_w = _checkpoint_rows(settings, "t-prune")
        assert n_cp == 2 and n_w <= 2  # ~10 per turn without pruning
        assert _checkpoint_rows(settings, "t-other")[0] == 2  # each thread keeps its own
    with Agent(settings, planner=fakes.ScriptedPlanner(), today=TODAY) as a2:
        assert a2.pending_approval("t-prune")["action"] == "fake_hold"
        assert len(a2.history("t-prune")) == 9  # 4 questions and answers, then the hold request
        events = list(a2.stream("t-prune", decision=Decision(action="approve")))
        assert steps(events, "done")[0]["tool"] == "fake_hold"
        assert len(fakes.holds(settings)) == 1


def test_history_keeps_the_last_turns_and_older_booking_writes() -> None:
    from agent.graph import trim_history

    history = [{"turn": t, "tool": "fake_search", "step_id": f"t{t}-s1"} for t in range(1, 9)]
    history.insert(1, {"turn": 1, "tool": "hold_slot", "step_id": "t1-s2"})
    kept = trim_history(history, turns=3)
    assert [r["step_id"] for r in kept] == ["t1-s2", "t6-s1", "t7-s1", "t8-s1"]
    assert trim_history(history[:2], turns=3) == history[:2]
