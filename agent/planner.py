"""The planner interface shared by the builtin (rule-based) and LLM planners.

The graph calls `plan()` before every step with everything said and done so far, and
`respond()` once the plan says answer now (or the step budget is spent). Both planners return
the same typed `Plan`, so the loop, approvals and stopping stay in code.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from agent.events import Artifact, Citation
from agent.frame import Frame
from agent.plan import Plan


class Message(BaseModel):
    """One conversation message."""

    role: Literal["user", "assistant"]
    text: str


class StepResult(BaseModel):
    """A tool step already run (this turn or an earlier one)."""

    step_id: str
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    ok: bool = True
    result: dict[str, Any] = Field(
        default_factory=dict, description="The tool output (model_dump) or ToolError."
    )
    turn: int = Field(0, description="Index of the user turn that produced it.")
    approval: Literal["approved", "rejected", "edited"] | None = None


class PlannerInput(BaseModel):
    """What a planner sees."""

    messages: list[Message] = Field(default_factory=list, description="The whole conversation, oldest first.")
    results: list[StepResult] = Field(default_factory=list, description="Steps run in the current turn.")
    history: list[StepResult] = Field(
        default_factory=list, description="Steps from earlier turns (for references)."
    )
    lang: Literal["zh", "en"] = "en"
    steps_left: int = 8
    turn: int = 0
    today: str = Field(description="ISO date the planner treats as today (injected for determinism).")
    frame: Frame = Field(
        default_factory=Frame,
        description="The dialogue frame the previous turns left (typed, never re-parsed).",
    )


class RespondInput(PlannerInput):
    """What the responder sees: the planner input plus the final plan's note."""

    note: str = ""
    clarification: str | None = None


class Response(BaseModel):
    """The final answer of a turn."""

    text: str
    citations: list[Citation] = Field(default_factory=list)
    artifacts: list[Artifact] = Field(default_factory=list)


class Planner(Protocol):
    def plan(self, inp: PlannerInput) -> Plan: ...

    def respond(self, inp: RespondInput) -> Response: ...
