"""Money (slots.extract_money): both ends of a range, counts that are not money, an amount written twice."""

from __future__ import annotations

import pytest

from agent.builtin.slots import extract_money


def amounts(text: str) -> list[float]:
    return sorted(m.cny for m in extract_money(text))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Looking for investors for our flywheel storage tech. We'd want 10-20M.", [1e7, 2e7]),
        ("Seed investor for ACH-0058? Tickets of 300k-3M.", [3e5, 3e6]),
        ("find investors - ticket size 5 to 20 million RMB", [5e6, 2e7]),
        ("investors that write tickets between 20 and 200 million for CCUS", [2e7, 2e8]),
        ("investors for ACH-0051, ticket 20M-200M", [2e7, 2e8]),
        ("mid-stage investors, 20M-ish", [2e7]),
        ("RMB 5M upfront + 3.5% royalty, min royalty 1M/yr, 10 yrs", [1e6, 5e6]),
        # the same amount twice is one
        ("技术转让所得500万以内免征企业所得税，那超过500万的部分怎么算？", [5e6]),
        ("挂的4280万 对方想压到3500万 先按3500万做个转让草案", [3.5e7, 4.28e7]),
        # 一次付清 after an amount is how it is paid
        ("独占，入门费1360万一次付清，不要提成", [1.36e7]),
        ("价格三百四十万 一次付清", [3.4e6]),
    ],
)
def test_amounts(text: str, want: list[float]) -> None:
    assert amounts(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "we need something proven for ~200k households",
        "for a 100k m3/day plant",
        "We need to replace chromium plating on 60k hydraulic columns a year.",
        "more on the 48K large-tow carbon fibre",
        "an MEA at or below 0.2 g Pt/kW with 20k h lifetime",
        "Need tech for a 100 Gbps wireless link over 500 m across a river",
        "Up to 1.2 m x 0.6 m.",
        "要覆盖4万份工程标准",
        "那个70亿参数的标准问答大模型",
        "液压支架立柱用的，一年六万根",
        "一年要一万五台柱塞泵",
        "储能变流器的高压性能，35千伏的",
        "1.5千瓦磁屏蔽的霍尔电推进",
        "沼气提纯，2万方每天",
    ],
)
def test_counts_are_no_money(text: str) -> None:
    assert amounts(text) == []
