"""Windows named by holidays and seasons: "春节前", "年前", "before Christmas", "月底前", "元旦后第一周",
"next spring", "明年夏天", "the week after next", "3/8-3/19".

"before X" is from today to the day before X (the corpus: "春节前还有空档没" is 2026-12-05..2027-02-05);
a season is its three months (spring March–May, summer June–August, autumn September–November);
"元旦后第一周" / "元旦后那一周" is the first Monday-to-Sunday week after New Year's Day.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

# Chinese New Year's Day (Spring Festival) by year.
_SPRING_FESTIVAL = {
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
}


class Window(NamedTuple):
    start: date
    end: date | None  # exclusive; None when only the start is known
    span: tuple[int, int]


def _next(d_of_year: dict[int, date] | None, month: int, day: int, today: date) -> date:
    """The next occurrence (today or later) of a holiday."""
    for y in (today.year, today.year + 1):
        d = d_of_year.get(y) if d_of_year is not None else date(y, month, day)
        if d is not None and d >= today:
            return d
    return date(today.year + 1, month, day)


_BEFORE = re.compile(
    r"(?P<h>春节|过年|年|元旦|圣诞(?:节)?|国庆(?:节)?|(?<![\d一二三四五六七八九十元个本])月(?:底|末)|年底|年末)(?:之)?前"
    r"|\bbefore\s+(?:the\s+)?(?P<e>chinese new year|spring festival|cny|christmas|new year(?:'s day)?|the end of (?:the )?month"
    r"|(?:the\s+)?month[-\s]end|the end of (?:the )?year)\b",
    re.I,
)
_SEASON = re.compile(
    # a season as a time: "next spring", "in spring", "明年夏天" (not "a poem about spring", "写首关于春天的诗")
    r"(?:(?P<rel>next|this|明年|今年)\s*|\b(?:in|during|over|by)\s+(?:the\s+)?)"
    r"(?P<s>spring|summer|autumn|fall|春天|春季|夏天|夏季|秋天|秋季)(?!\s+festival)",  # not the Spring Festival
    re.I,
)
_SEASON_MONTH = {"spring": 3, "春": 3, "summer": 6, "夏": 6, "autumn": 9, "fall": 9, "秋": 9}
_AFTER_NEW_YEAR_WEEK = re.compile(
    r"元旦(?:节)?(?:之)?后(?:的)?(?:第一|头一|那一?)(?:个)?(?:周|星期|礼拜)(?P<d>[一二三四五六日天])?"
)
_ZH_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_AFTER_NEXT = re.compile(r"\b(?:the\s+)?week after next\b", re.I)
_SLASH_RANGE = re.compile(
    r"(?<![\d/])(?P<m1>1[0-2]|0?[1-9])/(?P<d1>3[01]|[12]\d|0?[1-9])\s*(?:-|–|~|to|到|至)\s*"
    r"(?P<m2>1[0-2]|0?[1-9])/(?P<d2>3[01]|[12]\d|0?[1-9])(?![\d/])"
)


def _holiday(word: str, today: date) -> date:
    w = word.lower()
    if w in ("春节", "过年", "年", "chinese new year", "spring festival", "cny"):
        return _next(_SPRING_FESTIVAL, 2, 1, today)
    if w.startswith("元旦") or w.startswith("new year"):
        return _next(None, 1, 1, today + timedelta(days=1))
    if w.startswith("圣诞") or w == "christmas":
        return _next(None, 12, 25, today)
    if w.startswith("国庆"):
        return _next(None, 10, 1, today)
    if w in ("月底", "月末") or "month" in w:
        last = calendar.monthrange(today.year, today.month)[1]
        return date(today.year, today.month, last) + timedelta(days=1)
    return date(today.year + 1, 1, 1)  # 年底 / 年末 / the end of the year


def find_holiday_windows(text: str, today: date) -> list[Window]:
    out: list[Window] = []
    for m in _BEFORE.finditer(text):
        word = m["h"] or m["e"]
        # "年前" right after a numeral is "two years ago" (两年前), not before the Spring Festival.
        if m["h"] == "年" and re.search(r"[\d一二两三四五六七八九十几多去今明]$", text[: m.start()]):
            continue
        end = _holiday(word, today)
        if end > today:
            out.append(Window(today, end, m.span()))
    for m in _SEASON.finditer(text):
        month = _SEASON_MONTH.get(m["s"].lower()) or _SEASON_MONTH[m["s"][0]]
        rel = (m["rel"] or "").lower()
        year = today.year + 1 if rel in ("next", "明年") else today.year
        if rel == "" and date(year, month + 2, 1) < today.replace(day=1):
            year += 1
        start = date(year, month, 1)
        end = date(year, month + 3, 1) if month + 3 <= 12 else date(year + 1, 1, 1)
        out.append(Window(start, end, m.span()))
    for m in _AFTER_NEW_YEAR_WEEK.finditer(text):
        ny = _next(None, 1, 1, today + timedelta(days=1))
        if m["d"]:  # "元旦后第一个周一": that day (a start when 开始 follows, as any day)
            k = _ZH_WEEKDAY[m["d"]]
            day = ny + timedelta(days=(k - ny.weekday()) % 7 or 7)
            after = re.match(r"\s*(?:开始|起)", text[m.end() :])
            out.append(Window(day, None if after else day + timedelta(days=1), m.span()))
            continue
        monday = ny + timedelta(days=(7 - ny.weekday()) % 7)
        out.append(Window(monday, monday + timedelta(days=7), m.span()))
    for m in _WEEK_AFTER_NEXT.finditer(text):
        monday = today - timedelta(days=today.weekday()) + timedelta(days=14)
        out.append(Window(monday, monday + timedelta(days=7), m.span()))
    for m in _SLASH_RANGE.finditer(text):
        y = today.year if (int(m["m1"]), int(m["d1"])) >= (today.month, today.day) else today.year + 1
        try:
            a, b = date(y, int(m["m1"]), int(m["d1"])), date(y, int(m["m2"]), int(m["d2"]))
        except ValueError:
            continue
        if b < a:
            b = date(y + 1, b.month, b.day)
        out.append(Window(a, b + timedelta(days=1), m.span()))
    return out
