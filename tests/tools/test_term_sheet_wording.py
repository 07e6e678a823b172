"""Term-sheet wording (QA round 2): each deal names its parties correctly, the inventor line
states the statutory floor, and zh output carries no English leftovers (and vice versa)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import tools.registry  # noqa: F401
from tools.base import REGISTRY, ToolContext
from tools.termsheet.model import TermSheet

DEALS = ["assignment", "exclusive_license", "nonexclusive_license", "equity_investment", "joint_development"]


def draft(ctx: ToolContext, **args: Any) -> TermSheet:
    out = REGISTRY["draft_term_sheet"].run({"achievement_id": "ACH-T1", "licensee": "ORG-B1", **args}, ctx)
    assert isinstance(out, TermSheet), out
    return out


def md_of(ts: TermSheet) -> str:
    return next(Path(a.path) for a in ts.artifacts if a.kind == "term_sheet_md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("deal", "owner", "counterparty"),
    [
        ("assignment", "转让方", "受让方"),
        ("exclusive_license", "许可方", "被许可方"),
        ("nonexclusive_license", "许可方", "被许可方"),
        ("equity_investment", "出资方（成果权利人）", "被投资企业"),
        ("joint_development", "成果权利人", "合作方"),
    ],
)
def test_party_labels_follow_the_deal_type(
    make_ctx: Callable[..., ToolContext], deal: str, owner: str, counterparty: str
) -> None:
    md = md_of(draft(make_ctx(lang="zh"), deal_type=deal))
    assert f"| {owner} | East Lake University (ORG-U1) |" in md
    assert f"| {counterparty} | Huaneng Battery Works (ORG-B1) |" in md
    if deal.endswith("license"):
        # A licensee is not an assignee (受让方): the old sheet called every counterparty that.
        assert "受让方" not in md


def test_english_party_labels(make_ctx: Callable[..., ToolContext]) -> None:
    md = md_of(draft(make_ctx(lang="en"), deal_type="assignment"))
    assert "| Assignor | East Lake University (ORG-U1) |" in md and "| Assignee |" in md
    assert "Licensor" not in md and "Licensee" not in md
    assert "| Price (CNY) | 30,000,000 |" in md


def test_inventor_line_states_the_statutory_floor(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx(lang="en"), deal_type="exclusive_license", inventor_share_pct=40)
    md = md_of(ts)
    assert "| Inventor reward | 40% of the net income (statutory rule, Art. 45: at least 50%) |" in md
    assert "statutory default" not in md
    zh = md_of(draft(make_ctx(lang="zh"), deal_type="joint_development", reward_years=4))
    assert "| 完成人奖励 | 连续4年每年营业利润的5%（适用法定标准，第四十五条：不低于5%） |" in zh


def test_transfer_mode_warning_is_translated(make_ctx: Callable[..., ToolContext]) -> None:
    # ACH-T1 is offered for licence and assignment only.
    zh = draft(make_ctx(lang="zh"), deal_type="equity_investment")
    (finding,) = [f for f in zh.findings if f.code == "transfer_mode"]
    assert finding.message == "该成果登记的转化方式为许可、转让，不含作价投资，请与权利人确认。"
    en = draft(make_ctx(lang="en"), deal_type="joint_development")
    (finding,) = [f for f in en.findings if f.code == "transfer_mode"]
    assert (
        finding.message
        == "The achievement is offered for licensing, assignment, not joint development; confirm with the owner."
    )


def test_short_exclusive_licence_grammar(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx(lang="en"), deal_type="exclusive_license", term_years=3)
    (finding,) = [f for f in ts.findings if f.code == "tax_exemption_term"]
    assert finding.message.startswith("An exclusive licence of 3 years")


def test_assumptions_only_those_the_numbers_rest_on(make_ctx: Callable[..., ToolContext]) -> None:
    eq = draft(make_ctx(lang="en"), deal_type="equity_investment")
    assert eq.totals.costs == 0 and eq.totals.tax_exempt == 0
    assert not any("costs" in a or "exemption" in a for a in eq.assumptions)
    short = draft(make_ctx(lang="zh"), deal_type="nonexclusive_license", term_years=3)
    assert short.totals.tax_exempt == 0
    assert not any("免税" in a for a in short.assumptions)
    assert "许可方成本按总收入的10%计。" in short.assumptions
    long = draft(make_ctx(lang="zh"), deal_type="nonexclusive_license", term_years=5)
    assert any("免税" in a for a in long.assumptions)


# Words allowed in a zh sheet: ids, units and the names that are data (the fixture's orgs are English).
_ALLOWED_LATIN = {
    "ACH",
    "ORG",
    "CN",
    "LAW",
    "PTSTA",
    "ZH",
    "REG",
    "EIT",
    "MOF",
    "SOE",
    "INCENTIVE",
    "CAISHUI",
    "CIVIL",
    "CODE",
    "TECH",
    "CONTRACTS",
    "East",
    "Lake",
    "University",
    "Huaneng",
    "Battery",
    "Works",
    "Sulfide",
    "solid",
    "electrolyte",
    "with",
    "high",
    "ionic",
    "conductivity",
    "T",
    "U",
    "B",
}


@pytest.mark.parametrize("deal", DEALS)
def test_zh_sheet_has_no_english_leftovers(make_ctx: Callable[..., ToolContext], deal: str) -> None:
    ts = draft(make_ctx(lang="zh"), deal_type=deal, soe_enterprise_size="large", equity_incentive_total_pct=6)
    md = md_of(ts)
    words = set(re.findall(r"[A-Za-z]+", md))
    assert words <= _ALLOWED_LATIN, words - _ALLOWED_LATIN
    doc = Document(next(a.path for a in ts.artifacts if a.kind == "term_sheet_docx"))
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells
    )
    assert set(re.findall(r"[A-Za-z]+", text)) <= _ALLOWED_LATIN


@pytest.mark.parametrize("deal", DEALS)
def test_en_sheet_has_no_chinese_leftovers(make_ctx: Callable[..., ToolContext], deal: str) -> None:
    md = md_of(
        draft(make_ctx(lang="en"), deal_type=deal, soe_enterprise_size="large", equity_incentive_total_pct=6)
    )
    assert not re.search(r"[\u4e00-\u9fff（），：；]", md), re.findall(
        r".{0,20}[\u4e00-\u9fff（），：；].{0,20}", md
    )[:3]


@pytest.mark.parametrize(
    ("territory", "lang", "warned"),
    [
        (None, "en", True),  # default territory: Mainland China
        ("Mainland China", "en", True),
        ("Worldwide", "en", False),
        ("全球", "zh", False),
        ("中国大陆及港澳", "zh", True),
    ],
)
def test_territorial_exclusive_licence_warns_about_the_tax_relief(
    make_ctx: Callable[..., ToolContext], territory: str | None, lang: str, warned: bool
) -> None:
    args: dict[str, Any] = {"deal_type": "exclusive_license", "term_years": 6}
    if territory:
        args["territory"] = territory
    ts = draft(make_ctx(lang=lang), **args)
    hits = [f for f in ts.findings if f.code == "tax_exemption_territory"]
    assert bool(hits) is warned
    if warned:
        assert hits[0].severity == "warning"
        assert hits[0].citation is not None and hits[0].citation.doc_id.startswith("CN-MOF-CAISHUI-2010-111")
        assert ("全球独占许可" if lang == "zh" else "worldwide") in hits[0].message


@pytest.mark.parametrize("deal", ["nonexclusive_license", "assignment"])
def test_territory_warning_is_only_for_exclusive_licences(
    make_ctx: Callable[..., ToolContext], deal: str
) -> None:
    ts = draft(make_ctx(lang="en"), deal_type=deal, term_years=6)
    assert not [f for f in ts.findings if f.code == "tax_exemption_territory"]


def test_short_exclusive_licence_gets_the_term_warning_not_the_territory_one(
    make_ctx: Callable[..., ToolContext],
) -> None:
    ts = draft(make_ctx(lang="en"), deal_type="exclusive_license", term_years=3)
    codes = {f.code for f in ts.findings}
    assert "tax_exemption_term" in codes and "tax_exemption_territory" not in codes
