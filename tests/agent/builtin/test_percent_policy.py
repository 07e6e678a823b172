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
