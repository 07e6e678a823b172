"""Slots against small hand-labelled cases in the corpus's shape (today 2026-12-05), scored like bench/slots.py."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.slots import extract_slots
from agent.understanding.corpus import CorpusSlots
from bench.slots import SLOTS

TODAY = date(2026, 12, 5)

CASES: list[tuple[str, dict[str, object]]] = [
    ("FAC-0003 3月空档？", {"dates": {"start": "2027-03-01", "end": "2027-03-31"}}),
    ("2月15号开始用两周", {"dates": {"start": "2027-02-15", "end": "2027-02-28"}, "duration_days": 14}),
    (
        "入门费300万，按销售额提5个点，期限8年",
        {
            "money": [{"value": 3_000_000, "role": "upfront"}],
            "percents": [{"value": 5, "role": "royalty"}],
            "term_years": 8,
        },
    ),
    (
        "they fund RMB 12 million over 3 years, IP split 60/40",
        {
            "money": [{"value": 12_000_000, "role": "funding"}],
            # Both shares: 7 of the 9 figure splits in the training pool are labelled so.
            "percents": [{"value": 60, "role": "ip_share"}, {"value": 40, "role": "ip_share"}],
            "term_years": 3,
        },
    ),
    ("知识产权我方占七成", {"percents": [{"value": 70, "role": "ip_share"}]}),
    ("专利各一半", {"percents": [{"value": 50, "role": "ip_share"}]}),
    (
        "激励总额按总股本5%，单人不超过百分之三",
        {"percents": [{"value": 5, "role": "incentive_total"}, {"value": 3, "role": "incentive_person"}]},
    ),
    (
        "an exclusive licence for SOEs in Jiangsu",
        {"deal_type": "exclusive_license", "org_kind": ["soe"], "region": ["Jiangsu"]},
    ),
    ("release BK-2027-0003", {"booking_ref": "BK-2027-0003"}),
]


@pytest.mark.parametrize(("text", "labels"), CASES)
def test_slot_case(text: str, labels: dict[str, object]) -> None:
    gold = CorpusSlots.model_validate(labels)
    got = extract_slots(text, TODAY)
    for key in labels:
        key = {"percents": "percents"}.get(key, key)
        gold_of, pred_of = SLOTS[key]
        assert pred_of(got) == gold_of(gold), key


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("cheques of RMB 300k to 3M", [300_000, 3_000_000]),
        ("growth-stage funds with 20M+ tickets", [20_000_000]),
        ("单笔两三百万就够", [2_000_000, 3_000_000]),
        ("合同金额是1个亿", [100_000_000]),
        ("a 5 MW plant at 100 Mbps", []),
    ],
)
def test_money_forms(text: str, values: list[float]) -> None:
    assert sorted(extract_slots(text, TODAY).money) == values
