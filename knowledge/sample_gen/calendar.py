"""Existing booking calendars for every facility, 2026-01-01 through 2028-12-31.

Each facility gets its own occupancy (30-60%), one to three fully booked months (so "earliest
later window" logic has something to find) and a few cancelled bookings (which must not block).
FAC-0001's calendar around February-March 2027 is pinned for demos and tests.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from knowledge.models import Booking, Facility
from knowledge.sample_gen.drafts import OrgDraft

START = date(2026, 1, 1)
END = date(2029, 1, 1)  # exclusive: calendars run through 2028-12-31
_DAYS = (END - START).days

# facility -> (busy intervals, intervals that must stay free); ends exclusive.
PINNED: dict[str, tuple[list[tuple[date, date]], list[tuple[date, date]]]] = {
    "FAC-0001": (
        [
            (date(2027, 1, 11), date(2027, 2, 1)),
            (date(2027, 2, 1), date(2027, 2, 26)),
            (date(2027, 3, 29), date(2027, 4, 19)),
        ],
        [(date(2027, 2, 26), date(2027, 3, 29))],
    ),
}

FREE, BUSY, RESERVED = 0, 1, 2


def _idx(d: date) -> int:
    return (d - START).days


def _day(i: int) -> date:
    return START + timedelta(days=i)


def _months() -> list[tuple[date, date]]:
    out = []
    for year in (2026, 2027, 2028):
        for month in range(1, 13):
            first = date(year, month, 1)
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            out.append((first, nxt))
    return out


class _Occupancy:
    def __init__(self) -> None:
        self.days = bytearray(_DAYS)
        self.spans: list[tuple[int, int, str]] = []  # (start, end, kind) kind: pinned/blackout/random

    def free(self, s: int, e: int) -> bool:
        return all(v == FREE for v in self.days[s:e])

    def book(self, s: int, e: int, kind: str) -> None:
        for i in range(s, e):
            self.days[i] = BUSY
        self.spans.append((s, e, kind))

    def reserve(self, s: int, e: int) -> None:
        for i in range(s, e):
            self.days[i] = RESERVED


def _fill(rng: random.Random, occ: _Occupancy, fac: Facility, density: float) -> None:
    max_len = max(fac.min_days + 3, rng.choice((14, 21, 28, 35)))
    mean_len = (fac.min_days + max_len) / 2
    mean_gap = mean_len * (1 - density) / density
    cursor = rng.randint(0, 20)
    while cursor < _DAYS:
        start = cursor + rng.randint(0, max(1, int(2 * mean_gap)))
        if start >= _DAYS:
            break
        if occ.days[start] != FREE:
            cursor = start + 1
            continue
        end = min(start + rng.randint(fac.min_days, max_len), _DAYS)
        stop = start
        while stop < end and occ.days[stop] == FREE:
            stop += 1
        if stop - start >= fac.min_days:
            occ.book(start, stop, "random")
        cursor = stop


def build_calendar(rng: random.Random, facilities: list[Facility], orgs: list[OrgDraft]) -> list[Booking]:
    months = _months()
    drafts: list[tuple[str, int, int, str, str]] = []  # facility, start, end, status, holder
    for fac in facilities:
        occ = _Occupancy()
        busy, keep_free = PINNED.get(fac.id, ([], []))
        for free_from, free_to in keep_free:
            occ.reserve(_idx(free_from), _idx(free_to))
        for busy_from, busy_to in busy:
            occ.book(_idx(busy_from), _idx(busy_to), "pinned")
        for first, nxt in rng.sample(months, rng.choice((1, 1, 2, 3))):
            s, e = _idx(first), _idx(nxt)
            if not occ.free(s, e):
                continue
            # A fully booked month, sometimes as two back-to-back bookings by different users.
            if rng.random() < 0.5:
                occ.book(s, e, "blackout")
            else:
                cut = s + rng.randint(8, 20)
                occ.book(s, cut, "blackout")
                occ.book(cut, e, "blackout")
        _fill(rng, occ, fac, rng.uniform(0.33, 0.60))

        same_domain = [
            o
            for o in orgs
            if o.kind != "investor" and o.id != fac.owner_id and set(o.domains) & set(fac.domains)
        ]
        anyone = [o for o in orgs if o.kind != "investor" and o.id != fac.owner_id]
        for span_from, span_to, kind in sorted(occ.spans):
            pool = same_domain if same_domain and rng.random() < 0.75 else anyone
            status = "cancelled" if kind == "random" and rng.random() < 0.04 else "confirmed"
            drafts.append((fac.id, span_from, span_to, status, rng.choice(pool).name))

    # References number bookings per year in start order, like a booking office would.
    drafts.sort(key=lambda d: (d[1], d[0]))
    seq: dict[int, int] = {}
    out: list[Booking] = []
    for fid, day_from, day_to, status, holder in drafts:
        year = _day(day_from).year
        seq[year] = seq.get(year, 0) + 1
        out.append(
            Booking(
                facility_id=fid,
                start=_day(day_from),
                end=_day(day_to),
                status=status,
                holder=holder,
                reference=f"BK-{year}-{seq[year]:04d}",
            )
        )
    out.sort(key=lambda b: (b.facility_id, b.start))
    return out
