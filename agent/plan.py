"""The typed Plan both planners (builtin and LLM) produce."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from agent.frame import Frame


class PlanStep(BaseModel):
    """One tool call the agent intends to make."""

    id: str = Field(description='Unique within the thread, e.g. "t1-s1"; also the idempotency key part.')
    tool: str = Field(description="A tool name from tools.base.REGISTRY.")
    args: dict[str, Any] = Field(default_factory=dict, description="Arguments for the tool's input model.")
    summary: str = Field("", description="One line for the user, in the reply language.")


class Plan(BaseModel):
    """What to do next: tool steps, a clarifying question, or answer now."""

    steps: list[PlanStep] = Field(default_factory=list, description="Remaining steps, in order.")
    clarification: str | None = Field(None, description="Ask the user this instead of acting.")
    answer_now: bool = Field(False, description="Enough results: compose the final answer.")
    lang: Literal["zh", "en"] = "en"
    note: str = Field("", description="What the planner understood or did not, for the user.")
    frame: Frame | None = Field(
        None,
        description="The dialogue frame after this turn (jobs, slots, pending question); kept by the graph.",
    )
