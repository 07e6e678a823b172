"""A named organisation narrows a described record to its own few: "the PtSn PDH catalyst from Zhongcen",
"我们想和瑞岭低碳研究院合作开发钢渣碳化养护技术". A hand-made record set with owners and a stand-in for the
knowledge base's search that reads meaning across languages through a small concept table."""

from __future__ import annotations

from agent.builtin import BuiltinPlanner
from agent.understanding.aliases import Entry
from agent.understanding.linking import Link, Linker, Thresholds
from tests.agent.builtin.synth import inp
from tests.agent.understanding.models import concept_search

ENTRIES = [
    Entry("organisation", "ORG-0025", "瑞岭低碳技术研究院"),
    Entry("organisation", "ORG-0136", "Zhongcen New Chemical Materials (Zhejiang) Co., Ltd."),
    Entry("organisation", "ORG-0010", "灵澳石化有限公司"),
    Entry(
        "achievement",
        "ACH-0014",
        "PtSn/Al2O3 propane dehydrogenation catalyst via fluidised-bed regeneration",
        "ORG-0136",
    ),
    Entry(
        "achievement",
        "ACH-0168",
        "Propane dehydrogenation catalyst for on-purpose propylene plants based on fluidised-bed regeneration",
        "ORG-0136",
    ),
    Entry(
        "achievement",
        "ACH-0423",
        "Semi-dry carbonation curing CO2 mineralisation of steel slag for precipitated calcium carbonate",
        "ORG-0025",
    ),
    Entry("achievement", "ACH-0300", "Marine antifouling hydrogel coating", "ORG-0010"),
    Entry("facility", "FAC-0010", "瑞岭低碳技术研究院CO2矿化示范基地", "ORG-0025"),
    Entry("achievement", "ACH-0102", "千瓦级铁铬液流电池及其在海岛微电网中的应用", "ORG-0010"),
]

# What a multilingual encoder would see as the same thing.
_CONCEPTS = {
    "钢渣": "slag",
    "steel-slag": "slag",
    "slag": "slag",
    "碳化": "carbonation",
    "carbonation": "carbonation",
    "养护": "curing",
    "curing": "curing",
    "矿化": "mineralisation",
    "mineralisation": "mineralisation",
    "丙烷脱氢": "pdh",
    "pdh": "pdh",
    "propane": "pdh",
    "dehydrogenation": "pdh",
    "catalyst": "catalyst",
    "催化剂": "catalyst",
    "防污": "antifouling",
    "antifouling": "antifouling",
}


search = concept_search(ENTRIES, _CONCEPTS)


# Nine records make every word's IDF small (log 9 at most): the rare-word mass is scaled to match.
LINKER = Linker(ENTRIES, search, Thresholds(own_mass=2.0))


def links(text: str) -> list[tuple[str, str, bool]]:
    return [(x.id, x.how, x.certain) for x in LINKER.link(text) if x.kind != "organisation"]


def fake_links(text: str) -> list[Link]:
    return LINKER.link(text)


def test_rare_name_words_pick_the_owners_record() -> None:
    # Both catalysts are Zhongcen's; only one is PtSn.
    assert links("We'd take a non-exclusive licence on Zhongcen's PtSn PDH catalyst, 1.8% royalty") == [
        ("ACH-0014", "owner", True)
    ]
    assert links("中岑那个PtSn丙烷脱氢催化剂，帮我起草非独占许可，提成1.8%") == [("ACH-0014", "owner", True)]


def test_description_in_the_other_language_by_meaning() -> None:
    assert links("我们想和瑞岭低碳研究院合作开发钢渣碳化养护技术，我方出1200万，拟个合作开发协议框架") == [
        ("ACH-0423", "owner", True)
    ]
    (x,) = [
        lk
        for lk in LINKER.link("co-develop the steel-slag carbonation curing tech with Ruiling")
        if lk.kind != "organisation"
    ]
    assert (x.id, x.certain) == ("ACH-0423", True)


def test_two_close_records_of_the_owner_are_uncertain_and_named() -> None:
    (x,) = [
        lk
        for lk in LINKER.link("license the catalyst from Zhongcen for propane dehydrogenation")
        if lk.kind != "organisation"
    ]
    assert not x.certain
    assert {x.id, x.runner_up} == {"ACH-0014", "ACH-0168"}


def test_a_facility_word_keeps_it_to_facilities() -> None:
    for text in (
        "瑞岭低碳研究院的矿化示范基地一月份有空吗",
        "is Ruiling's mineralisation demo site free in January?",
    ):
        assert [i for i, _, _ in links(text)] == ["FAC-0010"]


def owned(text: str) -> list[str]:
    return [x.id for x in LINKER.link(text) if x.how == "owner"]


def test_an_organisations_need_is_not_its_record() -> None:
    assert owned("瑞岭低碳研究院在找钢渣碳化养护的技术，帮忙匹配成果") == []
    assert owned("Ruiling needs a steel-slag carbonation curing process, match achievements pls") == []
    assert owned("瑞岭低碳研究院的需求：钢渣碳化养护，平台上有对口的成果吗") == []
    assert owned("Ruiling wants a steel-slag carbonation curing line - what do you have?") == []


def test_the_other_side_of_a_deal_owns_nothing_here() -> None:
    # 灵澳石化 is the buyer: its own antifouling coating is not the record being sold.
    assert "ACH-0300" not in [i for i, _, _ in links("把防污涂层那个成果转让给灵澳石化，价格260万")]
    assert "ACH-0300" not in [
        i for i, _, _ in links("assign the antifouling result to 灵澳石化 for RMB 2.6M")
    ]


def test_planner_drafts_with_the_resolved_record_and_says_so() -> None:
    text = "Draft a non-exclusive licence on Zhongcen's PtSn PDH catalyst, 5 years, 4% royalty"
    plan = BuiltinPlanner(links=fake_links).plan(inp(text))
    assert plan.clarification is None
    drafts = [s for s in plan.steps if s.tool == "draft_term_sheet"]
    assert drafts and drafts[0].args["achievement_id"] == "ACH-0014"
    assert "Taken as ACH-0014" in plan.note
    zh = "帮我起草一份独家许可：中岑那个PtSn丙烷脱氢催化剂，入门费300万，提成4%，五年"
    plan = BuiltinPlanner(links=fake_links).plan(inp(zh, lang="zh"))
    drafts = [s for s in plan.steps if s.tool == "draft_term_sheet"]
    assert drafts and drafts[0].args["achievement_id"] == "ACH-0014"
    assert "按 ACH-0014" in plan.note


def _need_step(text: str, lang: str) -> dict[str, object]:
    plan = BuiltinPlanner(links=fake_links).plan(inp(text, lang=lang))
    steps = [s for s in plan.steps if s.tool == "find_achievements_for_need"]
    assert steps, (plan.clarification, plan.steps)
    return dict(steps[0].args)


def test_an_enterprise_naming_itself_is_the_need_owner() -> None:
    args = _need_step("我们是灵澳石化，要做钢渣碳化养护，帮忙匹配下成果", "zh")
    assert args["org_id"] == "ORG-0010"
    assert "钢渣碳化养护" in str(args["need"])
    args = _need_step(
        "Hi, procurement at Zhongcen here. Can you pull achievements that match the PDH need we posted? TRL 6+ pls",
        "en",
    )
    assert (args["org_id"], args["trl_min"]) == ("ORG-0136", 6)
    args = _need_step(
        "瑞岭低碳研究院这边，钢渣碳化养护的需求挂了很久了，帮我们过一遍有没有能授权的成果", "zh"
    )
    assert args["org_id"] == "ORG-0025"
    args = _need_step(
        "Our company (灵澳石化) needs steel-slag carbonation curing for a 1 Mt/yr plant, find achievements",
        "en",
    )
    assert args["org_id"] == "ORG-0010"
    assert "carbonation curing" in str(args["need"])
