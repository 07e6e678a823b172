"""Intent detection: which jobs one message asks for, in the order the user wrote them.

A message is split into clauses (punctuation and "and/then/然后/并"); each intent has strong
triggers (count anywhere) and weak ones (a bare noun such as "合作方" or "partner", which only
counts when nothing stronger claims its clause, so "起草与第二家合作方的协议" is one job, not two).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

IntentName = Literal[
    "find_partners",
    "find_achievements",
    "search_achievements",
    "find_facilities",
    "check_availability",
    "hold_slot",
    "release_hold",
    "confirm_booking",
    "list_bookings",
    "draft_term_sheet",
    "policy",
    "get_record",
    "help",
    "thanks",
]

INTENTS: tuple[str, ...] = IntentName.__args__  # type: ignore[attr-defined]


class Intent(BaseModel):
    """One detected job with the trigger that revealed it and its clause."""

    model_config = ConfigDict(frozen=True)

    name: IntentName
    start: int
    trigger: str
    clause: str
    clause_start: int
    strong: bool = True
    scope: str = ""
    """The clause plus any following clauses without a job of their own ("…中试线档期，三周，然后…")."""


_ORG_N = r"(?:partners?|licensees?|buyers?|investors?|compan(?:y|ies)|enterprises?|manufacturers?|collaborators?|soes?|firms?|organi[sz]ations?|acquirers?|funds?|vcs?|venture\s+capital(?:ists?)?)"
_ORG_ZH = r"(?:合作方|合作伙伴|合作企业|伙伴|买家|买方|受让方|被许可方|投资方|投资机构|投资人|企业|公司|机构|单位|承接方|央企|国企|民企|厂商|厂家|基金|创投|风投|资本)"

STRONG: dict[str, list[str]] = {
    "find_partners": [
        rf"\bfind(?:ing)?\s+(?:me\s+|us\s+)?(?:some\s+|a\s+|an\s+|potential\s+|possible\s+|suitable\s+|the\s+(?:best\s+|right\s+)?|good\s+)*(?:[\w-]+\s+){{0,2}}?{_ORG_N}",
        r"\bwho\s+(?:(?:in|from|at|among)\s+[\w'-]+(?:\s+[\w'-]+)?\s+)?(?:would|might|could|will|can|wants?\s+to|is\s+likely\s+to|may)\s+(?:want\s+to\s+|be\s+(?:willing|interested)\s+to\s+)?(?:licen[cs]e|buy|invest|acquire|commerciali[sz]e|take\s+up|adopt|fund|partner|use|manufacture|back)",
        rf"\b(?:potential|possible|suitable|best|right|likely|good)\s+{_ORG_N}",
        rf"\bmatch(?:ing|es)?\s+(?:me\s+|us\s+|it\s+)?(?:with\s+|to\s+)?(?:\w+\s+)?{_ORG_N}",
        r"\b(?:partners?|investors?|buyers?|licensees?)\s+for\b",
        rf"\bwhich\s+{_ORG_N}",
        r"\b(?:who|anyone|anybody)\s+(?:is|are|would\s+be|might\s+be)\s+interested",
        rf"\b(?:recommend|suggest|shortlist)\s+(?:some\s+)?{_ORG_N}",
        r"\bwho\s+(?:should|could|can)\s+(?:i|we)\s+(?:talk|approach|pitch|sell|licen[cs]e)",
        rf"(?:找|寻找|物色|匹配|对接|推荐|筛选)(?:一下|一些|几家|个|些|到|出)?[^，。,;；！？!?]{{0,24}}?{_ORG_ZH}",
        r"谁(?:会|愿意|可能|想|能|可以|有意)(?:许可|购买|买|投资|受让|承接|引进|合作|接手|使用|采用|生产)",
        rf"(?:哪些|哪家|哪几家|什么样的?)[^，。,;；！？!?]{{0,8}}?{_ORG_ZH}",
        rf"(?:潜在|合适|意向)的?{_ORG_ZH}",
        r"愿意(?:许可|购买|投资|受让|承接|合作|引进)",
        rf"{_ORG_ZH}[^，。,;；！？!?]{{0,20}}?(?:感兴趣|有兴趣|有意向|有需求)",
    ],
    "find_achievements": [
        r"\blooking\s+for\s+(?:a\s+|an\s+|some\s+)?(?:\w+\s+){0,4}?(?:technolog(?:y|ies)|solutions?|achievements?|methods?|process(?:es)?|ways?)\b",
        r"\bour\s+(?:technical\s+)?needs?\b",
        # "What achievements would suit ORG-0002's needs?", "meet the needs of ORG-0002"
        r"\b(?:suit|suits|match|matches|meet|meets|fit|fits|address|addresses|serve|serves|answer|answers|solve|solves)\s+(?:[\w'’-]+\s+){0,3}?needs?\b",
        r"\b(?:ORG-\w+)['’]s?\s+(?:technical\s+)?needs?\b",
        r"\b(?:we|i)\s+(?:need|require|want|seek)\s+(?:a\s+|an\s+|some\s+)?(?:\w+\s+){0,4}?(?:technolog(?:y|ies)|solutions?|methods?|process(?:es)?|way)\b",
        r"\b(?:technolog(?:y|ies)|achievements?|solutions?)\s+(?:that|which)\s+(?:can|could|would|will)\b",
        r"\bfind\s+(?:me\s+|us\s+)?(?:a\s+|some\s+)?(?:technolog(?:y|ies)|solutions?)\s+(?:for|to|that)\b",
        r"(?:寻找|找|需要|求购|征集|物色|引进)(?:一[种项个套]|些|能|可以)?[^，。,;；！？!?]{0,24}?(?:技术|解决方案|方案|工艺|成果)(?!的?(?:企业|公司|机构|合作方|伙伴|买家|投资))",
        r"技术需求|我们的需求|我方需求|求购",
        r"(?:满足|符合|适合|匹配|对接|解决)[^，。,;；！？!?]{0,16}?(?:的)?需求",
        r"(?:我们|我方|我司|本公司|我们公司|我公司|我单位|我们单位|我厂)(?:现在|目前)?(?:需要|想要|急需|寻求|想找|在找|希望引进)",
    ],
    "search_achievements": [
        r"\b(?:search|list|show|browse)\s+(?:me\s+)?(?:for\s+)?(?:all\s+|the\s+|some\s+|any\s+)?(?:[\w-]+\s+){0,4}?(?:achievements|results|technologies|patents|projects)\b",
        r"\bfind\s+(?:me\s+)?(?:all\s+|the\s+|some\s+|any\s+)?(?:[\w-]+\s+){0,4}?(?:achievements|patents)\b",
        r"\bwhat\s+(?:achievements|technologies|patents)\b",
        r"\bany\s+(?:[\w-]+\s+){0,3}?(?:achievements|technologies|patents)\b",
        r"\bsearch\b",
        r"(?:搜索|查找|检索|查询|搜一下|查一下|列出|列一下|有哪些|有什么|有没有)[^，。,;；！？!?]{0,20}?(?:成果|技术|专利)",
        r"(?:成果|技术|专利)(?:有哪些|列表|清单)",
    ],
    "find_facilities": [
        r"\bpilot[-\s]?(?:lines?|plants?|facilit(?:y|ies)|production|scale|tests?|bases?|runs?)\b",
        r"\btest[-\s]?beds?\b",
        r"\btest(?:ing)?\s+(?:facilit(?:y|ies)|sites?|centers?|centres?|lines?)\b",
        r"\bdemonstration\s+(?:sites?|lines?|plants?|projects?)\b",
        r"\b(?:find|need|search|look\s+for|looking\s+for|recommend)\s+(?:a\s+|an\s+|some\s+)?(?:[\w-]+\s+){0,3}?(?:facilit(?:y|ies)|labs?|laborator(?:y|ies))\b",
        r"\bscale[-\s]?up\b",
        r"中试|试验(?:线|平台|基地|场)|测试(?:平台|基地|线|中心)|示范(?:线|基地|工程|项目|场)|放大(?:试验|生产)|小试|(?:找|需要|推荐|有没有)[^，。,;；]{0,16}?(?:实验室|设施|平台|基地|产线|生产线)",
    ],
    "check_availability": [
        r"\bavailab(?:le|ility)\b",
        r"\bfree\s+(?:slots?|windows?|dates?|time|days?|periods?)\b",
        r"\bis\s+(?:it|\w+-\d+|the\s+\w+(?:\s+line)?)\s+free\b",
        r"\b(?:calendar|schedule)\b",
        r"\bwhen\s+(?:can|could|is|are)\b",
        r"\b(?:open|free)\s+(?:dates|windows|slots)\b",
        r"档期|空档|空闲|有空|可用(?:时间|时段|窗口)|什么时候(?:可以|能|有)|排期|日程|能不能(?:用|约)|有没有(?:时间|位置|空)",
    ],
    "hold_slot": [
        r"\bhold\b(?!\s*(?:reference|ref|id|number|shares?|equity|stakes?|stock|positions?|office|a\s+(?:stake|share|position|post|job|seat)))",
        r"\breserve\b",
        r"\bbook\b(?!ing)",
        r"\block\s+(?:in|down)\b",
        r"\bput\s+(?:a\s+)?hold\b",
        r"预约|预留|预订|预定|锁定|占用|占个?位|订下|订一下|帮我订|先订|留出|留个位",
    ],
    "release_hold": [
        r"\brelease\b",
        r"\bcancel\b",
        r"\b(?:drop|remove|withdraw|undo)\s+(?:the\s+|that\s+|my\s+|this\s+)?(?:hold|booking|reservation)\b",
        r"\bfree\s+up\b",
        r"取消|释放|撤销|退订|撤回|放弃(?:预约|预留|预订)|不要(?:这个|那个)?(?:预约|预留|预订)了",
    ],
    "confirm_booking": [
        r"\bconfirm\b(?!\s+(?:whether|if|that|what|how|the\s+(?:law|policy|rule)))",
        r"\bfinali[sz]e\s+(?:the\s+)?(?:booking|hold|reservation)\b",
        r"确认(?:一下)?(?:我的|我们的|刚才的?|那个|这个)?(?:预约|预订|预留|暂留)|确认(?:订单|下来|这个|该|[A-Za-z]+-)|确定(?:预订|预约|下来)|正式(?:预订|预约|确认)|转为正式|"
        r"(?:预约|预订|预留|暂留|档期)[^，。,;；?？]{0,4}?确认|把[^，。,;；]{0,12}?(?:预约|预订|预留|暂留|档期|BK-\w+)[^，。,;；]{0,3}?确(?:认|定)",
    ],
    "list_bookings": [
        r"\b(?:my|our|list|show|all)\s+(?:the\s+|my\s+|our\s+)?(?:holds|bookings|reservations)\b",
        r"\bwhat\s+(?:holds|bookings|reservations)\b",
        r"\b(?:upcoming|current|existing|live)\s+(?:holds|bookings|reservations)\b",
        r"\b(?:holds|bookings|reservations)\s+(?:of|for|at|on)\s+(?:FAC-|the\s|that\s|this\s)",
        r"\b(?:holds|bookings|reservations)\s+(?:do\s+(?:i|we)\s+have|so\s+far)\b",
        r"\bstatus\s+of\s+(?:my|our|the)\s+(?:holds?|bookings?|reservations?)\b",
        r"(?:我|我们)的(?:预订|预约|暂留|预留)|(?:预订|预约|暂留|预留)(?:有哪些|列表|情况|记录|状态|清单)|"
        r"(?:查看|看看|列出|看一下)(?:一下)?(?:我的|我们的|所有的?|全部)?(?:预订|预约|暂留|预留)|有哪些(?:预订|预约|暂留|预留)",
    ],
    "draft_term_sheet": [
        r"\bdraft\b",
        r"\bterm[-\s]?sheets?\b",
        r"\blicen[cs]e\s+(?:agreement|contract|deal)\b",
        r"\b(?:write|prepare|create|generate|make|produce)\s+(?:up\s+)?(?:a|an|the)\s+(?:[\w-]+\s+){0,3}?(?:agreement|contract|terms|licen[cs]e|deal|proposal)\b",
        r"\bdeal\s+(?:terms|structure)\b",
        r"\bprofit[-\s]sharing\s+(?:plan|scheme|waterfall|terms|arrangement)\b",
        r"起草|草拟|拟定|拟一份|出一份|生成(?:一份)?(?:条款|协议|合同)|条款(?:清单|书)|(?:许可|转让|合作|入股|投资|授权)(?:协议|合同)|收益分配方案|利益分配方案|交易条款|意向书",
    ],
    "policy": [
        r"\bpolic(?:y|ies)\b",
        r"\b(?:law|laws|legal(?:ly)?|regulations?|statut(?:e|es|ory)|legislation)\b",
        r"\barticle\s+\d+\b",
        r"\bhow\s+much\s+(?:must|should|do|does|can|will|would)\s+(?:the\s+)?(?:inventors?|researchers?|team)",
        # "how much of the resulting equity goes to the inventors", "what share must go to the inventors"
        r"\b(?:how\s+much|what\s+(?:share|percentage|portion|proportion|part|cut|reward))\b[^?.;]{0,80}?\b(?:inventors?|researchers?|inventor\s+team|scientific\s+staff)\b",
        r"\b(?:goes?|go|belongs?|is\s+due|are\s+due)\s+to\s+(?:the\s+)?(?:inventors?|researchers?)\b",
        r"\b(?:inventors?|researchers?)\s+(?:must|should|have\s+to)?\s*(?:get|receive|be\s+(?:paid|rewarded))\b",
        r"\btax\s+(?:exemptions?|exempt|relief|breaks?|incentives?|treatment|benefits?)\b|\btax[-\s]exempt|\bexempt(?:ion)?\b",
        r"\btechnology[-\s]transfer\s+income\b|\bincome\s+tax\b|\b(?:eit|vat)\b|\b(?:tax|taxes|taxation|taxed)\b|\brules?\b",
        r"\bequity\s+incentives?\b|\bdividend\s+(?:incentives?|pool)\b",
        # "Can a professor hold shares in a spin-off?", "may researchers work part-time at a start-up?"
        r"\b(?:can|may|could|is\s+it\s+allowed|are\s+\w+\s+allowed)\b[^?.;]{0,40}?\b(?:professors?|researchers?|scientists?|"
        r"faculty|staff|inventors?|employees?)\b[^?.;]{0,40}?\b(?:shares?|equity|stakes?|part[-\s]time|spin[-\s]?offs?|start[-\s]?ups?|leave)\b",
        r"\bspin[-\s]?(?:offs?|outs?)\b",
        r"(?:科研人员|科技人员|教授|教师|研究人员|职工|员工)[^，。？?]{0,10}?(?:兼职|离岗|创业|持股|入股|任职)|离岗创业|兼职取酬",
        # "What royalty rate is typical?", "专利许可提成一般多少？" (not "royalty 4%" inside a draft).
        r"\b(?:typical|usual|normal|common|customary|standard|market|reasonable)\s+royalt(?:y|ies)"
        r"|\b(?:what|how\s+much|which)\s+(?:\w+\s+){0,2}?royalt(?:y|ies)"
        r"|\broyalt(?:y|ies)\s+(?:rates?\s+)?(?:are|is)\s+(?:typical|usual|normal|common|customary|standard)",
        r"(?:提成|许可费|使用费)(?:比例|费率|率)?(?:一般|通常|大概|大约|多为)|(?:一般|通常|行业|市场)[^，。,;；]{0,8}(?:提成|许可费率|使用费率)"
        r"|(?:提成|许可费|使用费)(?:比例|费率|率)?(?:是|为|应该是|定)?多少",
        r"\bwhat\s+(?:does|do)\s+(?:the\s+)?(?:law|rules?|regulations?)\b",
        r"\bis\s+it\s+(?:legal|allowed|permitted)\b",
        r"技术转让所得|成果转化(?:收入|所得)|"
        r"政策|规定|法律|法规|条例|实施细则|管理办法|第[一二三四五六七八九十百零\d]+条|免税|减免|税收|所得税|税务|股权激励|分红激励|奖励比例|报酬比例|是否合法|合不合法|法定|依法",
        # "完成人至少能分多少？", "发明人应该拿多少", "科研人员能获得多大比例"
        r"(?:完成人|发明人|科研人员|研发人员|科技人员|成果完成团队)[^，。,;；？?]{0,16}?(?:多少|几成|多大比例|什么比例|比例是)",
    ],
    "get_record": [
        r"\btell\s+me\s+(?:more\s+)?about\b|\btell\s+me\s+more\b",
        r"\b(?:details?|information|info)\s+(?:of|on|about|for)\b",
        r"\bmore\s+(?:info|information|details)\b",
        r"\bwhat\s+is\s+(?:ACH|ORG|FAC)-",
        r"\b(?:show|open|look\s+up|describe)\s+(?:me\s+)?(?:ACH|ORG|FAC)-",
        r"\bwho\s+(?:is|owns)\s+(?:ACH|ORG|FAC)-",
        r"介绍|详细(?:信息|情况|资料)?|详情|具体(?:信息|情况)|基本情况|是什么|查看|展开说说|更多信息",
    ],
    "help": [
        r"^\s*(?:hi|hello|hey|good\s+(?:morning|afternoon|evening))\b",
        r"\bhelp\b|\bwhat\s+can\s+you\s+do\b|\bhow\s+do\s+i\s+use\b|\bwho\s+are\s+you\b|\bwhat\s+are\s+you\b",
        r"^\s*(?:你好|您好|嗨|哈喽|在吗)|帮助|你能做什么|你可以做什么|你会什么|怎么用|如何使用|使用说明|你是谁",
    ],
    "thanks": [
        r"^\s*(?:thanks|thank\s+you|thx|cheers|great,?\s+thanks)\b",
        r"谢谢|多谢|感谢",
    ],
}

WEAK: dict[str, list[str]] = {
    "find_partners": [
        rf"\b{_ORG_N}\b",
        rf"{_ORG_ZH}",
    ],
    "find_achievements": [r"\bwe\s+(?:need|are\s+looking\s+for)\b|我们需要|我们想要|需要一[种项个]"],
    "find_facilities": [
        r"\bfacilit(?:y|ies)\b|\blabs?\b|\blaborator(?:y|ies)\b|设施|实验室|平台|基地|产线|生产线"
    ],
    "check_availability": [r"\bcheck\b|\bslots?\b|\bwindows?\b|\bwhen\b|时间|查一下|看看"],
    "policy": [
        r"\b(?:rules?|allowed|permitted|compliant|compliance|must|minimum|maximum|cap|limit)\b|合规|允许|可以吗|能否|要求|奖励|报酬|最低|上限|至少",
    ],
    "search_achievements": [r"\b(?:achievements?|technolog(?:y|ies))\b|成果"],
}

# Negations right before a trigger cancel it: "don't hold anything", "先不要预约".
_NEGATION = re.compile(
    r"(?:\bdon'?t|\bdo\s+not|\bno\s+need\s+to|\bwithout|\bnot|\bnever|不要|不用|无需|别|不必|暂不|先不)\s*(?:\w+\s+)?$",
    re.I,
)

_CLAUSE_SPLIT = re.compile(
    r"[,，;；。!?！？\n]+|\.(?:\s+|$)|\s+(?:and\s+then|then|and\s+also|also|and|plus|as\s+well\s+as)\s+|然后|并且|之后|接着|再(?=[帮查找起拟预确取看做])|同时|另外|以及|并(?=[帮查找起拟预确取看])",
    re.I,
)


def split_clauses(text: str) -> list[tuple[int, str]]:
    """Clauses with their start offsets."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in _CLAUSE_SPLIT.finditer(text):
        if m.start() > pos:
            out.append((pos, text[pos : m.start()]))
        pos = m.end()
    if pos < len(text):
        out.append((pos, text[pos:]))
    return [(s, c) for s, c in out if c.strip()]


_STRONG_RX = {k: [re.compile(p, re.I) for p in v] for k, v in STRONG.items()}
_WEAK_RX = {k: [re.compile(p, re.I) for p in v] for k, v in WEAK.items()}


def _hits(rxs: dict[str, list[re.Pattern[str]]], clause: str) -> dict[str, re.Match[str]]:
    """The first non-negated match of each intent in `clause`."""
    found: dict[str, re.Match[str]] = {}
    for name, patterns in rxs.items():
        best: re.Match[str] | None = None
        for rx in patterns:
            for m in rx.finditer(clause):
                if _NEGATION.search(clause[max(0, m.start() - 16) : m.start()]):
                    continue
                if best is None or m.start() < best.start():
                    best = m
                break
        if best is not None:
            found[name] = best
    return found


_ORG_ID = re.compile(r"(?<![A-Za-z])ORG-\w+", re.I)
_RECORD_ID = re.compile(r"(?<![A-Za-z])(?:ACH|ORG|FAC)-\w+", re.I)


def _resolve_clause(strong: dict[str, re.Match[str]], clause: str) -> dict[str, re.Match[str]]:
    """Settle intents that compete for the same words in one clause."""
    s = dict(strong)
    # Releasing or confirming a hold mentions "hold"/"预约" but is not a new hold.
    if ("release_hold" in s or "confirm_booking" in s) and "hold_slot" in s:
        del s["hold_slot"]
    # "我的预订有哪些" / "show my holds": a list, not a new hold; "confirm my booking" acts on one.
    if "list_bookings" in s:
        s.pop("hold_slot", None)
        s.pop("get_record", None)
        s.pop("check_availability", None)
        if "release_hold" in s or "confirm_booking" in s:
            del s["list_bookings"]
    # "Find partners" vs "find a technology": in Chinese the object comes last, in English first.
    if "find_partners" in s and "find_achievements" in s:
        p, a = s["find_partners"], s["find_achievements"]
        zh = bool(re.search(r"[\u4e00-\u9fff]", clause))
        asks_who = re.match(r"谁|哪|which|who", p.group(0), re.I) is not None
        keep_partners = asks_who or (p.end() >= a.end() if zh else p.start() <= a.start())
        del s["find_achievements" if keep_partners else "find_partners"]
    if "find_achievements" in s and "search_achievements" in s:
        del s["search_achievements"]

    # Searching for partners is not an achievement search.
    if "search_achievements" in s and "find_partners" in s:
        del s["search_achievements"]
    # "Who would license …" reads as "licence" but asks for partners, not a draft.
    if "draft_term_sheet" in s and "get_record" in s:
        del s["get_record"]
    # "减免企业所得税的条件是什么？" / "what is the tax rule": a question about a policy, not a record lookup
    # (a lookup needs an id such as ACH-0001 in its clause).
    if "policy" in s and "get_record" in s and not _RECORD_ID.search(clause):
        del s["get_record"]
    # "Confirm" inside a policy question ("confirm the rule") is not a booking.
    if (
        "confirm_booking" in s
        and "policy" in s
        and not re.search(r"hold|booking|预约|预订|预留", clause, re.I)
    ):
        del s["confirm_booking"]
    return s


def detect_intents(text: str) -> list[Intent]:
    """Intents of `text` in the order the user wrote them (first trigger of each, deduplicated)."""
    found: list[Intent] = []
    for start, clause in split_clauses(text):
        strong = _resolve_clause(_hits(_STRONG_RX, clause), clause)
        weak = _hits(_WEAK_RX, clause)
        for name, m in strong.items():
            found.append(
                Intent(
                    name=name, start=start + m.start(), trigger=m.group(0), clause=clause, clause_start=start
                )
            )
        if not strong and weak:
            # A clause made only of weak cues: the earliest cue decides (one job per clause).
            name, m = min(weak.items(), key=lambda kv: kv[1].start())
            found.append(
                Intent(
                    name=name,
                    start=start + m.start(),
                    trigger=m.group(0),
                    clause=clause,
                    clause_start=start,
                    strong=False,
                )
            )
    # Weak cues only count when the message asks for nothing outright.
    if any(i.strong for i in found):
        found = [i for i in found if i.strong]
    # "Find achievements for ORG-0010" / "为ORG-0010推荐成果": that organisation's needs drive the search.
    found = [
        i.model_copy(update={"name": "find_achievements"})
        if i.name == "search_achievements" and _ORG_ID.search(i.clause)
        else i
        for i in found
    ]
    names = {i.name for i in found}
    # A need-driven search beats a plain one ("我们需要…，有哪些成果？").
    if "find_achievements" in names and "search_achievements" in names:
        found = [i for i in found if i.name != "search_achievements"]
    found.sort(key=lambda i: i.start)
    starts = sorted({i.clause_start for i in found})
    out: list[Intent] = []
    seen: set[str] = set()
    for i in found:
        if i.name not in seen:
            seen.add(i.name)
            later = [s for s in starts if s > i.clause_start]
            end = later[0] if later else len(text)
            out.append(i.model_copy(update={"scope": text[i.clause_start : end]}))
    return out


def intent_names(text: str) -> list[str]:
    return [i.name for i in detect_intents(text)]
