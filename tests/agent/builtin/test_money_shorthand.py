"""Amounts typed in shorthand (agent/builtin/slots.py `extract_money`): a small m for million next to a money
word, w for 万."""

from __future__ import annotations

import pytest

from agent.builtin.slots import extract_money


def amounts(text: str) -> list[float]:
    return [m.cny for m in extract_money(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("non exclusive licence, 3m upfront plus 2% royalty", [3e6]),
        ("what if we assign it for 12m instead", [12e6]),
        ("equity deal, IP valued at 45m", [45e6]),
        ("they fund 7.5m over 3 years", [7.5e6]),
        ("入门费80w，提成3个点", [8e5]),
        ("预算200w以内", [2e6]),
        # a small m that is metres
        ("an autoclave with 6m of travel", []),
        ("AUVs at 300m depth", []),
    ],
)
def test_shorthand_amounts(text: str, want: list[float]) -> None:
    assert amounts(text) == want
