"""Short names: an organisation's brand in either script ("鹤岭", "Minghu", "Tantai自己"), several
organisations sharing one told apart by the region next to it ("国澄浙江", "Huaqi Zhejiang") or by what the
message says about them, an ambiguous one narrowing a described record without becoming a link, and an
owner named only to say whose facility it is ("澄湖理工的钙钛矿中试线") being no link of its own."""

from __future__ import annotations

import pytest

from agent.understanding.aliases import Entry
from agent.understanding.linking import Linker, Thresholds

ENTRIES = [
    Entry("organisation", "ORG-0007", "鹤岭氢能研究院", region="Inner Mongolia"),
    Entry("organisation", "ORG-0011", "Tantai Institute of Low-Carbon Technology", region="Jilin"),
    Entry("organisation", "ORG-0054", "Minghu Polytechnic University", region="Guangdong"),
    Entry("organisation", "ORG-0141", "明湖产业投资基金", region="Beijing"),
    Entry("organisation", "ORG-0055", "问渠生物医药研究院", region="Jiangsu"),
    Entry("organisation", "ORG-0103", "Wenqu Optoelectronics Technology Co., Ltd.", region="Beijing"),
    Entry("organisation", "ORG-0091", "国澄复合材料（江西）有限公司", region="Jiangxi"),
    Entry("organisation", "ORG-0092", "国澄电子材料（浙江）有限公司", region="Zhejiang"),
    Entry("organisation", "ORG-0093", "国澄电子材料有限公司", region="Hubei"),
    Entry("organisation", "ORG-0122", "Huaqi Pharmaceutical Co., Ltd.", region="Shandong"),
    Entry("organisation", "ORG-0124", "Huaqi Biopharmaceutical (Zhejiang) Co., Ltd.", region="Zhejiang"),
    Entry("organisation", "ORG-0078", "中砺氢能（宁夏）有限公司", region="Ningxia"),
    Entry("organisation", "ORG-0080", "Zhongli Hydrogen Energy Co., Ltd.", region="Jilin"),
    Entry("organisation", "ORG-0040", "Lanshan Polytechnic University", region="Shandong"),
    Entry("organisation", "ORG-0144", "Lanshan Industrial Fund", region="Shaanxi"),
    Entry("organisation", "ORG-0012", "Yuefeng University of Technology", region="Zhejiang"),
    Entry("organisation", "ORG-0140", "Yuefeng Capital", region="Jiangsu"),
    Entry("organisation", "ORG-0001", "澄湖理工大学", region="Jiangsu"),
    Entry("facility", "FAC-0003", "鹤岭氢能研究院兆瓦级电解槽测试平台", "ORG-0007", "Inner Mongolia"),
    Entry(
        "facility",
        "FAC-0037",
        "5G industrial private network demo site, Lanshan Polytechnic University",
        "ORG-0040",
    ),
    Entry("facility", "FAC-0005", "澄湖理工大学钙钛矿组件中试线", "ORG-0001", "Jiangsu"),
    Entry("achievement", "ACH-0057", "800G DR8硅光光模块及其在城域传输网中的应用", "ORG-0012", "Zhejiang"),
    Entry(
        "achievement",
        "ACH-0200",
        "Distributed Raman broadband optical fibre amplifier",
        "ORG-0012",
        "Zhejiang",
    ),
]
LINKER = Linker(ENTRIES, None, Thresholds(own_mass=2.0))


def orgs(text: str) -> list[str]:
    return [lk.id for lk in LINKER.link(text) if lk.kind == "organisation"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Tantai自己的奖励办法团队只拿四成，合规吗", ["ORG-0011"]),  # an English name runs into Chinese
        ("我们是Minghu那家学校的", ["ORG-0054"]),
        ("我在鹤岭有没有预约？", ["ORG-0007"]),  # a two-character Chinese brand
        ("what do I have booked at 鹤岭?", ["ORG-0007"]),
        ("只看Minghu那家学校的", ["ORG-0054"]),  # its own script first, not 明湖产业投资基金
        ("问渠是事业单位，团队拿的奖励要交多少税？", ["ORG-0055"]),  # not Wenqu Optoelectronics
        ("Heling's rule for inventors?", ["ORG-0007"]),  # the other script still reads
    ],
)
def test_short_names_in_either_script(text: str, want: list[str]) -> None:
    assert orgs(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("国澄浙江那边想要这个技术", "ORG-0092"),
        ("国澄江西的联系人是谁", "ORG-0091"),
        ("license it to Huaqi Zhejiang", "ORG-0124"),
        ("Huaqi Shandong wants a licence", "ORG-0122"),
        ("我们是中砺氢能（吉林），需要碱性电解槽", "ORG-0080"),  # not 中砺氢能（宁夏）
    ],
)
def test_region_next_to_a_shared_short_name_picks_the_organisation(text: str, want: str) -> None:
    links = [lk for lk in LINKER.link(text) if lk.kind == "organisation"]
    assert [lk.id for lk in links] == [want]
    assert links[0].certain


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("show my bookings at Lanshan facilities", "ORG-0040"),  # the fund has no facility
        ("Lanshan的预约都确认了", "ORG-0040"),
        ("how much would Lanshan invest?", "ORG-0144"),
        ("Yuefeng基金愿意投多少", "ORG-0140"),
        ("what does Yuefeng's own rule give the inventors?", "ORG-0012"),
    ],
)
def test_what_the_message_says_tells_apart_a_fund_and_a_university(text: str, want: str) -> None:
    assert orgs(text) == [want]


@pytest.mark.parametrize(
    "text",
    ["tell me about Yuefeng", "Yuefeng那边怎么说", "Lanshan?"],
)
def test_an_ambiguous_short_name_alone_is_no_link(text: str) -> None:
    assert orgs(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Yuefeng那个DR8模块谁会买", "ACH-0057"),
        ("who'd co-develop the Raman amplifier from Yuefeng?", "ACH-0200"),
    ],
)
def test_an_ambiguous_short_name_still_narrows_a_described_record(text: str, want: str) -> None:
    links = LINKER.link(text)
    assert [lk.id for lk in links] == [want]
    assert links[0].how == "owner"


def test_a_possessive_names_the_one_with_records() -> None:
    # "Yuefeng's": the university owns records, the fund none; an achievement's owner is a link of its own.
    ids = [lk.id for lk in LINKER.link("Who would be a good licensee for Yuefeng's 800G DR8 module?")]
    assert ids == ["ORG-0012", "ACH-0057"]


@pytest.mark.parametrize(
    "text",
    ["帮我把澄湖理工大学的钙钛矿组件中试线锁两周", "澄湖理工大学那个钙钛矿组件中试线一天多少钱"],
)
def test_owner_named_for_its_facility_is_no_link(text: str) -> None:
    assert [lk.id for lk in LINKER.link(text)] == ["FAC-0005"]


def test_owner_acting_on_its_own_is_still_linked() -> None:
    ids = [lk.id for lk in LINKER.link("澄湖理工大学想预约钙钛矿组件中试线，另外澄湖理工大学的规定是什么")]
    assert "ORG-0001" in ids and "FAC-0005" in ids


RECORDS = [
    Entry(
        "organisation", "ORG-0136", "Zhongcen New Chemical Materials (Zhejiang) Co., Ltd.", region="Zhejiang"
    ),
    Entry(
        "achievement", "ACH-0014", "PtSn/Al2O3 propane dehydrogenation catalyst", "ORG-0136", words=("PDH",)
    ),
    Entry("achievement", "ACH-0168", "Propane dehydrogenation catalyst for propylene plants", "ORG-0136"),
    Entry("achievement", "ACH-0057", "800G DR8硅光光模块及其在城域传输网中的应用", "ORG-0012"),
    Entry("achievement", "ACH-0163", "800G DR8硅光光模块及其在AI算力中心集群中的应用", "ORG-0026"),
    Entry("achievement", "ACH-0227", "基于磁控溅射的富LiF人工SEI膜锂金属负极界面修饰", "ORG-0001"),
    Entry("achievement", "ACH-0390", "Low-platinum MEA at 0.2 g Pt/kW", "ORG-0023"),
    Entry("achievement", "ACH-0391", "Graphite bipolar plate at 3 kW/L", "ORG-0023"),
    Entry("achievement", "ACH-0392", "Sodium-ion cathode for 5 kW home storage", "ORG-0023"),
]
RARE = Linker(RECORDS, None)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("tell me about the PtSn PDH catalyst", "ACH-0014"),
        ("那个PtSn催化剂的详细信息", "ACH-0014"),
        ("who could partner on the magnetron sputtered LiF SEI one?", "ACH-0227"),
        ("LiF人工SEI那个成果谁会买", "ACH-0227"),
    ],
)
def test_a_code_like_word_one_record_has_links_it(text: str, want: str) -> None:
    links = RARE.link(text)
    assert [(lk.id, lk.certain, lk.how) for lk in links] == [(want, True, "rare")]


@pytest.mark.parametrize("text", ["DR8那个光模块是谁家的", "who owns the DR8 module?"])
def test_two_records_with_the_word_name_the_runner_up(text: str) -> None:
    links = RARE.link(text)
    assert [(lk.id, lk.certain, lk.runner_up) for lk in links] == [("ACH-0057", False, "ACH-0163")]


@pytest.mark.parametrize(
    "text",
    [
        "Need a PtSn catalyst for our PDH plant, anything?",  # a need, not a record
        "我们需要PtSn催化剂",
        "find a 300 kW stack test bench",  # a unit is no name
        "the 1.5 kW thruster",
        "PtSn catalysts in general: what is the market like",  # no record pointed at
    ],
)
def test_needs_units_and_fields_are_not_rare_words(text: str) -> None:
    assert [lk.id for lk in RARE.link(text) if lk.how == "rare"] == []


@pytest.mark.parametrize(
    "text",
    [
        "鹤岭那个先确认",
        "鹤岭那个3月上旬有空吗",
        "我的hold里面 鹤岭的那个取消",
        "lock the Heling one, 5 days from Feb 15",
    ],
)
def test_an_organisations_one_in_a_booking_is_its_facility(text: str) -> None:
    links = LINKER.link(text)
    assert [(lk.id, lk.certain) for lk in links] == [("FAC-0003", True)]


def test_an_organisations_one_with_two_facilities_names_both() -> None:
    two = Linker([*ENTRIES, Entry("facility", "FAC-0099", "鹤岭氢能研究院储氢测试台", "ORG-0007")], None)
    links = two.link("鹤岭那个转成正式的")
    assert [(lk.id, lk.certain, lk.runner_up) for lk in links] == [("FAC-0003", False, "FAC-0099")]


@pytest.mark.parametrize(
    "text", ["我在鹤岭有没有预约？", "鹤岭那个成果谁会买", "what does Heling's team get?"]
)
def test_no_facility_without_its_one_and_a_booking(text: str) -> None:
    assert [lk.id for lk in LINKER.link(text)] == ["ORG-0007"]


# What the multilingual encoder sees as the same meaning, for organisation names in translation.
_MEANING = {
    "east china": 0,
    "华东": 0,
    "advanced materials": 1,
    "先进材料": 1,
    "institute": 2,
    "研究院": 2,
    "south china": 3,
    "华南": 3,
    "hydrogen": 4,
    "氢能": 4,
    "rolling stock": 5,
    "轨道车辆": 5,
    "company": 6,
    "公司": 6,
}


def fake_encode(texts: list[str]) -> list[list[float]]:
    out = []
    for t in texts:
        v = [0.0] * 8
        for w, d in _MEANING.items():
            if w in t.lower():
                v[d] += 1.0
        v[7] = 0.3  # what every name shares
        out.append(v)
    return out


TRANSLATED = Linker(
    [
        Entry("organisation", "ORG-0005", "华东先进材料研究院"),
        Entry("organisation", "ORG-0006", "华南氢能研究院"),
        Entry("organisation", "ORG-0113", "松涛轨道车辆科技有限公司"),
        Entry("organisation", "ORG-0112", "Zhongyi Rolling Stock Co., Ltd."),
        Entry("organisation", "ORG-0023", "Ruichuan Institute of Hydrogen Energy"),
    ],
    None,
    encode=fake_encode,
)


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("the LMFP cathode from East China Advanced Materials Institute", "ORG-0005"),
        ("Does the South China Hydrogen Institute have a test bench?", "ORG-0006"),
        ("draft a licence to East China Advanced Materials Institute", "ORG-0005"),
    ],
)
def test_an_organisation_named_in_translation(text: str, want: str) -> None:
    assert [(lk.id, lk.how) for lk in TRANSLATED.link(text)] == [(want, "translated")]


@pytest.mark.parametrize(
    "text",
    [
        "Tell me about Some Unknown Institute",  # nothing in the other language means it
        "we are a State Research Institute",
        "我们单位是国有研究院",  # an English name only where one reads close
    ],
)
def test_a_name_like_span_that_means_no_organisation_is_no_link(text: str) -> None:
    assert TRANSLATED.link(text) == []


SEARCHED = Linker(
    [
        Entry("organisation", "ORG-0007", "鹤岭氢能研究院"),
        Entry("facility", "FAC-0003", "鹤岭氢能研究院兆瓦级电解槽测试平台", "ORG-0007"),
        Entry("facility", "FAC-0049", "Towing tank and wave basin, Qiwu Polytechnic University"),
        Entry("facility", "FAC-0066", "Chemical park demonstration unit, Zhongcen"),
    ],
    None,
)


@pytest.mark.parametrize(
    "text",
    [
        "有没有能做兆瓦级电解槽测试的平台？",
        "帮我找个电解槽测试平台，内蒙古的",
        "哪里有兆瓦级电解槽测试平台？",
        "Is there any 兆瓦级电解槽测试平台 free in March?",
    ],
)
def test_a_search_for_one_of_a_kind_names_no_record(text: str) -> None:
    assert [lk.id for lk in SEARCHED.link(text) if lk.kind == "facility"] == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("那个兆瓦级电解槽测试平台有没有空？", "FAC-0003"),
        ("is the towing tank and wave basin free for any 5 days in March?", "FAC-0049"),
        ("兆瓦级电解槽测试平台3月能用吗", "FAC-0003"),
    ],
)
def test_a_record_pointed_at_is_still_read(text: str, want: str) -> None:
    assert [lk.id for lk in SEARCHED.link(text) if lk.kind == "facility"] == [want]


def test_each_organisations_one_in_one_message() -> None:
    two = Linker(
        [
            *ENTRIES,
            Entry("organisation", "ORG-0009", "岫云氢能研究院"),
            Entry("facility", "FAC-0015", "岫云氢能研究院储氢瓶缠绕中试线", "ORG-0009"),
        ],
        None,
    )
    assert [lk.id for lk in two.link("我的hold里面 鹤岭那个先确认 岫云那个取消")] == ["FAC-0003", "FAC-0015"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # The English short form is a fund's; the kind written after it is the university's (西岑 reads Xicen).
        ("Are there achievements from Xicen University on flywheels?", "ORG-0058"),
        ("Xicen University 有哪些储能成果", "ORG-0058"),
        ("Xicen Capital ticket size?", "ORG-0143"),
        ("what does Xicen invest in?", "ORG-0143"),
        # the same the other way round: the Chinese brand is the fund's, the English name the university's
        ("Qiaoshan基金投什么", "ORG-0150"),
    ],
)
def test_the_kind_written_after_a_short_name_picks_the_organisation(text: str, want: str) -> None:
    linker = Linker(
        [
            Entry("organisation", "ORG-0058", "西岑科技大学", region="Fujian"),
            Entry("organisation", "ORG-0143", "Xicen Capital", region="Zhejiang"),
            Entry("organisation", "ORG-0150", "乔山创业投资基金", region="Hebei"),
            Entry("organisation", "ORG-0151", "Qiaoshan University", region="Hebei"),
        ],
        None,
        Thresholds(own_mass=2.0),
    )
    assert [lk.id for lk in linker.link(text) if lk.kind == "organisation"] == [want]
