"""A corpus message as the planner's input: the writers' conversation turned into typed planner state."""

from __future__ import annotations

from datetime import date

from agent.builtin.slots import extract_slots
from agent.frame import Frame
from agent.planner import Message, PlannerInput, StepResult
from agent.understanding.corpus import CorpusItem

TODAY = "2026-12-05"  # the writers' "today"
_JOB_TOOL = {"find_achievements": "find_achievements_for_need", "policy": "search_policies"}


def planner_input(item: CorpusItem) -> PlannerInput:
    """The conversation as the planner sees it: earlier user turns (with a placeholder reply) and the last
    turn's jobs as tool results of that turn (typed state), then this message."""
    messages: list[Message] = []
    for turn in item.context:
        messages += [Message(role="user", text=turn.user), Message(role="assistant", text="…")]
    messages.append(Message(role="user", text=item.text))
    turn_no = len(item.context)
    history = [
        StepResult(step_id=f"t{turn_no - 1}-s{k}", tool=_JOB_TOOL.get(j, j), turn=turn_no - 1, result={})
        for k, j in enumerate(item.context[-1].intents if item.context else [])
        if j not in ("help", "thanks")
    ]
    frame = Frame()
    if item.context:
        # The frame the previous turn left: its labelled jobs and the slots of its message.
        prev = item.context[-1]
        jobs: list[str] = [j for j in prev.intents if j not in ("help", "thanks")]
        frame = frame.advance(
            turn_no - 1,
            jobs,
            extract_slots(prev.user, date.fromisoformat(TODAY)),
            calendar=bool({"find_facilities", "check_availability", "hold_slot"} & set(jobs)),
            pending=None,
        )
    return PlannerInput(
        messages=messages, history=history, lang=item.lang, turn=turn_no, today=TODAY, frame=frame
    )
