"""The graph state of one conversation thread, checkpointed after every node.

Values are plain JSON-like dicts and lists (pydantic models are dumped at node boundaries), so
checkpoints stay readable, portable between versions, and safe to deserialise.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, NotRequired, TypedDict


class ChatMessage(TypedDict):
    """One line of the conversation as stored in the state."""

    role: str
    """"user" or "assistant"."""
    text: str
    """The message text."""
    ts: str
    """ISO-8601 UTC timestamp of when the message was added."""
    status: NotRequired[str]
    """Only on the marker that closes a turn a crash or disconnect cut short: "interrupted"."""


class State(TypedDict, total=False):
    """Everything the graph remembers about a thread."""

    messages: Annotated[list[ChatMessage], operator.add]
    """The whole conversation, oldest first; nodes append, never rewrite."""

    turn: int
    """Index of the current user turn (1 for the first); part of generated step ids."""

    plan: dict[str, Any] | None
    """The latest `agent.plan.Plan` (dumped); its first step is the one `act` runs next."""

    last_plan_sig: str
    """Signature of the last plan announced in a `plan` event, so an unchanged re-plan stays quiet."""

    announced: list[dict[str, Any]]
    """Steps shown in this turn's `plan` events ({id, tool}), so the ones that never ran can be
    closed as "skipped" when the turn ends instead of staying listed as pending."""

    results: list[dict[str, Any]]
    """`agent.planner.StepResult` dumps of the steps run in the current turn, in order."""

    history: list[dict[str, Any]]
    """`StepResult` dumps of earlier turns (for references such as "the second one")."""

    pending: dict[str, Any] | None
    """The approval request awaiting a decision: {step_id, action, args, quote, summary}."""

    approved: dict[str, Any] | None
    """A granted approval the `act` node consumes: {step_id, args, approval: approved|edited}."""

    lang: str
    """Reply language of the current turn, "zh" or "en"."""

    steps_used: int
    """Tool steps spent in the current turn (approved, rejected or failed ones all count)."""

    note: str
    """Why the turn stopped when the code (not the planner) stopped it, e.g. the step budget."""

    frame: dict[str, Any] | None
    """The `agent.frame.Frame` (dumped) the last answered turn left: jobs, their slots, the pending
    question. The planner reads it for follow-ups instead of re-reading earlier messages."""

    turn_frame: dict[str, Any] | None
    """The frame the planner proposed during the current turn; becomes `frame` when the turn answers."""

    response: dict[str, Any] | None
    """The final `agent.planner.Response` of the last completed turn (text, citations, artifacts)."""
