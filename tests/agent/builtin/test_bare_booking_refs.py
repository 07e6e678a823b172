"""A bare confirm / release ("确认吧", "make it firm", "release all of them") acts on the hold in focus: an implicit
booking reference, read only after a hold or a list of holds (agent/builtin/memory.py `pointed`)."""

from __future__ import annotations

from datetime import date

import pytest

from agent.builtin.memory import pointed
from agent.builtin.slots import extract_slots


def refs(text: str, listed: str | None = "hold") -> list[tuple[int | None, str | None]]:
    s = extract_slots(text, date(2026, 12, 5))
    return [(r.index, r.kind) for r in pointed(s.references, listed)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "确认吧",
        "好，直接确认吧",
        "行 转正式",
        "没问题，转正式",
        "算了，这个先别占了，释放掉",
        "那帮我确认了吧 领导签字了",
        "Approved internally - please confirm.",
        "prereqs are in. make it firm",
        "release all of them",
        "Confirm all of them pls",
        "有的话确认掉",  # labels after holds: W9, W21, W26 a booking; W7 (no bare booking ever) none
        "在的话就撤了吧",
        "锁好了的话直接转正吧",
        "还是释放吧",
        "用不上了，放了",
        "cancel吧",
    ],
)
def test_bare_confirm_or_release_is_the_hold_in_focus(text: str) -> None:
    assert refs(text) == [(None, "hold")]


@pytest.mark.parametrize(
    "text",
    [
        "碧川那个数字孪生的释放",  # a hold picked by its own words
        "1月那个中砺钠离子线的确认一下",
        "两个都确认",
        "actually cancel that and hold Mar 15-20 instead",  # a new hold
        "原来的放掉，换成二月第一周吧",
        "confirm the one at the towing tank",
        "确认一下我的预约有哪些",
    ],
)
def test_a_verb_with_an_object_is_no_bare_reference(text: str) -> None:
    s = extract_slots(text, date(2026, 12, 5))
    assert not any(r.implicit for r in s.references)


def test_nothing_to_point_at_without_holds() -> None:
    assert refs("确认吧", listed=None) == []
    assert refs("please confirm.", listed="facility") == []


def test_implicit_references_are_not_pointers() -> None:
    s = extract_slots("好的，确认吧", date(2026, 12, 5))
    assert s.references and s.pointers() == []
