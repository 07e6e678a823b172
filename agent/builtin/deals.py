"""The deal structure a message asks for: exclusive / non-exclusive licence, assignment, equity, joint development.

The corpus labels a deal type when the message sets one up or asks about that deal ("draft an exclusive
licence", "if we assign a patent for 10M…", "can any of those go in as equity?"). Not when deal words only
name a kind of income ("技术转让所得", "成果转让收入"), compare structures ("独占许可和排他许可有啥区别",
"买断还是许可", "转让或者合作开发都行") or say what a sought partner would do ("find co-developers",
"合作开发方") — unless the message drafts something. A change ("独家改成普通许可") takes the new type.
"""

from __future__ import annotations

import itertools
import re
from typing import Literal

from agent.builtin.spans import Span

DealType = Literal[
    "exclusive_license", "nonexclusive_license", "assignment", "equity_investment", "joint_development"
]
# A sole licence (排他许可: the licensor keeps its own use) is a structure of its own that the corpus has no label
# for: asked for, it sets no deal type; named beside an exclusive licence, it is a comparison.
DealWord = DealType | Literal["sole_license"]

_PATTERNS: list[tuple[DealWord, str]] = [
    (
        "nonexclusive_license",
        r"non[-\s]?excl(?:usive(?:ly)?|\.|\b)|普通许可|一般许可|非独占|非独家|非排他|普通实施许可|(?<=改)普通|(?<=改成)普通",
    ),
    # "excl licence", "excl. 5yr": the abbreviation
    (
        "exclusive_license",
        r"(?<!non-)(?<!non )(?<!non)exclusive|(?<!non-)(?<!non )(?<!non)\bexcl\b\.?|独占|独家",
    ),
    ("sole_license", r"排他(?:许可|实施)?|\bsole['’\"]?\s+licen[cs]\w*|['‘’\"“(（]sole['’\"”)）]"),
    (
        "equity_investment",
        r"作价入股|作价投资|作价出资|评估作价|技术入股|以技术入股|入股|出资设立|设立合资|股权投资(?!基金)|以该成果作价|作价\S{0,6}成立"
        r"|equity investment|equity stake|in exchange for (?:shares|equity)"
        r"|contribute[sd]? .* as (?:equity|capital)|capital contribution|in-kind contribution|equity (?:deal|version|investor)"
        r"|(?:as|for|do|take|takes|taking|to|it|is|it's)\s+equity\b(?!\s+(?:incentives?|sales|awards|options)|-only)"
        r"|\bequity\s+(?:instead|term sheet|draft|route)\b|\binto an? (?:JV|joint venture|new ?co|spin[-\s]?(?:off|out))|\bNewCo\b"
        r"|invest(?:s|ed|ing)?\s+(?:(?:the|this|that|our|my|an?)\s+)?(?:patent|technology|achievement|result|ip|(?:ACH|ach)-\w+)"
        r"|invest(?:s|ed|ing)?\s+(?:[\w-]+\s+){0,3}?in(?:to)?\s+(?:a\s+|an\s+|the\s+)?(?:new\s+)?(?:company|venture|firm|enterprise|spin[-\s]?off|start[-\s]?up|joint venture)"
        r"|(?:appraised|assessed|agreed)\s+(?:value|valuation)"
        # a stake in a spin-off, the IP contributed at a value ("15% of a spin-out", "tech contributed at RMB 28M")
        r"|(?:stake|%)\s+(?:in|of)\s+(?:a|the)\s+(?:new\s+)?spin[-\s]?(?:off|out)\b"
        r"|contribut(?:es|ed|ing)\s+(?:the\s+)?(?:ip|tech(?:nology)?|patents?)\s+at\b|\b(?:tech|technology|ip)\s+contributed\s+at\b"
        # a joint venture set up with the result ("拿ACH-0326去和溯川合资"), the equity drafted ("draft equity:",
        # "the equity structure")
        r"|去?和[^，。？?]{1,15}合资|\bdraft\s+(?:the\s+|an?\s+)?equity\b(?![-\s]+(?:incentive|award))|\bequity structure\b",
    ),
    (
        "joint_development",
        r"合作开发|联合开发|共同开发|联合研发|合作研发|joint(?:ly)?[-\s]develop|co[-\s]?develop|co[-\s]?dev\b|joint r&d"
        r"|collaborative development|cooperative development|\bJDA\b|\bJD (?:agreement|terms|deal)|\bjoint dev\b"
        # a technology development contract, commissioned or joint ("技术开发合同", "技术开发合作", "委托…开发"), and
        # the bare abbreviation ("draft JD for …", "a 3-party JD")
        r"|技术开发(?:合同|合作|协议)(?!\s*(?:和|与|跟|、|还是)\s*技术)|委托[^，。,；;]{0,12}开发|(?-i:\bJD\b)",
    ),
    (
        "assignment",
        # the assignee's side too ("我们公司受让…", "整体受让"; not 受让方/受让权, the party or a right of first refusal),
        # and a sale ("draft a sale of ACH-0310", "if we sell ACH-0403 for 1.57M", "我们向问渠买ACH-0054")
        r"受让(?![方权人])|\b(?:a|the)\s+sale\s+of\b|\bsell(?:s|ing)?\s+(?:ACH-\w+|it|them)\b(?!\s+to\s*(?:[?？]|who|whom|$))"
        r"|向[^，。？?]{1,12}?买(?!家|方)|"
        r"(?<!许可)转让(?!所得|收入|的收入|股权)|出让(?!\s*(?:\d|[百一二三四五六七八九十两]+(?:%|成|个点)|股))|买断|卖给(?!谁|哪|他们)|卖断"
        r"|assignment|assign(?:s|ed|ing)? (?:the|a|our|its|this|that) (?:patent|technology|ip|result)|assign(?:ing)? the"
        r"|assign(?:s|ed|ing)?\s+(?:ACH-\w+|our\b[^.,;?!]{0,60}?\bto\b)"
        r"|(?:be|get|is|are) assigned\b|outright|sell(?:ing)? the (?:patent|technology|ip)|transfer of ownership",
    ),
]
_COMPILED = [(deal, re.compile(pat, re.I)) for deal, pat in _PATTERNS]
LICENCE_RX = re.compile(r"licen[cs]|许可", re.I)
# Setting a deal up (drafting it, or stating its IP terms): the deal words are its terms whatever else the
# message says.
_DRAFT = re.compile(
    r"draft|term sheet|put together|sketch|prepare|template|agreement|起草|草拟|草案|草稿|条款|协议(?!定价)|拟个|拟一|出个|出一[份版]"
    r"|写个|写一份|框架|方案|IP split|foreground IP|知识产权[^，。；]{0,6}(?:占|开|归)",
    re.I,
)
_COMPARE = re.compile(
    r"区别|不同|difference|different|compare|\bvs\.?\b|还是|哪种|分别|which is better", re.I
)
# What a sought partner would do: "co-developers", "who could co-develop", "合作开发方", "找…一起合作开发".
_PARTNER_ROLE = re.compile(
    r"co[-\s]?develop(?:ers?|ment partners?|ing)?\b(?!\s+(?:agreement|deal|terms))"
    r"|合作开发(?:方|伙伴)|合作开发的[^，。？！,?!]{0,4}?(?:伙伴|企业|单位|高校|院所|公司|药企|厂)"
    r"|找[^，。？！,?!]{0,20}?合作开发",
    re.I,
)
# Whether a record can be had that way, or its price with no figure ("能转让吗", "能不能直接转让", "还能买断吗",
# "转让价", "转让价格多少", "is it assignment only?"): a question about the record, no deal set up (W8, W10, W12,
# W13, W17, W18, W19).
_ASKED = [
    (re.compile(r"(?:能|能不能|可以|可不可以)(?:直接)?$"), re.compile(r"(?:许可)?(?:吗|么|不)")),
    (re.compile(r"(?:能不能|可不可以)(?:直接)?$"), re.compile(r"(?:许可)?\s*(?:$|[？?，,。])")),
    (re.compile(r"\bis it\s+$", re.I), re.compile(r"\s+only\b", re.I)),
    (re.compile(r""), re.compile(r"价格?(?![\d一二三四五六七八九十两])|要?多少钱")),
]
_DEAL_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|万|亿|[mk]\b|million)|[一二两三四五六七八九]成", re.I)
_NEGATED = re.compile(r"(?:不|不是|没有|\bnot\s+(?:an?\s+)?|\brather than\s+(?:an?\s+)?)$", re.I)
_CHANGE = re.compile(
    r"改成|改为|换成|换为|改|\bswitch(?:ed)? to\b|\bchange(?:d)?\b[^.?!]{0,20}\bto\b|→|->", re.I
)


def find_deal_mentions(text: str) -> list[tuple[DealWord, Span]]:
    """Every deal word in order (the earliest pattern wins where two overlap)."""
    found: list[tuple[DealWord, Span]] = []
    for deal, rx in _COMPILED:
        for m in rx.finditer(text):
            if _NEGATED.search(text[: m.start()]):
                continue  # "假如不卖断，而是…独占许可", "rather than an assignment"
            if not any(m.start() < b and a < m.end() for _, (a, b) in found):
                found.append((deal, m.span()))
    return sorted(found, key=lambda f: f[1])


def find_deal_type(text: str) -> tuple[DealType, Span] | None:
    """The deal type the message asks for (see the module doc), with the span it was read from."""
    found = _find_deal_word(text)
    if found is None:
        return None
    deal, span = found
    if deal == "sole_license":
        return None  # "改成排他许可行不行", "what if they want it as a sole license?": no labelled type
    return deal, span


def _find_deal_word(text: str) -> tuple[DealWord, Span] | None:
    mentions = find_deal_mentions(text)
    # 受让 is taking a result over, by whatever structure: beside a structure named, it is that one's
    # ("拟受让…对方提出独占许可").
    if any(not text.startswith("受让", a) for _, (a, _b) in mentions):
        mentions = [m for m in mentions if not text.startswith("受让", m[1][0])]
    if not mentions:
        return None
    for prev, cur in itertools.pairwise(mentions):
        if prev[0] != cur[0] and _CHANGE.search(text[prev[1][1] : cur[1][0]]):
            return cur  # "独家改成普通许可", "switch the exclusive to non-exclusive"
    named: set[str] = {d for d, _ in mentions}
    if not named & set(_LICENCES) and any(
        _bare_licence(text, m.span(), mentions) for m in LICENCE_RX.finditer(text)
    ):
        named.add("licence")  # "Licence or assignment - which is better? … draft both"
    if len(named) > 1:
        chosen = [m for m in mentions if _chosen(text, m[1])]
        if chosen:
            return chosen[-1]  # "… but the owner only does joint development. So draft JD terms instead"
        if _DRAFT.search(text) and _SCENARIOS.search(text):
            return None  # "three scenarios: A) assignment … B) exclusive licence …", "帮我把两份条款都起个草"
    if _DRAFT.search(text):
        # A sole licence explained beside the deal drafted ("先说下排他许可是啥，然后起草一个独占许可") is not it.
        return next((m for m in mentions if m[0] != "sole_license"), mentions[0])
    if not _DEAL_FIGURE.search(text):  # "能不能作价入股？作价2000万，团队要七成" states its terms
        mentions = [m for m in mentions if not _asked_of_record(text, m[1])]
    if not mentions:
        return None
    kinds: set[str] = {d for d, _ in mentions}
    bare_licence = any(_bare_licence(text, m.span(), mentions) for m in LICENCE_RX.finditer(text))
    if not kinds & set(_LICENCES) and bare_licence:
        kinds.add("licence")
    if len(kinds) > 1 or (_COMPARE.search(text) and len(mentions) > 1):
        return None  # structures compared or offered as alternatives
    if kinds == {"joint_development"} and _PARTNER_ROLE.search(text):
        return None  # what the partner sought would do
    return mentions[0]


_LICENCES = ("exclusive_license", "nonexclusive_license", "sole_license")
# Several structures drafted side by side: no one deal type.
_SCENARIOS = re.compile(
    r"\bdraft (?:them )?both\b|\bboth (?:versions|drafts|options|structures|deals|scenarios)\b|\ball three\b"
    r"|\bscenarios?\b|\b(?:option|scenario|plan)\s+[AB12]\b|(?-i:(?:^|[\s(（:：;；])[AB][)）]\s)"
    r"|方案\s*[AB一二12]|两份|两种方案|两个方案|两套方案|一家[^。]{0,30}另一家",
    re.I,
)
# The structure chosen among those named: preferred ("我们更想要作价入股", "we'd prefer an assignment") or taken
# instead ("so draft JD terms instead").
_PREFERRED_BEFORE = re.compile(
    r"(?:更想要|更想|更倾向(?:于)?|更希望|倾向于|\bprefer(?:s|red)?\s+(?:an?\s+|the\s+)?|\bwould rather (?:do |go |have )?(?:an?\s+)?)$",
    re.I,
)
_INSTEAD_AFTER = re.compile(r"[^.,;?!，。；？！]{0,15}?\binstead\b", re.I)


def _chosen(text: str, span: Span) -> bool:
    return bool(_PREFERRED_BEFORE.search(text, 0, span[0]) or _INSTEAD_AFTER.match(text, span[1]))


def _asked_of_record(text: str, span: Span) -> bool:
    """A deal word asking whether a record can be had that way, or at what price (see `_ASKED`)."""
    a, b = span
    return any(before.search(text[:a]) and after.match(text, b) for before, after in _ASKED)


def _bare_licence(text: str, span: Span, mentions: list[tuple[DealWord, Span]]) -> bool:
    """A licence word that is not part of an (non-)exclusive licence named next to it ("non-exclusive licence",
    "独占许可", "license it non-exclusively")."""
    for deal, (a, b) in mentions:
        if a < span[1] and span[0] < b:
            return False
        gap = text[b : span[0]] if b <= span[0] else text[span[1] : a]
        if deal in _LICENCES and len(gap) <= 25 and not re.search(r"[，。；？！,.;?!]", gap):
            return False
    return True


def find_licence(text: str) -> Span | None:
    """A licence named with no exclusivity and no other deal structure ("draft a licence", "who might license
    it", "许可费"): no deal type is stated (the corpus labels none); a term sheet drafted on it assumes an
    ordinary (non-exclusive) licence."""
    if any(d != "sole_license" for d, _ in find_deal_mentions(text)):
        return None  # a sole licence is a licence all the same
    m = LICENCE_RX.search(text)
    return m.span() if m else None


def extract_deal_type(text: str) -> DealType | None:
    """Deal type: 独占许可/exclusive licence, 普通许可/non-exclusive, 转让/assignment, 作价入股/equity, 合作开发."""
    f = find_deal_type(text)
    return f[0] if f else None
