"""A lookup needs something to look up: a record named, pointed at, or described."""

from __future__ import annotations

import pytest

from agent.builtin.describe import names_a_thing
from agent.builtin.planner import understand
from agent.planner import Message, PlannerInput


@pytest.mark.parametrize("text", ["说点什么", "详细介绍一下", "这个怎么样"])
def test_a_lookup_that_describes_nothing_is_not_a_search(text: str) -> None:
    # Nothing named, pointed at or described (no noun, no Latin term): a search for these words would list
    # arbitrary records; the help answer shows what can be asked.
    u = understand(PlannerInput(messages=[Message(role="user", text=text)], today="2026-12-05"))
    assert [i.name for i in u.intents if i.name not in ("help", "thanks")] == []


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
