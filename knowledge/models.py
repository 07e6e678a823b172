"""Record schemas of the ingest contract (see docs/ARCHITECTURE.md, "Records").

Field names are a public contract: users' JSONL/CSV files depend on them. Unknown fields are
rejected so that a typo in a user's file is reported instead of silently dropped.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.domains import DomainId
from knowledge.lang import Lang, text_lang
from knowledge.regions import normalise_region

TransferMode = Literal["assignment", "license", "equity", "joint_development", "service"]
OrgKind = Literal["university", "institute", "soe", "private", "investor"]
FacilityKind = Literal["pilot_line", "testbed", "lab", "demonstration_site"]
BookingStatus = Literal["held", "confirmed", "cancelled", "expired"]
RecordKind = Literal["achievement", "organisation", "facility", "booking", "policy"]

ACH_ID = r"^ACH-[0-9A-Za-z_-]+$"
ORG_ID = r"^ORG-[0-9A-Za-z_-]+$"
FAC_ID = r"^FAC-[0-9A-Za-z_-]+$"

NonEmptyStr = Annotated[str, Field(min_length=1)]
Money = Annotated[float, Field(ge=0)]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("region", check_fields=False)
    @classmethod
    def _canonical_region(cls, value: str) -> str:
        # Accept "江苏" or "jiangsu" and store "Jiangsu"; keep unknown places as written.
        return normalise_region(value) or value


class Achievement(_Record):
    """A research result offered for transfer."""

    id: Annotated[str, Field(pattern=ACH_ID)]
    title: NonEmptyStr
    summary: NonEmptyStr
    domain: DomainId
    keywords: list[str] = Field(default_factory=list)
    trl: Annotated[int, Field(ge=1, le=9)]
    owner_id: Annotated[str, Field(pattern=ORG_ID)]
    ip: list[str] = Field(default_factory=list)
    transfer_modes: list[TransferMode] = Field(default_factory=list)
    asking_price_cny: Money | None = None
    region: NonEmptyStr

    @property
    def lang(self) -> Lang:
        return text_lang(self.title + self.summary)

    def text(self) -> str:
        """The text that is embedded and keyword-indexed."""
        return f"{self.title}\n{self.summary}\n{' '.join(self.keywords)}"


class Organisation(_Record):
    """A university, institute, state-owned enterprise, private firm or investor."""

    id: Annotated[str, Field(pattern=ORG_ID)]
    name: NonEmptyStr
    kind: OrgKind
    domains: list[DomainId] = Field(default_factory=list)
    region: NonEmptyStr
    needs: list[str] = Field(default_factory=list)
    capabilities: str = ""
    investment_min_cny: Money | None = None
    investment_max_cny: Money | None = None
    trl_min: Annotated[int, Field(ge=1, le=9)] | None = None
    trl_max: Annotated[int, Field(ge=1, le=9)] | None = None

    @model_validator(mode="after")
    def _ranges(self) -> Organisation:
        if (
            self.investment_min_cny is not None
            and self.investment_max_cny is not None
            and self.investment_min_cny > self.investment_max_cny
        ):
            raise ValueError("investment_min_cny is greater than investment_max_cny")
        if self.trl_min is not None and self.trl_max is not None and self.trl_min > self.trl_max:
            raise ValueError("trl_min is greater than trl_max")
        return self

    @property
    def title(self) -> str:
        return self.name

    def text(self) -> str:
        return f"{self.name}\n{' '.join(self.needs)}\n{self.capabilities}"


class Facility(_Record):
    """A pilot line, testbed, lab or demonstration site that can be booked by the day."""

    id: Annotated[str, Field(pattern=FAC_ID)]
    name: NonEmptyStr
    owner_id: Annotated[str, Field(pattern=ORG_ID)]
    kind: FacilityKind
    domains: list[DomainId] = Field(default_factory=list)
    processes: list[str] = Field(default_factory=list)
    capacity: str = ""
    certifications: list[str] = Field(default_factory=list)
    region: NonEmptyStr
    daily_rate_cny: Money
    min_days: Annotated[int, Field(ge=1)] = 1
    lead_time_days: Annotated[int, Field(ge=0)] = 0
    prerequisites: list[str] = Field(default_factory=list)

    @property
    def title(self) -> str:
        return self.name

    def text(self) -> str:
        return (
            f"{self.name}\n{' '.join(self.processes)}\n{self.capacity}\n"
            f"{' '.join(self.certifications)}\n{' '.join(self.prerequisites)}"
        )


class Booking(BaseModel):
    """A facility booking; `end` is exclusive (a booking 3..5 occupies days 3 and 4)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    facility_id: Annotated[str, Field(pattern=FAC_ID)]
    start: date
    end: date
    status: BookingStatus
    holder: NonEmptyStr
    reference: NonEmptyStr
    expires_at: datetime | None = None

    @model_validator(mode="after")
    def _order(self) -> Booking:
        if self.end <= self.start:
            raise ValueError("end must be after start (end is exclusive)")
        return self

    @property
    def days(self) -> int:
        return (self.end - self.start).days


class PolicySection(BaseModel):
    """One citable section of a policy document, e.g. ref "Article 45" / "第四十五条"."""

    model_config = ConfigDict(extra="forbid")

    ref: NonEmptyStr
    heading: str = ""
    text: NonEmptyStr


RewardCase = Literal["transfer", "license", "equity", "implementation"]


class PolicyDocument(BaseModel):
    """A policy document (law, regulation, notice, platform rule) split into sections.

    A unit's own reward rule (Art. 44) names the organisation it binds in `issuer_id` and may
    state its inventor percentages in `inventor_reward_pct` (keys: transfer, license, equity,
    implementation) so a term sheet can apply them; `implementation_years` is how many years
    the operating-profit reward runs.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: NonEmptyStr
    title: NonEmptyStr
    issuer: NonEmptyStr
    year: Annotated[int, Field(ge=1949, le=2100)]
    jurisdiction: NonEmptyStr
    url: str | None = None
    lang: Lang | None = None
    issuer_id: str | None = Field(
        None, description="Organisation id (ORG-…) whose own rule this is; None for laws and notices."
    )
    inventor_reward_pct: dict[RewardCase, Annotated[float, Field(ge=0, le=100)]] | None = None
    implementation_years: Annotated[int, Field(ge=1, le=30)] | None = None
    sections: list[PolicySection] = Field(default_factory=list)

    @model_validator(mode="after")
    def _fill_lang(self) -> PolicyDocument:
        if self.lang is None:
            self.lang = text_lang(self.title + " ".join(s.text for s in self.sections[:3]))
        return self


Record = Achievement | Organisation | Facility

KIND_OF: dict[type[BaseModel], RecordKind] = {
    Achievement: "achievement",
    Organisation: "organisation",
    Facility: "facility",
    Booking: "booking",
    PolicyDocument: "policy",
}


def kind_of_id(record_id: str) -> RecordKind | None:
    """Record kind from an id prefix (ACH-, ORG-, FAC-), or None."""
    prefix = record_id.split("-", 1)[0].upper()
    return {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}.get(prefix)  # type: ignore[return-value]
