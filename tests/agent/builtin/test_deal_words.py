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
