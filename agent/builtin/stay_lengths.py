"""Lengths that are not how long a stay lasts, though written like one (`dates.find_durations` skips them).

The corpus labels `duration_days` only for the stay asked for (all eleven writers). A length is something else when
it is
- the unit of a day rate: "一天多少钱", "多少钱一天", "一天5000块", "what does it cost a day";
- a notice period or a warning's lead: "cancel a confirmed booking 10 days before the start", "10 days out",
  "提前10天取消", "离开始还有十天", "starts in 10 days", "a 14-day lead time", "提前两周预警",
  "14-day bearing fault warning";
- the life of a hold: "7天自动过期", "the 7-day hold expiry", "beyond 7 days", "hold快到7天了";
- a shift of the dates asked before: "往后推一周", "推迟两天", "push it back a week" (a new window, not a length);
- the length of a booking already made: "hold的那十天", "两天预约确认一下";
- a period of funding or a product's life: "RMB 6M over 18 months", "lasts ~60 months", "有效期90天";
- a length compared with something or a shift written after it: "if it's under a month", "a week later".
"""

from __future__ import annotations

import re

from agent.builtin.spans import Span

_MONEY = r"多少钱|几钱|钱|元|块|蚊|万|费|价|cost|price|rate|charge|fee|RMB|¥|￥|\d\s*[kK]\b"
_RATE_BEFORE = re.compile(rf"(?:{_MONEY})\s*$", re.I)
_RATE_AFTER = re.compile(rf"^\s*(?:\d|[一二两三四五六七八九十]+\s*[万千百]|(?:{_MONEY}))", re.I)
_ONE_DAY = re.compile(r"^(?:一天|1天|一日|1日|每天|每日|a day|per day|one day)$", re.I)

_NOTICE_BEFORE = re.compile(
    r"(?:提前(?:至少|最少|不到)?|离开始(?:还有|只剩)?(?:不到)?|只剩(?:不到)?|starts? in|start in|"
    r"(?:cancel|pull out)\w*\s+(?:\w+\s+){0,4}?)\s*$",
    re.I,
)
_NOTICE_AFTER = re.compile(
    r"^\s*(?:before|out\b|prior|ahead|in advance|lead time|(?:[\w-]+\s+){0,3}(?:warning|alert))"
    r"|^[^，。,.?？!！]{0,6}(?:预警|报警|前取消|取消)",
    re.I,
)
_NOTICE_OF = re.compile(r"cancel|取消|违约|fee|charge|lead|预警|报警|warn|alert|预测|开始|start", re.I)
_EXPIRY_BEFORE = re.compile(r"(?:快到|beyond|超过|过了)\s*$", re.I)
_EXPIRY_AFTER = re.compile(r"^[^，。,.?？!！]{0,6}(?:过期|到期|失效|expir)|^\s*(?:-day\s+)?hold expiry", re.I)
_SHIFT_BEFORE = re.compile(
    r"(?:往后|往前|向后|顺延|推迟|延后|延期|推|提前|postpone\w*|push(?:ed)?\s+(?:it\s+)?(?:back|out)|move\s+it\s+(?:back|on)|"
    r"delay\w*)\s*(?:by\s+)?(?:a\s+)?$",
    re.I,
)
_BOOKED = re.compile(r"^\s*(?:的)?\s*(?:预约|预留|hold|booking)", re.I)
_BOOKED_BEFORE = re.compile(r"的那\s*$")
# A length compared with something ("if it's under 3 weeks, hold Jan 4 to Jan 10", "if the lead time is over a
# month"), or a shift written after it ("move my hold a week later"): not the stay.
_COMPARED_BEFORE = re.compile(
    r"\b(?:it'?s|is|are)\s+(?:under|over|less\s+than|more\s+than|below|above)\s*$", re.I
)
_SHIFT_AFTER = re.compile(r"^\s*(?:later|earlier)\b", re.I)
_PERIOD_BEFORE = re.compile(r"(?:\bover|\blasts?|\blasting|有效期|寿命|质保)\s*[~约]?\s*$", re.I)


def not_a_stay(text: str, span: Span) -> bool:
    """Whether the length written at `span` is not the length of the stay the user asks for."""
    a, b = span
    word = text[a:b].strip()
    before, after = text[max(0, a - 30) : a], text[b : b + 30]
    if _ONE_DAY.match(word) and (_RATE_BEFORE.search(before[-6:]) or _RATE_AFTER.match(after)):
        return True
    if (_NOTICE_BEFORE.search(before) or _NOTICE_AFTER.match(after)) and _NOTICE_OF.search(text):
        return True  # a notice or a warning: only with what it is notice for
    if _EXPIRY_BEFORE.search(before) or _EXPIRY_AFTER.match(after):
        return True
    if _SHIFT_BEFORE.search(before):
        return True
    if _BOOKED_BEFORE.search(before) or (
        _BOOKED.match(after) and re.search(r"确认|confirm|释放|release", text, re.I)
    ):
        return True
    if _COMPARED_BEFORE.search(before) or _SHIFT_AFTER.match(after):
        return True
    return bool(_PERIOD_BEFORE.search(before))
