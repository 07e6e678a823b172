"""Halves of a year (year_parts.py), quarters and months beside Chinese words, and dates that pick a booking
(booked.py)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)


def window(text: str) -> tuple[date, date | None] | None:
    d = extract_slots(text, TODAY).dates
    return None if d is None else (d.start, d.end)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("泓源的车体中试车间，明年下半年哪些时间段空着？", (date(2027, 7, 1), date(2028, 1, 1))),
        ("明年上半年什么时候有连续一个月的空？", (date(2027, 1, 1), date(2027, 7, 1))),
        ("2027年下半年", (date(2027, 7, 1), date(2028, 1, 1))),
        ("上半年能排吗", (date(2027, 1, 1), date(2027, 7, 1))),  # in December: next year's
        ("any slot in the first half of next year?", (date(2027, 1, 1), date(2027, 7, 1))),
        ("second half of 2027 works", (date(2027, 7, 1), date(2028, 1, 1))),
        ("H1 2027 for the pilot run", (date(2027, 1, 1), date(2027, 7, 1))),
        # a quarter or a month right beside Chinese words
        ("明年Q1哪个有空，要13天", (date(2027, 1, 1), date(2027, 4, 1))),
        ("钙钛矿组件中试线Q1还有没有连续两周的空档", (date(2027, 1, 1), date(2027, 4, 1))),
        ("FAC-0047和泓源那个车体中试车间 哪个4月能做14天", (date(2027, 4, 1), date(2027, 5, 1))),
    ],
)
def test_windows(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "draft the equity version for the H2 tank carbon fibre: 23.9M valuation",  # H2 is hydrogen
        "release BK-2027-0077 pls. project slipped to H2",
        # a day picking one of the user's bookings
        "3月15号那个中砺安全实验室的预约算了，不测了",
        "帮我把1月4号那个光传输测试床的hold确认掉",
        "确认一下我们2月8号开始的那个数字孪生工厂的预约",
        "瑞岭矿化示范基地2月22号那段，确认吧，材料都齐了",
        # when holds expire
        "Which of my holds expire this week?",
        "any holds expiring this week?",
    ],
)
def test_no_window(text: str) -> None:
    assert window(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a month picking a booking stays the month (most writers label it)…
        ("澄湖理工钙钛矿组件中试线3月那个预留，帮我转成正式预订", (date(2027, 3, 1), date(2027, 4, 1))),
        ("release the January one", (date(2027, 1, 1), date(2027, 2, 1))),
        # …unless another date is the one asked for
        ("把FAC-0044二月份那个占位释放了，改占3月15号到18号", (date(2027, 3, 15), date(2027, 3, 19))),
        ("cancel all my January holds and find me a lab in February", (date(2027, 2, 1), date(2027, 3, 1))),
    ],
)
def test_month_picks(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want
