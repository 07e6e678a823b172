"""Windows named by holidays and seasons, a week after next, M/D ranges, 第N个 before a month (today 2026-12-05)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agent.builtin.dates import extract_date_range

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        # before a holiday: from today to the day before it
        ("鹤岭那个兆瓦级电解槽测试平台，春节前还有空档没？", TODAY, date(2027, 2, 5)),
        ("有没有做电池针刺热失控测试的实验室 江苏的最好 年前能排上的", TODAY, date(2027, 2, 5)),
        ("any 10-day window before Chinese New Year", TODAY, date(2027, 2, 5)),
        ("when could we get in before Christmas?", TODAY, date(2026, 12, 24)),
        ("FAC-0065 月底前还能排吗，要5天", TODAY, date(2026, 12, 31)),
        # seasons as times
        ("FAC-0052 free next spring?", date(2027, 3, 1), date(2027, 5, 31)),
        ("When's it free in spring?", date(2027, 3, 1), date(2027, 5, 31)),
        ("想找海上试验场做AUV海试，明年夏天两周", date(2027, 6, 1), date(2027, 8, 31)),
        # weeks named from a day
        ("宁夏那个炼化分析与废水实验室，元旦后第一周帮我约上", date(2027, 1, 4), date(2027, 1, 10)),
        ("Is the test centre open the week after next? 4 days", date(2026, 12, 14), date(2026, 12, 20)),
        # month/day ranges
        (
            "Pls check FAC-0001 availability 1/18-1/29, 10 days continuous",
            date(2027, 1, 18),
            date(2027, 1, 29),
        ),
        ("鲲岳炼化聚合中试装置 3/8-3/19 有没有被占", date(2027, 3, 8), date(2027, 3, 19)),
        # 第N个 before a month is a reference, not "N个月"
        ("第一个二月份有没有空", date(2027, 2, 1), date(2027, 2, 28)),
        ("第一个3月份有空吗", date(2027, 3, 1), date(2027, 3, 31)),
    ],
)
def test_a_named_window(text: str, first: date, last: date) -> None:
    r = extract_date_range(text, TODAY)
    assert r is not None and r.end is not None
    assert (r.start, r.end - timedelta(days=1)) == (first, last)


@pytest.mark.parametrize("text", ["两年前的成果还能挂吗", "帮我写首关于春天的诗", "三个月", "24/7 support"])
def test_no_window(text: str) -> None:
    assert extract_date_range(text, TODAY) is None
