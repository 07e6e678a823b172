"""The TermSheet output model shared by the tool and the renderers."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from tools.common import ArtifactRef
from tools.termsheet.compliance import Finding
from tools.termsheet.waterfall import DealTerms, YearRow


class Party(BaseModel):
    id: str | None = None
    name: str
    kind: str | None = None


class EquitySplit(BaseModel):
    """Equity investment: the stake obtained for the achievement and how it is split (percent of the company)."""

    appraised_value_cny: float | None
    unit_stake_before_reward_pct: float = Field(description="The technology's stake in the company.")
    inventor_stake_pct: float
    unit_stake_pct: float
    cash_investment_cny: float | None = None
    company_capital_cny: float | None = Field(None, description="Technology plus cash.")
    inventor_stake_value_cny: float | None = None
    unit_stake_value_cny: float | None = None


class InventorRuleBasis(BaseModel):
    """Which reward rule set the inventor share, and whether Article 45's floor binds it."""

    rule: Literal["statutory", "unit_rule", "agreed"] = Field(
        description="statutory: Art. 45 default (the unit has no rule); unit_rule: the licensor's own "
        "published rule; agreed: a share the parties stated."
    )
    share_pct: float
    statutory_floor_pct: float | None = Field(
        None, description="Art. 45's floor where it binds this case; None where the statute sets none."
    )
    years: int | None = Field(None, description="Operating-profit rewards: how many years the rule grants.")
    doc_id: str | None = Field(None, description="The unit rule's policy document.")
    section_ref: str | None = None
    title: str | None = None
    statement: str = Field("", description="One sentence in the sheet's language: which rule applied.")


class TermSheet(BaseModel):
    ok: Literal[True] = True
    lang: Literal["zh", "en"]
    deal_type: str
    achievement_id: str
    achievement_title: str
    licensor: Party
    licensee: Party
    territory: str
    field_of_use: str
    terms: DealTerms
    equity: EquitySplit | None = None
    inventor_rule_basis: InventorRuleBasis | None = None
    waterfall: list[YearRow]
    totals: YearRow
    findings: list[Finding]
    compliant: bool = Field(description="No error-level findings.")
    assumptions: list[str] = Field(default_factory=list)
    artifacts: list[ArtifactRef] = Field(default_factory=list)
    summary: str = ""
