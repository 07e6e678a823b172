"""The run-time context of a graph run: which planner, which language, where the data lives.

Passed to `graph.stream(..., context=Context(...))` and read in nodes through
`langgraph.runtime.Runtime.context`. It is not checkpointed: a resumed thread uses the context of
the process that resumes it (e.g. another `--model`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.config import Settings, get_settings

if TYPE_CHECKING:
    from agent.planner import Planner


@dataclass
class Context:
    """Run dependencies. Missing values fall back to `knowledge.config.Settings` (env `CHENGGUO_*`)."""

    model: str = "builtin"
    """Planner/model id: "builtin" or a LangChain model id such as "openai:gpt-4.1-mini"."""
    lang: str | None = None
    """Forced reply language "zh"/"en"; None means the language of the user's message."""
    data_dir: Path | None = None
    """The data dir (database, index, outputs); None means `settings.data_dir`."""
    max_steps: int = 8
    """Upper bound on tool steps per turn; the loop stops in code when it is spent."""
    today: date = field(default_factory=date.today)
    """The date the planner and tools treat as today (injected so tests and evals are stable)."""
    settings: Settings | None = None
    """Full settings (endpoint URL, key, hold days); built from the environment when None."""
    planner: Planner | None = None
    """An already-built planner (tests, evals); built from `model` when None."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Passed through to `ToolContext.extra` for every tool call."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings | None = None,
        *,
        model: str | None = None,
        lang: str | None = None,
        max_steps: int | None = None,
        today: date | None = None,
        planner: Planner | None = None,
    ) -> Context:
        """A context from settings, with explicit arguments taking precedence."""
        s = settings or get_settings()
        return cls(
            model=model or s.model or "builtin",
            lang=lang or s.lang,
            data_dir=s.data_dir,
            max_steps=max_steps if max_steps is not None else s.max_steps,
            today=today or _settings_today(s) or date.today(),
            settings=s,
            planner=planner,
        )

    def resolved_settings(self) -> Settings:
        """The settings with `data_dir` overridden when the context names one."""
        s = self.settings or get_settings()
        if self.data_dir is not None and Path(self.data_dir) != s.data_dir:
            s = s.model_copy(update={"data_dir": Path(self.data_dir)})
        return s


def _settings_today(s: Settings) -> date | None:
    # `CHENGGUO_TODAY` pins the date for evals; tolerate settings objects without the field.
    value = getattr(s, "today", None)
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value)
    return None
