"""Slot extraction tables, Chinese and English, relative dates against an injected today (2026-11-22)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.dates import extract_date_range, find_date_ranges, find_durations
from agent.builtin.numbers import cn_int, parse_number
from agent.builtin.slots import (
    extract_deal_type,
    extract_domain_hints,
    extract_domains,
    extract_hold_refs,
    extract_money,
    extract_org_kinds,
    extract_percentages,
    extract_record_ids,
    extract_regions,
    extract_slots,
    extract_term_years,
    extract_trl,
    find_references,
)

TODAY = date(2026, 11, 22)
D = date.fromisoformat


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("三", 3),
        ("十", 10),
        ("十二", 12),
        ("二十一", 21),
        ("两", 2),
        ("一百零五", 105),
        ("两千", 2000),
        ("五百", 500),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert cn_int(text) == value


@pytest.mark.parametrize(
    ("text", "value"), [("3,000,000", 3e6), ("1.2", 1.2), ("三点五", 3.5), ("two", 2.0), ("x", None)]
)
def test_parse_number(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# (text, start, end exclusive) — end None means only the start is known.
DATE_CASES: list[tuple[str, str, str | None]] = [
    ("next March", "2027-03-01", "2027-04-01"),
    ("in March", "2027-03-01", "2027-04-01"),
    ("March 2027", "2027-03-01", "2027-04-01"),
    ("2027年3月", "2027-03-01", "2027-04-01"),
    ("明年三月", "2027-03-01", "2027-04-01"),
    ("下个月", "2026-12-01", "2027-01-01"),
    ("下下个月", "2027-01-01", "2027-02-01"),
    ("from 2027-03-01 to 2027-03-31", "2027-03-01", "2027-04-01"),
    ("3月10日到4月5日", "2027-03-10", "2027-04-06"),
    ("3月10日至20日", "2027-03-10", "2027-03-21"),
    ("Q2 2027", "2027-04-01", "2027-07-01"),
    ("2027年第二季度", "2027-04-01", "2027-07-01"),
    ("明年第二季度", "2027-04-01", "2027-07-01"),
    ("Q1", "2027-01-01", "2027-04-01"),
    ("next quarter", "2027-01-01", "2027-04-01"),
    ("March 10-20", "2027-03-10", "2027-03-21"),
    ("between March 10 and April 2", "2027-03-10", "2027-04-03"),
    ("10 March 2027 to 5 April 2027", "2027-03-10", "2027-04-06"),
    ("from March to May", "2027-03-01", "2027-06-01"),
    ("3月到5月", "2027-03-01", "2027-06-01"),
    ("3月下旬", "2027-03-21", "2027-04-01"),
    ("late March", "2027-03-21", "2027-04-01"),
    ("May 2027", "2027-05-01", "2027-06-01"),
    ("in May", "2027-05-01", "2027-06-01"),
    ("12月", "2026-12-01", "2027-01-01"),
    ("十二月份", "2026-12-01", "2027-01-01"),
    ("一月", "2027-01-01", "2027-02-01"),
    ("2027-03", "2027-03-01", "2027-04-01"),
    ("this month", "2026-11-22", "2026-12-01"),
    ("本月", "2026-11-22", "2026-12-01"),
    ("next week", "2026-11-23", "2026-11-30"),
    ("下周", "2026-11-23", "2026-11-30"),
    ("未来三个月", "2026-11-22", "2027-02-22"),
    ("in the next 6 weeks", "2026-11-22", "2027-01-03"),
    ("next year", "2027-01-01", "2028-01-01"),
    # November is the current month: "in November" is what is left of it; "next November" is a year on.
    ("in November", "2026-11-22", "2026-12-01"),
    ("next November", "2027-11-01", "2027-12-01"),
    ("from 2027-03-01", "2027-03-01", None),
    ("2027-03-01起", "2027-03-01", None),
    ("从2027年3月1日开始", "2027-03-01", None),
    # a duration right after the month is not a day of it
    ("2027年3月三周", "2027-03-01", "2027-04-01"),
    ("2027年3月 两周", "2027-03-01", "2027-04-01"),
    ("2027年3月十四天", "2027-03-01", "2027-04-01"),
    ("2027年3月十五日", "2027-03-15", "2027-03-16"),  # one day, not written as a start
    ("2027年3月5起", "2027-03-05", None),
    ("March 10th", "2027-03-10", "2027-03-11"),
    ("3月1日开始", "2027-03-01", None),
]


@pytest.mark.parametrize(("text", "start", "end"), DATE_CASES)
def test_date_ranges(text: str, start: str, end: str | None) -> None:
    r = extract_date_range(text, TODAY)
    assert r is not None, text
    assert r.start == D(start)
    assert r.end == (D(end) if end else None)


def test_explicit_day_ranges_are_exact_and_months_are_not() -> None:
    exact = extract_date_range("3月10日到4月5日", TODAY)
    month = extract_date_range("in March", TODAY)
    assert exact is not None and exact.exact and exact.days == 27
    assert month is not None and not month.exact


@pytest.mark.parametrize("text", ["we may need it", "三个月", "blah", "第三周", "2027年"])
def test_not_dates(text: str) -> None:
    assert extract_date_range(text, TODAY) is None


def test_date_inside_sentence_and_past_year_kept_as_written() -> None:
    found = find_date_ranges("check a pilot line for three weeks in March", TODAY)
    assert [(f.value.start, f.value.end) for f in found] == [(D("2027-03-01"), D("2027-04-01"))]
    # An explicit past range is kept (the tool reports past dates), not silently moved.
    past = extract_date_range("from 2025-03-01 to 2025-03-10", TODAY)
    assert past is not None and past.start == D("2025-03-01")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("three weeks", 21),
        ("21 days", 21),
        ("两周", 14),
        ("三周", 21),
        ("10天", 10),
        ("一个月", 30),
        ("a month", 30),
        ("a fortnight", 14),
        ("一个半月", 45),
        ("半个月", 15),
        ("3-week slot", 21),
        ("two and a half weeks", 18),
        ("两个星期", 14),
    ],
)
def test_durations(text: str, days: int) -> None:
    found = find_durations(text)
    assert found and found[0].days == days


@pytest.mark.parametrize("text", ["未来三个月", "next 2 weeks", "第三周", "下个月"])
def test_date_phrases_are_not_durations(text: str) -> None:
    assert find_durations(text) == []


@pytest.mark.parametrize(
    ("text", "cny"),
    [
        ("500万元", 5e6),
        ("5000万", 5e7),
        ("1.2亿元", 1.2e8),
        ("RMB 5 million", 5e6),
        ("¥3,000,000", 3e6),
        ("CNY 2.5m", 2.5e6),
        ("50万", 5e5),
        ("五百万元", 5e6),
        ("3000元", 3000.0),
        ("an upfront fee of 2 million yuan", 2e6),
        ("budget of 8 million", 8e6),
        ("2千万", 2e7),
    ],
)
def test_money(text: str, cny: float) -> None:
    found = extract_money(text)
    assert [m.cny for m in found] == [cny]


@pytest.mark.parametrize("text", ["投资5万吨产能", "TRL 6", "2027年", "三周", "5%"])
def test_not_money(text: str) -> None:
    assert extract_money(text) == []


@pytest.mark.parametrize(
    ("text", "value", "role"),
    [
        ("5%", 5.0, "other"),
        ("百分之五", 5.0, "other"),
        ("3.5 per cent", 3.5, "other"),
        ("royalty of 4%", 4.0, "royalty"),
        ("提成3%", 3.0, "royalty"),
        ("百分之三点五", 3.5, "other"),
        ("发明人团队获得70%", 70.0, "inventor_share"),
        ("inventor share 60 percent", 60.0, "inventor_share"),
        ("股权20%", 20.0, "equity"),
        ("三成", 30.0, "other"),
    ],
)
def test_percentages(text: str, value: float, role: str) -> None:
    found = extract_percentages(text)
    assert [(p.value, p.role) for p in found] == [(value, role)]


def test_percentage_roles_in_one_sentence() -> None:
    found = extract_percentages("royalty 4%, inventors get 60%")
    assert [(p.value, p.role) for p in found] == [(4.0, "royalty"), (60.0, "inventor_share")]


@pytest.mark.parametrize(
    "text",
    [
        "we want a separator membrane with above 95% purity for the hydrogen stream",
        "a sorting line whose detection error stays under 1.5%",
        "找一种催化剂，选择性要到85%以上",
        "想给锅炉改造，节能12%左右",
        "the motor should reach 96% efficiency at rated load",
        "our wholly-owned subsidiary (100%) would sign it",
    ],
)
def test_measured_properties_are_not_deal_percentages(text: str) -> None:
    assert extract_percentages(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # A list after a royalty stays royalty.
        ("提成分两档：第一年3%，第二年起5%", [(3.0, "royalty"), (5.0, "royalty")]),
        ("royalty 5% on the first RMB 50M, 3.5% beyond that", [(3.5, "royalty"), (5.0, "royalty")]),
        # The inventors' share is one party's cut: other parties named in the list are not inventors.
        (
            "licence income split: 65% to the inventors, 25% to the college, 10% to the office",
            [(10.0, "other"), (25.0, "other"), (65.0, "inventor_share")],
        ),
        # No cue by the percentage: the kind of deal says what it is.
        ("please draft a non-exclusive licence for the sensor, 500k upfront, 2.5%", [(2.5, "royalty")]),
        ("技术作价入股，评估800万，我方占40%", [(40.0, "equity")]),
        # Spelled-out and Chinese point forms.
        ("non-exclusive licence, royalty four percent", [(4.0, "royalty")]),
        ("提成两个点半", [(2.5, "royalty")]),
        ("作价入股，技术方占两成", [(20.0, "equity")]),
        # A payment share; and a figure said again is one slot.
        ("sell it outright for 8M, half on signing, the rest on delivery", [(50.0, "other")]),
        ("激励总额不超过20%，这个20%含不含期权？", [(20.0, "incentive_total")]),
    ],
)
def test_percentage_roles_by_list_and_deal(text: str, want: list[tuple[float, str]]) -> None:
    assert sorted((p.value, p.role) for p in extract_percentages(text)) == want


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # A plain figure asked for is a minimum (the corpus: "TRL 9的成果" is trl_min 9, no max).
        ("TRL 6", 6, None),
        ("TRL6", 6, None),
        ("技术成熟度6级", 6, None),
        ("6级", 6, None),
        ("TRL 6+", 6, None),
        ("6级以上", 6, None),
        ("TRL 4-6", 4, 6),
        ("at least TRL 7", 7, None),
        ("成熟度达到七级", 7, None),
        ("TRL6 or above", 6, None),
        ("TRL 5 or below", None, 5),
    ],
)
def test_trl(text: str, lo: int | None, hi: int | None) -> None:
    trl = extract_trl(text)
    assert trl is not None
    assert (trl.min, trl.max) == (lo, hi)


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("10年", 10),
        ("5 years", 5),
        ("five-year licence", 5),
        ("许可期限为十年", 10),
        ("a term of 8", 8),
        ("2027年3月", None),
        ("明年", None),
    ],
)
def test_term_years(text: str, years: int | None) -> None:
    assert extract_term_years(text) == years


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("固态电池", ["new_energy"]),
        ("碳捕集", ["ccus"]),
        ("电解槽", ["hydrogen"]),
        ("氢能", ["hydrogen"]),
        ("芯片", ["integrated_circuits"]),
        ("sulfide electrolyte for solid-state batteries", ["new_energy"]),
        ("carbon capture from flue gas", ["ccus"]),
        ("PEM electrolyzer", ["hydrogen"]),
        ("储能电站", ["grid_storage"]),
        ("碳纤维复合材料", ["new_materials"]),
        ("工业机器人", ["advanced_manufacturing"]),
        ("抗体药物", ["biomedicine"]),
        ("深海潜水器", ["marine"]),
        ("高铁转向架", ["rail_transit"]),
        ("卫星通信天线", ["telecom"]),
        ("炼化催化剂", ["petrochemicals"]),
        ("大模型 and satellite", ["ai_digital", "aerospace"]),
        ("the market for it", []),
    ],
)
def test_domain_hints(text: str, domains: list[str]) -> None:
    assert extract_domain_hints(text) == domains


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        # The user names the field: a filter.
        ("any hydrogen projects above TRL 5?", ["hydrogen"]),
        ("I back startups in biomedicine and AI", ["biomedicine", "ai_digital"]),
        ("list the new-materials results from Hubei", ["new_materials"]),
        ("看看氢能方向有什么成果", ["hydrogen"]),
        ("CCUS领域TRL 6以上", ["ccus"]),
        # Topic words imply a field but name none: a hint, not a filter.
        ("who could license our perovskite tandem cell?", []),
        # What a sought partner does is no field filter (test_field_names.py): "做储能的民企" is labelled none.
        ("找几家做储能的企业", []),
        # ... but the field an investor puts money in is one: 17 of 19 such messages label it.
        ("有没有投资集成电路的基金", ["integrated_circuits"]),
        ("a green hydrogen electrolyser stack for a steel plant", []),
        ("飞轮储能调频装置的被许可方", []),
        ("低成本碳化硅外延片", []),
        # A field word inside an organisation's name names no field.
        ("what does Qingyun Hydrogen Works need?", []),
        ("蓝田氢能研究院的电解槽测试台", []),
    ],
)
def test_domains_named_by_the_user(text: str, domains: list[str]) -> None:
    assert extract_domains(text) == domains


def test_slots_keep_named_fields_and_topic_hints_apart() -> None:
    s = extract_slots("储能方向里有没有钠离子电池的成果", TODAY)
    assert s.domains == ["grid_storage"]
    assert s.domain_hints == ["grid_storage", "new_energy"]


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("江苏", ["Jiangsu"]),
        ("江苏省的企业", ["Jiangsu"]),
        ("in Jiangsu or Guangdong", ["Jiangsu", "Guangdong"]),
        ("深圳和上海", ["Guangdong", "Shanghai"]),
        ("Shanxi vs Shaanxi", ["Shanxi", "Shaanxi"]),
        ("内蒙古自治区", ["Inner Mongolia"]),
        ("nowhere", []),
    ],
)
def test_regions(text: str, regions: list[str]) -> None:
    assert extract_regions(text) == regions


def test_record_ids_case_insensitive_in_order() -> None:
    assert extract_record_ids("tell me about ach-0001 and ORG-0002, FAC-0001的档期, ACH-0001 again") == [
        "ACH-0001",
        "ORG-0002",
        "FAC-0001",
    ]
    assert extract_hold_refs("release bk-3f9a1c2e please") == ["BK-3F9A1C2E"]


@pytest.mark.parametrize(
    ("text", "deal"),
    [
        ("独占许可", "exclusive_license"),
        ("an exclusive licence", "exclusive_license"),
        ("exclusive license", "exclusive_license"),
        ("non-exclusive license", "nonexclusive_license"),
        ("普通许可", "nonexclusive_license"),
        ("转让", "assignment"),
        ("assignment of the patent", "assignment"),
        ("作价入股", "equity_investment"),
        ("equity investment", "equity_investment"),
        ("合作开发", "joint_development"),
        ("joint development", "joint_development"),
        ("成果转化", None),
    ],
)
def test_deal_types(text: str, deal: str | None) -> None:
    assert extract_deal_type(text) == deal


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("投资机构", ["investor"]),
        ("investors", ["investor"]),
        ("央企和国企", ["soe"]),
        ("SOE", ["soe"]),
        ("民营企业", ["private"]),
        ("private companies", ["private"]),
        ("高校和研究院", ["university", "institute"]),
        ("企业", []),
    ],
)
def test_org_kinds(text: str, kinds: list[str]) -> None:
    assert extract_org_kinds(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Asked for as partners: a filter.
        ("who could scale this up? SOE or private, anywhere", ["soe", "private"]),
        ("looking for an angel fund, ticket under 2 million", ["investor"]),
        ("找几家愿意接的民企，国企也行", ["private", "soe"]),
        ("想找早期基金", ["investor"]),
        # A kind word inside a name.
        ("what has Qinghe University of Science listed?", []),
        ("book the Lanxi institute's vacuum chamber", []),
        ("青禾大学那个膜材料的详细参数", []),
        ("蓝田储能研究院的测试台下周有空吗", []),
        # The owner or the user's side, people or rules, a policy category, a party's share: no filter.
        ("our institute wants to license the sensor", []),
        ("can a university keep all the licence income?", []),
        ("are SOE executives allowed equity rewards?", []),
        ("高校科研人员离岗创业有什么规定", []),
        ("国有科技型企业分红激励的上限是多少", []),
        ("for a medium-sized state-owned company, what is the incentive cap?", []),
        ("they fund RMB 5 million over two years", []),
        ("企业出七成，研究院出三成", []),
        ("我在基金做投资", []),
        # Ruled out.
        ("exclude SOEs, universities only", ["university"]),
        ("投资机构就不用了，只要国企", ["soe"]),
        ("a private 5G network test site", []),
    ],
)
def test_org_kinds_are_partner_filters_only(text: str, kinds: list[str]) -> None:
    assert extract_org_kinds(text) == kinds


@pytest.mark.parametrize(
    ("text", "index", "kind"),
    [
        ("the second one", 2, None),
        # 家 counts facilities and organisations alike: the list the previous turn left gives the kind.
        ("第二家", 2, None),
        ("第2个", 2, None),
        ("第二个合作方", 2, "organisation"),
        ("the second partner", 2, "organisation"),
        ("hold the first window", 1, "window"),
        ("第一个窗口", 1, "window"),
        ("number 3", 3, None),
        ("最后一个", -1, None),
        ("the last one", -1, None),
        ("that facility", None, "facility"),
        ("这个设施", None, "facility"),
        ("该中试线", None, "facility"),
        ("it", None, None),
        ("它", None, None),
    ],
)
def test_references(text: str, index: int | None, kind: str | None) -> None:
    refs = find_references(text)
    assert refs, text
    assert (refs[0].index, refs[0].kind) == (index, kind)


@pytest.mark.parametrize(
    "text", ["第四十五条", "第三周", "第二季度", "IT services", "my sulfide electrolyte"]
)
def test_not_references(text: str) -> None:
    assert find_references(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # An ordinal of a part of time (or of anything but a list item) is a date or a count, not a pointer.
        "is the lab free in the first half of June?",
        "we need it for the second week of May",
        "book the first three days of April",
        "starting the 2nd of March",
        "pay 40% after the first production run",
        "从春节后第一个周一开始",
        "四月最后一周有空吗",
        # The whole list, or a change to the request: no pointer either.
        "which of them are in Hubei?",
        "make it two weeks instead",
    ],
)
def test_ordinals_and_pronouns_that_point_nowhere(text: str) -> None:
    assert [r for r in find_references(text) if r.index is not None or "them" in r.text] == []


@pytest.mark.parametrize(
    ("text", "index"),
    [
        ("book the second one for June", 2),
        ("show me the third match", 3),
        ("confirm #2", 2),
        ("最后那个不要了", -1),
        ("the Hunan one can go", None),
        ("那家下周有空吗", None),
    ],
)
def test_list_pointers(text: str, index: int | None) -> None:
    refs = find_references(text)
    assert refs and refs[0].index == index


def test_references_point_into_the_list_the_previous_request_left() -> None:
    from agent.builtin.memory import listed_kind, pointed

    refs = find_references("the second one, please")
    assert listed_kind(["find_facilities"]) == "facility"
    assert listed_kind(["find_partners", "draft_term_sheet"]) == "organisation"
    assert listed_kind(["get_record"], ["ACH-0007"]) == "achievement"
    assert listed_kind(["list_bookings"]) == "hold"
    assert [(r.index, r.kind) for r in pointed(refs, listed_kind(["search_achievements"]))] == [
        (2, "achievement")
    ]
    # A kind word of its own wins over the list.
    assert [r.kind for r in pointed(find_references("第一个窗口"), "facility")] == ["window"]
    # Nothing listed before: "it" is what this message names, not a pointer back.
    assert pointed(find_references("tell me about FAC-0003 and whether it is free"), None) == []


def test_extract_slots_keeps_slots_apart() -> None:
    s = extract_slots(
        "帮我找愿意许可我们硫化物固态电解质的企业，查一下明年三月有没有中试线档期，三周，然后起草一份独占许可协议，"
        "许可费率4%，期限10年，入门费500万元",
        TODAY,
    )
    assert s.dates is not None and (s.dates.start, s.dates.end) == (D("2027-03-01"), D("2027-04-01"))
    assert s.duration_days == 21
    assert s.money == [5e6]
    assert s.percent("royalty") == 4.0
    assert s.term_years == 10
    assert s.deal_type == "exclusive_license"
    assert s.domains == [] and s.domain_hints == ["new_energy"]
    # "未来三个月" is a range, never a 90-day stay; "2027年" is not a 2027-year term.
    s2 = extract_slots("未来三个月内，2027年的项目", TODAY)
    assert s2.duration_days is None and s2.term_years is None
    assert s2.dates is not None and s2.dates.end == D("2027-02-22")


def test_english_flagship_slots() -> None:
    s = extract_slots(
        "find who would license my sulfide electrolyte, check a pilot line for three weeks in March, and draft an exclusive licence",
        TODAY,
    )
    assert s.dates is not None and s.dates.start == D("2027-03-01")
    assert s.duration_days == 21
    assert s.deal_type == "exclusive_license"
    assert s.record_ids == [] and s.money == []


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("起草ACH-0001转让给ORG-0002的合同，价格500万元，一次性付清", "一次性付清"),
        ("assignment of ACH-0001 for RMB 5 million, paid in one lump sum", "lump sum"),
    ],
)
def test_lump_sum_payment_is_understood(text: str, phrase: str) -> None:
    s = extract_slots(text, date(2026, 11, 22))
    start = text.index(phrase)
    assert any(a <= start and start + len(phrase) <= b for a, b in s.consumed)
    assert s.term_years is None


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("We're a university with a perovskite process; which investors would fund it?", ["investor"]),
        ("我们是一所高校，想找央企合作", ["soe"]),
        ("find universities and institutes for ACH-0001", ["university", "institute"]),
    ],
)
def test_the_users_own_kind_is_not_a_partner_filter(text: str, kinds: list[str]) -> None:
    assert extract_slots(text, date(2026, 11, 22)).org_kinds == kinds


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        (
            "ACH-0005作价1000万元入股ORG-0010，占股20%，发明人团队拿40%的股权",
            [(20.0, "equity"), (40.0, "inventor_share")],
        ),
        ("完成人获得60%股权", [(60.0, "inventor_share")]),
        ("equity 15%, inventors 50% of the shares", [(15.0, "equity"), (50.0, "inventor_share")]),
    ],
)
def test_the_teams_share_of_the_equity_is_the_inventor_share(
    text: str, roles: list[tuple[float, str]]
) -> None:
    s = extract_slots(text, date(2026, 11, 22))
    assert [(p.value, p.role) for p in s.percentages] == roles


def test_off_grid_is_not_the_power_grid_domain() -> None:
    assert extract_domain_hints("a green hydrogen electrolyser for an off-grid solar plant") == [
        "hydrogen",
        "new_energy",
    ]
    assert extract_domain_hints("grid-scale storage") == ["grid_storage"]


@pytest.mark.parametrize(
    "text",
    [
        "which companies might license our coating process?",
        "how is licensing income taxed for a research institute?",
        "帮我算一下许可费怎么收",
        "draft a licence for ACH-0002 with a 4% royalty",
    ],
)
def test_a_licence_without_exclusivity_states_no_deal_type(text: str) -> None:
    # The word names a licence; the structure (exclusive or not) is not stated, so no deal type. A draft on it
    # assumes an ordinary licence (agent/builtin/jobs/term_sheet.py).
    s = extract_slots(text, TODAY)
    assert s.deal_type is None and s.licence
    assert extract_deal_type("an exclusive licence, 3% royalty") == "exclusive_license"
    assert not extract_slots("an exclusive licence, 3% royalty", TODAY).licence


@pytest.mark.parametrize(
    ("text", "regions"),
    [
        ("find achievements for 蓝禾材料（湖北）'s need", []),
        ("draft a licence to Qiming Optics (Fujian), 3% royalty", []),
        ("给星河电子（广东）找成果，最好是江苏的", ["Jiangsu"]),
        ("partners in Fujian (or Guangdong)", ["Fujian", "Guangdong"]),
    ],
)
def test_a_region_in_brackets_after_a_name_is_part_of_the_name(text: str, regions: list[str]) -> None:
    assert extract_regions(text) == regions


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("TRL 4到6之间的成果", 4, 6),
        ("TRL 2至3的项目", 2, 3),
        ("TRL 5 to TRL 7", 5, 7),
    ],
)
def test_trl_ranges_written_in_chinese_or_with_trl_twice(text: str, lo: int, hi: int) -> None:
    trl = extract_trl(text)
    assert trl is not None and (trl.min, trl.max) == (lo, hi)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("can we use the wind tunnel the week of Feb 15?", date(2027, 2, 15), date(2027, 2, 22)),
        ("hold it the week of 1 March, please", date(2027, 3, 1), date(2027, 3, 8)),
        ("2月22号那周实验室有空吗", date(2027, 2, 22), date(2027, 3, 1)),
    ],
)
def test_week_of_a_day_is_seven_days(text: str, start: date, end: date) -> None:
    r = extract_date_range(text, TODAY)
    assert r is not None and (r.start, r.end) == (start, end)  # end exclusive


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("列一下TRL 9的储能成果", 9, None),
        ("Which petrochemicals achievements are at TRL 9?", 9, None),
        ("What licensable telecom achievements are there at TRL 8 or 9?", 8, 9),
        ("just TRL 8 and 9", 8, 9),
        ("Show me all new-materials achievements in Jiangsu at TRL 7-9.", 7, 9),
        ("new-materials results from Zhejiang, TRL between 4 and 6?", 4, 6),
        ("平台上宁夏有哪些氢能成果，TRL在5到7之间的", 5, 7),
        ("搜一下生物医药领域里TRL不低于7的成果", 7, None),
        ("有哪些生物医药的成果能合作开发，TRL不超过5", None, 5),
        ("What's out there in hydrogen storage that's at least TRL 5?", 5, None),
    ],
)
def test_a_trl_asked_for_is_a_bound(text: str, lo: int | None, hi: int | None) -> None:
    s = extract_slots(text, TODAY)
    assert s.trl is not None and (s.trl.min, s.trl.max) == (lo, hi)
    assert s.trl_stated is None


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("We have our own nickel-free AEM electrolyser catalyst, TRL 3. Looking for an early-stage fund.", 3),
        ("Which investors would look at ACH-0290? It's TRL 8, so growth-stage funds.", 8),
        ("Need a partner to co-develop our sodium-ion cathode (own tech, TRL 4).", 4),
        ("any angel investors that would look at a TRL 2 SRAM compute-in-memory macro?", 2),
        ("我们自研了一款无钴高镍正极，TRL 4，想找高校一起合作开发", 4),
        ("帮我们TRL 7的储能项目找投资方", 7),
        ("我们这个是CO2电还原制乙烯的 铜气体扩散电极 现在TRL4 想找企业", 4),
    ],
)
def test_a_trl_stated_of_ones_own_technology_is_no_filter(text: str, n: int) -> None:
    s = extract_slots(text, TODAY)
    assert s.trl is None
    assert s.trl_stated is not None and (s.trl_stated.min, s.trl_stated.max) == (n, n)


@pytest.mark.parametrize("text", ["我们是央企二级子公司 大型企业", "要P2级陶瓷球轴承替代进口"])
def test_a_tier_or_grade_is_no_trl(text: str) -> None:
    s = extract_slots(text, TODAY)
    assert s.trl is None and s.trl_stated is None


@pytest.mark.parametrize(
    "text",
    [
        "国企搞分红激励 激励总额不超过当年可分配利润的多少 好像是15%？",
        "高校职务科技成果 可以不经过审批直接许可给企业吗 要不要评估",
        "请问国有高校科技成果定价是不是必须挂牌或者拍卖？",
        "Is there a per-person cap for SOE equity incentives? someone said 3% of total equity",
        "does the 50% IIT reduction on cash rewards also apply to researchers at a private company?",
        "What pricing methods are allowed when a university transfers a result? Do we need to publicise the price?",
    ],
)
def test_the_kinds_a_rule_question_is_about_are_no_filter(text: str) -> None:
    assert extract_org_kinds(text) == []


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a rule question, then a search: only the search's kind
        (
            "高校能不能把成果许可给自己老师创办的公司？要是可以的话，帮我们找几家愿意投这个衍生公司的投资机构",
            ["investor"],
        ),
        (
            "which institutes could co-develop our AEM stack? also what's the rule on IP if a new invention comes out?",
            ["institute"],
        ),
        # someone who would put money in
        ("帮中砺光伏青海那边找找钠电正极的成果 找到了再看看谁愿意投", ["investor"]),
        ("有没有人投TRL2的东西啊", ["investor"]),
        ("ACH-0290 要融资，大概8000万，帮我找找能领投的", ["investor"]),
        ("能不能帮我找找愿意投的机构", ["investor"]),
        ("找到了就帮我找能一起投这个项目的资方", ["investor"]),
        ("Who might invest in the online impedance spectroscopy early-warning system?", ["investor"]),
        ("Who has relevant tech and who could fund it?", ["investor"]),
        # a filter follow-up that opens with 能不能 is still a filter
        ("能不能把刚才那几家里 央企去掉 只留民企和投资机构", ["private", "investor"]),
    ],
)
def test_kinds_sought(text: str, kinds: list[str]) -> None:
    assert sorted(extract_org_kinds(text)) == sorted(kinds)


@pytest.mark.parametrize(
    "text",
    [
        "hold the Qinghai one for 14 days from Jan 18",
        "confirm the Anhui lab one",
        "release the January one",
        "海棠那个，2月下旬能不能用10天，多少钱",
        "p-GaN栅那个，给我详细参数",
        "二月份那个，放掉吧",
        "上海那个行，就订吧",
    ],
)
def test_a_record_picked_by_its_own_words_is_a_named_reference(text: str) -> None:
    from agent.builtin.memory import pointed

    refs = extract_slots(text, TODAY).references
    assert [r.named for r in refs] == [True]
    # The words name the record (or the hold) themselves: no pointer into any list, a list of holds included.
    assert pointed(refs, "hold") == []
    assert pointed(refs, "facility") == []
    assert pointed(refs, "achievement") == []


@pytest.mark.parametrize(
    "text", ["刚才那个不要了", "就那个，订了", "the other one please", "hold it", "那个，详细信息"]
)
def test_a_pointer_back_is_no_named_reference(text: str) -> None:
    from agent.builtin.memory import pointed

    refs = extract_slots(text, TODAY).references
    assert refs and not any(r.named for r in refs)
    assert [r.kind for r in pointed(refs, "facility")] == ["facility"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a split written with figures states both shares; 三/四-way splits every share
        ("IP split 60/40 in their favour", [(60.0, "ip_share")]),  # the favoured share (5 of 8 writers)
        ("IP should be 65/35 to Huayao", [(35.0, "ip_share"), (65.0, "ip_share")]),
        ("what if we split the IP 80/20 instead?", [(20.0, "ip_share"), (80.0, "ip_share")]),
        ("Change it to three instalments: 30/30/40", [(30.0, "other"), (30.0, "other"), (40.0, "other")]),
        ("收益企业七学校三", [(30.0, "other"), (70.0, "other")]),
        # written in words, the first share is the one stated; an even split is one share
        ("知识产权六四开我们占六", [(60.0, "ip_share")]),
        ("知识产权五五开", [(50.0, "ip_share")]),
        ("IP 50/50", [(50.0, "ip_share")]),
        ("24/7 support", []),
        # an upfront amount, then the running royalty
        ("exclusive licence, 3M upfront + 3%", [(3.0, "royalty")]),
        ("许可，入门费300万加3%", [(3.0, "royalty")]),
        # shares of the payment schedule
        ("转让，总价1155万，首付三成", [(30.0, "upfront")]),
        ("licence, 4% royalty, 30% of the fee upon signing", [(4.0, "royalty"), (30.0, "upfront")]),
    ],
)
def test_splits_and_payment_shares(text: str, want: list[tuple[float, str]]) -> None:
    assert sorted((p.value, p.role) for p in extract_percentages(text)) == want


@pytest.mark.parametrize(
    ("text", "deal", "role"),
    [
        ("what if it's 7% instead", "nonexclusive_license", "royalty"),
        ("提成之外再改成8%呢", "licence", "royalty"),
        ("Make it 20% for 80 million instead", "equity_investment", "equity"),
        ("So that's 25% for them, right?", "equity_investment", "equity"),
        ("what if it's 7% instead", "assignment", "other"),
    ],
)
def test_a_bare_figure_takes_the_role_the_deal_gives_it(text: str, deal: str, role: str) -> None:
    from agent.builtin.slots import with_deal_roles

    pcts = [p for p in extract_percentages(text) if p.role in ("other", "royalty")]
    assert [p.role for p in with_deal_roles(pcts, deal)][:1] == [role]


def test_a_payment_share_is_never_the_royalty() -> None:
    from agent.builtin.slots import is_payment_share, with_deal_roles

    pcts = extract_percentages("exclusive licence: RMB 2M, 50% on signing and 50% on acceptance")
    assert pcts and all(is_payment_share(p) for p in pcts)
    assert all(p.role == "upfront" for p in with_deal_roles(pcts, "exclusive_license"))


@pytest.mark.parametrize(
    ("text", "domains"),
    [
        ("平台上生物医药的成果 湖北的 列一下", ["biomedicine"]),
        ("换成储能领域呢", ["grid_storage"]),
        ("看看平台上氢能方向的成果", ["hydrogen"]),
        # still a description, not a field: a field word ending a technology's name
        ("我们的飞轮储能想找合作方", []),
    ],
)
def test_a_field_named_after_a_place_or_a_change_word(text: str, domains: list[str]) -> None:
    assert extract_slots(text, TODAY).domains == domains


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # round 7: sized kinds sought in the plural, and a kind narrowing a list ("the private ones")
        ("buyers for ACH-0100? prefer large SOEs", ["soe"]),
        ("再帮我找几家做储能的大型央企", ["soe"]),
        ("only the state-owned ones please", ["soe"]),
        ("just the private ones", ["private"]),
        # a sized singular kind is still the subject of a rule
        ("Can a medium-sized SOE grant stock options?", []),
    ],
)
def test_sized_and_narrowing_kinds_round7(text: str, kinds: list[str]) -> None:
    assert extract_org_kinds(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # A question what kind a named organisation is asks about it: no kind is sought.
        ("鹤岭氢能是国企吗？他们做什么的", []),
        ("兰石那家是央企下属吧", []),
        ("星垣电子这家公司什么背景？民营还是国企？", []),
        ("澜石是民企还是国企", []),
        ("Tell me about Lanshi Hydrogen - are they an SOE?", []),
        # Either kind wanted stays a filter.
        ("找几家电池厂，国企还是民企都行", ["soe", "private"]),
        ("which SOEs could license it?", ["soe"]),
    ],
)
def test_a_question_about_an_organisations_kind_is_no_filter(text: str, kinds: list[str]) -> None:
    assert sorted(extract_org_kinds(text)) == sorted(kinds)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # The kinds a rule question is about: who owns, keeps, must register or consent, what applies to whom.
        ("研究所的成果转让收入要上缴国库吗", []),
        ("我们从高校买了个专利，需要去哪里登记备案吗", []),
        ("Does the super deduction apply to fees we pay a research institute?", []),
        ("If an SOE and a university co-develop something and the contract is silent, who owns it?", []),
        ("Can we sublicense a patent co-owned with a university without its consent?", []),
        # A message that asks about a rule and seeks nothing: its other sentences too.
        ("股权激励单个人最多能拿多少？我们是央企下属的研究院", []),
        # What the assistant can do for the user's kind of organisation.
        ("hello, what can you actually do for a university tech transfer office?", []),
        ("what kind of things can this bot do for an investor?", []),
        # A search stays a filter, also next to a rule question.
        ("有没有投资机构愿意投这么早期的项目？另外团队能占多少有没有规定？", ["investor"]),
        ("Who are the likely takers? battery makers, SOEs. Also, does the 50% minimum apply?", ["soe"]),
        ("what can you do for us? also find me universities working on sodium-ion", ["university"]),
    ],
)
def test_kinds_a_rule_or_help_question_is_about_are_no_filter(text: str, kinds: list[str]) -> None:
    assert sorted(extract_org_kinds(text)) == sorted(kinds)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # Who the user or their client is, however it is said: no kind sought.
        ("We are a large Shandong petrochemical SOE and need a better hydrocracking catalyst", []),
        ("SOE here, Gansu. Anything for molten-salt storage?", []),
        ("Any coatings for offshore piles? We're in Fujian, SOE.", []),
        ("有没有能做钢渣矿化的成果？我们是山西的焦化厂，国企", []),
        ("我们是西南一家民营电机厂，想找低重稀土磁体的成果", []),
        ("I advise a Hubei SOE on licensing; draft an exclusive licence for ACH-0101", []),
        ("My client (private, Xiamen) wants the sodium cathode; draft a licence", []),
        # The kind sought next to it still counts.
        ("我们在找央企合作方", ["soe"]),
        ("We are a mid-size Hebei steel SOE looking for universities", ["university"]),
    ],
)
def test_the_users_own_kind_is_no_filter(text: str, kinds: list[str]) -> None:
    assert sorted(extract_org_kinds(text)) == sorted(kinds)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # a demonstrative points at one organisation the user has in mind
        ("青禾大学有哪些成果？麻烦介绍下这家研究院", []),
        ("那个膜材料是Lanxi那家研究院的吧？", []),
        ("这个投资机构偏好什么阶段", []),
        ("那家基金一般投多大的", []),
        ("找几家研究院一起做中试", ["institute"]),
    ],
)
def test_a_kind_after_a_demonstrative_is_one_organisation(text: str, kinds: list[str]) -> None:
    assert extract_org_kinds(text) == kinds


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # an English kind word right after Chinese characters is still a word
        ("帮我搵几个买家，最好是福建本地的SOE", ["soe"]),
        ("有冇早期嘅fund肯睇？", ["investor"]),
        # ... and the demonstratives and possessives before it still apply
        ("呢间fund系咩来头？", []),
        ("我有investor想睇下TRL低嘅成果", []),
    ],
)
def test_english_kind_words_in_chinese_text(text: str, kinds: list[str]) -> None:
    assert extract_org_kinds(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        # someone who would put money in, said by what they invest in or how
        "这个成果谁可能会投？",
        "再帮我找找投新材料的机构",
        "有没有愿意一起投的机构，A轮",
        "哪些机构可能联合投资这个项目",
        "who else might co-invest in the cathode spin-out?",
        "who else would invest alongside us in it?",
    ],
)
def test_investors_said_by_investing(text: str) -> None:
    assert extract_org_kinds(text) == ["investor"]
