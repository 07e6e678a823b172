"""Dates that pick one of the user's bookings rather than ask for a window (no `dates` slot; corpus: none labelled):
"3月15号那个中砺安全实验室的预约算了", "帮我把1月4号那个…的hold确认掉", "2月8号开始的那个…的预约", "瑞岭矿化示范基地2月22号
那段，确认吧", "1月那个中砺钠离子线的确认一下", "the Feb one stays", "the other January one can go", "holds that expire
this week", "release every one that starts before February".

A month that picks a booking ("3月那个预留转正", "release the January one") is still labelled the month by most
writers (10 messages vs 2): it is dropped only for another date in the same message ("把二月份那个占位释放了，改占3月
15号到18号", "cancel all my January holds and find … in February"); a day ("3月15号那个…的预约算了") always is."""

from __future__ import annotations

import re

from agent.builtin.spans import Span

_PICK_AFTER_ZH = re.compile(r"^\s*(?:开始|起)?的?那(?:个|段|几个|条)")
_BOOKING_ACT = re.compile(
    r"预约|预留|hold|确认|释放|取消|算了|转成?正式|放掉|\b(?:confirm|release|cancel|drop)", re.I
)
# "the March hold", "the Jan one"; not "hold" the verb ("in early Jan hold 3 days", "from 8 Feb. hold + confirm").
_PICK_AFTER_EN = re.compile(
    r"^\s+(?:one|ones|hold|holds|booking|bookings)\b(?!\s*(?:\+|&|\d|it\b|for\b|them\b|the\b|a\b))", re.I
)
_EXPIRY_BEFORE = re.compile(r"(?:expir\w*|(?:start|starts|starting)\s+before|过期|到期)\s*(?:in\s+)?$", re.I)
# Bookings after a date ("cancel anything after March", "3月份以后开始的都转正式", "3月之后嘅全部放咗"): which ones.
_ALL_AFTER = re.compile(
    r"\b(?:anything|everything|any|all|ones?)\s+(?:that\s+)?(?:starts?\s+|starting\s+)?after\s+$", re.I
)
_AFTER_ZH = re.compile(r"^\s*(?:份)?(?:以后|之后)(?:开始)?(?:的|嘅)")


def picks_a_booking(text: str, span: Span) -> bool:
    """Whether the date at `span` names one of the user's bookings (or when holds expire), not a window."""
    a, b = span
    after, before = text[b:], text[max(0, a - 20) : a]
    if _PICK_AFTER_ZH.match(after) and _BOOKING_ACT.search(text):
        return True
    if _PICK_AFTER_EN.match(after) and _BOOKING_ACT.search(text):
        return True
    return bool(_EXPIRY_BEFORE.search(before))


def bookings_after(text: str, span: Span) -> bool:
    """Whether the date at `span` says which bookings to act on by starting after it ("cancel anything after
    March", "3月份以后开始的都先转正式"): no window (every such message in the corpus: W14, W16, W20, W34, W35, W44)."""
    a, b = span
    return bool(
        _BOOKING_ACT.search(text)
        and (_ALL_AFTER.search(text[max(0, a - 40) : a]) or _AFTER_ZH.match(text[b:]))
    )
