"""A lookup needs something to look up: a record named, pointed at, or described."""

from __future__ import annotations

import pytest

from agent.builtin.describe import names_a_thing
from agent.builtin.planner import understand
from agent.planner import Message, PlannerInput


def _jobs(text: str) -> list[str]:
    u = understand(PlannerInput(messages=[Message(role="user", text=text)], today="2026-12-05"))
    return [i.name for i in u.intents if i.name not in ("help", "thanks")]


@pytest.mark.parametrize("text", ["说点什么", "这个怎么样"])
def test_a_lookup_that_describes_nothing_is_not_a_search(text: str) -> None:
    # Nothing named, pointed at or described (no noun, no Latin term), and no lookup words: a search for these
    # words would list arbitrary records; the help answer shows what can be asked.
    assert _jobs(text) == []


@pytest.mark.parametrize("text", ["详细介绍一下", "tell me more"])
def test_lookup_words_without_a_record_stay_a_lookup(text: str) -> None:
    # The user asked for a lookup in so many words: the planner asks which record.
    assert _jobs(text) == ["get_record"]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("说点什么", False),
        ("那个做胆道支架的", True),
        ("LNP那个", True),
        ("那个406MW的", True),
        ("tell me about the DR8 one", True),
    ],
)
def test_what_a_lookup_could_find(text: str, want: bool) -> None:
    assert names_a_thing(text) is want
