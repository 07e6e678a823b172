"""Percent roles in policy questions and in sentences naming several parties' shares (agent/builtin/slots.py
`extract_percentages`): the statute's reward, a share of the team's share, a figure said again."""

from __future__ import annotations

import pytest

from agent.builtin.slots import extract_percentages


def pcts(text: str) -> list[tuple[float, str]]:
    return sorted((p.value, p.role) for p in extract_percentages(text))


# A share of operating profit is the statute's reward for implementing a result oneself, unless the sentence is
# about a dividend incentive.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("does the 5% of operating profit apply for three years or five?", [(5.0, "inventor_share")]),
        ("if we make it ourselves, is 4% of the annual operating profit enough?", [(4.0, "inventor_share")]),
        ("投产后每年从营业利润里提6%，连续四年", [(6.0, "inventor_share")]),
        (
            "our SOE plans a dividend incentive on the line: 6% of operating profit for 3 years",
            [(6.0, "dividend_pool")],
        ),
    ],
)
def test_operating_profit(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# "team" inside another word ("steam", "esteem") is no inventor cue.
@pytest.mark.parametrize(
    "text",
    [
        "a boiler fed with process steam, with degradation below 2% per 1000 h",
        "on the steam turbine, a drift below 3% per month",
    ],
)
def test_team_inside_a_word(text: str) -> None:
    assert all(role != "inventor_share" for _, role in pcts(text))


# Parties splitting an income, what is left of it, a payment or the funding: each part is "other", not a share of
# the IP (even when the IP was named just before) nor a stake.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("两所大学联合许可，提成4%，许可收益两校对半分", [(4.0, "royalty"), (50.0, "other")]),
        ("专利双方共有，利润七三分", [(70.0, "other")]),
        ("收入的六成奖励给课题组，剩下的学院和学校五五开", [(50.0, "other"), (60.0, "inventor_share")]),
        ("the price is paid 50/50 at signing and at delivery", [(50.0, "other")]),
        ("and if the funding is split 70/30 instead?", [(30.0, "other"), (70.0, "other")]),
    ],
)
def test_shared_income_and_payments(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A range of levels ("TRL 4-6") or any split with no income, payment or IP named is no share.
def test_bare_range_is_no_split() -> None:
    assert pcts("hydrogen achievements at TRL 4-6, payment on delivery") == []


def test_payment_days_range_is_no_split() -> None:
    assert pcts("the licensee has paid within 3-7 days every time") == []


# How the team divides its own share is no share of the deal: "other".
@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "inventors get 55%, and the lead inventor keeps 30% of the inventors' share",
            [(30.0, "other"), (55.0, "inventor_share")],
        ),
        ("净收入的六成奖励给课题组，课题组长拿课题组部分的25%", [(25.0, "other"), (60.0, "inventor_share")]),
    ],
)
def test_part_of_the_team_share(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A party holding a part in an equity deal holds a stake; with the team's part beside it, it is the party's part
# of the contributed stake.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("用这个专利作价300万入股，学院占12%", [(12.0, "equity")]),
        ("the patent goes in as equity at 3M, the school keeps 18%", [(18.0, "equity")]),
        ("作价入股，团队拿作价股份的六成，学校占四成", [(40.0, "other"), (60.0, "inventor_share")]),
        ("许可给他们，学校占收入的三成", [(30.0, "other")]),
    ],
)
def test_party_stake_in_equity_deal(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# The same figure said again ("这30%里…", "股份也是六成吗", "the same 40%") is one slot, with its first role.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("对方给我们30%股份，这30%里团队能分多少", [(30.0, "equity")]),
        ("学校规定团队拿六成，那技术入股的时候股份也是六成吗", [(60.0, "inventor_share")]),
        ("the rule gives the inventors 40%; is the same 40% owed on shares?", [(40.0, "inventor_share")]),
    ],
)
def test_same_figure_again(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# "X% of … to the inventors": the inventors' share, with or without a verb before "to".
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("buy it outright for 4M, plus 3% of the new company to the inventors", [(3.0, "inventor_share")]),
        ("assignment at 2M and 10% of the spin-out to the team as a thank-you", [(10.0, "inventor_share")]),
    ],
)
def test_share_to_the_inventors(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# The statute's floor asked in words: "at least half", "不低于一半".
@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "must the reward to the researchers be no less than half of the net proceeds?",
            [(50.0, "inventor_share")],
        ),
        ("转让的话，完成人的奖励是不是不少于一半", [(50.0, "inventor_share")]),
    ],
)
def test_at_least_half(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# Two parties' equal halves in one sentence: the team's half and the school's half are both stated.
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("专利作价入股，课题组拿作价股份的50%，学院50%", [(50.0, "inventor_share"), (50.0, "other")]),
        (
            "licence income: inventors get 50% and the university 50%",
            [(50.0, "inventor_share"), (50.0, "other")],
        ),
    ],
)
def test_two_parties_equal_halves(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want


# A tax rate or a head count is what the figure is, whatever deal or plan the message is about: "other".
@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("技术入股以后再转让股权，税率是不是20%", [(20.0, "other")]),
        ("equity deal: when the shares are sold, is the tax rate 20%?", [(20.0, "other")]),
        ("股权激励，激励人数能超过员工总数的25%吗", [(25.0, "other")]),
        ("for the incentive plan, can grants go to more than 30% of staff?", [(30.0, "other")]),
    ],
)
def test_tax_rate_and_head_count(text: str, want: list[tuple[float, str]]) -> None:
    assert pcts(text) == want
