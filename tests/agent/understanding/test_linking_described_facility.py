"""A facility described by its type next to its owner or its region ("Qilan那个AI算力实验室", "the sodium-ion
line at Zhongli", "the Shanghai laser line", "甘肃那条液流电池电堆中试线"): one of that owner's or region's few
facilities, chosen by what the words mean. Records as in the knowledge base (ids, names, owners, regions); a
stand-in for the multilingual encoder reads meaning across languages through a small concept table."""

from __future__ import annotations

from agent.understanding.aliases import Entry, Kind
from agent.understanding.linking import Hit, Linker
from tests.agent.understanding.models import concept_encoder

ENTRIES = [
    Entry("organisation", "ORG-0045", "Qilan Institute of Intelligent Computing", None, "Zhejiang"),
    Entry("organisation", "ORG-0033", "Songlan Institute of Energy Storage and Smart Grid", None, "Gansu"),
    Entry("organisation", "ORG-0002", "中砺动力电池有限公司", None, "Jiangsu"),
    # The same firm's English record: "Zhongli" names both.
    Entry("organisation", "ORG-0071", "Zhongli Power Battery (Jiangsu) Co., Ltd.", None, "Jiangsu"),
    Entry("organisation", "ORG-0015", "凌峰智能制造研究院", None, "Shanghai"),
    Entry("organisation", "ORG-0094", "Yaoshi Electronic Materials Technology Co., Ltd.", None, "Shanghai"),
    Entry("organisation", "ORG-0121", "中澜海工装备（上海）有限公司", None, "Shanghai"),
    Entry(
        "facility",
        "FAC-0032",
        "AI computing and model evaluation lab, Qilan Institute of Intelligent Computing",
        "ORG-0045",
        "Zhejiang",
    ),
    Entry(
        "facility",
        "FAC-0016",
        "Grid-connected storage test field, Songlan Institute of Energy Storage and Smart Grid",
        "ORG-0033",
        "Gansu",
    ),
    Entry(
        "facility",
        "FAC-0018",
        "Flow-battery stack pilot line, Songlan Institute of Energy Storage and Smart Grid",
        "ORG-0033",
        "Gansu",
    ),
    Entry("facility", "FAC-0004", "中砺动力电池有限公司钠离子电池中试线", "ORG-0002", "Jiangsu"),
    Entry("facility", "FAC-0006", "中砺动力电池有限公司电池安全与滥用测试实验室", "ORG-0002", "Jiangsu"),
    Entry("facility", "FAC-0019", "中砺动力电池有限公司微电网示范园区", "ORG-0002", "Jiangsu"),
    Entry("facility", "FAC-0060", "凌峰智能制造研究院激光制造中试线", "ORG-0015", "Shanghai"),
    Entry(
        "facility",
        "FAC-0029",
        "Electronic chemicals evaluation line, Yaoshi Electronic Materials Technology Co., Ltd.",
        "ORG-0094",
        "Shanghai",
    ),
    Entry("facility", "FAC-0050", "中澜海工装备（上海）有限公司深海高压试验室", "ORG-0121", "Shanghai"),
    Entry("organisation", "ORG-0043", "璞石智能制造研究院", None, "Liaoning"),
    Entry("facility", "FAC-0062", "璞石智能制造研究院激光制造中试线", "ORG-0043", "Liaoning"),
    Entry("organisation", "ORG-0025", "瑞岭低碳技术研究院", None, "Hebei"),
    Entry("facility", "FAC-0010", "瑞岭低碳技术研究院CO2矿化示范基地", "ORG-0025", "Hebei"),
    Entry("organisation", "ORG-0053", "曜石低碳技术研究院", None, "Beijing"),
    Entry("facility", "FAC-0007", "曜石低碳技术研究院光伏户外实证基地", "ORG-0053", "Beijing"),
    Entry("organisation", "ORG-0017", "碧川智能计算研究院", None, "Sichuan"),
    Entry("facility", "FAC-0033", "碧川智能计算研究院数字孪生示范工厂", "ORG-0017", "Sichuan"),
    Entry("organisation", "ORG-0009", "岫云氢能研究院", None, "Xinjiang"),
    Entry("facility", "FAC-0015", "岫云氢能研究院储氢瓶缠绕中试线", "ORG-0009", "Xinjiang"),
]

# What a multilingual encoder would see as the same thing.
_CONCEPTS = {
    "算力": "compute",
    "gpu": "compute",
    "computing": "compute",
    "液流": "flow",
    "flow": "flow",
    "储能": "storage",
    "storage": "storage",
    "钠": "sodium",
    "sodium": "sodium",
    "安全": "safety",
    "滥用": "safety",
    "safety": "safety",
    "abuse": "safety",
    "微电网": "microgrid",
    "microgrid": "microgrid",
    "激光": "laser",
    "laser": "laser",
    "深海": "deepsea",
    "deep-sea": "deepsea",
    "电子化学品": "chemicals",
    "chemicals": "chemicals",
    "矿化": "mineralisation",
    "mineralisation": "mineralisation",
    "光伏": "pv",
    "pv": "pv",
    "数字孪生": "twin",
    "digital twin": "twin",
}
encode = concept_encoder(_CONCEPTS)


def search(query: str, kind: Kind, k: int = 3) -> list[Hit]:
    """No help from the knowledge base's search: the encoder alone must choose."""
    return [Hit(e.id, e.name, 0.0, 0.0) for e in ENTRIES if e.kind == kind][:k]


LINKER = Linker(ENTRIES, search, encode=encode)


def facilities(text: str) -> list[tuple[str, bool]]:
    return [(lk.id, lk.certain) for lk in LINKER.link(text) if lk.kind == "facility"]


def test_a_type_next_to_the_owner_is_one_of_its_facilities() -> None:
    assert facilities("Qilan那个AI算力实验室1月中旬能约上吗，要8天") == [("FAC-0032", True)]
    assert facilities("Songlan那个液流电池中试线的hold转正，安全资料都齐了") == [("FAC-0018", True)]
    assert facilities("is the Songlan storage test field free in May?") == [("FAC-0016", True)]
    # "Zhongli" is both of the firm's records; its facilities hang under the Chinese one.
    assert facilities("confirm my hold at the Zhongli battery safety lab please") == [("FAC-0006", True)]
    assert facilities("is the sodium-ion line at Zhongli free Feb 8-21?") == [("FAC-0004", True)]


def test_the_owner_named_only_to_say_whose_is_no_link_of_its_own() -> None:
    kinds = [lk.kind for lk in LINKER.link("Qilan那个GPU实验室下周能用吗")]
    assert kinds == ["facility"]


def test_a_bare_type_among_several_is_a_question() -> None:
    (x,) = [lk for lk in LINKER.link("hold the Songlan line for 5 days in March") if lk.kind == "facility"]
    assert not x.certain and {x.id, x.runner_up} == {"FAC-0016", "FAC-0018"}


def test_facilities_in_general_are_no_one_facility() -> None:
    assert facilities("Show my bookings at the Songlan labs and drop anything after June.") == []
    assert facilities("我在中砺动力电池的两个设施上都有预约吗？") == []


def test_a_type_next_to_a_region_is_one_of_its_facilities() -> None:
    assert facilities("hold the Shanghai laser line for 4 days starting Dec 21") == [("FAC-0060", True)]
    assert facilities("check the Shanghai deep-sea lab for 6 days anytime in January") == [("FAC-0050", True)]
    assert facilities("甘肃那条液流电池电堆中试线4月有9天的空吗") == [("FAC-0018", True)]
    assert facilities("Gansu flow battery line, 9 days, early Feb?") == [("FAC-0018", True)]
    assert facilities("release my hold on the microgrid park in jiangsu") == [("FAC-0019", True)]
    # "a hold": the facility itself is still the one pointed at.
    assert facilities("what do I need before confirming a hold on the flow battery line in Gansu?") == [
        ("FAC-0018", True)
    ]


def test_a_region_in_a_search_points_at_no_facility() -> None:
    assert facilities("find me a lab in Shanghai that can do deep-sea pressure tests") == []
    assert facilities("上海有冇激光中试线可以租？") == []
    assert facilities("请推荐上海的激光中试线，2月能用的") == []
    assert facilities("甘肃有液流电池中试线吗") == []
    # A bare type with a region and nothing pointing: any of them.
    assert facilities("查一下江苏的中试线明年五月两周的档期，有的话帮我预留") == []


def test_english_names_of_facility_types() -> None:
    # "base" is 基地, "factory" is 工厂: the type words of either language.
    assert facilities(
        "Tell me more about Ruiling's mineralisation base and whether it is free in March."
    ) == [("FAC-0010", True)]
    assert facilities("the Beijing outdoor PV base — min 14 days right? book it for late March") == [
        ("FAC-0007", True)
    ]
    assert facilities("hold the digital twin demo factory in Sichuan Feb 8-18") == [("FAC-0033", True)]


def test_each_owners_facility_named_by_type_is_read() -> None:
    assert sorted(
        facilities(
            "Release the hold at the Qilan GPU lab and place one at the Songlan flow-battery line instead"
        )
    ) == [("FAC-0018", True), ("FAC-0032", True)]
    assert sorted(facilities("释放掉凌峰激光线上那个占位，然后把Songlan那个液流电池中试线确认了")) == [
        ("FAC-0018", True),
        ("FAC-0060", True),
    ]
    assert sorted(
        facilities(
            "Is the Songlan storage test field free in May? if so lock it and release my Qilan GPU lab hold"
        )
    ) == [("FAC-0016", True), ("FAC-0032", True)]
    # "璞石院的那条": the owner's only facility, its type said by the other one's.
    assert sorted(facilities("凌峰院的激光中试线和璞石院的那条，哪个便宜？参数一样吗")) == [
        ("FAC-0060", True),
        ("FAC-0062", True),
    ]


def test_a_regions_one_in_a_booking_is_its_facility() -> None:
    assert facilities("that Xinjiang one — free in April?") == [("FAC-0015", True)]
    assert facilities("新疆那个下周的预留确认一下") == [("FAC-0015", True)]
    assert facilities("Confirm the Xinjiang one.") == [("FAC-0015", True)]
    # Two there: a question naming both; more than two: no reading.
    (x,) = [lk for lk in LINKER.link("甘肃那个 5月份有空吗") if lk.kind == "facility"]
    assert not x.certain and {x.id, x.runner_up} == {"FAC-0016", "FAC-0018"}
    assert facilities("release the Shanghai one") == []
    assert facilities("Xinjiang那个项目的成果介绍一下") == []
