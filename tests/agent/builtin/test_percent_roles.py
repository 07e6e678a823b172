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
        ("转让价格按挂牌价的九折，首付三成", [(30.0, "upfront"), (90.0, "other")]),
        ("exclusive licence, 2M upfront, 3%", [(3.0, "royalty")]),
        ("听说可以减按50%计入工资薪金？", [(50.0, "other")]),
        ("提成率5%，独家许可", [(5.0, "royalty")]),
    ],
)
def test_deal_figures_stay(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the SOE dividend pool is a share of post-tax profit
        ("Does the 15% of post-tax profit cap apply to dividend incentives?", [(15.0, "dividend_pool")]),
        ("pool of 20% of the annual post-tax profit, split among 12 people", [(20.0, "dividend_pool")]),
        ("给研发团队每年提取税后利润的15%作为分红", [(15.0, "dividend_pool")]),
        ("激励总额不超过当年可分配利润的多少 好像是15%？", [(15.0, "dividend_pool")]),
        # equity incentives: the total, and one engineer's grant
        ("Board proposes 8% total equity incentive. Too high?", [(8.0, "incentive_total")]),
        ("Is the 30% cap on equity incentives only for small SOEs?", [(30.0, "incentive_total")]),
        ("bump their stake to 35% and add a 10% option pool", [(10.0, "incentive_total"), (35.0, "equity")]),
        ("can one engineer get more than 3%?", [(3.0, "incentive_individual")]),
        ("a single key engineer could receive 4%", [(4.0, "incentive_individual")]),
        ("can a single employee get more than 3% of the company's equity?", [(3.0, "incentive_individual")]),
    ],
)
def test_soe_incentive_roles(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the share of the IP a party keeps in a joint development
        ("合作开发，对方三年给900万，IP我们占四成", [(40.0, "ip_share")]),
        ("对方出资3000万，成果我们占六成", [(60.0, "ip_share")]),
        ("the institute keeping 60% of the jointly developed IP, 3 years", [(60.0, "ip_share")]),
        ("can we ask for 70% of the foreground IP?", [(70.0, "ip_share")]),
        ("inventors get 50% of the IP shares", [(50.0, "inventor_share")]),
        # a favoured or own share is the one share stated
        ("IP split 60/40 in our favour", [(60.0, "ip_share")]),
        ("make the IP split 70/30 in their favour", [(70.0, "ip_share")]),
        ("IP split 60/40", [(40.0, "ip_share"), (60.0, "ip_share")]),
        ("知识产权六四分，我方占六成", [(60.0, "ip_share")]),
        ("IP三七开 我们占七", [(70.0, "ip_share")]),
        # a stake in the new company
        ("put ¥20M cash in for 15% of a spin-out", [(15.0, "equity")]),
    ],
)
def test_ip_and_equity_shares(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "作价787万，我们占股25%，团队拿这部分股权的一半",
        "占新公司百分之三十五，发明人团队拿其中一半",
        "技术作价1.2亿入股，占新公司30%，团队分一半",
        "作价入股到地铁集团的新公司 团队拿一半",
        "Hmm and if the inventors get only half?",
        "tell me whether the inventors get at least half if we license it out",
    ],
)
def test_half_for_the_team_is_the_inventor_share(text: str) -> None:
    assert (50.0, "inventor_share") in pcts(text)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a figure of the price is no royalty, even in a licence
        ("如果改成独占许可，价格上浮三成怎么算", [(30.0, "other")]),
        ("License it non-exclusively at 15% of that price instead", [(15.0, "other")]),
        ("非独占许可，价格按挂牌价的六成", [(60.0, "other")]),
        ("Matching fee: is it 1% of contract value? and for an equity deal?", [(1.0, "other")]),
        # one slot per figure repeated; instalments stay apart
        ("please draft it with 60% to the inventors — is 60% enough by law?", [(60.0, "inventor_share")]),
        ("6% royalty, milestones at IND. Also, is 6% within the normal range?", [(6.0, "royalty")]),
        ("总价2600万，签约付40%，验收付40%", [(40.0, "upfront"), (40.0, "upfront")]),
    ],
)
def test_prices_and_repeats(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


def slot_pcts(text: str) -> list[tuple[float, str]]:
    from datetime import date

    from agent.builtin.slots import extract_slots

    return sorted((p.value, p.role) for p in extract_slots(text, date(2026, 12, 5)).percentages)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The team's share of the equity is the inventors' share (W12, W14, W15).
        ("团队占股比例写70%，另外加个分红条款", [(70.0, "inventor_share")]),
        ("按作价1500万元、团队占成果所得股权50%起草方案", [(50.0, "inventor_share")]),
        ("其余作价入股，团队占成果股权的七成呢？", [(70.0, "inventor_share")]),
        ("作价800万入股，团队占成果股份的七成。", [(70.0, "inventor_share")]),
        # An upfront named by its amount: the figure after it is the licence's royalty (W12, W13).
        ("non-exclusive, 5 years, 800k upfront and 3%", [(3.0, "royalty")]),
        (
            "draft an exclusive licence of the thermal film to xingyuan, 6m upfront 3.5% 6yrs",
            [(3.5, "royalty")],
        ),
        # An even split of IP, its IP named before it or after it (W6, W11, W14, W16, W18, W19).
        ("we fund RMB 8 million over 2 years, jointly developed IP split half-half", [(50.0, "ip_share")]),
        ("我方出资2000万元，知识产权共有、各占一半。", [(50.0, "ip_share")]),
        ("新产生的专利双方共有，各占一半，拟个合作开发协议框架", [(50.0, "ip_share")]),
        ("他们出800万，知识产权双方共有，五五分", [(50.0, "ip_share")]),
        ("we can fund 6 million, IP owned by both 50-50.", [(50.0, "ip_share")]),
        (
            "what if we go 50/50 on the jointly developed IP and the enterprise puts in 6M?",
            [(50.0, "ip_share")],
        ),
        # A discount on the listed price (W7, W14).
        ("ACH-0400转让给中岑碳资产，价格按挂牌价的九折，出个草案", [(90.0, "other")]),
        ("我们打算买断，对价按挂牌价九折，分两期支付。", [(90.0, "other")]),
    ],
)
def test_shares_named_around_the_figure(text: str, expected: list[tuple[float, str]]) -> None:
    assert slot_pcts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An incentive plan's total, named last before the figure (W1, W6, W8, W14).
        ("小型国有科技企业做股权奖励，总额能到股本的30%吗？", [(30.0, "incentive_total")]),
        (
            "拟对技术骨干实施股权激励，总盘子打算拿5%，单人最多3%，这合规吗？",
            [(3.0, "incentive_person"), (5.0, "incentive_total")],
        ),
        (
            "想给三个核心骨干做股权奖励，每人2%，总量6%，合规吗？",
            [(2.0, "incentive_person"), (6.0, "incentive_total")],
        ),
        ("allowed to use equity options? And the total cap is 10%, right?", [(10.0, "incentive_total")]),
        # a person's cap out of the total stays the person's; no incentive, no incentive total
        ("股权激励方案，单人不超过总额的3%", [(3.0, "incentive_person")]),
        ("total price 30M, 20% on signing", [(20.0, "upfront")]),
    ],
)
def test_incentive_totals(text: str, expected: list[tuple[float, str]]) -> None:
    assert [
        (v, "incentive_person" if r == "incentive_individual" else r) for v, r in slot_pcts(text)
    ] == expected
