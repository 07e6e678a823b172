"""A royalty rate written as a bare figure after its word is a royalty in percent."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.bare_rates import find_bare_royalties
from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("lower the upfront to 500k, raise royalty to 6", 6.0),
        ("make the qualification milestone 3 million and drop the royalty to 1.5", 1.5),
        ("drop the minimum and bump the royalty to 6", 6.0),
        ("提成降到3，入门费不变", 3.0),
    ],
)
def test_a_bare_figure_after_royalty_is_its_rate(text: str, value: float) -> None:
    got = [(p.value, p.role) for p in extract_slots(text, TODAY).percentages]
    assert got == [(value, "royalty")]


@pytest.mark.parametrize(
    "text",
    [
        "add a minimum royalty of 500k per year",
        "set the royalty to 2 years of sales",
        "raise the royalty to 45",  # no rate anyone quotes
        "royalty to 6%",  # a percentage already; read once by the percentage pattern
    ],
)
def test_figures_that_are_no_bare_rate(text: str) -> None:
    assert find_bare_royalties(text) == []


def test_a_written_percentage_is_read_once() -> None:
    got = [(p.value, p.role) for p in extract_slots("raise royalty to 6%", TODAY).percentages]
    assert got == [(6.0, "royalty")]
