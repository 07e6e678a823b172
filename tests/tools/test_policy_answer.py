"""Policy answers: every covered topic in zh and en on our own dev questions (not the blind set),
the governing provision first, the figure stated, units' own rules, and 'the KB does not say'."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import tools.registry  # noqa: F401
from knowledge.models import PolicyDocument
from knowledge.policy_parse import parse_policy_file
from tests.tools.fakes import MemoryKB, small_corpus
from tools.base import REGISTRY, ToolContext
from tools.policy_answer import figure_in, load_rules, quantities
from tools.search import SearchPoliciesOutput

ROOT = Path(__file__).resolve().parents[2]
DEV = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "policy_dev_questions.jsonl")
    .read_text("utf-8")
    .splitlines()
    if line.strip()
]


@pytest.fixture(scope="module")
def policy_kb() -> MemoryKB:
    docs: list[PolicyDocument] = []
    for p in sorted((ROOT / "knowledge" / "sample" / "policies").glob("*.md")):
        if p.stem != "README":
            parsed = parse_policy_file(p)
            assert parsed.document is not None, (p, parsed.errors)
            docs.append(parsed.document)
    return MemoryKB(small_corpus(), policies=docs)


def ask(
    make_ctx: Callable[..., ToolContext], kb: MemoryKB, q: str, lang: str, **kw: Any
) -> SearchPoliciesOutput:
    out = REGISTRY["search_policies"].run({"query": q, "lang": lang, "k": 3, **kw}, make_ctx(lang, kb=kb))
    assert isinstance(out, SearchPoliciesOutput), out
    return out


def test_every_rule_cites_sections_that_exist(policy_kb: MemoryKB) -> None:
    for rule in load_rules():
        for lang in ("zh", "en"):
            cites = [rule.cite, *(s.cite for s in rule.block(lang).says if s.cite)]
            for c in cites:
                doc = policy_kb.policy(c.doc_id(lang))
                assert doc is not None and c.ref(lang) in [s.ref for s in doc.sections], (rule.id, lang, c)
            text = " ".join(s.text for s in rule.block(lang).says)
            if rule.figure:
                # The figure the rule is about is stated in both languages.
                assert figure_in(rule.figure, text), (rule.id, lang)


def test_covered_topics() -> None:
    topics = {r.topic for r in load_rules()}
    assert {
        "inventor_reward",
        "tax_transfer",
        "iit_cash",
        "iit_equity",
        "soe_incentive",
        "mobility",
        "licence_types",
        "pricing",
        "due_diligence",
    } <= topics


@pytest.mark.parametrize("q", DEV, ids=lambda q: f"{q['lang']}-{q['rule']}-{q['question'][:18]}")
def test_dev_question(make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB, q: dict[str, Any]) -> None:
    out = ask(make_ctx, policy_kb, q["question"], q["lang"])
    a = out.answer
    assert a is not None
    if q["rule"] is None:
        assert a.status == "not_in_kb"
        assert ("does not say" in a.statement) if q["lang"] == "en" else ("没有直接回答" in a.statement)
        return
    assert a.status == "answered" and a.rule_id == q["rule"]
    # Governing provision first, in the question's language, and every sentence cited.
    first = out.passages[0]
    assert (first.doc_id, first.section_ref) == (a.governing_doc_id, a.governing_section)
    assert first.doc_id.endswith("-" + q["lang"].upper())
    assert all(s.doc_id and s.section_ref for s in a.sentences)
    if q["figure"]:
        assert figure_in(q["figure"], a.statement)


def test_article_45_comes_before_the_patent_rules(
    make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB
) -> None:
    out = ask(
        make_ctx, policy_kb, "How much do inventors get at least when the unit licenses a patent?", "en"
    )
    assert out.answer is not None and out.answer.rule_id == "reward-transfer-licence"
    assert (out.passages[0].doc_id, out.passages[0].section_ref) == ("CN-LAW-PTSTA-2015-EN", "Article 45")
    assert "at least 50% of the net income" in out.answer.statement
    assert "[CN-LAW-PTSTA-2015-EN, Article 45]" in out.answer.statement


def test_tax_deferral_for_patent_as_capital(
    make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB
) -> None:
    out = ask(make_ctx, policy_kb, "专利作价入股时能不能递延缴税？", "zh")
    assert out.answer is not None and out.answer.rule_id == "tech-investment-deferral"
    assert out.passages[0].doc_id == "CN-MOF-CAISHUI-2016-101-ZH" and out.passages[0].section_ref == "第三项"


def test_unit_rule_answers_for_its_own_people(
    make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB
) -> None:
    out = ask(make_ctx, policy_kb, "How much do inventors at ORG-0012 get when it licenses a patent?", "en")
    a = out.answer
    assert a is not None and a.tier == "unit" and a.figure == "70%"
    assert (
        out.passages[0].doc_id == "SAMPLE-UNIT-RULE-ORG-0012-EN"
        and out.passages[0].section_ref == "Article 5"
    )
    zh = ask(make_ctx, policy_kb, "Tantai Institute of Low-Carbon Technology的团队转让成果能分多少？", "zh")
    assert zh.answer is not None and zh.answer.figure == "40%"
    assert zh.passages[0].doc_id == "SAMPLE-UNIT-RULE-ORG-0011-ZH" and zh.passages[0].section_ref == "第四条"
    by_param = ask(make_ctx, policy_kb, "作价投资时完成人能拿多少股份？", "zh", org_id="ORG-0012")
    assert by_param.answer is not None and by_param.answer.figure == "70%"
    # Another organisation's people: the statute.
    other = ask(make_ctx, policy_kb, "作价投资时完成人能拿多少股份？", "zh")
    assert other.answer is not None and other.answer.rule_id == "reward-equity"


def test_no_answer_with_a_document_filter(make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB) -> None:
    out = ask(make_ctx, policy_kb, "Article 45", "en", doc_id="CN-LAW-PTSTA-2015-EN")
    assert out.answer is None


def test_figures_are_read_in_both_languages() -> None:
    assert quantities("不超过500万元的部分") == [(5_000_000, "cny")]
    assert (5_000_000, "cny") in quantities("up to RMB 5 million is exempt")
    assert figure_in("500万元", "income up to RMB 5 million is exempt")
    assert figure_in("RMB 5 million", "不超过500万元的部分免征")
    assert figure_in("50%", "不低于百分之五十") and figure_in("百分之五十", "at least 50% of")
    assert figure_in("3年", "for no more than 3 years") and figure_in("3 years", "原则上在三年内")
    assert figure_in("36个月", "within 3 years (36 months)") and not figure_in("36个月", "36%")
    assert figure_in("3000元", "at least RMB 3,000") and not figure_in("5%", "50%")


def test_the_rule_is_applied_to_the_users_amount(
    make_ctx: Callable[..., ToolContext], policy_kb: MemoryKB
) -> None:
    zh = ask(make_ctx, policy_kb, "专利许可净收入300万元，没有单位规定，发明人最少能拿多少？", "zh")
    assert zh.answer is not None and figure_in("150万元", zh.answer.statement)
    en = ask(
        make_ctx,
        policy_kb,
        "We will have RMB 8 million of technology-transfer income this year. How much corporate income tax is due?",
        "en",
    )
    assert en.answer is not None and en.answer.rule_id == "eit-exemption"
    # 5M exempt, 3M at 12.5% = 375,000.
    assert "RMB 375,000" in en.answer.statement
    unit = ask(
        make_ctx,
        policy_kb,
        "ORG-0012 licenses a patent for a net income of RMB 2 million; what do the inventors get?",
        "en",
    )
    assert unit.answer is not None and figure_in("RMB 1.4 million", unit.answer.statement)
