"""Which of several dates in a message is the window asked for (dates.asked_window), and days written
without their month (dates._bare_days)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)  # a Saturday


def window(text: str) -> tuple[date, date | None] | None:
    d = extract_slots(text, TODAY).dates
    return None if d is None else (d.start, d.end)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a day inside the month (or part of it) named first is where the stay starts
        ("FAC-0031 四月 用十天 4月12号开始", (date(2027, 4, 12), None)),
        ("we'd like late January, say 5 days starting Jan 24", (date(2027, 1, 24), None)),
        ("next week, hold Tuesday to Thursday", (date(2026, 12, 8), date(2026, 12, 11))),
        ("明年一季度做验证，2月中旬能排吗", (date(2027, 2, 11), date(2027, 2, 21))),
        # a window given up or moved from is not the one asked for
        ("把2月的预留取消了，改到4月上旬", (date(2027, 4, 1), date(2027, 4, 11))),
        ("从3月2号改到3月16号开始，还是一周", (date(2027, 3, 16), None)),
        (
            "please move the hold from February to the second half of April",
            (date(2027, 4, 16), date(2027, 5, 1)),
        ),
        ("四月不行的话五月也行", (date(2027, 5, 1), date(2027, 6, 1))),
        ("if not February then March", (date(2027, 3, 1), date(2027, 4, 1))),
        # …but a release of what follows leaves the first date asked for
        ("hold FAC-0012 Jan 7-8 and release the Jan 3-4 one", (date(2027, 1, 7), date(2027, 1, 9))),
    ],
)
def test_asked_window(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # in the month named before
        ("四月份那条线，锁10号到14号", (date(2027, 4, 10), date(2027, 4, 15))),
        ("5月份帮我占6天，从9号开始", (date(2027, 5, 9), None)),
        ("下个月20号开始用一周", (date(2027, 1, 20), None)),
        ("下个月3号到6号有空吗", (date(2027, 1, 3), date(2027, 1, 7))),
        ("in March, 10 days from the 2nd", (date(2027, 3, 2), None)),
        # no month: the next such day
        ("lock it from the 18th for 3 days", (date(2026, 12, 18), None)),
        ("make it the 2nd-4th", (date(2027, 1, 2), date(2027, 1, 5))),
        ("那就22号到24号", (date(2026, 12, 22), date(2026, 12, 25))),
        # a month/day with a start word
        ("4/6开始锁一周", (date(2027, 4, 6), None)),
        ("hold it from 3/9 for a week", (date(2027, 3, 9), None)),
    ],
)
def test_bare_days(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize("text", ["3号线的站台", "royalty 1/3 of net sales", "5号楼的实验室有什么设备"])
def test_not_bare_days(text: str) -> None:
    assert window(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Cantonese month end: "月尾" is 下旬
        ("FAC-0020 3月尾得唔得闲？", (date(2027, 3, 21), date(2027, 4, 1))),
        ("呢个月尾有冇位", (date(2026, 12, 21), date(2027, 1, 1))),
        ("边个4月尾有位？", (date(2027, 4, 21), date(2027, 5, 1))),  # 边个 "which one", not "N个月"
        # the "下" of "看一下" before 下周 / 下个月
        ("帮我查下下周有没有空", (date(2026, 12, 7), date(2026, 12, 14))),
        ("睇下下个月有冇档期", (date(2027, 1, 1), date(2027, 2, 1))),
        ("下下周有没有空", (date(2026, 12, 14), date(2026, 12, 21))),
    ],
)
def test_cantonese_and_look_at(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # two dates joined by 到/to: from the first to the last
        ("下周到下下周有没有连续4天", (date(2026, 12, 7), date(2026, 12, 21))),
        ("1月10号到3月初之间有空吗", (date(2027, 1, 10), date(2027, 3, 11))),
        ("下周到月底哪天能开始", (date(2026, 12, 7), date(2027, 1, 1))),
        ("12月29号到元旦能不能用", (date(2026, 12, 29), date(2027, 1, 2))),
        ("从3月2号锁到3月9号", (date(2027, 3, 2), date(2027, 3, 10))),
        ("本周末到下周二能用吗", (date(2026, 12, 5), date(2026, 12, 9))),
        # joined by 和/or: either window, so the span of both
        ("这个月和下个月我都订了什么", (date(2026, 12, 5), date(2027, 2, 1))),
        ("下周和下下周哪天有空", (date(2026, 12, 7), date(2026, 12, 21))),
        ("is it free in April or May?", (date(2027, 4, 1), date(2027, 6, 1))),
        # the month written once for two months
        ("明年5-6月能用吗", (date(2027, 5, 1), date(2027, 7, 1))),
        ("二到四月份有没有空档", (date(2027, 2, 1), date(2027, 5, 1))),
        ("hold it March-May", (date(2027, 3, 1), date(2027, 6, 1))),
        ("any window in February or May", (date(2027, 2, 1), date(2027, 6, 1))),
        ("free between April and May?", (date(2027, 4, 1), date(2027, 6, 1))),
        # …but a move from one window to another is no range
        ("move the hold from February to March 8-12", (date(2027, 3, 8), date(2027, 3, 13))),
    ],
)
def test_joined(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("下周四五能用吗", (date(2026, 12, 10), date(2026, 12, 12))),
        ("下个礼拜一二得唔得闲", (date(2026, 12, 7), date(2026, 12, 9))),
        ("锁周四周五", (date(2026, 12, 10), date(2026, 12, 12))),
        ("下周二三点开会", (date(2026, 12, 8), date(2026, 12, 9))),  # 三点 is a time
        ("2月3号4号帮我占上", (date(2027, 2, 3), date(2027, 2, 5))),
        ("3月17、18号能用吗", (date(2027, 3, 17), date(2027, 3, 19))),
        ("5月12号开始", (date(2027, 5, 12), None)),  # not the 1st and the 2nd
    ],
)
def test_day_pairs(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # one day not written as a start is that day
        ("下周四能送样吗", (date(2026, 12, 10), date(2026, 12, 11))),
        ("is it free next Tuesday?", (date(2026, 12, 8), date(2026, 12, 9))),
        ("lock it Feb 3", (date(2027, 2, 3), date(2027, 2, 4))),
        ("就订3月2号那天", (date(2027, 3, 2), date(2027, 3, 3))),
        # …a start when written so, or with a length
        ("下周四开始用", (date(2026, 12, 10), None)),
        ("from Feb 3", (date(2027, 2, 3), None)),
        ("lock it Feb 3, four days", (date(2027, 2, 3), None)),
        # the week of a day written without its month
        ("下个月11号那周能用吗", (date(2027, 1, 11), date(2027, 1, 18))),
    ],
)
def test_single_days(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "start", "days"),
    [
        # "N日" right after a booking verb or a start is a length, in any message
        ("帮我锁FAC-0030，4月2号起9日", date(2027, 4, 2), 9),
        ("请帮我hold 6日，2月10号开始", date(2027, 2, 10), 6),
        ("6月3号起占14日", date(2027, 6, 3), 14),
        # …and a day of the month elsewhere
        ("下个月13日开始用", date(2027, 1, 13), None),
    ],
)
def test_day_counts(text: str, start: date, days: int | None) -> None:
    s = extract_slots(text, TODAY)
    assert s.dates is not None and s.dates.start == start
    assert s.duration_days == days


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the user's own bookings this month: the whole month (most writers label it from the 1st)
        ("本月的占位汇总给我", (date(2026, 12, 1), date(2027, 1, 1))),
        ("这个月我有几个预约", (date(2026, 12, 1), date(2027, 1, 1))),
        ("what do I have booked this month?", (date(2026, 12, 1), date(2027, 1, 1))),
        # …the rest of it, or an availability check: from today
        ("这个月剩下的预约列一下", (date(2026, 12, 5), date(2027, 1, 1))),
        ("这个月还有空吗", (date(2026, 12, 5), date(2027, 1, 1))),
    ],
)
def test_own_bookings_this_month(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # when the user will talk again
        "好的，明天再聊",
        "行，下周再联系你",
        "那下周见！",
        "thanks, talk next week",
        "great, I'll tell my boss tomorrow",
        # why a booking goes
        "release BK-2027-0031, the pilot was postponed to Q4",
        "请把那个预留取消，项目推迟到明年了",
        "cancel my hold — the tests slipped into next year",
    ],
)
def test_no_window_asked(text: str) -> None:
    assert window(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("I'll need the lab tomorrow, is it free?", (date(2026, 12, 6), date(2026, 12, 7))),
        ("明天再来问问下周有没有空", (date(2026, 12, 7), date(2026, 12, 14))),
        ("move my hold to Q2", (date(2027, 4, 1), date(2027, 7, 1))),
    ],
)
def test_still_a_window(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # May as a month: with a part word, after for/of/it, capitalised inside a sentence
        ("is the tank free late-May?", (date(2027, 5, 21), date(2027, 6, 1))),
        ("show me the calendar for May", (date(2027, 5, 1), date(2027, 6, 1))),
        ("then try it in the line, May, 6 days", (date(2027, 5, 1), date(2027, 6, 1))),
        ("ok make it May", (date(2027, 5, 1), date(2027, 6, 1))),
        # holidays and weeks
        ("any 3 free days before CNY?", (date(2026, 12, 5), date(2027, 2, 6))),
        ("hold 2 days, week after next", (date(2026, 12, 14), date(2026, 12, 21))),
    ],
)
def test_more_windows(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "May I ask how the platform charges?",
        "the licensee may sublicense with consent",
        "does the hold clock stop over the Spring Festival?",
        "我们明年要上一条新产线，有没有合适的成果",  # a plan, not a window
        "our plant moves to a new process next year — any matching achievements?",
    ],
)
def test_no_window_more(text: str) -> None:
    assert window(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # days without 号
        ("那就锁2月3到7", (date(2027, 2, 3), date(2027, 2, 8))),
        ("原来是3月2到3月6，改成3月9到3月13", (date(2027, 3, 9), date(2027, 3, 14))),
        # 元月 is January
        ("元月中旬能用吗", (date(2027, 1, 11), date(2027, 1, 21))),
        # before a date: from today
        ("2月底之前能不能排一周", (date(2026, 12, 5), date(2027, 3, 1))),
        ("下个月上旬之前有空吗", (date(2026, 12, 5), date(2027, 1, 1))),
        ("any 5 days before the end of January?", (date(2026, 12, 5), date(2027, 2, 1))),
    ],
)
def test_days_months_before(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


@pytest.mark.parametrize("text", ["1月3到5天就够", "每月租金800元月底前付清"])
def test_not_days_or_months(text: str) -> None:
    d = window(text)
    assert d is None or d == (date(2027, 1, 1), date(2027, 2, 1))


@pytest.mark.parametrize(
    "text",
    [
        # which bookings, by when they start: no window
        "list my bookings and cancel anything after April",
        "drop everything that starts after June",
        "所有保留里，4月份以后开始的都转正式",
        # a day just past, written without a year
        "材料已于12月2日提交，请确认BK-2027-0011",
        "the PO was approved on 1 December, please confirm the hold",
    ],
)
def test_no_window_filters_and_past(text: str) -> None:
    assert window(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("hold it 4 days starting on the second Tuesday of March", (date(2027, 3, 9), None)),
        ("is it free the last Friday of January?", (date(2027, 1, 29), date(2027, 1, 30))),
        ("元旦后第一个周三开始占3天", (date(2027, 1, 6), None)),
        ("is the lab free in calendar week 3?", (date(2027, 1, 18), date(2027, 1, 25))),
        ("free nxt week?", (date(2026, 12, 7), date(2026, 12, 14))),
        # "hold" the verb after a month is no booking picked
        ("if it's free in early Feb hold 2 days", (date(2027, 2, 1), date(2027, 2, 11))),
    ],
)
def test_named_days(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


def test_a_booking_picked_by_its_start() -> None:
    assert window("确认 FAC-0012 2月3号起那条") is None


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("need 4 wks in April", 28),
        ("hold it a couple of weeks", 14),
        ("is there a free fortnight in May?", 14),
        ("the fortnight starting Jan 11", 14),
        ("the week of Jan 11", None),  # a window, not a length
    ],
)
def test_lengths_written_short(text: str, days: int | None) -> None:
    assert extract_slots(text, TODAY).duration_days == days


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("if the lead time is under a month, hold 5 days from Feb 2", 5),
        ("if it's under 8k a day, lock it for 4 days", 4),
        ("move the hold two weeks later and make it 3 days from Mar 1", 3),
    ],
)
def test_lengths_that_are_no_stay(text: str, days: int) -> None:
    assert extract_slots(text, TODAY).duration_days == days


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("4月上旬到中旬有没有空", (date(2027, 4, 1), date(2027, 4, 21))),
        ("2月中旬同下旬边段得闲？", (date(2027, 2, 11), date(2027, 3, 1))),
        ("2月3号到月底之间", (date(2027, 2, 3), date(2027, 3, 1))),  # that month's end
    ],
)
def test_parts_joined(text: str, want: tuple[date, date | None]) -> None:
    assert window(text) == want


def test_a_bare_last_day_takes_the_month_of_the_first() -> None:
    d = extract_slots("那就从3月2号锁到9号", TODAY).dates
    assert d is not None and (d.start, d.end, d.exact) == (date(2027, 3, 2), date(2027, 3, 10), True)


def test_a_year_written_before_governs_the_days_after_it() -> None:
    # A range the user dated in the past is theirs (the calendar says it is past), not words dropped as a day
    # "just past" of next year (core bad-past-dates-zh).
    assert window("帮我预约FAC-0003，2025年11月1日到11月5日") == (date(2025, 11, 1), date(2025, 11, 6))
    assert window("材料已于2026年12月2日提交") is not None
    assert window("材料已于12月2日提交") is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("查一下FAC-0003在2026年11月1日到2026年11月5日有没有空", (date(2026, 11, 1), date(2026, 11, 6))),
        ("hold FAC-0003 from 2025-11-01 to 2025-11-05", (date(2025, 11, 1), date(2025, 11, 6))),
        ("2027年1月1日到2027年1月5日", (date(2027, 1, 1), date(2027, 1, 6))),
    ],
)
def test_both_days_dated_is_one_range_not_a_reversed_one(text: str, want: tuple[date, date]) -> None:
    # The month and day inside "2026年11月1日" are not a second, year-less start (rolled to next year, it made
    # the range look reversed and the answer offered "2026-11-05 to 2027-11-01").
    s = extract_slots(text, TODAY)
    assert window(text) == want and s.reversed_range is None
