"""Record text in the other language is quoted: the answer stays in the user's language."""

from __future__ import annotations

from typing import Any

import pytest

from agent.builtin.render import record_name, record_text
from evals.checks import answer_lang
from knowledge.lang import text_lang
from knowledge.quoting import as_quotation
from tests.agent.builtin import synth
from tests.agent.builtin.test_respond import answer

ZH_SUMMARY = (
    "该300 GHz频段太赫兹无线通信基于单行载流子光电二极管开发，主要应用于6G回传。实测传输速率180 Gbps。"
)
EN_SUMMARY = "This 650 V GaN-on-Si enhancement-mode power HEMT is based on 8-inch MOCVD epitaxy and aimed at data-centre power."
ZH_CAPS = "民营企业，成立于2011年；运营粉末冶金与热处理工厂；研发人员1625人，年营业收入约2.8亿元。"
EN_CAPS = (
    "Privately held company founded in 2011; manufactures electrolysers and high-pressure hydrogen equipment."
)


def test_text_lang_and_quotation() -> None:
    def quote_lang(s: str) -> str | None:
        return text_lang(s, default=None, acronyms=False, share=None)

    assert quote_lang(ZH_SUMMARY) == "zh" and quote_lang(EN_SUMMARY) == "en"
    assert quote_lang("CNAS, CMA") is None and quote_lang("ZL 2020 1 0210650.4") is None
    assert as_quotation(ZH_SUMMARY, "zh") == ZH_SUMMARY
    assert as_quotation(ZH_SUMMARY, "en") == f"“{ZH_SUMMARY}”"
    assert as_quotation("称为“固态”的电池", "en") == "“称为‘固态’的电池”"  # one quotation, not two
    assert record_text(EN_SUMMARY, "zh", 40).startswith("“This 650 V") and record_text(
        EN_SUMMARY, "zh", 40
    ).endswith("…”")
    assert record_name("华曜化工新材料（宁夏）有限公司", "en") == "“华曜化工新材料（宁夏）有限公司”"
    assert record_name("凌峰智能制造研究院", "en") == "凌峰智能制造研究院"  # a plain name reads as one
    assert record_name("Lanshi Hydrogen Equipment Technology Co., Ltd.", "zh").startswith("“Lanshi")
    assert record_name("Lanshi Hydrogen Equipment Technology Co., Ltd.", "en").startswith("Lanshi")


def _get(rid: str, title: str, record: dict[str, Any]) -> tuple[str, dict[str, Any], dict[str, Any]]:
    kind = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}[rid[:3]]
    res = {"ok": True, "id": rid, "kind": kind, "title": title, "record": {"id": rid, **record}}
    return ("get_record", {"record_id": rid}, res)


@pytest.mark.parametrize(
    ("lang", "title", "summary"),
    [
        ("en", "300 GHz频段太赫兹无线通信", ZH_SUMMARY),
        ("zh", "650 V GaN-on-Si power HEMT", EN_SUMMARY),
    ],
)
def test_an_achievement_in_the_other_language_is_quoted(lang: str, title: str, summary: str) -> None:
    rec = {"domain": "telecom", "trl": 4, "region": "Shandong", "owner_id": "ORG-0040", "summary": summary}
    r = answer("ACH-0040", [_get("ACH-0040", title, rec)], lang=lang)
    assert f"“{summary}”" in r.text
    assert answer_lang(r.text) == lang


@pytest.mark.parametrize(("lang", "caps"), [("en", ZH_CAPS), ("zh", EN_CAPS)])
def test_an_organisations_capabilities_in_the_other_language_are_quoted(lang: str, caps: str) -> None:
    rec = {"kind": "private_firm", "region": "Hunan", "domains": ["new_materials"], "capabilities": caps}
    r = answer("ORG-0089", [_get("ORG-0089", "星垣新材料科技有限公司", rec)], lang=lang)
    assert f"“{caps}”" in r.text
    assert answer_lang(r.text) == lang
    same = answer("ORG-0089", [_get("ORG-0089", "x", rec)], lang="zh" if caps == ZH_CAPS else "en")
    assert f"“{caps}”" not in same.text and caps in same.text  # the answer's own language: as written


def test_a_facilitys_english_processes_are_quoted_in_chinese() -> None:
    rec = {
        "kind": "lab",
        "region": "Zhejiang",
        "daily_rate_cny": 9000,
        "min_days": 1,
        "lead_time_days": 6,
        "owner_id": "ORG-0010",
        "processes": ["crude assay", "GC and GC-MS analysis", "wastewater treatability tests"],
        "certifications": ["CNAS", "CMA"],
        "prerequisites": ["material safety data sheet"],
    }
    title = "Refinery analysis and wastewater lab, Lingao University of Science and Technology"
    r = answer("FAC-0067", [_get("FAC-0067", title, rec)], lang="zh")
    assert "工艺：“crude assay”、“GC and GC-MS analysis”" in r.text
    assert "资质：CNAS、CMA" in r.text  # acronyms are no language's words
    assert f"[FAC-0067] “{title}”" in r.text
    assert answer_lang(r.text) == "zh"


@pytest.mark.parametrize(
    ("lang", "snippet"),
    [("en", ZH_SUMMARY), ("zh", EN_SUMMARY)],
)
def test_search_hits_quote_snippets_in_the_other_language(lang: str, snippet: str) -> None:
    hits = [
        {
            "id": f"ACH-000{i}",
            "title": f"Title {i}",
            "domain": "telecom",
            "trl": 5,
            "score": 0.9,
            "snippet": snippet,
        }
        for i in range(1, 4)
    ]
    res = {"ok": True, "hits": hits}
    # The request names what it searches for: a bare "search" is no search (it reads as a request for help).
    r = answer(
        "search for terahertz achievements",
        [("search_achievements", {"query": "terahertz"}, res)],
        lang=lang,
    )
    assert r.text.count("“" + snippet[:20]) == 3
    assert answer_lang(r.text) == lang


def test_a_chinese_policy_cited_in_english_is_quoted() -> None:
    res = synth.policies(("CN-LAW-PTSTA-2015-ZH", "第四十五条"))
    res["passages"][0]["title"] = "中华人民共和国促进科技成果转化法"
    res["passages"][0]["text"] = (
        "科技成果完成单位未规定、也未与科技人员约定奖励和报酬的方式和数额的，按照下列标准。"
    )
    r = answer("How much must inventors get?", [("search_policies", {"query": "q"}, res)])
    assert "- “中华人民共和国促进科技成果转化法”, “第四十五条” [CN-LAW-PTSTA-2015-ZH, 第四十五条]:" in r.text
    assert answer_lang(r.text) == "en"


@pytest.mark.parametrize(
    ("lang", "licensee"),
    [("en", "华曜化工新材料（宁夏）有限公司"), ("zh", "Lanshi Hydrogen Equipment Technology Co., Ltd.")],
)
def test_a_term_sheet_names_a_party_of_the_other_language_in_quotes(lang: str, licensee: str) -> None:
    sheet = {
        "ok": True,
        "deal_type": "exclusive_license",
        "achievement_id": "ACH-0001",
        "achievement_title": "Sulfide electrolyte" if lang == "en" else "硫化物电解质",
        "licensor": {"id": "ORG-0001", "name": "Chenghu University" if lang == "en" else "澄湖理工大学"},
        "licensee": {"id": "ORG-0002", "name": licensee},
        "terms": {"royalty_rate_pct": 4.0, "term_years": 10, "inventor_share_pct": 50.0},
    }
    r = answer("draft", [("draft_term_sheet", {"achievement_id": "ACH-0001"}, sheet)], lang=lang)
    assert f"[ORG-0002] “{licensee}”" in r.text
    assert answer_lang(r.text) == lang
