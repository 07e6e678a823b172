"""Dates, date ranges and durations in Chinese and English, relative to an injected `today`.

All ranges are half-open like bookings: `end` is exclusive, so "2027-03-01 to 2027-03-31" is
start 2027-03-01, end 2027-04-01. A range may be open-ended (`end is None`) when the user only
said when to start ("from March 10", "3月10日起"); the planner then adds the duration.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict

from agent.builtin.holidays import find_holiday_windows
from agent.builtin.month_parts import month_part, whole_month
from agent.builtin.numbers import CN_NUM, EN_NUM, parse_int
from agent.builtin.spans import Span
from agent.builtin.stay_lengths import not_a_stay
from agent.builtin.weekdays import find_weekdays
from agent.builtin.year_parts import find_half_years


class DateRange(BaseModel):
    """A date range; `end` is exclusive and None when only the start is known."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date | None = None
    exact: bool = False
    """True when the user named both days ("3月10日到4月5日"), so the range is the stay itself."""

    @property
    def days(self) -> int | None:
        return (self.end - self.start).days if self.end else None

    @property
    def last_day(self) -> date | None:
        """The inclusive last day, for display."""
        return self.end - timedelta(days=1) if self.end else None


class Found(BaseModel):
    """A date range found in text, with where it was found."""

    model_config = ConfigDict(frozen=True)

    value: DateRange
    span: Span
    text: str


# --- calendar helpers -------------------------------------------------------------------------

_MONTHS_EN: dict[str, int] = {}
for _i, _name in enumerate(calendar.month_name):
    if _name:
        _MONTHS_EN[_name.lower()] = _i
        _MONTHS_EN[_name[:3].lower()] = _i
_MONTHS_EN["sept"] = 9
_WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# "may" is also a verb; it only counts as a month next to a day, a year or a date word (see _EN_MONTH_CTX).
_EN_MONTH = r"(?:" + "|".join(sorted((m for m in _MONTHS_EN if m != "may"), key=len, reverse=True)) + r")\.?"
_EN_MONTH_ANY = r"(?:" + "|".join(sorted(_MONTHS_EN, key=len, reverse=True)) + r")\.?"
# 元月 is January (not "500元月租", "美元月底").
_CN_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十]|(?<![\d零〇一二两三四五六七八九十百千万亿单公美日欧港])元(?=\s*月))"
_CN_DAY = r"(?:3[01]|[12]\d|0?[1-9]|三十[一]?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"


def month_of(text: str) -> int | None:
    """Month number of an English month name or a Chinese / Arabic month numeral."""
    t = text.strip().rstrip(".").lower()
    if t == "元":
        return 1
    if t in _MONTHS_EN:
        return _MONTHS_EN[t]
    v = parse_int(t)
    return v if v is not None and 1 <= v <= 12 else None


def month_range(year: int, month: int) -> DateRange:
    start = date(year, month, 1)
    return DateRange(start=start, end=add_months(start, 1))


def add_months(d: date, n: int) -> date:
    """`d` moved by n calendar months, the day clamped to the month's length."""
    m = d.month - 1 + n
    y = d.year + m // 12
    m = m % 12 + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def next_month_occurrence(month: int, today: date, *, strictly_after: bool = False) -> int:
    """The year of the next occurrence of `month`: this year if still ahead (or current), else next."""
    if month > today.month or (month == today.month and not strictly_after):
        return today.year
    return today.year + 1


def next_day_occurrence(month: int, day: int, today: date) -> date | None:
    """The next (month, day) on or after today; None for an impossible date like 2-30."""
    for year in (today.year, today.year + 1, today.year + 2):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def _clip(r: DateRange, today: date) -> DateRange:
    """Relative ranges that already began (e.g. "this month") start today, not in the past."""
    if r.start < today and (r.end is None or r.end > today):
        return DateRange(start=today, end=r.end)
    return r


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


# --- date atoms -------------------------------------------------------------------------------
# A full date or a month-day, possibly the first half of a range.

_ISO = r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
# Without 日/号 the number after 月 is a day only when no duration unit follows:
# "2027年3月三周" is three weeks in March, not 3 March.
_ZH_FULL = (
    rf"(?P<y>\d{{4}})\s*年\s*(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})"
    r"(?:\s*[日号]|(?!\s*(?:个|周|星期|礼拜|天|月|年|[\d零〇一二两三四五六七八九十])))"
)
_ZH_MD = rf"(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})\s*[日号]"
_EN_MD = (
    rf"(?<![A-Za-z])(?P<mn>{_EN_MONTH_ANY})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s*(?P<y>\d{{4}}))?"
)
_EN_DM = (
    rf"(?<![\d.])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_EN_MONTH_ANY})(?:,?\s*(?P<y>\d{{4}}))?"
)

_DAY_ATOMS: list[str] = [_ISO, _ZH_FULL, _ZH_MD, _EN_MD, _EN_DM]

_CONNECT = r"\s*(?:to|until|till|through|thru|and|-|–|—|~|～|至|到)\s*"
_FROM = r"(?:(?:from|between|starting|start|beginning)\s+(?:on\s+)?|从|自|由)?"


def _atom_date(m: re.Match[str], today: date, year_hint: int | None = None) -> date | None:
    g = m.groupdict()
    month = month_of(g.get("m") or g.get("mn") or "")
    day = parse_int(g.get("d") or "")
    if month is None or day is None:
        return None
    if g.get("y"):
        return _safe_date(int(g["y"]), month, day)
    if year_hint is not None:
        return _safe_date(year_hint, month, day)
    return next_day_occurrence(month, day, today)


def _named(pattern: str, suffix: str) -> str:
    """Rename the groups of a pattern so it can appear twice in one regex."""
    return re.sub(r"\(\?P<(\w+)>", lambda mm: f"(?P<{mm.group(1)}{suffix}>", pattern)


def _sub_match(m: re.Match[str], suffix: str) -> dict[str, str | None]:
    return {k[: -len(suffix)]: v for k, v in m.groupdict().items() if k.endswith(suffix)}


class _GroupView:
    """Adapts a dict of groups to the bit of the Match API `_atom_date` uses."""

    def __init__(self, groups: dict[str, str | None]) -> None:
        self._groups = groups

    def groupdict(self) -> dict[str, str | None]:
        return self._groups


def _atom_from_groups(
    groups: dict[str, str | None], today: date, year_hint: int | None = None
) -> date | None:
    return _atom_date(_GroupView(groups), today, year_hint)  # type: ignore[arg-type]


# --- finders ----------------------------------------------------------------------------------

Finder = Callable[[str, date], list[Found]]


_YEAR_JUST_BEFORE = re.compile(r"(?:19|20)\d{2}\s*(?:年|[-/.])\s*$")


def _day_pairs(text: str, today: date) -> list[tuple[date, date, re.Match[str]]]:
    """(first day, last day, match) of "A to B" day-level pairs; the last day may come before the first."""
    out: list[tuple[date, date, re.Match[str]]] = []
    for a in _DAY_ATOMS:
        for b in [*_DAY_ATOMS, r"(?P<d>\d{1,2}|" + _CN_DAY + r")(?:st|nd|rd|th)?\s*[日号]?(?![\d月年])"]:
            rx = re.compile(rf"{_FROM}{_named(a, '1')}{_CONNECT}{_named(b, '2')}", re.I)
            for m in rx.finditer(text):
                g1, g2 = _sub_match(m, "1"), _sub_match(m, "2")
                if not g1.get("y") and _YEAR_JUST_BEFORE.search(text, 0, m.start()):
                    # "2026年11月1日到…": the month and day of a dated day, whose own pair (with its year) is read too.
                    continue
                start = _atom_from_groups(g1, today)
                if start is None:
                    continue
                if not (g2.get("m") or g2.get("mn")):
                    g2 = {**g2, "m": str(start.month)}
                end = _atom_from_groups(g2, today, year_hint=None if g2.get("y") else start.year)
                if end is None:
                    continue
                if end < start and not g2.get("y") and end.month < start.month:
                    # "12月20日到1月5日" runs into the next year; "3月10日到3月5日" is simply reversed.
                    end = _safe_date(end.year + 1, end.month, end.day)
                if end is None:
                    continue
                out.append((start, end, m))
    # The month written once for both days: "1月18到22号" (the first day bare), "3-5 Feb", "12–14 January".
    day = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?"
    for a, b in (
        (rf"(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})", rf"(?P<d>{_CN_DAY})\s*[日号]"),
        (rf"(?<![\d.]){day}", _EN_DM),
        # no 号 at all: "锁1月20到24", "原来是1月18到1月29，改成1月25到2月5" (not "1月3到5天", "3月5到6万")
        (
            rf"(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})(?![\d十一二三四五六七八九号日])",
            rf"(?:(?P<m>{_CN_MONTH})\s*月\s*)?(?P<d>{_CN_DAY})"
            r"(?![\d十一二三四五六七八九]|\s*(?:天|日|号|个|周|星期|礼拜|月|年|万|千|百|元|%|小时|次))",
        ),
    ):
        rx = re.compile(rf"{_FROM}{_named(a, '1')}{_CONNECT}{_named(b, '2')}", re.I)
        for m in rx.finditer(text):
            g1, g2 = _sub_match(m, "1"), _sub_match(m, "2")
            end = _atom_from_groups(g2 if g2.get("m") or g2.get("mn") else {**g2, "m": g1.get("m")}, today)
            month = g1.get("m") or str(end.month if end else "")
            start = _atom_from_groups({**g1, "m": month}, today, year_hint=end.year if end else None)
            if start is not None and end is not None and start <= end:
                out.append((start, end, m))
    return out


def _day_ranges(text: str, today: date) -> list[Found]:
    """Ranges between two day-level dates, including a bare end day ("3月10日到20日", "March 10-20")."""
    return [
        Found(
            value=DateRange(start=start, end=end + timedelta(days=1), exact=True),
            span=m.span(),
            text=m.group(0),
        )
        for start, end, m in _day_pairs(text, today)
        if end >= start
    ]


_DAY_LIST = re.compile(
    rf"(?P<m>{_CN_MONTH})\s*月\s*(?P<d>{_CN_DAY})(?![\d十一二三四五六七八九])\s*[日号]?\s*(?:、|和|,|，)?\s*"
    rf"(?P<d2>{_CN_DAY})\s*[日号]"
)


def _day_lists(text: str, today: date) -> list[Found]:
    """Two days in a row written with their month once: "1月29、30号", "1月5号6号", "3月8号和9号"."""
    out: list[Found] = []
    for m in _DAY_LIST.finditer(text):
        start = _atom_date(m, today)
        d2 = parse_int(m["d2"])
        if start is None or d2 != start.day + 1:
            continue
        end = start + timedelta(days=2)
        out.append(Found(value=DateRange(start=start, end=end, exact=True), span=m.span(), text=m.group(0)))
    return out


class ReversedRange(BaseModel):
    """A range whose end day comes before its start day ("从3月10日到3月5日"): a mistake to point out."""

    model_config = ConfigDict(frozen=True)

    start: date
    end: date
    span: Span
    text: str


def find_reversed_ranges(text: str, today: date) -> list[ReversedRange]:
    """ "A to B" ranges where B is before A, longest first at each position, without overlaps."""
    cands = sorted(
        ((s, e, m) for s, e, m in _day_pairs(text, today) if e < s),
        key=lambda p: (p[2].start(), -(p[2].end() - p[2].start())),
    )
    out: list[ReversedRange] = []
    for s, e, m in cands:
        if any(m.start() < r.span[1] and r.span[0] < m.end() for r in out):
            continue
        out.append(ReversedRange(start=s, end=e, span=m.span(), text=m.group(0)))
    return out


_START_WORDS_BEFORE = r"(?:(?:from|starting|start|beginning|after|on)\s+(?:on\s+)?|从|自|于)?"
_START_WORDS_AFTER = r"(?:\s*(?:起|开始|以后|之后|后|onwards|onward))?"
_STARTS_BEFORE = re.compile(r"(?:from|starting|start|beginning|after)\s|从|自", re.I)
_STARTS_AFTER = re.compile(r"(?:起|开始|以后|之后|后|onwards|onward)$", re.I)


def _starts_a_stay(words: str) -> bool:
    """Whether a day is written as where something starts ("from Jan 6", "3月10日起"), not as the day itself."""
    return bool(_STARTS_BEFORE.match(words) or _STARTS_AFTER.search(words.strip()))


def _just_past(text: str, m: re.Match[str], d: date, today: date) -> bool:
    """A day of the last few weeks written without a year ("材料已于12月3日提交", "approved on 4 December"): the
    past, not the same day next year."""
    return (
        not m.groupdict().get("y")
        and (d - today).days > 330
        and not re.search(r"明年|next\s+year", text[max(0, m.start() - 8) : m.end() + 12], re.I)
        # A year written just before governs the day ("2026年11月1日到11月5日", "2026-11-01 to 11-05"): a range the
        # user dated, past or not, is theirs to be told about, not words to drop.
        and not _YEAR_BEFORE.search(text[max(0, m.start() - 16) : m.start()])
    )


_YEAR_BEFORE = re.compile(r"(?:19|20)\d{2}\s*(?:年|[-/.])|\b(?:19|20)\d{2}\b")


def _past_days(text: str, today: date) -> list[Span]:
    """Where days just past are written (`_just_past`): no window, nor the month inside them."""
    out: list[Span] = []
    for a in _DAY_ATOMS:
        for m in re.finditer(a, text, re.I):
            d = _atom_date(m, today)
            if d is not None and _just_past(text, m, d, today):
                out.append(m.span())
    return out


def _single_days(text: str, today: date) -> list[Found]:
    """A single day: an open-ended range starting there ("from 2027-03-01", "3月10日起")."""
    out: list[Found] = []
    for a in _DAY_ATOMS:
        rx = re.compile(rf"{_START_WORDS_BEFORE}{a}{_START_WORDS_AFTER}", re.I)
        for m in rx.finditer(text):
            d = _atom_date(m, today)
            if d is None or _just_past(text, m, d, today):
                continue
            # "the week of Jan 4", "1月4号那周": the seven days from that day, both ends inclusive.
            before = _WEEK_OF_BEFORE.search(text, 0, m.start())
            after = _WEEK_OF_AFTER.match(text, m.end())
            if before or after:
                lo = before.start() if before else m.start()
                hi = after.end() if after else m.end()
                out.append(
                    Found(
                        value=DateRange(start=d, end=d + timedelta(days=7)), span=(lo, hi), text=text[lo:hi]
                    )
                )
                continue
            # "free on Dec 21", "hold it Jan 20", "锁2月9号那天": that day; "from/starting/起" a stay starting there
            # (a length written beside a single day also makes it a start: slots.py).
            end = None if _starts_a_stay(m.group(0)) else d + timedelta(days=1)
            out.append(Found(value=DateRange(start=d, end=end), span=m.span(), text=m.group(0)))
    return out


# A day written without its month ("15号到26号", "从8号开始", "from the 14th", "the 21st-24th", "3/8开始"): in the month
# named last before it ("三月份…锁15号到26号", "下个月11号开始", "in Feb, 3 weeks from the 1st"), else its next occurrence.
_BARE_ZH = rf"(?<![\d/.\-A-Za-z第编型期批])(?:(?<=[个本当]月)|(?<!月))(?P<d>{_CN_DAY})\s*(?:号|日(?=\s*(?:起|开始)))(?!\s*(?:线|楼|机|车|台|厂|院|室|库|舱|罐|炉|池|堆|柜|房|位|文|令|码))"
_BARE_ZH_RANGE = re.compile(
    rf"(?:从|自)?(?<![\d/.\-A-Za-z第编型期批])(?:(?<=[个本当]月)|(?<!月))(?P<d1>{_CN_DAY})\s*[号日]?\s*(?:到|至|-|–|~|～)\s*(?P<d2>{_CN_DAY})\s*号"
)
_BARE_ZH_START = re.compile(rf"(?:(?P<from>从|自)\s*)?{_BARE_ZH}(?P<after>\s*(?:起|开始|那天|那一天))?")
_ORD = r"(?:st|nd|rd|th)"
_BARE_EN_RANGE = re.compile(
    rf"\b(?:(?:from|between)\s+)?(?:the\s+)?(?P<d1>\d{{1,2}}){_ORD}\s*(?:-|–|to|through|till|until|and)\s*(?:the\s+)?(?P<d2>\d{{1,2}}){_ORD}\b"
    rf"(?!\s+(?:of\s+)?{_EN_MONTH_ANY})",
    re.I,
)
_BARE_EN_START = re.compile(
    rf"\b(?P<w>from|starting(?:\s+on)?|on|say)\s+the\s+(?P<d>\d{{1,2}}){_ORD}\b(?!\s+(?:of\s+)?{_EN_MONTH_ANY})",
    re.I,
)
_SLASH_START = re.compile(
    r"(?:\b(?P<w>from|starting|on)\s+)?(?<![\d/])(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])(?![\d/%])"
    r"(?P<after>\s*(?:起|开始|号))?",
    re.I,
)


def _month_before(text: str, at: int, today: date) -> tuple[int, int] | None:
    """(year, month) of the last month named before `at` ("三月份", "下个月", "in Feb")."""
    months = [f for f in _months(text, today) + _relative(text, today) if f.span[1] <= at]
    months = [f for f in months if f.value.end is not None and (f.value.end - f.value.start).days <= 31]
    # …or the month of a full date before it ("从4月12号锁到18号")
    months += [
        Found(value=DateRange(start=d), span=m.span(), text=m.group(0))
        for a in _DAY_ATOMS
        for m in re.finditer(a, text[:at], re.I)
        if (d := _atom_date(m, today)) is not None
    ]
    if not months:
        return None
    last = max(months, key=lambda f: f.span[1])
    return last.value.start.year, last.value.start.month


def _bare_day(text: str, at: int, day: int, today: date) -> date | None:
    ym = _month_before(text, at, today)
    if ym is not None:
        return _safe_date(ym[0], ym[1], day)
    d = _safe_date(today.year, today.month, day) if day >= today.day else None
    return d or next_day_occurrence(add_months(today.replace(day=1), 1).month, day, today)


def _bare_days(text: str, today: date) -> list[Found]:
    """Days written without a month: ranges ("15号到26号", "the 21st-24th") and starts ("从8号开始", "from the 14th")."""
    out: list[Found] = []
    for rx in (_BARE_ZH_RANGE, _BARE_EN_RANGE):
        for m in rx.finditer(text):
            d1, d2 = parse_int(m["d1"]), parse_int(m["d2"])
            if d1 is None or d2 is None or not 1 <= d1 < d2 <= 31:
                continue
            start = _bare_day(text, m.start(), d1, today)
            end = _safe_date(start.year, start.month, d2) if start else None
            if start and end:
                out.append(
                    Found(
                        value=DateRange(start=start, end=end + timedelta(days=1), exact=True),
                        span=m.span(),
                        text=m.group(0),
                    )
                )
    for m in _BARE_ZH_START.finditer(text):
        day = parse_int(m["d"])
        week = None if m["after"] else _WEEK_OF_AFTER.match(text, m.end())
        range_end = re.search(r"(?:到|至)\s*$", text[: m.start()]) is not None  # "从4月12号锁到18号"
        if day is None or not (m["from"] or m["after"] or week or range_end):
            continue
        start = _bare_day(text, m.start(), day, today)
        if start and week:  # "下个月4号那周": the seven days from that day
            out.append(
                Found(
                    value=DateRange(start=start, end=start + timedelta(days=7)),
                    span=(m.start(), week.end()),
                    text=text[m.start() : week.end()],
                )
            )
        elif start:
            one = bool(m["after"] and "那" in m["after"]) or (range_end and not m["after"])
            out.append(
                Found(
                    value=DateRange(start=start, end=start + timedelta(days=1) if one else None),
                    span=m.span(),
                    text=m.group(0),
                )
            )
    for m in _BARE_EN_START.finditer(text):
        start = _bare_day(text, m.start(), int(m["d"]), today)
        if start:
            one = m["w"].lower() == "on"
            out.append(
                Found(
                    value=DateRange(start=start, end=start + timedelta(days=1) if one else None),
                    span=m.span(),
                    text=m.group(0),
                )
            )
    for m in _SLASH_START.finditer(text):
        if not (m["w"] or m["after"]):
            continue
        start = next_day_occurrence(int(m["m"]), int(m["d"]), today)
        if start:
            out.append(Found(value=DateRange(start=start), span=m.span(), text=m.group(0)))
    return out


_WEEK_OF_BEFORE = re.compile(r"\b(?:the\s+)?week\s+of\s+$", re.I)
_WEEK_OF_AFTER = re.compile(r"\s*(?:号|日)?\s*(?:那|这|的那|开始的那)(?:一)?(?:周|个星期|个礼拜)")


_PART_EN = {"early": (1, 10), "mid": (11, 20), "late": (21, 31), "end of": (21, 31), "beginning of": (1, 10)}
_PART_ZH = {
    "上旬": (1, 10),
    "初": (1, 10),
    "中旬": (11, 20),
    "中": (11, 20),
    "下旬": (21, 31),
    "中下旬": (11, 31),
    "上中旬": (1, 20),
    "底": (21, 31),
    "尾": (21, 31),  # Cantonese "1月尾", "12月尾"
    "末": (21, 31),
}


def _part_of_month(r: DateRange, part: tuple[int, int] | None) -> DateRange:
    if part is None:
        return r
    y, m = r.start.year, r.start.month
    last = calendar.monthrange(y, m)[1]
    return DateRange(start=date(y, m, part[0]), end=date(y, m, min(part[1], last)) + timedelta(days=1))


def _year_word(word: str | None, today: date) -> int | None:
    if not word:
        return None
    w = word.lower().strip()
    return {
        "今年": today.year,
        "this year": today.year,
        "明年": today.year + 1,
        "next year": today.year + 1,
        "后年": today.year + 2,
        "去年": today.year - 1,
        "last year": today.year - 1,
    }.get(w)


def _months(text: str, today: date) -> list[Found]:
    """Month-level ranges: "March 2027", "2027年3月", "明年三月", "next March", "in March", "3月下旬"."""
    out: list[Found] = []

    def add(m: re.Match[str], year: int, month: int, part: tuple[int, int] | None, clip: bool) -> None:
        r = _part_of_month(month_range(year, month), part)
        # A leading "to"/"in" is left out of the span so "March to May" still reads as a range.
        a = (
            m.start("rel")
            if "rel" in m.re.groupindex and m["rel"] and m["rel"].lower() == "next"
            else m.start()
        )
        if "rel" in m.re.groupindex and m["rel"] and m["rel"].lower() != "next":
            a = m.end("rel")
            while a < len(text) and text[a].isspace():
                a += 1
        out.append(Found(value=_clip(r, today) if clip else r, span=(a, m.end()), text=text[a : m.end()]))

    part_en = r"(?:(?P<part>early|mid|late|end of|beginning of)[-\s]+)?"
    # English with an explicit year: "March 2027", "mid-March 2027", "March of 2027", "March next year".
    rx = re.compile(
        rf"\b{part_en}(?P<mn>{_EN_MONTH_ANY})(?:\s+of)?,?\s+(?P<y>\d{{4}}|next year|this year)\b", re.I
    )
    for m in rx.finditer(text):
        month = month_of(m["mn"])
        year = int(m["y"]) if m["y"].isdigit() else _year_word(m["y"], today)
        if month and year:
            add(m, year, month, _PART_EN.get((m["part"] or "").lower()), clip=False)
    # English relative: "next March", "in March", "this March", "late March", bare "March".
    rx = re.compile(
        rf"(?<![A-Za-z])(?:(?P<rel>next|this|in|during|for|by|of|until)\s+)?{part_en}(?P<mn>{_EN_MONTH})(?![a-z])",
        re.I,
    )
    # "May" after another month and a connector ("April or May", "between March and May") is the month too.
    may = re.compile(
        rf"\b(?P<rel>next|this|in|during|by|until|to|till|through|from"
        rf"|(?<![A-Za-z]){_EN_MONTH}\s*(?:or|and|-|–))\s*{part_en}(?P<mn>may)\b",
        re.I,
    )
    # Follow-ups such as "what about May instead?", "how about May?", "try May": the month, not the verb.
    may_follow = re.compile(
        rf"(?:\b(?:what|how)\s+about\s+|\btry\s+|^\s*)(?P<rel>){part_en}(?P<mn>may)\b(?=\s*(?:instead|then|\?|$|,|\.))",
        re.I,
    )
    # "mid-May", "schedule for May", "make it May"; a capital "May" inside a sentence ("check May for 11 days",
    # "line, May, 12 days"), not one opening it or asking ("May I ask", "May the institute license…").
    may_more = re.compile(
        rf"(?:\b(?P<rel>for|of|it)\s+)?\b{part_en}(?P<mn>may)\b"
        r"(?!\s+(?:I|we|you|he|she|they|it|the|a|an|be|not|also|have|need|want|ask|use|well|still|already)\b)",
        re.I,
    )
    may_cap = [
        m
        for m in may_more.finditer(text)
        if m["rel"] or m["part"] or (m["mn"] == "May" and re.search(r"[a-z0-9,;:]\s*$", text[: m.start()]))
    ]
    for m in [*rx.finditer(text), *may.finditer(text), *may_follow.finditer(text), *may_cap]:
        month = month_of(m["mn"])
        if not month:
            continue
        rel = (m["rel"] or "").lower()
        year = next_month_occurrence(month, today, strictly_after=rel == "next")
        add(m, year, month, _PART_EN.get((m["part"] or "").lower()), clip=True)
    # Chinese: "2027年3月", "明年三月", "今年5月份", "3月下旬", "三月".
    part_zh = r"(?P<part>中下旬|上中旬|上旬|中旬|下旬|初|中(?![下上])|底|末|尾)?"
    rx = re.compile(
        rf"(?:(?P<y>\d{{4}})\s*年\s*|(?P<yw>今年|明年|后年|去年))?(?P<m>{_CN_MONTH})\s*月份?{part_zh}(?![\d一二三四五六七八九十]+\s*[日号])"
    )
    for m in rx.finditer(text):
        month = month_of(m["m"])
        if not month:
            continue
        # "个月" is a duration ("三个月"), not a month name.
        if (
            m.start() > 0
            and text[m.start() - 1] == "个"
            and not re.search(r"(?:第\S{1,3}|[这那哪边])个$", text[: m.start()])
        ):
            continue
        if m["y"]:
            year, clip = int(m["y"]), False
        elif m["yw"]:
            year, clip = _year_word(m["yw"], today) or today.year, m["yw"] == "今年"
        else:
            year, clip = next_month_occurrence(month, today), True
        add(m, year, month, _PART_ZH.get(m["part"] or ""), clip=clip)
    # ISO month "2027-03" (not followed by a day).
    for m in re.finditer(r"(?<![\d-])(?P<y>20\d{2})-(?P<m>0[1-9]|1[0-2])(?![\d-])", text):
        add(m, int(m["y"]), int(m["m"]), None, clip=False)
    return out


_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": -1}
_NTH_WEEKDAY = re.compile(
    rf"\b(?:the\s+)?(?P<k>first|1st|second|2nd|third|3rd|fourth|4th|last)\s+(?P<wd>(?:{'|'.join(_WEEKDAY_NAMES)})[a-z]*)\s+"
    rf"(?:of|in)\s+(?P<mn>{_EN_MONTH_ANY})\b",
    re.I,
)


def _nth_weekdays(text: str, today: date) -> list[Found]:
    """ "the first Monday of February", "the last Friday in March": that day (a start when written so)."""
    out: list[Found] = []
    for m in _NTH_WEEKDAY.finditer(text):
        month = month_of(m["mn"])
        if month is None:
            continue
        year = next_month_occurrence(month, today)
        wd = _WEEKDAY_NAMES.index(m["wd"].lower()[:3])
        first = date(year, month, 1)
        k = _NTH[m["k"].lower()]
        if k > 0:
            day = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (k - 1))
        else:
            last = add_months(first, 1) - timedelta(days=1)
            day = last - timedelta(days=(last.weekday() - wd) % 7)
        if day.month != month:
            continue
        start_word = re.search(r"(?:from|starting|start|beginning)\s+(?:on\s+)?$", text[: m.start()], re.I)
        end = None if start_word else day + timedelta(days=1)
        out.append(Found(value=DateRange(start=day, end=end), span=m.span(), text=m.group(0)))
    return out


def _month_spans(text: str, today: date) -> list[Found]:
    """ "from March to May", "3月到5月", "Jan or Feb": several whole months."""
    out: list[Found] = []
    # The month written once for two ("明年3-4月", "3到5月份", "三、四月"): from the first to the last.
    for m in re.finditer(
        rf"(?:(?P<y>\d{{4}})\s*年\s*|(?P<yw>今年|明年|后年))?(?<![\d./\-])(?P<m1>{_CN_MONTH})\s*(?:-|–|~|～|到|至|、)\s*"
        rf"(?P<m2>{_CN_MONTH})\s*月份?(?![\d一二三四五六七八九十]+\s*[日号])",
        text,
    ):
        m1, m2 = month_of(m["m1"]), month_of(m["m2"])
        if m1 is None or m2 is None or m1 >= m2:
            continue
        year = int(m["y"]) if m["y"] else _year_word(m["yw"], today) or next_month_occurrence(m1, today)
        out.append(
            Found(
                value=DateRange(start=date(year, m1, 1), end=add_months(date(year, m2, 1), 1)),
                span=m.span(),
                text=m.group(0),
            )
        )
    months = sorted(_months(text, today), key=lambda f: f.span)
    for a in months:
        for b in months:
            gap = text[a.span[1] : b.span[0]]
            # "March to May", "3月到5月"; "Jan or Feb", "三月或者四月": either month, so the span of both.
            joined = re.fullmatch(_CONNECT, gap, re.I) or re.fullmatch(
                r"\s*(?:or|或者|或|还是)\s*", gap, re.I
            )
            if b.span[0] >= a.span[1] and joined and a.value.end and b.value.end:
                end = b.value.end
                if end <= a.value.start:
                    end = date(end.year + 1, end.month, end.day)
                lead = re.search(rf"{_FROM}$", text[: a.span[0]], re.I)
                start_at = lead.start() if lead and lead.group(0) else a.span[0]
                out.append(
                    Found(
                        value=DateRange(start=a.value.start, end=end),
                        span=(start_at, b.span[1]),
                        text=text[start_at : b.span[1]],
                    )
                )
    return out


_QUARTER_CN = r"(?P<q>[一二三四1-4])"


def _quarters(text: str, today: date) -> list[Found]:
    """ "Q2 2027", "2027 Q2", "2027年第二季度", "明年第二季度", "Q3", "next quarter", "下季度"."""
    out: list[Found] = []
    current_q = (today.month - 1) // 3 + 1

    def add(m: re.Match[str], year: int, q: int, clip: bool) -> None:
        start = date(year, 3 * (q - 1) + 1, 1)
        r = DateRange(start=start, end=add_months(start, 3))
        out.append(Found(value=_clip(r, today) if clip else r, span=m.span(), text=m.group(0)))

    for m in re.finditer(
        r"(?<![A-Za-z0-9])(?:Q(?P<q1>[1-4])\s*(?:of\s+)?(?P<y1>\d{4})?|(?P<y2>\d{4})\s*-?\s*Q(?P<q2>[1-4]))(?![A-Za-z0-9])",
        text,
        re.I,
    ):
        q = int(m["q1"] or m["q2"])
        y = m["y1"] or m["y2"]
        if y:
            add(m, int(y), q, clip=False)
        else:
            add(m, today.year if q >= current_q else today.year + 1, q, clip=True)
    for m in re.finditer(
        r"\b(?P<ord>first|second|third|fourth)\s+quarter(?:\s+(?:of\s+)?(?P<y>\d{4}|next year|this year))?",
        text,
        re.I,
    ):
        q = {"first": 1, "second": 2, "third": 3, "fourth": 4}[m["ord"].lower()]
        y = m["y"]
        if y:
            add(m, int(y) if y.isdigit() else _year_word(y, today) or today.year, q, clip=False)
        else:
            add(m, today.year if q >= current_q else today.year + 1, q, clip=True)
    for m in re.finditer(rf"(?:(?P<y>\d{{4}})\s*年\s*|(?P<yw>今年|明年|后年))?第?{_QUARTER_CN}\s*季度", text):
        q = parse_int(m["q"]) or 1
        if m["y"]:
            add(m, int(m["y"]), q, clip=False)
        elif m["yw"]:
            add(m, _year_word(m["yw"], today) or today.year, q, clip=m["yw"] == "今年")
        else:
            add(m, today.year if q >= current_q else today.year + 1, q, clip=True)
    for m in re.finditer(r"next quarter|下个?季度", text, re.I):
        start = date(today.year, 3 * (current_q - 1) + 1, 1)
        nxt = add_months(start, 3)
        out.append(Found(value=DateRange(start=nxt, end=add_months(nxt, 3)), span=m.span(), text=m.group(0)))
    return out


# A verb with the "下" of "看一下" ("看下", "睇下", "查下"): the next "下" starts the date ("看下下周" is next week).
_LOOK_AT = re.compile(r"(?:看|睇|查|瞧|瞅|问)$")

_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14, "month": 30}


def _relative(text: str, today: date) -> list[Found]:
    """ "下个月", "next month", "this month", "next week", "未来三个月", "in the next 6 weeks", "next year"."""
    out: list[Found] = []

    def add(m: re.Match[str], r: DateRange) -> None:
        out.append(Found(value=r, span=m.span(), text=m.group(0)))

    first = today.replace(day=1)
    for m in re.finditer(
        r"(?P<n>(?:下)+)个?月|next month|the month after next|this month|本月|这个月|呢个月|当月", text, re.I
    ):
        s = m.group(0).lower()
        if s in ("this month", "本月", "这个月", "呢个月", "当月"):
            add(m, DateRange(start=today, end=add_months(first, 1)))
            continue
        n = 2 if s == "the month after next" else (len(m["n"]) if m["n"] else 1)
        if _LOOK_AT.search(text, 0, m.start()) and n > 1:
            n -= 1  # "看下下个月", "睇下下个月": "look at next month"
        start = add_months(first, n)
        add(m, DateRange(start=start, end=add_months(start, 1)))
    monday = today - timedelta(days=today.weekday())
    for m in re.finditer(r"(?:这个?|本)(?:周|星期|礼拜)末|this weekend", text, re.I):
        saturday = monday + timedelta(days=5)
        add(m, DateRange(start=max(today, saturday), end=monday + timedelta(days=7)))
    for m in re.finditer(
        r"(?P<n>(?:下)+)(?:个)?(?:周|星期|礼拜)|\bne?xt\s+week|this week|本周|这周|这个星期", text, re.I
    ):
        s = m.group(0).lower()
        if s in ("this week", "本周", "这周", "这个星期"):
            add(m, DateRange(start=today, end=monday + timedelta(days=7)))
            continue
        n = len(m["n"]) if m["n"] else 1
        if _LOOK_AT.search(text, 0, m.start()) and n > 1:
            n -= 1  # "帮我看下下周", "睇下下个礼拜": "take a look at next week"
        start = monday + timedelta(days=7 * n)
        add(m, DateRange(start=start, end=start + timedelta(days=7)))
    # "calendar week 6", "KW 6", "CW6": the ISO week (Monday to Sunday) of the year it is next.
    for m in re.finditer(r"\b(?:calendar\s+week|KW|CW)\s*(?P<w>[1-9]|[1-4]\d|5[0-3])\b", text, re.I):
        for year in (today.year, today.year + 1):
            try:
                start = date.fromisocalendar(year, int(m["w"]), 1)
            except ValueError:
                continue
            if start + timedelta(days=7) > today:
                add(m, DateRange(start=max(start, today), end=start + timedelta(days=7)))
                break
    for m in re.finditer(
        r"(?<![\d年])(?:明年|next year)(?!\s*\d|\s*[一二三四五六七八九十]+\s*月|\s*第|\s*Q)", text, re.I
    ):
        add(m, DateRange(start=date(today.year + 1, 1, 1), end=date(today.year + 2, 1, 1)))
    rx = re.compile(
        rf"(?:(?:in|within|over|during)\s+the\s+(?:next|coming)|within|in the next|next|the next|coming|未来|接下来|今后|近|最近)\s*"
        rf"(?P<n>{EN_NUM}|{CN_NUM})\s*(?:个)?\s*(?P<u>days?|weeks?|months?|天|日|周|星期|个?月)",
        re.I,
    )
    for m in rx.finditer(text):
        count = parse_int(m["n"])
        if not count:
            continue
        u = m["u"].lower().rstrip("s")
        if u in ("month", "月", "个月"):
            add(m, DateRange(start=today, end=add_months(today, count)))
        else:
            k = {"day": 1, "天": 1, "日": 1, "week": 7, "周": 7, "星期": 7}[u]
            add(m, DateRange(start=today, end=today + timedelta(days=count * k)))
    return out


_NAMED_DAYS: dict[str, int] = {
    "today": 0,
    "tomorrow": 1,
    "the day after tomorrow": 2,
    "day after tomorrow": 2,
    "今天": 0,
    "今日": 0,
    "明天": 1,
    "明日": 1,
    "后天": 2,
    "大后天": 3,
}
_NAMED_DAY_RX = re.compile(
    rf"{_START_WORDS_BEFORE}(?P<w>{'|'.join(sorted(map(re.escape, _NAMED_DAYS), key=len, reverse=True))})(?![A-Za-z]){_START_WORDS_AFTER}",
    re.I,
)


def _named_days(text: str, today: date) -> list[Found]:
    """ "starting tomorrow", "明天开始", "from today": an open-ended range from that day."""
    out: list[Found] = []
    for m in _NAMED_DAY_RX.finditer(text):
        offset = _NAMED_DAYS[m["w"].lower()]
        # A bare "today" is small talk more often than a date; "from today" / "今天起" is a start; a bare
        # "tomorrow" ("any opening tomorrow?") is that day.
        bare = m.group(0).strip() == m["w"]
        if offset == 0 and bare:
            continue
        day = today + timedelta(days=offset)
        end = day + timedelta(days=1) if bare else None
        out.append(Found(value=DateRange(start=day, end=end), span=m.span(), text=m.group(0)))
    return out


def _weekday_ranges(text: str, today: date) -> list[Found]:
    """ "下周三到周五", "下周四开始", "next Wednesday" (agent/builtin/weekdays.py); one day not written as a start
    ("下周二能用吗", "a single day next Thursday") is that day."""
    out: list[Found] = []
    for w in find_weekdays(text, today):
        a, b = w.span
        end = w.end
        if end is None:
            before = re.search(
                r"(?:(?:from|starting|start|beginning|after)\s+(?:on\s+)?|从|自)$", text[:a], re.I
            )
            after = re.match(r"\s*(?:起|开始|以后|之后|后|onwards|onward)", text[b:], re.I)
            end = None if before or after else w.start + timedelta(days=1)
        out.append(
            Found(
                value=DateRange(start=w.start, end=end, exact=w.end is not None), span=w.span, text=text[a:b]
            )
        )
    return out


def _holiday_windows(text: str, today: date) -> list[Found]:
    """ "春节前", "before Christmas", "next spring", "元旦后第一周", "3/8-3/19" (agent/builtin/holidays.py)."""
    return [
        Found(value=DateRange(start=w.start, end=w.end), span=w.span, text=text[slice(*w.span)])
        for w in find_holiday_windows(text, today)
    ]


# Priority order: earlier finders win overlapping spans (a day range beats the month inside it).
def _half_years(text: str, today: date) -> list[Found]:
    """ "明年下半年", "the first half of next year", "H1 2027" (year_parts.py)."""
    return [
        Found(value=DateRange(start=h.start, end=h.end), span=h.span, text=text[h.span[0] : h.span[1]])
        for h in find_half_years(text, today)
    ]


_FINDERS: list[Finder] = [
    _nth_weekdays,
    _day_ranges,
    _day_lists,
    _month_spans,
    _quarters,
    _half_years,
    _weekday_ranges,
    _holiday_windows,
    _relative,
    _single_days,
    _bare_days,
    _named_days,
    _months,
]


def find_date_ranges(text: str, today: date) -> list[Found]:
    """Every non-overlapping date range in `text`, leftmost first; longer, more specific matches win."""
    taken: list[Span] = _past_days(text, today)
    found: list[Found] = []
    for finder in _FINDERS:
        candidates = sorted(finder(text, today), key=lambda f: (f.span[0], -(f.span[1] - f.span[0])))
        for f in candidates:
            a, b = f.span
            # Trim surrounding whitespace the optional prefixes may have swallowed.
            if any(a < tb and ta < b for ta, tb in taken):
                continue
            taken.append((a, b))
            found.append(f)
    found = [_started(text, _narrowed(text, f, taken)) for f in found]
    if _BOOKINGS_LISTED.search(text) and _BOOKING_WORD.search(text) and not _REST_OF.search(text):
        found = [_whole_current_month(f, today) for f in found]
    found = [_before(text, f, today) for f in found]
    return _joined(text, sorted(found, key=lambda f: f.span), today)


# Two dates joined into one window: "下周到下下周", "1月20号到2月底", "这个月和下个月", "April or May", "从2月1号锁到2月14号".
_TO = r"(?:[锁占订约留用排]|hold\s+(?:it\s+)?)?(?:到|至)|to|through|thru|until|till|-|–|—|~|～"
_EITHER = r"和|与|同|跟|及|或者?|还是|and|or"
_JOIN_TO = re.compile(rf"\s*(?:{_TO})\s*(?:the\s+)?", re.I)
_JOIN_EITHER = re.compile(rf"\s*(?:{_EITHER})\s*(?:the\s+)?", re.I)
# A range's last day written as a word: "下周到月底", "12月28号到元旦", "until the end of the month".
_END_WORD = re.compile(
    rf"\s*(?:{_TO})\s*(?:(?P<me>(?:这个?|本)?月(?:底|末)|(?:the\s+)?end\s+of\s+(?:the|this)\s+month|month[-\s]end)"
    r"|(?P<ny>元旦|new\s+year'?s?(?:\s+day)?))",
    re.I,
)

_PART_AFTER_JOIN = re.compile(rf"\s*(?:{_TO}|{_EITHER})\s*(?P<part>上旬|中旬|下旬|底|末|尾)")


def _joined(text: str, found: list[Found], today: date) -> list[Found]:
    """Adjacent dates joined by "到/to" (a range from the first to the last) or "和/or" (either window, so the
    span of both when both are windows), and a range ended by a word ("到月底", "到元旦")."""
    out: list[Found] = []
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and f.value.start >= prev.value.start:
            gap = text[prev.span[1] : f.span[0]]
            # "move my hold from January to March": the old window and the new one, not a range (asked_window).
            moved = _CHANGE.search(text) is not None and (
                _FROM_BEFORE.search(text[: prev.span[0]]) is not None
                or re.match(r"(?:从|from\s)", prev.text, re.I) is not None
            )
            to = _JOIN_TO.fullmatch(gap) is not None and not moved
            either = (
                _JOIN_EITHER.fullmatch(gap) is not None
                and prev.value.end is not None
                and f.value.end is not None
            )
            if to or either:
                end = f.value.end or f.value.start + timedelta(days=1)
                out[-1] = Found(
                    value=DateRange(
                        start=prev.value.start,
                        end=end,
                        exact=(prev.value.exact and f.value.exact)
                        or (to and _day_level(prev.value) and _day_level(f.value)),
                    ),
                    span=(prev.span[0], f.span[1]),
                    text=text[prev.span[0] : f.span[1]],
                )
                continue
        out.append(f)
    for i, f in enumerate(out):
        p = _PART_AFTER_JOIN.match(text, f.span[1])
        m = p or _END_WORD.match(text, f.span[1])
        if m is None:
            continue
        first = f.value.start.replace(day=1)
        if p is not None:
            # "3月中旬同下旬", "下个月上旬到中旬": to the end of that part of the same month
            last = calendar.monthrange(first.year, first.month)[1]
            end = date(first.year, first.month, min(_PART_ZH[p["part"]][1], last)) + timedelta(days=1)
        elif m["me"]:
            end = add_months(first, 1)  # "到月底": to the end of that month
        else:
            end = _next(1, 1, today) + timedelta(days=1)  # "到元旦": New Year's Day included
        if end > f.value.start:
            out[i] = Found(
                value=DateRange(start=f.value.start, end=end),
                span=(f.span[0], m.end()),
                text=text[f.span[0] : m.end()],
            )
    return out


def _day_level(r: DateRange) -> bool:
    """A single day, as a start or as that day."""
    return r.end is None or r.days == 1


def _next(month: int, day: int, today: date) -> date:
    """The next (month, day) after today."""
    d = next_day_occurrence(month, day, today + timedelta(days=1))
    assert d is not None
    return d


# Listing or dropping the user's own bookings ("这个月所有的hold", "取消12月份的预留", "12月的预约都列出来"):
# the current month is the whole month, the days already past included (the corpus labels it from the 1st).
_BOOKING_WORD = re.compile(
    r"预约|预留|预订|占位|订了|(?<![A-Za-z])(?:holds?|bookings?|reservations?|booked)(?![A-Za-z])", re.I
)
_BOOKINGS_LISTED = re.compile(
    r"列|清单|所有|哪些|几个|汇总|到期|取消|释放|撤|\b(?:list|show|all|cancel|release|drop|what)\b", re.I
)

# "12月剩下的预约", "the rest of December": from today after all.
_REST_OF = re.compile(r"剩下|剩余|\b(?:rest|remainder)\s+of\b|\bremaining\b", re.I)


def _whole_current_month(f: Found, today: date) -> Found:
    first = today.replace(day=1)
    if f.value.start == today and f.value.end == add_months(first, 1) and today != first:
        return f.model_copy(update={"value": DateRange(start=first, end=f.value.end)})
    return f


_PART_START_AFTER = re.compile(r"\s*(?:的)?(?:开始|起)")
_PART_START_BEFORE = re.compile(r"(?:从|自|\bstarting\s+(?:in\s+)?|\bfrom\s+)$", re.I)


def _started(text: str, f: Found) -> Found:
    """A part of a month a stay starts in ("一月中旬开始一周", "从3月中旬开始", "starting mid-March") is where it
    starts (the corpus labels the stay from that day), not a window to search."""
    v = f.value
    if v.end is None or v.exact or v.start.day not in (1, 11, 16, 21):
        return f
    if (v.end - v.start).days > 16:
        return f
    after = _PART_START_AFTER.match(text, f.span[1])
    before = _PART_START_BEFORE.search(text[: f.span[0]])
    if not after and not before:
        return f
    a = before.start() if before else f.span[0]
    b = after.end() if after else f.span[1]
    return Found(value=DateRange(start=v.start), span=(a, b), text=text[a:b])


_BEFORE_AFTER = re.compile(r"\s*(?:之前|以前|前)(?![一二两三四五六七八九十\d])")
_BEFORE_BEFORE = re.compile(r"\bbefore\s+(?:the\s+)?$", re.I)


def _before(text: str, f: Found, today: date) -> Found:
    """Before a date ("1月底之前", "下个月中旬之前", "before the end of Feb"): from today to the day before it, or
    to the end of the month when the date is a month's end (the corpus: "一月底之前占两周" 2026-12-05..2027-01-31)."""
    v = f.value
    after = _BEFORE_AFTER.match(text, f.span[1])
    if v.end is None or v.start <= today or not (after or _BEFORE_BEFORE.search(text[: f.span[0]])):
        return f
    month_end = v.start.day == 21 and whole_month(v.start, v.end)
    end = v.end if month_end else v.start
    b = after.end() if after else f.span[1]
    return Found(value=DateRange(start=today, end=end), span=(f.span[0], b), text=text[f.span[0] : b])


def _narrowed(text: str, f: Found, taken: list[Span]) -> Found:
    """A month with its part written around it ("下个月中旬", "the first half of March") is that part."""
    if not whole_month(f.value.start, f.value.end):
        return f
    part = month_part(text, f.span, f.value.start)
    if part is None:
        return f
    (a, b), start, end = part
    if any(a < tb and ta < b for ta, tb in taken if (ta, tb) != f.span):
        return f
    return Found(value=DateRange(start=start, end=end), span=(a, b), text=text[a:b])


# A window being given up ("1月的hold退了，改到3月上旬", "五月不行的话六月也可以", "if not March then April"): the
# rest of its clause says so (a Chinese verb after its object; an English "release the …" is about what follows).
_GIVEN_UP_AFTER = re.compile(
    r"[^，,。.;；！!？?]{0,20}?(?:退|取消|释放|放掉|撤|不行|不要|订满|满了"
    r"|\s(?:is|are)\s+(?:full|booked(?:\s+up)?|taken)\b|\s(?:does\s*n[o']t|won'?t)\s+work\b)",
    re.I,
)
_GIVEN_UP_BEFORE = re.compile(r"\bnot\s+(?:in\s+)?$", re.I)
# A move "从2月8号改到2月20号", "move my hold from January to March", "原来是…，改成…": the old window.
_CHANGE = re.compile(r"改|换|挪|推迟|调到|\b(?:move|moving|swap|switch|shift|change|reschedule)\b", re.I)
_OLD_BEFORE = re.compile(r"(?:原来是?|本来是?|\b(?:instead\s+of|rather\s+than)\s+)$", re.I)
_FROM_BEFORE = re.compile(r"(?:从|\bfrom\s+)$", re.I)
_TO_AFTER = re.compile(r"\s*(?:改到|改成|改为|换到|换成|挪到|推到|调到|到|\bto\b)", re.I)


def _given_up(text: str, f: Found, others: list[Found]) -> bool:
    """Whether `f` is a window the user leaves for another date in the message."""
    if not any(o.span[0] >= f.span[1] for o in others):
        return False
    if _GIVEN_UP_AFTER.match(text, f.span[1]) or _GIVEN_UP_BEFORE.search(text[: f.span[0]]):
        return True
    if not _CHANGE.search(text):
        return False
    head = text[: f.span[0]]
    if _OLD_BEFORE.search(head):
        return True
    from_ = _FROM_BEFORE.search(head) or re.match(r"(?:从|from\s)", f.text, re.I)
    return bool(from_ and _TO_AFTER.match(text, f.span[1]))


def _inside(inner: DateRange, outer: DateRange) -> bool:
    """`inner` starts within `outer` and is the more precise of the two."""
    if outer.end is None or not outer.start <= inner.start < outer.end or inner == outer:
        return False
    return inner.end is None or inner.exact or inner.end <= outer.end


# When the user will talk again ("下周再聊", "明天再问", "下周见", "talk tomorrow", "I'll brief the dean tomorrow"):
# no window asked for (every such message in the corpus is labelled without dates).
_AGAIN_AFTER = re.compile(r"\s*(?:再(?:来)?(?:聊|说|问|找|联系|弄|搵|谈|讨论)|见\s*[。.!！~～]*\s*$)")
_SIGNOFF_BEFORE = re.compile(
    r"\b(?:talk|see\s+you|(?:I['’]ll|I\s+will|we['’]ll|we\s+will|I\s+want\s+to)\s+(?:\w+\s+){0,4}?)\s*$", re.I
)
_CALENDAR_WORD = re.compile(
    r"\b(?:free|available|availability|open|hold|book|booking|reserve|lock|slot|window|need|use|test|run)\b",
    re.I,
)
# A date given as why a booking goes ("pushed into next year", "项目推迟到明年下半年了", "budget frozen till Q2",
# "等明年再说"): the reason for a release, not a window.
_POSTPONED_BEFORE = re.compile(
    r"(?:\b(?:postponed|pushed|slipped|delayed|moved|frozen|put\s+off)\b[^,.;，。；]{0,25}?\b(?:to|into|till|until)"
    r"|推迟到|推到|延到|延期到|推后到|等)\s*(?:the\s+)?$",
    re.I,
)
_RELEASE = re.compile(r"\b(?:release|cancel|drop)|释放|取消|退|撤", re.I)


_FREE_ZH = re.compile(r"空|档期|窗口|时间段|锁|占|订|排期")


def _whole_year(r: DateRange) -> bool:
    return r.start.month == 1 and r.start.day == 1 and r.end == date(r.start.year + 1, 1, 1)


def _no_window(text: str, f: Found) -> bool:
    """Whether the date at `f` is no window asked for: when the user will talk again, or why a booking goes."""
    if _AGAIN_AFTER.match(text, f.span[1]):
        return True
    calendar = bool(_CALENDAR_WORD.search(text) or _BOOKING_WORD.search(text) or _FREE_ZH.search(text))
    if _whole_year(f.value) and not calendar:
        return True  # "明年要建2万卡算力集群", "moving to dry coating next year": a plan, not a window
    if _SIGNOFF_BEFORE.search(text[: f.span[0]]) and not calendar:
        return True
    return bool(_RELEASE.search(text) and _POSTPONED_BEFORE.search(text[: f.span[0]]))


def asked_window(text: str, found: list[Found]) -> Found | None:
    """The window asked for among the dates of a message: not one given up or moved from ("1月的hold退了，改到3月
    上旬", "move my hold from January to the first half of March"), and the most precise of those nested in it
    ("6月 占两周 6月7号开始", "mid-January … 6 days starting Jan 13"): the corpus labels the day the stay starts."""
    found = [f for f in found if not _no_window(text, f)]
    kept = [f for f in found if not _given_up(text, f, found)] or found
    if not kept:
        return None
    pick = kept[0]
    for f in kept[1:]:
        if _inside(f.value, pick.value):
            pick = f
    return pick


def extract_date_range(text: str, today: date) -> DateRange | None:
    """The first date range in `text`, or None."""
    found = find_date_ranges(text, today)
    return found[0].value if found else None


# --- durations --------------------------------------------------------------------------------


class FoundDuration(BaseModel):
    model_config = ConfigDict(frozen=True)

    days: int
    span: Span
    text: str


# "12 consecutive days", "11 free days", "five clear days", "two free days in a row": a stay the user needs,
# labelled so by every writer who wrote one (W1, W5, W6, W8, W11).
_STAY_ADJ = r"(?:(?:consecutive|continuous|straight|free|clear|open|full)\s+)?"
# "2 wks", "a couple of weeks" (2), "the fortnight starting Jan 18", "any free fortnight" (one).
_DUR_EN = re.compile(
    rf"\b(?:(?P<n>{EN_NUM}|a\s+couple\s+of)(?P<half>\s+and\s+a\s+half)?[-\s]*{_STAY_ADJ}"
    r"(?P<u>days?|weeks?|wks?|months?|fortnights?)"
    r"|(?P<n1>the|any|a)\s+(?:free\s+)?(?P<u1>fortnight))\b",
    re.I,
)
_DUR_ZH = re.compile(
    rf"(?P<n>\d+|{CN_NUM}|半)\s*(?P<half>个半)?\s*(?P<u>天|周|星期|个星期|礼拜|个礼拜|个月|整月|(?<=半)月)"
)

# "hold 5日", "要4日", "做6日测试", "hold住两日": 日 is the day unit in Cantonese, where Mandarin says 天 and "13日"
# is a day of the month ("下个月13日"). So only in a Cantonese message (its own particles and verbs), and never
# where a day of the month starts something ("13日开始", "13日起").
_CANTONESE = re.compile(r"[嘅咁嗰佢冇喺啲睇搵唔嚟咗哋咩俾畀]|得闲|几钱")
_DUR_ZH_DAY = re.compile(
    rf"(?<![月号到至~\-—\d零〇一二两俩三四五六七八九十百千])(?P<n>\d{{1,3}}|{CN_NUM})\s*(?P<u>日)"
    r"(?!\s*(?:起|开始|到|至|前|后|以前|之前|以后|之后|号|期|本|元|内|[\d一二两三四五六七八九十]))"
)

_DAYS_AFTER_VERB = re.compile(r"(?:hold|锁|占|住|订|留|要|用|起|开始)\s*$", re.I)


def find_durations(
    text: str, *, exclude: list[Span] | None = None, unmasked: str | None = None
) -> list[FoundDuration]:
    """Durations in days ("three weeks" 21, "两周" 14, "一个月" 30, "10天" 10), skipping `exclude` spans.

    Months count as 30 days. Phrases that are date ranges ("未来三个月", "next 2 weeks") are
    excluded automatically. `unmasked`: the text before other slots were blanked out of it, whose words
    before "N日" ("3月1号起7日") tell a length from a day of the month.
    """
    words = unmasked if unmasked is not None and len(unmasked) == len(text) else text
    skip = list(exclude or []) + [f.span for f in _relative(text, date(2000, 1, 1))]
    out: list[FoundDuration] = []
    cantonese = _CANTONESE.search(text) is not None
    for rx in (_DUR_EN, _DUR_ZH, _DUR_ZH_DAY):
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < tb and ta < b for ta, tb in skip):
                continue
            # Elsewhere "N日" is a length only right after a booking verb or a start ("hold 3日", "3月1号起7日").
            if rx is _DUR_ZH_DAY and not cantonese and not _DAYS_AFTER_VERB.search(words, 0, a):
                continue
            n_text = m["n"] or ("1" if m.groupdict().get("u1") else None)
            if n_text and re.fullmatch(r"a\s+couple\s+of", n_text, re.I):
                n_text = "2"
            n = 0.5 if n_text == "半" else parse_int(n_text or "")
            if n is None:
                continue
            # "个半月" / "and a half": one and a half units.
            if m.groupdict().get("half"):
                n += 0.5
            u = (m["u"] or m["u1"]).lower() if "u1" in m.re.groupindex else m["u"].lower()
            if u.startswith("day") or u in ("天", "日"):
                k = 1
            elif u.startswith("fortnight"):
                k = 14
            elif u.startswith(("week", "wk")) or u in ("周", "星期", "个星期", "礼拜", "个礼拜"):
                k = 7
            else:
                k = 30
            # "第三周" is "the third week", not a duration; nor a day rate, a notice period, a shift (stay_lengths).
            if (a > 0 and text[a - 1] == "第") or not_a_stay(words, (a, b)):
                continue
            out.append(FoundDuration(days=round(n * k), span=(a, b), text=m.group(0)))
    return sorted(out, key=lambda f: f.span)


def extract_duration_days(text: str) -> int | None:
    """The first duration in `text`, in days, or None."""
    found = find_durations(text)
    return found[0].days if found else None
