"""What every tool shares: READ/WRITE tags, the run-time context, typed errors, the registry.

A tool is a plain typed function `fn(args: InputModel, ctx: ToolContext) -> OutputModel | ToolError`.
Expected failures (unknown id, no free window, dates in the past) are returned as `ToolError`
values the planner can act on; exceptions are reserved for bugs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from knowledge.config import Settings


class ToolKind(str, Enum):  # noqa: UP042 - str mixin kept for JSON-friendly values
    READ = "READ"
    WRITE = "WRITE"


class ToolError(BaseModel):
    """An expected failure, returned as a value."""

    ok: Literal[False] = False
    code: str = Field(
        description='Machine-readable, e.g. "unknown_id", "no_window", "past_dates", "invalid_args".'
    )
    message: str = Field(description="Human-readable, in the requested language.")
    details: dict[str, Any] = Field(default_factory=dict)


@dataclass
class ToolContext:
    """Run-time context handed to every tool call."""

    settings: Settings
    lang: Literal["zh", "en"] = "en"
    thread_id: str = "default"
    step_id: str = "s0"
    extra: dict[str, Any] = field(default_factory=dict)
    # Injected clock for deterministic runs (tests, evals); None means the real clock.
    today: date | None = None
    now: datetime | None = None

    def current_date(self) -> date:
        """The date the tools treat as today: ctx.today, else ctx.now, else settings.today, else the real date."""
        if self.today is not None:
            return self.today
        if self.now is not None:
            return self.now.date()
        return self.settings.today or date.today()

    def current_time(self) -> datetime:
        """The time the tools treat as now (timezone-aware); noon UTC of a pinned `today` when only that is set."""
        if self.now is not None:
            return self.now if self.now.tzinfo else self.now.replace(tzinfo=UTC)
        pinned = self.today or self.settings.today
        if pinned is not None:
            return datetime.combine(pinned, time(12, 0), UTC)
        return datetime.now(UTC)

    @property
    def idempotency_key(self) -> str:
        """Stable per (thread, step): a retried WRITE returns the first result."""
        return f"{self.thread_id}:{self.step_id}"


ToolFn = Callable[[Any, ToolContext], BaseModel]


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool: its name, READ/WRITE tag, input and output models and function."""

    name: str
    kind: ToolKind
    input_model: type[BaseModel]
    fn: ToolFn
    description: str

    def run(self, args: dict[str, Any], ctx: ToolContext) -> BaseModel:
        """Validate `args` and call the tool; invalid arguments come back as a ToolError."""
        try:
            parsed = self.input_model.model_validate(args)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'args'}: {e['msg']}" for e in exc.errors()
            )
            return ToolError(code="invalid_args", message=problems, details={"tool": self.name})
        return self.fn(parsed, ctx)


REGISTRY: dict[str, ToolSpec] = {}


def tool(kind: ToolKind, input_model: type[BaseModel]) -> Callable[[ToolFn], ToolFn]:
    """Register `fn` as a tool; its docstring is its description (arguments and allowed values)."""

    def register(fn: ToolFn) -> ToolFn:
        REGISTRY[fn.__name__] = ToolSpec(
            name=fn.__name__,
            kind=kind,
            input_model=input_model,
            fn=fn,
            description=(fn.__doc__ or "").strip(),
        )
        return fn

    return register
