"""How an understood message becomes tool calls: lookups riding along, drafts on a search's top hit,
records described in words, owners' facilities, pronouns with nothing to point at."""

from __future__ import annotations

from datetime import date

from agent.builtin.intents import Intent
from agent.builtin.planner import _drop_riders, _synthetic
from agent.builtin.slots import extract_slots
from tests.agent.builtin.synth import drive
from tests.agent.builtin.test_planner import world

TODAY = date(2026, 11, 22)


def _names(intents: list[Intent]) -> list[str]:
    return [i.name for i in intents]


# --- a lookup next to another job ------------------------------------------------------------------


def test_lookup_of_a_named_record_stays_next_to_another_job() -> None:
    text = "Is FAC-0026 free in the second half of March? Need 6 days. And what's the daily rate?"
    jobs = [_synthetic("check_availability", text), _synthetic("get_record", text)]
    kept = _drop_riders(jobs, extract_slots(text, TODAY))
    assert _names(kept) == ["check_availability", "get_record"]


def test_lookup_without_a_named_record_is_still_dropped() -> None:
    text = "find partners for my sulfide electrolyte"
    jobs = [_synthetic("find_partners", text), _synthetic("get_record", text)]
    assert _names(_drop_riders(jobs, extract_slots(text, TODAY))) == ["find_partners"]


def test_lookup_next_to_a_draft_or_a_need_match_is_that_jobs_object() -> None:
    for job in ("draft_term_sheet", "find_achievements"):
        text = "draft a licence of ACH-0001 for ORG-0002"
        jobs = [_synthetic(job, text), _synthetic("get_record", text)]
        assert _names(_drop_riders(jobs, extract_slots(text, TODAY))) == [job]


def test_pointer_keeps_the_lookup_only_with_earlier_results() -> None:
    text = "find partners for it and tell me more about that one"
    jobs = [_synthetic("find_partners", text), _synthetic("get_record", text)]
    slots = extract_slots(text, TODAY)
    assert slots.pointers()
    assert _names(_drop_riders(jobs, slots, earlier=False)) == ["find_partners"]
    assert _names(_drop_riders(jobs, slots, earlier=True)) == ["find_partners", "get_record"]


def test_calendar_question_and_rate_of_a_named_facility_run_both() -> None:
    results, _, _ = drive(
        "Is FAC-0026 free in the second half of March? Need 6 days. And what's the daily rate?", world
    )
    assert {(r.tool, r.args.get("facility_id") or r.args.get("record_id")) for r in results} == {
        ("check_availability", "FAC-0026"),
        ("get_record", "FAC-0026"),
    }
