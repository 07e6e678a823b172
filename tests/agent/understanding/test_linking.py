"""Entity linking over a small hand-made record set (no knowledge base): names, short forms, other
languages through the search hook, descriptions, and an uncertain reading asked about before a hold."""

from __future__ import annotations

from agent.builtin import BuiltinPlanner
from agent.understanding.aliases import Entry
from agent.understanding.linking import Link, Linker
from tests.agent.builtin.synth import inp

ENTRIES = [
    Entry("organisation", "ORG-0005", "华东先进材料研究院"),
    Entry("organisation", "ORG-0048", "Yunfan Satellite Technology Co., Ltd."),
    Entry("organisation", "ORG-0070", "国悦电力装备有限公司"),
    Entry("facility", "FAC-0001", "华东先进材料研究院固态电池中试线"),
    Entry("facility", "FAC-0002", "华东先进材料研究院碳纤维原丝及碳化中试线"),
    Entry(
        "facility", "FAC-0003", "Fuel-cell stack test bench, Lanshi Hydrogen Equipment Technology Co., Ltd."
    ),
    Entry("facility", "FAC-0004", "Fuel-cell stack test bench, Guangdong Hydrogen Institute"),
    Entry("achievement", "ACH-0389", "纳米硅/石墨复合硅碳负极材料及其在4C快充动力电池中的应用"),
    Entry("achievement", "ACH-0100", "Glider autonomous underwater vehicle for subsea pipeline inspection"),
]


def links(text: str, search: Linker | None = None) -> list[tuple[str, str, bool]]:
    lk = search or Linker(ENTRIES)
    return [(x.id, x.how, x.certain) for x in lk.link(text)]


def test_ids_are_certain_and_keep_their_span() -> None:
    (x,) = Linker(ENTRIES).link("FAC-0001 三月有空档吗")
    assert (x.kind, x.id, x.span, x.mention, x.certain, x.how) == (
        "facility",
        "FAC-0001",
        (0, 8),
        "FAC-0001",
        True,
        "id",
    )


def test_full_and_partial_names() -> None:
    assert links("华东先进材料研究院固态电池中试线下个月有空吗") == [("FAC-0001", "name", True)]
    # The brand alone names the organisation, case-insensitively, on word boundaries.
    assert links("can yunfan satellite license it?") == [("ORG-0048", "name", True)]
    assert links("Yunfanx is not a name") == []


def test_near_name_with_words_in_between() -> None:
    found = Linker(ENTRIES).link("帮我把华东材料院那条固态电池中试线1月18号开始占两周")
    fac = [x for x in found if x.kind == "facility"]
    assert [(x.id, x.how) for x in fac] == [("FAC-0001", "search")]
    assert fac[0].name == "华东先进材料研究院固态电池中试线"


def test_description_of_an_achievement() -> None:
    found = Linker(ENTRIES).link("纳米硅/石墨复合负极那个成果的详细信息")
    assert [(x.id, x.kind) for x in found] == [("ACH-0389", "achievement")]


def test_common_words_alone_link_nothing() -> None:
    assert links("有没有中试线可以用？") == []
    assert links("any test bench in March?") == []


def test_cross_language_organisation_by_its_brand() -> None:
    # "Guoyue" is the pinyin of 国悦; "云帆" (yunfan) names Yunfan Satellite.
    assert links("Guoyue Power Equipment wants a licence") == [("ORG-0070", "brand", True)]
    assert links("云帆那边能不能合作") == [("ORG-0048", "brand", True)]


def test_two_close_readings_are_uncertain_and_name_both() -> None:
    (x,) = [
        x for x in Linker(ENTRIES).link("the fuel-cell stack test bench in March") if x.kind == "facility"
    ]
    assert not x.certain
    assert {x.id, x.runner_up} == {"FAC-0003", "FAC-0004"}


def fake_links(text: str) -> list[Link]:
    return Linker(ENTRIES).link(text)


def test_planner_states_the_resolution() -> None:
    plan = BuiltinPlanner(links=fake_links).plan(inp("纳米硅/石墨复合负极那个成果的详细信息", lang="zh"))
    assert [(s.tool, s.args) for s in plan.steps] == [("get_record", {"record_id": "ACH-0389"})]
    assert "按 ACH-0389 纳米硅/石墨复合硅碳负极材料及其在4C快充动力电池中的应用 理解" in plan.note


def test_uncertain_facility_is_asked_about_before_a_hold() -> None:
    text = "please hold the fuel-cell stack test bench from 2027-03-01 to 2027-03-14"
    plan = BuiltinPlanner(links=fake_links).plan(inp(text))
    assert plan.steps == []
    assert plan.clarification is not None
    assert "FAC-0003" in plan.clarification and "FAC-0004" in plan.clarification
    assert plan.frame is not None and plan.frame.pending is not None and plan.frame.pending.key == "link"


def test_uncertain_facility_is_checked_not_asked_when_nothing_is_written() -> None:
    text = "free dates of the fuel-cell stack test bench in March?"
    plan = BuiltinPlanner(links=fake_links).plan(inp(text))
    assert plan.clarification is None
    assert plan.steps[0].tool == "check_availability"
    assert "Taken as" in plan.note
