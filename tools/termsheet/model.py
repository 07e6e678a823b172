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
    unit_stake_before_reward_pct: float
    inventor_stake_pct: float
    unit_stake_pct: float


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
    waterfall: list[YearRow]
    totals: YearRow
    findings: list[Finding]
    compliant: bool = Field(description="No error-level findings.")
    assumptions: list[str] = Field(default_factory=list)
    artifacts: list[ArtifactRef] = Field(default_factory=list)
    summary: str = ""
