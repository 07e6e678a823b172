"""Direct answers to policy questions (pure logic over a table of answerable rules).

The table (`knowledge/sample/policy_rules.yaml`) lists the rules officers ask about: the
governing provision, its tier, the figure, cue words, sample phrasings and the answer sentences in
zh and en. A question is matched against it (cue words + cross-lingual similarity to the sample
phrasings); the best rule above the threshold becomes a short statement whose every sentence
cites `[doc id, section]`. Below the threshold the answer says the knowledge base does not say.

A unit's own reward rule (a policy document with `issuer_id`) answers reward questions about
that unit's own people first (Art. 44: the unit's rule, Art. 45 only as the fallback).

Why data and not code per phrase: a new rule is a YAML entry, and the answer's wording and
citations are reviewable in one place next to the documents they restate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, Field

from knowledge.models import PolicyDocument

RULES_PATH = Path(__file__).resolve().parents[1] / "knowledge" / "sample" / "policy_rules.yaml"
Tier = Literal["unit", "statute", "regulation", "notice", "practice"]
TIER_RANK: dict[str, int] = {"unit": 0, "statute": 1, "regulation": 2, "notice": 3, "practice": 4}

# Score = best similarity to the rule's phrasings + NEED_BONUS when its required cue matches +
# CUE_BONUS x the share of its other cues that match. Chosen on the dev questions in
# tests/tools/test_policy_answer.py (not on the blind labelled set).
NEED_BONUS = 0.25
CUE_BONUS = 0.2
ANSWER_THRESHOLD = 0.72


class Cite(BaseModel):
    doc: str = Field(description="Document id stem, without -ZH / -EN.")
    en: str
    zh: str

    def doc_id(self, lang: str) -> str:
        return f"{self.doc}-{lang.upper()}"

    def ref(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Saying(BaseModel):
    text: str
    cite: Cite | None = None


class LangBlock(BaseModel):
    asks: list[str] = Field(default_factory=list)
    says: list[Saying]


class Compute(BaseModel):
    """How to apply the rule to an amount the question gives (e.g. "net income of 200万")."""

    kind: Literal["share", "eit"]
    pct: float = 0.0
    floor: bool = Field(True, description="share: the result is a minimum ('at least') rather than a cap.")
    of_en: str = ""
    of_zh: str = ""


class AnswerRule(BaseModel):
    id: str
    topic: str
    tier: Tier
    cite: Cite
    figure: str = ""
    need: str = ""
    cues: list[str] = Field(default_factory=list)
    compute: Compute | None = None
    en: LangBlock
    zh: LangBlock

    def block(self, lang: str) -> LangBlock:
        return self.zh if lang == "zh" else self.en


class AnswerSentence(BaseModel):
    text: str
    doc_id: str
    section_ref: str


class PolicyAnswer(BaseModel):
    """The statement that answers a policy question, each sentence tied to its provision."""

    status: Literal["answered", "not_in_kb"]
    lang: Literal["zh", "en"]
    rule_id: str | None = None
    topic: str | None = None
    tier: Tier | None = None
    figure: str | None = None
    statement: str = Field(description="The sentences joined, each followed by [doc id, section].")
    sentences: list[AnswerSentence] = Field(default_factory=list)
    governing_doc_id: str | None = None
    governing_section: str | None = None
    score: float = 0.0


@lru_cache(maxsize=1)
def load_rules(path: str = str(RULES_PATH)) -> tuple[AnswerRule, ...]:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    return tuple(AnswerRule.model_validate(r) for r in raw)


def _cue_score(rule: AnswerRule, text: str) -> tuple[bool, float]:
    need = bool(re.search(rule.need, text, re.I)) if rule.need else True
    if not rule.cues:
        return need, 0.0
    hits = sum(1 for c in rule.cues if re.search(c, text, re.I))
    return need, hits / len(rule.cues)


def rank_rules(
    question: str,
    embed: Callable[[list[str]], np.ndarray],
    rules: Sequence[AnswerRule] | None = None,
) -> list[tuple[AnswerRule, float]]:
    """Rules by score for `question`, best first. `embed` returns L2-normalised rows."""
    rules = list(rules if rules is not None else load_rules())
    asks: list[str] = []
    owner: list[int] = []
    for i, r in enumerate(rules):
        for a in [*r.en.asks, *r.zh.asks]:
            asks.append(a)
            owner.append(i)
    vecs = embed([question, *asks])
    sims = vecs[1:] @ vecs[0]
    best = np.full(len(rules), -1.0)
    for j, i in enumerate(owner):
        best[i] = max(best[i], float(sims[j]))
    scored = []
    for i, r in enumerate(rules):
        need, cues = _cue_score(r, question)
        score = float(best[i]) + (NEED_BONUS if need and r.need else 0.0) + CUE_BONUS * cues
        if r.need and not need:
            # A rule whose defining words are absent can still win on meaning, but only clearly.
            score -= 0.15
        scored.append((r, round(score, 4)))
    scored.sort(key=lambda x: (-x[1], TIER_RANK[x[0].tier]))
    return scored


def question_amount(question: str) -> float | None:
    """The first amount of money the question states, in yuan."""
    amounts = [v for v, u in quantities(question) if u == "cny" and v > 0]
    return amounts[0] if amounts else None


def worked_figure(compute: Compute, amount: float, lang: str) -> str:
    """The rule applied to the user's amount, as one sentence."""
    from tools.common import money

    if compute.kind == "eit":
        exempt = min(amount, 5_000_000.0)
        tax = (amount - exempt) * 0.125
        if lang == "zh":
            return (
                f"按{money(amount, 'zh')}技术转让所得计算：{money(exempt, 'zh')}免税，"
                f"其余{money(amount - exempt, 'zh')}按12.5%缴纳{money(tax, 'zh')}。"
            )
        return (
            f"On {money(amount, 'en')} of technology-transfer income: {money(exempt, 'en')} is exempt and the "
            f"remaining {money(amount - exempt, 'en')} is taxed at 12.5%, i.e. {money(tax, 'en')}."
        )
    part = amount * compute.pct / 100
    if lang == "zh":
        bound = "不低于" if compute.floor else "不超过"
        return f"按{compute.of_zh}{money(amount, 'zh')}计算，即{bound}{money(part, 'zh')}。"
    bound = "at least" if compute.floor else "at most"
    return f"On {money(amount, 'en')} of {compute.of_en}, that is {bound} {money(part, 'en')}."


def compose(
    rule: AnswerRule, lang: Literal["zh", "en"], score: float = 0.0, question: str = ""
) -> PolicyAnswer:
    sentences = []
    for s in rule.block(lang).says:
        cite = s.cite or rule.cite
        sentences.append(AnswerSentence(text=s.text, doc_id=cite.doc_id(lang), section_ref=cite.ref(lang)))
    amount = question_amount(question) if rule.compute else None
    if rule.compute is not None and amount is not None:
        # Officers ask with their own numbers: state the figure for them, right after the rule.
        sentences.insert(
            1,
            AnswerSentence(
                text=worked_figure(rule.compute, amount, lang),
                doc_id=rule.cite.doc_id(lang),
                section_ref=rule.cite.ref(lang),
            ),
        )
    return PolicyAnswer(
        status="answered",
        lang=lang,
        rule_id=rule.id,
        topic=rule.topic,
        tier=rule.tier,
        figure=rule.figure or None,
        statement=_join(sentences, lang),
        sentences=sentences,
        governing_doc_id=rule.cite.doc_id(lang),
        governing_section=rule.cite.ref(lang),
        score=score,
    )


def _join(sentences: Sequence[AnswerSentence], lang: str) -> str:
    if lang == "zh":
        return "".join(f"{s.text}［{s.doc_id}，{s.section_ref}］" for s in sentences)
    return " ".join(f"{s.text} [{s.doc_id}, {s.section_ref}]" for s in sentences)


def not_in_kb(lang: Literal["zh", "en"], score: float = 0.0) -> PolicyAnswer:
    return PolicyAnswer(
        status="not_in_kb",
        lang=lang,
        statement=(
            "知识库中的政策文件没有直接回答这个问题；以下是最接近的条文，仅供参考。"
            if lang == "zh"
            else "The knowledge base does not say: none of its policy documents answers this directly. "
            "The closest passages are below for reference."
        ),
        score=score,
    )


# --------------------------------------------------------------------------- units' own rules

_UNIT_CASES: dict[str, tuple[str, str, str, str]] = {
    # case: (en phrase, zh phrase, en words that pick it, zh words that pick it)
    "transfer": ("of the net income from a transfer", "转让净收入的", r"transfer|assign|sell", r"转让|出让"),
    "license": ("of the net income from a licence", "许可净收入的", r"licen[cs]", r"许可"),
    "equity": (
        "of the shares obtained when it invests the achievement",
        "作价投资所得股份的",
        r"equity|shares|stake|invest",
        r"作价|入股|股份|股权",
    ),
    "implementation": (
        "of the operating profit each year when it implements the achievement",
        "实施转化营业利润的",
        r"implement|operating profit|itself",
        r"实施|营业利润",
    ),
}
_REWARD_WORDS = re.compile(
    r"reward|remunerat|inventor|researcher|team|staff|share|get|奖励|报酬|完成人|发明人|团队|科研人员|科技人员|分|拿",
    re.I,
)


def unit_rule_for(
    question: str, policies: Sequence[PolicyDocument], org_id: str | None, lang: Literal["zh", "en"]
) -> PolicyDocument | None:
    """The unit reward rule the question is about: by org id (given or in the text) or the issuer's name."""
    if not _REWARD_WORDS.search(question):
        return None
    ids = {org_id} if org_id else set()
    ids |= set(re.findall(r"ORG-\d{3,}", question, re.I))
    ids = {i.upper() for i in ids if i}
    found = [d for d in policies if d.issuer_id and d.inventor_reward_pct]
    hits = [d for d in found if d.issuer_id in ids]
    if not hits:
        low = question.lower()
        hits = [d for d in found if _issuer_name(d).lower() in low and _issuer_name(d)]
    if not hits:
        return None
    by_issuer = [d for d in found if d.issuer_id == hits[0].issuer_id]
    by_issuer.sort(key=lambda d: (d.lang != lang, -d.year))
    return by_issuer[0]


def _issuer_name(doc: PolicyDocument) -> str:
    # "Yuefeng University of Technology (sample)" / "…（样例）" -> the organisation's name.
    return re.sub(r"\s*[（(][^）)]*[）)]\s*$", "", doc.issuer).strip()


def compose_unit(
    doc: PolicyDocument, question: str, lang: Literal["zh", "en"], statute: AnswerRule | None
) -> PolicyAnswer:
    """The unit's own percentages for the case the question names (all cases when it names none)."""
    from tools.common import money
    from tools.termsheet.unit_rules import _section_for

    assert doc.inventor_reward_pct is not None
    pcts = doc.inventor_reward_pct
    asked = [
        c
        for c, (_, _, en_re, zh_re) in _UNIT_CASES.items()
        if c in pcts and re.search(f"{en_re}|{zh_re}", question, re.I)
    ] or [c for c in _UNIT_CASES if c in pcts]
    name = _issuer_name(doc)
    sentences = []
    for case in asked:
        en, zh, _, _ = _UNIT_CASES[case]
        pct = pcts[case]
        years = doc.implementation_years if case == "implementation" else None
        span_en = f" for {years} years" if years else ""
        span_zh = f"，连续{years}年" if years else ""
        text = (
            f"按{name}自行制定并公开的规定，完成人团队获得{zh}{pct:g}%{span_zh}。"
            if lang == "zh"
            else f"Under {name}'s own published rule, its inventor team gets {pct:g}% {en}{span_en}."
        )
        amount = question_amount(question)
        if amount is not None and len(asked) == 1:
            part = amount * pct / 100
            text += (
                f"按{money(amount, 'zh')}计算，即{money(part, 'zh')}。"
                if lang == "zh"
                else f" On {money(amount, 'en')} that is {money(part, 'en')}."
            )
        sentences.append(AnswerSentence(text=text, doc_id=doc.id, section_ref=_section_for(doc, case, pct)))
    sentences.append(
        AnswerSentence(
            text="单位自行制定并公开的规定优先于第四十五条的法定默认标准；国家设立的研究开发机构、高等院校的规定仍不得低于该标准（转让许可净收入、作价投资股份不低于50%，实施营业利润不低于5%）。"
            if lang == "zh"
            else "A unit's own published rule comes before Article 45's statutory defaults; the rules of state-established institutes and universities must still meet them (at least 50% of net transfer or licence income or of the equity, 5% of operating profit).",
            doc_id=f"CN-LAW-PTSTA-2015-{lang.upper()}",
            section_ref="第四十四条" if lang == "zh" else "Article 44",
        )
    )
    first = sentences[0]
    return PolicyAnswer(
        status="answered",
        lang=lang,
        rule_id=f"unit:{doc.issuer_id}",
        topic="inventor_reward",
        tier="unit",
        figure=f"{pcts[asked[0]]:g}%",
        statement=_join(sentences, lang),
        sentences=sentences,
        governing_doc_id=first.doc_id,
        governing_section=first.section_ref,
        score=1.0,
    )


def answer_question(
    question: str,
    lang: Literal["zh", "en"],
    embed: Callable[[list[str]], np.ndarray],
    policies: Sequence[PolicyDocument] = (),
    org_id: str | None = None,
) -> PolicyAnswer:
    """The answer to `question` in `lang`: a unit's own rule, a table rule, or 'the KB does not say'."""
    ranked = rank_rules(question, embed)
    best, score = ranked[0] if ranked else (None, 0.0)
    unit = unit_rule_for(question, policies, org_id, lang)
    if unit is not None and (best is None or best.topic == "inventor_reward" or score < ANSWER_THRESHOLD):
        return compose_unit(unit, question, lang, best)
    if best is None or score < ANSWER_THRESHOLD:
        return not_in_kb(lang, score)
    return compose(best, lang, score, question)


# --------------------------------------------------------------------------- figures

_ZH_DIGITS = {
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_NUM = r"(\d[\d,]*(?:\.\d+)?|[一二两三四五六七八九十]+)"


def _value(raw: str) -> float:
    if raw[0].isdigit():
        return float(raw.replace(",", ""))
    if raw == "十":
        return 10.0
    if raw.startswith("十"):
        return 10.0 + _ZH_DIGITS.get(raw[1:], 0)
    if raw.endswith("十"):
        return 10.0 * _ZH_DIGITS.get(raw[:-1], 0)
    if "十" in raw:
        a, b = raw.split("十", 1)
        return 10.0 * _ZH_DIGITS.get(a, 0) + _ZH_DIGITS.get(b, 0)
    return float(_ZH_DIGITS.get(raw, 0))


_QUANTITIES: list[tuple[str, str, float]] = [
    # (pattern with one number group, unit, multiplier) — most specific first.
    (rf"百分之{_NUM}", "pct", 1.0),
    (rf"{_NUM}\s*(?:%|％|\s?per\s?cent|\s?percent)", "pct", 1.0),
    (rf"(?:RMB|CNY|¥|￥)\s*{_NUM}\s*(?:million|m\b|M\b)", "cny", 1e6),
    (rf"{_NUM}\s*(?:million|m\b|M\b)(?:\s*(?:yuan|RMB|CNY))?", "cny", 1e6),
    (rf"{_NUM}\s*亿元?", "cny", 1e8),
    (rf"{_NUM}\s*万元?", "cny", 1e4),
    (rf"(?:RMB|CNY|¥|￥)\s*{_NUM}", "cny", 1.0),
    (rf"{_NUM}\s*(?:元|yuan)", "cny", 1.0),
    (rf"{_NUM}\s*(?:个)?(?:公历)?(?:年|calendar years?|years?)", "year", 1.0),
    (rf"{_NUM}\s*(?:个月|months?)", "month", 1.0),
]


def quantities(text: str) -> list[tuple[float, str]]:
    """(value, unit) of every figure in `text`: percentages, money in yuan, years, months, plain numbers."""
    out: list[tuple[float, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, unit, mult in _QUANTITIES:
        for m in re.finditer(pattern, text, re.I):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            taken.append(m.span())
            out.append((round(_value(m.group(1)) * mult, 2), unit))
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        if not any(a <= m.start() < b for a, b in taken):
            out.append((float(m.group(0).replace(",", "")), ""))
    return out


def figure_in(figure: str, text: str) -> bool:
    """Whether `text` states `figure` ("50%", "500万元", "RMB 5 million", "3年", "36"), in either language."""
    wanted = quantities(figure)
    if not wanted:
        return figure.strip().lower() in text.lower()
    value, unit = wanted[0]
    # Citations ("[…, Item 5]") are not figures the answer states.
    text = re.sub(r"[\[［][^\]］]*[\]］]", " ", text)
    return any(abs(v - value) < 1e-6 and (u == unit or not unit) for v, u in quantities(text))
