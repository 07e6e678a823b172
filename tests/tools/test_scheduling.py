"""The pure scheduler: hand cases and hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.scheduling import ScheduleError, free_windows, merge_intervals

D0 = date(2026, 11, 22)


def d(n: int) -> date:
    return D0 + timedelta(days=n)


def test_windows_fill_gaps_with_exclusive_ends() -> None:
    # Busy [d5, d10) and [d12, d20): a 2-day window fits exactly in the gap [d10, d12).
    busy = [(d(5), d(10)), (d(12), d(20))]
    s = free_windows(busy, today=D0, days=2, earliest_start=d(0), latest_end=d(30))
    assert [(w.start, w.end) for w in s.windows] == [(d(0), d(2)), (d(10), d(12)), (d(20), d(22))]
    assert s.windows[0].latest_start == d(3)  # d3..d5 still fits before the first booking
    assert s.windows[1].latest_start == d(10)
    assert s.windows[2].latest_start == d(28)  # must end by d30 (exclusive)


def test_lead_time_and_min_days() -> None:
    s = free_windows(
        [], today=D0, days=2, earliest_start=d(0), latest_end=d(30), min_days=5, lead_time_days=7
    )
    assert s.days == 5
    assert s.earliest_allowed_start == d(7)
    assert s.windows[0].start == d(7) and s.windows[0].end == d(12)


def test_next_window_when_range_is_full() -> None:
    busy = [(d(0), d(40))]
    s = free_windows(busy, today=D0, days=3, earliest_start=d(1), latest_end=d(20))
    assert s.windows == []
    assert s.next_window is not None and s.next_window.start == d(40) and s.next_window.end == d(43)


def test_past_and_invalid_dates() -> None:
    with pytest.raises(ScheduleError) as e1:
        free_windows([], today=D0, days=1, earliest_start=d(-1), latest_end=d(5))
    assert e1.value.code == "past_dates"
    with pytest.raises(ScheduleError) as e2:
        free_windows([], today=D0, days=1, earliest_start=d(5), latest_end=d(5))
    assert e2.value.code == "invalid_dates"


def test_merge_intervals() -> None:
    assert merge_intervals([(d(3), d(5)), (d(0), d(2)), (d(2), d(3)), (d(10), d(12))]) == [
        (d(0), d(5)),
        (d(10), d(12)),
    ]


intervals = st.lists(
    st.tuples(st.integers(0, 200), st.integers(1, 30)).map(lambda t: (d(t[0]), d(t[0] + t[1]))), max_size=12
)


@settings(max_examples=300, deadline=None)
@given(
    busy=intervals,
    days=st.integers(1, 20),
    min_days=st.integers(1, 10),
    lead=st.integers(0, 30),
    start_off=st.integers(0, 60),
    span=st.integers(1, 250),
    max_windows=st.integers(1, 10),
)
def test_windows_are_really_free(
    busy: list[tuple[date, date]],
    days: int,
    min_days: int,
    lead: int,
    start_off: int,
    span: int,
    max_windows: int,
) -> None:
    lo, hi = d(start_off), d(start_off + span)
    s = free_windows(
        busy,
        today=D0,
        days=days,
        earliest_start=lo,
        latest_end=hi,
        min_days=min_days,
        lead_time_days=lead,
        max_windows=max_windows,
    )
    length = max(days, min_days)
    assert s.days == length
    assert len(s.windows) <= max_windows
    for w in s.windows:
        assert (w.end - w.start).days == length == w.days
        assert w.start >= lo and w.end <= hi  # inside the range, end exclusive
        assert w.start >= D0 + timedelta(days=lead)  # lead time honoured
        assert w.latest_start >= w.start
        for bs, be in busy:
            # Half-open intervals: touching is fine, overlapping is not — for the earliest and the latest start.
            assert not (w.start < be and bs < w.end)
            late_end = w.latest_start + timedelta(days=length)
            assert not (w.latest_start < be and bs < late_end)
        assert w.latest_start + timedelta(days=length) <= hi
    for a, b in zip(s.windows, s.windows[1:], strict=False):
        assert a.end <= b.start  # windows do not overlap each other and come in order
    if not s.windows and s.next_window is not None:
        nw = s.next_window
        assert (nw.end - nw.start).days == length
        assert nw.start >= max(lo, D0 + timedelta(days=lead))
        assert all(not (nw.start < be and bs < nw.end) for bs, be in busy)


@settings(max_examples=200, deadline=None)
@given(busy=intervals, days=st.integers(1, 15), lead=st.integers(0, 20))
def test_first_window_is_the_earliest_possible(busy: list[tuple[date, date]], days: int, lead: int) -> None:
    """Brute force: no start earlier than the first returned window would fit."""
    lo, hi = d(0), d(260)
    s = free_windows(busy, today=D0, days=days, earliest_start=lo, latest_end=hi, lead_time_days=lead)
    first_ok = None
    for off in range(lead, 260 - days + 1):
        st_, en = d(off), d(off + days)
        if all(not (st_ < be and bs < en) for bs, be in busy):
            first_ok = st_
            break
    if first_ok is None:
        assert s.windows == []
    else:
        assert s.windows and s.windows[0].start == first_ok
