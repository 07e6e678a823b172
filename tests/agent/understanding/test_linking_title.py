"""An achievement named by a definite description and nothing else ("the sirolimus magnesium stent", "our
oil-air lubricated spindle bearing", "锂电池极片涂布缺陷检测嗰个成果"): the described phrase against every
achievement's title by the multilingual encoder — close and clear of the next title, and a question when
two titles are alike. Records as in the knowledge base; a stand-in for the encoder reads meaning through a
small concept table."""

from __future__ import annotations

from agent.understanding.aliases import Entry
from agent.understanding.linking import Linker
from tests.agent.understanding.models import concept_encoder

ENTRIES = [
    Entry(
        "achievement",
        "ACH-0160",
        "Sirolimus-eluting biodegradable magnesium alloy stent for coronary artery disease",
        "ORG-0125",
    ),
    Entry("achievement", "ACH-0186", "基于滚道超精的油气润滑高速精密主轴轴承", "ORG-0015"),
    Entry("achievement", "ACH-0212", "面向分子泵的陶瓷球角接触高速精密主轴轴承", "ORG-0029"),
    Entry(
        "achievement",
        "ACH-0360",
        "Unsupervised anomaly industrial visual defect detection for lithium-battery electrode coating lines",
        "ORG-0012",
    ),
    Entry(
        "achievement",
        "ACH-0072",
        "GaN power HEMT for fast chargers based on 8-inch MOCVD epitaxy",
        "ORG-0031",
    ),
    Entry(
        "achievement",
        "ACH-0309",
        "GaN power HEMT for data-centre 48 V power based on 8-inch MOCVD epitaxy",
        "ORG-0031",
    ),
    Entry("facility", "FAC-0021", "华东先进材料研究院碳纤维原丝及碳化中试线", "ORG-0005", "Jiangsu"),
    Entry("organisation", "ORG-0031", "Wangshu Institute of Intelligent Computing", None, "Anhui"),
    Entry("organisation", "ORG-0074", "中砺碳资产管理有限公司", None, "Hebei"),
    Entry("organisation", "ORG-0002", "中砺动力电池有限公司", None, "Jiangsu"),
    Entry(
        "facility",
        "FAC-0059",
        "Robotics and reducer test lab, Wangshu Institute of Intelligent Computing",
        "ORG-0031",
        "Anhui",
    ),
    Entry("facility", "FAC-0009", "中砺碳资产管理有限公司CO2转化催化实验室", "ORG-0074", "Hebei"),
    Entry("facility", "FAC-0004", "中砺动力电池有限公司钠离子电池中试线", "ORG-0002", "Jiangsu"),
    Entry("organisation", "ORG-0040", "Lanshan Polytechnic University", None, "Shandong"),
    Entry(
        "facility",
        "FAC-0038",
        "Silicon photonics packaging pilot line, Lanshan Polytechnic University",
        "ORG-0040",
        "Shandong",
    ),
    Entry("achievement", "ACH-0210", "基于混合集成激光器的1.6T硅光光模块", "ORG-0061"),
    Entry("achievement", "ACH-0057", "800G DR8硅光光模块及其在城域传输网中的应用", "ORG-0012"),
]

_CONCEPTS = {
    "sirolimus": "sirolimus",
    "magnesium": "magnesium",
    "stent": "stent",
    "spindle": "spindle",
    "主轴": "spindle",
    "bearing": "bearing",
    "轴承": "bearing",
    "oil-air": "oil-air",
    "油气润滑": "oil-air",
    "ceramic": "ceramic",
    "陶瓷球": "ceramic",
    "缺陷检测": "defect",
    "defect": "defect",
    "极片涂布": "coating",
    "electrode coating": "coating",
    "锂电池": "lithium",
    "lithium": "lithium",
    "gan": "gan",
    "hemt": "hemt",
    "fast charger": "charger",
    "fast-charger": "charger",
    "carbon fibre": "carbon-fibre",
    "reducer": "reducer",
    "减速器": "reducer",
    "co2": "co2",
    "conversion": "conversion",
    "转化": "conversion",
    "catalysis": "catalysis",
    "催化": "catalysis",
    "钠": "sodium",
    "sodium": "sodium",
    "silicon photonics": "siph",
    "硅光": "siph",
    "module": "module",
    "模块": "module",
    "1.6t": "1.6t",
    "800g": "800g",
    "碳纤维": "carbon-fibre",
}
encode = concept_encoder(_CONCEPTS)


LINKER = Linker(ENTRIES, None, encode=encode)


def achievements(text: str) -> list[tuple[str, bool]]:
    return [(lk.id, lk.certain) for lk in LINKER.link(text) if lk.kind == "achievement"]


def test_a_definite_description_names_the_closest_title() -> None:
    assert achievements("whats the TRL of the sirolimus magnesium stent and who owns it?") == [
        ("ACH-0160", True)
    ]
    assert achievements("draft a joint development agreement for our oil-air lubricated spindle bearing") == [
        ("ACH-0186", True)
    ]
    assert achievements("锂电池极片涂布缺陷检测嗰个成果，TRL几多？可唔可以独占？") == [("ACH-0360", True)]
    # Two GaN HEMTs of one owner: the closer read, the other named in the question.
    (x,) = [
        lk
        for lk in LINKER.link("what else does the owner of the GaN fast-charger HEMT have listed?")
        if lk.kind == "achievement"
    ]
    assert (x.id, x.certain, x.runner_up) == ("ACH-0072", False, "ACH-0309")


def test_two_alike_titles_are_no_reading() -> None:
    # Both are high-speed precision spindle bearings; nothing told tells them apart.
    assert achievements("who'd buy the spindle bearing?") == []


def test_a_facility_described_is_not_an_achievement() -> None:
    assert achievements("hold the carbon fibre pilot line for 8 days from 15 Feb") == []


def facilities(text: str) -> list[tuple[str, bool]]:
    return [(lk.id, lk.certain) for lk in LINKER.link(text) if lk.kind == "facility"]


def test_a_facility_described_by_type_and_what_it_does() -> None:
    # The owner's name every one of its facilities carries is left out: "reducer lab" against "Robotics and
    # reducer test lab", "钠电线" against "钠离子电池中试线".
    assert facilities("scratch the march hold on the reducer lab") == [("FAC-0059", True)]
    assert facilities("is the CO2 conversion catalysis lab free next week? 3 days minimum I think") == [
        ("FAC-0009", True)
    ]
    assert facilities("钠电线那个hold帮我确认下，资料都交了") == [("FAC-0004", True)]
    assert facilities("confirm all my holds at the labs") == []


def test_a_facilitys_short_name_in_an_achievements_words_is_a_topic() -> None:
    # "silicon photonics" is short for the Silicon photonics packaging pilot line; with a module or a
    # technology described and no facility named or booked, it is what the achievement is about.
    assert achievements("get me details on the 1.6T silicon photonics module and who'd want it") == [
        ("ACH-0210", True)
    ]
    assert [i for i, _ in achievements("Find me partners for the 800G silicon photonics module")] == [
        "ACH-0057"
    ]
    assert facilities("who would license the silicon photonics tech for data centres?") == []
    # A facility named or booked keeps it.
    assert facilities("hold the silicon photonics line for 3 days in March") == [("FAC-0038", True)]
    assert facilities("is silicon photonics free next week?") == [("FAC-0038", True)]
