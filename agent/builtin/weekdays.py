"""Days of a named week: "下周三", "下周三到周五", "下周二、周四", "next Wednesday", "this Friday to next Monday".

Weeks run Monday to Sunday; 下周 / next week is the one after today's, 下下周 the one after that, 这周 / 本周 /
this week today's. One day is where a stay starts (open-ended, like "3月10日起"); two days joined by 到 /
至 / 、 / 和 / to / and / "-" are the range between them, both days included.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

_ZH_DAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6, "末": 5}
_EN_DAY = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
_EN_NAMES = "|".join(sorted(_EN_DAY, key=len, reverse=True))
_ZH_WEEK = r"(?:周|星期|礼拜)"
_ZH = re.compile(
    rf"(?P<w>下下|下|这|本)个?{_ZH_WEEK}(?P<d>[一二三四五六日天])"
    rf"(?:\s*(?:到|至|-|–|~|、|和)\s*(?:(?P<w2>下下|下|这|本)个?)?{_ZH_WEEK}?(?P<d2>[一二三四五六日天])"
    # two days written together: "下周二三", "下个礼拜三四" (not "下周三天", "下周二三个小时")
    rf"|(?P<d2b>[二三四五六日])(?![天日个次号月周点]))?"
)
_EN = re.compile(
    rf"\b(?P<w>next|this)\s+(?P<d>{_EN_NAMES})\b"
    rf"(?:\s*(?:to|until|till|through|and|-|–)\s*(?:(?P<w2>next|this)\s+)?(?P<d2>{_EN_NAMES})\b)?",
    re.I,
)


# Two days of no named week ("周二到周四先锁上", "ok grab it, tuesday to friday", "grab Thursday and Friday", "make it
# Wed-Fri") or one day with 那天 ("周三那天帮我留着"): the next such days after today (all five corpus messages);
# one bare day ("Talk Monday", "by Monday", "a flight on Tuesday") is no window.
_ZH_BARE = re.compile(
    rf"(?<![下这本个])(?<!下下){_ZH_WEEK}(?P<d>[一二三四五六日天])"
    rf"(?:\s*(?:到|至|-|–|~|和|、)\s*{_ZH_WEEK}?(?P<d2>[一二三四五六日天])|\s*{_ZH_WEEK}(?P<d2b>[一二三四五六日天])"
    r"|(?=那天|那一天))"
)
_EN_BARE = re.compile(
    rf"(?<!next )(?<!this )\b(?P<d>{_EN_NAMES})\s*(?:to|until|till|through|and|-|–)\s*(?P<d2>{_EN_NAMES})\b",
    re.I,
)


class WeekdayRange(NamedTuple):
    start: date
    end: date | None  # exclusive; None for one day (a start)
    span: tuple[int, int]


def _week_start(word: str, today: date) -> date:
    monday = today - timedelta(days=today.weekday())
    n = {"下下": 2, "下": 1, "next": 1}.get(word.lower(), 0)
    return monday + timedelta(days=7 * n)


def find_weekdays(text: str, today: date) -> list[WeekdayRange]:
    out: list[WeekdayRange] = []
    for rx, days in ((_ZH, _ZH_DAY), (_EN, _EN_DAY)):
        for m in rx.finditer(text):
            week = _week_start(m["w"], today)
            start = week + timedelta(days=days[m["d"].lower()])
            d2 = m["d2"] or (m["d2b"] if "d2b" in m.re.groupindex else None)
            if not d2:
                out.append(WeekdayRange(start, None, m.span()))
                continue
            week2 = _week_start(m["w2"], today) if m["w2"] else week
            last = week2 + timedelta(days=days[d2.lower()])
            if last < start:
                last += timedelta(days=7)
            out.append(WeekdayRange(start, last + timedelta(days=1), m.span()))
    for rx, days in ((_ZH_BARE, _ZH_DAY), (_EN_BARE, _EN_DAY)):
        for m in rx.finditer(text):
            if any(m.start() < b and a < m.end() for *_, (a, b) in out):
                continue
            first = today + timedelta(days=(days[m["d"].lower()] - today.weekday()) % 7 or 7)
            d2 = m["d2"] or (m["d2b"] if "d2b" in m.re.groupindex else None)
            if not d2:
                out.append(WeekdayRange(first, first + timedelta(days=1), m.span()))
                continue
            last = first + timedelta(days=(days[d2.lower()] - first.weekday()) % 7)
            out.append(WeekdayRange(first, last + timedelta(days=1), m.span()))
    return out
