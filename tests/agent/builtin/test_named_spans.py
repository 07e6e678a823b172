"""Only links that name their record in words take their words out of the filters."""

from __future__ import annotations

from datetime import date

from agent.builtin.named_spans import name_spans, org_name_spans
from agent.builtin.slots import extract_slots, without_names
from agent.understanding.linking import Link

TEXT = "Need partners for the 320 L Type IV cylinder (tube trailers). Investors or SOEs in hydrogen."


def _link(mention: str, how: str, certain: bool = True) -> Link:
    a = TEXT.index(mention)
    return Link("achievement", "ACH-0363", (a, a + len(mention)), mention, 0.6, certain, how)


def test_a_description_search_span_keeps_its_filters() -> None:
    links = [_link("320 L Type IV cylinder (tube trailers). Investors or SOEs in hydrogen", "search")]
    assert name_spans(links) == []
    s = without_names(extract_slots(TEXT, date(2026, 12, 5)), TEXT, name_spans(links))
    assert s.org_kinds == ["investor", "soe"]


def test_names_and_brands_are_spans_ids_and_uncertain_links_are_not() -> None:
    name = _link("Type IV cylinder", "name")
    assert name_spans([name, _link("SOEs", "brand"), _link("Investors", "owner", certain=False)]) == [
        name.span,
        _link("SOEs", "brand").span,
    ]
    assert name_spans([_link("320 L", "id")]) == []


def test_an_owner_link_on_a_field_word_leaves_the_field_a_filter() -> None:
    text = "澄湖理工大学的储能成果，TRL 6以上"
    a = text.index("储能")
    link = Link("achievement", "ACH-0006", (a, a + 2), "储能", 0.23, True, "owner")
    assert name_spans([link]) == []
    s = without_names(extract_slots(text, date(2026, 12, 5)), text, name_spans([link]))
    assert s.domains == ["grid_storage"]
    lab = "Confirm my booking at the Qilan AI lab"
    b = lab.index("AI lab")
    facility = Link("facility", "FAC-0032", (b, b + 6), "AI lab", 1.0, True, "owner")
    assert name_spans([facility]) == [facility.span]


def _read(text: str, kind: str, mention: str) -> list[str]:
    a = text.index(mention)
    links = [Link(kind, "X-0001", (a, a + len(mention)), mention, 1.0, True, "name")]  # type: ignore[arg-type]
    s = without_names(extract_slots(text, date(2026, 12, 5)), text, name_spans(links), org_name_spans(links))
    return s.regions


def test_a_region_tied_to_a_linked_organisation_says_where_it_is() -> None:
    assert _read("湖南青禾材料研究院有哪些成果？", "organisation", "青禾材料研究院") == []
    assert _read("是福建的Lanxi研究院的吧，要价多少", "organisation", "Lanxi研究院") == []
    assert _read("what does Lanxi Tech in Hunan need these days?", "organisation", "Lanxi Tech") == []
    # another region, and a region by a facility's name, are still filters
    assert _read("青禾材料研究院有哪些成果？只看湖南的", "organisation", "青禾材料研究院") == ["Hunan"]
    assert _read("any hydrogen test bench in Guangdong?", "facility", "hydrogen test bench") == ["Guangdong"]
