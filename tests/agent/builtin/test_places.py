"""Regions: what the user filters by vs a region that names a record, is excluded or is small talk."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.places import find_region_hints, find_regions
from agent.builtin.slots import extract_slots


def _filters(text: str) -> list[str]:
    return [r for r, _ in find_regions(text)]


def _hints(text: str) -> list[str]:
    return [r for r, _ in find_region_hints(text)]


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("江苏有没有能做电池针刺的实验室", ["Jiangsu"]),
        ("帮我找个湖南的金属增材制造实验室", ["Hunan"]),
        ("湖南那边有没有金属3D打印的实验室？", ["Hunan"]),
        ("licensees in Hebei or Hubei, steel mills", ["Hebei", "Hubei"]),
        ("Find me a fuel-cell stack test bench in Guangdong", ["Guangdong"]),
        ("Is there a shared chemical-park unit for flow trials in Zhejiang?", ["Zhejiang"]),
        ("just the Guangdong ones", ["Guangdong"]),
        ("Partners for the flywheel? prefer firms in Beijing or Shanghai", ["Beijing", "Shanghai"]),
        ("I need a testbed in Jiangsu Province", ["Jiangsu"]),
    ],
)
def test_a_region_asked_for_is_a_filter(text: str, regions: list[str]) -> None:
    assert _filters(text) == regions


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # a definite reference: the/that … <region> one / <noun>
        ("hold the Qinghai one for 14 days from Jan 18", "Qinghai"),
        ("drop my hold on the Gansu grid storage test field", "Gansu"),
        ("confirm BK-2027-0058 and drop the other Zhejiang hold", "Zhejiang"),
        ("check whether Hebei's CO2 catalysis lab is free next week", "Hebei"),
        # the <facility> in <region>
        ("Confirm our hold on the carbody pilot workshop in Hubei", "Hubei"),
        ("Hey, cancel my hold at the electrolyser testbed in Inner Mongolia", "Inner Mongolia"),
        # an organisation with its region
        ("Hold GMP biologics pilot plant at Huaqi Zhejiang, 2 weeks from May 10", "Zhejiang"),
        ("Found one similar - ACH-0176 from Zhongli PV Qinghai. Details pls", "Qinghai"),
        ("What does Jiangsu Yuefeng Capital invest in?", "Jiangsu"),
        ("中砺氢能宁夏那边提的需求，平台上有能对上的成果吗", "Ningxia"),
        ("Huaqi浙江要的异体CAR-T平台，帮他们看下平台成果", "Zhejiang"),
        # 那个 / 这家: one the user has in mind
        ("宁夏那个炼化分析与废水实验室，元旦后第一周帮我约上", "Ningxia"),
        ("把江苏那两个都撤了", "Jiangsu"),
        ("我们是国澄电子材料，湖北这家，想要铜阻挡层抛光液", "Hubei"),
        # excluded
        ("有没有做针刺测试的实验室？江苏以外的也行", "Jiangsu"),
        ("Only stuff at TRL 6 or above, and nothing from Guangdong.", "Guangdong"),
        # small talk
        ("今天北京天气咋样", "Beijing"),
        ("帮我订张明天去西安的机票", "Shaanxi"),
        ("Can you book me a flight to Chengdu?", "Sichuan"),
        ("can you recommend a good restaurant in Suzhou?", "Jiangsu"),
        # a dialect
        ("你可以讲四川话吗", "Sichuan"),
    ],
)
def test_a_region_naming_a_record_is_a_hint_not_a_filter(text: str, hint: str) -> None:
    assert _filters(text) == []
    assert _hints(text) == [hint]


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        (
            "我们自研了一款无钴高镍正极，想找高校合作，最好在长三角",
            ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"],
        ),
        ("帮我找找江浙一带做钙钛矿组件的中试线", ["Jiangsu", "Zhejiang"]),
        ("有没有电解槽测试平台？内蒙、宁夏都行", ["Inner Mongolia", "Ningxia"]),
    ],
)
def test_areas_and_short_names_are_their_provinces(text: str, regions: list[str]) -> None:
    assert _filters(text) == regions


def test_a_hint_is_understood_but_not_a_filter() -> None:
    s = extract_slots(
        "please confirm my hold on the GMP biologics pilot plant in Zhejiang", date(2026, 12, 5)
    )
    assert s.regions == []
    assert s.region_hints == ["Zhejiang"]
    start = "please confirm my hold on the GMP biologics pilot plant in ".__len__()
    assert any(a <= start < b for a, b in s.consumed)


# Where the user or the requester is, given with who they are, is no filter; said alone it is where to look.
@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("We're 临皋石化 in Xinjiang. Need to lift heavy naphtha selectivity", "Xinjiang"),
        ("Hi team, we are a private PV maker in Sichuan. Pls check which achievements fit", "Sichuan"),
        ("Namaste, I am from Guocheng New Materials, Liaoning. We require an offshore coating", "Liaoning"),
        ("Zhongyi Rolling Stock in Hubei wants 200 kW PM traction motors", "Hubei"),
        ("Zhongli Hydrogen Energy up in Jilin is hunting for alkaline electrolysers", "Jilin"),
        ("我们是江苏的一家电机厂，想把铽镝用量减一半以上", "Jiangsu"),
    ],
)
def test_where_the_requester_is_is_a_hint(text: str, hint: str) -> None:
    assert find_regions(text) == []
    assert [r for r, _ in find_region_hints(text)] == [hint]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Which labs can do CAR-T manufacturing under GMP? We're in Shandong", "Shandong"),
        ("我们在湖北，要做一个钢渣矿化的项目，有没有合适的技术", "Hubei"),
        ("we're looking for partners in Jiangsu", "Jiangsu"),
        ("we need a lab in Zhejiang", "Zhejiang"),
    ],
)
def test_where_to_look_stays_a_filter(text: str, region: str) -> None:
    assert [r for r, _ in find_regions(text)] == [region]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # round 7: "the one in X", "那个X的…" point at one record by its region
        ("and what about the one in Hubei?", "Hubei"),
        ("那个四川的风洞实验室，下个月有空吗", "Sichuan"),
        ("中砺那个宁夏的示范园区，2月能用几天", "Ningxia"),
    ],
)
def test_one_record_by_its_region_is_a_hint(text: str, hint: str) -> None:
    assert _filters(text) == []
    assert _hints(text) == [hint]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # round 7: several records by their region narrow a list
        ("我在湖北那几个平台上的预订列一下", "Hubei"),
        ("cancel all my holds at the Sichuan facilities", "Sichuan"),
        ("list the Hunan labs, cheapest first", "Hunan"),
        # a plural list noun after the region, or before "in <region>"
        ("show the Fujian marine and CCUS achievements", "Fujian"),
        ("anything from the Yunnan SOEs?", "Yunnan"),
        ("list the biomedicine results held by institutes in Hubei", "Hubei"),
    ],
)
def test_several_records_by_their_region_is_a_filter(text: str, region: str) -> None:
    assert _filters(text) == [region]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # a question whether a record is in a region asks about that record
        ("鹤岭氢能是江苏的吧？他们最近有什么需求", "Jiangsu"),
        ("那个做钠电正极的是哪家的，在广东吗", "Guangdong"),
        ("星垣中试基地在陕西哪里？能做多大的", "Shaanxi"),
        ("兰石大学系咪湖北嘅？", "Hubei"),
        ("who owns the first one? are they in fujian?", "Fujian"),
        ("Is that the one from the Tantai institute? Is it based in Shanxi?", "Shanxi"),
    ],
)
def test_a_question_where_a_record_is_is_a_hint(text: str, hint: str) -> None:
    assert _filters(text) == []
    assert _hints(text) == [hint]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("有没有在江西的？", "Jiangxi"),
        ("哪些氢能成果在山西？", "Shanxi"),
        ("are there any in Hunan?", "Hunan"),
    ],
)
def test_asking_for_records_in_a_region_stays_a_filter(text: str, region: str) -> None:
    assert _filters(text) == [region]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # the one facility a message asks about (price, specs, calendar, a hold) by its region
        ("青海的风电叶片测试台一天多少钱？最少订几天", "Qinghai"),
        ("Shandong anechoic chamber, 5 days in early March?", "Shandong"),
        ("rotor test stand in Hubei - lead time?", "Hubei"),
        ("Is the 12 m deep cryogenic hydrogen test lab in Liaoning free any time in April?", "Liaoning"),
        ("湖南的那条涂布线4月份有没有空，要一周", "Hunan"),
        # a search for something else does not reach the clause about the facility
        ("找找氢能方面的成果，再帮我看看四川的风洞3月能不能用", "Sichuan"),
    ],
)
def test_the_one_facility_asked_about_is_a_hint(text: str, hint: str) -> None:
    assert _filters(text) == []
    assert _hints(text) == [hint]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("四川有没有风洞？3月想用一周", "Sichuan"),
        ("四川有空的风洞吗？要4天", "Sichuan"),
        ("find a rotor test stand in Hubei and hold it for 5 days", "Hubei"),
        ("book me a wind tunnel in Sichuan for 4 days in March", "Sichuan"),
        ("湖北的转子试验台，帮我找一个，下周锁3天", "Hubei"),
        ("list my holds at Hubei facilities", "Hubei"),
    ],
)
def test_a_facility_sought_in_a_region_stays_a_filter(text: str, region: str) -> None:
    assert _filters(text) == [region]


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        # a city says where the user, a client or a party is
        ("我是杭州一家律所的合伙人，想了解平台能做什么", "Zhejiang"),
        ("一家无锡的电机厂想降低稀土用量，有成果吗", "Jiangsu"),
        ("Draft a licence to a Ningbo pump maker, 5 years, 3% royalty", "Zhejiang"),
        ("our client is a small robot firm in Xiamen. They want a low-noise gearbox", "Fujian"),
        ("Good afternoon from Dalian. What can you do?", "Liaoning"),
    ],
)
def test_a_city_where_someone_is_is_a_hint(text: str, hint: str) -> None:
    assert _filters(text) == []
    assert _hints(text) == [hint]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        # things asked for near a city, or in it
        ("无锡附近有没有电池测试实验室", "Jiangsu"),
        ("find a coating line near Ningbo", "Zhejiang"),
        ("厦门的研究所有没有做海洋涂料的", "Fujian"),
        ("推荐几家青岛的买家", "Shandong"),
        ("我在大连，想找附近的材料表征中心", "Liaoning"),
        ("any pilot lines in Hefei?", "Anhui"),
        ("厦门或者上海都行", "Fujian"),
    ],
)
def test_a_city_where_to_look_is_a_filter(text: str, region: str) -> None:
    assert _filters(text)[0] == region
