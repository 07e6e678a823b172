"""Multi-intent detection in one message, ordered as written, in both languages."""

from __future__ import annotations

import pytest

from agent.builtin.intents import detect_intents, intent_names, split_clauses

CASES: list[tuple[str, list[str]]] = [
    (
        "find who would license my sulfide electrolyte, check a pilot line for three weeks in March, and draft an exclusive licence",
        ["find_partners", "find_facilities", "draft_term_sheet"],
    ),
    (
        "帮我找愿意许可我们硫化物固态电解质的企业，查一下明年三月有没有中试线档期，三周，然后起草一份独占许可协议",
        ["find_partners", "find_facilities", "check_availability", "draft_term_sheet"],
    ),
    ("谁会许可我们的硫化物电解质？", ["find_partners"]),
    ("Find partners for ACH-0001", ["find_partners"]),
    ("find investors for our hydrogen electrolyser", ["find_partners"]),
    ("哪些投资机构会投资固态电池？", ["find_partners"]),
    ("哪些央企需要氢能技术？", ["find_partners"]),
    ("Who would buy this technology?", ["find_partners"]),
    ("我们需要一种低成本碳捕集技术", ["find_achievements"]),
    ("寻找碳捕集技术", ["find_achievements"]),
    ("We are looking for a technology to capture CO2 from flue gas", ["find_achievements"]),
    ("search hydrogen achievements at TRL 6 or above", ["search_achievements"]),
    ("有哪些氢能成果？", ["search_achievements"]),
    ("Is FAC-0001 available in March for two weeks? If so hold it.", ["check_availability", "hold_slot"]),
    ("预约FAC-0001，2027年3月1日到3月21日", ["hold_slot"]),
    ("找一个中试平台", ["find_facilities"]),
    ("release BK-3F9A1C2E", ["release_hold"]),
    ("取消这个预约", ["release_hold"]),
    ("确认预约", ["confirm_booking"]),
    ("confirm the hold", ["confirm_booking"]),
    ("draft a term sheet with the second one", ["draft_term_sheet"]),
    ("起草一份与第二家合作方的独占许可协议", ["draft_term_sheet"]),
    ("给第二家起草一份作价入股的条款清单", ["draft_term_sheet"]),
    ("How much must inventors get under the law?", ["policy"]),
    ("Is the licence income tax exempt?", ["policy"]),
    ("技术转让所得免税额度是多少？", ["policy"]),
    ("第四十五条怎么规定的？", ["policy"]),
    ("奖励比例有什么规定", ["policy"]),
    ("tell me about ACH-0001", ["get_record"]),
    ("介绍一下ORG-0002", ["get_record"]),
    ("hello", ["help"]),
    ("你能做什么？", ["help"]),
    ("thanks!", ["thanks"]),
    ("谢谢", ["thanks"]),
    ("blah blah", []),
    ("don't hold anything yet, just check FAC-0001 availability", ["check_availability"]),
    ("先不要预约，查一下FAC-0001的档期", ["check_availability"]),
    (
        "check availability of FAC-0002 in April for 10 days, hold the first window, and tell me the tax rules",
        ["check_availability", "hold_slot", "policy"],
    ),
    ("查询政策，然后帮我找合作方", ["policy", "find_partners"]),
    ("有没有央企对我们的钙钛矿电池技术感兴趣？", ["find_partners"]),
    ("我们公司需要一种用于锂电池的固态电解质，有哪些成果？", ["find_achievements"]),
    # A description clause ("technology") does not become a search of its own next to a real job.
    ("I have a perovskite solar technology at TRL 5, which investors might fund it?", ["find_partners"]),
    ("What are the tax rules for licence income?", ["policy"]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_intents_in_written_order(text: str, expected: list[str]) -> None:
    assert intent_names(text) == expected


def test_order_follows_the_text_not_a_fixed_priority() -> None:
    assert intent_names("draft an exclusive licence for ACH-0001, then find partners") == [
        "draft_term_sheet",
        "find_partners",
    ]
    assert intent_names("find partners for ACH-0001, then draft an exclusive licence") == [
        "find_partners",
        "draft_term_sheet",
    ]


def test_scope_takes_the_detail_clauses_that_follow() -> None:
    intents = detect_intents("查一下明年三月有没有中试线档期，三周，然后起草一份独占许可协议")
    facility = next(i for i in intents if i.name == "find_facilities")
    assert "三周" in facility.scope
    draft = next(i for i in intents if i.name == "draft_term_sheet")
    assert "三周" not in draft.scope


def test_clauses_split_on_punctuation_and_conjunctions() -> None:
    clauses = [
        c for _, c in split_clauses("find partners, check a pilot line and then draft a licence。然后预约")
    ]
    assert clauses == ["find partners", " check a pilot line", "draft a licence", "预约"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我的预订有哪些？", ["list_bookings"]),
        ("FAC-0004有哪些预订", ["list_bookings"]),
        ("show upcoming bookings of FAC-0004", ["list_bookings"]),
        ("what holds do I have?", ["list_bookings"]),
        ("确认我的预约", ["confirm_booking"]),
        ("把刚才的暂留确认了", ["confirm_booking"]),
        ("取消我的预约", ["release_hold"]),
        ("帮我预订FAC-0004下个月一周", ["hold_slot"]),
    ],
)
def test_listing_bookings_is_not_a_new_hold(text: str, expected: list[str]) -> None:
    assert intent_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Can a university professor hold shares in a spin-off?", ["policy"]),  # "hold shares" is no booking
        ("科研人员可以离岗创业吗？", ["policy"]),
        ("教授能在企业兼职吗", ["policy"]),
        ("推荐几家投资TRL 7以上氢能项目的基金", ["find_partners"]),
        ("which funds would invest in ACH-0003?", ["find_partners"]),
        ("hold FAC-0001 for a week in March", ["hold_slot"]),
    ],
)
def test_staff_mobility_is_policy_and_funds_are_partners(text: str, expected: list[str]) -> None:
    assert intent_names(text) == expected
