"""Moving the dates asked before (agent/builtin/shifts.py): "往后推一周", "push it back a week", "the week after"."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.dates import DateRange
from agent.builtin.planner import understand
from agent.builtin.shifts import Shift, find_shift, shifted
from agent.builtin.slots import extract_slots
from tests.agent.builtin.synth import inp


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("算了往后推一周", Shift(days=7)),
        ("那周不行的话往后顺延一周，直接占4天", Shift(days=7)),
        ("推迟两天吧", Shift(days=2)),
        ("提前一周行不行", Shift(days=-7)),
        ("往后推一个月看看", Shift(months=1)),
        ("can you push it back a week?", Shift(days=7)),
        ("postpone it by 3 days", Shift(days=3)),
        ("a week later then", Shift(days=7)),
        ("Actually move it to the week after", Shift(week_after=True)),
    ],
)
def test_shifts(text: str, want: Shift) -> None:
    assert find_shift(text) == want


@pytest.mark.parametrize(
    "text", ["hold it for a week", "往后推", "三周，从3月1号开始", "push it back to March 3"]
)
def test_no_shift(text: str) -> None:
    assert extract_slots(text, date(2026, 12, 5)).shift is None


@pytest.mark.parametrize(
    ("before", "shift", "after"),
    [
        # a range keeps its length
        (
            DateRange(start=date(2026, 12, 8), end=date(2026, 12, 11)),
            Shift(days=7),
            (date(2026, 12, 15), date(2026, 12, 18)),
        ),
        # a whole month is the next whole month
        (
            DateRange(start=date(2027, 2, 1), end=date(2027, 3, 1)),
            Shift(months=1),
            (date(2027, 3, 1), date(2027, 4, 1)),
        ),
        # the week after the one the stay starts in
        (DateRange(start=date(2027, 1, 25)), Shift(week_after=True), (date(2027, 2, 1), date(2027, 2, 8))),
    ],
)
def test_shifted(before: DateRange, shift: Shift, after: tuple[date, date]) -> None:
    r = shifted(before, shift)
    assert (r.start, r.end) == after


def test_the_planner_moves_the_last_window() -> None:
    u = understand(inp(["Is FAC-0001 free in February for 5 days?", "往后推一个月看看"]))
    assert u.slots.dates is not None
    assert (u.slots.dates.start, u.slots.dates.end) == (date(2027, 3, 1), date(2027, 4, 1))
