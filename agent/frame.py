"""The dialogue frame: what a conversation is working on, carried between turns as typed state.

A follow-up ("what about April?", "改成两周", "10" after "how many days?", "just the ones in Jiangsu")
fills this frame instead of re-reading earlier messages or our own rendered replies. The planner
reads the frame the previous turn left (`PlannerInput.frame`) and returns the frame of this turn with
its plan (`Plan.frame`); the graph keeps it in `State.frame` once the turn has answered.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from agent.builtin.slots import Slots

MissingSlot = Literal[
    "dates", "duration_days", "facility", "achievement", "booking_ref", "record", "need", "window"
]

# The clarifying question keys of agent/builtin/texts.py and the slot each one asks for.
QUESTION_SLOTS: dict[str, MissingSlot] = {
    "ask.hold_dates": "dates",
    "ask.invalid_date": "dates",
    "ask.reversed_dates": "dates",
    "ask.hold_days": "duration_days",
    "ask.zero_days": "duration_days",
    "ask.facility": "facility",
    "ask.achievement": "achievement",
    "ask.hold_ref": "booking_ref",
    "ask.record": "record",
    "ask.need": "need",
    "ask.no_such_window": "window",
    "ask.only_one_window": "window",
}


class PendingQuestion(BaseModel):
    """The clarifying question the last turn ended with."""

    key: str = Field(description='The question\'s text key, e.g. "ask.hold_days".')
    slot: MissingSlot = Field(description="The slot the answer fills.")
    jobs: list[str] = Field(default_factory=list, description="The jobs waiting for it.")


def _clean(slots: Slots) -> Slots:
    """Slots without character spans: spans point into one message and mean nothing in the next."""
    return slots.model_copy(update={"consumed": [], "details": [], "references": []})


class Frame(BaseModel):
    """The conversation's working state after a turn."""

    turn: int = Field(0, description="The user turn that last changed the frame.")
    jobs: list[str] = Field(
        default_factory=list, description="Jobs of the latest turn that asked for any, in the user's order."
    )
    slots: Slots = Field(default_factory=Slots, description="Their slots, follow-ups overlaid.")
    calendar: Slots | None = Field(
        None,
        description="Slots of the latest calendar request that gave dates or a length, so "
        '"改成两周" after a detour still means the March request.',
    )
    calendar_jobs: list[str] = Field(default_factory=list, description="The jobs of that calendar request.")
    pending: PendingQuestion | None = Field(None, description="The question we are waiting on, if any.")

    def advance(
        self, turn: int, jobs: list[str], slots: Slots, *, calendar: bool, pending: PendingQuestion | None
    ) -> Frame:
        """The frame after a turn with these jobs and slots (jobs empty: the turn only answered or chatted)."""
        clean = _clean(slots)
        upd: dict[str, object] = {"turn": turn, "pending": pending}
        if jobs:
            upd |= {"jobs": list(jobs), "slots": clean}
        if calendar and (clean.dates or clean.duration_days):
            upd |= {"calendar": clean, "calendar_jobs": list(jobs)}
        return self.model_copy(update=upd)


def overlay(base: Slots, new: Slots) -> Slots:
    """`base` with every slot the new message filled replaced by the new value."""
    filled = {
        k: getattr(new, k) for k in type(new).model_fields if getattr(new, k) not in (None, [], {}, False)
    }
    return base.model_copy(update=filled)
