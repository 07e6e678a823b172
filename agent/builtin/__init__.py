"""The builtin planner: deterministic, rule-based, bilingual (zh/en); the default when no model is set."""

from agent.builtin.planner import BuiltinPlanner

__all__ = ["BuiltinPlanner"]
