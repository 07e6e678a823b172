"""Only links that name their record in words take their words out of the filters."""

from __future__ import annotations

from datetime import date

from agent.builtin.named_spans import name_spans
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
