"""Slots with linked record names taken out (slots.without_names): a kind word ending a linked name is part of
the name, not a kind of partner asked for."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots, without_names


def kinds(text: str, name: str) -> list[str]:
    a = text.index(name)
    s = extract_slots(text, date(2026, 12, 5))
    return list(without_names(s, text, [(a, a + len(name))]).org_kinds)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("生物医药领域里溪谷生物医药研究院的成果都有哪些？", "溪谷生物医药"),
        ("瀚海成长那个基金，一般单笔投多少", "瀚海成长"),
        ("Qiwu Polytechnic University的拖曳水池多长？", "Qiwu Polytechnic"),
        ("Chongling大学那个催化剂评价放大中试装置，需要多长提前量", "Chongling"),
        ("霁川创投 投哪些方向的", "霁川"),
    ],
)
def test_kind_ending_a_linked_name_is_no_filter(text: str, name: str) -> None:
    assert kinds(text, name) == []


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        ("Find licensees for the Pd-membrane reactor from Songtao, SOEs in Jilin", "Songtao", ["soe"]),
        ("溪谷生物医药研究院那个成果，帮我找找投资机构", "溪谷生物医药", ["investor"]),
        ("Who at Chenghu could invest? funds that do new energy", "Chenghu", ["investor"]),
    ],
)
def test_kinds_asked_for_beside_a_name_stay(text: str, name: str, want: list[str]) -> None:
    assert kinds(text, name) == want


@pytest.mark.parametrize(
    ("text", "name", "want"),
    [
        # The first "基金" ends the linked name; "投资人" later still asks for investors.
        ("帮我查查 Chulan那个基金 能不能投新材料 然后给我们的CPI薄膜做个投资人清单", "Chulan", ["investor"]),
        ("Hengchuan Fund's portfolio, and which funds might want ACH-0012?", "Hengchuan", ["investor"]),
    ],
)
def test_a_kind_asked_for_after_a_linked_name_counts(text: str, name: str, want: list[str]) -> None:
    assert kinds(text, name) == want
