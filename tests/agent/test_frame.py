"""The dialogue frame: follow-ups fill typed state carried by the graph, not re-read earlier text."""

from __future__ import annotations

from datetime import date

from agent.builtin import BuiltinPlanner
from agent.builtin.slots import Slots
from agent.frame import Frame, PendingQuestion, overlay
from agent.planner import Message, PlannerInput

TODAY = "2026-11-22"


def _plan(text: str, frame: Frame, turn: int = 2) -> tuple[list[str], Frame]:
    inp = PlannerInput(
        messages=[Message(role="user", text=text)], lang="en", turn=turn, today=TODAY, frame=frame
    )
    plan = BuiltinPlanner().plan(inp)
    assert plan.frame is not None
    return [s.tool for s in plan.steps], plan.frame


def test_a_bare_number_fills_the_pending_length_from_the_frame_alone() -> None:
    # Only the typed frame says what was asked: there is no earlier message in the input at all.
    frame = Frame(
        turn=1,
        jobs=["hold_slot"],
        slots=Slots(record_ids=["FAC-0001"]),
        pending=PendingQuestion(key="ask.hold_days", slot="duration_days", jobs=["hold_slot"]),
    )
    tools, after = _plan("10", frame)
    assert tools == ["check_availability", "hold_slot"]
    assert after.slots.duration_days == 10 and after.slots.record_ids == ["FAC-0001"]
    assert after.pending is None


def test_without_a_pending_question_a_bare_number_is_not_a_length() -> None:
    frame = Frame(turn=1, jobs=["hold_slot"], slots=Slots(record_ids=["FAC-0001"]))
    tools, after = _plan("10", frame)
    assert tools == []
    assert after.jobs == ["hold_slot"]  # nothing new asked: the frame keeps the work in progress


def test_a_clarifying_question_is_recorded_as_the_pending_slot() -> None:
    tools, after = _plan("Hold FAC-0001 in March", Frame(), turn=1)
    assert tools == []
    assert after.pending is not None and after.pending.slot == "duration_days"
    assert after.jobs == ["hold_slot"] and after.slots.record_ids == ["FAC-0001"]
    assert after.calendar is not None and after.calendar.dates is not None
    assert after.calendar.dates.start == date(2027, 3, 1)


def test_new_dates_overlay_the_frame_slots_and_keep_the_rest() -> None:
    frame = Frame(
        turn=1,
        jobs=["check_availability"],
        slots=Slots(record_ids=["FAC-0003"], duration_days=5),
    )
    tools, after = _plan("what about April?", frame)
    assert tools == ["check_availability"]
    assert after.slots.record_ids == ["FAC-0003"] and after.slots.duration_days == 5
    assert after.slots.dates is not None and after.slots.dates.start == date(2027, 4, 1)


def test_overlay_replaces_only_filled_slots() -> None:
    base = Slots(record_ids=["FAC-0001"], duration_days=21, regions=["Jiangsu"])
    merged = overlay(base, Slots(duration_days=14))
    assert (merged.record_ids, merged.duration_days, merged.regions) == (["FAC-0001"], 14, ["Jiangsu"])
