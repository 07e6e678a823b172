"""Slot extraction from one user message, Chinese and English: pure functions over text.

Each `find_*` returns what it found with character spans; `extract_slots` runs them in a fixed
order and masks what an earlier extractor consumed, so "未来三个月" is a date range and not a
90-day duration, and "2027年" is a year and not a 2027-year licence term.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from agent.builtin.bare_rates import find_bare_royalties
from agent.builtin.booked import bookings_after, picks_a_booking
from agent.builtin.dates import (
    DateRange,
    ReversedRange,
    asked_window,
    extract_date_range,
    extract_duration_days,
    find_date_ranges,
    find_durations,
    find_reversed_ranges,
)
from agent.builtin.deals import DealType, extract_deal_type, find_deal_mentions, find_deal_type, find_licence
from agent.builtin.month_parts import whole_month
from agent.builtin.numbers import AR_NUM, CN_NUM, EN_ORDINALS, parse_int, parse_number
from agent.builtin.places import CHATTER as _CHATTER
from agent.builtin.places import find_region_hints, find_regions
from agent.builtin.shifts import Shift, find_shift
from agent.builtin.sizes import EnterpriseSize, find_enterprise_size
from agent.builtin.spans import Span
from agent.builtin.terms import extract_term_years, find_term_years
from knowledge.domains import field_names

__all__ = [
    "DateRange",
    "Reference",
    "Slots",
    "extract_date_range",
    "extract_deal_type",
    "extract_domain_hints",
    "extract_domains",
    "extract_duration_days",
    "extract_money",
    "extract_org_kinds",
    "extract_percentages",
    "extract_record_ids",
    "extract_reference",
    "extract_regions",
    "extract_slots",
    "extract_term_years",
    "extract_trl",
    "find_enterprise_size",
    "find_unit_rule",
    "with_deal_roles",
]


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def mask(text: str, spans: list[Span], fill: str = " ") -> str:
    """`text` with `spans` blanked out (same length, so offsets stay valid)."""
    chars = list(text)
    for a, b in spans:
        # Spans carried over from an earlier message may reach past a shorter one.
        for i in range(max(a, 0), min(b, len(chars))):
            chars[i] = fill
    return "".join(chars)


# --- money ------------------------------------------------------------------------------------


class Money(BaseModel):
    model_config = ConfigDict(frozen=True)

    cny: float
    span: Span
    text: str


_SCALE_ZH = {
    "千": 1e3,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "十亿": 1e9,
    "万亿": 1e12,
}
_SCALE_EN = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "mm": 1e6,
    "million": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
}
_CUR = r"(?:RMB|CNY|rmb|cny|¥|￥|yuan)"
# Things counted in 万 that are not money.
_NOT_MONEY_AFTER = (
    r"(?!\s*(?!一次)[一二两三四五六七八九]?\s*(?:吨|小时|台|次|件|平方|平米|亩|人|户|套|公里|千米|米|片|颗|辆|个|kg|t\b|吨|"
    r"份|根|参数|方|卡|部|伏|瓦|公斤|升|条|株|头|只))"
)

_MONEY_ZH = re.compile(
    rf"(?P<n>{AR_NUM}|{CN_NUM})\s*(?P<s>万亿|十亿|千万|百万|十万|亿|万|千)?\s*(?P<c>元|块|人民币|元人民币|块钱)?"
)
_MONEY_EN_PRE = re.compile(
    rf"{_CUR}\s*(?P<n>{AR_NUM})\s*(?P<s>million|billion|thousand|mn|mm|bn|m|b|k)?\b", re.I
)
_MONEY_EN_POST = re.compile(
    rf"(?<![\w.])(?P<n>{AR_NUM})\s*(?P<s>million|billion|thousand|mn|bn|m|k)?\s*(?P<c>{_CUR}|元)", re.I
)
_MONEY_EN_BARE = re.compile(r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?P<s>million|billion)\b", re.I)
# "1M upfront", "20M+ tickets", "cheques of 300k": a figure with an M / k of its own is money in this domain
# (the only other M-figures users type are units like MW / Mbps, which the word boundary keeps out).
# A count in thousands ("200k households", "100k m3/day", "20k h", "60k hydraulic columns", "48K large-tow carbon
# fibre") is none; "20M-200M" and "20M-ish" are.
_COUNTED = (
    r"(?!(?i:\s*(?:n?m3|h\b|hrs?\b|hours?|households|homes|users|units|pcs|pieces|columns|tons?\b|tonnes|t\b|"
    r"cycles|cards|gpus|cameras|wafers|cells|vehicles|cars|ships|large-tow|tow\b|carbon|filaments?|"
    r"parameters|params|rpm|km\b|kw|kwh|mw|[a-z]+\s+(?:columns|households|units|pieces|carriers|cars|ships))))"
)
_MONEY_EN_SHORT = re.compile(
    rf"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?(?P<s>M|K|k|mn|bn)\b(?![-/](?!ish\b|yr\b|year\b)[A-Za-z]){_COUNTED}"
)
# The low end of a range of amounts ("10-20M", "300k-3M", "5 to 20 million RMB", "between 20 and 200 million"):
# both ends are amounts (the corpus labels both).
_MONEY_RANGE_LOW = re.compile(
    r"(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s*(?P<s>M|K|k|mn|million)?\s*(?:-|–|~|to|and)\s*"
    r"(?P<hi>\d+(?:\.\d+)?)\s?(?P<hs>M|K|k|mn|bn|million|billion)\b"
)
# Lower-case shorthands typed fast: "2m upfront", "for 18m", "valued at 30m" (a small m is also metres: only with
# a money word around it), "upfront 50w", "预算100w" (w for 万).
_MONEY_LOWER_M = re.compile(r"(?<![A-Za-z0-9.])(?P<n>\d+(?:\.\d+)?)m(?![A-Za-z0-9/²³])")
_MONEY_CONTEXT_BEFORE = re.compile(
    r"(?:upfront|\bfor\b|\bfunds?\b|put in|ticket|around|budget|valued|valuation|price|priced|afford|lump|royalty"
    r"|licen[cs]|assign|cash|invest|\bpay)[^.;?!]{0,30}$",
    re.I,
)
_MONEY_CONTEXT_AFTER = re.compile(r"\s*(?:upfront|up front|valuation|max\b|instead|cash|lump|\+)", re.I)
_MONEY_WAN_W = re.compile(r"(?<![A-Za-z0-9.])(?P<n>\d+(?:\.\d+)?)w(?![A-Za-z0-9/])")
# "1个亿", "两个亿"
_MONEY_GE_YI = re.compile(rf"(?P<n>{AR_NUM}|[一二两三四五六七八九十])\s*个亿")
# "两三百万", "一两千万": two neighbouring numerals, a range of amounts.
_MONEY_PAIR = re.compile(
    r"(?P<a>[一二两三四五六七八九])(?P<b>[二两三四五六七八九])(?P<s>十万|百万|千万|万|亿)"
)


def extract_money(text: str) -> list[Money]:
    """Amounts of money in CNY: "500万元" 5e6, "1.2亿元" 1.2e8, "RMB 5 million", "¥3,000,000", "CNY 2.5m"."""
    found: list[Money] = []
    taken: list[Span] = []

    def add(span: Span, value: float) -> None:
        if not _overlaps(span, taken) and value > 0:
            taken.append(span)
            found.append(Money(cny=value, span=span, text=text[span[0] : span[1]]))

    for m in _MONEY_PAIR.finditer(text):
        a, b = parse_number(m["a"]), parse_number(m["b"])
        if a is not None and b is not None and b == a + 1:
            unit = _SCALE_ZH[m["s"]]
            taken.append(m.span())
            found += [
                Money(cny=a * unit, span=m.span(), text=m[0]),
                Money(cny=b * unit, span=m.span(), text=m[0]),
            ]
    for m in _MONEY_GE_YI.finditer(text):
        n = parse_number(m["n"])
        if n is not None:
            add(m.span(), n * 1e8)
    for m in _MONEY_RANGE_LOW.finditer(text):
        n, hi = parse_number(m["n"]), parse_number(m["hi"])
        low = n * _SCALE_EN.get((m["s"] or m["hs"]).lower(), 1.0) if n is not None else None
        if low is not None and hi is not None and low < hi * _SCALE_EN.get(m["hs"].lower(), 1.0):
            add((m.start("n"), m.end("s") if m["s"] else m.end("n")), low)
    for rx in (_MONEY_EN_PRE, _MONEY_EN_POST, _MONEY_EN_BARE, _MONEY_EN_SHORT):
        for m in rx.finditer(text):
            n = parse_number(m["n"])
            if n is not None:
                add(m.span(), n * _SCALE_EN.get((m["s"] or "").lower(), 1.0))
    for m in _MONEY_LOWER_M.finditer(text):
        n = parse_number(m["n"])
        if n is not None and (
            _MONEY_CONTEXT_BEFORE.search(text, 0, m.start()) or _MONEY_CONTEXT_AFTER.match(text, m.end())
        ):
            add(m.span(), n * 1e6)
    for m in _MONEY_WAN_W.finditer(text):
        n = parse_number(m["n"])
        if n is not None:
            add(m.span(), n * 1e4)
    for m in _MONEY_ZH.finditer(text):
        scale, cur = m["s"], m["c"]
        # Bare numbers are not money; "万"/"亿" or a currency word make them so.
        if not scale and not cur:
            continue
        if not cur and not re.match(_NOT_MONEY_AFTER, text[m.end() :]):
            continue
        n = parse_number(m["n"])
        if n is None:
            continue
        add(m.span(), n * _SCALE_ZH.get(scale or "", 1.0))
    # The same amount written twice ("500万以内免征…超过500万的部分", "先按3500万做个转让草案") is one: no label repeats one.
    out: list[Money] = []
    for f in sorted(found, key=lambda f: f.span):
        if all(o.cny != f.cny for o in out):
            out.append(f)
    return out


# --- percentages ------------------------------------------------------------------------------

PercentRole = Literal[
    "royalty",
    "inventor_share",
    "equity",
    "upfront",
    "incentive_total",
    "incentive_individual",
    "dividend_pool",
    "ip_share",
    "other",
]


class Percent(BaseModel):
    model_config = ConfigDict(frozen=True)

    value: float = Field(description="In percent: 5.0 means 5%.")
    role: PercentRole
    span: Span
    text: str
    fixed: bool = Field(
        False,
        description="The message names what the figure is (a fee, a tax rate, a price change): no deal re-reads it.",
    )


# A figure's cue: a role, or a fee, tax or price word that makes it something else than a deal term.
CueRole = PercentRole | Literal["fee"]

_PCT = re.compile(
    rf"(?P<n>{AR_NUM})\s*(?:%|％|per\s*cent\b|percent\b|pct\b|个(?:百分)?点(?![钟半]))|百分之(?P<z>[零〇一二三四五六七八九十百点]+|{AR_NUM})"
    r"|(?P<p>[一二三四五六七八九十两]{1,3})个(?:百分)?点(?P<ph>半)?(?!钟)"
    rf"|(?P<k>{AR_NUM}|[一二三四五六七八九十两])\s*成(?!本|果|熟|立|功|员|交|为|都|品|型)"
    r"|\b(?P<w>one|two|three|four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty|forty|fifty)[\s-]*per\s*cent\b"
    # a discount on a price: "挂牌价九折" is 90% of it, "打八五折" 85%
    r"|(?<=[价打按的])(?P<d>[一二三四五六七八九]{1,2})折(?![扣叠线旧算合])",
    re.I,
)
# Specific cues first: on a tie (same end) the earlier entry wins, so "单个激励对象" is per person, not a total.
_ROLE_WORDS: list[tuple[CueRole, str]] = [
    # The SOE dividend pool is a share of post-tax profit ("15% of after-tax profit", "税后利润的15%").
    (
        "dividend_pool",
        r"dividends?(?:\s+incentives?)?(?:\s+pool)?|分红(?:激励)?(?:总额|池)?"
        r"|(?:of\s+(?:the\s+)?(?:annual\s+)?)?(?:post|after)[-\s]tax(?:\s+profits?)?|税后利润|可分配利润",
    ),
    (
        "incentive_individual",
        r"(?:one|a single|single|each|any|every|individual|per)\s+(?:key\s+|core\s+)?"
        r"(?:person|recipient|employee|individual|grantee|staff member|engineer|researcher)"
        r"|per[-\s]person|individual (?:grant|cap|award)|largest (?:single )?grant|单个激励对象|单一激励对象|每人|每个人"
        r"|单人|个人(?:上限|最多|能不能超过|可以超过|能超过|不超过)"
        r"|\b(?:nobody|no one|no single (?:person|employee|individual))(?:\s+(?:gets?|receives?))?\s+(?:above|over|more than)",
    ),
    (
        "incentive_total",
        r"(?:equity\s+)?incentives?|(?:option|incentive|ESOP|team|employee)\s+pool|\bESOP\b|期权池|激励池|激励(?:总额|总量|比例)?",
    ),
    (
        "royalty",
        r"royali?t(?:y|ies)(?:\s+rate)?|提成(?:率|比例)?|许可费率?|使用费率?|销售额|销售分成|revenue|sales|费率",
    ),
    # The statute's reward to the inventors ("Article 45's 50%", "the statutory 50%", "法定的50%", "the default
    # remuneration … 10%"; not "营业利润" alone: "我方分得营业利润的30%" is the unit's profit share).
    (
        "inventor_share",
        r"inventor|发明人|完成人|团队|课题组|(?<![A-Za-z])team|奖励|报酬|reward|研发人员|科研人员|remuneration"
        r"|statutory|法定|Art(?:icle|\.)?\s*45|第45条|第四十五条"
        # the statute's reward for implementing it ("5% of operating profit for 3-5 years", "从营业利润里提5%")
        r"|of\s+(?:the\s+)?(?:annual\s+)?operating\s+profits?|营业利润(?:里|中)?(?:每年)?提(?:取)?",
    ),
    # Joint development: who owns what comes out of the work ("知识产权我方占六成", "IP 70% ours").
    # "IP我们占四成" (no word boundary before 我), "60% of the jointly developed IP", "成果我们占六成"; "50% of the
    # IP shares" is a stake in the company.
    (
        "ip_share",
        # Not the IP as the thing valued or licensed ("IP valued at 3M for 20%", "IP-derived equity", "IP licences").
        r"(?:(?:of|on)\s+(?:the\s+)?(?:[\w-]+\s+){0,2})?(?<![A-Za-z])IP(?![A-Za-z])"
        r"(?![-\s]+(?:shares|derived|based|licen[cs]|(?:is\s+|was\s+)?(?:valued|appraised|contributed|assessed|at)\b))"
        r"|intellectual property"
        r"|知识产权|专利(?:权)?|成果(?=\s*(?:我们|我方|他们|对方|双方)?\s*(?:占|归|各|共有))"
        # jointly owned ("共有的话我们占七成"), not a count ("一共有", "共有3个")
        r"|(?<![一总])共有(?![\d一二三四五六七八九十几多])|jointly[-\s]owned|co-?owned",
    ),
    (
        "equity",
        r"equity|股权|股份|持股|占股|占.{0,2}股份?|shares\b|shareholding|stake|\bholds?\b"
        # cash invested for a stake: "他们投500万占20%", "puts in 5M cash for 25%"
        r"|(?:投|投资|出资|注资)[\s\d.一二三四五六七八九十百千两万亿元现金]{0,14}占|\b(?:invest(?:s|ed|ing)?|puts?\s+in|pays?)\b[^,;.?]{0,30}?\bfor"
        r"|of\s+(?:a|the)\s+(?:spin-?out|new\s*co(?:mpany)?|JV|joint venture|company)\b(?!'s)",
    ),
    # Not an upfront waived ("no upfront", "不要入门费"): the figure is the other term.
    (
        "upfront",
        r"(?<!\bno )(?<!without )(?<!without an )(?<!zero )(?<!不要)(?<![免无])(?:upfront|入门费|首付|一次性)",
    ),
    # Last, so a role cue wins a tie. The platform's fee ("the 1% matching fee"), the tax on a reward ("减按50%计入",
    # "taxed on only 50%"), a bonus: what the figure is, whatever deal the message is about.
    (
        "fee",
        r"(?:(?:matching|service|platform|facility)\s+)+fees?|撮合(?:服务)?费|服务费|\bbonus"
        r"|个税|个人所得税|income tax|\bIIT\b|\btaxed\b|tax (?:treatment|reduction)|减按|计入工资"
        # a tax rate ("税率是否为20%"), a head count ("激励人数不超过职工总数的30%", "no more than 30% of staff")
        r"|税率|tax rate|人数|(?:职工|员工|在岗职工)总数|head\s*count|of\s+(?:the\s+|all\s+)?(?:employees|staff|workforce)\b",
    ),
]


_INVENTOR_CUE = dict(_ROLE_WORDS)["inventor_share"]
_DIVIDEND_CUE = dict(_ROLE_WORDS)["dividend_pool"]


_CLAUSE_SEPS = ",，;；。\n"


def _last_of(text: str, chars: str, end: int, start: int = 0) -> int:
    """Where the last of `chars` stands in text[start:end] (-1: none)."""
    return max(text.rfind(c, start, end) for c in chars)


# "… of the university's shares go to the team", "…的股份奖励给团队": what follows gives the figure to the inventors.
_TO_TEAM = re.compile(
    r"\s*(?:of|的)[^,，;；。.?？\n%％\d]{0,40}?(?:\b(?:(?:go(?:es)?|allocated|granted|given|awarded)\s+)?to\s+(?:the\s+)?"
    r"(?:inventors?|team|researchers|founders)\b|(?:归|给|奖励给?|分给)(?:发明人|团队|完成人|课题组))",
    re.I,
)


def _pct_role(text: str, span: Span) -> CueRole:
    """Role of a percentage: a cue right after it ("a 4% royalty"), else the nearest cue before it, else one after."""
    after = re.split(r"[,，;；。\n]", text[span[1] :], maxsplit=1)[0][:40]
    # Only a cue that follows at once (one adjective allowed): "50% of royalty income" belongs to what precedes.
    head = re.match(r"\s*(?:(?:running|annual|sales|total|net|cap\s+on|的)\s*)?", after, re.I)
    rest = after[head.end() if head else 0 :]
    clause_start = _last_of(text, _CLAUSE_SEPS, span[0]) + 1
    before = text[clause_start : span[0]]
    if _TO_TEAM.match(text, span[1]):
        return "inventor_share"
    # A Chinese cue after a space starts the next item of a list ("提成3% 入门费30万", "占股30% 完成人拿50%").
    next_item = bool(head and re.search(r"\s", head.group(0)) and re.match(r"[\u4e00-\u9fff]", rest))
    for role, cue in _ROLE_WORDS:
        if not next_item and (cued := re.match(cue, rest, re.I)):
            if role == "equity" and re.search(_INVENTOR_CUE, before, re.I):
                return "inventor_share"  # "发明人团队拿40%的股权": the team's share of the equity
            if re.search("profit|利润", cued.group(0), re.I) and re.search(_DIVIDEND_CUE, before, re.I):
                return "dividend_pool"  # "a dividend incentive on the project: 5% of operating profit"
            return role
    best: tuple[int, CueRole] | None = None
    for role, cue in _ROLE_WORDS:
        for m in re.finditer(cue, before, re.I):
            if best is None or m.end() > best[0]:
                best = (m.end(), role)
    if best:
        if best[1] == "equity" and re.search(_INVENTOR_CUE, before[: best[0]], re.I):
            return "inventor_share"  # "团队占成果股份的七成": the team's share of the equity
        if (
            best[1] == "incentive_total"
            and re.search(r"(?:incentives?|激励)$", before[: best[0]], re.I)
            and re.search(_PERSON_CUE, before, re.I)
        ):
            return "incentive_individual"  # "the per-person cap on equity incentives … 5%": the topic is the plan
        return best[1]
    # A cue shortly after, unless the words after start another party's term ("35% and the inventors get 50%").
    tail = re.split(r"\band\s+(?:the\s+)?|以及|另外", after[:20], maxsplit=1)[0]
    for role, cue in _ROLE_WORDS:
        if re.search(cue, tail, re.I):
            return role
    return "other"


# What a specification measures: a percentage next to one of these is a product/process property.
_MEASURE = re.compile(
    r"selectivit|efficien|purity|rejection|methane|\berror|accura|yield|conversion|\bfuel\b|boil-?off|"
    r"\babs(?:olute)?\b|retention|subsidiar|wholly[-\s]owned|\bloss(?:es)?\b|"
    r"recall|overkill|\bmiss(?:es|ed)?\b|defects?|recover|bioavailab|homogeneity|transmittance|\bload\b|"
    r"\b(?:accepts?|tolerates?|contains?)\b|\bPVC\b|\bown(?:s|ed)?\s+100\s*%|\b100\s*%\s*owned|"
    r"选择性|效率|提效|节能|纯度|提纯|甲烷|误差|精度|准确率|收率|转化率|能耗|损耗|控股|全资|"
    # a rate the product achieves (透光率, 误报率, 脱盐率, 替代率), not a rate the deal charges (税率, 费率, 提成率)
    r"(?<![税费利汇成益折])率|消耗|功耗|离散|均一性|浓度|\bee\b|ee值|降(?!价|到|至|低价)|缩短",
    re.I,
)
# A deal whose kind says what an unlabelled percentage is ("exclusive licence, 2M upfront, 3%").
_LICENCE_CONTEXT = re.compile(r"licen[cs]|许可|royalt|提成|exclusive|独家|独占", re.I)
_OTHER_PARTY = re.compile(
    r"school|universit|department|college|office|institute|laborator|学校|学院|院系|单位|研究院|实验室|转化中心|办公室",
    re.I,
)
_EQUITY_CONTEXT = re.compile(
    r"equity|stake|spin-?off|new company|\bJV\b|joint venture|作价|入股|股权|新公司|合资|占股|技术股",
    re.I,
)


_HALF_PAYMENT = re.compile(
    r"\bhalf\s+(?:(?:paid|payable)\s+)?(?:upfront|up front|in advance|at signing|on signing|on signature)"
    r"|(?:首付|预付|签约(?:时)?(?:先)?付|定金)一半|一半(?:首付|预付|签约时?付)",
    re.I,
)


def with_deal_roles(percentages: list[Percent], deal: str | None) -> list[Percent]:
    """Percentages with no cue of their own read by the deal they vary ("what if it's 7% instead" after a licence
    is the royalty, "make it 20% for 80 million" after an equity deal the stake): the corpus labels them so, and
    the term sheet drafts them so. Payment shares keep their role."""
    role: PercentRole | None = (
        "royalty"
        if deal in ("exclusive_license", "nonexclusive_license", "licence")
        else "equity"
        if deal == "equity_investment"
        else None
    )
    if role is None:
        return percentages
    return [
        p.model_copy(update={"role": role}) if p.role == "other" and not p.fixed else p for p in percentages
    ]


# A percentage of the price paid at a milestone ("50% on signing", "30% upon acceptance", "首付三成",
# "签约时付40%"): a share of the payment schedule.
_PAYMENT_AFTER = re.compile(
    r"\s*(?:of\s+(?:the\s+)?(?:price|fee|total|amount)\s+)?(?:(?:paid|payable|due)\s+)?(?:on|at|upon|after|before|when)\s+"
    r"(?:the\s+)?(?:signing|signature|acceptance|delivery|completion|closing|first (?:batch|delivery|shipment|milestone))"
    r"|\s*(?:在)?(?:签约|签字|验收|交付)"
    # "pay 30% up front and the rest as a royalty", "pay 40% now"
    r"|\s*(?:(?:paid|payable|due)\s+)?(?:now|up[-\s]?front|in advance)\b(?!\s+(?:fee|payment))",
    re.I,
)
_PAYMENT_BEFORE = re.compile(r"(?:首付|首期(?:付款?)?|预付|签约时?(?:先)?付|验收后?付)\s*$")
# "3M upfront + 3%": the upfront is the amount before the plus; the percentage is the next term.
_NEXT_TERM = re.compile(r"(?:[+＋]|\bplus\b|加)\s*$", re.I)
# "6m upfront 3.5%", "800k upfront and 3%": the upfront is the amount before it (blanked once read as money:
# three spaces or more); the percentage is the next term.
_AMOUNT_UPFRONT = re.compile(
    rf"(?:{AR_NUM}\s*(?:[mk]|million|万|亿)?|\s{{3,}})\s*(?:upfront|up front|入门费)[^%％\d]{{0,20}}$",
    re.I,
)
# "drop the upfront to 6M and go 6%", "入门费降到80万，提成4%": the upfront is the amount after it.
_UPFRONT_AMOUNT = re.compile(
    r"(?:upfront|up front|入门费|首付款)[^%％]{0,15}?(?:\d|\s{3,})[^%％\d]{0,20}$",
    re.I,
)


def is_payment_share(p: Percent) -> bool:
    """A share of the payment schedule ("half upfront", "50% on signing"), not a rate the deal charges."""
    return p.role == "upfront" or bool(_HALF_PAYMENT.fullmatch(p.text))


def _clause(text: str, span: Span) -> str:
    start = _last_of(text, _CLAUSE_SEPS, span[0]) + 1
    end = min((i for i in (text.find(c, span[1]) for c in _CLAUSE_SEPS) if i >= 0), default=len(text))
    return text[start:end]


def _inherited_role(text: str, span: Span, found: list[Percent]) -> PercentRole | None:
    """A percentage listed after one with a role, in the same sentence, shares it ("前两年2%，之后4%")."""
    for p in reversed(found):
        if p.role == "other" or re.search(r"[。?？!！.]\s", text[p.span[1] : span[0]] + " "):
            return None
        # The inventors' share is one party's cut: the rest of the list goes to the others ("20% to the school").
        if p.role == "inventor_share" and _OTHER_PARTY.search(_clause(text, span)):
            return "other"
        return p.role
    return None


def _deal_role(text: str) -> PercentRole:
    """No cue near it: a licence's percentage is the royalty, an equity deal's the stake."""
    lic = bool(_LICENCE_CONTEXT.search(text))
    eq = bool(_EQUITY_CONTEXT.search(text))
    if lic and not eq:
        return "royalty"
    if eq and not lic:
        return "equity"
    return "other"


# Half for the team ("团队拿一半", "发明人团队拿其中一半", "团队想要一半以上的股份", "if the inventors get only half"):
# the inventors' share, 50 (the corpus labels it so in 9 of 10 messages).
_TEAM_HALF = re.compile(
    r"(?:团队|发明人|完成人|课题组)[^，。；,;？?]{0,12}?(?:拿|分|得|获得|要|占)[^，。；,;？?]{0,8}?一半"
    r"|\b(?:inventors?|team|researchers)\b[^,.;?]{0,20}?\b(?:get|gets|getting|receive|receives|keep|keeps|take|takes)"
    r"\s+(?:only\s+|at least\s+|just\s+)?half\b"
    # the statute's floor asked about: "the inventors' reward has to be at least half", "奖励不低于一半吗"
    r"|(?:\b(?:inventors?|team|researchers|reward)\b|发明人|团队|完成人|奖励|报酬)[^,，;；。.?？]{0,30}?"
    r"(?:\b(?:at least|no less than|not less than|a minimum of)\s+half\b|(?:不低于|不少于|至少)(?:一半|半数))",
    re.I,
)
# A figure of a price ("价格上浮三成", "尾款扣两成", "15% of that price", "1% of contract value") is no royalty or stake.
_PRICE = re.compile(r"价格|挂牌价|尾款|首付款|费用|报价|\bprice\b|contract value", re.I)
# "IP split 60/40 in our favour" states the favoured share; "六四分，我方占六成" / "三七开 我们占七" our own share.
_FAVOUR = re.compile(r"\s*in\s+(?:our|their|his|her|its|[\w-]+'s)\s+favou?r\b", re.I)
_OWN_SHARE = re.compile(r"[，,、\s]*(?:我们|我方|我司|对方|他们)占(?P<z>[一二三四五六七八九])成?")


def _dedupe(text: str, out: list[Percent]) -> list[Percent]:
    """One slot per figure and role ("60% to the inventors — is 60% enough?"), and a role-less figure that repeats
    one with a role ("六四分，我方占六成") is that one. Instalments stay apart ("签约付40%，验收付40%"), and so does
    the other party's half beside the team's ("团队拿50%，学校50%")."""
    kept: list[Percent] = []
    for p in out:
        if not is_payment_share(p) and any(
            q.value == p.value
            and (
                q.role == p.role
                or (
                    p.role == "other"
                    and not (
                        q.role == "inventor_share"
                        and q.value == 50
                        and _OTHER_PARTY.search(text, q.span[1], p.span[0])
                    )
                )
            )
            for q in kept
            if q.span != p.span
        ):
            continue
        kept.append(p)
    return kept


# An incentive plan's total ("股权奖励，总额能到股本的30%", "每人2%，总量6%", "总盘子打算拿5%", "the total cap is
# 10%"): a total named before the figure in its clause, no person ("单人不超过总额的3%") (W1, W6, W8, W14).
_INCENTIVE_CONTEXT = re.compile(
    r"激励|股权奖励|incentive|equity options?|option pool|ESOP|期权池|equity[-\s]awards?", re.I
)
# "two engineers getting 3% each", "每人各2%" is above: one person's grant.
_EACH_AFTER = re.compile(r"\s*(?:each|apiece|per (?:person|head))\b", re.I)
# The plan's total, or its pool ("加一个激励池，占15%", "an incentive pool", "上限" of the plan with no person).
_TOTAL = re.compile(r"总额|总量|总盘子|\btotal\b|\bpool\b|期权池|激励池|上限|\bcaps?\b", re.I)
# "8% total, nobody above 3%", "10% through an incentive pool", "15%的期权池"
_TOTAL_AFTER = re.compile(
    r"\s*(?:in\s+)?total\b|\s*(?:的)?(?:总量|总额)|[^,，;；。.?？%％\d]{0,25}?(?:\bpool\b|期权池|激励池)",
    re.I,
)
_PERSON_CUE = dict(_ROLE_WORDS)["incentive_individual"]


def _incentive_total(text: str, span: Span) -> bool:
    """A figure of an incentive plan that is its total: a total or pool word before it in its sentence with no
    person after that word, or right after it."""
    if not _INCENTIVE_CONTEXT.search(text):
        return False
    if _TOTAL_AFTER.match(text, span[1]):
        return True
    clause = text[_last_of(text, _CLAUSE_SEPS + "？?", span[0]) + 1 : span[0]]
    if re.search(_PERSON_CUE, clause, re.I):
        return False  # "单人不超过总额的3%": a person's cap out of the total
    before = text[_last_of(text, "。？?！!\n", span[0]) + 1 : span[0]]
    totals = [m.end() for m in _TOTAL.finditer(before)]
    persons = [m.end() for m in re.finditer(_PERSON_CUE, before, re.I)]
    return bool(totals) and max(totals) > max(persons, default=-1)


# A part of the team's own share ("the PI takes 40% of the team share", "负责人占团队部分的40%"): how the team divides
# what it gets, not the team's share of the deal.
_OF_TEAM_PART = re.compile(
    r"\s*of\s+(?:the\s+)?(?:team|inventors?|researchers?)(?:'s|s'|')?\s+(?:share|part|portion|cut|pool)\b",
    re.I,
)
_TEAM_PART_BEFORE = re.compile(r"(?:团队|发明人|完成人|课题组)(?:的)?(?:那)?(?:部分|份额|所得)的?\s*$")

_REPLACED = re.compile(
    r"(?:\binstead of|\brather than|\bswap(?:ping)?)\s+(?:the\s+|our\s+)?$|(?:而不是|代替)\s*$", re.I
)


def _discount(digits: str) -> float | None:
    """九折 → 90, 八五折 → 85."""
    parts = [parse_number(d) for d in digits]
    if any(p is None for p in parts):
        return None
    return sum((p or 0) * 10.0 ** (1 - i) for i, p in enumerate(parts))


def extract_percentages(text: str) -> list[Percent]:
    """Percentages with a role guessed from cue words: "royalty of 4%", "百分之五", "3.5 per cent", "三成"."""
    out: list[Percent] = []
    for m in _PCT.finditer(text):
        if m["n"]:
            v = parse_number(m["n"])
        elif m["z"]:
            v = parse_number(m["z"])
        elif m["p"]:  # "提五个点": points of revenue; "一个点半" is 1.5
            v = parse_number(m["p"])
            if v is not None and m["ph"]:
                v += 0.5
        elif m["w"]:
            v = parse_number(m["w"])
        elif m["d"]:
            v = _discount(m["d"])
        else:
            k = parse_number(m["k"])
            v = k * 10 if k is not None else None
        if v is None or v > 100:
            continue
        if any(p.value == v for p in out) and re.search(
            r"(?:这个?|那个?|该|也是?|this|that|the|same)\s*$", text[: m.start()], re.I
        ):
            continue  # the same figure again ("……15%，这个15%是按……", "这20%里", "股份也是七成吗"): one slot
        if _REPLACED.search(text, 0, m.start()):
            continue  # the figure given up ("60% instead of 50%", "swap the 6% royalty for …"): not a term asked for
        cue = _pct_role(text, m.span())
        team_part = bool(_OF_TEAM_PART.match(text, m.end()) or _TEAM_PART_BEFORE.search(text, 0, m.start()))
        fixed = cue == "fee" or team_part
        role: PercentRole = "other" if cue == "fee" or team_part else cue
        if role == "upfront" and (
            _NEXT_TERM.search(text[: m.start()])
            or _AMOUNT_UPFRONT.search(text[: m.start()])
            or _UPFRONT_AMOUNT.search(text[: m.start()])
        ):
            role = "other"
        if _PAYMENT_AFTER.match(text, m.end()) or _PAYMENT_BEFORE.search(text[: m.start()]):
            role = "upfront"
        if role == "other" and _PRICE.search(_clause(text, m.span())):
            fixed = True  # a figure of a price ("价格上浮三成", "费用打七折"), not the royalty of a licence
        if fixed:
            pass
        elif role == "other" and _MEASURE.search(_clause(text, m.span())):
            continue  # a property of a product or process ("90% selectivity", "节能15%"), not a deal share
        elif (
            role == "other"
            and _OWN_PART.search(text, 0, m.start())
            and _sentence_role(text, m.start()) in _SPLIT_ROLES
        ):
            # "知识产权共有，我们占六成": a party's part of what was just named
            role = _sentence_role(text, m.start())
        elif role == "other" and _asks_lawful(text, m.span()):
            role = "inventor_share"  # "is 40% even lawful?", "这个七成合规吗", "the 50% minimum": the statute's reward
        elif role == "other":
            prev = _sentence_role(text, m.start())
            role = (
                _inherited_role(text, m.span(), out)
                or (prev if prev in ("dividend_pool", "inventor_share") else None)
                or (
                    "other"
                    if _OTHER_PARTY.search(_clause(text, m.span()))
                    and not (_HOLDS.search(text, 0, m.start()) and _deal_role(text) == "equity")
                    else _deal_role(text)
                )
            )
        if (
            not fixed
            and role in ("equity", "other", "incentive_individual", "inventor_share")
            and _incentive_total(text, m.span())
        ):
            role = "incentive_total"
        elif not fixed and _EACH_AFTER.match(text, m.end()) and _INCENTIVE_CONTEXT.search(text):
            role = "incentive_individual"
        out.append(Percent(value=v, role=role, span=m.span(), text=m.group(0), fixed=fixed))
    for v, span in find_bare_royalties(text):
        if not _overlaps(span, [p.span for p in out]):
            out.append(Percent(value=v, role="royalty", span=span, text=text[span[0] : span[1]]))
    team = _TEAM_HALF.search(text)
    if team and not any(p.value == 50 for p in out):
        out.append(Percent(value=50.0, role="inventor_share", span=team.span(), text=team.group(0)))
    half = _HALF_PAYMENT.search(text)
    if half and not any(p.value == 50 for p in out):
        # "half upfront", "首付一半": a share of the payment
        out.append(Percent(value=50.0, role="other", span=half.span(), text=half.group(0)))
    for m in _SPLIT_SHARES.finditer(text):
        # Every share written out: "30/30/40" (instalments), "收益企业七学校三", "他们六成我们四成" is above.
        if any(p.span[0] < m.end() and m.start() < p.span[1] for p in out):
            continue
        values = _shares(m)
        if values:
            cue = _pct_role(text, m.span())
            share: PercentRole = "equity" if cue == "equity" else "ip_share" if cue == "ip_share" else "other"
            out += [Percent(value=v, role=share, span=m.span(), text=m.group(0)) for v in values]
    for m in _SPLIT.finditer(text):
        # A split of IP or equity ("IP split 60/40", "知识产权六四开", "专利各一半"), so "24/7" or a date stays what
        # it is. Written with figures, both shares are stated (60/40: 60 and 40); "六四开" / "七三开（我方七）"
        # states the first; an even split is one share of 50.
        if any(p.span[0] < m.end() and m.start() < p.span[1] for p in out):
            continue
        v = _split_value(m)
        split_cue = _pct_role(text, m.span())
        role = _sentence_role(text, m.start()) if split_cue == "other" or split_cue == "fee" else split_cue
        clause_start = _last_of(text, _CLAUSE_SEPS, m.start()) + 1
        # the parties' parts of an income ("两校收益五五分", "剩下的学校和学院五五开"), of a payment or of the
        # funding ("paid 50/50 on signing and on acceptance", "funding split 50/50"): each party's part
        # (not a range: "paid within 3-7 days")
        shared = not re.search("[-–]", m.group(0)) and bool(
            _SHARED_INCOME.search(text, clause_start, m.start())
            or _SHARED_MONEY.search(text, clause_start, m.start())
        )
        if shared:
            role = "other"
        own = _OWN_SHARE.match(text, m.end())
        if v is not None and own and m["za"]:
            v = (parse_number(own["z"]) or 0) * 10.0
        if v is not None and (role in ("ip_share", "equity") or shared):
            out.append(Percent(value=v, role=role, span=m.span(), text=m.group(0)))
            favoured = _FAVOUR.match(text, m.end())
            if m["a"] and m["b"] and int(m["a"]) + int(m["b"]) == 100 and m["a"] != m["b"] and not favoured:
                out.append(Percent(value=float(m["b"]), role=role, span=m.span(), text=m.group(0)))
    return _dedupe(text, _school_parts(text, sorted(out, key=lambda p: p.span)))


# A stake in the company itself ("the institute keeps 40% of the company", "学校占新公司40%") stays a stake.
_COMPANY_BEFORE = re.compile(
    r"新公司|合资公司|子公司|\bcompany\b|\bJV\b|joint venture|spin-?(?:out|off)|new\s*co\b", re.I
)
_COMPANY_AFTER = re.compile(
    r"\s*of\s+(?:a|the|its)\s+(?:new\s*)?(?:company|JV|joint venture|spin-?(?:out|off)|co\b)", re.I
)


# A party's part of what the clause before named ("知识产权共有，我们占六成", "专利双方共有，各占50%").
# The party opens its clause: "收益我方六成" is a share of the income.
_OWN_PART = re.compile(
    r"(?:^|[，,、；;：:])\s*(?:我们|我方|我司|咱们|我哋|对方|他们|佢哋|双方|各)(?:各)?(?:占|拿|得|分)?\s*$"
)
_SPLIT_ROLES = ("ip_share", "equity")


# A party holding a part ("作价入股，学校占15%", "the institute keeps 30%"): in an equity deal, its stake.
_HOLDS = re.compile(r"(?:只|仅)?(?:占|持有?|拿)\s*$|\b(?:holds?|keeps?|owns?)\s+(?:only\s+)?$", re.I)


# Whether a figure is lawful is asked of the inventors' reward (Art. 45 sets its floor): "is 40% even legal for
# them?", "如果规定只给五成呢，合规吗", "is 60% allowed for a state-run institute?".
_LAWFUL = re.compile(
    r"合规|合法|违法|违反|有没有效|有效吗|\blawful|\blegal\b|\ballowed\b|\bpermitted\b", re.I
)
# "the 50% minimum", "the university's own 70% rule"
_RULE_AFTER = re.compile(r"\s*(?:minimum|floor|rule)\b|\s*的规定", re.I)


def _asks_lawful(text: str, span: Span) -> bool:
    """Whether the figure's clause, or what closely follows it, asks if it is lawful (not an incentive plan's)."""
    if _INCENTIVE_CONTEXT.search(text):
        return False
    near = text[span[1] : span[1] + 50]
    near = near[: min((i for i in (near.find(c) for c in "%％") if i >= 0), default=len(near))]
    return bool(
        _LAWFUL.search(_clause(text, span)) or _LAWFUL.search(near) or _RULE_AFTER.match(text, span[1])
    )


def _school_parts(text: str, out: list[Percent]) -> list[Percent]:
    """The school's part of a split with the team ("团队占70% 学校30%", "inventors get 70% and the university 30%"):
    the other party's share, not a stake or the team's. The two parts make 100 and the school is named right
    before its figure."""
    kept: list[Percent] = []
    for i, p in enumerate(out):
        start = max(_last_of(text, _CLAUSE_SEPS, p.span[0]) + 1, out[i - 1].span[1] if i else 0)
        if (
            p.role in ("inventor_share", "equity", "other")
            and any(q.role == "inventor_share" and q.value + p.value == 100 for q in out if q is not p)
            and _OTHER_PARTY.search(text, start, p.span[0])
            and not _COMPANY_BEFORE.search(text, start, p.span[0])
            and not _COMPANY_AFTER.match(text, p.span[1])
        ):
            p = p.model_copy(update={"role": "other"})
        kept.append(p)
    return kept


_PARTY_ZH = r"(?:企业|学校|我们|我方|对方|他们|研究院|大学|高校|公司|院方|校方|学院)"
_SPLIT_SHARES = re.compile(
    r"(?<![\d./])(?P<n3>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{1,2})?)(?![\d./%])"
    rf"|{_PARTY_ZH}(?P<za>[一二三四五六七八九])成?[，,、\s]?{_PARTY_ZH}(?P<zb>[一二三四五六七八九])成?(?![\u4e00-\u9fff]*[万亿元])"
)


# What the parties split when it is money coming in, or what is left of it after the team's part: each party's
# part is "other" (not a share of the IP or of a company).
_SHARED_INCOME = re.compile(
    r"(?:收益|收入|利润|\b(?:income|revenue|proceeds|profits?)\b|剩下|剩余|其余|余下|\bthe\s+(?:rest|remainder)\b)"
    r"[^，,；;。%％\d]{0,12}$",
    re.I,
)

_SHARED_MONEY = re.compile(
    r"(?:\b(?:paid|payments?|pay|funding|funds?|costs?)\b|出资|付款|支付|费用|成本)[^，,；;。%％\d]{0,12}$",
    re.I,
)


def _shares(m: re.Match[str]) -> list[float]:
    """The shares of a three- or four-way split summing to 100, or of "企业七学校三"."""
    if m["n3"]:
        parts = [float(x) for x in re.findall(r"\d{1,2}", m["n3"])]
        return parts if sum(parts) == 100 else []
    a, b = parse_number(m["za"]), parse_number(m["zb"])
    return [a * 10, b * 10] if a is not None and b is not None and a + b == 10 else []


_SPLIT = re.compile(
    r"(?<![\d./])(?P<a>\d{1,2})\s*(?:/|:|：|-|–)\s*(?P<b>\d{1,2})(?![\d%]|[./]\d)"
    r"|(?P<za>[一二三四五六七八九])(?P<zb>[一二三四五六七八九])(?:分|开)"
    r"|(?P<half>各(?:占|拿|得)?一半|各半|一半一半|对半分?|五五分成|half[-\s](?:and[-\s])?half|split (?:it )?evenly|equally)",
    re.I,
)


def _sentence_role(text: str, end: int) -> PercentRole:
    """The role named last in the previous clause of the sentence ("知识产权双方共有，五五分", "专利双方共有，各占一半")."""
    start = _last_of(text, "。.?？!！\n", end) + 1
    cut = _last_of(text, ",，;；", end, start)
    if cut < start:
        return "other"
    role = _pct_role(text, (cut, cut))
    return "other" if role == "fee" else role


def _split_value(m: re.Match[str]) -> float | None:
    if m["half"]:
        return 50.0
    if m["za"]:
        a, b = parse_number(m["za"]), parse_number(m["zb"])
        return a * 10 if a is not None and b is not None and a + b == 10 else None
    a, b = int(m["a"]), int(m["b"])
    if a + b == 100:
        return float(a)
    return a * 10.0 if a + b == 10 else None


# --- TRL, term ---------------------------------------------------------------------------------


class TrlRange(BaseModel):
    model_config = ConfigDict(frozen=True)

    min: int | None = None
    max: int | None = None


_TRL_NUM = r"(?P<n>[1-9]|[一二三四五六七八九])"
_TRL = [
    re.compile(
        rf"(?:TRL|technology readiness level|readiness level)\s*(?:of|at|is|=|:|≥|>=|>|between|在)?\s*"
        rf"(?:(?P<least>at least|不低于|不少于|至少|≥|>=)\s*|(?P<most>at most|不超过|不高于|最高|≤|<=)\s*|above\s+)?{_TRL_NUM}"
        rf"(?:\s*(?:-|–|to|~|到|至|or|and|或|和)\s*(?:TRL\s*)?(?P<hi>[1-9])(?!\s*(?:%|级|years?|年|days?|天)|\.\d|\d))?(?:\s*之间)?(?P<up>\s*(?:\+|or (?:above|higher|more)|and above|及以上|或以上|以上))?"
        r"(?P<down>\s*(?:or (?:below|lower|less)|及以下|以下))?",
        re.I,
    ),
    re.compile(
        rf"(?:技术)?成熟度\s*(?:为|在|达到|是|:|：)?\s*(?:TRL)?\s*{_TRL_NUM}(?:\s*(?:-|–|到|至|~)\s*(?P<hi>[1-9一二三四五六七八九]))?\s*级?"
        rf"(?P<up>\s*(?:及以上|以上|或以上|及更高))?(?P<down>\s*(?:及以下|以下))?"
    ),
    # "6级" alone; not "P2级轴承" (a grade) or "二级子公司" (a tier).
    re.compile(
        rf"(?<![\d.A-Za-z])(?:TRL)?{_TRL_NUM}(?:\s*(?:-|–|到|至|~)\s*(?P<hi>[1-9一二三四五六七八九]))?\s*级(?![别子分公单企资标能])"
        rf"(?P<up>\s*(?:及以上|以上|或以上))?(?P<down>\s*(?:及以下|以下))?"
    ),
]


# The user states the TRL of their own technology or of the record they name ("our AEM stack, TRL 4",
# "It's only TRL 2", "我们这个现在TRL4", "a TRL 2 SRAM macro"): a figure to match with, not a filter
# (the corpus labels no TRL there).
_OWN_TRL_CUE = re.compile(
    r"\b(?:our|ours|own|we|we're|we've|I've|it's|it is|its|that's)\b|我们|我司|自研|自己|现在|目前|评了|还在",
    re.I,
)


def _stated(text: str, span: Span) -> bool:
    sentence = re.split(r"[.!?。！？\n](?:\s|$)|[。！？\n]", text[: span[0]])[-1]
    return _OWN_TRL_CUE.search(sentence) is not None or re.search(r"\ban?\s+$", sentence, re.I) is not None


def find_trl(text: str) -> tuple[TrlRange, Span] | None:
    """The TRL filter asked for: "TRL 6" / "TRL 6+" / "6级以上" at least 6, "TRL 4-6" / "TRL 8 or 9" 4..6 and 8..9,
    "TRL 5 or below" at most 5. A plain figure the user states of a technology is no filter (`find_stated_trl`)."""
    f = _find_trl(text)
    return None if f is None or f[2] else (f[0], f[1])


def find_stated_trl(text: str) -> tuple[TrlRange, Span] | None:
    """The TRL the user states of their own technology ("our AEM stack, TRL 4" -> 4..4): no filter."""
    f = _find_trl(text)
    return (f[0], f[1]) if f is not None and f[2] else None


def _find_trl(text: str) -> tuple[TrlRange, Span, bool] | None:
    for rx in _TRL:
        m = rx.search(text)
        if not m:
            continue
        g = m.groupdict()
        lo = parse_int(m["n"])
        hi = parse_int(m["hi"]) if m["hi"] else None
        head = text[max(0, m.start() - 12) : m.start()].lower()
        bounded = m["hi"] or m["up"] or m["down"] or g.get("least") or g.get("most")
        if not bounded and not re.search(r"at least|minimum|不低于|至少", head) and _stated(text, m.span()):
            return TrlRange(min=lo, max=lo), m.span(), True
        if m["up"]:
            hi = None
        if m["down"] or g.get("most"):
            hi, lo = lo, None
        # "at least TRL 6" / "TRL ≥ 6" read as a minimum.
        if re.search(r"at least|minimum|不低于|至少", head) or re.search(
            r"≥|>=|>|above|at least", m.group(0), re.I
        ):
            hi = None
        return TrlRange(min=lo, max=hi), m.span(), False
    return None


def extract_trl(text: str) -> TrlRange | None:
    """TRL filter as a range: "TRL 6" / "TRL 6+" / "6级以上" 6.., "TRL 4-6" 4..6, "TRL 5 or below" ..5."""
    f = find_trl(text)
    return f[0] if f else None


# "一次性付清" / "paid in one lump sum": how an assignment's price is paid. A one-off payment is
# what the term sheet assumes unless years are given, so the phrase is understood, not a slot.
_LUMP_SUM = re.compile(
    r"一次性(?:付清|支付|付款|结清|买断)|一次付清|\blump[- ]sum\b|\bpaid (?:in full|up front|upfront)\b|"
    r"\bone[- ]off payment\b|\bsingle payment\b",
    re.I,
)


# --- domains, regions ---------------------------------------------------------------------------

# Keyword -> domain id. Longer keywords are tried first, so "固态电池" wins over "电池".
DOMAIN_KEYWORDS: dict[str, tuple[str, ...]] = {
    "new_energy": (
        "新能源",
        "海上风电",
        "offshore wind",
        "光伏",
        "太阳能",
        "钙钛矿",
        "风电",
        "风机",
        "固态电池",
        "锂电",
        "锂离子",
        "电解质",
        "正极",
        "负极",
        "动力电池",
        "钠离子",
        "电池",
        "核能",
        "核电",
        "new energy",
        "photovoltaic",
        "solar",
        "perovskite",
        "wind power",
        "wind turbine",
        "solid-state batter",
        "solid state batter",
        "lithium",
        "electrolyte",
        "cathode",
        "anode",
        "sodium-ion",
        "battery",
        "batteries",
        "nuclear",
    ),
    "ccus": (
        "碳捕集",
        "碳捕获",
        "碳封存",
        "二氧化碳",
        "co2",
        "ccus",
        "ccs",
        "碳利用",
        "驱油",
        "carbon capture",
        "carbon storage",
        "sequestration",
        "direct air capture",
        "碳中和",
        "负碳",
    ),
    "hydrogen": (
        "氢能",
        "制氢",
        "储氢",
        "加氢",
        "氢气",
        "电解槽",
        "燃料电池",
        "氢",
        "hydrogen",
        "electrolyser",
        "electrolyzer",
        "electrolysis",
        "fuel cell",
        "pem",
    ),
    "grid_storage": (
        "储能",
        "电网",
        "特高压",
        "输电",
        "变电",
        "配电",
        "液流电池",
        "抽水蓄能",
        "微电网",
        "虚拟电厂",
        "energy storage",
        "grid",
        "transmission",
        "substation",
        "flow batter",
        "microgrid",
        "virtual power plant",
        "uhv",
    ),
    "new_materials": (
        "新材料",
        "复合材料",
        "碳纤维",
        "石墨烯",
        "合金",
        "陶瓷",
        "涂层",
        "高分子",
        "纳米材料",
        "稀土",
        "材料",
        "new material",
        "composite",
        "carbon fibre",
        "carbon fiber",
        "graphene",
        "alloy",
        "ceramic",
        "coating",
        "polymer",
        "nanomaterial",
        "rare earth",
        "materials",
    ),
    "integrated_circuits": (
        "集成电路",
        "芯片",
        "半导体",
        "晶圆",
        "光刻",
        "封装",
        "碳化硅",
        "氮化镓",
        "功率器件",
        "eda",
        "integrated circuit",
        "chip",
        "semiconductor",
        "wafer",
        "lithograph",
        "packaging",
        "silicon carbide",
        "sic",
        "gan",
        "power device",
    ),
    "ai_digital": (
        "人工智能",
        "大模型",
        "机器学习",
        "深度学习",
        "数字化",
        "数字孪生",
        "工业互联网",
        "大数据",
        "算法",
        "软件",
        "ai",
        "artificial intelligence",
        "machine learning",
        "deep learning",
        "digital twin",
        "big data",
        "algorithm",
        "software",
        "large language model",
        "llm",
        "computer vision",
        "视觉识别",
    ),
    "telecom": (
        "通信",
        "5g",
        "6g",
        "光纤",
        "光通信",
        "卫星通信",
        "基站",
        "天线",
        "射频",
        "telecom",
        "optical fibre",
        "optical fiber",
        "base station",
        "antenna",
        "radio frequency",
        "rf ",
        "wireless",
    ),
    "aerospace": (
        "航空",
        "航天",
        "卫星",
        "火箭",
        "飞机",
        "无人机",
        "发动机叶片",
        "aerospace",
        "aviation",
        "satellite",
        "rocket",
        "aircraft",
        "drone",
        "uav",
        "turbine blade",
    ),
    "rail_transit": (
        "轨道交通",
        "高铁",
        "地铁",
        "列车",
        "动车",
        "铁路",
        "磁悬浮",
        "rail",
        "railway",
        "high-speed train",
        "metro",
        "train",
        "maglev",
    ),
    "marine": (
        "海洋",
        "船舶",
        "海上",
        "深海",
        "海水淡化",
        "港口",
        "潜水器",
        "marine",
        "offshore",
        "ship",
        "subsea",
        "deep sea",
        "desalination",
        "underwater",
        "vessel",
    ),
    "biomedicine": (
        "生物医药",
        "医药",
        "药物",
        "疫苗",
        "抗体",
        "医疗器械",
        "基因",
        "细胞治疗",
        "诊断",
        "生物",
        "biomedic",
        "pharma",
        "drug",
        "vaccine",
        "antibody",
        "medical device",
        "gene",
        "cell therapy",
        "diagnostic",
        "biotech",
    ),
    "advanced_manufacturing": (
        "高端装备",
        "智能制造",
        "机器人",
        "数控",
        "机床",
        "增材制造",
        "3d打印",
        "工业母机",
        "装备",
        "advanced manufacturing",
        "smart manufacturing",
        "robot",
        "cnc",
        "machine tool",
        "additive manufacturing",
        "3d printing",
    ),
    "petrochemicals": (
        "石油化工",
        "石化",
        "炼化",
        "炼油",
        "催化剂",
        "化工",
        "乙烯",
        "天然气",
        "石油",
        "petrochemical",
        "refining",
        "refinery",
        "catalyst",
        "chemical",
        "ethylene",
        "natural gas",
        "crude oil",
    ),
}

_DOMAIN_INDEX: list[tuple[str, str]] = sorted(
    ((kw, dom) for dom, kws in DOMAIN_KEYWORDS.items() for kw in kws), key=lambda p: len(p[0]), reverse=True
)


def _kw_pattern(kw: str) -> str:
    """ASCII keywords match whole words (prefix allowed: "batter" matches "battery"); Chinese ones anywhere."""
    if re.fullmatch(r"[a-z0-9 .\-]+", kw):
        esc = re.escape(kw.strip())
        # "off-grid" solar is not the power grid.
        off = r"(?<!off-)(?<!off )" if kw.strip() == "grid" else ""
        return rf"(?<![a-z0-9]){off}{esc}" + (r"(?![a-z0-9])" if len(kw.strip()) <= 4 else "")
    return re.escape(kw)


_DOMAIN_RX: list[tuple[re.Pattern[str], str]] = [
    (re.compile(_kw_pattern(k), re.I), d) for k, d in _DOMAIN_INDEX
]


def find_domain_hints(text: str) -> list[tuple[str, Span]]:
    """Fields a message's topic words imply ("perovskite" -> new_energy, "碳化硅" -> integrated_circuits), with
    the span of each keyword, in order of appearance: a hint of the field, not a filter the user asked for."""
    taken: list[Span] = []
    hits: list[tuple[int, str, Span]] = []
    for rx, dom in _DOMAIN_RX:
        for m in rx.finditer(text):
            if _overlaps(m.span(), taken):
                continue
            taken.append(m.span())
            hits.append((m.start(), dom, m.span()))
    out: list[tuple[str, Span]] = []
    seen: set[str] = set()
    for _, dom, span in sorted(hits):
        if dom not in seen:
            seen.add(dom)
            out.append((dom, span))
    return out


def extract_domain_hints(text: str) -> list[str]:
    """Domain ids the topic words imply (固态电池 -> new_energy, 碳捕集 -> ccus, 芯片 -> integrated_circuits ...)."""
    return [d for d, _ in find_domain_hints(text)]


# Field names the corpus uses beside the knowledge base's own: "先进制造方向", "船舶海洋方向", "船舶海工方向的成果".
_FIELD_NAMES = {
    **field_names(),
    "先进制造": "advanced_manufacturing",
    "船舶": "marine",
    "船舶海洋": "marine",
    "船舶海工": "marine",
}
_FIELD_RX = re.compile(
    "|".join(
        (
            r"(?<![A-Za-z0-9])" + re.escape(w).replace("\\ ", r"[\s_-]+") + r"(?![A-Za-z0-9])"
            if w.isascii()
            else re.escape(w)
        )
        for w in sorted(_FIELD_NAMES, key=len, reverse=True)
    ),
    re.I,
)
# What a field name is the field OF when it names one: the things searched in it ("hydrogen achievements",
# "储能方向的成果", "hydrogen facilities", "hydrogen things"), or nothing at all ("in hydrogen?", "氢能和AI"). A
# field word before a partner kind ("grid SOEs", "石化企业", "储能集成商") says what the partner does, not a field
# to filter by: 25 of 32 such messages, and nine of eleven writers' majority, label no domain. Before an investor
# ("aerospace investors", "氢能基金", "投储能的机构") it is the field their money goes to: 17 of 19 label it.
_FIELD_OBJECT_EN = re.compile(
    r"\s*(?:$|[,.;:!?)/、，；：）—–]|\s-\s|-(?:related|focused)\b|\s*&|\s(?:and|or|space|sector|field|area|domain|industry|side|stuff|things|"
    r"tech|technolog(?:y|ies)|achiev\w*|results?|projects?|patents?|listings?|research|r&d|storage|focus|"
    r"facilit(?:y|ies)|testbeds?|pilot|labs?|portfolio|deals?|only|please|pls|at|in|with|from|that|"
    r"which|under|between|priced|listed|open|available|for|to|where|around|like|such|ones?|"
    r"catalog(?:ue)?|test\s+(?:facilities|benches|beds|sites|labs|lines|fields)|trl|can|could|"
    # a word that cannot go on a compound noun ends the field's name: "in biomedicine above TRL 5", "anything in
    # hydrogen these days", "grid storage owned by institutes", "new energy focused", "telecom spin-outs", "in
    # hydrogen on here"
    r"above|below|over|these|those|owned|run|who\S*|whose|mainly|mostly|primarily|lately|recently|ok|okay|"
    r"focused|here|on|first|too|also|then|spin-?(?:outs?|offs?)|licen[cs]es?|"
    r"investors?|funds?|vcs?|backers?)\b|\s*\+)",
    re.I,
)
_FIELD_OBJECT_ZH = re.compile(
    r"$|[\s,.;:!?，。、；：！？和与及或里类的嘅嗰同]|成果|方向|领域|项目|行业|板块|赛道|产业|相关|方面|"
    r"背景|早期|技术|专利|资产|方(?!面)|有|能|要|可|上|中|内|以|trl|基金|投资|"
    # the field pointed at ("CCUS这块", "航空这个领域") or what someone is keen on ("哪些基金对储能感兴趣")
    r"[这那](?:一?块|个(?:领域|方向|行业|板块))|感兴趣",
    re.I,
)
_PARTNER_KIND_AFTER = re.compile(
    r"^(?:\s*(?:soes?|compan(?:y|ies)|firms?|players?|makers?|operators?|integrators?|"
    r"utilities|enterprises?|ventures?|start-?ups?)\b|(?:的)?(?:企业|公司|集成商|国企|央企|民企|厂商|厂家))",
    re.I,
)
# A Chinese field name right after these (or after no Chinese at all) stands on its own; after any other
# character it ends a description ("飞轮储能", "压缩空气储能") or a name ("国拓智能电网").
_FIELD_BEFORE_ZH = set(
    "的在找搜看查翻列出些个下做投资是有关于和与及或者向家类把对等了里内中要几注焦主索问属含涉给帮荐只仅限从为按据选挑上成"
    "地啥点么跟那省"
    # Cantonese: 嘅 (的), 同 (和), 冇 (没), 搵 (找), 睇 (看), 喺 (在), 啲 (些)
    "嘅同冇搵睇喺啲"
    "、，。：；！？"
)
# ... and so does one right after an owner's kind ("杉屿科技大学通信方向", "溪谷研究院生物医药方向": the owner, then
# its field) or a stage ("早期石化成果", "早期氢能项目"): 10 of 10 such messages label the field.
_FIELD_BEFORE_WORDS_ZH = re.compile(r"(?:大学|学院|研究院|研究所|早期|中期|后期|成长期)$")
# "鹤岭氢能研究院", "中砺氢能（宁夏）": a field word in an organisation's name.
_NAME_SUFFIX_ZH = re.compile(r"(?:研究院|研究所|院(?!校)|集团|有限|股份|科技|装备|资本|[（(])")


# Two field names joined by one of these are a list of fields: "氢能和储能两个领域", "CCUS和石化两个方向",
# "航空航天和新材料都要". The first name, standing on its own, vouches for the second when only the word after
# that one holds it back (not the word before: "飞轮储能和氢能" is a technology, then a field).
_FIELD_JOIN = re.compile(r"\s*(?:和|与|及|以及|或|或者|跟|同|、|,|，|/|&|\band\b|\bor\b)\s*", re.I)


# "grid" alone is also a plain noun: after a word that modifies it ("a weak grid", "an offshore wind DC grid",
# "the city distribution grid", "for the grid") it is one grid, not the field (11 of 12 such messages label
# none); after a function word ("any grid results", "in grid or storage") or nothing it can name the field.
_GRID_AS_NOUN = re.compile(
    r"\b(?!(?:any|some|all|list|show|find|search|in|for|on|at|of|and|or|about|only|just|me|more|other|"
    r"which|what|whose|no|not|plus|with|without|from)\b)[a-z0-9-]+\s+$",
    re.I,
)


def _field_word(text: str, m: re.Match[str]) -> str | None:
    """Why the field word `m` names no field here, or None when it does: "before" / "after" when only the
    word next to it (a word it goes on from or into) holds it back; "name", "short", "noun", "partner"
    otherwise."""
    word = m.group(0)
    a, b = m.span()
    after_zh = re.match(r"\s*[\u4e00-\u9fff]", text[b:]) is not None
    if word.isascii():
        if len(word) <= 3 and word != word.upper():
            return "short"  # "ai", "ic" in lower case are other words
        sentence_start = re.search(r"(?:^|[.!?。！？]\s*|\n)\s*$", text[:a]) is not None
        if word.istitle() and len(word) > 3 and not sentence_start:
            return "name"  # "Lanshi Hydrogen", "Canglan Rail Transit": part of a name
        if word.lower() == "grid" and _GRID_AS_NOUN.search(text[:a]):
            return "noun"
        if not (_FIELD_OBJECT_ZH.match(text[b:].lstrip()) if after_zh else _FIELD_OBJECT_EN.match(text[b:])):
            return "after"
    else:
        if _NAME_SUFFIX_ZH.match(text[b:]):
            return "name"
        before = text[a - 1] if a else ""
        if (
            before
            and re.match(r"[\u4e00-\u9fff]", before)
            and before not in _FIELD_BEFORE_ZH
            and not _FIELD_BEFORE_WORDS_ZH.search(text[:a])
        ):
            return "before"
        if not _FIELD_OBJECT_ZH.match(text[b:]):
            return "after"
    if _PARTNER_KIND_AFTER.match(text[b:]):
        return "partner"
    return None


def find_domains(text: str) -> list[tuple[str, Span]]:
    """Fields the user NAMES ("hydrogen achievements", "储能方向", "in biomedicine", "CCUS"), with the span of
    the name, in order of appearance. A field word inside a record's name ("Lanshi Hydrogen", "鹤岭氢能研究院")
    or describing one technology ("hydrogen refuelling compressor", "飞轮储能") names no field: the topic
    words are `find_domain_hints`."""
    found: list[tuple[str, Span, str | None]] = []
    for m in _FIELD_RX.finditer(text):
        dom = _FIELD_NAMES.get(re.sub(r"[\s_-]+", " ", m.group(0).lower()))
        if dom is not None:
            found.append((dom, m.span(), _field_word(text, m)))
    for i in range(1, len(found)):  # a list of fields (`_FIELD_JOIN`), left to right
        dom, span, why = found[i]
        if (
            why == "after"
            and found[i - 1][2] is None
            and _FIELD_JOIN.fullmatch(text[found[i - 1][1][1] : span[0]])
        ):
            found[i] = (dom, span, None)
    out: list[tuple[str, Span]] = []
    for dom, span, why in found:
        if why is None and dom not in [d for d, _ in out]:
            out.append((dom, span))
    return out


def extract_domains(text: str) -> list[str]:
    """Domain ids of the fields the user names (氢能 -> hydrogen, "CCUS" -> ccus, 集成电路 -> integrated_circuits)."""
    return [d for d, _ in find_domains(text)]


def extract_regions(text: str) -> list[str]:
    """Canonical names of the regions the user filters by ("江苏" / "jiangsu" / "苏州" -> "Jiangsu"), in order."""
    return [r for r, _ in find_regions(text)]


# --- ids, deal types, organisation kinds ---------------------------------------------------------

_ID_RX = re.compile(r"(?<![A-Za-z0-9])(?P<p>ACH|ORG|FAC)-(?P<s>[0-9A-Za-z_]+(?:-[0-9A-Za-z_]+)*)", re.I)
# Hold / booking references, e.g. "HOLD-7F3A2C" or "BK-2027-0001".
_REF_RX = re.compile(r"(?<![A-Za-z0-9])(?P<r>(?:HOLD|HLD|BK|BKG|BOOK|RES)-[0-9A-Za-z][0-9A-Za-z_-]*)", re.I)


def find_record_ids(text: str) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = []
    for m in _ID_RX.finditer(text):
        rid = f"{m['p'].upper()}-{m['s'].upper()}"
        if rid not in [r for r, _ in out]:
            out.append((rid, m.span()))
    return out


def extract_record_ids(text: str) -> list[str]:
    """Record ids (ACH-0001, org-0002 -> ORG-0002, FAC-0001) in order of appearance, deduplicated."""
    return [r for r, _ in find_record_ids(text)]


def extract_hold_refs(text: str) -> list[str]:
    """Hold / booking references such as "HOLD-7F3A2C"."""
    return list(dict.fromkeys(m["r"].upper() for m in _REF_RX.finditer(text)))


# A unit's own reward rule (Art. 44) as opposed to the statutory default (Art. 45).
_UNIT_RULE_RX = re.compile(
    r"\b(?:our|the|my|its|their|this)\s+(?:own\s+)?(?:university|institute|unit|school|college|company|organi[sz]ation|academy|employer|lab)'?s?"
    r"\s+(?:own\s+|internal\s+|published\s+)*(?:rules?|polic(?:y|ies)|regulations?|measures?|scheme)"
    r"|\b(?:unit|internal|in-house)\s+(?:reward\s+)?(?:rules?|polic(?:y|ies)|regulations?)|\bunder\s+our\s+(?:own\s+)?(?:rules?|polic(?:y|ies))"
    r"|(?:我校|本校|学校|校内|我院|本院|院里|我所|本所|我单位|本单位|单位内部|我司|本公司|我们单位|我们学校)"
    r"(?:已经|已|公开|发布|的|内部|现行|自行|制定|有关|相关){0,4}(?:规定|制度|办法|政策|文件|章程)"
    r"|(?:按|按照|依照|根据)(?:我们|我方|本单位|单位)?(?:的)?(?:内部)?(?:规定|制度)",
    re.I,
)
_NO_UNIT_RULE = re.compile(
    r"(?:\bno|\bwithout|\bhas\s+no|\bhave\s+no|\bnot\s+have|没有|无|未)\s*(?:an?\s+|any\s+)?$", re.I
)


def find_unit_rule(text: str) -> Span | None:
    """Where the user says their unit's own rule sets the inventor reward ("our university's rule", "按我校规定")."""
    for m in _UNIT_RULE_RX.finditer(text):
        if not _NO_UNIT_RULE.search(text[max(0, m.start() - 12) : m.start()]):
            return m.span()
    return None


OrgKind = Literal["university", "institute", "soe", "private", "investor"]

_ORG_KIND_PATTERNS: list[tuple[OrgKind, str]] = [
    (
        "investor",
        r"投资机构|投资人|投资方(?!向)|投资者|投资公司|风投|创投|基金|资本方|资方|\binvestors?\b|venture capital|\bvcs?\b|\bfunds?\b|private equity"
        # someone who would put money in: "谁愿意投", "愿意投的机构", "有没有人投", "能领投的", "who might invest"
        r"|谁(?:愿意|会|能)?(?:来)?投(?![诉入标产])|有人投|领投|愿意投的(?:机构|单位|公司|企业)|\bwho(?:'d|\s+(?:could|would|might|will|can))\s+(?:invest|fund|back)\b"
        # ... with what they invest in or how: "谁可能会投", "谁适合投资", "投储能的机构", "愿意一起投的机构", "哪些机构
        # 可能联合投资", "who else would co-invest", "who else is investing in that space", "who'd want to invest"
        r"|谁(?:可能|适合|还|也)(?:会|愿意|能|想)?(?:来)?投(?![诉入标产])|投(?![诉入标产放])[^，。；？！?\s]{0,10}?的机构"
        r"|(?:愿意|想|可能|会)(?:一起|联合|跟)投|机构(?:可能|会|愿意|想)?(?:联合|一起)?投(?:资)?(?![诉入标产])"
        r"|\bwho(?:\s+else)?(?:'d|\s+(?:could|would|might|will|can|is|are))?\s+(?:want\s+to\s+)?"
        r"(?:co-?invest|invest(?:ing)?\s+(?:alongside|with|in\s+(?:it|that|this|them)))\b",
    ),
    ("soe", r"央企|中央企业|国企|国有企业|国有|\bsoes?\b|state[-\s]owned|central enterprise"),
    (
        "private",
        r"民营企业|民营|民企|私营|\bprivate\b(?![-\s]+equity|[-\s]+(?:\w+[-\s]+)?(?:networks?|keys?|data|cloud|information|placement))|privately[-\s]owned",
    ),
    ("university", r"高校|大学|学院|universit|college"),
    ("institute", r"研究院|研究所|科研院所|院所|institutes?\b|research institution|academy"),
]


# "We're a university with…" / "我们是一所高校": who the user is, not the kind of partner wanted.
_SELF_KIND = re.compile(
    r"\b(?:we're|we\s+are|i'm|i\s+am|i\s+work\s+(?:at|for)|we\s+work\s+(?:at|for)"
    # the user's client or employer: "I advise a Jiangsu SOE", "I'm representing a … private maker"
    r"|i\s+(?:advise|represent)|i'm\s+representing|i\s+am\s+representing)\s+(?:from\s+)?(?:an?|the)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:universit(?:y|ies)|college|institute|research\s+institution|academy|soe|"
    r"state[-\s]owned\s+\w+|private\s+\w+|start-?up|compan(?:y|ies)|fund)\b|"
    # "SOE here, Shaanxi", "We're in Hunan, SOE.", "My client (private, Shenzhen)"
    r"\b(?:soe|private\s+(?:company|firm))\s+here\b|\b(?:we're|we\s+are)\s+[^.?!,]{0,30},\s*(?:an?\s+)?soe\b"
    r"|\bclient\s*[(（]\s*(?:private|state[-\s]owned|soe)\b|"
    r"(?:我们|我|本单位|我方)(?:是|来自|在(?!找|寻|看|物色|考虑|联系|对接))(?:一[所家个])?[\u4e00-\u9fff]{0,16}?(?:高校|大学|学院|研究院|研究所|院所|央企|国企|民企|民营|国有|企业|公司|基金)"
    # "我们是河北的钢厂，国企": the kind given after who the user is
    r"|我们是[^，。？！]{0,16}[，,]\s*(?:国企|央企|民企|民营)(?=\s*[。.！!]|\s*$)",
    re.I,
)


# A kind word that modifies a person, a rule or a spin-out describes where someone works or whose rule it is
# ("SOE executives", "university leaders", "高校科研人员"): no kind of partner is asked for.
_KIND_MODIFIES = re.compile(
    r"[\s-]*(?:executives?|staff|employees?|leaders?|leadership|management|personnel|researchers?|scientists?|"
    r"professors?|inventors?|teams?|spin-?offs?|spin-?outs?|rules?|polic(?:y|ies)|measures|regulations?|"
    r"incentives?|rewards?|provisions)\b"
    # a party to the deal doing or getting something: "investor adds 30M", "研究院持股40%", "研究院三成"
    r"|\s+(?:adds|brings|puts|invests|wants|takes|pays|offers|funds|gets|holds|keeps)\b"
    r"|(?:的)?(?:科研人员|科技人员|研究人员|人员|老师|教师|教授|员工|职工|领导|负责人|团队|规定|制度|办法|政策|"
    r"股权激励|分红激励|激励|奖励|持股|占股|出资|出[一二三四五六七八九十两\d]|拿|得|[一二三四五六七八九十两]成|\d"
    # the subject of a can-question: "高校能不能把成果许可给…？"
    r"|能不能|可不可以|能否|可以|是否|必须|需不需要|要不要)",
    re.I,
)
# "our university", "the institute", "its fund": the owner or the user's side, not a kind wanted.
_KIND_OWNED = re.compile(
    r"\b(?:our|my|your|their|its|his|her|the|this|that)\s+(?:[\w-]+\s+){0,2}$"
    # the subject of a question ("can a university…?"), where someone works ("staff at an SOE"), what the user
    # runs ("I run a seed fund")
    r"|\b(?:can|could|may|does|do|is|are|must|should)\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}$"
    r"|\b(?:at|in)\s+(?:an?\s+)?(?:[\w-]+\s+){0,2}$|\b(?:run|manage|represent)\s+(?:an?|the|our)\s+(?:[\w-]+\s+){0,2}$",
    re.I,
)
# The SOE incentive rules' category ("国有科技型企业", "a large state-owned tech company", "small SOE"): the subject
# of a policy question (its size is the enterprise_size slot), not a partner kind.
_KIND_POLICY_CATEGORY = re.compile(
    r"国有(?:科技型?)?企业|state[-\s]owned\s+(?:tech(?:nology)?|sci-tech)\s+(?:compan|enterprise|firm)", re.I
)
_ONES_AFTER = re.compile(r"\s+ones\b", re.I)
# A question what kind a named organisation is ("晨曦是国企还是民企", "中砺光伏青海是央企的吧", "国资还是民营的？",
# "are they an SOE?", "what is Guocheng Microelectronics? SOE?") asks about it; no kind is sought.
_KIND_ASKED: list[tuple[re.Pattern[str], re.Pattern[str]]] = [
    (
        re.compile(r"(?:是|系咪?)(?:不是)?(?:一家|一个)?$"),
        re.compile(
            r"(?:的|嘅)?\s*(?:吗|吧|嘛|么|呀|[?？]|下属|旗下|还是(?![^，。,.;；]{0,8}(?:都|均|皆|无所谓|不限)))"
        ),
    ),
    (re.compile(r"还是$"), re.compile(r"(?:的|嘅)?\s*(?:吗|吧|嘛|呢|[?？]|$)")),
    (
        re.compile(r""),
        re.compile(
            r"还是(?![^，。,.;；?？]{0,8}(?:都|均|皆|无所谓|不限))[^，。,.;；?？]{1,6}?(?:的|嘅)?\s*(?:吗|吧|嘛|呢|[?？]|$)"
        ),
    ),
    (
        re.compile(r"\b(?:is|are)\s+(?:it|they|that|this|he|she)\s+(?:an?\s+)?(?:[\w-]+\s+)?$", re.I),
        re.compile(r"\s*\?"),
    ),
]
# A kind word after a demonstrative points at one organisation the user has in mind.
_KIND_THAT_ONE = re.compile(
    r"(?:这家|那家|这个|那个|这所|那所|这间|那间|该|此|呢间|呢个|嗰间|嗰个)\s*$|\b(?:this|that|the\s+same)\s+$",
    re.I,
)
_KIND_SIZED = re.compile(
    r"(?:\b(?:large|medium|mid|small|micro)(?:[-\s]sized)?[-\s]+|大型|中型|小型|小微)$", re.I
)
# "Exclude SOEs", "no investors", "投资机构就不用了", "不要国企": kinds ruled out.
_KIND_EXCLUDED_BEFORE = re.compile(
    r"(?:\b(?:exclude|excluding|except|no|not|without|other than|besides)\s+(?:[\w-]+\s+){0,2}|(?:不要|除了|排除|不考虑|不找)\s*)$",
    re.I,
)
_KIND_EXCLUDED_AFTER = re.compile(r"\s*(?:就|也|都)?(?:不用|不要|不考虑|除外|排除|去掉|删掉|拿掉)")
# Chinese kind words that end an organisation's name ("臻岳大学", "鹤岭氢能研究院", "瀚海成长股权投资基金") unless
# only generic words stand before them ("早期基金", "江苏的大学", "天使轮的基金").
_NAMEABLE_ZH = re.compile(r"大学|学院|研究院|研究所|基金|投资公司")
_GENERIC_BEFORE_ZH = re.compile(
    r"(?:早期|天使轮?|种子轮?|成长期?|股权|投资|产业|风险|创业|创投|方向|领域|理工|科技)+$"
)
_STOP_ZH = set("的在找搜看查和与及或者向家类把对等了里要个几些是有给帮只仅从为、，。：；！？")
# English kind words that end a name ("Chenghu University of Technology", "Yuanfan institute", "Lanshan
# Industrial Fund"): a capitalised word shortly before a singular kind word.
_NAMEABLE_EN = re.compile(r"universit(?:y)|institute|fund|college|academy", re.I)


def _kind_is_named(text: str, a: int, b: int) -> bool:
    word = text[a:b]
    if word.isascii():
        word = re.match(r"[\w-]*", text[a:])[0]  # type: ignore[index]
        b = a + len(word)
        if not _NAMEABLE_EN.fullmatch(word):
            return False
        if re.match(r"\s+of\s+[A-Z]", text[b:]):
            return True
        # Capitalised words before it, other than a sentence's first word ("Xingyuan University's", "Chongling
        # University", "the Yaoshi low-carbon institute").
        before = [
            w[0]
            for w in re.finditer(r"[A-Za-z][\w-]*", text[max(0, a - 40) : a])
            if not re.search(r"(?:^|[.!?:]\s*)$", text[: max(0, a - 40) + w.start()])
        ][-3:]
        return any(w[0].isupper() and w not in ("I", "SOE", "SOEs") for w in before)
    if not _NAMEABLE_ZH.fullmatch(word):
        return False
    i = a
    while i > 0 and re.match(r"[\u4e00-\u9fff]", text[i - 1]) and text[i - 1] not in _STOP_ZH:
        i -= 1
    run = text[i:a]
    return bool(run) and not _GENERIC_BEFORE_ZH.fullmatch(run)


# A sentence asking about a rule ("国企搞分红激励，激励总额…", "can a university license a patent without
# approval?", "IIT on rewards from a university") names the kinds the rule is about; the corpus labels a kind
# only where organisations are sought ("…再帮我们找几家愿意投的投资机构").
_RULE_CUE = re.compile(
    r"税|激励|奖励|分红|定价|公示|审批|评估|挂牌|拍卖|规定|合规|法律|条例|上限|比例|工资总额"
    # who owns what, who must agree or register, what a unit keeps or hands over, what a rule allows
    r"|规则|政策|归谁|约定|上缴|国库|留归|留在|门槛|登记|备案|招标|进场|适用|必须|限制|下限|扣除|同意|兼职|取酬|提成"
    r"|\b(?:tax|IIT|incentives?|rewards?|dividends?|pricing|price|publi(?:sh|ci[sz])e?d?|notice|approval|allowed"
    r"|legal|law|article|rule|cap|withhold|leave|seniority"
    r"|taxable|deduction|treasury|appl(?:y|ies)|qualify|eligible|required|consent|approve|appraisal|legit|permitted"
    r"|who\s+owns|relevant|minimum|min share|report)\b"
    # what the assistant can do for the user's kind of organisation: "what can you do for a university TTO?"
    r"|\bwhat\s+(?:[\w-]+\s+){0,3}?(?:can|could)\s+(?:you|this|it|the\s+\w+)\s+(?:\w+\s+){0,2}do\s+for\b|\bwhat\s+you\s+can\s+do\s+for\b"
    r"|能帮(?:我|我们)?(?:做|干)(?:什么|哪些|啥)",
    re.I,
)
_SEEK_CUE = re.compile(
    r"找|推荐|匹配|筛|哪些|哪几家|谁(?:愿意|能|可以|会|有兴趣)|有没有[^，。？?]{0,10}(?:愿意|可能|会|感兴趣)"
    r"|\b(?:find|recommend|suggest|match(?:es)?|partners?|licensees?|takers?|acquirers?"
    r"|any\s+(?:[\w-]+\s+){0,2}(?:investors?|funds?|soes?|compan\w*|firms?|universit\w*|institut\w*)"
    r"|buyers?|looking for|who(?:'d|\s+(?:could|would|might|can|will))|which\s+(?:\w+\s+)?(?:compan\w*|firms?|investors?"
    r"|universit\w*|institut\w*|soes?|funds?|partners?|organi[sz]ations?))\b",
    re.I,
)


def _rule_sentences(text: str) -> list[Span]:
    """Spans of the sentences that ask about a rule and seek no organisation."""
    if _RULE_CUE.search(text) and not _SEEK_CUE.search(text):
        # a message that asks about a rule and seeks nothing: every kind it names is what the rule is about
        # ("第45条…奖励下限是多少？客户是国家设立的研究所", "国企搞股权激励…？我们有个央企子公司的合作方在问")
        return [(0, len(text))]
    out: list[Span] = []
    # sentences end at 。？！?! and a line break, and at a full stop before a capital ("…SOEs. Also, does…")
    for m in re.finditer(r"(?:[^。？！?!\n.]|\.(?!\s+[A-Z]))+[。？！?!\n.]*", text):
        if _RULE_CUE.search(m.group(0)) and not _SEEK_CUE.search(m.group(0)):
            out.append(m.span())
    return out


def extract_org_kinds(text: str) -> list[OrgKind]:
    """Organisation kinds asked for as partners, in order (see `find_org_kinds`)."""
    return [k for k, _ in find_org_kinds(text)]


def find_org_kinds(text: str) -> list[tuple[OrgKind, Span]]:
    """The first mention of each kind asked for (see `find_org_kind_mentions`)."""
    return _first_of_each(find_org_kind_mentions(text))


def _first_of_each(hits: list[tuple[OrgKind, Span]]) -> list[tuple[OrgKind, Span]]:
    seen: set[str] = set()
    out: list[tuple[OrgKind, Span]] = []
    for kind, span in hits:
        if kind not in seen:
            seen.add(kind)
            out.append((kind, span))
    return out


def find_org_kind_mentions(text: str) -> list[tuple[OrgKind, Span]]:
    """Every mention of an organisation kind asked for as partners (投资机构/investors, 央企/国企/SOEs, 民营企业/private firms, 高校,
    研究院所). Not a filter: the user's description of themselves ("we're a university"), a kind word in a
    name ("Chenghu University of Technology", "鹤岭氢能研究院"), an owner ("our institute", "the university"),
    a kind that describes people or rules ("SOE executives", "高校科研人员"), kinds ruled out ("Exclude
    SOEs", "投资机构就不用了"), the kinds a rule question is about ("国企搞分红激励…", "can a university…?", "高校
    转让成果需要登记备案吗") or the assistant's help is asked for ("what can you do for a university TTO?"), and a
    question what kind a named organisation is ("晨曦是国企还是民企")."""
    text = _SELF_KIND.sub(lambda m: " " * len(m.group(0)), text)
    text = mask(text, _rule_sentences(text))
    hits: list[tuple[OrgKind, Span]] = []
    for kind, pat in _ORG_KIND_PATTERNS:
        # ASCII word boundaries: "广东本地的SOE", "天使轮嘅fund" (a CJK character is no word character for \b here)
        for m in re.finditer(pat, text, re.I | re.A):
            a, b = m.span()
            if word_end := re.match(r"[A-Za-z-]*", text[b:]):
                b += len(word_end.group(0)) if m.group(0).isascii() else 0
            word = text[a:b]
            if _kind_is_named(text, a, b) or _KIND_MODIFIES.match(text[b:]):
                continue
            if re.search(r"\d\s*%\s*$", text[:a]):
                continue  # "15% university": a party's share
            # "only the state-owned ones", "just the private ones": a kind narrowing a list is sought
            singular = word.isascii() and not word.lower().endswith("s") and not _ONES_AFTER.match(text[b:])
            if (singular and _KIND_SIZED.search(text[max(0, a - 20) : a])) or any(
                c.start() <= a < c.end() for c in _KIND_POLICY_CATEGORY.finditer(text)
            ):
                continue  # "a medium-sized SOE": the subject of a rule; "large SOEs", "大型央企" are sought
            if (singular and _KIND_OWNED.search(text[:a])) or re.search(
                r"(?:我|我们)(?:在|是|有(?:个|一个|位|家)?)$", text[:a]
            ):
                continue
            if _KIND_EXCLUDED_BEFORE.search(text[max(0, a - 30) : a]) or _KIND_EXCLUDED_AFTER.match(text[b:]):
                continue
            if any(bx.search(text[max(0, a - 30) : a]) and ax.match(text[b:]) for bx, ax in _KIND_ASKED):
                continue
            if _KIND_THAT_ONE.search(text[max(0, a - 12) : a]):
                continue  # "介绍下这家研究院", "Shuofang那家研究院的吧", "the same institute": one organisation
            if word.lower() in ("fund", "funds") and re.match(
                r"\s+(?:RMB|CNY|¥|￥|\d|the|it|us|them|half|a|an|our|their|\w+\s+(?:RMB|¥|\d))",
                text[b:],
                re.I,
            ):
                continue  # "they fund RMB 12 million": the verb
            hits.append((kind, (a, b)))
    return sorted(hits, key=lambda h: h[1])


# --- references ----------------------------------------------------------------------------------

RefKind = Literal["organisation", "facility", "achievement", "window", "hold"]


class Reference(BaseModel):
    """A pointer back to earlier results: "the second one" (index 2), "that facility", "it"."""

    model_config = ConfigDict(frozen=True)

    index: int | None = Field(None, description="1-based position; -1 for the last one; None for 'it/that'.")
    kind: RefKind | None = None
    span: Span = (0, 0)
    text: str = ""
    named: bool = Field(False, description='Picked by words of its own ("the Qinghai one", "海棠那个").')
    implicit: bool = Field(
        False, description='No words point: the hold a bare "确认吧" / "release all of them" acts on.'
    )


_KIND_WORDS: list[tuple[RefKind, str]] = [
    (
        "organisation",
        # "the second fund", "第二家基金", "the first university": the kinds of organisation found for a record.
        r"partners?|compan(?:y|ies)|organi[sz]ations?|orgs?|investors?|firms?|buyers?|licensees?|funds?|institutes?"
        r"|universit(?:y|ies)|suppliers?|manufacturers?|makers?|合作方|伙伴|企业|公司|机构|单位|投资方|基金|研究院|大学|厂家|厂商",
    ),
    (
        "facility",
        r"facilit(?:y|ies)|pilot lines?|lines?|testbeds?|labs?|plants?|sites?|设施|中试线|中试基地|中试平台|平台|基地|实验室|产线|线",
    ),
    ("achievement", r"achievements?|technolog(?:y|ies)|results?|patents?|成果|技术|专利"),
    ("window", r"windows?|slots?|dates?|periods?|gaps?|时段|窗口|档期|时间段|空档|空窗"),
    ("hold", r"holds?|bookings?|reservations?|预约|预留|预订|订单"),
]
_ORD_EN = "|".join(sorted(EN_ORDINALS, key=len, reverse=True))
_KIND_EN = "|".join(p for _, p in _KIND_WORDS)
# An English ordinal points into a list when "one", a list word or nothing follows ("the second one", "the
# first facility", "the top match", "the third —"). "the first half of March", "the first two weeks", "the 1st
# of Feb", "the first production batch": an ordinal of anything else is no pointer.
_LIST_ORDINAL_NEXT = (
    rf"(?=\s*(?:$|[,.;:!?)\-—–]|(?:ones?|match(?:es)?|options?|candidates?|entr(?:y|ies)|{_KIND_EN})\b"
    r"|of\s+(?:them|those|these)\b|(?:and|or|for|in|on|at|to|from|with|is|was|looks?|seems?|please|pls)\b))"
)
_REF_PATTERNS: list[re.Pattern[str]] = [
    re.compile(
        rf"\bthe\s+(?P<o>{_ORD_EN}|last|latter|former|top|best|earliest|next){_LIST_ORDINAL_NEXT}"
        r"(?:\s+(?P<k>[a-z ]{0,20}?))?(?=$|[\s,.;:!?)])",
        re.I,
    ),
    # "hold the whole 2nd window", "second window, hold 5 days", "the first free window": an ordinal with a window
    # word (and no "the" right before it) is a pick among the windows.
    re.compile(
        rf"\b(?P<o>{_ORD_EN})\s+(?:(?:free|open|available|empty)\s+)?(?P<k>windows?|slots?|gaps?|periods?)\b",
        re.I,
    ),
    # "first one, Jan, 10 days?", "Second one: draft a licence", "first one's fine": an ordinal with "one" needs no "the".
    re.compile(rf"(?<![A-Za-z])(?P<o>{_ORD_EN})\s+one\b(?!-)", re.I),
    re.compile(r"(?:\bnumber|\bno\.|#)\s*(?P<n>\d{1,2})\b", re.I),
    re.compile(r"\b(?:option|candidate|match|partner|facility|result|window)\s+(?P<n>\d{1,2})\b", re.I),
    # "第四十五条" is an article and "第三周" a week, not references to earlier results.
    re.compile(
        rf"第\s*(?P<z>\d{{1,2}}|{CN_NUM})(?!\s*个?\s*(?:周|星期|礼拜|月|季|工作日|天))\s*(?P<k>[个家]?(?:合作方|企业|公司|机构|基金|研究院|大学|设施|中试线|平台|成果|技术|窗口|时段|时间段|空档|空窗|档期)|[个家项位所台])?"
        r"(?![\d零〇一二两三四五六七八九十百千]|条|款|章|节|周|季|年|月|天|次|期|批|届|号|部分)"
    ),
    # "第三条改成确认", "第二条是哪家单位的": a list item by 条 at the start of a clause (a law's article follows the
    # law's name or runs past nine: "成果转化法第十九条", "按第45条").
    re.compile(
        r"(?:^|(?<=[\s，。,;；：:！!？?]))第\s*(?P<z>[1-9一二三四五六七八九])\s*条(?!\s*(?:款|[规说讲里中怎写]))"
    ),
    re.compile(r"(?P<zl>最后(?:那|这)?一?)[个家条项位](?!\s*(?:周|星期|礼拜|月|季|工作日|天))"),
    re.compile(r"(?P<ze>最早的?|下一个)(?P<k>窗口|时段|档期|空档)"),
]
# A demonstrative standing for a record on its own ("那个确认掉", "这个适合卖给谁", "这个的提前期", "那个我不要了") is
# followed by a predicate, a pronoun or a particle, not by the noun it describes ("这个价格", "这个月", "那个新疆的").
_CN_PRED = (
    r"(?:[不没先就也都还再吧呢啊了的行能会想是在有给帮让我你他她谁哪找卖买转确取释放撤退删锁占订约延改换用排过到多怎什适]"
    r"|要(?!求)|下个?(?:月|周|礼拜|星期))"
)
_CN_DESCRIBED = r"[A-Za-z0-9][^，。,.;；！？!?\s]{0,20}的"
# What may stand before "那个" pointing back ("刚才那个", "就那个", "锁那个"); other words before it describe the record
# ("海棠那个", a named reference).
_CN_BEFORE = "刚才就选订要把是用看了吧啊呢原来锁占留约认"
# "the other one", "the cheaper one", "the most mature one": picked by its place in the list, not by words of its own.
_RANK_ADJ = (
    r"better|worse|worst|(?:more|most|less|least)\s+[a-z]+|"
    r"(?:cheap|prici|costli|bigg|larg|small|clos|near|earli|lat|new|old|long|short|fast|quick|high|low|great|strong|"
    r"light|heavi|safe|matur|fresh|soon)(?:er|est)"
)
_POINTER_ADJ = (
    rf"other|same|former|latter|last|previous|next|remaining|right|original|expired|expiring|{_RANK_ADJ}"
)
_DEICTIC: list[tuple[re.Pattern[str], RefKind | None]] = [
    (
        re.compile(
            r"\b(?:that|this|the same|the)\s+(?P<k>facility|pilot line|line|testbed|lab|plant|site)\b"
            # "hold that workshop", "is that centre open": the facility word right after the demonstrative.
            r"|\b(?:that|this|the same)\s+(?P<k2>workshop|suite|bench|rig|chamber|tank|basin|cent(?:re|er)|station)\b",
            re.I,
        ),
        "facility",
    ),
    # "how much would 8 days cost there?", "any 2-day window there next week?": the place, a facility ("is there",
    # "there's", "are there any" are no place).
    (
        re.compile(
            r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!'s )(?<!thing )\bthere\b"
            r"(?!\s*(?:'s|’s|is|are|was|were|be|seems?|exists?|a|an|any|anything|one)\b)",
            re.I,
        ),
        "facility",
    ),
    # "帮他们匹配一下合适的成果", "their first need", "would they be a fit": people, so an organisation (memory.pointed
    # reads it only after organisations: after achievements "they" are the owners, no record pointed at).
    (re.compile(r"(?<![A-Za-z])(?:they|their)(?![A-Za-z])|他们", re.I), "organisation"),
    # "scrap that", "undo that pls", "cancel that and list what I have left": the last thing done, as the object.
    (
        re.compile(
            r"\b(?:scrap|undo|cancel|release|drop|confirm|finali[sz]e|kill)\s+(?P<p>that)\b"
            r"(?=\s*(?:$|[,.;:!?)\-—–]|(?:and|pls|please|too|now|instead|as well)\b))",
            re.I,
        ),
        None,
    ),
    # "hold that for 4 days from Jan 20", "an assignment of that to the e-bike firm": "that" taken by a verb of
    # acting on a record (or "of") and followed by the deal's or the stay's terms is the record, not a conjunction.
    (
        re.compile(
            r"\b(?:hold|book|lock|grab|reserve|license|licence|sell|assign|pilot|test|trial|of)\s+(?P<p>that)"
            r"(?=\s+(?:for|to|from|starting|until|till|through)\b)",
            re.I,
        ),
        None,
    ),
    (
        re.compile(
            r"\b(?:that|this|the same)\s+(?P<k>partner|company|organi[sz]ation|investor|firm|buyer|licensee|fund|institute"
            r"|university|supplier|manufacturer|maker)\b",
            re.I,
        ),
        "organisation",
    ),
    (
        re.compile(r"\b(?:that|this|the same|my|our)\s+(?P<k>achievement|technology|patent|result)\b", re.I),
        "achievement",
    ),
    (re.compile(r"\b(?:that|this|the|my)\s+(?P<k>hold|booking|reservation)\b", re.I), "hold"),
    (re.compile(r"\b(?:that|this|the same)\s+(?P<k>window|slot)\b", re.I), "window"),
    (
        re.compile(
            # "那个测试实验室", "这条线", "那个台子": a facility word, after at most a short modifier without 的.
            r"(?:这个|那个|该|这家|那家|此|这条|那条|这一|上述|刚才的?|前面的?)\s*[^\s的，。,.;；！？!?]{0,2}?"
            r"(?P<k>设施|中试线|中试基地|中试平台|平台|基地|实验室|产线|线|工厂|台子|台架|台|车间|装置|试验场|测试场|靶场|水池)"
        ),
        "facility",
    ),
    (
        re.compile(
            r"(?:这个|那个|该|这家|那家|此|上述|刚才的?|前面的?)\s*(?P<k>合作方|伙伴|企业|公司|机构|单位|投资方)"
        ),
        "organisation",
    ),
    (
        re.compile(r"(?:这个|那个|该|此|这项|那项|上述|刚才的?|前面的?)\s*(?P<k>成果|技术|专利)"),
        "achievement",
    ),
    (re.compile(r"(?:这个|那个|该|此|刚才的?)\s*(?P<k>预约|预留|预订|hold)"), "hold"),
    (re.compile(r"(?:这个|那个|该|此)\s*(?P<k>窗口|时段|档期)"), "window"),
    # "which of them…?" asks about the whole list (a filter), "make it 3 weeks" changes the request: no pointer.
    (
        re.compile(
            r"(?<![A-Za-z])(?:it|(?<!of )them|this one|that one)(?![A-Za-z])"
            # "the other one", "the cheaper one" ("the Qinghai one", "the transaminase one" are named, below)
            rf"|(?<![A-Za-z])th(?:at|is)(?=\s*(?:[?.!]|$))|\bthe\s+(?:{_POINTER_ADJ})\s+one\b|\bboth\b|\bthe rest\b"
            # "pick the cheapest and hold…", "the cheaper of the two"
            rf"|\bthe\s+(?:{_RANK_ADJ})(?=\s+(?:of\s+(?:the|them|those|these)|and)\b|\s*(?:[,.;!?]|$))"
        ),
        None,
    ),
    (
        re.compile(
            # "刚才那个" / "就那个" points back ("海棠那个" is a named reference, below)
            rf"它|它们|(?<![按照像跟和比])这个(?:(?![\u4e00-\u9fff])|(?={_CN_PRED}))"
            rf"|(?:^|(?<=[^\u4e00-\u9fffA-Za-z0-9])|(?<=[{_CN_BEFORE}]))那个(?!{_CN_DESCRIBED})(?:(?![\u4e00-\u9fff])|(?={_CN_PRED}))"
            r"|这一个|那一个|这一家|那一家|这家|那家|(?<=[就选订要把锁占])[这那]条|剩下(?:那|的)"
        ),
        None,
    ),
]


# A record picked by words of its own: "the Qinghai one", "the Anhui lab one", "the January one", "海棠那个",
# "p-GaN栅那个", "3月份那个", "the transaminase one", "the one at the towing tank". The words name the record or
# hold (linking, region hints), so memory.pointed reads no pointer into a list there.
# Words that end a description before "one": "is the lab free for one week" names nothing.
_NOT_IN_NAME = (
    r"(?i:the|a|an|and|or|of|for|in|on|at|to|by|from|with|than|is|are|be|it|this|that|free|just|only|no)"
)
_NAMED_REF = re.compile(
    # "the Qinghai one", "the ternary nitrate salt one", "the one at the towing tank", "the one from Ruiling"
    rf"\b(?i:the)\s+(?!(?:{_ORD_EN}|{_POINTER_ADJ}|one|ones)\b)(?:(?!{_NOT_IN_NAME}\b)[\w/+.-]+\s+){{1,6}}?(?-i:one)\b"
    rf"|\b(?i:the)\s+one\s+(?:at|on|in|from|for|with)\b|(?<=[\u4e00-\u9fffA-Za-z0-9）)])(?<![{_CN_BEFORE}])那个"
    # "那个45MPa开式的", "那个Zhongcen的示范装置": a description that ends in 的 follows the demonstrative.
    rf"|那个(?={_CN_DESCRIBED})"
)


# Confirming or releasing with no object ("确认吧", "行 转正式", "算了，释放掉", "please confirm.", "make it firm",
# "release all of them"): the hold in focus (majority of writers: W1, W5, W6, W9, W11, W12 label it a booking
# reference after a hold; W2, W7, W8 do not). A new hold in the same message ("cancel that and hold Mar 15-20
# instead") is not one.
_BARE_BOOKING_VERB = re.compile(
    r"(?:\b(?:confirm|release|cancel|drop|finali[sz]e)|\bmake it firm|\bfirm it up)"
    r"(?:\s+(?:all of them|them all|everything|all))?(?=\s*(?:$|[.!,;:吧啦]|\s(?:pls|please|now|straight away)\b))"
    r"|(?:确认|释放|放掉|放了|撤[掉了销]|转正式?|转成正式(?:预约|预订)?|取消|退掉)(?:掉|了|吧|下来|一下|啦|呗)*"
    r"(?=$|[\s，。,.!！；;])",
    re.I,
)
_NEW_HOLD = re.compile(r"\bhold\b|\bbook\b|put one|换成|改占|再占|重新.{0,6}占|(?<![别不])占(?!用)", re.I)


# Only fillers before the verb in its clause: "好，直接确认吧", "那帮我确认了吧"; not "碧川那个数字孪生的释放", "两个都确认".
_BARE_BEFORE = re.compile(
    r"^(?:好的?|好吧|行|那就?|就|那?帮我|直接|ok(?:ay)?|嗯|没问题|可以|先|please|pls|go ahead and|then|and|算了|yes|yeah|sure"
    # "有的话确认掉", "锁好了的话直接转正吧", "还是取消吧", "顺手确认了吧": a condition or an aside before the verb.
    r"|[\u4e00-\u9fff]{1,3}的话|还是|顺手|顺便)*$",
    re.I,
)


def _implicit_booking(text: str) -> Reference | None:
    m = _BARE_BOOKING_VERB.search(text)
    if (
        m is None or _NEW_HOLD.search(text) or _CODE_FILL in text
    ):  # "BK-2027-0088 转正式": the code says which
        return None
    clause = re.split(r"[\s,，。.;；!！?？:：\-—]+", text[: m.start()])[-1]
    if not _BARE_BEFORE.match(clause):
        return None
    return Reference(index=None, kind="hold", span=(m.start(), m.start()), text="", implicit=True)


def _kind_of(word: str | None) -> RefKind | None:
    if not word:
        return None
    w = word.strip().lstrip("个家")  # "第二家基金": the classifier before the kind word
    for kind, pat in _KIND_WORDS:
        if w and re.match(rf"(?:{pat})", w, re.I):
            return kind
    return None


# What a record id or booking code is masked with before references are read: a word of description to them
# ("FAC-0058那个放掉" is named by its id), rare in messages of its own ("某" = "a certain").
_CODE_FILL = "某"
# Cantonese demonstratives and pronouns read as their Mandarin forms, character for character so spans stay:
# "最后嗰个转正", "呢个几钱", "占住佢13日", "鲲岳嘅".
_CANTONESE = str.maketrans({"嗰": "那", "佢": "它", "嘅": "的"})


def find_references(text: str) -> list[Reference]:
    """Ordinal and deictic references in order: "the second one", "第二家", "第2个", "that facility", "it"."""
    text = text.replace("佢哋", "他们").replace("呢个", "这个").translate(_CANTONESE)
    out: list[Reference] = []
    taken: list[Span] = []

    def add(ref: Reference) -> None:
        if not _overlaps(ref.span, taken):
            taken.append(ref.span)
            out.append(ref)

    for rx in _REF_PATTERNS:
        for m in rx.finditer(text):
            g = m.groupdict()
            idx: int | None = None
            if g.get("o"):
                o = g["o"].lower()
                idx = (
                    -1
                    if o in ("last", "latter")
                    else 1
                    if o in ("top", "best", "former", "earliest", "next")
                    else EN_ORDINALS.get(o)
                )
            elif g.get("n"):
                idx = int(g["n"])
            elif g.get("z"):
                idx = parse_int(g["z"])
            elif g.get("zl"):
                idx = -1
            elif g.get("ze"):
                idx = 1
            if not idx:
                continue
            kind = _kind_of(g.get("k"))
            if kind is None and rx.pattern.startswith(r"\b(?:option"):
                kind = _kind_of(m.group(0).split()[0])
            add(Reference(index=idx, kind=kind, span=m.span(), text=m.group(0)))
    for rx, rkind in _DEICTIC:
        for m in rx.finditer(text):
            if _PRONOUN.fullmatch(m.group(0)) and (
                _CHANGES_REQUEST.search(text[: m.start()]) or _IDIOM.search(text[: m.start()])
            ):
                continue
            # "曜石那个基地", "安徽那家": the words before the demonstrative pick the record, a named reference.
            demonstrative = bool(_CN_DEMONSTRATIVE.match(m.group(0)))
            # "confirm the hold on the 5G OTA chamber", "release my hold at FAC-0057": picked by where it is.
            at = (
                rkind == "hold"
                and m.group(0).split()[0].lower() in ("the", "my", "our")
                and bool(_HOLD_AT.match(text, m.end()))
            )
            named = (demonstrative and _described_before(text, m.start())) or at
            first = 1 if demonstrative and _FIRST_BEFORE.search(text[: m.start()]) else None
            span = m.span("p") if "p" in rx.groupindex else m.span()
            add(Reference(index=first, kind=rkind, span=span, text=text[span[0] : span[1]], named=named))
    for m in _NAMED_REF.finditer(text):
        # "刚才锁的那个", "快到期那个": picked by when it was made or runs out; "便宜那个", "最早那个": by its rank.
        before = text[: m.start()]
        named = not (_BY_TIME.search(before) or _BY_RANK.search(before))
        first = 1 if _FIRST_BEFORE.search(before) else None
        add(Reference(index=first, kind=None, span=m.span(), text=m.group(0), named=named))
    bare = None if out else _implicit_booking(text)
    if bare:
        return [bare]
    out.sort(key=lambda r: r.span)
    first = next((r.span[0] for r in out if r.named), None)
    # "the PVC one — who owns it?", "华东院那个卷对卷的，再帮它找找买家": a pronoun after words that pick the record is
    # that record again, named by those words, not a pointer into the list. "confirm BK-2027-0055 and drop the
    # rest", "release the Luhu one, keep the rest": the rest is what those words (or the code) leave.
    picked = min([p for p in (first, text.find(_CODE_FILL)) if p is not None and p >= 0], default=None)
    # "他们那个行星滚柱丝杠的成果", "他们的激光中试线": a record of theirs, named by the words after; their need
    # ("他们那个…的需求") is the organisation's own.
    out = [
        r.model_copy(update={"named": True})
        if r.text == "他们" and _THEIR_RECORD.match(text, r.span[1])
        else r
        for r in out
    ]
    # "compare the Ruoshui stent with the Chenxi one and license the better one", "…哪个TRL高？高的那个…": a pick
    # by rank among the records the message names is one of those.
    return [
        r.model_copy(update={"named": True})
        if (first is not None and r.span[0] > first and _PRONOUN.fullmatch(r.text))
        or (first is not None and r.span[0] > first and _ranked(text, r))
        or (picked is not None and r.span[0] > picked and _COMPLEMENT.fullmatch(r.text))
        else r
        for r in out
    ]


def _ranked(text: str, ref: Reference) -> bool:
    """Whether `ref` picks by rank: "the cheaper one", "便宜那个", "TRL最高的那个"."""
    return bool(_EN_RANK.fullmatch(ref.text) or _BY_RANK.search(text[: ref.span[0]]))


_EN_RANK = re.compile(rf"the\s+(?:{_RANK_ADJ})\s+one", re.I)
_COMPLEMENT = re.compile(r"the rest|剩下(?:那|的)", re.I)


_THEIR_RECORD = re.compile(r"(?:那个|的)(?![^，。,.;；！？!?\s]*需求)[^，。,.;；！？!?\s]{2,}")
_HOLD_AT = re.compile(r"\s+(?:on|at)\s", re.I)
_CN_DEMONSTRATIVE = re.compile(r"那(?:个|家|条|一)")


def _described_before(text: str, start: int) -> bool:
    """Whether words of description stand right before a demonstrative at `start` ("海棠那个", "安徽那家的"),
    not a verb taking it ("锁那个"), a filler ("就那个") or a time ("刚才锁的那个")."""
    if start == 0 or not re.match(r"[\u4e00-\u9fffA-Za-z0-9）)]", text[start - 1]):
        return False
    before = text[:start]
    return text[start - 1] not in _CN_BEFORE and not (_BY_TIME.search(before) or _BY_RANK.search(before))


_BY_TIME = re.compile(r"(?:刚才?|原来|之前|先前|到期|过期)[^，。,.;；！？!?\s]{0,4}$")
# "便宜那个", "TRL最高的那个", "最匹配的那家": a pick by rank in the list, a pointer; the first ones rank first.
_BY_RANK = re.compile(r"(?:最[\u4e00-\u9fff]{1,3}?|便宜|贵|早|晚|近|远|高|低|靠前|靠后)的?$")
_FIRST_BEFORE = re.compile(r"(?:最早|最先|靠前|最匹配|最合适|最好)的?$")
_PRONOUN = re.compile(r"it|them|that|它|它们", re.I)
# "make it 3 weeks", "narrow it to TRL 8", "sort them by size": the request is changed, nothing is pointed at;
# "got it", "that's it", "while you're at it", "ok do it" are idioms.
_CHANGES_REQUEST = re.compile(
    r"\b(?:make|narrow|loosen|widen|bump|sort|filter|restrict|limit|broaden|tighten|rank|order)\s+$", re.I
)
_IDIOM = re.compile(r"\b(?:got|that'?s|that’s|sorts|at|do|go for)\s+$", re.I)


def extract_reference(text: str) -> Reference | None:
    """The first reference to earlier results, or None."""
    refs = find_references(text)
    return refs[0] if refs else None


# --- everything at once ---------------------------------------------------------------------------


_FULL_DATE = re.compile(
    r"(?P<y>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]|-(?P<m2>\d{1,2})-(?P<d2>\d{1,2})\b)"
)


def find_invalid_date(text: str) -> str | None:
    """The first year-month-day written in `text` that is not a real date ("2027年2月30日", "2027-02-30")."""
    for m in _FULL_DATE.finditer(text):
        month, day = int(m["m1"] or m["m2"]), int(m["d1"] or m["d2"])
        try:
            date(int(m["y"]), month, day)
        except ValueError:
            return m.group(0)
    return None


class Slots(BaseModel):
    """Everything extracted from one message."""

    dates: DateRange | None = None
    reversed_range: ReversedRange | None = Field(
        None, description="A range whose end is before its start: to point out."
    )
    invalid_date: str | None = Field(
        None, description='A calendar date that does not exist ("2月30日"): to point out.'
    )
    duration_days: int | None = None
    money: list[float] = Field(default_factory=list)
    percentages: list[Percent] = Field(default_factory=list)
    trl: TrlRange | None = Field(None, description='The TRL asked for ("TRL 6以上的成果"): a filter.')
    trl_stated: TrlRange | None = Field(
        None, description='The TRL the user states of their technology ("our stack, TRL 4"): to match with.'
    )
    term_years: int | None = None
    domains: list[str] = Field(
        default_factory=list, description='Fields the user names ("hydrogen results", "储能方向"): filters.'
    )
    domain_hints: list[str] = Field(
        default_factory=list,
        description='Fields the topic words imply ("perovskite" -> new_energy): to rank or describe by, not to filter.',
    )
    regions: list[str] = Field(
        default_factory=list, description='Regions the user asks for things in ("江苏的电池厂"): filters.'
    )
    region_hints: list[str] = Field(
        default_factory=list,
        description='Regions naming a record the user has in mind ("the Gansu test field", "国澄浙江"): not filters.',
    )
    record_ids: list[str] = Field(default_factory=list)
    hold_refs: list[str] = Field(default_factory=list)
    deal_type: DealType | None = None
    licence: bool = Field(
        False, description="A licence named without exclusivity or another structure (no deal_type stated)."
    )
    enterprise_size: EnterpriseSize | None = None
    unit_rule: bool = Field(
        False, description="The user says their unit's own rule sets the inventor reward (Art. 44)."
    )
    org_kinds: list[OrgKind] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    shift: Shift | None = Field(
        None, description='Moves the dates asked before: "往后推一周", "push it back a week".'
    )

    consumed: list[Span] = Field(default_factory=list, description="Character spans some slot explained.")
    details: list[Span] = Field(
        default_factory=list,
        description="Spans of ids, dates, amounts and regions: what to cut before reading a description.",
    )

    def pointers(self) -> list[Reference]:
        """References written in words ("the second one", "it"), not the hold a bare "确认吧" acts on."""
        return [r for r in self.references if not r.implicit]

    def percent(self, role: PercentRole) -> float | None:
        for p in self.percentages:
            if p.role == role:
                return p.value
        return None

    def ids(self, prefix: str) -> list[str]:
        return [r for r in self.record_ids if r.startswith(prefix + "-")]


def extract_slots(text: str, today: date) -> Slots:
    """All slots of `text`, extracted in an order that keeps them from stealing each other's words.

    Memoised per (text, today): the planner reads the same message several times per turn (each
    plan call and the responder). Callers get their own deep copy, so the memo cannot be mutated.
    """
    return _extract_slots_cached(text, today).model_copy(deep=True)


@lru_cache(maxsize=512)
def _extract_slots_cached(text: str, today: date) -> Slots:
    return _extract_slots(text, today)


def _extract_slots(text: str, today: date) -> Slots:
    taken: list[Span] = []
    ids = find_record_ids(text)
    taken += [s for _, s in ids]
    hold_refs = extract_hold_refs(text)
    taken += [m.span() for m in _REF_RX.finditer(text)]
    masked = mask(text, taken)
    # A reversed range ("3月10日到3月5日") is a mistake, not two start dates.
    backwards = find_reversed_ranges(masked, today)
    taken += [r.span for r in backwards]
    masked = mask(text, taken)
    dates = find_date_ranges(masked, today)
    taken += [f.span for f in dates]
    dates = [f for f in dates if not bookings_after(text, f.span)]
    picks = [f for f in dates if picks_a_booking(text, f.span)]
    asked = [f for f in dates if f not in picks]
    # A month picking a booking is the window unless another date is the one asked for (booked.py).
    dates = asked or [f for f in picks if whole_month(f.value.start, f.value.end)]
    masked = mask(text, taken)
    durations = find_durations(masked, unmasked=text)
    taken += [f.span for f in durations]
    masked = mask(text, taken)
    money = extract_money(masked)
    taken += [m.span for m in money]
    masked = mask(text, taken)
    pcts = extract_percentages(masked)
    taken += [p.span for p in pcts]
    masked = mask(text, taken)
    trl = find_trl(masked)
    stated = find_stated_trl(masked)
    for f in (trl, stated):
        if f:
            taken.append(f[1])
            masked = mask(text, taken)
    term = find_term_years(masked)
    if term:
        taken.append(term[1])
    domains = find_domains(text)
    hints = find_domain_hints(text)
    regions = find_regions(text)
    region_hints = find_region_hints(text)
    deal = find_deal_type(text)
    licence = find_licence(text)
    size = find_enterprise_size(text)
    unit_rule = find_unit_rule(text)
    # An id or a booking code stands in as a word of description: "FAC-0058那个放掉" picks that record by its id,
    # a named reference; "BK-2027-0088 转正式" is no bare confirm.
    refs = find_references(
        mask(text, [s for _, s in ids] + [m.span() for m in _REF_RX.finditer(text)], _CODE_FILL)
    )
    picked = asked_window(text, dates)
    when = picked.value if picked else None
    if when is not None and when.days == 1 and not when.exact and durations and durations[0].days >= 1:
        when = DateRange(
            start=when.start
        )  # "tomorrow for 3 days", "on Jan 6, five days": the stay starts there
    if _CHATTER.search(text):
        when = None  # "明天北京下雨吗", "a train ticket for tomorrow": small talk, no window asked for
    return Slots(
        dates=when,
        reversed_range=backwards[0] if backwards else None,
        invalid_date=find_invalid_date(text),
        duration_days=durations[0].days if durations else None,
        money=[m.cny for m in money],
        percentages=pcts,
        trl=trl[0] if trl else None,
        trl_stated=stated[0] if stated else None,
        term_years=term[0] if term else None,
        domains=[d for d, _ in domains],
        domain_hints=[d for d, _ in hints],
        regions=[r for r, _ in regions],
        region_hints=[r for r, _ in region_hints],
        record_ids=[r for r, _ in ids],
        hold_refs=hold_refs,
        deal_type=deal[0] if deal else None,
        licence=licence is not None,
        enterprise_size=size[0] if size else None,
        unit_rule=unit_rule is not None,
        org_kinds=extract_org_kinds(text),
        references=refs,
        shift=find_shift(text) if when is None else None,
        consumed=sorted(
            taken
            + [s for _, s in domains]
            + [s for _, s in hints]
            + [s for _, s in regions + region_hints]
            + [sp for _, sp in find_deal_mentions(text)]
            + ([licence] if licence else [])
            + ([size[1]] if size else [])
            + ([unit_rule] if unit_rule else [])
            + [m.span() for m in _LUMP_SUM.finditer(text)]
        ),
        details=sorted(taken + [s for _, s in regions + region_hints] + [r.span for r in refs]),
    )


def _after_records(refs: list[Reference], text: str, records: Sequence[Span]) -> list[Reference]:
    first = min(b for _, b in records)
    return [
        r.model_copy(update={"named": True})
        if r.span[0] >= first and r.index is None and r.kind is None and _PRONOUN.fullmatch(r.text)
        else r
        for r in refs
    ]


def _in_or_ends(span: Span, names: list[Span], text: str) -> bool:
    """Whether `span` lies in a name or right after one (its kind suffix: "…研究院", "… University", "…那个基金";
    not "from Songtao, SOEs")."""
    return _overlaps(span, names) or any(
        0 <= span[0] - b <= 3 and re.fullmatch(r"\s*|那个|这个|的", text[b : span[0]]) for _, b in names
    )


# A region word right before a linked organisation's name (or tied to it by 的), or right after it (or by "in"),
# says where that organisation is: "湖北溯川生物医药研究院", "吉林的Jinglan研究院", "青海明川那家", "Zhongchi in Hunan".
_REGION_BEFORE_ORG = re.compile(r"\s*(?:的|嘅)?\s*")
_REGION_AFTER_ORG = re.compile(r"\s*(?:\bin\s+)?")


def _tied_to(span: Span, orgs: Sequence[Span], text: str) -> bool:
    """Whether the region word at `span` is tied to one of the organisation names `orgs` (see `_REGION_BEFORE_ORG`)."""
    a, b = span
    return any(
        (na >= b and _REGION_BEFORE_ORG.fullmatch(text[b:na]) is not None)
        or (a >= nb and _REGION_AFTER_ORG.fullmatch(text[nb:a]) is not None)
        for na, nb in orgs
    )


def without_names(
    slots: Slots, text: str, spans: list[Span], orgs: Sequence[Span] = (), records: Sequence[Span] = ()
) -> Slots:
    """Slots with the words inside record names taken out of the filters: "Guangdong Hydrogen Institute",
    "鹤岭氢能研究院" or "Cangling Science and Technology Fund" name a record; their region, field and kind
    words are not what the user asks to filter by (measured: bench/slots.py, with and without linking).
    `orgs`, the spans among them that name organisations, also take out a region tied to one (`_tied_to`).
    `records`: where the message names an achievement or facility in words ("the pipeline inspection glider —
    who owns it?"); a pronoun after one is that record, named, not a pointer into an earlier list."""
    if records:
        slots = slots.model_copy(update={"references": _after_records(slots.references, text, records)})
    if not spans:
        return slots
    masked = mask(text, spans)
    return slots.model_copy(
        update={
            "domains": [d for d, _ in find_domains(masked)],
            "domain_hints": [d for d, _ in find_domain_hints(masked)],
            # Read on the whole text: "Huaqi Zhejiang" names the organisation even when "Huaqi" is linked.
            "regions": [
                r for r, sp in find_regions(text) if not _overlaps(sp, spans) and not _tied_to(sp, orgs, text)
            ],
            "region_hints": [r for r, sp in find_region_hints(text) if not _overlaps(sp, spans)],
            # Read on the whole text too: the kind word ending a linked name ("溪谷生物医药|研究院", "瀚海成长|基金")
            # is part of the name, not a kind asked for.
            # Every mention counts: "Chulan那个基金…做个投资人清单" still asks for investors after the name.
            "org_kinds": [
                k
                for k, _ in _first_of_each(
                    [(k, sp) for k, sp in find_org_kind_mentions(text) if not _in_or_ends(sp, spans, text)]
                )
            ]
            if slots.org_kinds
            else [],
        }
    )
