"""Days of a named week, the month written once for two days, one-day dates, small talk (today Sat 2026-12-05)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agent.builtin.dates import extract_date_range
from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)


def _window(text: str) -> tuple[date, date | None]:
    r = extract_date_range(text, TODAY)
    assert r is not None
    return r.start, (r.end - timedelta(days=1) if r.end else None)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("鲲岳炼化的材料表征中心，下周三到周五，帮我先占着", date(2026, 12, 9), date(2026, 12, 11)),
        ("麓湖科大的材料表征中心，下周二到周四，三天", date(2026, 12, 8), date(2026, 12, 10)),
        ("下周三、周四两天占上", date(2026, 12, 9), date(2026, 12, 10)),
        ("is the lab free next Wednesday to Friday?", date(2026, 12, 9), date(2026, 12, 11)),
        ("下下周一到周三", date(2026, 12, 14), date(2026, 12, 16)),
        # the month written once for both days
        ("换成FAC-0027，同样是1月18到22号", date(2027, 1, 18), date(2027, 1, 22)),
        ("Is the Heling electrolyser test platform free 3-5 Feb?", date(2027, 2, 3), date(2027, 2, 5)),
        ("a tentative hold on the pilot line from 8 to 19 March.", date(2027, 3, 8), date(2027, 3, 19)),
        ("confirm our hold on the anechoic chamber for 12–14 January.", date(2027, 1, 12), date(2027, 1, 14)),
        # one day
        ("Is the power electronics lab free on Dec 21?", date(2026, 12, 21), date(2026, 12, 21)),
        ("hold FAC-0035 on Jan 6", date(2027, 1, 6), date(2027, 1, 6)),
        ("any opening at FAC-0035 tomorrow?", date(2026, 12, 6), date(2026, 12, 6)),
        ("FAC-0017 下周一用一天，帮我hold", date(2026, 12, 7), date(2026, 12, 7)),
    ],
)
def test_a_range(text: str, first: date, last: date) -> None:
    assert _window(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("FAC-0009 下周三开始占3天", date(2026, 12, 9)),
        ("帮我看看星垣的可靠性实验室 下周四开始连续5天能不能用", date(2026, 12, 10)),
        ("from tomorrow, 3 days", date(2026, 12, 6)),
    ],
)
def test_one_day_is_where_a_stay_starts(text: str, start: date) -> None:
    assert _window(text) == (start, None)


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        ("hold FAC-0035 tomorrow for 3 days", date(2026, 12, 6), 3),
        ("hold FAC-0035 on Jan 6 for five days", date(2027, 1, 6), 5),
    ],
)
def test_a_day_with_a_length_is_a_start(text: str, start: date, days: int) -> None:
    s = extract_slots(text, TODAY)
    assert s.dates is not None and (s.dates.start, s.dates.end) == (start, None)
    assert s.duration_days == days


@pytest.mark.parametrize(
    "text",
    ["上海明天下雨吗", "what's the weather in Suzhou tomorrow", "帮我订张明天去西安的机票", "明天有雨吗"],
)
def test_small_talk_asks_for_no_window(text: str) -> None:
    assert extract_slots(text, TODAY).dates is None


def test_a_day_count_before_a_word_with_qi_is_no_weather() -> None:
    s = extract_slots("FAC-0024 粉末雾化中试线，2月份能约几天？我们要做4天气雾化", TODAY)
    assert s.dates is not None and s.dates.start == date(2027, 2, 1)


# Two days of no named week, or one day with 那天: the next such days after today.
@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("周二到周四先锁上", date(2026, 12, 8), date(2026, 12, 11)),
        ("周三那天帮我留着", date(2026, 12, 9), date(2026, 12, 10)),
        ("ok grab it, tuesday to friday", date(2026, 12, 8), date(2026, 12, 12)),
        ("grab Thursday and Friday then", date(2026, 12, 10), date(2026, 12, 12)),
        ("then make it Wed-Fri", date(2026, 12, 9), date(2026, 12, 12)),
    ],
)
def test_bare_weekday_ranges_are_the_next_ones(text: str, start: date, end: date) -> None:
    d = extract_slots(text, date(2026, 12, 5)).dates
    assert d is not None and (d.start, d.end) == (start, end)


@pytest.mark.parametrize(
    "text",
    [
        "Great, appreciated. Talk Monday.",
        "our CFO is OOO till Monday.",
        "a summary by Monday",
        "周一之前能确认吗？",
    ],
)
def test_one_bare_weekday_is_no_window(text: str) -> None:
    assert extract_slots(text, date(2026, 12, 5)).dates is None
