"""Hand-computed term-sheet cases, one per deal structure (shared by the tests and bench/term_sheets.py).

Each case is a `DealTerms` and the numbers worked out by hand (the derivation is in the
comment above it), rounded to the yuan. `compute_waterfall` must reproduce every figure; the
bench prints both side by side. Costs are 10% of income throughout; tax is the EIT Regulations
Art. 90 relief (first RMB 5M a year of technology-transfer income after costs exempt, the
excess at 12.5%) or 25% on other income.
"""

from __future__ import annotations

from pydantic import BaseModel

from tools.termsheet.waterfall import DealTerms, Instalment, Milestone, equal_instalments

# Columns each case checks (the others are zero or follow from these).
CHECKED = (
    "funding",
    "royalties",
    "royalty_topup",
    "fees",
    "profit_share",
    "dividends",
    "gross_income",
    "costs",
    "tax_exempt",
    "tax",
    "net_income",
    "inventor_reward",
    "unit_share",
)


class HandCase(BaseModel):
    name: str
    structure: str
    terms: DealTerms
    # Per year: {column: value}; columns not named are expected to be 0.
    years: list[dict[str, float]]


def _jd_funding() -> HandCase:
    # Joint development, the co-developer funds RMB 12M over 3 years (4M a year, not income), IP 50/50,
    # the unit takes 30% of a 15% operating margin; inventors 5% of that profit (Art. 45(3)) for 3 years.
    # Year 1: 10M x 15% x 30% = 450,000 profit share; costs 45,000; tax (450,000 - 45,000) x 25% = 101,250;
    # net 303,750; reward 5% x 450,000 = 22,500; unit 281,250. Years 2 and 3 are 2x and 3x.
    terms = DealTerms(
        deal_type="joint_development",
        term_years=3,
        revenue_cny=[10_000_000, 20_000_000, 30_000_000],
        inventor_share_pct=5,
        reward_years=3,
        profit_share_pct=30,
        operating_margin_pct=15,
        funding_cny=[4_000_000, 4_000_000, 4_000_000],
        ip_share_pct=50,
    )

    def year(k: int) -> dict[str, float]:
        return {
            "funding": 4_000_000,
            "profit_share": 450_000 * k,
            "gross_income": 450_000 * k,
            "costs": 45_000 * k,
            "tax": 101_250 * k,
            "net_income": 303_750 * k,
            "inventor_reward": 22_500 * k,
            "unit_share": 281_250 * k,
        }

    return HandCase(
        name="joint development: ¥12M funding over 3 years, IP 50/50, 30% profit share",
        structure="joint_development/profit_share",
        terms=terms,
        years=[year(1), year(2), year(3)],
    )


def _jd_licence_back() -> HandCase:
    # Joint development with a licence-back: the co-developer pays 3% of revenue for the unit's share
    # of the IP (licence income, 5 years, so it qualifies for Art. 90). Year k: revenue 10M x k,
    # royalty 300,000 x k; costs 30,000 x k; taxable 270,000 x k, all exempt (< 5M); net 270,000 x k;
    # inventors 50% of net licence income (Art. 45(1)) = 135,000 x k.
    terms = DealTerms(
        deal_type="joint_development",
        term_years=5,
        revenue_cny=[10_000_000 * k for k in range(1, 6)],
        royalty_rate_pct=3,
        inventor_share_pct=50,
        joint_return="license_back",
        ip_share_pct=50,
        funding_cny=[6_000_000, 6_000_000],
    )
    years = []
    for k in range(1, 6):
        years.append(
            {
                "funding": 6_000_000 if k <= 2 else 0,
                "royalties": 300_000 * k,
                "gross_income": 300_000 * k,
                "costs": 30_000 * k,
                "tax_exempt": 270_000 * k,
                "net_income": 270_000 * k,
                "inventor_reward": 135_000 * k,
                "unit_share": 135_000 * k,
            }
        )
    return HandCase(
        name="joint development with licence-back at 3%, funding ¥12M over 2 years",
        structure="joint_development/license_back",
        terms=terms,
        years=years,
    )


def _equity() -> HandCase:
    # New company: technology appraised at RMB 8M plus RMB 12M cash -> capital 20M, technology stake
    # 8 / 20 = 40%; inventors get 50% of it (20% of the company, worth 4M). Dividends: revenue x 10%
    # net margin x 30% payout x 40%: year 1 20M -> 240,000, year 2 40M -> 480,000; no costs, no tax
    # (dividends between resident enterprises); inventors hold half the stake -> 120,000 and 240,000.
    terms = DealTerms(
        deal_type="equity_investment",
        term_years=2,
        revenue_cny=[20_000_000, 40_000_000],
        inventor_share_pct=50,
        equity_share_pct=40,
        appraised_value_cny=8_000_000,
        cash_investment_cny=12_000_000,
        net_margin_pct=10,
        payout_ratio_pct=30,
    )
    return HandCase(
        name="equity: technology ¥8M + cash ¥12M, stake 40%, inventors 50% of it",
        structure="equity_investment",
        terms=terms,
        years=[
            {
                "dividends": 240_000,
                "gross_income": 240_000,
                "net_income": 240_000,
                "inventor_reward": 120_000,
                "unit_share": 120_000,
            },
            {
                "dividends": 480_000,
                "gross_income": 480_000,
                "net_income": 480_000,
                "inventor_reward": 240_000,
                "unit_share": 240_000,
            },
        ],
    )


def _assignment_instalments() -> HandCase:
    # Assignment for RMB 18M in two instalments of 9M. Each year: costs 900,000; taxable 8.1M, of which
    # 5M exempt, 3.1M at 12.5% = 387,500; net 9M - 900,000 - 387,500 = 7,712,500; inventors 50% =
    # 3,856,250. (Paid at once, the 18M would be taxed on 16.2M - 5M = 11.2M: 1,400,000 tax.)
    terms = DealTerms(
        deal_type="assignment",
        term_years=2,
        revenue_cny=[0, 0],
        instalments=[
            Instalment(year=1, amount_cny=9_000_000, description="on signing"),
            Instalment(year=2, amount_cny=9_000_000, description="on registration"),
        ],
        inventor_share_pct=50,
    )
    year = {
        "fees": 9_000_000,
        "gross_income": 9_000_000,
        "costs": 900_000,
        "tax_exempt": 5_000_000,
        "tax": 387_500,
        "net_income": 7_712_500,
        "inventor_reward": 3_856_250,
        "unit_share": 3_856_250,
    }
    return HandCase(
        name="assignment: ¥18M in 2 instalments of ¥9M",
        structure="assignment/instalments",
        terms=terms,
        years=[dict(year), dict(year)],
    )


def _assignment_equal_thirds() -> HandCase:
    # RMB 10M in 3 equal instalments: 3,333,333.33 / 3,333,333.33 / 3,333,333.34. Each year is under
    # the 5M exemption: costs 10%, no tax, net 90%, inventors half of it (to the yuan: 3,000,000 and
    # 1,500,000 in each year; the third year's extra fen does not reach a yuan).
    return HandCase(
        name="assignment: ¥10M in 3 equal instalments",
        structure="assignment/equal_instalments",
        terms=DealTerms(
            deal_type="assignment",
            term_years=3,
            revenue_cny=[0, 0, 0],
            instalments=equal_instalments(10_000_000, 3),
            inventor_share_pct=50,
        ),
        years=[
            {
                "fees": fee,
                "gross_income": fee,
                "costs": fee / 10,
                "tax_exempt": fee * 0.9,
                "net_income": fee * 0.9,
                "inventor_reward": fee * 0.45,
                "unit_share": fee * 0.45,
            }
            for fee in (3_333_333.33, 3_333_333.33, 3_333_333.34)
        ],
    )


def _licence_milestones_minimum() -> HandCase:
    # Exclusive licence, 5 years, 4% royalty, RMB 1M upfront, a 2M milestone in year 2, and a minimum
    # annual royalty of 500,000 from year 2.
    # Y1: royalty 2M x 4% = 80,000 (no minimum yet) + 1M fee = 1,080,000; costs 108,000; net 972,000; inventors 486,000.
    # Y2: 10M x 4% = 400,000 < 500,000 -> 500,000 (top-up 100,000) + 2M milestone = 2.5M; costs 250,000;
    #     net 2,250,000; inventors 1,125,000.
    # Y3: 1.2M; costs 120,000; net 1,080,000.  Y4: 2M; net 1,800,000.  Y5: 2.4M; net 2,160,000.
    # All under the 5M exemption, so no tax; inventors 50% of net each year.
    terms = DealTerms(
        deal_type="exclusive_license",
        term_years=5,
        revenue_cny=[2_000_000, 10_000_000, 30_000_000, 50_000_000, 60_000_000],
        upfront_fee_cny=1_000_000,
        milestones=[Milestone(description="regulatory approval", year=2, amount_cny=2_000_000)],
        royalty_rate_pct=4,
        inventor_share_pct=50,
        minimum_annual_royalty_cny=500_000,
        minimum_royalty_from_year=2,
    )

    def year(roy: float, topup: float, fees: float) -> dict[str, float]:
        gross = roy + fees
        net = gross * 0.9
        return {
            "royalties": roy,
            "royalty_topup": topup,
            "fees": fees,
            "gross_income": gross,
            "costs": gross * 0.1,
            "tax_exempt": net,
            "net_income": net,
            "inventor_reward": net / 2,
            "unit_share": net / 2,
        }

    return HandCase(
        name="exclusive licence: 4% royalty, ¥1M upfront, ¥2M milestone, ¥500k minimum from year 2",
        structure="license/milestones_minimum",
        terms=terms,
        years=[
            year(80_000, 0, 1_000_000),
            year(500_000, 100_000, 2_000_000),
            year(1_200_000, 0, 0),
            year(2_000_000, 0, 0),
            year(2_400_000, 0, 0),
        ],
    )


def hand_cases() -> list[HandCase]:
    return [
        _jd_funding(),
        _jd_licence_back(),
        _equity(),
        _assignment_instalments(),
        _assignment_equal_thirds(),
        _licence_milestones_minimum(),
    ]
