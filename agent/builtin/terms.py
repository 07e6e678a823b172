"""A deal's term in years ("10年", "5 years", "five-year licence", "6 yrs"); calendar years like 2027年 are none.

Not a term, though written like one (corpus: no term_years labelled):
- a yearly rate: "600k a year", "¥3M a year for 3 years" (the term is 3), "一年处理30万吨", "十万吨一年", "一年不少于80万";
  one year is a term only as one ("期限一年", "a 1-year licence", "for one year");
- a product's life or someone's experience: "rated for 25 years", "25年寿命", "lasts 5 years", "30-year cathodic
  protection", "干了三十年", "thirty years on metro traction";
- the first years of a tiered royalty: "前两年2%，之后4%", "first 2 years";
- a lock-up on shares: "锁定期3年", "a 3-year lock-up for the founders" (4 of 5 messages).
Of two terms, the one a change leads to ("期限从5年改成8年", "三年期的…那改成五年") or the one named as the term
("含3年技术服务，许可期5年") is the deal's.
A threshold a rule asks about ("五年以上的非独占许可…") stays a term: W1, W2, W8 label it, W3 and W11 do not.
"""

from __future__ import annotations

import re

from agent.builtin.numbers import CN_NUM, EN_NUM, parse_int
from agent.builtin.spans import Span

_TERM = [
    re.compile(
        rf"(?<![\d.])(?P<n>\d{{1,2}}|{CN_NUM})\s*(?:个)?\s*年(?!\s*[\d一二三四五六七八九十]+\s*月|级|度|代|前|后|底|初|内|中|终)"
    ),
    re.compile(rf"\b(?P<n>{EN_NUM})[-\s]+(?:years?|yrs?)(?:\b|-)", re.I),
    re.compile(r"\b(?P<n>\d{1,2})\s*(?:years?|yrs?)\b", re.I),
    re.compile(r"\bterm of\s+(?P<n>\d{1,2})\b", re.I),
]
_ONE_YEAR_TERM = re.compile(r"期限|为期|\bterm\b|licen[cs]e|许可|\bfor\s*$", re.I)
_LIFE_AFTER = re.compile(
    r"^\s*(?:的)?(?:使用)?(?:寿命|质保|保质)|^[-\s]+(?:\w+\s+)?(?:life|lifetime|warranty|protection|service)\b"
    r"|^\s+(?:on|in the industry|of experience)\b",
    re.I,
)
_LIFE_BEFORE = re.compile(r"(?:rated for|lasts?|lasting|寿命|了)\s*~?\s*$", re.I)
_FIRST_YEARS = re.compile(r"(?:前|first\s+)$", re.I)
_LOCK_UP = re.compile(r"^[-\s]*(?:lock[-\s]?up|锁定)", re.I)
_LOCK_UP_BEFORE = re.compile(r"(?:锁定期|lock[-\s]?up(?:\s+(?:period\s+)?of)?)\s*(?:为|是|:|：)?\s*$", re.I)
_CHANGED_TO = re.compile(r"(?:改成|改为|换成|调到|调整为|延长到|缩短到|\bto\b|\bmake it\b)\s*$", re.I)
_NAMED_TERM = re.compile(
    r"(?:期限|许可期|有效期|为期|\bterm(?:\s+of)?|licen[cs]e period)\s*(?:为|是|:|：)?\s*$", re.I
)


def _not_a_term(text: str, n: int, span: Span) -> bool:
    a, b = span
    before, after = text[max(0, a - 12) : a], text[b : b + 30]
    if n == 1 and not (_ONE_YEAR_TERM.search(before) or _ONE_YEAR_TERM.search(after[:12])):
        return True
    return bool(
        _LIFE_AFTER.match(after)
        or _LIFE_BEFORE.search(before)
        or _FIRST_YEARS.search(before)
        or _LOCK_UP.match(after)
        or _LOCK_UP_BEFORE.search(before)
    )


def find_term_years(text: str) -> tuple[int, Span] | None:
    """The first term in years written, with its span."""
    found: list[tuple[int, Span]] = []
    for rx in _TERM:
        for m in rx.finditer(text):
            n = parse_int(m["n"])
            if n and 0 < n <= 50 and not _not_a_term(text, n, m.span()):
                found.append((n, m.span()))
    if not found:
        return None
    found.sort(key=lambda f: f[1])
    for rx in (_CHANGED_TO, _NAMED_TERM):
        picked = [f for f in found if rx.search(text, 0, f[1][0])]
        if picked and len(found) > 1:
            return picked[-1] if rx is _CHANGED_TO else picked[0]
    return found[0]


def extract_term_years(text: str) -> int | None:
    """A term in years ("10年", "5 years", "five-year licence"); calendar years like 2027年 are not terms."""
    f = find_term_years(text)
    return f[0] if f else None
