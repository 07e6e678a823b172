"""The builtin planner's jobs, one module each: tools, required slots, clarifying questions, plan
building and answer rendering. Adding a job: a module with a `SPEC`, listed here."""

from __future__ import annotations

from agent.builtin.jobs import bookings, calendar, needs, partners, policy, record, search, term_sheet
from agent.builtin.jobs.spec import JobSpec, RenderContext

JOBS: dict[str, JobSpec] = {
    m.SPEC.name: m.SPEC for m in (partners, needs, search, calendar, bookings, term_sheet, policy, record)
}
"""Jobs by name, in the order the docs list them."""

BY_INTENT: dict[str, JobSpec] = {i: spec for spec in JOBS.values() for i in spec.intents}
BY_TOOL: dict[str, JobSpec] = {tool: spec for spec in JOBS.values() for tool in spec.tools}

__all__ = ["BY_INTENT", "BY_TOOL", "JOBS", "JobSpec", "RenderContext"]
