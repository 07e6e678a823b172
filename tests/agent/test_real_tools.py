"""The graph with the real WRITE tool (hold_slot) over the real BookingStore: approval, double
resume, a crash between approval and write, rejection. The knowledge base is a small in-memory
one over the bundled sample facilities (injected through ToolContext.extra), so no index is built.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from agent.events import Decision
from agent.plan import Plan, PlanStep
from agent.planner import PlannerInput, RespondInput, Response
from agent.runtime import Agent
from knowledge.bookings import BookingStore
from knowledge.config import Settings
from knowledge.models import Facility, Organisation
from tests.agent import fakes
from tests.agent.conftest import TODAY, kinds, steps
from tools.base import REGISTRY

SAMPLE = Path(__file__).resolve().parents[2] / "knowledge" / "sample" / "facilities.jsonl"
pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason="sample corpus not generated")


class SampleKB:
    """Just enough of KnowledgeBase for the calendar tools: facilities by id."""

    def __init__(self) -> None:
        lines = SAMPLE.read_text(encoding="utf-8").splitlines()
        self.facilities = {
            f.id: f for f in (Facility.model_validate(json.loads(ln)) for ln in lines if ln.strip())
        }

    def get(self, record_id: str) -> Facility | Organisation | None:
        return self.facilities.get(record_id) or _organisations().get(record_id)

    def records(self, kind: str) -> list[Any]:
        return list(self.facilities.values()) if kind == "facility" else []


def _organisations() -> dict[str, Organisation]:
    lines = (SAMPLE.parent / "organisations.jsonl").read_text(encoding="utf-8").splitlines()
    return {o.id: o for o in (Organisation.model_validate(json.loads(ln)) for ln in lines if ln.strip())}


class CalendarPlanner:
    """check_availability on one facility, then hold its first free window."""

    def __init__(self, facility_id: str, days: int, holder_id: str | None = None) -> None:
        self.facility_id = facility_id
        self.days = days
        self.holder_id = holder_id

    def plan(self, inp: PlannerInput) -> Plan:
        done = {r.tool: r for r in inp.results}
        if "check_availability" not in done:
            args = {"facility_id": self.facility_id, "days": self.days}
            return Plan(steps=[PlanStep(id="", tool="check_availability", args=args, summary="check")])
        if "hold_slot" not in done:
            first = done["check_availability"].result["first_available"]
            args = {"facility_id": self.facility_id, "start": first["start"], "days": self.days}
            if self.holder_id:
                args["holder_id"] = self.holder_id
            return Plan(steps=[PlanStep(id="", tool="hold_slot", args=args, summary="hold the first window")])
        return Plan(answer_now=True)

    def respond(self, inp: RespondInput) -> Response:
        return Response(
            text=" | ".join(
                f"{r.tool}:{r.result.get('reference') or r.result.get('code') or 'ok'}" for r in inp.results
            )
        )


@pytest.fixture()
def kb() -> SampleKB:
    import tools.registry  # noqa: F401  (registers hold_slot, check_availability)

    return SampleKB()


@pytest.fixture()
def facility(kb: SampleKB) -> Facility:
    return min(kb.facilities.values(), key=lambda f: (f.min_days, f.lead_time_days, f.id))


def make_agent(settings: Settings, kb: SampleKB, facility: Facility) -> Agent:
    return Agent(
        settings, planner=CalendarPlanner(facility.id, facility.min_days), today=TODAY, tool_extra={"kb": kb}
    )


def my_holds(settings: Settings, thread: str) -> list[Any]:
    with BookingStore(settings) as store:
        # read at the agent's pinned clock: a hold made "on" TODAY is live for hold_days after it
        now = datetime.combine(TODAY, time(12, 0), UTC)
        return [b for b in store.list(statuses=["held"], now=now) if b.holder == thread]


def test_hold_needs_approval_and_happens_once(settings: Settings, kb: SampleKB, facility: Facility) -> None:
    with make_agent(settings, kb, facility) as a:
        first = list(a.stream("rt-1", "hold"))
        assert first[-1].data["interrupted"] is True
        approval = next(e for e in first if e.event == "approval").data
        assert approval["action"] == "hold_slot" and approval["args"]["facility_id"] == facility.id
        assert approval["quote"]["total_cny"] == pytest.approx(facility.min_days * facility.daily_rate_cny)
        assert my_holds(settings, "rt-1") == []

        second = list(a.stream("rt-1", decision=Decision(action="approve")))
        ref = steps(second, "done")[0]["result"]["reference"]
        again = list(a.stream("rt-1", decision=Decision(action="approve")))
        assert kinds(again) == ["error", "done"]
    holds = my_holds(settings, "rt-1")
    assert [h.reference for h in holds] == [ref]
    h = holds[0]
    assert h.facility_id == facility.id and h.days == facility.min_days
    assert h.start >= TODAY + timedelta(days=facility.lead_time_days)


def test_approval_card_names_the_organisation(settings: Settings, kb: SampleKB, facility: Facility) -> None:
    org = _organisations()["ORG-0002"]
    planner = CalendarPlanner(facility.id, facility.min_days, holder_id="ORG-0002")
    with Agent(settings, planner=planner, today=TODAY, tool_extra={"kb": kb}) as a:
        first = list(a.stream("rt-org", "hold"))
        approval = next(e for e in first if e.event == "approval").data
        assert approval["holder"] == f"{org.name} (ORG-0002)"
        done = steps(list(a.stream("rt-org", decision=Decision(action="approve"))), "done")[0]["result"]
    assert (done["holder"], done["holder_id"], done["thread_id"]) == (org.name, "ORG-0002", "rt-org")
    with BookingStore(settings) as store:
        row = store.get(done["reference"])
        assert row is not None and (row.holder_id, row.thread_id) == ("ORG-0002", "rt-org")
        assert store.audit(done["reference"])[0].payload["holder_id"] == "ORG-0002"


def test_unknown_organisation_is_refused_before_approval(
    settings: Settings, kb: SampleKB, facility: Facility
) -> None:
    planner = CalendarPlanner(facility.id, facility.min_days, holder_id="ORG-9999")
    with Agent(settings, planner=planner, today=TODAY, tool_extra={"kb": kb}) as a:
        events = list(a.stream("rt-noorg", "hold"))
    assert not [e for e in events if e.event == "approval"]
    failed = steps(events, "error")
    assert [(f["tool"], f["result"]["code"]) for f in failed] == [("hold_slot", "unknown_org")]


def test_rejected_hold_writes_nothing(settings: Settings, kb: SampleKB, facility: Facility) -> None:
    with make_agent(settings, kb, facility) as a:
        list(a.stream("rt-2", "hold"))
        events = list(a.stream("rt-2", decision=Decision(action="reject")))
    assert next(e for e in events if e.event == "message").data["text"].endswith("hold_slot:rejected")
    assert my_holds(settings, "rt-2") == []


def test_edited_dates_are_held(settings: Settings, kb: SampleKB, facility: Facility) -> None:
    with make_agent(settings, kb, facility) as a:
        first = list(a.stream("rt-3", "hold"))
        planned = date.fromisoformat(next(e for e in first if e.event == "approval").data["args"]["start"])
        # a later start, same length: the user moved the window
        later = planned + timedelta(days=60)
        events = list(a.stream("rt-3", decision=Decision(action="edit", args={"start": later.isoformat()})))
    result = steps(events)[-1]["result"]
    holds = my_holds(settings, "rt-3")
    if result["ok"]:
        assert [(h.start, h.days) for h in holds] == [(later, facility.min_days)]
    else:  # the moved window happened to be taken: a typed conflict, nothing held
        assert result["code"] == "conflict" and holds == []


@pytest.fixture()
def crash_hold() -> Iterator[dict[str, bool]]:
    """Wrap the real hold_slot so it can 'kill the process' before or after its write."""
    spec = REGISTRY["hold_slot"]
    mode = {"before": False, "after": False}

    def wrapped(args: Any, ctx: Any) -> Any:
        if mode["before"]:
            mode["before"] = False
            raise fakes.Crash("killed before the write")
        out = spec.fn(args, ctx)
        if mode["after"]:
            mode["after"] = False
            raise fakes.Crash("killed after the write")
        return out

    REGISTRY["hold_slot"] = spec.__class__(spec.name, spec.kind, spec.input_model, wrapped, spec.description)
    yield mode
    REGISTRY["hold_slot"] = spec


@pytest.mark.parametrize("when", ["before", "after"])
def test_crash_between_approval_and_write_leaves_exactly_one_hold(
    settings: Settings, kb: SampleKB, facility: Facility, crash_hold: dict[str, bool], when: str
) -> None:
    a1 = make_agent(settings, kb, facility)
    list(a1.stream("rt-c", "hold"))
    crash_hold[when] = True
    with pytest.raises(fakes.Crash):
        list(a1.stream("rt-c", decision=Decision(action="approve")))
    assert len(my_holds(settings, "rt-c")) == (1 if when == "after" else 0)
    a1.close()

    with make_agent(settings, kb, facility) as a2:  # a new process on the same data dir
        events = list(a2.stream("rt-c", decision=Decision(action="approve")))
        assert events[-1].data["interrupted"] is False
        ref = steps(events, "done")[-1]["result"]["reference"]
        list(a2.stream("rt-c", decision=Decision(action="approve")))
    assert [h.reference for h in my_holds(settings, "rt-c")] == [ref]
