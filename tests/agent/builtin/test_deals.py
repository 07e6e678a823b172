"""Deal types: the deal a message sets up or asks about, not deal words used for something else."""

from __future__ import annotations

import pytest

from agent.builtin.deals import extract_deal_type, find_licence


@pytest.mark.parametrize(
    "text",
    [
        # a kind of income, not a deal
        "技术转让所得500万以内免征企业所得税，那超过500万的部分怎么算？",
        "成果转让收入里给完成人的奖励，计不计入当年工资总额？",
        # structures compared or offered as alternatives
        "独占许可和排他许可有啥区别？",
        "What's the difference between an exclusive and a sole licence under the Civil Code?",
        "我们是买断合适还是拿许可合适？",
        "想看看有没有药企愿意接，转让或者合作开发都行",
        "Anything on GaN HEMTs at TRL 6 or higher, licence or co-development?",
        # what the partner sought would do
        "Find co-developers for our own ammonia cracking system, TRL 3. Universities or institutes.",
        "Pls find SOE manufacturers in Hunan or Hubei that might co-develop our wire-arc AM process",
        "给那个纳米硅/石墨复合负极找找合作开发的伙伴，广东、江苏的电池企业都行",
        "想找能接中试放大的买家或者合作开发方，最好是央企",
        # a fund's name and equity incentives are no equity deal
        "瀚海成长股权投资基金的投资偏好是什么",
        "For equity incentives in a state-owned tech company, what's the maximum total?",
    ],
)
def test_deal_words_that_set_up_no_deal(text: str) -> None:
    assert extract_deal_type(text) is None


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        # drafting wins over a comparison or a partner role
        ("先问下，独占许可和排他许可有啥区别？然后帮我给ACH-0043起草一个独占许可", "exclusive_license"),
        (
            "Find co-development partners in Sichuan, then draft a joint development deal: 50/50 IP",
            "joint_development",
        ),
        ("技术转让收入600万的话所得税怎么交？另外帮我把ACH-0035转让的条款起草一下", "assignment"),
        # 草稿 is a draft too
        ("帮我们客户ACH-0285找几个合作方 最好是国企 再起个合作开发的草稿", "joint_development"),
        # a change takes the new type; a refused one is no deal
        ("期限改成10年，独家改成普通许可", "nonexclusive_license"),
        ("独家改普通，其他不变", "nonexclusive_license"),
        ("假如不卖断，而是以独占许可的方式给一家卫星公司，帮我起草一版", "exclusive_license"),
        # a licence of one type and the word licence elsewhere
        ("ACH-0107 普通许可给启澜电力装备，许可期5年，入门费一百二十万", "nonexclusive_license"),
        ("Is a non-exclusive licence of 3 years eligible for the tax break?", "nonexclusive_license"),
        # more ways to say a structure
        ("draft a JDA with Qiwu Polytechnic on the spar floating platform: we fund 8M", "joint_development"),
        ("draft JD terms: us + Zhongchi Intelligent Equipment, 18.75M over 3 yrs", "joint_development"),
        ("joint dev with Guocheng New Materials on the coating: they put in ¥6M", "joint_development"),
        ("and if it's invested as equity instead? say appraised at 9 million", "equity_investment"),
        ("what would a term sheet look like if we put ACH-0009 into a JV at RMB 10.7M?", "equity_investment"),
        ("起草一份股权投资条款：ACH-0272，估值124万，出让20%", "equity_investment"),
        ("我司货币出资4500万、对方以该成果作价1500万，共同设立合资公司", "equity_investment"),
        ("if we assign a patent for RMB 10 million, how much must go to the team?", "assignment"),
        ("which of them can be bought outright?", "assignment"),
        ("我们是个体研究员，想把专利卖给企业，个人所得税怎么算？", "assignment"),
    ],
)
def test_the_deal_set_up(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


def test_a_compared_licence_is_still_no_bare_licence() -> None:
    # No deal type, but the words are deal words: no "ordinary licence" is assumed either.
    assert find_licence("独占许可和排他许可有啥区别？") is None
    assert find_licence("draft a licence for ACH-0001") is not None


@pytest.mark.parametrize(
    "text",
    [
        # who to sell to: a buyer sought, no deal set up (W10, W12, W13, W14, W16, W18)
        "这个适合卖给哪些地铁公司或者车辆厂",
        "我们溪谷的PCB缺陷检测成熟度挺高了，这个适合卖给谁",
        "那溯川电池材料那家呢？他们要硅碳负极，我们这个能不能卖给他们",
        # whether a record can be had that way, or its price (W10, W13, W17, W18, W19)
        "问渠的那个多少钱，能不能直接转让",
        "两性离子水凝胶那个是上海中澜的吧，要价多少，能转让吗",
        "望舒那个精密磨削的，多少钱？能独占许可吗",
        "那我们还能买断吗？",
        "DR8硅光 城域那个 转让价",
        "Direct-drive permanent-magnet traction motor那个，苍澜轨道交通的，转让价格多少？",
        "转让价格是不是一定要评估？能不能协议定价",
        "那个中药注射剂质量标志物的成果 转让要多少钱",
        "what is asking price and is it assignment only?",
    ],
)
def test_deal_words_asked_of_a_record(text: str) -> None:
    assert extract_deal_type(text) is None


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        # equity as the new structure, or the draft's kind (W10, W11, W16, W17, W18)
        ("what if we make it equity instead, valuing the IP at 30M for a 20% stake?", "equity_investment"),
        ("Ok and if equity instead, valuation 15 million?", "equity_investment"),
        ("what if it is equity instead, 25% stake?", "equity_investment"),
        (
            "partners for Tantai's cement-kiln amine solvent + equity draft, 6.53M valuation",
            "equity_investment",
        ),
        ("Equity route: ACH-0410 NdFeB magnets into 星垣新材料, valued at RMB 2.68M", "equity_investment"),
        # assigning a named record to someone (W9, W12, W15, W19)
        ("Draft a deal: Tantai institute assigns ACH-0384 to Xinglan Clean Energy for 23.75M", "assignment"),
        ("draft a term sheet: assign ACH-0094 to 中瀚航空装备 for 55 million", "assignment"),
        (
            "I'd like a term sheet for assigning our sepsis POCT panel (Haitang) to a diagnostics company",
            "assignment",
        ),
        # a price with its figure is a term; "only" after a deal that is no question keeps it
        ("ACH-0094 转让价5800万，团队拿多少", "assignment"),
        ("碳纤维复合材料轻量化车体，蓝湾那个，能不能作价入股？作价2000万，团队要七成", "equity_investment"),
        (
            "We're putting a patent into a startup in exchange for shares only. Can I defer the tax?",
            "equity_investment",
        ),
    ],
)
def test_deals_stated_tersely(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


@pytest.mark.parametrize(
    "text",
    [
        # a stake in a spin-off, the IP contributed at a value (W3, W11)
        "Our fund wants to take 15% of a spin-off built around the Shuofang catalyst. We'd invest RMB 60M. "
        "Tech contributed at RMB 28M. Draft it.",
        "Qinglan wants to put ¥20M cash in for 15% of a spin-out built around ACH-0433.",
        "The institute contributes the IP at a ¥13.75M valuation.",
    ],
)
def test_spin_off_stakes_are_equity(text: str) -> None:
    assert extract_deal_type(text) == "equity_investment"
