"""Lengths that are not the stay asked for (agent/builtin/stay_lengths.py): no duration_days."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots


def days(text: str) -> int | None:
    return extract_slots(text, date(2026, 12, 5)).duration_days


@pytest.mark.parametrize(
    "text",
    [
        # a day rate
        "那帮我查下鹤岭氢能研究院的兆瓦级电解槽测试平台一天多少钱",
        "FAC-0041是干嘛的 多少钱一天",
        "一天5000块是真的吗",
        "有哪些做新材料表征的实验室，一天一万以内的？",
        "the Shaanxi one: what does it cost a day and what's the minimum?",
        # a notice period or a warning's lead
        "What's the cancellation charge if we cancel a confirmed booking 10 days before the start?",
        "if we cancel a confirmed booking 10 days out what do we pay?",
        "预订确认以后要取消，提前10天取消要扣多少钱？",
        "it's confirmed and starts in 10 days - what will that cost me?",
        "现在取消的话离开始还有十天，要付多少违约金？",
        "can I hold something on a facility with a 14-day lead time?",
        "轴承故障最好能提前两周预警，有没有现成的技术",
        "we need predictive maintenance with 14-day bearing fault warning",
        # the life of a hold
        "预留都是7天自动过期吗？",
        "does the 7-day hold expiry count weekends too?",
        "can a hold be extended beyond 7 days?",
        "我还有哪些hold快到7天了？",
        # a shift of the dates asked before
        "算了往后推一周",
        "往后推一个月看看",
        "can you push it back a week?",
        # a booking already made
        "之前在岫云氢能院储氢瓶缠绕线上hold的那十天，帮我转成正式预约",
        "我在材料表征中心的两天预约确认一下",
        # funding periods and product lives
        "draft a joint development deal: we put in RMB 6M over 18 months",
        "a copper-free antifouling that lasts ~60 months",
        "需要田间有效期90天以上的树脂",
    ],
)
def test_not_a_stay(text: str) -> None:
    assert days(text) is None


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("FAC-0041下个月能用吗，6天", 6),
        ("hold the Luhu line for 10 days from Jan 11", 10),
        ("我们要用一天，下周三", 1),
        ("one day on the testbed next week, what's the rate?", 1),
        ("need it for two weeks, what does it cost?", 14),
        ("提前一天到也行，要用三天", 3),
    ],
)
def test_stays_keep_their_length(text: str, want: int) -> None:
    assert days(text) == want


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Cantonese counts days with 日 where Mandarin says 天
        ("帮我喺凌峰嘅激光制造中试线hold 5日，1月25号开始", 5),
        ("得闲就hold住两日", 2),
        ("第一个四月有冇位？要4日", 4),
        ("星垣工控安全靶场12月底仲有冇位？做6日渗透测试", 6),
        ("啊一月份有冇得用啊大概要七日左右", 7),
        # a day rate, a notice period and a day of the month stay what they are
        ("国澄嗰条几钱一日？最少几日？", None),
        ("如果开始前5日取消要俾几多钱？", None),
        ("嗰个13日开始得唔得", None),
        # in Mandarin, 13日 is the 13th
        ("下个月13日有空吗", None),
        ("FAC-0003 3月5日起用三天", 3),
    ],
)
def test_cantonese_day_counts(text: str, expected: int | None) -> None:
    assert days(text) == expected
