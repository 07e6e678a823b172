"""The builtin planner: deterministic, rule-based, bilingual (zh/en); the default when no model is set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.builtin.planner import BuiltinPlanner

__all__ = ["BuiltinPlanner"]


def __getattr__(name: str) -> Any:
    # Lazy: agent.plan carries the dialogue frame, whose slots live in this package, and the planner
    # (which also reads agent.understanding, itself reading agent.builtin.intents)
    # imports agent.plan; importing the planner eagerly here would make that a cycle.
    if name == "BuiltinPlanner":
        from agent.builtin.planner import BuiltinPlanner

        return BuiltinPlanner
    raise AttributeError(name)
