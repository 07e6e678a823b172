"""Pure calendar logic: free windows of N days between busy intervals.

No store, no clock: callers pass the live bookings, the facility's rules and `today`. All
intervals are half-open `[start, end)` (end exclusive), like bookings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel, Field

# How far past the requested range we look for "the earliest later window".
LOOKAHEAD_DAYS = 3 * 365


class ScheduleError(ValueError):
    """Invalid scheduling input; `code` is the tool error code (past_dates, invalid_dates, invalid_args)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class Window(BaseModel):
    """A free window `[start, end)`; any start up to `latest_start` also fits in the same gap."""

    start: date
    end: date = Field(description="Exclusive.")
    days: int
    latest_start: date = Field(description="Latest start in the same free gap that still fits the range.")


class Schedule(BaseModel):
    """Free windows found for one facility."""

    days: int = Field(description="Window length used: max(requested days, facility min_days).")
    earliest_allowed_start: date = Field(description="max(earliest_start, today + lead_time_days).")
    windows: list[Window] = Field(default_factory=list)
    next_window: Window | None = Field(
        None, description="Earliest window after the range when none fits in it."
    )


def merge_intervals(busy: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Sort and merge overlapping or touching half-open intervals."""
    out: list[tuple[date, date]] = []
    for s, e in sorted(busy):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            if e > out[-1][1]:
                out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _scan(merged: list[tuple[date, date]], lo: date, hi: date, days: int, limit: int) -> list[Window]:
    """First-fit windows, one per free gap, inside [lo, hi)."""
    span = timedelta(days=days)
    found: list[Window] = []
    cursor = lo
    for s, e in merged:
        if e <= cursor:
            continue
        gap_end = min(s, hi)
        if gap_end - cursor >= span:
            found.append(Window(start=cursor, end=cursor + span, days=days, latest_start=gap_end - span))
            if len(found) >= limit:
                return found
        cursor = max(cursor, e)
        if cursor >= hi:
            return found
    if hi - cursor >= span:
        found.append(Window(start=cursor, end=cursor + span, days=days, latest_start=hi - span))
    return found


def validate_range(today: date, earliest_start: date | None, latest_end: date | None) -> None:
    """Raise ScheduleError for dates in the past or an empty range."""
    if earliest_start is not None and earliest_start < today:
        raise ScheduleError("past_dates", f"earliest_start {earliest_start} is before today {today}")
    if latest_end is not None and latest_end <= today:
        raise ScheduleError("past_dates", f"latest_end {latest_end} is not after today {today}")
    if earliest_start is not None and latest_end is not None and latest_end <= earliest_start:
        raise ScheduleError(
            "invalid_dates", f"latest_end {latest_end} must be after earliest_start {earliest_start}"
        )


def free_windows(
    busy: Iterable[tuple[date, date]],
    *,
    today: date,
    days: int,
    earliest_start: date | None = None,
    latest_end: date | None = None,
    min_days: int = 1,
    lead_time_days: int = 0,
    max_windows: int = 5,
    default_range_days: int = 180,
) -> Schedule:
    """Free windows of `max(days, min_days)` days within [earliest_start, latest_end).

    No window starts before today + lead_time_days; windows never overlap a busy interval or
    each other (at most one per free gap, starting as early as possible). When none fits, the
    earliest window after the range (within LOOKAHEAD_DAYS) is returned as `next_window`.
    """
    if days < 1:
        raise ScheduleError("invalid_args", f"days must be at least 1, got {days}")
    validate_range(today, earliest_start, latest_end)
    length = max(days, min_days)
    start0 = earliest_start or today
    lo = max(start0, today + timedelta(days=lead_time_days))
    hi = latest_end or (start0 + timedelta(days=default_range_days))
    merged = merge_intervals(busy)
    windows = _scan(merged, lo, hi, length, max_windows) if hi > lo else []
    nxt: Window | None = None
    if not windows:
        later = _scan(merged, lo, max(hi, lo) + timedelta(days=LOOKAHEAD_DAYS), length, 1)
        nxt = later[0] if later else None
    return Schedule(days=length, earliest_allowed_start=lo, windows=windows, next_window=nxt)


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    """Half-open interval overlap."""
    return a_start < b_end and b_start < a_end
