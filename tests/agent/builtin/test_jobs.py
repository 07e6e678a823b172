"""The job registry: every job the planner can detect and every tool it can call has one job module."""

from __future__ import annotations

from typing import get_args

from agent.builtin.intents import IntentName
from agent.builtin.jobs import BY_INTENT, BY_TOOL, JOBS
from agent.frame import QUESTION_SLOTS


def test_every_intent_has_one_job() -> None:
    jobs = [n for n in get_args(IntentName) if n not in ("help", "thanks")]
    assert sorted(BY_INTENT) == sorted(jobs)
    assert sum(len(s.intents) for s in JOBS.values()) == len(BY_INTENT)


def test_tools_are_owned_by_one_job() -> None:
    assert sum(len(s.tools) for s in JOBS.values()) == len(BY_TOOL)
    assert set(BY_TOOL) >= {"find_partners", "check_availability", "hold_slot", "draft_term_sheet"}


def test_question_keys_fill_the_required_slots() -> None:
    asked = {k for s in JOBS.values() for k in s.question_keys}
    assert asked == set(QUESTION_SLOTS)
    for spec in JOBS.values():
        assert {QUESTION_SLOTS[k] for k in spec.question_keys} == set(spec.required_slots), spec.name
