"""The builtin planner: deterministic, rule-based, bilingual (zh/en); the default when no model is set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.builtin.planner import BuiltinPlanner

__all__ = ["BuiltinPlanner"]


def __getattr__(name: str) -> Any:
    # Lazy: agent.understanding reads agent.builtin.intents, and the planner reads agent.understanding.
    if name == "BuiltinPlanner":
        from agent.builtin.planner import BuiltinPlanner

        return BuiltinPlanner
    raise AttributeError(name)
