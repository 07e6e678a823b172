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
