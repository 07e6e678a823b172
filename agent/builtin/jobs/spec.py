"""What a job is: its tools, the slots it needs, its clarifying questions, how it builds its steps
and how it renders its results."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.builtin.chain import Chain
    from agent.builtin.intents import Intent
    from agent.builtin.render import Out
    from agent.planner import StepResult


@dataclass(frozen=True)
class RenderContext:
    """What a job's answer section may look at besides its own result."""

    results: list[StepResult]  # this turn's results, in order
    jobs: list[Intent]  # this message's jobs (help / thanks left out)
    text: str  # the user's message


@dataclass(frozen=True)
class JobSpec:
    """One job of the builtin planner (see docs/builtin-planner.md)."""

    name: str
    intents: tuple[str, ...]  # the intents (agent/builtin/intents.py) this job serves
    tools: tuple[str, ...]  # the tools its steps call; their results are rendered by `render`
    required_slots: tuple[str, ...]  # frame slots (agent/frame.py MissingSlot) it asks for when missing
    question_keys: tuple[str, ...]  # its clarifying questions (texts.py keys, mapped in QUESTION_SLOTS)
    build: Callable[[Chain, Intent, list[Intent]], None]  # adds its steps to the chain
    render: Callable[[Out, StepResult, RenderContext], None]  # one answer section per result
    once: bool = False  # built once per message however many of its intents the message has
    frame_calendar: bool = False  # leaves its slots as the frame's calendar request (agent/frame.py)
