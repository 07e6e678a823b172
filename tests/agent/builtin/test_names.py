"""Names of organisations and facilities found in text."""

from __future__ import annotations

from agent.builtin.names import find_names

PAIRS = [
    ("中砺动力电池有限公司", "ORG-0002"),
    ("Qinglan Energy Ventures", "ORG-0003"),
    ("Shuofang Institute of Low-Carbon Technology", "ORG-0006"),
    ("Acme Co., Ltd.", "ORG-0100"),
]


def test_full_and_core_names() -> None:
    assert [r for r, _ in find_names("与中砺动力电池有限公司合作", PAIRS)] == ["ORG-0002"]
    assert [r for r, _ in find_names("与中砺动力电池合作", PAIRS)] == ["ORG-0002"]  # without 有限公司
    assert [
        r
        for r, _ in find_names(
            "ask qinglan energy ventures and Shuofang Institute of Low-Carbon Technology", PAIRS
        )
    ] == [
        "ORG-0003",
        "ORG-0006",
    ]


def test_short_cores_and_partial_words_do_not_match() -> None:
    # "Acme" alone is too short to stand for "Acme Co., Ltd."; words inside other words never match.
    assert find_names("acme is a word", PAIRS) == []
    assert find_names("xQinglan Energy Venturesx", PAIRS) == []
    assert find_names("nothing here", PAIRS) == []


def test_unambiguous_chinese_short_forms() -> None:
    pairs = [*PAIRS, ("中砺储能科技有限公司", "ORG-0200")]
    assert [r for r, _ in find_names("和中砺动力谈谈", pairs)] == ["ORG-0002"]
    # "中砺" alone is shared by two names and too short: no match.
    assert find_names("和中砺谈谈", pairs) == []
