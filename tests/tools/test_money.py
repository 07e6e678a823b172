"""Money for people: no useless trailing zeros, thousands separators kept, open-ended ranges."""

from __future__ import annotations

import pytest

from tools.common import money, money_range
from tools.matching import AchievementSide, OrgSide, score_pair


@pytest.mark.parametrize(
    ("amount", "zh", "en"),
    [
        (300_000, "30万元", "RMB 300,000"),
        (125_000, "12.5万元", "RMB 125,000"),
        (8_000_000, "800万元", "RMB 8M"),
        (1_050_000, "105万元", "RMB 1.05M"),
        (1_234_567, "123.46万元", "RMB 1.23M"),
        (50_000_000, "5,000万元", "RMB 50M"),
        (123_456_789, "1.23亿元", "RMB 123.46M"),
        (500_000_000, "5亿元", "RMB 500M"),
        (1_500_000_000, "15亿元", "RMB 1.5bn"),
        (2_500, "2,500元", "RMB 2,500"),
        (0, "0元", "RMB 0"),
        (-2_500_000, "-250万元", "RMB -2.5M"),
        (None, "—", "—"),
    ],
)
def test_money_drops_trailing_zeros_and_keeps_separators(amount: float | None, zh: str, en: str) -> None:
    assert money(amount, "zh") == zh
    assert money(amount, "en") == en


def test_money_range_with_open_ends() -> None:
    assert money_range(5e7, 5e8, "en") == "RMB 50M–RMB 500M"
    assert money_range(5e7, 5e8, "zh") == "5,000万元–5亿元"
    assert money_range(None, 5e6, "en") == "up to RMB 5M"
    assert money_range(None, 5e6, "zh") == "≤500万元"
    assert money_range(3e6, None, "en") == "from RMB 3M"
    assert money_range(3e6, None, "zh") == "≥300万元"
    assert money_range(None, None, "en") == "any amount" and money_range(None, None, "zh") == "不限"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_investor_ticket_without_a_minimum_never_prints_a_dash(lang: str) -> None:
    fund = OrgSide(kind="investor", investment_max=5e6)
    out = score_pair(AchievementSide(price=8e6), fund, 0.5, "x", lang).exclusion
    assert out == (
        "投资额度 ≤500万元 不覆盖报价 800万元"
        if lang == "zh"
        else "Ticket up to RMB 5M does not cover the asking price RMB 8M"
    )
    floor_only = OrgSide(kind="investor", investment_min=3e6)
    inside = score_pair(AchievementSide(price=8e6), floor_only, 0.5, "x", lang)
    assert inside.exclusion is None
    assert (
        "投资额度 ≥300万元 覆盖 800万元" if lang == "zh" else "Ticket from RMB 3M covers RMB 8M"
    ) in inside.reasons
    assert not any("—" in r for r in inside.reasons)
