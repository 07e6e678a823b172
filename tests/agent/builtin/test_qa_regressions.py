"""Regressions found by using the product like a user (QA round 2): one test per finding."""

from __future__ import annotations

from typing import Any

import pytest

from agent.builtin import BuiltinPlanner
from agent.builtin.intents import intent_names
from agent.builtin.policy_topics import expand_policy_query
from agent.planner import RespondInput, Response, StepResult
from tests.agent.builtin import synth
from tests.agent.builtin.synth import drive, inp
from tests.agent.builtin.test_planner import world


def tools(results: list[StepResult]) -> list[str]:
    return [r.tool for r in results]


# --- policy questions phrased "…是什么？" / "what counts as …" ran no tool ---------------------------------

POLICY_QUESTIONS = [
    ("技术转让所得减免企业所得税的条件是什么？", "zh"),
    ("什么是技术转让所得？", "zh"),
    ("股权激励的上限是什么？", "zh"),
    ("完成人的奖励是什么比例？", "zh"),
    ("科技成果转化奖励比例是多少", "zh"),
    ("Is technology transfer income tax-exempt?", "en"),
    ("What counts as technology transfer income?", "en"),
]


@pytest.mark.parametrize(("text", "lang"), POLICY_QUESTIONS)
def test_policy_question_searches_policies_instead_of_asking_for_a_record(text: str, lang: str) -> None:
    results, plan, response = drive(text, world, lang=lang)
    assert tools(results) == ["search_policies"]
    assert plan.clarification is None
    assert "[CN-LAW-PTSTA-2015-EN, Article 45]" in response.text


def test_what_is_with_a_record_id_is_still_a_lookup() -> None:
    assert intent_names("ACH-0001是什么？") == ["get_record"]
    assert intent_names("What is ACH-0001?") == ["get_record"]


def test_tax_question_query_carries_the_article_90_vocabulary() -> None:
    q = expand_policy_query("什么是技术转让所得？", "zh")
    assert "第九十条" in q and "500万元" in q


@pytest.mark.parametrize(
    ("question", "lang", "expected"),
    [
        ("What is Article 45?", "en", "at least 50% of the net income"),
        ("第四十五条怎么规定的？", "zh", "不低于百分之五十"),
        ("What does Article 90 say?", "en", "RMB 5 million"),
        ("第四十四条是什么？", "zh", "应当公开"),
    ],
)
def test_article_number_adds_that_articles_vocabulary(question: str, lang: str, expected: str) -> None:
    # "What is Article 45?" used to retrieve Articles 44 and 16 but not 45.
    assert expected in expand_policy_query(question, lang)


# --- follow-ups ------------------------------------------------------------------------------------------

CAL = "Is FAC-0003 free for 2 weeks in April 2027?"


def test_what_about_may_after_a_hold_rechecks_may_with_the_same_length() -> None:
    h1, _, _ = drive(CAL, world, turn=1)
    h2, _, _ = drive([CAL, "hold the first window"], world, history=h1, turn=2)
    assert tools(h2) == ["hold_slot"]
    results, _, _ = drive(
        [CAL, "hold the first window", "What about May instead?"], world, history=[*h1, *h2], turn=3
    )
    # A variation of the dates re-checks the calendar; a new hold stays the user's call.
    assert tools(results) == ["check_availability"]
    args = results[0].args
    assert (args["facility_id"], args["days"], args["earliest_start"], args["latest_end"]) == (
        "FAC-0003",
        14,
        "2027-05-01",
        "2027-06-01",
    )


def test_may_the_verb_is_not_a_month() -> None:
    from datetime import date

    from agent.builtin.slots import extract_slots

    assert extract_slots("We may need it", date(2026, 11, 22)).dates is None
    assert extract_slots("May I hold it?", date(2026, 11, 22)).dates is None
    d = extract_slots("how about May?", date(2026, 11, 22)).dates
    assert d is not None and (d.start.isoformat(), d.end and d.end.isoformat()) == (
        "2027-05-01",
        "2027-06-01",
    )


ZH_CAL = "帮我找碳捕集中试平台，明年3月，三周"


def test_that_pilot_base_details_looks_up_the_facility_without_a_new_search() -> None:
    h1, _, _ = drive(ZH_CAL, world, turn=1, lang="zh")
    results, _, _ = drive([ZH_CAL, "那家中试基地的详细信息"], world, history=h1, turn=2, lang="zh")
    assert tools(results) == ["get_record"]
    assert results[0].args["record_id"] in ("FAC-0001", "FAC-0003", "FAC-0004")


def test_change_to_two_weeks_after_a_detour_keeps_the_original_dates() -> None:
    h1, _, _ = drive(ZH_CAL, world, turn=1, lang="zh")
    h2, _, _ = drive([ZH_CAL, "那家中试基地的详细信息"], world, history=h1, turn=2, lang="zh")
    texts = [ZH_CAL, "那家中试基地的详细信息", "改成两周"]
    results, _, _ = drive(texts, world, history=[*h1, *h2], turn=3, lang="zh")
    # The March request is redone with the new length: its check first (the facility is known, so no new
    # search), and nothing the March request did not ask for (a hold only if it was one: the model may read
    # "明年3月，三周" as a hold request).
    assert tools(results)[0] == "check_availability"
    assert set(tools(results)) <= {r.tool for r in h1} - {"find_facilities"}
    args = results[0].args
    assert (args["days"], args["earliest_start"], args["latest_end"]) == (14, "2027-03-01", "2027-04-01")


# --- bad input ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Check availability of FAC-0002 for 0 days in April 2027", "en", "at least 1 day"),
        ("FAC-0002明年4月0天有空档吗", "zh", "至少为 1 天"),
    ],
)
def test_zero_day_duration_asks_instead_of_checking_another_length(
    text: str, lang: str, expected: str
) -> None:
    results, plan, _ = drive(text, world, lang=lang)
    assert results == []
    assert plan.clarification is not None and expected in plan.clarification


def _answer(
    text: str, results: list[tuple[str, dict[str, Any], dict[str, Any]]], lang: str = "en"
) -> Response:
    steps = [
        StepResult(
            step_id=f"t1-s{i + 1}", tool=tool, args=args, ok=bool(res.get("ok", True)), result=res, turn=1
        )
        for i, (tool, args, res) in enumerate(results)
    ]
    base = inp(text, lang=lang, results=steps)
    return BuiltinPlanner().respond(RespondInput(**base.model_dump(), note="", clarification=None))


def test_unknown_id_failing_two_steps_is_reported_once() -> None:
    err = synth.error("unknown_id", "no such record", id="ACH-9999")
    r = _answer(
        "Draft a term sheet for ACH-9999",
        [
            ("find_partners", {"achievement_id": "ACH-9999"}, err),
            ("draft_term_sheet", {"achievement_id": "ACH-9999"}, err),
        ],
    )
    assert r.text.count("there is no record ACH-9999") == 1


# --- SOE incentive figures inside a draft are terms, not a policy question -----------------------------------


def test_incentive_figure_in_a_draft_is_a_term_not_a_policy_search() -> None:
    text = "起草ACH-0008与ORG-0002的技术入股协议，作价2000万元，占股20%，国有大型企业，股权激励总额8%"
    results, _, _ = drive(text, world, lang="zh")
    assert tools(results) == ["draft_term_sheet"]
    args = results[0].args
    assert (args["deal_type"], args["soe_enterprise_size"], args["equity_incentive_total_pct"]) == (
        "equity_investment",
        "large",
        8.0,
    )


def test_a_policy_question_next_to_a_draft_still_searches() -> None:
    results, _, _ = drive(
        "Draft an exclusive licence of ACH-0001 with ORG-0002, royalty 4%; what are the tax rules?", world
    )
    assert tools(results) == ["draft_term_sheet", "search_policies"]


# --- term sheet answers: parties, price, equity split, profit share, assumptions -----------------------------


def _sheet(deal: str, terms: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "ok": True,
        "deal_type": deal,
        "achievement_id": "ACH-0003",
        "achievement_title": "PEM stack",
        "licensor": {"id": "ORG-0007", "name": "Heling Institute"},
        "licensee": {"id": "ORG-0010", "name": "Lingao University"},
        "terms": {"term_years": 5, "inventor_share_pct": 50.0, **terms},
        "totals": {"net_income": 4.5e6, "inventor_reward": 2.25e6, "tax": 0.0},
        "findings": [],
        "assumptions": [
            "Revenue ramp assumed: RMB 5M in year 1 rising to RMB 25M.",
            "Licensor costs: 10% of gross income.",
        ],
        **extra,
    }


def test_assignment_names_assignor_assignee_and_price() -> None:
    sheet = _sheet("assignment", {"upfront_fee_cny": 5e6})
    en = _answer("draft", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)])
    assert "assignor [ORG-0007]" in en.text and "assignee [ORG-0010]" in en.text
    assert "price RMB 5M" in en.text and "licensor" not in en.text and "upfront" not in en.text
    zh = _answer("起草", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)], lang="zh")
    assert "转让方 [ORG-0007]" in zh.text and "受让方 [ORG-0010]" in zh.text
    assert "转让价款 500万元" in zh.text and "许可方" not in zh.text and "入门费" not in zh.text


def test_totals_state_the_assumed_revenue_ramp() -> None:
    sheet = _sheet("exclusive_license", {"royalty_rate_pct": 4.0, "upfront_fee_cny": 5e6})
    r = _answer("draft", [("draft_term_sheet", {"deal_type": "exclusive_license"}, sheet)])
    assert "Revenue ramp assumed: RMB 5M in year 1 rising to RMB 25M." in r.text
    assert "licensor [ORG-0007]" in r.text and "licensee [ORG-0010]" in r.text


def test_equity_deal_shows_appraised_value_split_and_dividend_income() -> None:
    sheet = _sheet(
        "equity_investment",
        {"equity_share_pct": 15.0, "appraised_value_cny": 2e7},
        equity={
            "appraised_value_cny": 2e7,
            "unit_stake_before_reward_pct": 15.0,
            "inventor_stake_pct": 7.5,
            "unit_stake_pct": 7.5,
        },
    )
    r = _answer("draft", [("draft_term_sheet", {"deal_type": "equity_investment"}, sheet)])
    assert "appraised value RMB 20M" in r.text and "equity 15%" in r.text
    assert "inventor team 7.5%, unit 7.5%" in r.text
    assert "dividend income RMB 4.5M" in r.text
    zh = _answer("起草", [("draft_term_sheet", {"deal_type": "equity_investment"}, sheet)], lang="zh")
    assert (
        "作价 2,000万元" in zh.text
        and "完成人团队 7.5%，单位 7.5%" in zh.text
        and "被投资企业 [ORG-0010]" in zh.text
    )


def test_joint_development_shows_the_profit_share() -> None:
    sheet = _sheet(
        "joint_development",
        {"profit_share_pct": 10.0, "operating_margin_pct": 15.0, "inventor_share_pct": 5.0},
    )
    r = _answer("draft", [("draft_term_sheet", {"deal_type": "joint_development"}, sheet)])
    assert "owner's profit share 10% of operating profit (margin 15%)" in r.text
    assert "inventor team share 5% of the operating profit each year" in r.text


# --- a facility search widened after finding nothing -----------------------------------------------------------


def test_widened_facility_search_is_one_sentence_not_a_contradiction() -> None:
    empty = {"ok": True, "facilities": []}
    r = _answer(
        "find a CCUS pilot line",
        [
            ("find_facilities", {"domain": "ccus", "kind": "pilot_line"}, empty),
            ("find_facilities", {"domain": "ccus"}, synth.facilities("FAC-0002", "FAC-0008")),
        ],
    )
    assert "No facility matched." not in r.text
    assert "No facility matched every filter (pilot line)" in r.text
    assert "[FAC-0002]" in r.text and "[FAC-0008]" in r.text


# --- achievements for a named organisation ran a text search on "Find achievements for ORG-0010" -------------


@pytest.mark.parametrize(
    ("text", "lang"), [("Find achievements for ORG-0010", "en"), ("为ORG-0010推荐成果", "zh")]
)
def test_achievements_for_an_organisation_use_its_needs(text: str, lang: str) -> None:
    results, _, _ = drive(text, world, lang=lang)
    assert tools(results) == ["find_achievements_for_need"]
    assert results[0].args["org_id"] == "ORG-0010"


def test_plain_achievement_search_is_unchanged() -> None:
    assert intent_names("search hydrogen achievements") == ["search_achievements"]


# --- cash-reward income tax question retrieved the enterprise income tax article --------------------------------


def test_cash_reward_question_carries_the_individual_income_tax_vocabulary() -> None:
    q = expand_policy_query("科技人员现金奖励怎么缴个人所得税？", "zh")
    assert "减按50%计入工资薪金所得" in q
    q_en = expand_policy_query("How is a cash reward to researchers taxed under individual income tax?", "en")
    assert "50% counted as wages" in q_en


# --- "What is Article 45?": the asked article first -------------------------------------------------------------


def test_the_article_asked_for_is_quoted_first() -> None:
    res = synth.policies(
        ("CN-MOF-SOE-INCENTIVE-2016-EN", "Chapter 4"), ("CN-LAW-PTSTA-2015-EN", "Article 45")
    )
    r = _answer("What is Article 45?", [("search_policies", {"query": "What is Article 45?"}, res)])
    first = next(line for line in r.text.splitlines() if line.startswith("- "))
    assert "[CN-LAW-PTSTA-2015-EN, Article 45]" in first
    zh = synth.policies(("CN-MOF-SOE-INCENTIVE-2016-ZH", "第四章"), ("CN-LAW-PTSTA-2015-ZH", "第四十五条"))
    r = _answer("第四十五条怎么规定的？", [("search_policies", {"query": "第四十五条"}, zh)], lang="zh")
    first = next(line for line in r.text.splitlines() if line.startswith("- "))
    assert "[CN-LAW-PTSTA-2015-ZH, 第四十五条]" in first


def test_equity_assumptions_name_the_dividend_driver() -> None:
    sheet = _sheet("equity_investment", {"equity_share_pct": 15.0})
    sheet["assumptions"] = [
        "Revenue ramp assumed: RMB 10M in year 1 rising to RMB 50M.",
        "Licensor costs: 10% of gross income.",
        "Dividends: 10% net margin, 30% paid out.",
    ]
    r = _answer("draft", [("draft_term_sheet", {"deal_type": "equity_investment"}, sheet)])
    assert "Dividends: 10% net margin, 30% paid out." in r.text and "Licensor costs" not in r.text


def test_unit_rule_figure_in_a_draft_is_not_a_policy_search() -> None:
    text = "Our university rule gives inventors 30% — draft an assignment of ACH-0006 to ORG-0011 for RMB 8 million; the rule is published"
    results, _, _ = drive(text, world)
    assert tools(results) == ["draft_term_sheet"]
    args = results[0].args
    assert (args["inventor_rule"], args["inventor_share_pct"], args["unit_rule_published"]) == (
        "unit_rule",
        30.0,
        True,
    )


def test_fixed_price_assignment_does_not_quote_a_revenue_ramp() -> None:
    sheet = _sheet("assignment", {"upfront_fee_cny": 8e6})
    r = _answer("draft", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)])
    assert "Revenue ramp" not in r.text and "Licensor costs: 10% of gross income." in r.text


def test_a_bare_number_answers_how_many_days() -> None:
    from agent.builtin.texts import t
    from agent.planner import Message, PlannerInput

    first = "帮我预约FAC-0001，明年3月"
    _, plan, _ = drive(first, world, lang="zh")
    assert plan.clarification == t("ask.hold_days", "zh")
    base = inp([first, "10"], lang="zh", turn=2)
    msgs = [
        Message(role="user", text=first),
        Message(role="assistant", text=plan.clarification),
        Message(role="user", text="10"),
    ]
    p = BuiltinPlanner().plan(
        PlannerInput(**{**base.model_dump(), "messages": [m.model_dump() for m in msgs]})
    )
    assert p.clarification is None
    step = p.steps[0]
    assert step.tool == "check_availability"
    assert (step.args["facility_id"], step.args["days"], step.args["earliest_start"]) == (
        "FAC-0001",
        10,
        "2027-03-01",
    )


def test_a_bare_number_out_of_the_blue_is_not_a_length() -> None:
    _, plan, _ = drive("10", world)
    assert plan.answer_now and not plan.steps


# --- royalty-rate questions: an achievement search / "not understood" ----------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "vocab"),
    [
        ("What royalty rate is typical for a technology licence?", "en", "5% or less"),
        ("How much royalty should we charge?", "en", "5% or less"),
        ("专利许可提成一般多少？", "zh", "多数不超过5%"),
        ("许可费率通常是多少", "zh", "多数不超过5%"),
    ],
)
def test_royalty_rate_question_is_a_policy_search(text: str, lang: str, vocab: str) -> None:
    results, _, _ = drive(text, world, lang=lang)
    assert tools(results) == ["search_policies"]
    assert vocab in results[0].args["query"]


@pytest.mark.parametrize(
    "text",
    [
        "Draft an exclusive licence for ACH-0001 with ORG-0002, royalty 4%",
        "起草ACH-0001与ORG-0002的独占许可，提成4%",
    ],
)
def test_a_royalty_term_in_a_draft_is_not_a_question(text: str) -> None:
    assert intent_names(text) == ["draft_term_sheet"]


def test_unknown_booking_reference_is_explained_as_a_reference() -> None:
    err = synth.error("not_found", "no such hold", id="BK-00000000")
    r = _answer("Release BK-00000000", [("release_hold", {"reference": "BK-00000000"}, err)])
    assert "no hold or booking BK-00000000" in r.text and "ACH-0001" not in r.text
    zh = _answer("取消BK-00000000", [("release_hold", {"reference": "BK-00000000"}, err)], lang="zh")
    assert "不存在预订编号 BK-00000000" in zh.text


# --- session 4: one-off assignments, strength labels, unknown regions ----------------------------------------


def test_one_off_assignment_has_no_term_in_the_answer() -> None:
    sheet = _sheet("assignment", {"upfront_fee_cny": 5e6, "term_years": None})
    en = _answer("draft", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)])
    assert "one-off transfer (no term)" in en.text and "term None" not in en.text
    assert "Projected: " in en.text and "over the term" not in en.text
    zh = _answer("起草", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)], lang="zh")
    assert "一次性转让（无期限）" in zh.text and "合同期内" not in zh.text and "测算：" in zh.text


def test_assignment_paid_in_instalments_names_a_payment_period() -> None:
    sheet = _sheet("assignment", {"upfront_fee_cny": 5e6, "term_years": 3})
    en = _answer("draft", [("draft_term_sheet", {"deal_type": "assignment"}, sheet)])
    assert "paid over 3 years" in en.text and "term 3 years" not in en.text


def _partner(org: str, total: float, strength: str, reasons: list[str]) -> dict[str, Any]:
    return {
        "org_id": org,
        "name": org.lower(),
        "kind": "soe",
        "region": "Jiangsu",
        "total": total,
        "strength": strength,
        "components": {"semantic": total},
        "evidence": "",
        "reasons": reasons,
    }


def test_match_strength_is_shown_once() -> None:
    res = {
        "ok": True,
        "achievement_id": "ACH-0001",
        "query": "electrolyte",
        "matches": [
            _partner("ORG-0002", 0.71, "strong", ["fits"]),
            _partner(
                "ORG-0009", 0.40, "weak", ["Weak match overall (score 0.40, below 0.45)", "same domain"]
            ),
        ],
        "excluded": [],
    }
    r = _answer("find partners for ACH-0001", [("find_partners", {"achievement_id": "ACH-0001"}, res)])
    assert "strong match, score 0.71" in r.text and "weak match, score 0.40" in r.text
    assert "Weak match overall" not in r.text and "same domain" in r.text


def test_unknown_region_error_is_shown_in_the_tools_words() -> None:
    err = synth.error("unknown_region", "未知地区“火星”。请使用中国省级行政区：北京、上海", value="火星")
    r = _answer("在火星找合作方", [("find_partners", {"need": "x", "region": "火星"}, err)], lang="zh")
    assert "未知地区“火星”" in r.text and "unknown_region" not in r.text


@pytest.mark.parametrize(
    ("text", "lang", "trl", "price"),
    [
        ("我们有一项钠离子电池正极材料技术，TRL 6，想找投资机构，报价800万元", "zh", 6, 8e6),
        (
            "We have a sodium-ion cathode technology at TRL 6, asking RMB 8 million; which investors fit?",
            "en",
            6,
            8e6,
        ),
    ],
)
def test_own_technology_with_stated_figures_is_matched_as_described(
    text: str, lang: str, trl: int, price: float
) -> None:
    # Resolving it to the nearest stored achievement would rank partners on that record's TRL and price.
    results, _, _ = drive(text, world, lang=lang)
    assert tools(results)[0] == "find_partners"
    args = results[0].args
    assert "achievement_id" not in args
    assert "sodium-ion cathode" in args["need"] or "钠离子电池正极材料" in args["need"]
    assert (args["trl"], args["asking_price_cny"]) == (trl, price)
    assert args["kinds"] == ["investor"]


def test_own_technology_without_figures_is_still_looked_up() -> None:
    results, _, _ = drive("帮我找愿意许可我们硫化物固态电解质的企业", world, lang="zh")
    assert tools(results)[:2] == ["search_achievements", "find_partners"]


def test_organisation_named_in_another_clause_is_the_need() -> None:
    results, _, _ = drive("ORG-0002想要什么样的技术？帮我找几个成果", world, lang="zh")
    # The organisation is the need's subject (its id, not its words, goes to the match). The decision model
    # also reads "ORG-0002想要什么样的技术？" as a question about ORG-0002 itself, as the writers' brief labels
    # it: a lookup of that organisation may come first, never of anything else.
    assert [t for t in tools(results) if t != "get_record"] == ["find_achievements_for_need"]
    match = next(r for r in results if r.tool == "find_achievements_for_need")
    assert match.args.get("org_id") == "ORG-0002" and "need" not in match.args
    assert all(r.args.get("record_id") == "ORG-0002" for r in results if r.tool == "get_record")


@pytest.mark.parametrize(
    ("text", "lang", "deal"),
    [
        (
            "ACH-0005作价1000万元入股ORG-0010，占股20%，发明人团队拿40%的股权，可以吗？",
            "zh",
            "equity_investment",
        ),
        ("与ORG-0002合作开发ACH-0001，利润分成30%，我们学校规定完成人拿20%", "zh", "joint_development"),
        (
            "Can ACH-0001 be licensed exclusively to ORG-0002 at 4% royalty with inventors getting 40%?",
            "en",
            "exclusive_license",
        ),
    ],
)
def test_a_concrete_deal_asked_about_is_checked_by_drafting_it(text: str, lang: str, deal: str) -> None:
    results, _, _ = drive(text, world, lang=lang)
    assert tools(results) == ["draft_term_sheet"]
    assert results[0].args["deal_type"] == deal


def test_equity_deal_question_carries_the_stake_and_the_teams_share() -> None:
    results, _, _ = drive(
        "ACH-0005作价1000万元入股ORG-0010，占股20%，发明人团队拿40%的股权，可以吗？", world, lang="zh"
    )
    args = results[0].args
    assert (args["appraised_value_cny"], args["equity_share_pct"], args["inventor_share_pct"]) == (
        1e7,
        20.0,
        40.0,
    )
    assert args["licensee"] == "ORG-0010"
