"""bench.slots reads a follow-up as the planner does: the previous turn's records named in words count."""

from __future__ import annotations

from datetime import date

from agent.builtin.slots import extract_slots
from agent.understanding.corpus import CorpusItem
from agent.understanding.linking import Link
from bench.slots import in_context

TODAY = date(2026, 12, 5)
BEFORE = "Tell me about the Zhongchi smart factory demo line"


def _links(text: str) -> list[Link]:
    if text != BEFORE:
        return []
    a = text.index("Zhongchi")
    return [Link("facility", "FAC-0009", (a, len(text)), text[a:], 1.0, True, "name")]


def _item(text: str) -> CorpusItem:
    return CorpusItem.model_validate(
        {
            "id": "T-0001",
            "lang": "en",
            "text": text,
            "context": [{"user": BEFORE, "intents": ["get_record"]}],
            "intents": ["check_availability"],
        }
    )


def test_a_named_record_before_is_what_it_points_at() -> None:
    it = _item("is it open in February for 13 days?")
    got = in_context(it, extract_slots(it.text, TODAY), _links)
    assert [(r.index, r.kind) for r in got.references] == [(None, "facility")]


def test_without_links_a_named_record_before_leaves_no_list() -> None:
    it = _item("is it open in February for 13 days?")
    assert in_context(it, extract_slots(it.text, TODAY)).references == []
