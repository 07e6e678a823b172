"""Moving the dates asked before: "往后推一周", "往后顺延一周", "推迟两天", "提前一周", "往后推一个月", "push it back a week",
"a week later", "move it to the week after". A shift has no dates of its own; the planner applies it to the
previous calendar request's window (`shifted`), as the corpus labels it (the window moved).

"the week after" is the calendar week after the one the stay started in ("1月25号开始四天" → the week of Feb 1);
a whole month moved by a month is the next whole month ("二月份" → March).
"""

from __future__ import annotations

import re
from datetime import timedelta

from pydantic import BaseModel, ConfigDict

from agent.builtin.dates import DateRange, add_months
from agent.builtin.numbers import CN_NUM, EN_NUM, parse_int


class Shift(BaseModel):
    model_config = ConfigDict(frozen=True)

    days: int = 0
    months: int = 0
    week_after: bool = False


_N = rf"(?P<n>{CN_NUM}|{EN_NUM}|\d+|a|an)"
_UNIT = r"(?P<u>天|日|周|星期|个?礼拜|个星期|个?月|days?|weeks?|months?)"
_ZH = re.compile(
    rf"(?P<dir>往后|向后|顺延|推迟|延后|往后顺延|往后推|推后|往前|提前|往前挪)\s*(?:推|挪|延|移)?\s*{_N}\s*个?\s*{_UNIT}"
)
_EN = [
    re.compile(
        r"\b(?:push(?:ed)?\s+(?:it\s+)?(?:back|out)|move\s+it\s+(?:back|out|later)|delay(?:\s+it)?|postpone(?:\s+it)?)"
        rf"\s+(?:by\s+)?{_N}\s+{_UNIT}\b",
        re.I,
    ),
    re.compile(rf"\b{_N}\s+{_UNIT}\s+later\b", re.I),
]
_WEEK_AFTER = re.compile(
    r"\b(?:move|shift|push)\s+(?:it|that|the hold|the booking)\s+to\s+the\s+week\s+after\b", re.I
)


def find_shift(text: str) -> Shift | None:
    """The shift a message asks for, or None."""
    if _WEEK_AFTER.search(text):
        return Shift(week_after=True)
    for rx in (_ZH, *_EN):
        m = rx.search(text)
        if m is None:
            continue
        n = 1 if m["n"].lower() in ("a", "an") else parse_int(m["n"])
        if not n:
            continue
        u = m["u"].lower()
        sign = -1 if (m.groupdict().get("dir") or "") in ("往前", "提前", "往前挪") else 1
        if u.startswith("month") or u.endswith("月"):
            return Shift(months=sign * n)
        k = 1 if u in ("天", "日") or u.startswith("day") else 7
        return Shift(days=sign * n * k)
    return None


def shifted(r: DateRange, s: Shift) -> DateRange:
    """`r` moved by `s` (its length kept; a whole month stays a whole month)."""
    if s.week_after:
        monday = r.start - timedelta(days=r.start.weekday()) + timedelta(days=7)
        return DateRange(start=monday, end=monday + timedelta(days=7))
    if s.months:
        start = add_months(r.start, s.months)
        whole = r.start.day == 1 and r.end == add_months(r.start, 1)
        if whole:
            return DateRange(start=start, end=add_months(start, 1))
        end = add_months(r.end, s.months) if r.end else None
        return DateRange(start=start, end=end, exact=r.exact)
    step = timedelta(days=s.days)
    return DateRange(start=r.start + step, end=r.end + step if r.end else None, exact=r.exact)


__all__ = ["Shift", "find_shift", "shifted"]
