"""Percentages (agent/builtin/slots.py `extract_percentages`): what a figure is a share of, by the corpus's
majority conventions."""

from __future__ import annotations

import pytest

from agent.builtin.slots import extract_percentages


def pcts(text: str) -> list[tuple[float, str]]:
    return sorted((p.value, p.role) for p in extract_percentages(text))


# A property a sought product must have is no deal term (6 of 8 writers leave it out; 21 of 35 messages).
@pytest.mark.parametrize(
    "text",
    [
        "折叠屏盖板用，透光率要90%以上",
        "热失控预警，误报率≤0.5%，有哪些成果能用",
        "燃料气消耗要降3%以上，平台上有没有",
        "批次强度离散≤3%，有没有这种成果",
        "要ee值99.5%以上的转氨酶工艺",
        "辅助功耗1.5%以下",
        "模具随形冷却，缩短周期25%以上",
        "need 99.5% recall with under 0.5% overkill",
        "our PCB line misses 3% of solder defects",
        "a pyrolysis route that accepts up to 5% PVC",
        "lithium recovery >95%, wastewater <1 m3/t",
        "electrolysers that stay stable down to 20% load",
        "an oral GLP-1 formulation with >2% bioavailability",
        "Can I transfer tech to a company we own 100% and still get the tax break?",
    ],
)
def test_specifications_are_no_percentages(text: str) -> None:
    assert pcts(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("转让价格按挂牌价的九折，首付三成", [(30.0, "upfront")]),
        ("exclusive licence, 2M upfront, 3%", [(3.0, "royalty")]),
        ("听说可以减按50%计入工资薪金？", [(50.0, "other")]),
        ("提成率5%，独家许可", [(5.0, "royalty")]),
    ],
)
def test_deal_figures_stay(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want
