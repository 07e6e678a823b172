"""A deal's term in years (agent/builtin/terms.py)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots


def term(text: str) -> int | None:
    return extract_slots(text, date(2026, 12, 5)).term_years


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("non-exclusive licence, RMB 2.15 million, 5 yrs, plus 2%", 5),
        ("exclusive licence to 杉屿半导体, 10 yrs, 5M upfront", 10),
        ("Draft an exclusive license, Guangdong only. 5 yr. upfront 2.5 million", 5),
        ("RMB 10M over 3 yrs, IP split 60/40", 3),
        ("partner funds ¥3M a year for 3 years, IP 60% to us", 3),
        ("RMB 1.5m a year flat fee, 5 yrs", 5),
        ("draft: non-exclusive licence, 3 yrs, 600k a year", 3),
        ("独占许可，入门费2000万，十年", 10),
        ("期限一年的普通许可", 1),
        ("a 1-year licence for the pilot", 1),
        ("五年以上的非独占许可能免税吗", 5),
    ],
)
def test_terms(text: str, want: int) -> None:
    assert term(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # a yearly quantity or rate
        "一年处理30万吨钢渣，有没有成熟点的技术",
        "十万吨一年的规模，想找个催化剂",
        "再加个年度最低提成，一年不少于80万",
        "We need to replace chromium plating on 60k hydraulic columns a year.",
        "an ArF photoresist that can qualify within a year",
        # a product's life, someone's experience
        "要求C5-M环境下25年寿命",
        "We need a C5-M offshore coating system rated for 25 years.",
        "antifouling paint without copper that lasts 5 years",
        "wants 30-year cathodic protection, internal surfaces included",
        "我退休前在炼油厂干了三十年加氢裂化",
        "Retired rail engineer here, thirty years on metro traction.",
        # the first years of a tiered royalty
        "提成改成阶梯的：前两年2%，之后4%",
        "4 per cent, first 2 years reduced",
    ],
)
def test_no_term(text: str) -> None:
    assert term(text) is None


# A lock-up is no deal term; of two terms, the one changed to or the one named the term is the deal's.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("作价入股，团队拿60%，锁定期4年", None),
        ("raise the valuation and add a 2-year lock-up for the team", None),
        ("普通许可，含2年技术支持，许可期6年", 6),
        ("刚才那份许可，期限从3年改成7年", 7),
        ("four-year term is too short for the tax break? then make it 6 years", 6),
    ],
)
def test_lock_ups_and_chosen_terms(text: str, want: int | None) -> None:
    assert term(text) == want
