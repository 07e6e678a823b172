"""References to earlier results as the planner reads them after the previous turn's jobs
(agent/builtin/slots.py `find_references`, agent/builtin/memory.py `pointed`)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.memory import Kind, pointed
from agent.builtin.slots import extract_slots

TODAY = date(2026, 12, 5)


def read(text: str, listed: Kind | None) -> list[tuple[int | None, str | None]]:
    return [(r.index, r.kind) for r in pointed(extract_slots(text, TODAY).references, listed)]


@pytest.mark.parametrize("text", ["ok, reserve it for us", "就它吧，帮我锁上", "fine, take that one"])
def test_an_untyped_pointer_after_a_check_is_the_facility_checked(text: str) -> None:
    assert read(text, "window")[:1] == [(None, "facility")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("reserve the third one", (3, "window")),
        ("第二个帮我锁住", (2, "window")),
        ("ok lock that window", (None, "window")),
    ],
)
def test_an_ordinal_or_a_window_word_after_a_check_is_a_window(text: str, want: tuple[int, str]) -> None:
    assert read(text, "window")[:1] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "the nickel recovery one — who owns it?",
        "what's the rate at the Fujian one, and is it free in May?",
        "drop the one at the wind tunnel",
        "the one from Qiwu University looks good, license it to us",
        "煤化工那个，再帮它找找买家",
    ],
)
def test_a_record_named_by_its_own_words_is_no_pointer_nor_is_the_pronoun_after_it(text: str) -> None:
    refs = extract_slots(text, TODAY).references
    assert refs and all(r.named for r in refs)
    for listed in ("achievement", "facility", "hold"):
        assert read(text, listed) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("the pricier one, who owns it?", "achievement", (None, "achievement")),
        ("the other one can go", "hold", (None, "hold")),
        ("刚才占的那个不要了", "hold", (None, "hold")),
        ("the expired one, hold it again same dates", "hold", (None, "hold")),
    ],
)
def test_a_pick_by_place_or_time_is_still_a_pointer(
    text: str, listed: Kind, want: tuple[int | None, str]
) -> None:
    assert read(text, listed)[:1] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "narrow it to private firms",
        "sort them by price",
        "ok got it, thanks",
        "that's it for today",
        "make it 5 days",
    ],
)
def test_a_change_of_the_request_or_an_idiom_points_at_nothing(text: str) -> None:
    assert read(text, "organisation") == []
    assert read(text, "hold") == []


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("这个谁会想买？", "achievement", (None, "achievement")),
        ("这个的最短天数是多少", "facility", (None, "facility")),
        ("就这个吧，帮我占上，3月2号起五天", "facility", (None, "facility")),
        ("那个撤掉吧，计划变了", "hold", (None, "hold")),
        ("刚才那个转成正式的", "hold", (None, "hold")),
        ("刚才占的那个撤掉吧", "hold", (None, "hold")),
        ("那就占那个，下周一开始", "facility", (None, "facility")),
    ],
)
def test_a_chinese_demonstrative_standing_alone_before_its_predicate_points_back(
    text: str, listed: Kind, want: tuple[int | None, str]
) -> None:
    assert read(text, listed)[:1] == [want]


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("这个价格能再谈吗", "achievement"),
        ("这个月还有空吗", "facility"),
        ("就按这个来，谢谢", "hold"),
        ("FAC-0031那个撤掉吧", "hold"),  # picked by its id
        ("那个新疆的下个月能用吗", "facility"),  # picked by its description
    ],
)
def test_a_chinese_demonstrative_before_a_noun_or_after_a_description_is_no_pointer(
    text: str, listed: Kind
) -> None:
    assert read(text, listed) == []


@pytest.mark.parametrize(
    "text",
    [
        "湖北那家的报价多少",
        "曜石那个基地下月能排吗",
        "钙钛矿叠层那个成果有没有中试数据",
        "那个80kW燃料电池的，谁家的",
        "那个Qiwu的拖曳水池二月能用吗",
        "海棠研究院那个冻干工艺的详细说说，再帮它找找买家",
    ],
)
def test_a_chinese_demonstrative_with_a_description_names_the_record(text: str) -> None:
    refs = extract_slots(text, TODAY).references
    assert refs and all(r.named for r in refs)
    assert read(text, "achievement") == []
    assert read(text, "facility") == []


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("hmm, undo that — wrong week", "hold", (None, "hold")),
        ("ok drop that and show what's left", "hold", (None, "hold")),
        ("reserve that workshop for 5 days from March 2", "facility", (None, "facility")),
        ("is that station free next month?", "facility", (None, "facility")),
        ("第二条释放掉", "hold", (2, "hold")),
        ("第三条是谁家的", "achievement", (3, "achievement")),
        ("最后嗰个确认，其他唔使理", "hold", (-1, "hold")),
        ("帮我锁住佢，下星期一开始", "facility", (None, "facility")),
    ],
)
def test_objects_items_and_cantonese_pointers(text: str, listed: Kind, want: tuple[int | None, str]) -> None:
    assert read(text, listed)[:1] == [want]


@pytest.mark.parametrize("text", ["成果转化法第十九条讲的是什么", "专利法第三条怎么规定的", "按第4条算呢"])
def test_a_law_article_is_no_list_item(text: str) -> None:
    assert read(text, "achievement") == []


def test_a_record_looked_up_with_its_owner_named_is_the_list_kind() -> None:
    from agent.builtin.memory import listed_kind

    # "tell me about Qiwu's towing tank": the owner is linked too, the record looked up is the facility.
    assert listed_kind(["get_record"], ["ORG-0012", "FAC-0030"]) == "facility"
    assert listed_kind(["get_record"], ["ORG-0012", "ACH-0101"]) == "achievement"
    assert listed_kind(["get_record"], ["ORG-0012"]) == "organisation"


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("draft an exclusive licence for it, 4 years", (None, "achievement")),
        ("我们这个能卖给他们吗", (None, "achievement")),
        ("the second one looks right", (2, "organisation")),
        ("draft a licence to them, 3 years", (None, "organisation")),
    ],
)
def test_after_partners_for_an_achievement_it_is_the_achievement(
    text: str, want: tuple[int | None, str]
) -> None:
    from agent.builtin.memory import subject_kind

    about = subject_kind(["find_partners"])
    assert about == "achievement"
    refs = extract_slots(text, TODAY).references
    assert [(r.index, r.kind) for r in pointed(refs, "organisation", about)][:1] == [want]


@pytest.mark.parametrize(
    "text", ["what would 6 days cost there?", "any free week there in April?", "hold May 3-7 there"]
)
def test_there_is_the_facility(text: str) -> None:
    assert read(text, "facility") == [(None, "facility")]


@pytest.mark.parametrize(
    "text",
    ["is there a lab for this in Hubei?", "are there any cheaper ones", "if there's one free, hold it"],
)
def test_an_existential_there_is_no_place(text: str) -> None:
    assert not any(r.text.lower() == "there" for r in extract_slots(text, TODAY).references)


@pytest.mark.parametrize(
    "text",
    [
        "confirm BK-2027-0031 and release the rest",
        "release the Minghu one, keep the rest",
        "FAC-0012那个确认，剩下的放掉",
        "BK-2027-0040 转正式",
        "BK-2027-0040 — release pls",
    ],
)
def test_the_rest_of_a_pick_by_words_or_code_and_a_quoted_code_point_at_nothing(text: str) -> None:
    assert read(text, "hold") == []


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("贵的那个下个月能排吗", "facility", (None, "facility")),
        ("成熟度最高的那个详细说说", "achievement", (None, "achievement")),
        ("最早的那个帮我占上", "window", (1, "window")),
        ("最合适的那家，起草个许可", "organisation", (1, "organisation")),
        ("时间靠前的那个先转正", "hold", (1, "hold")),
    ],
)
def test_a_chinese_pick_by_rank_is_a_pointer(text: str, listed: Kind, want: tuple[int | None, str]) -> None:
    assert read(text, listed)[:1] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "compare the Hubei one with the Anhui one and draft a licence for the cheaper one",
        "湖北那个和安徽那个，哪个便宜？便宜的那个起草许可",
    ],
)
def test_a_pick_by_rank_among_records_the_message_names_is_one_of_them(text: str) -> None:
    assert read(text, "achievement") == []


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("reserve the whole 3rd window", "window", (3, "window")),
        ("first free slot, hold it for 4 days", "window", (1, "window")),
        ("details on the third org please", "organisation", (3, "organisation")),
        ("take the cheapest and hold it from May 2", "facility", (None, "facility")),
        ("book the pricier of the two, 3 days", "facility", (None, "facility")),
    ],
)
def test_english_picks_without_the_or_one(text: str, listed: Kind, want: tuple[int | None, str]) -> None:
    assert read(text, listed)[:1] == [want]


@pytest.mark.parametrize(
    ("text", "mention", "kind", "named"),
    [
        (
            "the tidal turbine blade coating — who owns it?",
            "tidal turbine blade coating",
            "achievement",
            True,
        ),
        ("the Qiwu wave basin: what does it cost a day?", "Qiwu wave basin", "facility", True),
        # an organisation named before "it": the counterparty, "it" still points back
        ("draft a licence with Hengyue for it", "Hengyue", "organisation", False),
    ],
)
def test_a_pronoun_after_a_record_named_in_words_is_that_record(
    text: str, mention: str, kind: str, named: bool
) -> None:
    from agent.builtin.named_spans import without_links
    from agent.understanding.linking import Link

    a = text.index(mention)
    links = [Link(kind, "X-0001", (a, a + len(mention)), mention, 0.6, True, "search")]  # type: ignore[arg-type]
    s = without_links(extract_slots(text, TODAY), text, links)
    assert [r.named for r in s.references if r.text == "it"] == [named]


@pytest.mark.parametrize(
    "text",
    ["帮他们找几个合适的成果", "which of our results fit their needs?", "would they invest in ACH-0007?"],
)
def test_they_after_an_organisation_lookup_is_that_organisation(text: str) -> None:
    refs = extract_slots(text, TODAY).references
    assert [(r.index, r.kind) for r in pointed(refs, "organisation")][:1] == [(None, "organisation")]
    # after partners found, or after achievements, "they" points at no record
    from agent.builtin.memory import subject_kind

    assert pointed(refs, "organisation", subject_kind(["find_partners"])) == []
    assert pointed(refs, "achievement") == []


@pytest.mark.parametrize(
    ("text", "listed", "want"),
    [
        ("third one, March, 6 days?", "facility", (3, "facility")),
        ("Second one: who owns it?", "achievement", (2, "achievement")),
        ("who could license this?", "achievement", (None, "achievement")),
    ],
)
def test_an_ordinal_one_without_the_and_a_final_this_point_back(
    text: str, listed: Kind, want: tuple[int | None, str]
) -> None:
    assert read(text, listed)[:1] == [want]


def test_a_one_year_term_is_no_pointer() -> None:
    assert read("a first one-year term, then renew", "achievement") == []


@pytest.mark.parametrize(
    "text", ["这条线下个月能排5天吗", "那个试验台二月有空吗", "那一家3月份10天，锁了", "就那条，4月锁一周"]
)
def test_chinese_facility_words_and_classifiers_point_back(text: str) -> None:
    assert read(text, "facility")[:1] == [(None, "facility")]


def test_of_it_points_back_but_which_of_them_asks_about_the_list() -> None:
    assert read("draft an assignment of it to Qiwu, 2M", "achievement") == [(None, "achievement")]
    assert read("which of them are in Hubei?", "achievement") == []


def test_a_hold_picked_by_where_it_is_is_named() -> None:
    assert read("confirm the hold on the wave basin", "hold") == []
    assert read("release my hold at the kilo lab please", "hold") == []
    assert read("cancel that hold, wrong dates", "hold") == [(None, "hold")]


def test_a_record_of_theirs_is_named_their_need_is_the_organisation() -> None:
    assert read("他们那个钙钛矿叠层的成果详细说说", "organisation") == []
    assert read("他们的中试线三月能用吗", "organisation") == []
    assert read("他们那个储能的需求，平台上有匹配的成果吗", "organisation") == [(None, "organisation")]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("give me the profile of the third fund", (3, "organisation")),
        ("is the first university a state one?", (1, "organisation")),
        ("那第二家基金投过哪些项目", (2, "organisation")),
        ("第三个研究院在哪个省", (3, "organisation")),
        ("does that manufacturer do exports", (None, "organisation")),
    ],
)
def test_kinds_of_organisation_are_organisation_words(text: str, want: tuple[int | None, str]) -> None:
    # The list before was achievements: the kind word, not the list, says what is pointed at.
    assert read(text, "achievement")[:1] == [want]


@pytest.mark.parametrize(
    ("text", "want"), [("第一个空档先占着", (1, "window")), ("那就第三个空窗", (3, "window"))]
)
def test_a_gap_word_is_a_window_word(text: str, want: tuple[int, str]) -> None:
    assert read(text, "facility")[:1] == [want]


@pytest.mark.parametrize(
    "text",
    [
        "reserve that for six days from Feb 3",
        "grab that starting next Tuesday",
        "a non-exclusive licence of that to a Wuhan battery maker, 4 years",
    ],
)
def test_that_taken_by_a_verb_before_its_terms_points_back(text: str) -> None:
    assert read(text, "facility")[:1] == [(None, "facility")]


@pytest.mark.parametrize("text", ["I think that for now we should wait", "so that from March on we run"])
def test_that_as_a_conjunction_points_at_nothing(text: str) -> None:
    assert read(text, "facility") == []
