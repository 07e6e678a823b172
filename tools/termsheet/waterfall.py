"""The per-year profit-sharing waterfall of a deal (pure arithmetic, no I/O).

For every projection year:

    licensee revenue
      -> royalties (revenue x royalty rate; assignment and licences)
       + fees (upfront in year 1, milestones in their year)
       + profit share (joint development: revenue x operating margin x unit's profit share)
       + dividends (equity investment: revenue x net margin x payout ratio x unit's equity share)
      = licensor gross income
      -> costs (cost ratio x gross income, dividends excepted)
      -> enterprise income tax:
           technology-transfer income (royalties and fees of an assignment, a licence of >= 5 years
           or the cash part of an equity deal), after costs: first RMB 5M a year exempt, the excess
           at half the 25% rate (EIT Regulations Art. 90); a licence under 5 years does not qualify
           and pays 25%; joint-development income pays 25%; dividends between resident enterprises
           are not taxed again
      = licensor net income
      -> inventor team reward: inventor share x net income (transfer, licence, equity — for
           equity the inventors hold that share of the stake, so they receive that share of the
           dividends); for joint development inventor share x the unit's profit share, for the
           first `reward_years` years (Art. 45(3): operating profit, 3-5 years)
      = unit's share

Assumptions (stated on the term sheet): the deal is the licensor's only technology-transfer
income that year (the RMB 5M exemption is per enterprise per year), and the licensor is taxed
as a resident enterprise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

DealType = Literal[
    "assignment", "exclusive_license", "nonexclusive_license", "equity_investment", "joint_development"
]
InventorRule = Literal["statutory", "unit_rule"]

EIT_RATE = 0.25
EXEMPT_PER_YEAR = 5_000_000.0
HALF_RATE = EIT_RATE / 2
QUALIFYING_LICENCE_YEARS = 5

# Article 45 minimums (percent): of net income for transfer/licence, of the equity for
# investment, of the operating profit for own/joint implementation.
STATUTORY_MIN_PCT: dict[str, float] = {
    "assignment": 50.0,
    "exclusive_license": 50.0,
    "nonexclusive_license": 50.0,
    "equity_investment": 50.0,
    "joint_development": 5.0,
}
LICENCES = ("exclusive_license", "nonexclusive_license")


class Milestone(BaseModel):
    description: str = Field("", description="What triggers the payment.")
    year: int = Field(ge=1, le=50, description="Projection year in which it is paid (1 = first year).")
    amount_cny: float = Field(ge=0)


class DealTerms(BaseModel):
    """Fully resolved economics (defaults already applied); percentages are 0..100."""

    deal_type: DealType
    term_years: int | None = Field(
        ge=1, le=50, description="None for a one-off assignment: the price is paid once, there is no term."
    )
    revenue_cny: list[float] = Field(description="Licensee (or new company) revenue per projection year.")
    upfront_fee_cny: float = 0.0
    milestones: list[Milestone] = Field(default_factory=list)
    royalty_rate_pct: float = 0.0
    cost_ratio_pct: float = 10.0
    inventor_rule: InventorRule = "statutory"
    inventor_share_pct: float = 50.0
    reward_years: int = 5
    equity_share_pct: float = 0.0
    appraised_value_cny: float | None = None
    profit_share_pct: float = 0.0
    operating_margin_pct: float = 15.0
    net_margin_pct: float = 10.0
    payout_ratio_pct: float = 30.0


class YearRow(BaseModel):
    year: int
    licensee_revenue: float
    royalties: float = 0.0
    fees: float = 0.0
    profit_share: float = 0.0
    dividends: float = 0.0
    gross_income: float = 0.0
    costs: float = 0.0
    transfer_income_taxable: float = Field(0.0, description="Technology-transfer income after costs.")
    tax_exempt: float = Field(0.0, description="Part of it exempt under Art. 90.")
    tax: float = 0.0
    net_income: float = 0.0
    inventor_reward: float = 0.0
    unit_share: float = 0.0


def is_one_off(deal_type: str, royalty_rate_pct: float, milestones: Sequence[Milestone]) -> bool:
    """An assignment paid once: no running royalty and nothing due after year 1.

    Its income does not depend on the assignee's revenue and a term means nothing (ownership
    passes outright), so the sheet shows the year of payment only and no term.
    """
    return deal_type == "assignment" and not royalty_rate_pct and all(m.year <= 1 for m in milestones)


def qualifies_for_exemption(terms: DealTerms) -> bool:
    """Art. 90 relief: assignments and equity (cash part) qualify; licences need >= 5 years."""
    if terms.deal_type in LICENCES:
        return (terms.term_years or 0) >= QUALIFYING_LICENCE_YEARS
    return terms.deal_type in ("assignment", "equity_investment")


def compute_waterfall(terms: DealTerms) -> list[YearRow]:
    """One row per projection year, amounts in CNY rounded to the fen."""
    rows: list[YearRow] = []
    cost = terms.cost_ratio_pct / 100
    share = terms.inventor_share_pct / 100
    qualifies = qualifies_for_exemption(terms)
    for i, revenue in enumerate(terms.revenue_cny, start=1):
        fees = (terms.upfront_fee_cny if i == 1 else 0.0) + sum(
            m.amount_cny for m in terms.milestones if m.year == i
        )
        royalties = (
            revenue * terms.royalty_rate_pct / 100 if terms.deal_type in (*LICENCES, "assignment") else 0.0
        )
        profit_share = dividends = 0.0
        if terms.deal_type == "joint_development":
            profit_share = revenue * terms.operating_margin_pct / 100 * terms.profit_share_pct / 100
        if terms.deal_type == "equity_investment":
            dividends = (
                revenue
                * terms.net_margin_pct
                / 100
                * terms.payout_ratio_pct
                / 100
                * terms.equity_share_pct
                / 100
            )
        if terms.deal_type == "joint_development":
            transfer_income, other_income = 0.0, fees + profit_share
        else:
            transfer_income, other_income = royalties + fees, 0.0
        gross = royalties + fees + profit_share + dividends
        costs = (transfer_income + other_income) * cost
        taxable_transfer = transfer_income * (1 - cost)
        if qualifies:
            exempt = min(taxable_transfer, EXEMPT_PER_YEAR)
            tax = (taxable_transfer - exempt) * HALF_RATE
        else:
            exempt = 0.0
            tax = taxable_transfer * EIT_RATE
        tax += other_income * (1 - cost) * EIT_RATE
        net = gross - costs - tax
        if terms.deal_type == "joint_development":
            reward = profit_share * share if i <= terms.reward_years else 0.0
        else:
            reward = net * share
        rows.append(
            YearRow(
                year=i,
                licensee_revenue=round(revenue, 2),
                royalties=round(royalties, 2),
                fees=round(fees, 2),
                profit_share=round(profit_share, 2),
                dividends=round(dividends, 2),
                gross_income=round(gross, 2),
                costs=round(costs, 2),
                transfer_income_taxable=round(taxable_transfer, 2),
                tax_exempt=round(exempt, 2),
                tax=round(tax, 2),
                net_income=round(net, 2),
                inventor_reward=round(reward, 2),
                unit_share=round(net - reward, 2),
            )
        )
    return rows


def totals(rows: list[YearRow]) -> YearRow:
    """Column sums (year = 0)."""
    fields = [f for f in YearRow.model_fields if f != "year"]
    return YearRow(year=0, **{f: round(sum(getattr(r, f) for r in rows), 2) for f in fields})


def default_revenue(asking_price_cny: float | None, years: int) -> list[float]:
    """A simple ramp when no projection is given: base x min(year, 5), base = asking price or RMB 10M."""
    base = asking_price_cny if asking_price_cny else 10_000_000.0
    return [base * min(y, 5) for y in range(1, years + 1)]
