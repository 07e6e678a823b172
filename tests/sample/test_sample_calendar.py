"""Booking calendars: no overlaps, full horizon, varied density, and the pinned FAC-0001 facts."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from itertools import pairwise

from knowledge.models import Booking


def _busy_days(bookings: list[Booking], facility_id: str) -> set[date]:
    days: set[date] = set()
    for b in bookings:
        if b.facility_id == facility_id and b.status == "confirmed":
            days.update(b.start + timedelta(days=i) for i in range(b.days))
    return days


def test_every_facility_has_a_calendar_through_2028(corpus) -> None:
    by_fac: dict[str, list[Booking]] = defaultdict(list)
    for b in corpus.bookings:
        by_fac[b.facility_id].append(b)
    assert set(by_fac) == {f.id for f in corpus.facilities}
    for fid, rows in by_fac.items():
        assert min(b.start for b in rows) >= date(2026, 1, 1), fid
        assert max(b.end for b in rows) >= date(2028, 11, 1), f"{fid} calendar stops early"
        assert max(b.end for b in rows) <= date(2029, 1, 1), fid


def test_no_two_bookings_of_one_facility_overlap(corpus) -> None:
    by_fac: dict[str, list[Booking]] = defaultdict(list)
    for b in corpus.bookings:
        by_fac[b.facility_id].append(b)
    for fid, rows in by_fac.items():
        rows.sort(key=lambda b: b.start)
        for prev, nxt in pairwise(rows):
            assert prev.end <= nxt.start, f"{fid}: {prev.reference} overlaps {nxt.reference}"


def test_references_holders_and_statuses(corpus) -> None:
    refs = [b.reference for b in corpus.bookings]
    assert len(set(refs)) == len(refs)
    names = {o.name for o in corpus.organisations}
    for b in corpus.bookings:
        m = re.fullmatch(r"BK-(\d{4})-(\d{4})", b.reference)
        assert m and int(m.group(1)) == b.start.year, b.reference
        assert b.holder in names, b.holder
        assert b.status in ("confirmed", "cancelled")
    confirmed = sum(b.status == "confirmed" for b in corpus.bookings)
    assert confirmed / len(corpus.bookings) >= 0.9


def test_density_varies_between_thirty_and_sixty_five_percent(corpus) -> None:
    horizon = (date(2029, 1, 1) - date(2026, 1, 1)).days
    densities = [len(_busy_days(corpus.bookings, f.id)) / horizon for f in corpus.facilities]
    assert min(densities) >= 0.25 and max(densities) <= 0.7, (min(densities), max(densities))
    assert max(densities) - min(densities) >= 0.15  # facilities differ


def test_some_facilities_are_fully_booked_for_whole_months(corpus) -> None:
    full = 0
    for f in corpus.facilities:
        busy = _busy_days(corpus.bookings, f.id)
        for year in (2026, 2027, 2028):
            for month in range(1, 13):
                first = date(year, month, 1)
                nxt = date(year + (month == 12), month % 12 + 1, 1)
                if all(first + timedelta(days=i) in busy for i in range((nxt - first).days)):
                    full += 1
    assert full >= 20


def test_fac_0001_busy_early_february_free_in_march_2027(corpus) -> None:
    busy = _busy_days(corpus.bookings, "FAC-0001")
    assert all(date(2027, 2, d) in busy for d in range(1, 15))
    march_window = [date(2027, 3, 1) + timedelta(days=i) for i in range(21)]
    assert not any(d in busy for d in march_window)
    # Earliest 5-day window (FAC-0001 min_days) on or after 2027-02-01.
    d = date(2027, 2, 1)
    while any((d + timedelta(days=i)) in busy for i in range(5)):
        d += timedelta(days=1)
    assert d == date(2027, 2, 26)
