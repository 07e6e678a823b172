"""Regions in a message, and which of them the user filters by.

The corpus labels a region only when the message asks for things *in* it ("江苏有没有…的中试线",
"licensees in Hebei or Hubei", "只看广东的"). A region that picks out one record the user already has in
mind is part of that record's name, not a filter: "the Gansu test field", "the Qinghai one", "the pilot
plant in Zhejiang" (after a definite article), "河北那个CO2实验室", an organisation with its region
("中砺氢能宁夏", "Huaqi Zhejiang", "Beijing Guocheng Micro"). Nor is a region excluded ("江苏以外", "nothing
from Guangdong"), one in small talk about weather or travel ("今天北京冷不冷", "a flight to Chengdu"), or one a
question asks a record to be in ("Fengqi是湖北的吧", "在四川吗", "are they in Anhui?"), or the one facility whose
price, calendar or hold a message asks about ("陕西的液体火箭发动机试车台一天多少钱", "Gansu flow battery line, 9
days, early Feb?"): only a search is filtered by region. A city says where someone is ("我是苏州一个…中心的",
"a Shenzhen phone maker needs …") unless things are asked for near it or in it ("苏州附近", "near Hefei").
Those are `hints`: the planner may still rank a facility search by them.
"""

from __future__ import annotations

import re

from agent.builtin.spans import Span
from knowledge.regions import CITY_REGION, REGIONS

_NAMES: dict[str, str] = {
    **{zh: en for en, zh in REGIONS.items()},
    **{en.lower(): en for en in REGIONS},
}
_NAMES.update({zh + suffix: en for en, zh in REGIONS.items() for suffix in ("省", "市", "自治区")})
_NAMES.update(CITY_REGION)
_NAMES["内蒙"] = "Inner Mongolia"
# Areas the corpus spells out as their provinces.
_AREAS: dict[str, list[str]] = {
    "长三角": ["Shanghai", "Jiangsu", "Zhejiang", "Anhui"],
    "江浙沪": ["Jiangsu", "Zhejiang", "Shanghai"],
    "江浙": ["Jiangsu", "Zhejiang"],
}
_RX = re.compile(
    "|".join(
        (rf"(?<![a-z]){re.escape(n)}(?![a-z])" if n.isascii() else re.escape(n))
        for n in sorted([*_NAMES, *_AREAS], key=len, reverse=True)
    ),
    re.I,
)
_REGION_NEXT = re.compile(
    r"^\s+(?:"
    + "|".join(sorted((re.escape(n) for n in _NAMES if n.isascii()), key=len, reverse=True))
    + r")\b",
    re.I,
)

# Small talk about a place: weather, tickets, food.
CHATTER = re.compile(
    r"(?<![\d一二两三四五六七八九十几])天气|冷不冷|热不热|下雨|有雨|下雪|雾霾|机票|高铁票|火车票|航班|酒店|餐厅|饭店|火锅|好吃"
    r"|\bweather\b|\bflights?\b|\b(?:train|plane|air) tickets?\b|\bhotels?\b|\brestaurants?\b|\bhotpot\b"
    r"|\bcapital of\b",
    re.I,
)
_EXCLUDED_BEFORE = re.compile(
    r"(?:\b(?:not|nothing|none|no)\s+(?:from|in)\s+|\b(?:except|excluding|exclude|other than|besides|outside)\s+(?:the\s+)?"
    r"|除了|不要|不考虑|排除|不去)$",
    re.I,
)
_EXCLUDED_AFTER = re.compile(r"^\s*(?:以外|之外|除外)")
# "广东话", "四川话": a dialect, not a place.
_DIALECT_AFTER = re.compile(r"^话")
# "the Gansu one", "the other Zhejiang hold", "Hebei's CO2 lab", "Zhongli's park in Jiangsu".
_DEFINITE_BEFORE = re.compile(r"\b(?:the|that|this)\s+(?:other\s+|same\s+)?$", re.I)
# "just the Guangdong ones" narrows a list: a filter.
# Several records ("the Beijing IC labs", "the Zhejiang sodium-ion and LMFP achievements", "the Hunan SOEs",
# "the aerospace achievements held by units in Hunan"): a plural list noun narrows a list, a filter.
_PLURAL_LIST = (
    r"(?:ones|facilities|labs|sites|platforms|holds|bookings|lines|plants|achievements|results|technologies|patents"
    r"|soes|companies|firms|universities|institutes|investors|funds|organi[sz]ations|units|makers|partners|stuff)"
)
_ONES_AFTER = re.compile(rf"^(?:\s+(?!(?:for|with|that|in|one)\b)[\w/-]+){{0,4}}?\s+{_PLURAL_LIST}\b", re.I)
_PLURAL_IN = re.compile(rf"\b{_PLURAL_LIST}\b", re.I)
_POSSESSIVE_AFTER = re.compile(r"^['’]s\b")
# "the carbody pilot workshop in Hubei", "our hold on the PV site in Beijing": a definite noun phrase
# (no verb, article or conjunction inside it) ended by "in <region>".
_DEFINITE_IN = re.compile(
    r"(?:\b(?:the|that|this)|[A-Z][a-z]+['’]s)\s+(?!(?:best|top|cheapest|nearest|closest|right|ones)\b)"
    r"(?:(?!(?:a|an|any|some|or|and|for|with|that|which|who|can|could|to|is|are)\b)[\w/-]+\s+){1,5}in\s+$"
)
# An organisation with its region: "Huaqi Zhejiang", "Zhongli PV Qinghai", "Guoyao Shaanxi",
# "Beijing Guocheng Micro", "Jiangsu Yuefeng Capital".
_ORG_WORD = (
    r"(?!(?:SOEs?|Universit\w*|Institutes?|Province|China|Or|And|The|Also|Only|Just|Maybe|Ideally|Preferably|Prefer"
    r"|Any\w*|What|How|Which|Where|Who|Show|Find|List|Search|Need|Looking|Please|Pls|Hi|Hello|Hey|Ok|Okay|Great"
    r"|Thanks|Sorry|Check|Is|Are|Do|Does|Can|Could|Both|Either|Not|Except|Plus|Then|Now|Mainly|Somewhere|Near"
    r"|Around|Outside|In|From|At|To|For|Of|On|By|With|Via|North|South|East|West|Central|Same|Drop|Release|Hold"
    r"|Book|Confirm|Lock|Cancel)\b)[A-Z][a-z]+"
)
_ORG_BEFORE_EN = re.compile(rf"\b(?:{_ORG_WORD})(?:\s+[A-Z]{{2,}})?\s+$")
_ORG_AFTER_EN = re.compile(rf"^\s+{_ORG_WORD}\b")
# "中砺氢能宁夏", "国澄浙江", "Huaqi浙江": a name (ending in a field word, or Latin letters) then the region.
_ORG_BEFORE_ZH = re.compile(
    r"(?:[A-Za-z]|[\u4e00-\u9fff]{2}(?:氢能|能源|光伏|数据|电子|材料|复材|化工|电力|储能|生物|医药|科技|动力|碳资产|装备|资本|智能|半导体))$"
)
# Where the user or the requester is, not where to look: "We're 临皋石化 in Xinjiang", "we are a private PV maker in
# Sichuan", "I am from Guocheng New Materials, Liaoning", "Zhongyi Rolling Stock in Hubei wants …", "我们是江苏的一家
# 电机厂" (the corpus labels no region for these). Where the user is, said alone ("we're in Shandong", "我们在湖北，
# …附近有没有"), is where to look: a filter.
_SELF_WORD = (
    r"(?!(?:need|needs|want|wants|looking|searching|seeking|after|interested|for|to|open|happy|keen|fine|ok|"
    r"targeting|focus\w*|prefer\w*|considering|in)\b)[^\s.?!;:]+"
)
_SELF_BEFORE_EN = re.compile(
    rf"\b(?:we(?:'re|\s+are)|I(?:'m|\s+am))\s+(?:from\s+)?(?:{_SELF_WORD}\s+){{0,5}}{_SELF_WORD}"
    r"(?:\s+(?:(?:up\s+|down\s+|based\s+)?in|from)\s+|,\s*)$",
    re.I,
)
_SUBJECT_BEFORE_EN = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){1,3}\s+(?:up\s+|down\s+|out\s+)?in\s+$")
_SUBJECT_AFTER_EN = re.compile(r"^\s+(?:needs?|wants?|is|are|has|have)\b")
_SELF_BEFORE_ZH = re.compile(r"我们是(?:一家)?$")
# "河北那个CO2实验室", "江苏那两个", "广东那所大学": one the user has in mind (那边 is an area, not a record).
# "那个浙江的试验台", "启澜那个青海的园区": the record the user has in mind, by its region.
_THAT_ONE_BEFORE_ZH = re.compile(r"那[个条家所座台套]$")
# A question whether a record is in a region ("Fengqi是湖北的吧？", "在四川吗", "在湖南哪里", "臻岳大学系咪安徽嘅？",
# "are they in Anhui?", "is it from an institute in Beijing?") asks about that record, not for things in it.
# "有没有在广东的？" asks for some: a filter.
_ASKED_BEFORE_ZH = re.compile(r"(?<!有没有)(?<!有冇)(?<!有无)(?:是|在|系咪?|喺)(?:不是)?$")
_ASKED_AFTER_ZH = re.compile(r"^[省市]?(?:(?:的|嘅)\s*[？?]|(?:的|嘅)?\s*(?:吗|吧|嘛|么|呀|哪))")
_ASKED_BEFORE_EN = re.compile(
    r"\b(?:(?:is|are)\s+(?:it|they|that|this|these|those|he|she)|(?:it|they|that)\s+(?:is|are))\s+"
    r"(?:(?:\S+\s+){0,4}?(?:in|from)|(?:based|located)\s+in)\s+$",
    re.I,
)
_ASKED_AFTER_EN = re.compile(r"^\s*\?")
_THAT_ONE_ZH = re.compile(r"^\s*(?:那[一两二三四五]?[个条家所座台套]|这[家条所座])")


# A region on the one facility a message asks about — its price, specs or calendar, or a hold on it ("陕西的液体火箭
# 发动机试车台一天多少钱", "Gansu flow battery line, 9 days, early Feb?", "details of the 2 MW PV test site in
# Beijing") — picks that facility out when the message searches for nothing ("有没有", "哪些", "有…吗", "any",
# "which", "find", "a … in X"): only a search is filtered by region. Several ("Jiangsu facilities", "江苏那几个平台")
# narrow a list: a filter.
_FACILITY_ZH = (
    r"(?:中试线|中试基地|中试平台|中试车间|中试装置|中试|测试台|试验台|测试平台|试验平台|测试场|试验场|示范场|示范基地|示范园区"
    r"|示范站|示范点|示范工厂|示范线|实验室|试车台|台架|靶场|暗室|水池|风洞|车间|基地|平台|中心|产线|生产线|工厂|试验井|线)"
)
_FACILITY_EN = (
    r"(?:line|lab|laboratory|site|plant|rig|bench|testbed|test bed|field|park|station|workshop|factory|platform"
    r"|cent(?:re|er)|tank|basin|range|stand|chamber|unit|base|well|facility)"
)
_ONE_FACILITY_AFTER_ZH = re.compile(
    r"^(?!\s*(?:那边|这边|一带|地区|周边|附近))(?:的|嘅)?(?![^，。,.;；？?！!\s]{0,14}(?:几|所有|些))"
    rf"[^，。,.;；？?！!\s、和与及或]{{0,14}}?{_FACILITY_ZH}"
)
_ONE_FACILITY_AFTER_EN = re.compile(
    rf"^(?:\s+(?!(?:and|or|for|with|to|in|at)\b)[\w/-]+){{0,5}}\s+{_FACILITY_EN}\b", re.I
)
_ONE_FACILITY_BEFORE_EN = re.compile(rf"\b{_FACILITY_EN}(?:\s+in)?\s+$", re.I)
_INDEFINITE_BEFORE_EN = re.compile(
    rf"\b(?:a|an|some|any)\s+(?:[\w/-]+\s+){{0,6}}(?:{_FACILITY_EN}(?:\s+in)?\s+)?$", re.I
)
_SEEKS = re.compile(
    # "有没有空", "有冇得用", "有空吗" ask about one facility's calendar, not for facilities
    r"有(?!没有空|冇空|冇得|没有时间|没有档期|空[吗嘛么？?不])[^，。？?！!]{0,25}[吗嘛么]|有没有(?!空(?:[档闲]|$|[^\u4e00-\u9fff])|时间|档期)|有冇(?!空|得用)|有无|有哪些|哪些|哪个|哪家|哪里|哪儿|边度|边个|找|搵|推荐|搜|列|筛|有啥|有什么"
    r"|其他|别的|换|还有|哪一|附近|周边|是否有|有吗|有的话|能做|可以做"
    # "any time in March", "any 2-week window", "only need 3 days" ask about the one facility's calendar
    r"|\b(?:any(?!\s+(?:point|time|day|week|month|window|gap|slot|date|\d|[\w-]+-(?:day|week)))|anything|anywhere"
    r"|which|where|find|search|look(?:ing)?\s+for|list|show|options?|recommend|suggest|somewhere|other|else"
    r"|alternatives?|is there|are there|need\s+(?:a|an|some|somewhere|to\s+find)|closest|nearest|compare)\b",
    re.I,
)
_ABOUT_ONE = re.compile(
    r"多少钱|收费|租金|日租|一天|价格|费用|最少|最短|起订|提前|能不能|能用|有空|空档|档期|排|约|占|锁|预留|hold|释放|确认|取消|撤"
    r"|详细|介绍|参数|多大|能测|\d+\s*(?:天|周|日)|[一二两三四五六七八九十]+(?:天|周|日)"
    r"|\b(?:free|available|availability|window|gap|slot|hold|book|reserve|lock|pencil|confirm|release|cancel|drop"
    r"|price|rate|cost|charge|lead time|min|minimum|specs?|details|tell me about|capacity|\d+\s*(?:days?|wks?|weeks?))\b",
    re.I,
)


# A clause: what a search word reaches ("找找储能方面的成果，再帮我看看甘肃的储能测试场2月能不能用": the search is for
# achievements; the test field is one the user has in mind).
_CLAUSE_END = re.compile(r"[。？?！!；;\n]|再|另外|顺便|然后|\b(?:then|also)\b", re.I)


def _clause(text: str, a: int, b: int) -> str:
    """The clause around text[a:b]."""
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, a)]
    end = _CLAUSE_END.search(text, b)
    return text[starts[-1] if starts else 0 : end.start() if end else len(text)]


def _on_one_facility(text: str, a: int, b: int) -> bool:
    """Whether the region word at a..b belongs to one facility's name ("陕西的…试车台", "Gansu … line", "the … lab
    in Shandong"), not to an indefinite one sought ("a demo site in Guangdong")."""
    before, after = text[:a], text[b:]
    if not text[a:b].isascii():
        return _ONE_FACILITY_AFTER_ZH.match(after) is not None
    if _INDEFINITE_BEFORE_EN.search(before[-80:]):
        return False
    return (
        _ONE_FACILITY_AFTER_EN.match(after) is not None or _ONE_FACILITY_BEFORE_EN.search(before) is not None
    )


# A city says where someone or something is — the user ("我是苏州一个国际合作中心的", "I work in a tech transfer
# office in Wuhan"), a client or party ("一家苏州电池包企业想做…", "a Shenzhen phone maker needs…", "draft a licence
# to a Suzhou truck maker") — and the corpus labels its province only when things are asked for near it ("苏州附近",
# "near Hefei", "成都这边有没有", "local to Wuhan") or in it ("苏州的研究所有没有", "推荐点苏州的买家",
# "find a lab in Nanjing"). Filters are provinces.
_NEAR_AFTER = re.compile(
    r"^\s*(?:附近|周边|周围|一带|本地|这边|那边|地区|区域|市内|市区|近)|^\s+(?:area|region)\b", re.I
)
_NEAR_BEFORE = re.compile(
    r"(?:\b(?:near|around|close to|closer to|nearby|local to|within [\w\s]{0,30}? of)\s+|离|靠近|近)$", re.I
)
_IN_IT_AFTER = re.compile(
    r"^(?:的|嘅)?[^，。,.;；？?！!]{0,10}?(?:有没有|有冇|有无|哪里有|有哪些|有啥|有什么|有[^，。？?]{0,10}[吗嘛么])"
)


def _city_is_a_filter(text: str, a: int, b: int) -> bool:
    """Whether the city at a..b is where to look (see `_NEAR_AFTER`), not where someone is."""
    before, after = text[:a], text[b:]
    if _NEAR_AFTER.match(after) or _NEAR_BEFORE.search(before) or _IN_IT_AFTER.match(after):
        return True
    # listed with another region ("深圳和上海", "Chengdu or Chongqing"): places to choose from
    joined = r"\s*(?:和|与|或者?|、|/|,|，|\band\b|\bor\b|\bvs\.?)\s*"
    if any(
        re.fullmatch(joined, text[m.end() : a]) or re.fullmatch(joined, text[b : m.start()])
        for m in _RX.finditer(text)
        if m.start() != a
    ):
        return True
    if re.search(r"附近|周边|\bnearby\b", _clause(text, a, b)[b - a :], re.I):
        return True  # "我在合肥，想找附近能做…的实验室": near where the user is
    starts = [m.end() for m in _CLAUSE_END.finditer(text, 0, a)]
    return _SEEKS.search(text[starts[-1] if starts else 0 : a]) is not None


def _regions_of(word: str) -> list[str]:
    """The regions a matched region word stands for ("长三角" for four, "苏州" for Jiangsu)."""
    return _AREAS.get(word) or [_NAMES.get(word) or _NAMES[word.lower()]]


def find_places(text: str) -> list[tuple[str, Span, bool]]:
    """Every region named, in order, with whether the user filters by it (see the module doc)."""
    chatter = CHATTER.search(text) is not None
    about_one = _ABOUT_ONE.search(text) is not None
    out: list[tuple[str, Span, bool]] = []
    for m in _RX.finditer(text):
        a, b = m.span()
        before, after = text[:a], text[b:]
        # A region in brackets right after a name is part of that organisation's name ("华旗生物（浙江）").
        if re.search(r"\S\s*[（(]\s*$", before) and re.match(r"\s*[)）]", after):
            continue
        word = m.group(0)
        names = _regions_of(word)
        ascii_word = word.isascii()
        names_record = (
            chatter
            or _EXCLUDED_BEFORE.search(before) is not None
            or _EXCLUDED_AFTER.match(after) is not None
            or _DIALECT_AFTER.match(after) is not None
            or (ascii_word and _DEFINITE_BEFORE.search(before) is not None and not _ONES_AFTER.match(after))
            or (ascii_word and _POSSESSIVE_AFTER.match(after) is not None)
            or (
                ascii_word
                and (d := _DEFINITE_IN.search(before)) is not None
                and not _PLURAL_IN.search(d.group(0))
            )
            or (ascii_word and _ORG_BEFORE_EN.search(before) is not None)
            or (ascii_word and _ORG_AFTER_EN.match(after) is not None and not _REGION_NEXT.match(after))
            or _ORG_BEFORE_ZH.search(before) is not None
            or (not ascii_word and _THAT_ONE_ZH.match(after) is not None)
            or (not ascii_word and _THAT_ONE_BEFORE_ZH.search(before) is not None)
            or (ascii_word and _SELF_BEFORE_EN.search(before[-80:]) is not None)
            or (
                ascii_word
                and _SUBJECT_BEFORE_EN.search(before) is not None
                and _SUBJECT_AFTER_EN.match(after) is not None
            )
            or _SELF_BEFORE_ZH.search(before) is not None
            or (about_one and _on_one_facility(text, a, b) and not _SEEKS.search(_clause(text, a, b)))
            or (word.lower() in CITY_REGION and not _city_is_a_filter(text, a, b))
            or (_ASKED_BEFORE_ZH.search(before) is not None and _ASKED_AFTER_ZH.match(after) is not None)
            or (
                ascii_word
                and _ASKED_BEFORE_EN.search(before[-80:]) is not None
                and _ASKED_AFTER_EN.match(after) is not None
            )
        )
        for name in names:
            if (name, not names_record) not in [(r, f) for r, _, f in out]:
                out.append((name, (a, b), not names_record))
    return out


def find_regions(text: str) -> list[tuple[str, Span]]:
    """Regions the user filters by, in order ("江苏" / "jiangsu" / "苏州" -> "Jiangsu")."""
    out: list[tuple[str, Span]] = []
    for r, s, f in find_places(text):
        if f and r not in [x for x, _ in out]:
            out.append((r, s))
    return out


def find_region_hints(text: str) -> list[tuple[str, Span]]:
    """Regions that name a record the user has in mind, or are excluded or small talk: not filters."""
    places = find_places(text)
    filters = {r for r, _, f in places if f}
    out: list[tuple[str, Span]] = []
    for r, s, f in places:
        if not f and r not in filters and r not in [x for x, _ in out]:
            out.append((r, s))
    return out


def region_spans(text: str) -> list[tuple[str, Span]]:
    """Every region word with its span, bracketed ones and those naming a record too ("国澄电子材料（浙江）",
    "Zhongcen浙江"): the entity linker tells organisations sharing a short name apart by them."""
    return [(name, m.span()) for m in _RX.finditer(text) for name in _regions_of(m.group(0))]
