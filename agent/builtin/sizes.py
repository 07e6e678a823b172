"""Enterprise size: the 财资〔2016〕4号 caps on SOE incentives, and the size of a company the user is or seeks.

The corpus labels a size wherever the message gives one to an enterprise (majority of the eleven writers; W8
labels only SOE sizes): "large SOE", "大型国企", "中型航运企业", "小型科技型国企", "小微企业", and also
"中小企业" / "中小型的就行" / "SMEs" (small), "big SOEs" / "big ones" / "大企业" / "规模大一点的" (large),
"a small shipyard", "a small private firm", "our SOE is large", "if we're medium-sized". A size of a thing
("a large-scale line", "大型设备", "large-animal studies") is none, and two sizes compared ("大企业和中小企业
一样吗") are no one size.
"""

from __future__ import annotations

import re
from typing import Literal

from agent.builtin.spans import Span

EnterpriseSize = Literal["large", "medium", "small", "micro"]

_EN_SIZE: list[tuple[EnterpriseSize, str]] = [
    ("large", r"large|big(?:ger)?"),
    ("medium", r"medium|mid"),
    ("micro", r"micro"),
    # "small-medium", "small to medium": small, like 中小企业
    ("small", r"small(?:er)?(?:\s+(?:and|or|&)\s+micro|[-\s]+(?:to[-\s]+)?medium)?"),
]
# The enterprise the size is given to, after at most two words ("large central SOE", "small private firm",
# "big ones" — plural: "a large one" can be a facility).
_EN_NOUN = (
    r"soes?|state[-\s]owned|enterprises?|compan(?:y|ies)|firms?|ones|businesses|shipyards?|makers?|"
    r"manufacturers?|players?|subsidiar(?:y|ies)|subs|factor(?:y|ies)|groups?|"
    # a trade's enterprise ("a mid-size recycler", "a big refinery", "a mid-sized metro operator")
    r"operators?|recyclers?|refiner(?:y|ies)|producers?|suppliers?|chains?|mills?|workshops?|"
    # short and trade words for a company ("medical device cos", "mid-size biotechs", "design houses")
    r"cos|biotechs?|integrators?|houses|pharma|moulders?"
)


def _en_patterns(word: str) -> list[re.Pattern[str]]:
    size = rf"(?P<s>{word})(?:[-\s]size[ds]?)?"
    return [
        re.compile(rf"\b{size}(?:[\s-]+(?!and\b|or\b)[a-z][\w-]*){{0,2}}?[\s-]+(?:{_EN_NOUN})\b", re.I),
        # "our SOE is large", "we're a medium-sized …", "if we're small".
        re.compile(
            r"\b(?:we(?:'re|\s+are)|our\s+(?:[\w-]+\s+)?(?:is|are)|(?:company|enterprise|soe|firm)\s+is)"
            rf"\s+{size}\b(?![-\s]+(?:scale|animal))",
            re.I,
        ),
    ]


def _after_noun(word: str) -> re.Pattern[str]:
    """The size set off after the enterprises in the same clause: "auto interior moulders, medium size", "among
    SOEs, large only", "our local firms are small", "my firm (small, private)"."""
    return re.compile(
        rf"\b(?:{_EN_NOUN})\b[^.?!;\n]{{0,60}}?(?:,|\(|\b(?:are|is)\b)\s*(?P<s>{word})(?:[-\s]size[ds]?)?"
        r"(?=\s*(?:$|[,.;:!?)]|only\b|ones?\b|is\s+fine\b))",
        re.I,
    )


_EN_RX: list[tuple[EnterpriseSize, list[re.Pattern[str]]]] = [
    *[(s, [*_en_patterns(w), _after_noun(w)]) for s, w in _EN_SIZE],
    ("small", [re.compile(r"\bSMEs?\b")]),  # small and medium-sized enterprises, like 中小企业
]

# 大 / 小 alone only right before the enterprise ("大企业", "小厂", "大央企"); 大型 / 中型 / 小型 also a few
# words before it ("中型航运企业", "大型国有科技型企业", "小型科技型国企"); 中小 / 小微 stand alone.
# A trade before the noun ("小钢厂", "小化工厂", "中型钢企") is part of it; 作坊 is a workshop business.
_ZH_NOUN = r"[\u4e00-\u9fff]{0,2}?(?:厂(?![房区商])|企(?!业))|企业|国企|央企|民企|公司|集团|单位|作坊"
_ZH_ATTR = re.compile(
    rf"(?P<s>中小型?|小微型?)(?![学试])|(?P<t>大型|中型|小型)(?:[^\s，。,.;；、！？!?和与或及]{{0,6}}?)(?:{_ZH_NOUN})"
    rf"|(?<![扩放加增壮强伟巨最较重])(?P<b>大|小)(?:{_ZH_NOUN})|规模(?:比较|较)?(?P<l>大)(?:一点|一些|些)?的?"
)
_ZH_KIND: dict[str, EnterpriseSize] = {
    "中小": "small",
    "中小型": "small",
    "小微": "small",
    "小微型": "small",
    "大型": "large",
    "中型": "medium",
    "小型": "small",
    "大": "large",
    "小": "small",
}


def _en(text: str) -> list[tuple[EnterpriseSize, Span]]:
    out: list[tuple[EnterpriseSize, Span]] = []
    for size, rxs in _EN_RX:
        for rx in rxs:
            out += [(size, m.span()) for m in rx.finditer(text)]
    return out


def _zh(text: str) -> list[tuple[EnterpriseSize, Span]]:
    out: list[tuple[EnterpriseSize, Span]] = []
    for m in _ZH_ATTR.finditer(text):
        word = m["s"] or m["t"] or m["b"]
        out.append(("large" if m["l"] else _ZH_KIND[word], m.span()))
    return out


def find_enterprise_size(text: str) -> tuple[EnterpriseSize, Span] | None:
    """The size given to an enterprise, the first one written; None when two different sizes are compared."""
    found = sorted(_en(text) + _zh(text), key=lambda f: f[1])
    sizes = {"small" if s == "micro" else s for s, _ in found}
    if not found or len(sizes) > 1:
        return None
    return found[0]
