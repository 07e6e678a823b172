"""Term sheets: waterfall arithmetic against hand-computed numbers, compliance findings, files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import tools.registry  # noqa: F401
from tools.base import REGISTRY, ToolContext, ToolError
from tools.policy_refs import ALL_REFS
from tools.termsheet.model import TermSheet

POLICIES = Path(__file__).resolve().parents[2] / "knowledge" / "sample" / "policies"


def draft(ctx: ToolContext, **args: Any) -> TermSheet:
    out = REGISTRY["draft_term_sheet"].run({"achievement_id": "ACH-T1", "licensee": "ORG-B1", **args}, ctx)
    assert isinstance(out, TermSheet), out
    return out


def rows(ts: TermSheet) -> list[dict[str, float]]:
    return [r.model_dump() for r in ts.waterfall]


def codes(ts: TermSheet, severity: str | None = None) -> set[str]:
    return {f.code for f in ts.findings if severity is None or f.severity == severity}


def test_exclusive_licence_waterfall(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="exclusive_license",
        royalty_rate_pct=5,
        upfront_fee_cny=2_000_000,
        revenue_projection_cny=[10_000_000, 20_000_000],
        term_years=5,
    )
    y1, y2 = rows(ts)
    # Year 1: 5% of 10M = 500k royalty + 2M upfront = 2.5M gross; 10% costs -> 2.25M, under the 5M exemption.
    assert y1["royalties"] == 500_000 and y1["fees"] == 2_000_000 and y1["gross_income"] == 2_500_000
    assert y1["costs"] == 250_000 and y1["tax"] == 0 and y1["tax_exempt"] == 2_250_000
    assert (
        y1["net_income"] == 2_250_000 and y1["inventor_reward"] == 1_125_000 and y1["unit_share"] == 1_125_000
    )
    # Year 2: 1M royalty, 100k costs, 900k net, half to the inventors.
    assert (
        y2["gross_income"] == 1_000_000 and y2["net_income"] == 900_000 and y2["inventor_reward"] == 450_000
    )
    assert ts.totals.inventor_reward == 1_575_000 and ts.totals.net_income == 3_150_000
    assert ts.licensor.id == "ORG-U1" and ts.licensee.id == "ORG-B1"
    assert ts.compliant and not codes(ts, "error")
    assert "tax_exemption" in codes(ts, "info")


def test_assignment_above_exemption(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="assignment",
        upfront_fee_cny=20_000_000,
        revenue_projection_cny=[5_000_000],
        inventor_share_pct=60,
    )
    (y1,) = rows(ts)
    # 20M - 10% costs = 18M taxable; 5M exempt, 13M at 12.5% = 1.625M tax; net 16.375M; 60% to inventors.
    assert y1["costs"] == 2_000_000 and y1["transfer_income_taxable"] == 18_000_000
    assert y1["tax_exempt"] == 5_000_000 and y1["tax"] == 1_625_000
    assert (
        y1["net_income"] == 16_375_000
        and y1["inventor_reward"] == 9_825_000
        and y1["unit_share"] == 6_550_000
    )
    assert y1["royalties"] == 0


def test_assignment_defaults_to_asking_price(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx(), deal_type="assignment", term_years=1)
    assert ts.terms.upfront_fee_cny == 30_000_000  # ACH-T1 asks RMB 30M
    assert ts.waterfall[0].fees == 30_000_000


def test_short_nonexclusive_licence_loses_exemption(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="nonexclusive_license",
        royalty_rate_pct=3,
        term_years=3,
        revenue_projection_cny=[10_000_000] * 3,
    )
    for r in rows(ts):
        # 300k royalty, 30k costs, 270k taxed at the full 25% = 67.5k, net 202.5k, half each.
        assert r["royalties"] == 300_000 and r["tax"] == 67_500 and r["tax_exempt"] == 0
        assert r["net_income"] == 202_500 and r["inventor_reward"] == 101_250 and r["unit_share"] == 101_250
    term = [f for f in ts.findings if f.code == "tax_exemption_term"]
    assert term and term[0].severity == "warning"
    assert term[0].citation is not None and term[0].citation.doc_id == "CN-MOF-CAISHUI-2015-116-EN"
    five = draft(make_ctx(), deal_type="nonexclusive_license", royalty_rate_pct=3, term_years=5)
    assert "tax_exemption_term" not in codes(five)


def test_equity_investment_waterfall_and_split(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="equity_investment",
        equity_share_pct=20,
        net_margin_pct=10,
        payout_ratio_pct=30,
        revenue_projection_cny=[100_000_000, 200_000_000],
    )
    y1, y2 = rows(ts)
    # 100M x 10% margin x 30% payout x 20% stake = 600k dividends, untaxed; inventors hold half the stake.
    assert y1["dividends"] == 600_000 and y1["costs"] == 0 and y1["tax"] == 0
    assert y1["net_income"] == 600_000 and y1["inventor_reward"] == 300_000
    assert y2["dividends"] == 1_200_000 and y2["inventor_reward"] == 600_000
    assert ts.equity is not None
    assert ts.equity.inventor_stake_pct == 10 and ts.equity.unit_stake_pct == 10
    assert ts.equity.appraised_value_cny == 30_000_000
    low = draft(make_ctx(), deal_type="equity_investment", inventor_share_pct=30)
    assert "art45_minimum" in codes(low, "error")


def test_joint_development_waterfall(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="joint_development",
        operating_margin_pct=15,
        profit_share_pct=30,
        upfront_fee_cny=1_000_000,
        revenue_projection_cny=[10_000_000] * 6,
        inventor_share_pct=5,
    )
    r = rows(ts)
    # Year 1: profit share 10M x 15% x 30% = 450k, plus 1M fees = 1.45M; costs 145k; 25% tax on 1.305M = 326.25k.
    assert r[0]["profit_share"] == 450_000 and r[0]["gross_income"] == 1_450_000
    assert r[0]["costs"] == 145_000 and r[0]["tax"] == 326_250 and r[0]["net_income"] == 978_750
    # Inventors: 5% of the unit's operating profit share = 22.5k a year, for 5 years only.
    assert r[0]["inventor_reward"] == 22_500 and r[0]["unit_share"] == 956_250
    assert (
        r[1]["net_income"] == 303_750 and r[1]["inventor_reward"] == 22_500 and r[1]["unit_share"] == 281_250
    )
    assert r[5]["inventor_reward"] == 0 and r[5]["unit_share"] == 303_750
    assert not codes(ts, "error")
    low = draft(make_ctx(), deal_type="joint_development", inventor_share_pct=4)
    assert "art45_minimum" in codes(low, "error")
    short = draft(make_ctx(), deal_type="joint_development", reward_years=2)
    assert "art45_reward_years" in codes(short, "error")


@pytest.mark.parametrize(
    ("deal", "share", "error"),
    [
        ("assignment", 49, True),
        ("assignment", 50, False),
        ("exclusive_license", 40, True),
        ("nonexclusive_license", 70, False),
        ("equity_investment", 50, False),
        ("joint_development", 5, False),
        ("joint_development", 3, True),
    ],
)
def test_article_45_statutory_minimums(
    make_ctx: Callable[..., ToolContext], deal: str, share: float, error: bool
) -> None:
    ts = draft(make_ctx(), deal_type=deal, inventor_share_pct=share)
    art45 = [f for f in ts.findings if f.code == "art45_minimum"]
    assert art45, ts.findings
    assert (art45[0].severity == "error") is error
    assert ts.compliant is not error
    assert art45[0].citation is not None
    assert art45[0].citation.doc_id == "CN-LAW-PTSTA-2015-EN" and art45[0].citation.ref == "Article 45"


def test_unit_rule(make_ctx: Callable[..., ToolContext]) -> None:
    # A private licensor with a published rule may go below the default; Art. 44 noted.
    ok = draft(
        make_ctx(),
        deal_type="exclusive_license",
        licensor_id="ORG-M1",
        inventor_rule="unit_rule",
        inventor_share_pct=30,
        unit_rule_published=True,
    )
    assert not codes(ok, "error")
    assert {"art44_unit_rule", "art45_unit_rule_below_default"} <= codes(ok, "info")
    unpublished = draft(
        make_ctx(lang="zh"),
        deal_type="exclusive_license",
        licensor_id="ORG-M1",
        inventor_rule="unit_rule",
        inventor_share_pct=30,
    )
    art44 = [f for f in unpublished.findings if f.code == "art44_unit_rule"]
    assert art44[0].severity == "warning" and art44[0].citation is not None
    assert art44[0].citation.doc_id == "CN-LAW-PTSTA-2015-ZH" and art44[0].citation.ref == "第四十四条"
    # A university (state-established) must still meet Art. 45 under its own rule.
    uni = draft(
        make_ctx(),
        deal_type="exclusive_license",
        inventor_rule="unit_rule",
        inventor_share_pct=30,
        unit_rule_published=True,
    )
    assert "art45_minimum" in codes(uni, "error")


def test_soe_incentive_caps(make_ctx: Callable[..., ToolContext]) -> None:
    bad = draft(
        make_ctx(lang="zh"),
        deal_type="equity_investment",
        soe_enterprise_size="large",
        equity_incentive_total_pct=6,
        equity_incentive_max_individual_pct=4,
        dividend_pool_pct=20,
    )
    errors = {f.code: f for f in bad.findings if f.severity == "error"}
    assert {"soe_total_cap", "soe_person_cap", "soe_dividend_cap"} <= set(errors)
    assert errors["soe_total_cap"].citation is not None
    assert errors["soe_total_cap"].citation.doc_id == "CN-MOF-SOE-INCENTIVE-2016-ZH"
    assert "5%" in errors["soe_total_cap"].message
    medium = draft(
        make_ctx(),
        deal_type="equity_investment",
        soe_enterprise_size="medium",
        equity_incentive_total_pct=8,
        equity_incentive_max_individual_pct=3,
        dividend_pool_pct=15,
    )
    assert not {"soe_total_cap", "soe_person_cap", "soe_dividend_cap"} & codes(medium, "error")
    small = draft(
        make_ctx(), deal_type="equity_investment", soe_enterprise_size="small", equity_incentive_total_pct=30
    )
    assert "soe_total_cap" not in codes(small, "error")
    small_over = draft(
        make_ctx(), deal_type="equity_investment", soe_enterprise_size="micro", equity_incentive_total_pct=31
    )
    assert "soe_total_cap" in codes(small_over, "error")


@pytest.mark.parametrize(("rate", "severity"), [(12, "warning"), (7, "info"), (5, None)])
def test_royalty_levels(make_ctx: Callable[..., ToolContext], rate: float, severity: str | None) -> None:
    ts = draft(make_ctx(), deal_type="exclusive_license", royalty_rate_pct=rate)
    found = [f.severity for f in ts.findings if f.code == "royalty_rate"]
    assert found == ([severity] if severity else [])


def test_files_written_and_docx_readable(make_ctx: Callable[..., ToolContext]) -> None:
    ctx = make_ctx(lang="zh")
    ts = draft(
        ctx,
        deal_type="exclusive_license",
        royalty_rate_pct=4,
        upfront_fee_cny=3_000_000,
        revenue_projection_cny=[10_000_000, 20_000_000],
        milestones=[{"description": "首批量产", "year": 2, "amount_cny": 1_000_000}],
    )
    paths = {a.kind: Path(a.path) for a in ts.artifacts}
    assert set(paths) == {"term_sheet_md", "term_sheet_docx"}
    for p in paths.values():
        assert p.exists() and p.parent == ctx.settings.outputs_dir
    md = paths["term_sheet_md"].read_text(encoding="utf-8")
    assert "East Lake University" in md and "Huaneng Battery Works" in md and "收益分配测算" in md
    assert "3,400,000" in md  # year 1: 400k royalty + 3M upfront
    doc = Document(str(paths["term_sheet_docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "条款清单" in text
    assert any("East Lake University" in c for c in cells) and any(
        "Huaneng Battery Works" in c for c in cells
    )
    assert "3,400,000" in cells  # gross income year 1
    assert "1,800,000" in cells  # year 2: 800k royalty + 1M milestone
    assert f"{ts.totals.inventor_reward:,.0f}" in cells
    assert any("CN-LAW-PTSTA-2015-ZH" in p.text for p in doc.paragraphs)
    en = draft(make_ctx(lang="en"), deal_type="exclusive_license")
    en_md = Path(en.artifacts[0].path).read_text(encoding="utf-8")
    assert "Profit-sharing waterfall" in en_md and "Article 45" in en_md


def test_unknown_ids_and_bad_args(make_ctx: Callable[..., ToolContext]) -> None:
    ctx = make_ctx()
    out = REGISTRY["draft_term_sheet"].run({"achievement_id": "ACH-NOPE", "deal_type": "assignment"}, ctx)
    assert isinstance(out, ToolError) and out.code == "unknown_id"
    out = REGISTRY["draft_term_sheet"].run({"achievement_id": "ACH-T1", "deal_type": "lease"}, ctx)
    assert isinstance(out, ToolError) and out.code == "invalid_args" and "deal_type" in out.message
    out = REGISTRY["draft_term_sheet"].run(
        {"achievement_id": "ACH-T1", "deal_type": "assignment", "milestones": [{"year": 9, "amount_cny": 1}]},
        ctx,
    )
    assert isinstance(out, ToolError) and "milestones[0].year" in out.message
    named = draft(ctx, deal_type="exclusive_license", licensee="Some New Startup Ltd")
    assert named.licensee.id is None and named.licensee.name == "Some New Startup Ltd"


@pytest.mark.skipif(not POLICIES.exists(), reason="no bundled policies folder")
def test_citations_exist_in_bundled_policies() -> None:
    from knowledge.policy_parse import parse_policy_file

    sections: dict[str, set[str]] = {}
    for path in POLICIES.glob("*.md"):
        if not re.search(r"^id:", path.read_text(encoding="utf-8"), re.M):
            continue  # e.g. the folder's README
        doc = parse_policy_file(path).document
        assert doc is not None, path
        sections[doc.id] = {s.ref for s in doc.sections}
    for name, ref in ALL_REFS.items():
        for r in (ref.en, ref.zh):
            assert r.doc_id in sections, (name, r.doc_id)
            assert r.ref in sections[r.doc_id], (name, r.doc_id, r.ref, sorted(sections[r.doc_id]))
