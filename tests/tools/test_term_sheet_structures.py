"""Deal structures (joint development, equity with cash, assignment in instalments, licences with
milestones and minimum royalties) against hand-computed cases, and units' own reward rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from docx import Document

import tools.registry  # noqa: F401
from knowledge.models import PolicyDocument, PolicySection
from knowledge.policy_parse import parse_policy_file
from tests.tools.fakes import MemoryKB, small_corpus
from tools.base import REGISTRY, ToolContext, ToolError
from tools.termsheet.cases import CHECKED, hand_cases
from tools.termsheet.model import TermSheet
from tools.termsheet.unit_rules import find_unit_rule
from tools.termsheet.waterfall import compute_waterfall, equal_instalments, equity_breakdown

POLICIES = Path(__file__).resolve().parents[2] / "knowledge" / "sample" / "policies"


@pytest.mark.parametrize("case", hand_cases(), ids=lambda c: c.structure)
def test_waterfall_equals_hand_computed_case(case: Any) -> None:
    rows = compute_waterfall(case.terms)
    assert len(rows) == len(case.years)
    for row, expected in zip(rows, case.years, strict=True):
        for col in CHECKED:
            assert round(getattr(row, col)) == round(expected.get(col, 0.0)), (case.structure, row.year, col)


def test_equal_instalments_put_the_remainder_last() -> None:
    parts = equal_instalments(10_000_000, 3)
    assert [p.amount_cny for p in parts] == [3_333_333.33, 3_333_333.33, 3_333_333.34]
    assert [p.year for p in parts] == [1, 2, 3]


def test_equity_breakdown_cash_plus_technology() -> None:
    eb = equity_breakdown(next(c for c in hand_cases() if c.structure == "equity_investment").terms)
    assert eb.company_capital_cny == 20_000_000
    assert eb.technology_stake_pct == 40 and eb.inventor_stake_pct == 20 and eb.unit_stake_pct == 20
    assert eb.inventor_stake_value_cny == 4_000_000 and eb.unit_stake_value_cny == 4_000_000


def draft(ctx: ToolContext, **args: Any) -> TermSheet:
    out = REGISTRY["draft_term_sheet"].run({"achievement_id": "ACH-T1", "licensee": "ORG-B1", **args}, ctx)
    assert isinstance(out, TermSheet), out
    return out


def test_tool_joint_development_funding_and_ip(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="joint_development",
        funding_total_cny=12_000_000,
        funding_years=3,
        ip_share_pct=50,
        revenue_projection_cny=[10_000_000, 20_000_000, 30_000_000],
        reward_years=3,
    )
    assert [r.funding for r in ts.waterfall] == [4_000_000, 4_000_000, 4_000_000]
    # Funding is not income: the net income is the profit share alone (hand case above).
    assert [r.net_income for r in ts.waterfall] == [303_750, 607_500, 911_250]
    assert ts.totals.inventor_reward == 135_000
    assert not ts.terms.upfront_fee_cny and ts.terms.deal_type == "joint_development"
    finding = next(f for f in ts.findings if f.code == "joint_ip_ownership")
    assert finding.severity == "info" and finding.citation is not None
    assert finding.citation.ref == "Article 860"


def test_tool_joint_development_without_ip_split_warns(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx("zh"), deal_type="joint_development", funding_total_cny=6_000_000)
    f = next(f for f in ts.findings if f.code == "joint_ip_ownership")
    assert f.severity == "warning" and "共有" in f.message


def test_tool_licence_back(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="joint_development",
        joint_return="license_back",
        royalty_rate_pct=3,
        ip_share_pct=50,
        revenue_projection_cny=[10_000_000 * k for k in range(1, 6)],
    )
    # Art. 45(1): a licence-back is a licence: 50% of the net licence income by default.
    assert ts.terms.inventor_share_pct == 50
    assert ts.totals.net_income == 4_050_000 and ts.totals.inventor_reward == 2_025_000
    assert "joint_licence_back" in {f.code for f in ts.findings}


def test_tool_equity_cash_plus_technology(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="equity_investment",
        appraised_value_cny=8_000_000,
        cash_investment_cny=12_000_000,
        revenue_projection_cny=[20_000_000, 40_000_000],
    )
    assert ts.equity is not None
    assert ts.equity.unit_stake_before_reward_pct == 40 and ts.equity.inventor_stake_pct == 20
    assert ts.equity.company_capital_cny == 20_000_000 and ts.equity.inventor_stake_value_cny == 4_000_000
    assert [r.dividends for r in ts.waterfall] == [240_000, 480_000]
    assert "equity_tax_deferral" in {f.code for f in ts.findings}


def test_tool_assignment_in_instalments(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx(), deal_type="assignment", upfront_fee_cny=18_000_000, instalment_count=2)
    assert ts.terms.term_years == 2 and ts.terms.upfront_fee_cny == 0
    assert [r.fees for r in ts.waterfall] == [9_000_000, 9_000_000]
    assert [r.net_income for r in ts.waterfall] == [7_712_500, 7_712_500]
    assert ts.totals.inventor_reward == 7_712_500
    md = Path(ts.artifacts[0].path).read_text(encoding="utf-8")
    assert "Instalment (year 2)" in md and "Licensee revenue" not in md and "Assignee revenue" not in md


def test_tool_licence_minimum_royalty_and_milestone(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(
        make_ctx(),
        deal_type="exclusive_license",
        royalty_rate_pct=4,
        upfront_fee_cny=1_000_000,
        milestones=[{"description": "approval", "year": 2, "amount_cny": 2_000_000}],
        minimum_annual_royalty_cny=500_000,
        minimum_royalty_from_year=2,
        revenue_projection_cny=[2_000_000, 10_000_000, 30_000_000, 50_000_000, 60_000_000],
    )
    assert [r.royalties for r in ts.waterfall] == [80_000, 500_000, 1_200_000, 2_000_000, 2_400_000]
    assert ts.totals.royalty_topup == 100_000 and ts.totals.net_income == 8_262_000
    assert "minimum_royalty" in {f.code for f in ts.findings}
    doc = Document(ts.artifacts[1].path)
    texts = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "Minimum annual royalty (CNY)" in texts and "of which minimum-royalty top-up" in texts


def test_instalments_after_the_projection_are_rejected(make_ctx: Callable[..., ToolContext]) -> None:
    out = REGISTRY["draft_term_sheet"].run(
        {
            "achievement_id": "ACH-T1",
            "deal_type": "exclusive_license",
            "royalty_rate_pct": 3,
            "term_years": 3,
            "milestones": [{"year": 4, "amount_cny": 1}],
        },
        make_ctx(),
    )
    assert isinstance(out, ToolError)


# --- units' own rules ---------------------------------------------------------------------------


def _rule(org: str, pct: dict[str, float], lang: str = "en", years: int | None = None) -> PolicyDocument:
    return PolicyDocument(
        id=f"RULE-{org}-{lang.upper()}",
        title=f"Reward rule of {org}",
        issuer=org,
        issuer_id=org,
        year=2022,
        jurisdiction="CN",
        lang=lang,
        inventor_reward_pct=pct,
        implementation_years=years,
        sections=[
            PolicySection(ref="Article 1", text="This is the unit's own rule. It is published."),
            PolicySection(
                ref="Article 3",
                text=f"On a transfer or licence the inventors get {pct.get('license', 0):g}% of the net income. The rest stays with the unit.",
            ),
        ],
    )


@pytest.fixture()
def ctx_with_rule(make_ctx: Callable[..., ToolContext]) -> Callable[..., ToolContext]:
    def build(pct: dict[str, float], lang: str = "en", owner: str = "ORG-U1") -> ToolContext:
        kb = MemoryKB(small_corpus(), policies=[_rule(owner, pct, lang)])
        return make_ctx(lang, kb=kb)

    return build


def test_unit_rule_above_the_floor_is_applied_and_cited(ctx_with_rule: Callable[..., ToolContext]) -> None:
    ts = draft(ctx_with_rule({"license": 70, "transfer": 70, "equity": 70}), deal_type="exclusive_license")
    assert ts.terms.inventor_rule == "unit_rule" and ts.terms.inventor_share_pct == 70
    b = ts.inventor_rule_basis
    assert (
        b is not None
        and b.rule == "unit_rule"
        and b.doc_id == "RULE-ORG-U1-EN"
        and b.section_ref == "Article 3"
    )
    assert b.statutory_floor_pct == 50  # ORG-U1 is a university: the floor binds its rule, 70% meets it
    assert "own published rule" in b.statement
    assert "art45_minimum" not in {f.code for f in ts.findings if f.severity == "error"}
    assert ts.compliant
    art44 = next(f for f in ts.findings if f.code == "art44_unit_rule")
    assert art44.citation is not None and art44.citation.doc_id == "RULE-ORG-U1-EN"
    net = ts.totals.net_income
    assert ts.totals.inventor_reward == pytest.approx(net * 0.7, abs=0.05)


def test_a_chinese_unit_rule_cited_in_an_english_sheet_is_quoted(
    make_ctx: Callable[..., ToolContext],
) -> None:
    rule = _rule("ORG-U1", {"license": 70}, lang="zh").model_copy(
        update={"title": "澄湖理工大学科技成果转化奖励办法"}
    )
    rule.sections[1] = rule.sections[1].model_copy(update={"ref": "第三条"})
    ts = draft(make_ctx("en", kb=MemoryKB(small_corpus(), policies=[rule])), deal_type="exclusive_license")
    b = ts.inventor_rule_basis
    assert b is not None and b.rule == "unit_rule"
    assert "(“澄湖理工大学科技成果转化奖励办法”, “第三条” [RULE-ORG-U1-ZH])" in b.statement


def test_unit_rule_below_the_floor_of_a_state_university_is_an_error(
    ctx_with_rule: Callable[..., ToolContext],
) -> None:
    ts = draft(ctx_with_rule({"license": 40}, lang="zh"), deal_type="nonexclusive_license", lang="zh")
    assert ts.terms.inventor_share_pct == 40
    err = next(f for f in ts.findings if f.code == "art45_minimum")
    assert err.severity == "error" and "40%" in err.message
    assert not ts.compliant
    assert ts.inventor_rule_basis is not None and "不符合" in ts.inventor_rule_basis.statement


def test_enterprise_rule_below_the_default_is_lawful(ctx_with_rule: Callable[..., ToolContext]) -> None:
    # ORG-B1 is an SOE: Article 45 sets no floor for an enterprise's own rule.
    out = REGISTRY["draft_term_sheet"].run(
        {"achievement_id": "ACH-T1", "licensor_id": "ORG-B1", "deal_type": "exclusive_license"},
        ctx_with_rule({"license": 30}, owner="ORG-B1"),
    )
    assert isinstance(out, TermSheet)
    assert out.terms.inventor_share_pct == 30 and out.inventor_rule_basis is not None
    assert out.inventor_rule_basis.statutory_floor_pct is None
    assert "art45_minimum" not in {f.code for f in out.findings if f.severity == "error"}


def test_no_unit_rule_means_the_statutory_default(make_ctx: Callable[..., ToolContext]) -> None:
    ts = draft(make_ctx(), deal_type="exclusive_license")
    assert ts.inventor_rule_basis is not None and ts.inventor_rule_basis.rule == "statutory"
    assert ts.terms.inventor_share_pct == 50 and "Article 45" in ts.inventor_rule_basis.statement


def test_explicit_statutory_rule_ignores_the_unit_rule(ctx_with_rule: Callable[..., ToolContext]) -> None:
    ts = draft(ctx_with_rule({"license": 70}), deal_type="exclusive_license", inventor_rule="statutory")
    assert ts.terms.inventor_share_pct == 50 and ts.inventor_rule_basis is not None
    assert ts.inventor_rule_basis.rule == "statutory"


def test_sample_unit_rules_in_the_corpus() -> None:
    docs = []
    for p in sorted(POLICIES.glob("unit-rule-*.md")):
        parsed = parse_policy_file(p)
        assert parsed.document is not None, parsed.errors
        docs.append(parsed.document)
    above = find_unit_rule(docs, "ORG-0012", "license", "zh")
    assert above is not None and above.share_pct == 70 and above.section_ref == "第五条"
    assert above.doc_id == "SAMPLE-UNIT-RULE-ORG-0012-ZH"
    equity = find_unit_rule(docs, "ORG-0012", "equity", "en")
    assert equity is not None and equity.share_pct == 70 and equity.section_ref == "Article 6"
    impl = find_unit_rule(docs, "ORG-0012", "implementation", "en")
    assert impl is not None and impl.share_pct == 10 and impl.years == 5 and impl.section_ref == "Article 7"
    below = find_unit_rule(docs, "ORG-0011", "license", "en")
    assert below is not None and below.share_pct == 40 and below.section_ref == "Article 4"
    assert find_unit_rule(docs, "ORG-0001", "license", "en") is None
