"""Parts of a month: "the first half of March", "下个月中旬", "三月第二周", "the last ten days of February".

A month found by `dates.py` ("March", "下个月", "this month") is narrowed by the part written around it, the
way the corpus labels it: halves are 1–15 and 16–end, 上旬/中旬/下旬 1–10, 11–20 and 21–end, "the first two
weeks" 1–14, "the first week" 1–7, "第N周" the Nth calendar week (Monday to Sunday, counted from the week of
the month's first Thursday, cut to the month), "the last week" the last seven days.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from agent.builtin.numbers import parse_int

# (first day, last day) of a month of `n` days; weeks need the month itself.
Part = Callable[[int, int, int], tuple[int, int]]


def _days(a: int, b: int) -> Part:
    return lambda _y, _m, n: (a, min(b, n))


def _last(k: int) -> Part:
    return lambda _y, _m, n: (n - k + 1, n)


def _week(k: int, *, by_thursday: bool = False) -> Part:
    """The k-th Monday-to-Sunday week of the month, cut to the month. `by_thursday`: counted from the week holding
    the month's first Thursday, as the Chinese writers count "1月第一周" (2027-01-04..10, January 1st a Friday) and
    "四月第二周" (04-05..11, April 1st a Thursday)."""

    def part(y: int, m: int, n: int) -> tuple[int, int]:
        first = date(y, m, 1)
        monday = first - timedelta(days=first.weekday())
        if by_thursday and first.weekday() > 3:
            monday += timedelta(days=7)
        start = monday + timedelta(days=7 * (k - 1))
        lo, hi = max(start, first), min(start + timedelta(days=6), date(y, m, n))
        return (lo.day, hi.day) if lo <= hi else (n, n)

    return part


_NUM = r"(?P<k>[1-5一二两三四五])"
_WEEK_ZH = r"(?:周|个?星期|个?礼拜)"
# Written after the month: "下个月中旬", "4月后半个月", "三月第二周", "二月最后一周".
_AFTER: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Part]]] = [
    (re.compile(r"^(?:的)?中下旬"), lambda m: _days(11, 31)),
    (re.compile(r"^(?:的)?上中旬"), lambda m: _days(1, 20)),
    (re.compile(r"^(?:的)?(?:上半月|上半个月|前半个?月|前半段)"), lambda m: _days(1, 15)),
    (re.compile(r"^(?:的)?(?:下半月|下半个月|后半个?月|后半段)"), lambda m: _days(16, 31)),
    (re.compile(r"^(?:的)?上旬"), lambda m: _days(1, 10)),
    (re.compile(r"^(?:的)?中旬"), lambda m: _days(11, 20)),
    (re.compile(r"^(?:的)?(?:下旬|底|末|尾)"), lambda m: _days(21, 31)),
    (re.compile(r"^(?:的)?初(?!步)"), lambda m: _days(1, 10)),
    (re.compile(rf"^(?:的)?前(?:两|二|2)\s*{_WEEK_ZH}"), lambda m: _days(1, 14)),
    (re.compile(rf"^(?:的)?(?:最后|最末)(?:一)?{_WEEK_ZH}"), lambda m: _last(7)),
    (re.compile(r"^(?:的)?(?:最后|最末)(?:十|10)天"), lambda m: _last(10)),
    (
        re.compile(rf"^(?:的)?第\s*{_NUM}\s*{_WEEK_ZH}"),
        lambda m: _week(parse_int(m["k"]) or 1, by_thursday=True),
    ),
]
# Written before the month: "the first half of March", "2nd half of Feb", "the last ten days of February".
_OF = r"\s+of\s+(?:the\s+month\s+of\s+)?$"
_EN_K = r"(?P<k>first|second|third|fourth|1st|2nd|3rd|4th)"
_EN_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}
_BEFORE: list[tuple[re.Pattern[str], Callable[[re.Match[str]], Part]]] = [
    (re.compile(rf"\b(?:first|1st)\s+half{_OF}", re.I), lambda m: _days(1, 15)),
    (re.compile(rf"\b(?:second|2nd|latter|last)\s+half{_OF}", re.I), lambda m: _days(16, 31)),
    (re.compile(rf"\bfirst\s+(?:two|2)\s+weeks{_OF}|\bfirst\s+fortnight{_OF}", re.I), lambda m: _days(1, 14)),
    (re.compile(rf"\blast\s+(?:two|2)\s+weeks{_OF}", re.I), lambda m: _last(14)),
    (re.compile(rf"\blast\s+week{_OF}", re.I), lambda m: _last(7)),
    (re.compile(rf"\blast\s+(?:ten|10)\s+days{_OF}", re.I), lambda m: _last(10)),
    # "the first week of January" is its first seven days (every writer: W16, W24, W32, W43, W46).
    (re.compile(rf"\b(?:first|1st)\s+week{_OF}", re.I), lambda m: _days(1, 7)),
    (re.compile(rf"\b{_EN_K}\s+week{_OF}", re.I), lambda m: _week(_EN_ORD[m["k"].lower()])),
    (re.compile(r"\b(?:early|beginning\s+of|start\s+of)[-\s]+(?:the\s+)?$", re.I), lambda m: _days(1, 10)),
    (re.compile(r"\b(?:mid|middle\s+of)[-\s]+(?:the\s+)?$", re.I), lambda m: _days(11, 20)),
    (re.compile(r"\b(?:late|end\s+of)[-\s]+(?:the\s+)?$", re.I), lambda m: _days(21, 31)),
]


def whole_month(start: date, end: date | None) -> bool:
    """The range is one calendar month, or its rest from a day inside it ("this month" from today)."""
    if end is None:
        return False
    last = calendar.monthrange(start.year, start.month)[1]
    return end == date(start.year, start.month, last) + timedelta(days=1)


def month_part(text: str, span: tuple[int, int], month: date) -> tuple[tuple[int, int], date, date] | None:
    """The part of `month` written around `span` in `text`: (the span with the part words, first day, end
    exclusive), or None when no part is written."""
    a, b = span
    n = calendar.monthrange(month.year, month.month)[1]
    for rx, part in _AFTER:
        m = rx.search(text[b:])
        if m:
            lo, hi = part(m)(month.year, month.month, n)
            return (a, b + m.end()), _day(month, lo), _day(month, hi) + timedelta(days=1)
    for rx, part in _BEFORE:
        m = rx.search(text[:a])
        if m:
            lo, hi = part(m)(month.year, month.month, n)
            return (m.start(), b), _day(month, lo), _day(month, hi) + timedelta(days=1)
    return None


def _day(month: date, day: int) -> date:
    return date(month.year, month.month, day)
