"""The per-year profit-sharing waterfall of a deal (pure arithmetic, no I/O).

For every projection year:

    licensee revenue
      -> royalties (revenue x royalty rate, topped up to the minimum annual royalty; assignment,
           licences, and a joint development's licence-back)
       + fees (upfront in year 1, milestones and an assignment's instalments in their year)
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

A joint development's funding (what the co-developer pays into the work each year) is shown in
its own column but is not income to share: it is spent on the development.

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
JointReturn = Literal["profit_share", "license_back"]

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


class Instalment(BaseModel):
    year: int = Field(ge=1, le=50, description="Projection year in which it is due (1 = first year).")
    amount_cny: float = Field(ge=0)
    description: str = Field("", description="What it is for, e.g. 'on registration of the transfer'.")


def equal_instalments(price: float, count: int) -> list[Instalment]:
    """`price` in `count` equal yearly instalments; the last one takes the rounding remainder (to the fen)."""
    part = round(price / count, 2)
    out = [Instalment(year=i, amount_cny=part) for i in range(1, count)]
    out.append(Instalment(year=count, amount_cny=round(price - part * (count - 1), 2)))
    return out


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
    # Assignment paid over years.
    instalments: list[Instalment] = Field(default_factory=list)
    # Licences (and a joint development's licence-back): the licensee pays at least this each year.
    minimum_annual_royalty_cny: float = 0.0
    minimum_royalty_from_year: int = 1
    # Joint development.
    funding_cny: list[float] = Field(
        default_factory=list, description="Co-developer's funding of the work per year (not income)."
    )
    ip_share_pct: float | None = Field(None, description="Unit's share of the jointly developed IP.")
    joint_return: JointReturn = "profit_share"
    # Equity investment: cash the other shareholders put in next to the technology.
    cash_investment_cny: float | None = None


class YearRow(BaseModel):
    year: int
    licensee_revenue: float
    funding: float = Field(0.0, description="Joint development: co-developer's funding, spent on the work.")
    royalties: float = 0.0
    royalty_topup: float = Field(
        0.0, description="Part of royalties paid to reach the minimum annual royalty."
    )
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


def is_one_off(
    deal_type: str,
    royalty_rate_pct: float,
    milestones: Sequence[Milestone],
    instalments: Sequence[Instalment] = (),
) -> bool:
    """An assignment paid once: no running royalty and nothing due after year 1.

    Its income does not depend on the assignee's revenue and a term means nothing (ownership
    passes outright), so the sheet shows the year of payment only and no term.
    """
    return (
        deal_type == "assignment"
        and not royalty_rate_pct
        and all(m.year <= 1 for m in milestones)
        and all(i.year <= 1 for i in instalments)
    )


def licence_back(terms: DealTerms) -> bool:
    """A joint development whose return is a royalty on the co-developer's revenue (a licence)."""
    return terms.deal_type == "joint_development" and terms.joint_return == "license_back"


def statutory_min_pct(terms: DealTerms) -> float:
    """Art. 45's floor for this deal: a licence-back is a licence (50% of net income), not implementation."""
    return (
        STATUTORY_MIN_PCT["exclusive_license"] if licence_back(terms) else STATUTORY_MIN_PCT[terms.deal_type]
    )


def qualifies_for_exemption(terms: DealTerms) -> bool:
    """Art. 90 relief: assignments and equity (cash part) qualify; licences need >= 5 years."""
    if terms.deal_type in LICENCES or licence_back(terms):
        return (terms.term_years or 0) >= QUALIFYING_LICENCE_YEARS
    return terms.deal_type in ("assignment", "equity_investment")


def royalty_for_year(terms: DealTerms, year: int, revenue: float) -> tuple[float, float]:
    """(royalties, of which top-up to the minimum annual royalty) for one year."""
    if terms.deal_type not in (*LICENCES, "assignment") and not licence_back(terms):
        return 0.0, 0.0
    running = revenue * terms.royalty_rate_pct / 100
    minimum = terms.minimum_annual_royalty_cny if year >= terms.minimum_royalty_from_year else 0.0
    topup = max(0.0, minimum - running)
    return running + topup, topup


def compute_waterfall(terms: DealTerms) -> list[YearRow]:
    """One row per projection year, amounts in CNY rounded to the fen."""
    rows: list[YearRow] = []
    cost = terms.cost_ratio_pct / 100
    share = terms.inventor_share_pct / 100
    qualifies = qualifies_for_exemption(terms)
    for i, revenue in enumerate(terms.revenue_cny, start=1):
        fees = (
            (terms.upfront_fee_cny if i == 1 else 0.0)
            + sum(m.amount_cny for m in terms.milestones if m.year == i)
            + sum(p.amount_cny for p in terms.instalments if p.year == i)
        )
        royalties, topup = royalty_for_year(terms, i, revenue)
        funding = terms.funding_cny[i - 1] if i <= len(terms.funding_cny) else 0.0
        profit_share = dividends = 0.0
        if terms.deal_type == "joint_development" and not licence_back(terms):
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
        if terms.deal_type == "joint_development" and not licence_back(terms):
            transfer_income, other_income = 0.0, fees + profit_share
        elif licence_back(terms):
            # The licence-back royalty is licence income; other payments are development income.
            transfer_income, other_income = royalties, fees
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
        if terms.deal_type == "joint_development" and not licence_back(terms):
            reward = profit_share * share if i <= terms.reward_years else 0.0
        else:
            reward = net * share
        rows.append(
            YearRow(
                year=i,
                licensee_revenue=round(revenue, 2),
                funding=round(funding, 2),
                royalties=round(royalties, 2),
                royalty_topup=round(topup, 2),
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


class EquityBreakdown(BaseModel):
    """Investment at appraised value: the technology's stake in the new company and who holds it."""

    appraised_value_cny: float | None
    cash_investment_cny: float | None
    company_capital_cny: float | None = Field(description="Technology plus cash, at the appraised value.")
    technology_stake_pct: float
    inventor_stake_pct: float = Field(description="Percent of the company held by the inventor team.")
    unit_stake_pct: float
    inventor_stake_value_cny: float | None = None
    unit_stake_value_cny: float | None = None


def equity_breakdown(terms: DealTerms) -> EquityBreakdown:
    """The technology stake (given, or appraised value / (appraised value + cash)) split by the inventor share."""
    stake = terms.equity_share_pct
    share = terms.inventor_share_pct / 100
    inventors = round(stake * share, 4)
    value = terms.appraised_value_cny
    cash = terms.cash_investment_cny
    capital = (value or 0.0) + (cash or 0.0) if value is not None and cash is not None else None
    # The stake's value follows the company's capital when it is known, else the appraised value.
    basis = capital * stake / 100 if capital is not None else value
    return EquityBreakdown(
        appraised_value_cny=value,
        cash_investment_cny=cash,
        company_capital_cny=capital,
        technology_stake_pct=stake,
        inventor_stake_pct=inventors,
        unit_stake_pct=round(stake - inventors, 4),
        inventor_stake_value_cny=round(basis * share, 2) if basis is not None else None,
        unit_stake_value_cny=round(basis * (1 - share), 2) if basis is not None else None,
    )


def default_revenue(asking_price_cny: float | None, years: int) -> list[float]:
    """A simple ramp when no projection is given: base x min(year, 5), base = asking price or RMB 10M."""
    base = asking_price_cny if asking_price_cny else 10_000_000.0
    return [base * min(y, 5) for y in range(1, years + 1)]
