"""Halves of a year: "明年上半年" (Jan–Jun), "明年下半年" (Jul–Dec), "2027年上半年", "下半年", "the first half of next
year", "second half of 2027", "H1 2027" (never a bare "H2": hydrogen). A half with no year is the next one not yet over (today's, from today)."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

_ZH = re.compile(r"(?:(?P<y>\d{4})\s*年\s*|(?P<yw>今年|明年|后年))?(?P<h>上|下)半年")
_EN = re.compile(
    r"\b(?:the\s+)?(?P<h>first|second)\s+half\s+of\s+(?P<yw>next year|this year|(?P<y>\d{4}))"
    r"|(?<![A-Za-z0-9])H(?P<hn>[12])\s*(?P<y2>\d{4})(?![A-Za-z0-9])",  # "H2" alone is hydrogen
    re.I,
)
_YEAR_WORD = {"今年": 0, "this year": 0, "明年": 1, "next year": 1, "后年": 2}


class HalfYear(NamedTuple):
    start: date
    end: date  # exclusive
    span: tuple[int, int]


def _half(year: int, second: bool, span: tuple[int, int], today: date, clip: bool) -> HalfYear:
    start = date(year, 7 if second else 1, 1)
    end = date(year + 1, 1, 1) if second else date(year, 7, 1)
    if clip and end <= today:  # "上半年" in December: next year's
        return _half(year + 1, second, span, today, clip=False)
    return HalfYear(max(start, today) if clip else start, end, span)


def find_half_years(text: str, today: date) -> list[HalfYear]:
    out: list[HalfYear] = []
    for m in _ZH.finditer(text):
        second = m["h"] == "下"
        if m["y"]:
            out.append(_half(int(m["y"]), second, m.span(), today, clip=False))
        elif m["yw"]:
            out.append(
                _half(today.year + _YEAR_WORD[m["yw"]], second, m.span(), today, clip=m["yw"] == "今年")
            )
        else:
            out.append(_half(today.year, second, m.span(), today, clip=True))
    for m in _EN.finditer(text):
        second = (m["h"] or "").lower() == "second" or m["hn"] == "2"
        y = m["y"] or m["y2"]
        if y:
            out.append(_half(int(y), second, m.span(), today, clip=False))
        elif m["yw"]:
            w = m["yw"].lower()
            out.append(_half(today.year + _YEAR_WORD[w], second, m.span(), today, clip=w == "this year"))
        else:
            out.append(_half(today.year, second, m.span(), today, clip=True))
    return out
