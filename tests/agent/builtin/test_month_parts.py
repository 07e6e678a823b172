"""Parts of a month and months offered as alternatives, as the corpus labels them (today 2026-12-05)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agent.builtin.dates import extract_date_range

TODAY = date(2026, 12, 5)


def _window(text: str) -> tuple[date, date]:
    r = extract_date_range(text, TODAY)
    assert r is not None and r.end is not None
    return r.start, r.end - timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # halves
        (
            "Is the towing tank free at any point in the first half of March?",
            date(2027, 3, 1),
            date(2027, 3, 15),
        ),
        ("check it for the second half of Jan then", date(2027, 1, 16), date(2027, 1, 31)),
        ("Pls also check 2nd half of Feb.", date(2027, 2, 16), date(2027, 2, 28)),
        ("湖北那个，4月上半月有没有连续14天", date(2027, 4, 1), date(2027, 4, 15)),
        ("那帮我看看4月后半个月", date(2027, 4, 16), date(2027, 4, 30)),
        # 上旬 / 中旬 / 下旬 / 初 of a relative month
        ("FAC-0021 下个月中旬有空档吗", date(2027, 1, 11), date(2027, 1, 20)),
        ("那个工厂下月下旬能用不", date(2027, 1, 21), date(2027, 1, 31)),
        ("FAC-0037 下月初连续三天，查下空档", date(2027, 1, 1), date(2027, 1, 10)),
        ("FAC-0006这个月底能不能做安全测试", date(2026, 12, 21), date(2026, 12, 31)),
        ("is it free mid next month?", date(2027, 1, 11), date(2027, 1, 20)),
        ("找个5G专网示范点，1月中下旬能用3天的", date(2027, 1, 11), date(2027, 1, 31)),
        # weeks
        ("Check FAC-0049 for the first two weeks of February", date(2027, 2, 1), date(2027, 2, 14)),
        ("有的话直接帮我占四月前两周", date(2027, 4, 1), date(2027, 4, 14)),
        ("whether it's free the first week of February", date(2027, 2, 1), date(2027, 2, 7)),
        ("帮我预约岚山理工的硅光封装中试线，3月第二周", date(2027, 3, 8), date(2027, 3, 14)),
        ("然后帮我占下四月第二周", date(2027, 4, 5), date(2027, 4, 11)),
        ("FAC-0024 二月最后一周有空吗", date(2027, 2, 22), date(2027, 2, 28)),
        ("hold the Gansu one for the last ten days of February", date(2027, 2, 19), date(2027, 2, 28)),
        # either month: the span of both
        ("FAC-0063 - any free stretch in Jan or Feb?", date(2027, 1, 1), date(2027, 2, 28)),
        ("三月或者四月，FAC-0053 随便哪段连续两周", date(2027, 3, 1), date(2027, 4, 30)),
        ("available in February or March for five days?", date(2027, 2, 1), date(2027, 3, 31)),
    ],
)
def test_a_part_of_a_month(text: str, first: date, last: date) -> None:
    assert _window(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("FAC-0021 下个月有空档吗", date(2027, 1, 1), date(2027, 1, 31)),
        ("Is it free in March?", date(2027, 3, 1), date(2027, 3, 31)),
        ("the first production batch in March", date(2027, 3, 1), date(2027, 3, 31)),
    ],
)
def test_a_month_without_a_part_is_whole(text: str, first: date, last: date) -> None:
    assert _window(text) == (first, last)


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        ("星垣那个吧，占上，一月中旬开始一周", date(2027, 1, 11), 7),
        ("好 那就把第二个占上 四月初开始一周", date(2027, 4, 1), 7),
        ("帮我在FAC-0023先锁两周 二月下旬开始的那种", date(2027, 2, 21), 14),
        ("碧川的数字孪生示范工厂，能不能占11天，从3月中旬开始？", date(2027, 3, 11), 11),
    ],
)
def test_a_part_a_stay_starts_in_is_its_start(text: str, start: date, days: int) -> None:
    from agent.builtin.slots import extract_slots

    s = extract_slots(text, TODAY)
    assert s.dates is not None and (s.dates.start, s.dates.end) == (start, None)
    assert s.duration_days == days


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("查下我们单位这个月所有的hold", date(2026, 12, 1)),
        ("取消FAC-0020上12月份的预留", date(2026, 12, 1)),
        ("show all my bookings this month", date(2026, 12, 1)),
        # asking for a free window this month: from today
        ("凌峰激光中试线这个月还有空吗", TODAY),
        ("hold FAC-0001 for 3 days this month", TODAY),
    ],
)
def test_the_current_month_of_ones_own_bookings_is_whole(text: str, first: date) -> None:
    r = extract_date_range(text, TODAY)
    assert r is not None and (r.start, r.end) == (first, date(2027, 1, 1))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # English: the first seven days, whatever weekday the month starts on
        ("any room in the first week of April?", (date(2027, 4, 1), date(2027, 4, 7))),
        ("free first week of Jan for 2 days?", (date(2027, 1, 1), date(2027, 1, 7))),
        # Chinese: weeks counted from the one holding the month's first Thursday
        ("2027年1月第一周", (date(2027, 1, 4), date(2027, 1, 10))),
        ("明年一月第三周能用吗", (date(2027, 1, 18), date(2027, 1, 24))),
        ("四月第一周", (date(2027, 4, 1), date(2027, 4, 4))),  # April 1st is a Thursday: its week counts
    ],
)
def test_first_weeks(text: str, want: tuple[date, date]) -> None:
    assert _window(text) == want
