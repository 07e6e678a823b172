"""Rules added from the core eval's gaps: deal terms, SOE incentives, unit rules, policy questions,
reversed and relative dates, unknown organisations, and policy excerpts that keep their figures."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agent.builtin import BuiltinPlanner
from agent.builtin.dates import find_date_ranges, find_reversed_ranges
from agent.builtin.intents import intent_names
from agent.builtin.jobs.policy import excerpt
from agent.builtin.slots import extract_percentages, extract_slots
from agent.plan import PlanStep
from tests.agent.builtin import synth
from tests.agent.builtin.synth import drive, inp

TODAY = date(2026, 11, 22)


def slots(text: str) -> Any:
    return extract_slots(text, TODAY)


def draft_args(text: str, lang: str = "en") -> dict[str, Any]:
    """The draft_term_sheet arguments the planner settles on (partners answered with ORG-0002 when asked)."""

    def world(step: PlanStep) -> tuple[Any, ...]:
        if step.tool == "find_partners":
            return True, synth.partners("ORG-0002", ach=step.args.get("achievement_id"))
        if step.tool == "search_policies":
            return True, synth.policies(("CN-LAW-PTSTA-2015-EN", "Article 45"))
        if step.tool == "draft_term_sheet":
            return True, {
                "ok": True,
                "deal_type": step.args["deal_type"],
                "achievement_id": step.args["achievement_id"],
            }
        raise AssertionError(f"unexpected tool {step.tool}")

    results, _, _ = drive(text, world, lang=lang)
    return next(r.args for r in results if r.tool == "draft_term_sheet")


# --- royalty percentages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("with RMB 1 million upfront and a 4% royalty", 4.0),
        ("a 4.5% running royalty", 4.5),
        ("提成4%", 4.0),
        ("许可费率百分之四", 4.0),
        ("首付100万元，提成率3%", 3.0),
        ("royalty rate of 6 percent", 6.0),
    ],
)
def test_royalty_after_or_before_its_cue(text: str, value: float) -> None:
    assert slots(text).percent("royalty") == value


def test_a_cue_right_after_wins_over_an_earlier_cue() -> None:
    # "upfront" comes first in the sentence but the 4% is the royalty.
    found = extract_percentages("RMB 1 million upfront and a 4% royalty")
    assert [(p.value, p.role) for p in found] == [(4.0, "royalty")]
    # "of royalty income" after a share still belongs to the inventors named before it.
    assert extract_percentages("inventors get 50% of royalty income")[0].role == "inventor_share"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Draft an exclusive licence term sheet for ACH-0001 to ORG-0002 with RMB 1 million upfront and a 4% royalty.",
            "en",
        ),
        ("为ACH-0001起草独占许可条款书，被许可方ORG-0002，入门费100万元，提成4%", "zh"),
        ("为ACH-0001起草独占许可条款书，被许可方ORG-0002，入门费100万元，许可费率百分之四", "zh"),
    ],
)
def test_draft_passes_the_royalty_and_the_upfront_fee(text: str, lang: str) -> None:
    args = draft_args(text, lang)
    assert args["deal_type"] == "exclusive_license"
    assert args["royalty_rate_pct"] == 4.0
    assert args["upfront_fee_cny"] == 1_000_000


# --- equity investment at an appraised value ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Draft a term sheet for investing ACH-0003 into a new company at an appraised value of RMB 20 million.",
            "en",
        ),
        (
            "Draft a term sheet: we invest the technology ACH-0003 in a start-up, appraised value RMB 20 million.",
            "en",
        ),
        ("ACH-0003作价入股，评估作价2000万元，请起草条款书", "zh"),
        ("请起草条款书：ACH-0003以评估作价2000万元出资设立新公司", "zh"),
    ],
)
def test_equity_investment_with_the_appraised_value(text: str, lang: str) -> None:
    args = draft_args(text, lang)
    assert args["deal_type"] == "equity_investment"
    assert args["appraised_value_cny"] == 20_000_000
    assert "upfront_fee_cny" not in args


def test_licence_wording_is_not_an_equity_deal() -> None:
    assert (
        slots("draft an exclusive licence for ACH-0001 at RMB 1 million upfront").deal_type
        == "exclusive_license"
    )
    assert slots("ACH-0002准备以普通许可方式对外许可").deal_type == "nonexclusive_license"


# --- unit rules (Art. 44) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("Our university's rule gives the inventors 20% of net licence income.", 20.0),
        ("Under our internal rules the inventor team gets 25%.", 25.0),
        ("按我校规定，成果完成人只能拿转让净收入的30%。", 30.0),
        ("我校规定完成人奖励20%", 20.0),
        ("根据本单位制度，发明人团队获得40%", 40.0),
    ],
)
def test_unit_rule_and_its_share(text: str, share: float) -> None:
    s = slots(text)
    assert s.unit_rule is True
    assert s.percent("inventor_share") == share


@pytest.mark.parametrize(
    "text",
    [
        "When a university licenses a patent and has no internal rule, what share must go to the inventors?",
        "单位没有规定也没有约定时，完成人至少能拿到净收入的多少？",
        "The inventors get 60% of the net income.",
    ],
)
def test_no_unit_rule(text: str) -> None:
    assert slots(text).unit_rule is False


@pytest.mark.parametrize(
    ("text", "lang", "deal", "share"),
    [
        (
            "Our university's rule gives the inventors 20% of net licence income. "
            "Draft an exclusive licence of ACH-0001 to ORG-0002 with a 5% royalty.",
            "en",
            "exclusive_license",
            20.0,
        ),
        (
            "按我校规定，成果完成人只能拿转让净收入的30%。请为ACH-0001起草转让给ORG-0002的条款书，价款500万元",
            "zh",
            "assignment",
            30.0,
        ),
    ],
)
def test_draft_uses_the_unit_rule(text: str, lang: str, deal: str, share: float) -> None:
    args = draft_args(text, lang)
    assert (args["deal_type"], args["inventor_rule"], args["inventor_share_pct"]) == (
        deal,
        "unit_rule",
        share,
    )
    assert "unit_rule_published" not in args  # not said, so the tool asks the user to confirm it


def test_published_unit_rule_is_passed_on() -> None:
    args = draft_args("我校已公开的规定：完成人奖励60%。请为ACH-0001起草转让给ORG-0002的条款书", "zh")
    assert args["inventor_rule"] == "unit_rule"
    assert args["unit_rule_published"] is True


def test_statutory_rule_when_no_unit_rule_is_mentioned() -> None:
    args = draft_args("Draft an assignment of ACH-0001 to ORG-0002 for RMB 5 million; inventors get 60%.")
    assert "inventor_rule" not in args
    assert args["inventor_share_pct"] == 60.0


# --- SOE size and equity incentives (财资〔2016〕4号) -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("the company is a large SOE", "large"),
        ("a medium-sized state-owned enterprise", "medium"),
        ("small and micro enterprises", "small"),
        ("a micro enterprise", "micro"),
        ("对方是大型国企", "large"),
        ("中型企业", "medium"),
        ("小微企业", "small"),
        ("a large-scale battery line", None),
        ("大型设备", None),
    ],
)
def test_enterprise_size(text: str, size: str | None) -> None:
    assert slots(text).enterprise_size == size


@pytest.mark.parametrize(
    ("text", "role", "value"),
    [
        ("plans a total equity incentive of 8% for key staff", "incentive_total", 8.0),
        ("股权激励总额8%", "incentive_total", 8.0),
        ("单个激励对象不超过3%", "incentive_individual", 3.0),
        ("one person gets 2%", "incentive_individual", 2.0),
        ("annual dividend pool of 12%", "dividend_pool", 12.0),
        ("分红激励总额不高于税后利润15%", "dividend_pool", 15.0),
    ],
)
def test_incentive_percentages(text: str, role: str, value: float) -> None:
    assert slots(text).percent(role) == value


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "Draft an equity investment term sheet for ACH-0003 at an appraised value of RMB 20 million; "
            "the company is a large SOE and plans a total equity incentive of 8% for key staff.",
            "en",
        ),
        ("请为ACH-0003起草作价入股条款书，评估作价2000万元；对方是大型国企，计划股权激励总额8%", "zh"),
    ],
)
def test_draft_passes_soe_size_and_incentive(text: str, lang: str) -> None:
    args = draft_args(text, lang)
    assert args["deal_type"] == "equity_investment"
    assert args["soe_enterprise_size"] == "large"
    assert args["equity_incentive_total_pct"] == 8.0
    # The incentive is not the stake the unit gets for the achievement.
    assert "equity_share_pct" not in args
    assert args["appraised_value_cny"] == 20_000_000


# --- policy questions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "If an institute invests an achievement in a company at an appraised value, how much of the resulting equity "
        "goes to the inventors by default?",
        "What share of the licence income goes to the researchers?",
        "如果转让的话，完成人至少能分多少？",
        "作价投资时发明人能拿到多大比例？",
    ],
)
def test_inventor_share_questions_are_policy_questions(text: str) -> None:
    assert intent_names(text) == ["policy"]


def test_second_request_in_one_message_is_a_policy_search() -> None:
    p = BuiltinPlanner().plan(inp("为ACH-0001找合作伙伴，另外如果转让的话，完成人至少能分多少？", lang="zh"))
    assert [s.tool for s in p.steps] == ["find_partners", "search_policies"]
    assert "第四十五条" in p.steps[1].args["query"]


def test_policy_question_over_several_clauses_is_searched_whole() -> None:
    text = "When a university licenses a patent and has no internal rule, what share of the net income must go to the inventors?"
    p = BuiltinPlanner().plan(inp(text))
    q = p.steps[0].args["query"]
    assert "what share of the net income" in q and "Article 45" in q
    text = "Under the SOE equity and dividend incentive measures, how much equity can one person receive, and how large can the annual dividend pool be?"
    p = BuiltinPlanner().plan(inp(text))
    assert p.steps[0].args["query"].startswith("Under the SOE equity")
    assert "not understood" not in p.note.lower() and "did not understand" not in p.note.lower()


# --- reversed and relative dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("从2027年3月10日到2027年3月5日", "2027-03-10", "2027-03-05"),
        ("3月10日到5日", "2027-03-10", "2027-03-05"),
        ("from 2027-03-10 to 2027-03-05", "2027-03-10", "2027-03-05"),
        ("from March 10 to March 5, 2027", "2027-03-10", "2027-03-05"),
    ],
)
def test_reversed_ranges(text: str, start: str, end: str) -> None:
    found = find_reversed_ranges(text, TODAY)
    assert [(r.start.isoformat(), r.end.isoformat()) for r in found] == [(start, end)]
    s = slots(text)
    assert s.dates is None  # neither day is taken as a start on its own


def test_year_end_crossing_is_not_reversed() -> None:
    assert find_reversed_ranges("12月20日到1月5日", TODAY) == []
    r = find_date_ranges("12月20日到1月5日", TODAY)[0].value
    assert (r.start, r.end) == (date(2026, 12, 20), date(2027, 1, 6))


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("预约FAC-0001，从2027年3月10日到2027年3月5日", "zh", ("结束日期", "早于开始")),
        ("Hold FAC-0001 from 2027-03-10 to 2027-03-05.", "en", ("end date", "before the start")),
    ],
)
def test_reversed_dates_are_pointed_out_before_acting(text: str, lang: str, words: tuple[str, ...]) -> None:
    p = BuiltinPlanner().plan(inp(text, lang=lang))
    assert not p.steps
    assert p.clarification is not None
    for w in words:
        assert w in p.clarification
    assert "2027-03-05" in p.clarification and "2027-03-10" in p.clarification


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("5 days starting tomorrow", "2026-11-23"),
        ("from the day after tomorrow", "2026-11-24"),
        ("明天开始", "2026-11-23"),
        ("后天起", "2026-11-24"),
        ("starting today", "2026-11-22"),
    ],
)
def test_named_days(text: str, start: str) -> None:
    r = find_date_ranges(text, TODAY)[0].value
    assert r.start.isoformat() == start and r.end is None


def test_bare_today_is_not_a_date() -> None:
    assert find_date_ranges("what is the rule today?", TODAY) == []


def test_start_inside_lead_time_is_not_held_at_another_date() -> None:
    """Tomorrow + 5 days is checked as asked; the tool finds nothing there (lead time), so no hold is proposed."""

    def world(step: PlanStep) -> tuple[Any, ...]:
        assert step.tool == "check_availability", step.tool
        res = synth.availability(
            {"FAC-0001": []},
            days=5,
            start=step.args["earliest_start"],
            end=step.args["latest_end"],
            next_window="2026-12-06",
        )
        res["results"][0]["earliest_allowed_start"] = "2026-12-06"
        return True, res

    results, plan, response = drive("Can I book FAC-0001 for 5 days starting tomorrow?", world)
    assert [r.tool for r in results] == ["check_availability"]
    assert results[0].args["earliest_start"] == "2026-11-23" and results[0].args["latest_end"] == "2026-11-28"
    assert plan.answer_now or not plan.steps
    assert "Lead time 14 days" in response.text and "2026-12-06" in response.text
    assert "nothing was held" in response.text


# --- unknown organisation ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang"),
    [("What achievements would suit ORG-9999's needs?", "en"), ("哪些成果能满足ORG-9999的需求？", "zh")],
)
def test_org_needs_go_to_reverse_matching_with_the_id(text: str, lang: str) -> None:
    p = BuiltinPlanner().plan(inp(text, lang=lang))
    assert [(s.tool, s.args.get("org_id")) for s in p.steps] == [("find_achievements_for_need", "ORG-9999")]


def test_unknown_org_is_reported() -> None:
    def world(step: PlanStep) -> tuple[Any, ...]:
        return False, synth.error("unknown_id", "No organisation ORG-9999", id="ORG-9999")

    _, _, response = drive("What achievements would suit ORG-9999's needs?", world)
    assert "ORG-9999" in response.text and "no record" in response.text


# --- policy excerpts -------------------------------------------------------------------------------------------

_LONG = (
    "An enterprise may use equity sale, equity award and equity options. "
    "Large and medium enterprises may not use options. "
    "Caps on total equity incentives: large enterprises at most 5%, medium at most 10%. "
    "The plan must be approved by the board. "
    "No single recipient may receive more than 3% of total equity. "
    "Incentives must be linked to performance."
)


def test_excerpt_keeps_the_sentences_with_the_asked_figures() -> None:
    out = excerpt(_LONG, "how much equity can one single recipient receive", 160)
    assert "3% of total equity" in out
    assert len(out) <= 200
    assert "…" in out  # what was left out is marked


def test_excerpt_whole_when_it_fits_and_zh_sentences() -> None:
    assert excerpt(_LONG, "anything", 1000) == _LONG
    zh = "股权激励总额大型企业不超过5%。方案须经董事会审议。单个激励对象获得的激励股权不得超过企业总股本的3%。年度分红激励总额不高于当年税后利润的15%。"
    out = excerpt(zh, "单个激励对象 分红 15%", 70)
    assert "15%" in out and "3%" in out


def test_policy_answer_shows_figures_beyond_the_old_cut() -> None:
    res = synth.policies(("CN-MOF-SOE-INCENTIVE-2016-EN", "Chapter 3"))
    res["passages"][0]["text"] = ("Filler sentence about scope and procedure. " * 8) + _LONG
    from tests.agent.builtin.test_respond import answer

    r = answer(
        "how much equity can one person receive?",
        [("search_policies", {"query": "one person at most 3%"}, res)],
    )
    assert "3% of total equity" in r.text
