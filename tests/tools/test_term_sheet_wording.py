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


def _md_table(md: str, heading: str) -> list[list[str]]:
    """The rows of the Markdown table under `## heading` (separator row left out, bold stripped)."""
    block = md.split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("|") and not line.startswith("|-")]
    rows = [line for line in rows if not set(line) <= set("|-:")]
    return [[c.strip().strip("*") for c in line.strip("|").split("|")] for line in rows]


def _docx_tables(ts: TermSheet) -> list[list[list[str]]]:
    doc = Document(next(a.path for a in ts.artifacts if a.kind == "term_sheet_docx"))
    return [[[c.text for c in r.cells] for r in t.rows] for t in doc.tables]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_off_assignment_has_no_term_and_one_payment_row(
    make_ctx: Callable[..., ToolContext], lang: str
) -> None:
    # QA round 3: an assignment asked for 5 years printed "Term 5 years" and four rows of zeros.
    ts = draft(make_ctx(lang=lang), deal_type="assignment", term_years=5)
    assert ts.terms.term_years is None and len(ts.waterfall) == 1
    assert ts.waterfall[0].fees == 30_000_000 and ts.totals.net_income == ts.waterfall[0].net_income
    md = md_of(ts)
    heading = "收益分配测算" if lang == "zh" else "Profit-sharing waterfall"
    table = _md_table(md, heading)
    if lang == "en":
        assert "| Term | Not applicable (one-off transfer) |" in md and "5 years" not in md
        assert table[0][:3] == ["Year", "Price paid", "Assignor gross income"]
        assert "Assignee revenue" not in table[0]
        assert ts.assumptions[0].startswith("One-off transfer: the price is paid in year 1")
        assert "one-off price RMB 30M" in ts.summary and "over 1 years" not in ts.summary
    else:
        assert "| 期限 | 不适用（一次性转让） |" in md and "5年" not in md
        assert table[0][:3] == ["年度", "转让价款", "转让方总收入"]
        assert "受让方收入" not in table[0] and "入门费" not in md
        assert ts.assumptions[0].startswith("一次性转让：")
        assert "一次性转让价款3,000万元" in ts.summary
    assert [row[0] for row in table[1:]] == ["1"]  # the payment year, no repeated total row
    # The .docx says the same: same key terms, same waterfall cells.
    key_terms, waterfall = _docx_tables(ts)
    assert [row for row in key_terms if row[0] in ("Term", "期限")] == [
        ["Term", "Not applicable (one-off transfer)"] if lang == "en" else ["期限", "不适用（一次性转让）"]
    ]
    assert waterfall == table


def test_assignment_paid_over_years_keeps_its_projection(make_ctx: Callable[..., ToolContext]) -> None:
    royalty = draft(make_ctx(lang="en"), deal_type="assignment", royalty_rate_pct=2, term_years=5)
    assert royalty.terms.term_years == 5 and len(royalty.waterfall) == 5
    assert all(r.royalties > 0 for r in royalty.waterfall)
    md = md_of(royalty)
    assert "| Payment period | 5 years |" in md and "Assignee revenue" in md
    assert _md_table(md, "Profit-sharing waterfall")[-1][0] == "Total"
    assert _docx_tables(royalty)[1] == _md_table(md, "Profit-sharing waterfall")
    instalments = draft(
        make_ctx(lang="zh"),
        deal_type="assignment",
        upfront_fee_cny=10_000_000,
        milestones=[{"description": "量产", "year": 3, "amount_cny": 5_000_000}],
        term_years=3,
    )
    assert [r.fees for r in instalments.waterfall] == [10_000_000, 0, 5_000_000]
    assert "| 付款期限 | 3年 |" in md_of(instalments)
    # A licence keeps its term.
    assert "| Term | 5 years |" in md_of(
        draft(make_ctx(lang="en"), deal_type="exclusive_license", term_years=5)
    )
