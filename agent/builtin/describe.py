"""What the user's words describe, once intents and slots are taken out.

"find who would license my sulfide electrolyte" -> "sulfide electrolyte";
"帮我找愿意许可我们硫化物固态电解质的企业" -> "硫化物固态电解质". The result is a retrieval query, so
it only has to keep the content words, not be grammatical.
"""

from __future__ import annotations

import re

_EN_STOP = (
    r"and|for|in|to|with|at|from|by|on|who|that|which|please|check|draft|hold|book|then|also|"
    r"under|over|into|within|during|before|after|is|are|was|were|would|could|can|will|so|but|or"
)
_EN_POSSESSIVE = re.compile(
    rf"\b(?:my|our|(?:i|we)\s+(?:have|own|developed|built)\s+(?:a|an|the|some)?|"
    rf"(?:we're|we\s+are|i'm|i\s+am)\s+an?\s+[\w-]+(?:\s+[\w-]+)?\s+with\s+(?:a|an|the|some)?)\s*(?P<d>(?:(?!(?:{_EN_STOP})\b)[A-Za-z0-9][\w'-]*\s*){{1,7}})",
    re.I,
)
_EN_FOR = re.compile(
    rf"\b(?:for|about|on|of|license|licence|commerciali[sz]e|buy|invest\s+in)\s+(?:a\s+|an\s+|the\s+|my\s+|our\s+|some\s+)?"
    rf"(?P<d>(?:(?!(?:{_EN_STOP})\b)[A-Za-z0-9][\w'-]*\s*){{1,7}})",
    re.I,
)
# Words that never describe a technology on their own.
_EN_NOISE = re.compile(
    r"\b(?:find|search|show|list|me|us|who|would|could|might|license|licence|licensing|partners?|buyers?|investors?|"
    r"licensees?|compan(?:y|ies)|organi[sz]ations?|potential|possible|suitable|best|some|any|a|an|the|my|our|please|"
    r"can|you|i|we|want|need|looking|achievements?|results?|technolog(?:y|ies)|firms?|which|what|are|is|interested|"
    r"in|of|for|to|and|with|match|recommend|one|it|them|this|that|exclusive|non-exclusive|term|sheet|agreement|"
    r"pilot|line|lines|facility|facilities|available|availability|hold|book|draft|check|slot|slots|window|windows|"
    r"get|do|does|how|much|soes?|private|institutes?|universit(?:y|ies)|state-owned|at|or|above|below|higher|lower|"
    r"level|least|most|more|than|ready|readiness|all|list|show|about|tell|give|related|relevant|there|have|has|"
    r"based|located|region|domain|field|area)\b",
    re.I,
)

_ZH_POSSESSIVE = re.compile(
    r"(?:我们的|我的|我方的?|我们有一[项个种]|我有一[项个种]|我们|本单位的?|我院的?|我校的?|我司的?|本院的?|本校的?|本公司的?|我所的?)"
    r"(?!需要|想|希望|要|在|是|有|的|正在|准备|打算|计划|可以|能)"
    r"(?P<d>[\u4e00-\u9fffA-Za-z0-9\-]{2,24}?)"
    r"(?=的(?:企业|公司|机构|合作方|买家|投资|伙伴|单位|厂商|专利|成果)|[，。,；;？?！!、\s]|$|吗|呢|成果|专利|项目|找|寻|做|进行|起草|签|感兴趣|有兴趣|有意)"
)
_ZH_NOISE = re.compile(
    r"帮我|帮忙|请|麻烦|一下|找到|寻找|找|哪些|哪家|哪几家|什么样的?|谁会|谁愿意|谁|会|愿意|可能|想要|想|"
    r"许可|购买|买|投资|受让|承接|引进|合作|对接|推荐|匹配|潜在|合适的?|意向|企业|公司|机构|单位|合作方|合作伙伴|伙伴|"
    r"买家|投资机构|投资方|投资人|央企|国企|民企|民营|高校|研究院|我们的?|我的|我方|有没有|有|吗|呢|？|\?|的|和|与|跟|以及|"
    r"成果|方面|相关|领域|一些|几个|几家|能够|可以|列出|列一下|显示|给我|看看|搜索|查找|检索|查询|查一下|感兴趣|有兴趣|以上|以下"
)


def describe_possessive(text: str) -> str | None:
    """The thing the user calls theirs: "my sulfide electrolyte", "我们的硫化物电解质"."""
    m = _ZH_POSSESSIVE.search(text)
    if m:
        d = m["d"].strip()
        if len(d) >= 2:
            return d
    m = _EN_POSSESSIVE.search(text)
    if m:
        d = _tidy(m["d"])
        if d and not re.fullmatch(_EN_NOISE.pattern + r"(?:\s+" + _EN_NOISE.pattern + r")*", d, re.I):
            return d
    return None


def describe(text: str) -> str | None:
    """The technology or need described in `text`, or None when only task words remain."""
    own = describe_possessive(text)
    if own:
        return own
    if re.search(r"[\u4e00-\u9fff]", text):
        rest = _ZH_NOISE.sub(" ", text)
        rest = re.sub(r"[，。,；;！!：:、]+", " ", rest)
        rest = " ".join(rest.split())
        return rest if len(rest.replace(" ", "")) >= 2 else None
    m = _EN_FOR.search(text)
    if m:
        d = _tidy(_EN_NOISE.sub(" ", m["d"]))
        if d:
            return d
    d = _tidy(_EN_NOISE.sub(" ", text))
    return d if d and len(d) >= 3 else None


def _tidy(s: str) -> str:
    s = re.sub(r"[^\w\s'-]", " ", s)
    return " ".join(w for w in s.split() if w.lower() not in ("s", "'s"))


def names_a_thing(text: str) -> bool:
    """Whether `text` describes anything a lookup could find: after the task words are gone, a Chinese
    description keeps a noun or a Latin term (jieba's part-of-speech tags), an English one any word. "随便说点
    什么吧" (an adverb, a verb, a measure word, a pronoun) and "详细介绍一下" describe nothing; "那个脾靶向的LNP
    疫苗递送成果" and "the load forecasting one" do."""
    d = describe(text)
    if d is None:
        return False
    if not re.search(r"[\u4e00-\u9fff]", d):
        return True
    from knowledge.bm25 import ready_jieba

    ready_jieba()
    import jieba.posseg  # after ready_jieba: the tagger uses the initialised dictionary

    return any(
        w.flag.startswith(("n", "eng")) or (w.flag == "m" and w.word.isdigit()) for w in jieba.posseg.cut(d)
    )
