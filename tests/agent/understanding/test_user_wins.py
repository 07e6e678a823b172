"""What the user said wins over defaults: a named counterparty, the deal type, amounts, funding, the IP
split, the enterprise size and incentive percentages reach draft_term_sheet; an assumption is stated."""

from __future__ import annotations

from typing import Any

from agent.builtin import BuiltinPlanner
from tests.agent.builtin.synth import inp
from tests.agent.understanding.test_linking import fake_links


def draft_args(text: str, lang: str = "en") -> tuple[dict[str, Any], str]:
    plan = BuiltinPlanner(links=fake_links).plan(inp(text, lang=lang))
    assert plan.clarification is None
    steps = [s for s in plan.steps if s.tool == "draft_term_sheet"]
    assert [s.tool for s in plan.steps] == ["draft_term_sheet"]  # no partner search replaces the named one
    return {k: v for k, v in steps[0].args.items() if v is not None}, plan.note


def test_named_counterparty_licence_terms_en() -> None:
    args, note = draft_args(
        "Draft an exclusive licence of ACH-0389 to Guoyue Power Equipment, upfront RMB 3 million, a 4% royalty, 8 years"
    )
    assert args["licensee"] == "ORG-0070"
    assert args["deal_type"] == "exclusive_license"
    assert args["upfront_fee_cny"] == 3_000_000
    assert args["royalty_rate_pct"] == 4.0
    assert args["term_years"] == 8
    assert "Taken as ORG-0070 国悦电力装备有限公司" in note


def test_joint_development_funding_and_ip_split_zh() -> None:
    args, note = draft_args(
        "给ACH-0389和国悦电力装备起草合作开发协议，对方出资500万，分两年到位，知识产权六四开", "zh"
    )
    assert args["licensee"] == "ORG-0070"
    assert args["deal_type"] == "joint_development"
    assert args["funding_total_cny"] == 5_000_000
    assert args["ip_share_pct"] == 60.0
    assert "按 ORG-0070 国悦电力装备有限公司 理解" in note


def test_joint_development_funding_years_and_ip_split_en() -> None:
    args, _ = draft_args(
        "Draft a joint development agreement for ACH-0389 with ORG-0070: they fund RMB 12 million over 3 years, IP split 60/40"
    )
    assert args["deal_type"] == "joint_development"
    assert (args["funding_total_cny"], args["funding_years"]) == (12_000_000, 3)
    assert args["ip_share_pct"] == 60.0
    assert "licensee" in args and args["licensee"] == "ORG-0070"


def test_equity_with_enterprise_size_and_incentives() -> None:
    args, _ = draft_args(
        "ACH-0389作价1000万元入股国悦电力装备，占股20%，国有中型企业，股权激励总额8%，单人不超过2%", "zh"
    )
    assert args["deal_type"] == "equity_investment"
    assert args["appraised_value_cny"] == 10_000_000
    assert args["equity_share_pct"] == 20.0
    assert args["soe_enterprise_size"] == "medium"
    assert args["equity_incentive_total_pct"] == 8.0
    assert args["equity_incentive_max_individual_pct"] == 2.0


def test_assumed_deal_type_is_stated() -> None:
    args, note = draft_args("draft a term sheet for ACH-0389 with ORG-0070")
    assert args["deal_type"] == "nonexclusive_license"
    assert "No deal type given; drafting a non-exclusive licence." in note
