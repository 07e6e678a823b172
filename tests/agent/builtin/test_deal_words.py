"""Deal words (agent/builtin/deals.py): structures the corpus has no type for, and how a message chooses between
structures it names."""

from __future__ import annotations

import pytest

from agent.builtin.deals import extract_deal_type, find_licence


# A sole licence (排他许可) is no exclusive licence: asked for, no type; beside an exclusive one, a comparison.
@pytest.mark.parametrize(
    "text",
    [
        "对方嫌独占太贵，改成排他许可可以吗",
        "could we offer them a sole licence instead?",
        "独占和排他许可到底有什么不一样",
        "is an exclusive licence the same thing as a 'sole' one?",
    ],
)
def test_a_sole_licence_sets_no_type(text: str) -> None:
    assert extract_deal_type(text) is None


def test_a_sole_licence_is_still_a_licence() -> None:
    assert find_licence("draft a sole licence for ACH-0101, 4% royalty") is not None


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        (
            "draft an exclusive licence; the licensee bears sole responsibility for filings",
            "exclusive_license",
        ),
        ("先说下排他许可是啥，然后帮我起草一个独占许可", "exclusive_license"),
    ],
)
def test_sole_beside_a_drafted_deal(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


# The abbreviation of an exclusive licence.
@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("excl licence to Huaqi, 2M upfront, 4%", "exclusive_license"),
        ("terms for ACH-0101: excl. 6 yrs", "exclusive_license"),
        ("non-excl licence please, 5 years", "nonexclusive_license"),
    ],
)
def test_excl_abbreviation(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


# Structures drafted side by side set no one type; the one preferred or taken instead is the deal.
@pytest.mark.parametrize(
    "text",
    [
        "Board wants two scenarios for ACH-0101: A) assignment at 9M; B) exclusive licence, 2M + 4%. Draft them.",
        "方案A普通许可，方案B直接转让，两种方案都起个草",
        "licence or assignment, which is better for us? draft both",
        "同时许可给两家：一家独占华东，另一家普通许可华南，帮我起草",
    ],
)
def test_scenarios_drafted_side_by_side(text: str) -> None:
    assert extract_deal_type(text) is None


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        (
            "they asked for a non-exclusive licence, but the owner only co-develops, so draft JD terms instead",
            "joint_development",
        ),
        ("对方倾向转让，我们更想要作价入股，帮我出个草案", "equity_investment"),
        # lettered points of one request are no scenarios
        (
            "(a) find partners who could co-develop it; (b) draft a joint development agreement with an exclusive option",
            "joint_development",
        ),
    ],
)
def test_the_structure_chosen(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


# An assignment seen from the buyer's side, or called a sale.
@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("帮我起草：我们受让华奇的那个专利，价格300万", "assignment"),
        ("draft the sale of ACH-0101 to Huaqi, 4M lump sum", "assignment"),
        ("if we sell it for 2M, what do the inventors get?", "assignment"),
        ("起草一下，我们向溪谷买ACH-0071，价格120万", "assignment"),
        # taking a result over by a licence named beside it
        ("我们拟受让他们的成果，对方提出独占许可，帮我起草", "exclusive_license"),
    ],
)
def test_assignment_from_the_buyer_side(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


@pytest.mark.parametrize(
    "text", ["帮我找几家潜在受让方", "who would we sell it to?", "合作开发，对方有优先受让权，帮我起草"]
)
def test_buyers_sought_are_no_assignment(text: str) -> None:
    assert extract_deal_type(text) != "assignment"


# A joint venture set up with the result, or the equity drafted, is an equity investment.
@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("拿ACH-0101去和华奇合资，作价600万", "equity_investment"),
        ("also draft equity: appraised 8M, our fund puts in 5M", "equity_investment"),
        ("spin the team out and sketch the equity structure for ACH-0101", "equity_investment"),
    ],
)
def test_equity_set_up(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


def test_an_equity_incentive_plan_is_no_equity_deal() -> None:
    assert extract_deal_type("draft an equity-incentive plan: 8% total, nobody above 3%") is None


# A technology development contract and the bare abbreviation JD are a joint development; 草拟 drafts.
@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("帮我拟一份技术开发合同，跟澄湖理工一起做，经费500万", "joint_development"),
        ("起草一下：委托溪谷开发一条新工艺，我方出资300万，成果归我方", "joint_development"),
        ("draft JD for the sodium cathode, we fund 2M", "joint_development"),
        (
            "帮我草拟：对方只做技术服务和合作开发，我们出300万合作开发经费，成果我们独占使用",
            "joint_development",
        ),
    ],
)
def test_development_contracts(text: str, deal: str) -> None:
    assert extract_deal_type(text) == deal


def test_development_contract_types_compared_are_no_deal() -> None:
    assert extract_deal_type("技术开发合同和技术服务合同怎么区分") is None
