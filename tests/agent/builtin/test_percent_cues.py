"""Percent roles read from the words around a figure (agent/builtin/slots.py `extract_percentages`): which cue
belongs to which figure."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_percentages, extract_slots


def pcts(text: str) -> list[tuple[float, str]]:
    return sorted((p.value, p.role) for p in extract_percentages(text))


def slot_pcts(text: str) -> list[tuple[float, str]]:
    return sorted((p.value, p.role) for p in extract_slots(text, date(2026, 12, 5)).percentages)


# A Chinese cue after a space begins the next item of a list, not the figure's own cue.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("独家许可 提成5% 入门费80万", [(5.0, "royalty")]),
        ("普通许可给华企 提成2个点 首付款20万 三年", [(2.0, "royalty")]),
        ("技术入股 占股20% 发明人拿60%", [(20.0, "equity"), (60.0, "inventor_share")]),
    ],
)
def test_chinese_list_items(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# An upfront that is waived, or bound to its own amount, is not the figure's role.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("non-exclusive licence, 3% and no upfront", [(3.0, "royalty")]),
        ("exclusive licence with zero upfront and 5%", [(5.0, "royalty")]),
        ("普通许可 不要入门费 提5%", [(5.0, "royalty")]),
        ("licence it, cut the upfront to 2M and make it 5%", [(5.0, "royalty")]),
        ("普通许可 入门费80万 4%", [(4.0, "royalty")]),
    ],
)
def test_upfront_waived_or_bound(text: str, want: list[tuple[float, str]]) -> None:
    assert slot_pcts(text) == want


# The IP as the thing valued or licensed is no share of IP; cash put in for a figure buys a stake.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("equity deal, IP valued at 4M for 25%", [(25.0, "equity")]),
        ("equity: we'd contribute the IP at a 12M valuation for 18 percent", [(18.0, "equity")]),
        ("the team gets 40% of the IP-derived shares", [(40.0, "inventor_share")]),
        ("benchmarks for battery IP licences — is 6% high?", [(6.0, "royalty")]),
        ("他们投800万占10%", [(10.0, "equity")]),
        ("an investor puts in 3M cash for 12%", [(12.0, "equity")]),
        ("after the round Huaqi holds 45%", [(45.0, "equity")]),
        ("他们出资900万 知识产权共有 我们占四成", [(40.0, "ip_share")]),
    ],
)
def test_ip_valued_and_stakes_bought(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A share of the shares given to the team is the inventors'; the school's part of a team/school split is the
# other party's.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "the institute keeps 40% of the company and 60% of its shares go to the researchers",
            [(40.0, "equity"), (60.0, "inventor_share")],
        ),
        ("Compliance: the statute says 50% of net income goes to the inventors", [(50.0, "inventor_share")]),
        ("作价入股 团队占六成 学校40%", [(40.0, "other"), (60.0, "inventor_share")]),
        ("学校占股份的45%，发明人团队55%", [(45.0, "other"), (55.0, "inventor_share")]),
        (
            "the inventors get 80% and the university 20% of the equity",
            [(20.0, "other"), (80.0, "inventor_share")],
        ),
        (
            "licence income: the team 60%, the laboratory 15%, the school 25%",
            [(15.0, "other"), (25.0, "other"), (60.0, "inventor_share")],
        ),
    ],
)
def test_team_and_school_parts(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A party's part of the jointly owned results named just before ("专利共有，我方占六成"), and even halves of it.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("合作开发，对方出钱，新专利双方共有，我方占六成", [(60.0, "ip_share")]),
        ("成果归两家共有，他们占30%", [(30.0, "ip_share")]),
        ("共有的话我们要六成", [(60.0, "ip_share")]),
        ("联合开发，知识产权各半", [(50.0, "ip_share")]),
        ("开发出来的东西双方共有、对半分", [(50.0, "ip_share")]),
        ("the results would be jointly owned 70/30 in our favour", [(70.0, "ip_share")]),
        # a party's share of the income is no share of the IP
        ("成果双方共有，收益我方七成", [(70.0, "other")]),
    ],
)
def test_parts_of_joint_ownership(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A fee, a tax rate or a change of price is what the figure is: no deal reads it as a royalty or a stake.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("we'd license it through you; is the 1% platform matching fee capped?", [(1.0, "other")]),
        ("作价入股的话，撮合服务费也是按2%收吗", [(2.0, "other")]),
        ("the inventors' cash reward is taxed on only 50% of it, right?", [(50.0, "other")]),
        ("发明人的奖励个税可以减按50%计入吗", [(50.0, "other")]),
        ("独家许可的话，费用上浮四成", [(40.0, "other")]),
        ("exclusive licence, plus a 5% bonus if sales double", [(5.0, "other")]),
    ],
)
def test_fees_taxes_and_price_changes(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


def test_a_fee_is_not_read_by_the_deal() -> None:
    from agent.builtin.slots import with_deal_roles

    got = with_deal_roles(extract_percentages("费用打八折呢"), "exclusive_license")
    assert [(p.value, p.role) for p in got] == [(80.0, "other")]


# The statute's reward to the inventors, and whether a figure is lawful, is the inventors' share.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("is the statutory 50% on gross licence income?", [(50.0, "inventor_share")]),
        ("licence deal: is Art. 45's 45% enough?", [(45.0, "inventor_share")]),
        ("独家许可的话，法定的50%怎么算", [(50.0, "inventor_share")]),
        ("for a licence, is the default remuneration 10%?", [(10.0, "inventor_share")]),
        (
            "we implement it ourselves: the inventors get 6% of operating profit for four years",
            [(6.0, "inventor_share")],
        ),
        ("licence: would 35% even be lawful for a state institute?", [(35.0, "inventor_share")]),
        ("许可的话学校只给四成呢，合规吗", [(40.0, "inventor_share")]),
        ("exclusive licence: do they have to follow the 50% minimum?", [(50.0, "inventor_share")]),
        # an incentive plan's figures keep their roles
        ("股权激励每人1%，总量4%，合规吗", [(1.0, "incentive_individual"), (4.0, "incentive_total")]),
    ],
)
def test_statutory_reward_and_lawfulness(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# An incentive plan's pool or total, and one person's grant.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("spin-out: investor 4M cash, ESOP pool 12%", [(12.0, "incentive_total")]),
        ("作价入股，另外预留8%做员工期权池", [(8.0, "incentive_total")]),
        ("and the engineers get 9% through an option pool", [(9.0, "incentive_total")]),
        ("股权激励：先设一个激励池，占12%", [(12.0, "incentive_total")]),
        (
            "equity incentive plan: 6% total, nobody above 2%",
            [(2.0, "incentive_individual"), (6.0, "incentive_total")],
        ),
        ("国企股权激励的上限，10%还是20%？", [(10.0, "incentive_total"), (20.0, "incentive_total")]),
        (
            "a per-person cap for equity incentives? our lead engineer wants 6%",
            [(6.0, "incentive_individual")],
        ),
        ("股权激励 个人能不能超过2%", [(2.0, "incentive_individual")]),
        ("equity awards: give two team members 1.5% each", [(1.5, "incentive_individual")]),
    ],
)
def test_incentive_pools_and_grants(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A share of the price paid now is a payment share; an upfront already bound to its amount is no figure's cue.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "what if they pay 25% up front and the rest as a 5% royalty?",
            [(5.0, "royalty"), (25.0, "upfront")],
        ),
        ("or 35% now and a 2% royalty after launch", [(2.0, "royalty"), (35.0, "upfront")]),
        ("exclusive licence, 3% royalty, 2M upfront. Is 3% low for chips?", [(3.0, "royalty")]),
    ],
)
def test_payment_shares(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# The figure given up is not a term asked for.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("give the inventors 70% instead of 50%", [(70.0, "inventor_share")]),
        ("what if we swap the 5% royalty for a lump sum?", []),
        ("团队拿六成而不是50%", [(60.0, "inventor_share")]),
    ],
)
def test_figures_given_up(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A figure with no cue of its own takes the inventors' reward or the dividend pool named in the clause before it;
# a cue after a figure is not its own once another party's term begins.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("国企作价入股以后搞分红激励，是不是有个20%的上限", [(20.0, "dividend_pool")]),
        ("For post dividends at our SOE, is the 12% cap on the total enough?", [(12.0, "dividend_pool")]),
        ("草稿里发明人奖励写错了，按净收入的55%", [(55.0, "inventor_share")]),
        ("专利共有，我哋占四成", [(40.0, "ip_share")]),
        (
            "JV terms: Lingfeng ends up with 40% and the inventors get half of that",
            [(40.0, "equity"), (50.0, "inventor_share")],
        ),
    ],
)
def test_cue_of_the_clause_before(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A royalty by other names: the common misspelling, a share of sales.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("draft it with a royality of 3.5%", [(3.5, "royalty")]),
        ("技术开发合作，成果归对方，我们拿3%的销售分成", [(3.0, "royalty")]),
    ],
)
def test_royalty_words(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want
