"""find_facilities, check_availability and the WRITE booking tools through the registry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import tools.registry  # noqa: F401
from knowledge.bookings import BookingStore
from tests.tools.fakes import NOW, TODAY
from tools.base import REGISTRY, ToolContext, ToolError
from tools.booking import BookingView
from tools.facilities import CheckAvailabilityOutput, FindFacilitiesOutput


def run(name: str, args: dict[str, object], ctx: ToolContext) -> object:
    return REGISTRY[name].run(args, ctx)


def test_find_facilities_filters(make_ctx: Callable[..., ToolContext]) -> None:
    ctx = make_ctx()
    out = run("find_facilities", {"process": "coating"}, ctx)
    assert isinstance(out, FindFacilitiesOutput) and [f.id for f in out.facilities] == ["FAC-T1"]
    out = run("find_facilities", {"region": "广东"}, ctx)
    assert isinstance(out, FindFacilitiesOutput) and [f.id for f in out.facilities] == ["FAC-T2"]
    out = run("find_facilities", {"certification": "cnas", "domain": "new_energy"}, ctx)
    assert isinstance(out, FindFacilitiesOutput) and [f.id for f in out.facilities] == ["FAC-T1"]
    out = run("find_facilities", {"kind": "lab"}, ctx)
    assert isinstance(out, FindFacilitiesOutput) and out.facilities == []
    # No exact process name: ranked by similarity, with a note saying so.
    out = run("find_facilities", {"process": "电解槽耐久性测试"}, make_ctx(lang="zh"))
    assert isinstance(out, FindFacilitiesOutput) and out.facilities[0].id == "FAC-T2" and "相似度" in out.note


def test_check_availability_lead_time_and_quote(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    ctx = make_ctx()
    # FAC-T1: lead time 7 days, min 3 days, RMB 20,000/day. Confirmed booking days 7..12 from today.
    store.hold("FAC-T1", TODAY + timedelta(days=7), TODAY + timedelta(days=12), "x", now=NOW)
    out = run(
        "check_availability",
        {"facility_id": "FAC-T1", "days": 2, "latest_end": str(TODAY + timedelta(days=60))},
        ctx,
    )
    assert isinstance(out, CheckAvailabilityOutput)
    r = out.results[0]
    assert r.days == 3 and r.earliest_allowed_start == TODAY + timedelta(days=7)
    assert r.windows[0].start == TODAY + timedelta(days=12)  # right after the hold (end exclusive)
    assert r.quote_cny == 60_000 and r.windows[0].quote_cny == 60_000
    assert "3" in r.note
    assert out.first_available_facility == "FAC-T1"


def test_check_availability_all_facilities_and_next_window(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    ctx = make_ctx()
    store.hold("FAC-T2", TODAY, TODAY + timedelta(days=30), "x", now=NOW)
    store.confirm(store.list("FAC-T2")[0].reference, now=NOW)
    out = run("check_availability", {"days": 5, "latest_end": str(TODAY + timedelta(days=20))}, ctx)
    assert isinstance(out, CheckAvailabilityOutput)
    by_id = {r.facility_id: r for r in out.results}
    assert set(by_id) == {"FAC-T1", "FAC-T2"}
    assert by_id["FAC-T2"].windows == []
    assert by_id["FAC-T2"].next_window is not None and by_id["FAC-T2"].next_window.start == TODAY + timedelta(
        days=30
    )
    assert by_id["FAC-T1"].windows and out.first_available_facility == "FAC-T1"


def test_expired_hold_does_not_block_availability(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    store.hold(
        "FAC-T2",
        TODAY + timedelta(days=1),
        TODAY + timedelta(days=10),
        "x",
        hold_days=1,
        now=NOW - timedelta(days=2),
    )
    out = run(
        "check_availability",
        {"facility_id": "FAC-T2", "days": 3, "earliest_start": str(TODAY + timedelta(days=1))},
        make_ctx(),
    )
    assert isinstance(out, CheckAvailabilityOutput)
    assert out.results[0].windows[0].start == TODAY + timedelta(days=1)


def test_check_availability_errors(make_ctx: Callable[..., ToolContext]) -> None:
    past = run(
        "check_availability",
        {"facility_id": "FAC-T1", "days": 2, "earliest_start": "2026-01-01"},
        make_ctx(lang="zh"),
    )
    assert isinstance(past, ToolError) and past.code == "past_dates" and "今天" in past.message
    inv = run(
        "check_availability",
        {"facility_id": "FAC-T1", "days": 2, "earliest_start": "2027-03-01", "latest_end": "2027-02-01"},
        make_ctx(),
    )
    assert isinstance(inv, ToolError) and inv.code == "invalid_dates"
    unknown = run("check_availability", {"facility_id": "FAC-NOPE", "days": 2}, make_ctx())
    assert isinstance(unknown, ToolError) and unknown.code == "unknown_id"
    none = run("check_availability", {"days": 2, "kind": "lab"}, make_ctx())
    assert isinstance(none, ToolError) and none.code == "no_window"


def test_hold_confirm_release_flow(make_ctx: Callable[..., ToolContext]) -> None:
    start = TODAY + timedelta(days=10)
    held = run(
        "hold_slot",
        {"facility_id": "FAC-T1", "start": str(start), "days": 4, "holder": "ORG-B1"},
        make_ctx(step="s1"),
    )
    assert isinstance(held, BookingView)
    assert held.status == "held" and held.end == start + timedelta(days=4) and held.quote_cny == 80_000
    assert held.expires_at is not None and held.expires_at.date() == date(2026, 11, 29)
    # Retry of the same step returns the same booking.
    again = run(
        "hold_slot",
        {"facility_id": "FAC-T1", "start": str(start), "days": 4, "holder": "ORG-B1"},
        make_ctx(step="s1"),
    )
    assert isinstance(again, BookingView) and again.reference == held.reference
    # Another step asking for an overlapping window conflicts and learns the next free window.
    clash = run(
        "hold_slot",
        {"facility_id": "FAC-T1", "start": str(start + timedelta(days=2)), "days": 3},
        make_ctx(step="s2"),
    )
    assert isinstance(clash, ToolError) and clash.code == "conflict"
    assert clash.details["next_window"]["start"] == str(start + timedelta(days=4))
    conf = run("confirm_booking", {"reference": held.reference}, make_ctx(step="s3", lang="zh"))
    assert isinstance(conf, BookingView) and conf.status == "confirmed" and "已确认" in conf.summary
    rel = run("release_hold", {"reference": held.reference}, make_ctx(step="s4"))
    assert isinstance(rel, ToolError) and rel.code == "invalid_state"
    missing = run("release_hold", {"reference": "BK-NOPE"}, make_ctx(step="s5"))
    assert isinstance(missing, ToolError) and missing.code == "not_found"


def test_hold_slot_validation(make_ctx: Callable[..., ToolContext]) -> None:
    ctx = make_ctx()
    lead = run(
        "hold_slot", {"facility_id": "FAC-T1", "start": str(TODAY + timedelta(days=2)), "days": 3}, ctx
    )
    assert (
        isinstance(lead, ToolError)
        and lead.code == "lead_time"
        and lead.details["earliest_start"] == str(TODAY + timedelta(days=7))
    )
    short = run(
        "hold_slot", {"facility_id": "FAC-T1", "start": str(TODAY + timedelta(days=9)), "days": 2}, ctx
    )
    assert isinstance(short, ToolError) and short.code == "min_days"
    past = run("hold_slot", {"facility_id": "FAC-T2", "start": "2026-11-01", "days": 2}, ctx)
    assert isinstance(past, ToolError) and past.code == "past_dates"
    inv = run("hold_slot", {"facility_id": "FAC-T2", "start": "2027-01-10", "end": "2027-01-10"}, ctx)
    assert isinstance(inv, ToolError) and inv.code == "invalid_dates"
    both = run("hold_slot", {"facility_id": "FAC-T2", "start": "2027-01-10"}, ctx)
    assert isinstance(both, ToolError) and both.code == "invalid_args"
    unknown = run("hold_slot", {"facility_id": "FAC-X", "start": "2027-01-10", "days": 2}, ctx)
    assert isinstance(unknown, ToolError) and unknown.code == "unknown_id"


def test_expired_hold_cannot_be_confirmed(make_ctx: Callable[..., ToolContext], store: BookingStore) -> None:
    row = store.hold(
        "FAC-T2",
        TODAY + timedelta(days=3),
        TODAY + timedelta(days=5),
        "x",
        hold_days=1,
        now=NOW - timedelta(days=3),
    )
    out = run("confirm_booking", {"reference": row.reference}, make_ctx())
    assert isinstance(out, ToolError) and out.code == "expired"


def test_list_bookings_by_reference_and_by_facility(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    from tools.booking import ListBookingsOutput

    past = store.hold("FAC-T1", TODAY - timedelta(days=20), TODAY - timedelta(days=15), "old", now=NOW)
    start = TODAY + timedelta(days=10)
    held = run("hold_slot", {"facility_id": "FAC-T1", "start": str(start), "days": 4}, make_ctx(step="l1"))
    assert isinstance(held, BookingView)
    out = run("list_bookings", {"references": [held.reference.lower(), "BK-NOPE"]}, make_ctx(lang="zh"))
    assert isinstance(out, ListBookingsOutput)
    assert [b.reference for b in out.bookings] == [held.reference] and out.missing == ["BK-NOPE"]
    view = out.bookings[0]
    assert (view.status, view.days, view.quote_cny) == ("held", 4, 80_000.0) and "已暂留" in view.summary
    upcoming = run("list_bookings", {"facility_id": "FAC-T1"}, make_ctx())
    assert isinstance(upcoming, ListBookingsOutput) and [b.reference for b in upcoming.bookings] == [
        held.reference
    ]
    assert all(b.holder == "" for b in upcoming.bookings)  # other parties' names are not shown
    every = run("list_bookings", {"facility_id": "FAC-T1", "include_past": True}, make_ctx())
    assert isinstance(every, ListBookingsOutput)
    assert {b.reference for b in every.bookings} == {past.reference, held.reference}
    empty = run("list_bookings", {"references": []}, make_ctx())
    assert isinstance(empty, ListBookingsOutput) and empty.bookings == []
    bad = run("list_bookings", {"facility_id": "FAC-NOPE"}, make_ctx())
    assert isinstance(bad, ToolError) and bad.code == "unknown_id"
    backwards = run("list_bookings", {"start": str(start), "end": str(TODAY)}, make_ctx())
    assert isinstance(backwards, ToolError) and backwards.code == "invalid_args"


def test_list_bookings_without_a_selector_lists_this_conversations_bookings(
    make_ctx: Callable[..., ToolContext], store: BookingStore
) -> None:
    from tools.booking import ListBookingsOutput

    def refs(args: dict[str, object], thread: str = "t1", lang: str = "en") -> list[str]:
        out = run("list_bookings", args, make_ctx(thread=thread, lang=lang))
        assert isinstance(out, ListBookingsOutput)
        return [b.reference for b in out.bookings]

    assert refs({}) == []  # nothing placed yet: an empty answer, not an error
    jan = run(
        "hold_slot",
        {"facility_id": "FAC-T1", "start": str(TODAY + timedelta(days=10)), "days": 4},
        make_ctx(step="a"),
    )
    mar = run(
        "hold_slot",
        {"facility_id": "FAC-T2", "start": str(TODAY + timedelta(days=70)), "days": 5},
        make_ctx(step="b"),
    )
    other = run(
        "hold_slot",
        {"facility_id": "FAC-T1", "start": str(TODAY + timedelta(days=30)), "days": 4},
        make_ctx(step="c", thread="t2"),
    )
    assert isinstance(jan, BookingView) and isinstance(mar, BookingView) and isinstance(other, BookingView)
    store.confirm(mar.reference, now=NOW)
    assert sorted(refs({})) == sorted([jan.reference, mar.reference])  # not the other conversation's
    assert refs({}, thread="t2", lang="zh") == [other.reference]
    assert refs({"statuses": ["confirmed"]}) == [mar.reference]
    assert refs({"statuses": ["held", "confirmed"], "end": str(TODAY + timedelta(days=40))}) == [
        jan.reference
    ]
    assert refs({"start": str(TODAY + timedelta(days=60))}) == [mar.reference]
    assert refs({"statuses": ["expired"]}) == []
    # The same filters over references.
    assert refs({"references": [jan.reference, mar.reference], "statuses": ["held"]}) == [jan.reference]
