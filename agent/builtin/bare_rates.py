"""A royalty rate written as a bare figure after its word: "raise royalty to 6", "drop the royalty to 1.5",
"提成降到3".

Writers who vary a draft this way (W3, W5, W7: 3 of 3 messages in the training pool) label the figure a
royalty in percent; a figure with a money scale or a unit after it ("royalty of 500k", "royalty to 2 years")
is not a rate.
"""

from __future__ import annotations

import re

from agent.builtin.spans import Span

# The word, an optional verb or preposition, then the figure; nothing that makes it money, a count or a time.
_BARE_ROYALTY = re.compile(
    r"(?:\broyalt(?:y|ies)(?:\s+rate)?\s+(?:to|at|of|=|:)|提成(?:率|比例)?(?:降到|降至|提到|提高到|调到|调整为|改成|改为|定为))"
    r"\s*(?P<n>\d{1,2}(?:\.\d+)?)"
    r"(?![\d.]|\s*(?:%|％|per\s*cent|percent|pct|个点|[kKmM]\b|mn\b|million|billion|万|亿|千|元|块|yrs?\b|years?\b|年|x\b|times\b))",
    re.I,
)
# A royalty rate above this is no rate people quote; the figure is something else.
_MAX_RATE = 20.0


def find_bare_royalties(text: str) -> list[tuple[float, Span]]:
    """Bare royalty rates in percent, with the span of the figure."""
    out: list[tuple[float, Span]] = []
    for m in _BARE_ROYALTY.finditer(text):
        v = float(m["n"])
        if 0 < v <= _MAX_RATE:
            out.append((v, m.span("n")))
    return out
