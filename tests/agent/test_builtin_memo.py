"""Per-turn memoisation in the builtin planner: same answers, computed once."""

from __future__ import annotations

from datetime import date

from agent.builtin import names, slots


def test_name_candidates_are_built_once_per_name_set() -> None:
    pairs = [
        ("中砺动力电池有限公司", "ORG-0002"),
        ("青岚能源创投", "ORG-0009"),
        ("Qinglan Energy Ventures", "ORG-0009"),
    ]
    names._candidates.cache_clear()
    first = names.find_names("请联系中砺动力谈谈", pairs)
    again = names.find_names("and Qinglan Energy Ventures too", list(pairs))
    assert first == [("ORG-0002", (3, 7))]  # the unambiguous short form "中砺动力"
    assert again == [("ORG-0009", (4, 27))]
    info = names._candidates.cache_info()
    assert info.misses == 1 and info.hits == 1


def test_extract_slots_memo_hands_out_independent_copies() -> None:
    today = date(2026, 11, 22)
    text = "FAC-0001 明年1月有没有5天空档，预算200万元"
    a = slots.extract_slots(text, today)
    a.record_ids.append("ACH-9999")
    a.money.clear()
    b = slots.extract_slots(text, today)
    assert b.record_ids == ["FAC-0001"] and b.money == [2_000_000.0] and b.duration_days == 5
    assert b == slots._extract_slots(text, today)  # the memo returns what a fresh extraction does
