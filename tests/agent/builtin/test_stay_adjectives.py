"""A stay said with an adjective between the number and its unit ("12 consecutive days") is its length."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Could we get 12 consecutive days on the Tantai slipstream testbed anytime in Q2?", 12),
        ("does FAC-0033 have 11 free days anywhere in the next two months?", 11),
        ("whether it has five free days before the end of the year", 5),
        ("When does the Luhu centre have two free days in a row next week?", 2),
        ("Hold that GMP suite for the first 10 free days", 10),
        ("we need 10 consecutive days, anytime in Q1 works", 10),
        ("two clear weeks in March?", 14),
    ],
)
def test_a_stay_with_an_adjective_is_its_length(text: str, days: int) -> None:
    assert extract_slots(text, TODAY).duration_days == days


def test_free_days_without_a_number_are_no_length() -> None:
    assert extract_slots("FAC-0043 Jan free days?", TODAY).duration_days is None
