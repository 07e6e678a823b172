"""Fields the user names as a filter (slots.find_domains), by the corpus's majority conventions."""

from __future__ import annotations

import pytest

from agent.builtin.slots import extract_domains


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a field after a place word, 啥 / 点 / 什么
        ("江苏、上海两地储能方向的成果，按TRL从高到低排一下", ["grid_storage"]),
        ("有啥集成电路的成果，北京的", ["integrated_circuits"]),
        ("推荐点高端装备的成果，TRL不低于6", ["advanced_manufacturing"]),
        ("麓湖科技大学那边有什么航天成果", ["aerospace"]),
        # names the corpus uses for a field
        ("先进制造方向辽宁的成果有哪些", ["advanced_manufacturing"]),
        ("船舶海洋方向，找找TRL不超过5的早期成果", ["marine"]),
        # English objects of a field
        ("hydrogen things at TRL 8-9 please", ["hydrogen"]),
        ("list the telecom achievments from Shandong", ["telecom"]),
        ("which hydrogen facilities are in Guangdong?", ["hydrogen"]),
        ("which investors might want these? seed/angel, marine focus", ["marine"]),
        ("Show me seed-stage stuff (TRL 2-4) in biomedicine listed below 2M", ["biomedicine"]),
    ],
)
def test_fields_named(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # a field word saying what a sought partner does
        "who'd buy it? grid SOEs maybe",
        "Pull up ACH-0352 and tell me who could license it: bus makers or hydrogen SOEs.",
        "Any partners for ACH-0149? Telecom operators and tower companies.",
        "把ACH-0064数字孪生的详细信息发我，再看看有没有石化企业愿意买",
        "帮它找找下家，宁夏、吉林的氢能公司",
        "想找储能集成商一起做中试，最好是国企",
        # a facility's own words
        "drop my hold on the Gansu grid storage test field",
        "is there a rail test line we could trial it on?",
    ],
)
def test_no_field_filter(text: str) -> None:
    assert extract_domains(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # round 7: a catalogue, plural test facilities, a TRL, "can"/"+" after the field name
        ("show me the hydrogen catalogue, TRL 6 and up", ["hydrogen"]),
        ("list all aerospace test facilities with their rates", ["aerospace"]),
        ("Kunyue Institute grid storage TRL 8+", ["grid_storage"]),
        ("hydrogen + CCUS achievements from Jiangsu?", ["hydrogen", "ccus"]),
        ("which results in CCUS or hydrogen can we fund?", ["ccus", "hydrogen"]),
        # 那 (a follow-up switching field), a count of provinces, TRL right after the field
        ("那通信的呢", ["telecom"]),
        ("江苏、浙江两省生物医药领域的成果", ["biomedicine"]),
        ("航空航天TRL7以上的成果", ["aerospace"]),
    ],
)
def test_fields_named_round7(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    "text",
    [
        # one facility's own words stay no filter
        "hold the Songlan grid test field for a week",
        "is there a rail test line in Jiangsu?",
    ],
)
def test_one_test_facility_names_no_field(text: str) -> None:
    assert extract_domains(text) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a word that cannot go on a compound noun ends the field's name
        ("anything in aerospace above TRL 6?", ["aerospace"]),
        ("what's new in CCUS these days", ["ccus"]),
        ("list everything in biomedicine owned by universities", ["biomedicine"]),
        ("Lingyun Capital - do they look at hydrogen ok?", ["hydrogen"]),
        ("our marine spin-out needs a co-lead", ["marine"]),
        ("usual royalty for a new-materials licence?", ["new_materials"]),
        ("funds for petrochemicals — ideally in Shandong", ["petrochemicals"]),
        ("who backs aerospace on this platform?", ["aerospace"]),
        # CJK punctuation and "&" after an English field name
        ("只看氢能和CCUS、TRL 6以上的", ["hydrogen", "ccus"]),
        ("telecom & AI achievements in Hubei", ["telecom", "ai_digital"]),
    ],
)
def test_a_field_name_ends_its_phrase(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the field an investor puts money in is a filter (17 of 19 such messages label it) ...
        ("which aerospace investors write 10M tickets?", ["aerospace"]),
        ("帮我找几家氢能基金", ["hydrogen"]),
        ("专门投储能的机构有哪些", ["grid_storage"]),
        # ... unlike what a company does (writers split, left as it was)
        ("who'd take it? petrochemical SOEs maybe", []),
    ],
)
def test_the_field_an_investor_backs(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # Cantonese function words around a field name: 嘅 (的), 同 (和), 冇, 睇, 嗰啲
        ("广东嘅氢能成果列一下", ["hydrogen"]),
        ("浙江同江苏嘅新材料成果有冇", ["new_materials"]),
        ("有冇储能方向嘅项目", ["grid_storage"]),
        ("睇下通信嗰啲成果", ["telecom"]),
    ],
)
def test_cantonese_around_a_field(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a list of fields: the first name vouches for the next one
        ("江苏的成果，氢能和新材料都要", ["hydrogen", "new_materials"]),
        ("CCUS和石化两个方向的成果", ["ccus", "petrochemicals"]),
        ("通信与集成电路两块，TRL 6以上", ["telecom", "integrated_circuits"]),
        # a technology's name before the join is no field, and vouches for none
        ("我们的飞轮储能和氢能方向都有成果", ["hydrogen"]),
    ],
)
def test_a_list_of_fields(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # short forms of a field's name, and the id itself typed as a filter
        ("biomed results from Zhejiang universities", ["biomedicine"]),
        ("any petrochem achievements at TRL 8?", ["petrochemicals"]),
        ("filter: grid_storage, Qinghai only", ["grid_storage"]),
        ("rail_transit, TRL 6-8", ["rail_transit"]),
    ],
)
def test_short_forms_and_ids(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a field right after its owner's kind, or after a stage
        ("青禾理工大学新材料方向的成果", ["new_materials"]),
        ("北辰研究所储能领域的成果列一下", ["grid_storage"]),
        ("有没有早期通信项目，TRL 3左右", ["telecom"]),
        # a technology's name is still no field
        ("压缩空气储能的成果", []),
    ],
)
def test_a_field_after_its_owner_or_a_stage(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the field pointed at, or what someone is keen on
        ("新材料这块，TRL 7以上的有哪些", ["new_materials"]),
        ("我只看海工那一块的", ["marine"]),
        ("通信这个方向一般谁会买？", ["telecom"]),
        ("哪些投资人对氢能感兴趣？", ["hydrogen"]),
        # a technology's name before 这块 is still none
        ("液冷储能这块的成果", []),
    ],
)
def test_a_field_pointed_at(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "grid" after a word modifying it is one grid, not the field
        ("need a fast breaker for an offshore DC grid, 320 kV", []),
        ("something to stabilise a weak grid at the plant", []),
        ("we do peak shaving for the grid, any flywheel results?", []),
        # after a function word, or alone, it still names the field
        ("any grid achievements from Qinghai?", ["grid_storage"]),
        ("hydrogen or grid, TRL 7+", ["hydrogen", "grid_storage"]),
    ],
)
def test_a_grid_is_not_the_field(text: str, want: list[str]) -> None:
    assert extract_domains(text) == want
