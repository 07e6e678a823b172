"""BuiltinPlanner.plan: multi-intent chains driven by synthetic results, clarifications, references, language."""

from __future__ import annotations

from typing import Any

import pytest

from agent.builtin import BuiltinPlanner
from agent.plan import PlanStep
from agent.planner import StepResult
from tests.agent.builtin import synth
from tests.agent.builtin.synth import drive, inp

PARTNERS = ("ORG-0002", "ORG-0005", "ORG-0009")


def world(step: PlanStep) -> tuple[Any, ...]:
    """A small consistent world: what each tool returns, echoing the arguments it was given."""
    a = step.args
    if step.tool == "search_achievements":
        return True, synth.search_hits("ACH-0001", "ACH-0007", query=a["query"])
    if step.tool == "find_partners":
        return True, synth.partners(*PARTNERS, ach=a.get("achievement_id"))
    if step.tool == "find_achievements_for_need":
        return True, {
            "ok": True,
            "org_id": a.get("org_id"),
            "needs": [a.get("need", "")],
            "matches": [],
            "excluded": [],
        }
    if step.tool == "find_facilities":
        return True, synth.facilities("FAC-0001", "FAC-0003", "FAC-0004")
    if step.tool == "check_availability":
        ids = a.get("facility_ids") or [a["facility_id"]]
        start = a.get("earliest_start", "2027-03-01")
        wins = {fid: ([start] if n == 0 else []) for n, fid in enumerate(ids)}
        return True, synth.availability(
            wins, days=a["days"], start=start, end=a.get("latest_end", "2027-06-01")
        )
    if step.tool == "hold_slot":
        return True, synth.hold(a["facility_id"], a["start"], a["days"])
    if step.tool in ("release_hold", "confirm_booking"):
        return True, synth.hold("FAC-0001", "2027-03-01", 21, ref=a["reference"])
    if step.tool == "search_policies":
        return True, synth.policies(("CN-LAW-PTSTA-2015-EN", "Article 45"))
    if step.tool == "get_record":
        return True, synth.record(a["record_id"])
    if step.tool == "list_bookings":
        refs = a.get("references") or []
        views = [synth.hold("FAC-0007", "2026-12-01", 3, ref=r) for r in refs]
        return True, {"ok": True, "bookings": views, "missing": []}
    if step.tool == "draft_term_sheet":
        return True, {
            "ok": True,
            "deal_type": a["deal_type"],
            "achievement_id": a["achievement_id"],
            "findings": [],
        }
    raise AssertionError(f"unexpected tool {step.tool}")


def tools(results: list[StepResult]) -> list[str]:
    return [r.tool for r in results]


def by_tool(results: list[StepResult], tool: str) -> StepResult:
    return next(r for r in results if r.tool == tool)


# --- the flagship request ---------------------------------------------------------------------------

EN_FLAGSHIP = "find who would license my sulfide electrolyte, check a pilot line for three weeks in March, and draft an exclusive licence"
ZH_FLAGSHIP = "帮我找愿意许可我们硫化物固态电解质的企业，查一下明年三月有没有中试线档期，三周，有的话帮我预留，然后起草一份独占许可协议"


def test_english_flagship_chain() -> None:
    results, plan, _ = drive(EN_FLAGSHIP, world)
    assert tools(results) == [
        "search_achievements",
        "find_partners",
        "find_facilities",
        "check_availability",
        "draft_term_sheet",
    ]
    assert by_tool(results, "search_achievements").args["query"] == "sulfide electrolyte"
    assert by_tool(results, "find_partners").args["achievement_id"] == "ACH-0001"
    fac = by_tool(results, "find_facilities").args
    assert (fac["domain"], fac["kind"]) == ("new_energy", "pilot_line")
    check = by_tool(results, "check_availability").args
    assert check["facility_ids"] == ["FAC-0001", "FAC-0003", "FAC-0004"]
    assert (check["days"], check["earliest_start"], check["latest_end"]) == (21, "2027-03-01", "2027-04-01")
    draft = by_tool(results, "draft_term_sheet").args
    assert draft["deal_type"] == "exclusive_license"
    assert draft["achievement_id"] == "ACH-0001"
    assert draft["licensee"] == PARTNERS[0]  # the top find_partners match
    assert "hold_slot" not in tools(results)  # nobody asked to hold
    assert plan.answer_now and not plan.steps


def test_chinese_flagship_with_hold() -> None:
    results, plan, _ = drive(ZH_FLAGSHIP, world, lang="zh")
    assert tools(results) == [
        "search_achievements",
        "find_partners",
        "find_facilities",
        "check_availability",
        "hold_slot",
        "draft_term_sheet",
    ]
    assert by_tool(results, "search_achievements").args["query"] == "硫化物固态电解质"
    hold = by_tool(results, "hold_slot").args
    # The first free window of the availability check.
    assert hold == {"facility_id": "FAC-0001", "start": "2027-03-01", "days": 21}
    assert by_tool(results, "draft_term_sheet").args["lang"] == "zh"
    assert plan.lang == "zh"


def test_first_plan_shows_the_whole_chain_with_unique_ids() -> None:
    plan = BuiltinPlanner().plan(inp(EN_FLAGSHIP))
    assert [s.tool for s in plan.steps] == [
        "search_achievements",
        "find_partners",
        "find_facilities",
        "check_availability",
        "draft_term_sheet",
    ]
    assert [s.id for s in plan.steps] == [f"t1-s{n}" for n in range(1, 6)]
    # Only the first step is complete; later ones wait for results and say so.
    assert plan.steps[1].summary == "Rank partners for the achievement found"
    assert plan.steps[4].summary.startswith("Draft a term sheet") and "…" not in plan.steps[4].summary
    assert not any("after the previous step" in s.summary and "found" in s.summary for s in plan.steps)
    assert plan.steps[0].summary.startswith("Find the achievement")


def test_step_ids_continue_after_results_and_are_unique_per_thread() -> None:
    results, _, _ = drive(EN_FLAGSHIP, world, turn=3)
    ids = [r.step_id for r in results]
    assert ids == [f"t3-s{n}" for n in range(1, len(ids) + 1)]


def test_deterministic() -> None:
    p = BuiltinPlanner()
    a = p.plan(inp(ZH_FLAGSHIP, lang="zh"))
    b = BuiltinPlanner().plan(inp(ZH_FLAGSHIP, lang="zh"))
    assert a.model_dump() == b.model_dump()
    r1, _, resp1 = drive(EN_FLAGSHIP, world)
    r2, _, resp2 = drive(EN_FLAGSHIP, world)
    assert [r.model_dump() for r in r1] == [r.model_dump() for r in r2]
    assert resp1 == resp2


# --- calendar jobs ---------------------------------------------------------------------------------


def test_named_facility_exact_dates_check_then_hold() -> None:
    results, _, _ = drive("Check FAC-0001 for two weeks from 2027-03-01 and hold it", world)
    assert tools(results) == ["check_availability", "hold_slot"]
    assert results[0].args == {
        "facility_id": "FAC-0001",
        "days": 14,
        "earliest_start": "2027-03-01",
        "latest_end": "2027-03-15",
    }
    assert results[1].args == {"facility_id": "FAC-0001", "start": "2027-03-01", "days": 14}


def test_explicit_day_range_gives_the_length() -> None:
    results, _, _ = drive("预约FAC-0002，2027年3月1日到3月21日", world, lang="zh")
    assert results[0].args["days"] == 21
    assert results[1].args == {"facility_id": "FAC-0002", "start": "2027-03-01", "days": 21}


def test_no_free_window_means_no_hold() -> None:
    def none_free(step: PlanStep) -> tuple[Any, ...]:
        if step.tool == "check_availability":
            return True, synth.availability({"FAC-0001": []}, days=21, next_window="2027-05-10")
        return world(step)

    results, plan, _ = drive("check FAC-0001 for three weeks in March and hold it", none_free)
    assert tools(results) == ["check_availability"]
    assert plan.answer_now


def test_rejected_hold_is_not_retried() -> None:
    def reject(step: PlanStep) -> tuple[Any, ...]:
        if step.tool == "hold_slot":
            return False, synth.error("rejected", "Rejected by the user."), "rejected"
        return world(step)

    results, plan, response = drive("check FAC-0001 for three weeks in March and hold it", reject)
    assert tools(results) == ["check_availability", "hold_slot"]
    assert plan.answer_now
    assert "nothing was booked" in response.text


def test_edited_hold_counts_as_done() -> None:
    check = StepResult(
        step_id="t1-s1",
        tool="check_availability",
        args={"facility_id": "FAC-0001", "days": 21},
        result=synth.availability({"FAC-0001": ["2027-03-01"]}),
        turn=1,
    )
    edited = StepResult(
        step_id="t1-s2",
        tool="hold_slot",
        args={"facility_id": "FAC-0001", "start": "2027-03-08", "days": 21},
        result=synth.hold("FAC-0001", "2027-03-08", 21),
        turn=1,
        approval="edited",
    )
    plan = BuiltinPlanner().plan(
        inp("check FAC-0001 for three weeks in March and hold it", results=[check, edited])
    )
    assert plan.answer_now and plan.steps == []


def test_availability_without_length_uses_minimum_stay() -> None:
    plan = BuiltinPlanner().plan(inp("Is FAC-0001 available in March?"))
    assert plan.steps[0].tool == "check_availability"
    assert plan.steps[0].args["days"] == 1
    assert "minimum stay" in plan.note


# --- clarifications ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "question"),
    [
        ("hold FAC-0001", "en", "Which dates and how many days?"),
        ("预留FAC-0001", "zh", "您希望在什么时间段预约？需要多少天？"),
        ("hold FAC-0001 in March", "en", "How many days"),
        ("帮我预留FAC-0001，明年三月", "zh", "需要预约多少天"),
        ("hold a slot for three weeks in March", "en", "Which facility?"),
        ("find partners", "en", "Which achievement?"),
        ("帮我找合作方", "zh", "请问是哪项成果"),
        ("release the hold", "en", "Which hold?"),
        ("tell me more", "en", "Which record?"),
        ("draft a term sheet", "en", "Which achievement?"),
    ],
)
def test_clarifying_questions(text: str, lang: str, question: str) -> None:
    plan = BuiltinPlanner().plan(inp(text, lang=lang))
    assert plan.clarification is not None
    assert question in plan.clarification
    assert plan.steps == []


def test_answer_to_a_clarifying_question_completes_the_request() -> None:
    # A bare "预约FAC-0001" reads as a lookup since the W1-W108 refit: the blind writers use 预约 as a noun ("my
    # bookings") hundreds of times and almost never as a bare verb before an id (docs/understanding.md).
    first = BuiltinPlanner().plan(inp("帮我预约FAC-0001", lang="zh"))
    assert first.clarification
    results, _, _ = drive(["帮我预约FAC-0001", "3月1日开始，两周"], world, lang="zh", turn=2)
    assert tools(results) == ["check_availability", "hold_slot"]
    assert results[1].args == {"facility_id": "FAC-0001", "start": "2027-03-01", "days": 14}


# --- references to earlier results -------------------------------------------------------------------


def _history(text: str) -> list[StepResult]:
    results, _, _ = drive(text, world, turn=1)
    return results


def test_the_second_one_is_the_second_partner() -> None:
    hist = _history("find partners for ACH-0001")
    results, _, _ = drive(
        ["find partners for ACH-0001", "draft an exclusive licence with the second one"],
        world,
        history=hist,
        turn=2,
    )
    assert tools(results) == ["draft_term_sheet"]
    assert results[0].args["licensee"] == PARTNERS[1]
    assert results[0].args["achievement_id"] == "ACH-0001"


def test_chinese_second_company_with_terms() -> None:
    hist = _history("find partners for ACH-0001")
    results, _, _ = drive(
        ["find partners for ACH-0001", "起草一份与第二家的独占许可协议，提成4%，期限10年，发明人团队60%"],
        world,
        history=hist,
        turn=2,
        lang="zh",
    )
    args = results[0].args
    assert args["licensee"] == PARTNERS[1]
    assert (args["royalty_rate_pct"], args["term_years"], args["inventor_share_pct"]) == (4.0, 10, 60.0)


def test_term_sheet_partner_defaults_to_top_match_of_earlier_turn() -> None:
    hist = _history("find partners for ACH-0001")
    results, plan, _ = drive(
        ["find partners for ACH-0001", "draft a term sheet"], world, history=hist, turn=2
    )
    assert results[0].args["licensee"] == PARTNERS[0]
    assert results[0].args["deal_type"] == "nonexclusive_license"
    assert "non-exclusive" in plan.note


def test_term_sheet_without_partners_ranks_them_first() -> None:
    results, _, _ = drive("draft an exclusive licence of ACH-0003", world)
    assert tools(results) == ["find_partners", "draft_term_sheet"]
    assert results[0].args["achievement_id"] == "ACH-0003"
    assert results[1].args["licensee"] == PARTNERS[0]


def test_named_partner_is_used() -> None:
    results, _, _ = drive("draft an assignment of ACH-0003 to ORG-0042 for RMB 5 million", world)
    assert tools(results) == ["draft_term_sheet"]
    assert results[0].args["licensee"] == "ORG-0042"
    assert results[0].args["deal_type"] == "assignment"
    assert results[0].args["upfront_fee_cny"] == 5e6


def test_tell_me_more_about_the_third_one() -> None:
    hist = _history("find partners for ACH-0001")
    results, _, _ = drive(
        ["find partners for ACH-0001", "tell me more about the third one"], world, history=hist, turn=2
    )
    assert results[0].args == {"record_id": PARTNERS[2]}


def test_bare_reference_looks_up_the_record() -> None:
    hist = _history("search hydrogen achievements")
    results, _, _ = drive(["search hydrogen achievements", "第2个"], world, history=hist, turn=2, lang="zh")
    assert results[0].args == {"record_id": "ACH-0007"}


CALENDAR = "check a pilot line for hydrogen electrolysers for three weeks in March"


def test_hold_the_first_window_from_earlier_turn() -> None:
    hist = _history(CALENDAR)
    results, _, _ = drive([CALENDAR, "hold the first window"], world, history=hist, turn=2)
    assert tools(results) == ["hold_slot"]
    assert results[0].args == {"facility_id": "FAC-0001", "start": "2027-03-01", "days": 21}


def test_yes_after_a_calendar_answer_holds_the_first_window() -> None:
    hist = _history(CALENDAR)
    results, _, _ = drive([CALENDAR, "好的"], world, history=hist, turn=2, lang="zh")
    assert tools(results) == ["hold_slot"]


def test_what_about_april_rechecks_the_same_facility() -> None:
    hist = _history(CALENDAR)
    results, _, _ = drive([CALENDAR, "what about April?"], world, history=hist, turn=2)
    assert tools(results) == ["check_availability"]
    assert results[0].args["facility_id"] == "FAC-0001"
    assert (results[0].args["earliest_start"], results[0].args["latest_end"], results[0].args["days"]) == (
        "2027-04-01",
        "2027-05-01",
        21,
    )


def test_that_facility_with_new_dates() -> None:
    hist = _history(CALENDAR)
    results, _, _ = drive(
        [CALENDAR, "hold that facility for 2 weeks from 2027-04-06"], world, history=hist, turn=2
    )
    assert tools(results) == ["check_availability", "hold_slot"]
    assert results[1].args == {"facility_id": "FAC-0001", "start": "2027-04-06", "days": 14}


def test_confirm_and_release_use_the_hold_reference() -> None:
    hist = _history("Check FAC-0001 for two weeks from 2027-03-01 and hold it")
    texts = ["Check FAC-0001 for two weeks from 2027-03-01 and hold it"]
    results, _, _ = drive([*texts, "confirm the hold"], world, history=hist, turn=2)
    assert results == [results[0]] and results[0].tool == "confirm_booking"
    assert results[0].args == {"reference": "BK-0000TEST"}
    results, plan, _ = drive([*texts, "取消这个预约"], world, history=hist, turn=2, lang="zh")
    assert tools(results) == ["release_hold"] and plan.answer_now


# --- other jobs ---------------------------------------------------------------------------------------


def test_need_with_trl_and_budget_in_detail_clauses() -> None:
    plan = BuiltinPlanner().plan(
        inp("我们需要一种低成本碳捕集技术，技术成熟度6级以上，预算500万元", lang="zh")
    )
    step = plan.steps[0]
    assert step.tool == "find_achievements_for_need"
    assert step.args["need"] == "低成本碳捕集技术"
    assert (step.args["domains"], step.args["trl_min"], step.args["budget_cny"]) == (["ccus"], 6, 5e6)


def test_investors_in_a_region_for_a_free_text_technology() -> None:
    plan = BuiltinPlanner().plan(inp("哪些江苏的投资机构会投资固态电池？", lang="zh"))
    step = plan.steps[0]
    assert step.tool == "find_partners"
    assert step.args["kinds"] == ["investor"]
    assert step.args["region"] == "Jiangsu"
    assert step.args["domain"] == "new_energy"
    assert "固态电池" in step.args["need"]


def test_search_with_filters() -> None:
    plan = BuiltinPlanner().plan(inp("search hydrogen achievements at TRL 6 or above in Beijing"))
    assert plan.steps[0].args == {
        "query": "hydrogen",
        "domain": "hydrogen",
        "trl_min": 6,
        "region": "Beijing",
        "k": 10,
    }


def test_policy_question_and_record_lookups() -> None:
    plan = BuiltinPlanner().plan(inp("技术转让所得免税额度是多少？", lang="zh"))
    assert plan.steps[0].tool == "search_policies"
    assert plan.steps[0].args["lang"] == "zh"
    plan = BuiltinPlanner().plan(inp("tell me about ACH-0001 and ORG-0002"))
    assert [s.args["record_id"] for s in plan.steps] == ["ACH-0001", "ORG-0002"]


def test_not_understood_answers_now_and_says_so() -> None:
    plan = BuiltinPlanner().plan(inp("blah blah"))
    assert plan.answer_now and not plan.steps
    assert "did not understand" in plan.note
    plan = BuiltinPlanner().plan(inp("find partners for ACH-0001 and frobnicate the widget"))
    assert [s.tool for s in plan.steps] == ["find_partners"]
    assert "frobnicate the widget" in plan.note


# --- language, budget -----------------------------------------------------------------------------------


def test_summaries_follow_the_reply_language() -> None:
    zh = BuiltinPlanner().plan(inp("find partners for ACH-0001", lang="zh"))
    en = BuiltinPlanner().plan(inp("为ACH-0001寻找合作方", lang="en"))
    assert zh.lang == "zh" and "匹配合作方" in zh.steps[0].summary and zh.steps[0].args["lang"] == "zh"
    assert en.lang == "en" and en.steps[0].summary.startswith("Rank partners")


def test_bounded_by_steps_left() -> None:
    plan = BuiltinPlanner().plan(inp(EN_FLAGSHIP, steps_left=2))
    assert len(plan.steps) == 2
    plan = BuiltinPlanner().plan(inp(EN_FLAGSHIP, steps_left=0))
    assert plan.answer_now and plan.steps == []


# --- names from the knowledge base ------------------------------------------------------------------

NAMES = [
    ("中砺动力电池有限公司", "ORG-0002"),
    ("Qinglan Energy Ventures", "ORG-0003"),
    ("固态电池中试线", "FAC-0001"),
]


def test_named_organisation_is_the_partner() -> None:
    planner = BuiltinPlanner(names=lambda: NAMES)
    plan = planner.plan(inp("起草一份ACH-0001与中砺动力的独占许可协议", lang="zh"))
    assert plan.steps[0].tool == "draft_term_sheet"
    assert plan.steps[0].args["licensee"] == "ORG-0002"
    plan = planner.plan(inp("tell me about Qinglan Energy Ventures"))
    assert plan.steps[0].args == {"record_id": "ORG-0003"}


def test_named_facility_needs_no_search() -> None:
    plan = BuiltinPlanner(names=lambda: NAMES).plan(
        inp("固态电池中试线明年三月有没有三周的档期？", lang="zh")
    )
    assert [s.tool for s in plan.steps] == ["check_availability"]
    assert plan.steps[0].args["facility_id"] == "FAC-0001"


def test_a_broken_name_source_is_ignored() -> None:
    def broken() -> list[tuple[str, str]]:
        raise RuntimeError("no knowledge base")

    plan = BuiltinPlanner(names=broken).plan(inp("find partners for ACH-0001"))
    assert plan.steps[0].args["achievement_id"] == "ACH-0001"


def test_no_window_then_hold_the_earliest_later_one() -> None:
    def none_free(step: PlanStep) -> tuple[Any, ...]:
        if step.tool == "check_availability":
            return True, synth.availability({"FAC-0001": []}, days=14, next_window="2027-05-03")
        return world(step)

    first = "Is FAC-0001 available for two weeks in March 2027? If so hold it."
    hist, _, response = drive(first, none_free, turn=1)
    assert tools(hist) == ["check_availability"]
    assert "nothing was held" in response.text and "hold the earliest window" in response.text
    results, _, _ = drive([first, "hold the earliest window"], none_free, history=hist, turn=2)
    assert tools(results) == ["hold_slot"]
    assert results[0].args == {"facility_id": "FAC-0001", "start": "2027-05-03", "days": 14}


@pytest.mark.parametrize(
    ("text", "lang", "tool", "expected"),
    [
        (
            "推荐几家愿意投资氢能的投资机构",
            "zh",
            "find_partners",
            {"kinds": ["investor"], "need": "氢能", "domain": "hydrogen"},
        ),
        (
            "我们公司需要一种用于锂电池的固态电解质，有哪些成果？",
            "zh",
            "find_achievements_for_need",
            {"need": "用于锂电池的固态电解质", "domains": ["new_energy"]},
        ),
        (
            "列出江苏省技术成熟度7级以上的新材料成果",
            "zh",
            "search_achievements",
            {"query": "新材料", "region": "Jiangsu", "trl_min": 7, "domain": "new_materials"},
        ),
        (
            "Find a testbed for fuel cell stacks in Inner Mongolia",
            "en",
            "find_facilities",
            # "fuel cell stacks" is the topic (ranked by text), not a named field: no hard domain filter.
            {"domain": None, "kind": "testbed", "region": "Inner Mongolia", "text": "fuel cell stacks"},
        ),
        (
            "FAC-0003 下个月有空档吗？需要10天",
            "zh",
            "check_availability",
            {
                "facility_id": "FAC-0003",
                "days": 10,
                "earliest_start": "2026-12-01",
                "latest_end": "2027-01-01",
            },
        ),
        (
            "把ACH-0001作价入股给ORG-0003，股权20%，评估价值500万元，起草条款",
            "zh",
            "draft_term_sheet",
            {
                "deal_type": "equity_investment",
                "licensee": "ORG-0003",
                "equity_share_pct": 20.0,
                "appraised_value_cny": 5e6,
            },
        ),
        (
            "Draft a joint development agreement between ACH-0003 and ORG-0007 with a 30% profit share",
            "en",
            "draft_term_sheet",
            {"deal_type": "joint_development", "licensee": "ORG-0007", "profit_share_pct": 30.0},
        ),
        (
            "draft a licence for ACH-0001 to ORG-0002, royalty 3.5%, 5 years, upfront RMB 2 million, inventors 70%",
            "en",
            "draft_term_sheet",
            {
                "deal_type": "nonexclusive_license",
                "royalty_rate_pct": 3.5,
                "term_years": 5,
                "upfront_fee_cny": 2e6,
                "inventor_share_pct": 70.0,
            },
        ),
    ],
)
def test_single_job_arguments(text: str, lang: str, tool: str, expected: dict[str, Any]) -> None:
    step = BuiltinPlanner().plan(inp(text, lang=lang)).steps[0]
    assert step.tool == tool
    assert {k: step.args.get(k) for k in expected} == expected


def test_policy_questions_carry_the_statute_vocabulary() -> None:
    step = BuiltinPlanner().plan(inp("国有大型企业股权激励总额上限是多少？", lang="zh")).steps[0]
    assert step.args["query"].startswith("国有大型企业股权激励总额上限是多少？")
    assert "不超过5%" in step.args["query"]
    step = BuiltinPlanner().plan(inp("How much must inventors get from a licence?")).steps[0]
    assert "Article 45" in step.args["query"] and "50% of the net income" in step.args["query"]


# --- the contract with the tools ---------------------------------------------------------------------


def test_every_step_validates_against_the_tools_input_models() -> None:
    """Arguments the planner emits are accepted by the real tools (field names, enums, ranges)."""
    import tools.registry  # noqa: F401  (registers every tool)
    from tools.base import REGISTRY

    texts = [
        (EN_FLAGSHIP, "en"),
        (ZH_FLAGSHIP, "zh"),
        ("Check FAC-0001 for two weeks from 2027-03-01 and hold it", "en"),
        ("我们需要一种低成本碳捕集技术，技术成熟度6级以上，预算500万元", "zh"),
        ("哪些江苏的投资机构会投资固态电池？", "zh"),
        ("search hydrogen achievements at TRL 4-6 in Beijing", "en"),
        ("Find a testbed for fuel cell stacks in Inner Mongolia", "en"),
        ("把ACH-0001作价入股给ORG-0003，股权20%，评估价值500万元，起草条款", "zh"),
        ("Draft a joint development agreement between ACH-0003 and ORG-0007 with a 30% profit share", "en"),
        (
            "draft a licence for ACH-0001 to ORG-0002, royalty 3.5%, 5 years, upfront RMB 2 million, inventors 70%",
            "en",
        ),
        ("How much must inventors get from a licence?", "en"),
        ("tell me about ACH-0001 and FAC-0002", "en"),
        ("release BK-3F9A1C2E", "en"),
        ("confirm BK-3F9A1C2E", "en"),
        ("show upcoming bookings of FAC-0004", "en"),
    ]
    seen: set[str] = set()
    for text, lang in texts:
        results, _, _ = drive(text, world, lang=lang)
        for r in results:
            model = REGISTRY[r.tool].input_model
            model.model_validate(r.args)  # raises on a wrong field name or value
            seen.add(r.tool)
    assert seen == set(REGISTRY) - {t for t in REGISTRY if t.startswith("fake_")}


# --- what-if variations of the last draft ------------------------------------------------------------

_DRAFT = "draft a non-exclusive licence of ACH-0001 with ORG-0002, royalty 3%, 4 years, inventor team 60%"


@pytest.mark.parametrize(
    ("text", "lang", "changed"),
    [
        ("what if the royalty is 12%?", "en", {"royalty_rate_pct": 12.0}),
        ("提成改成8%呢？", "zh", {"royalty_rate_pct": 8.0}),
        ("如果期限改为6年呢", "zh", {"term_years": 6}),
        ("what if it were an exclusive licence instead?", "en", {"deal_type": "exclusive_license"}),
    ],
)
def test_what_if_redrafts_the_last_term_sheet_with_the_change(
    text: str, lang: str, changed: dict[str, object]
) -> None:
    hist = _history(_DRAFT)
    assert tools(hist) == ["draft_term_sheet"]
    results, _, _ = drive([_DRAFT, text], world, history=hist, turn=2, lang=lang)
    assert tools(results) == ["draft_term_sheet"]  # not a policy search
    expected = {**hist[0].args, **changed, "lang": lang}
    assert results[0].args == expected


def test_switching_to_an_assignment_drops_the_licence_royalty() -> None:
    hist = _history(_DRAFT)
    results, _, _ = drive(
        [_DRAFT, "what if it were an assignment for RMB 3 million instead?"], world, history=hist, turn=2
    )
    args = results[0].args
    assert args["deal_type"] == "assignment" and args["upfront_fee_cny"] == 3e6
    assert "royalty_rate_pct" not in args
    assert (args["achievement_id"], args["licensee"], args["inventor_share_pct"]) == (
        "ACH-0001",
        "ORG-0002",
        60.0,
    )


def test_a_policy_question_after_a_draft_is_still_a_policy_question() -> None:
    hist = _history(_DRAFT)
    results, _, _ = drive(
        [_DRAFT, "What does Article 45 say about inventor rewards?"], world, history=hist, turn=2
    )
    assert tools(results) == ["search_policies"]


# --- listing bookings ----------------------------------------------------------------------------------


def test_my_bookings_lists_the_holds_of_this_conversation() -> None:
    hold = StepResult(
        step_id="t1-s1",
        tool="hold_slot",
        args={"facility_id": "FAC-0007", "start": "2026-12-01", "days": 3},
        ok=True,
        result=synth.hold("FAC-0007", "2026-12-01", 3, ref="BK-0000AAAA"),
        turn=1,
        approval="approved",
    )
    results, _, response = drive(
        ["hold FAC-0007", "我的预订有哪些？"], world, history=[hold], turn=2, lang="zh"
    )
    assert tools(results) == ["list_bookings"]
    assert results[0].args == {"references": ["BK-0000AAAA"]}
    assert "本次对话中的预留和预订" in response.text and "BK-0000AAAA" in response.text
    assert "[FAC-0007]" in response.text


@pytest.mark.parametrize(
    ("text", "lang", "empty"),
    [
        ("what holds do I have?", "en", "No holds or bookings in this conversation yet"),
        ("list my bookings pls", "en", "No holds or bookings in this conversation yet"),
        ("我的预约都有哪些？", "zh", "本次对话中还没有预留或预订"),
    ],
)
def test_my_bookings_without_any_hold_still_asks_the_tool(text: str, lang: str, empty: str) -> None:
    # The conversation's memory is not the booking store: the tool says what this thread placed.
    results, _, response = drive(text, world, lang=lang)
    assert tools(results) == ["list_bookings"] and results[0].args == {}
    assert empty in response.text


def test_whats_on_our_calendar_is_our_bookings_not_a_facilitys_availability() -> None:
    results, plan, response = drive("Morning, quick check — what's on our calendar next month?", world)
    assert tools(results) == ["list_bookings"] and results[0].args == {
        "start": "2026-12-01",
        "end": "2027-01-01",
    }
    assert plan.clarification is None and "Which facility?" not in response.text
    # A facility named: its availability is still checked.
    results, _, _ = drive("what's on our calendar next month, and is FAC-0004 free for 10 days then?", world)
    assert "check_availability" in tools(results)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("thanks. oh and can u list what I have booked in Jan", "en"), ("好的谢谢，最后列一下我所有hold", "zh")],
)
def test_a_request_next_to_thanks_is_done_not_asked_about(text: str, lang: str) -> None:
    results, plan, _ = drive(text, world, lang=lang)
    assert tools(results) == ["list_bookings"] and plan.clarification is None


def test_a_question_about_bookings_is_asked_not_answered_with_no_bookings() -> None:
    from tests.agent.builtin.test_respond import answer

    q = "您是想查看您的预订，还是了解我能做什么？"
    r = answer(
        "你好！想先了解下平台都能做什么，另外帮我把我们单位的预约拉一下", [], lang="zh", clarification=q
    )
    assert q in r.text and "还没有预留或预订" not in r.text


@pytest.mark.parametrize(
    ("text", "lang", "args"),
    [
        (
            "what have we got booked for January 2027?",
            "en",
            {"start": "2027-01-01", "end": "2027-02-01"},
        ),
        ("我们现在手上有哪些hold和已确认的预约？", "zh", {"statuses": ["confirmed", "held"]}),
        ("show only my confirmed bookings", "en", {"statuses": ["confirmed"]}),
        ("我的预约都有哪些？顺便把已经过期的列出来", "zh", {}),  # every state already
        ("FAC-0004有哪些已过期的预订", "zh", {"facility_id": "FAC-0004", "statuses": ["expired"]}),
        (
            "list the bookings of FAC-0004, including expired ones",
            "en",
            {"facility_id": "FAC-0004", "statuses": ["held", "confirmed", "expired"], "include_past": True},
        ),
    ],
)
def test_my_bookings_pass_the_dates_and_states_the_message_names(
    text: str, lang: str, args: dict[str, object]
) -> None:
    results, _, response = drive(text, world, lang=lang)
    assert tools(results) == ["list_bookings"] and results[0].args == args
    if "statuses" in args and "facility_id" not in args:
        assert ("已确认" if lang == "zh" else "confirmed") in response.text  # the filter is said


def test_a_facilitys_bookings_are_listed_by_facility() -> None:
    results, _, _ = drive("FAC-0004有哪些预订", world, lang="zh")
    assert tools(results) == ["list_bookings"] and results[0].args == {"facility_id": "FAC-0004"}


def test_a_window_the_last_answer_did_not_offer_is_not_held() -> None:
    hist = _history("check FAC-0004 for 5 days in March 2027")
    results, plan, response = drive(
        ["check FAC-0004 for 5 days in March 2027", "hold the third window"], world, history=hist, turn=2
    )
    assert results == [] and "hold_slot" not in [s.tool for s in plan.steps]
    assert plan.clarification is not None and "one window only" in plan.clarification
    assert "FAC-0004" in plan.clarification and "one window only" in response.text


def test_own_technology_described_with_figures_and_it_is_matched_as_described() -> None:
    results, _, _ = drive(
        "We're a university with a perovskite module process at TRL 6. Who in Jiangsu would license it?",
        world,
    )
    assert tools(results) == ["find_partners"]
    args = results[0].args
    assert args["need"] == "perovskite module process" and args["trl"] == 6 and args["region"] == "Jiangsu"
    assert "kinds" not in args  # "we're a university" describes the user, not the partner wanted


def test_what_the_facility_should_do_ranks_the_search() -> None:
    results, _, _ = drive("苏州有哪些做涂布的中试线？", world, lang="zh")
    args = results[0].args
    assert results[0].tool == "find_facilities"
    assert (args["text"], args["region"], args["kind"]) == ("涂布", "Jiangsu", "pilot_line")
    plain, _, _ = drive("check a pilot line for three weeks in March 2027", world)
    assert "text" not in plain[0].args  # only facility and calendar words: nothing to rank by


def test_facility_need_keeps_whole_words_and_drops_task_words() -> None:
    results, _, _ = drive("帮我找一个能做电解槽性能测试的平台，然后在2027年3月给它预留3天", world, lang="zh")
    assert results[0].tool == "find_facilities" and results[0].args["text"] == "电解槽 性能 测试"


@pytest.mark.parametrize(
    ("text", "lang", "shown"),
    [
        ("FAC-0001 2027年2月30日开始预约5天", "zh", "2027年2月30日 不是有效日期"),
        ("check FAC-0001 from 2027-02-30 for 5 days", "en", "2027-02-30 is not a date in the calendar"),
    ],
)
def test_a_date_that_does_not_exist_is_pointed_out_not_replaced(text: str, lang: str, shown: str) -> None:
    results, plan, _ = drive(text, world, lang=lang)
    assert results == [] and plan.clarification is not None and shown in plan.clarification


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("find a materials characterisation centre in Liaoning and hold it for 2 days next week", "Liaoning"),
        ("找个能做CO2吸收剂再生能耗测试的平台，找到就3月上旬锁10天", None),
    ],
)
def test_hold_it_after_a_search_in_the_same_message_searches_first(text: str, region: str | None) -> None:
    # "it" is the facility this message asks to find, not one found earlier: the search is not dropped.
    plan = BuiltinPlanner().plan(inp(text, lang="zh" if region is None else "en"))
    assert [s.tool for s in plan.steps][:1] == ["find_facilities"]
    assert plan.steps[0].args.get("region") == region
    assert "hold_slot" in [s.tool for s in plan.steps]


_EQUITY_DRAFT = "把ACH-0001作价入股给ORG-0003，股权20%，评估价值500万元，起草条款"


@pytest.mark.parametrize(
    ("first", "text", "changed"),
    [
        (_DRAFT, "what if it's 7% instead", {"royalty_rate_pct": 7.0}),
        (_DRAFT, "try 3.5 per cent then", {"royalty_rate_pct": 3.5}),
        (_EQUITY_DRAFT, "what if they only take 25%?", {"equity_share_pct": 25.0}),
        (_EQUITY_DRAFT, "改成30%呢", {"equity_share_pct": 30.0}),
    ],
)
def test_a_bare_figure_varies_the_last_deal_by_its_kind(
    first: str, text: str, changed: dict[str, object]
) -> None:
    hist = _history(first)
    results, _, _ = drive([first, text], world, history=hist, turn=2)
    assert tools(results) == ["draft_term_sheet"]
    for k, v in changed.items():
        assert results[0].args[k] == v
