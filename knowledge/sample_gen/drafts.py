"""Mutable drafts with the generator's ground truth (topic keys) before they become records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.models import Achievement, Facility, Organisation
from knowledge.sample_gen.spec import Lang, Metric


@dataclass
class OrgDraft:
    id: str
    name: str
    kind: str
    lang: Lang
    domains: list[str]
    region: str
    needs: list[str] = field(default_factory=list)
    need_topics: list[str] = field(default_factory=list)  # topic key of each need, same order
    capabilities: str = ""
    investment_min_cny: float | None = None
    investment_max_cny: float | None = None
    trl_min: int | None = None
    trl_max: int | None = None
    fixed: bool = False  # hand-written flagship; capabilities are not regenerated

    def record(self) -> Organisation:
        return Organisation(
            id=self.id,
            name=self.name,
            kind=self.kind,
            domains=self.domains,
            region=self.region,
            needs=self.needs,
            capabilities=self.capabilities,
            investment_min_cny=self.investment_min_cny,
            investment_max_cny=self.investment_max_cny,
            trl_min=self.trl_min,
            trl_max=self.trl_max,
        )


@dataclass
class AchDraft:
    id: str
    topic: str
    lang: Lang
    title: str
    summary: str
    keywords: list[str]
    trl: int
    owner_id: str
    region: str
    ip: list[str]
    transfer_modes: list[str]
    asking_price_cny: float | None
    domain: str
    form_index: int | None = None  # which topic form it uses (None for flagships)
    use_index: int | None = None
    metrics: list[tuple[Metric, float]] = field(default_factory=list)

    def record(self) -> Achievement:
        return Achievement(
            id=self.id,
            title=self.title,
            summary=self.summary,
            domain=self.domain,
            keywords=self.keywords,
            trl=self.trl,
            owner_id=self.owner_id,
            ip=self.ip,
            transfer_modes=self.transfer_modes,
            asking_price_cny=self.asking_price_cny,
            region=self.region,
        )


def dump(record: Achievement | Organisation | Facility, *, keep_none: tuple[str, ...] = ()) -> dict[str, Any]:
    """JSON-ready dict: integral money as int, optional empties dropped except `keep_none`."""
    data = record.model_dump(mode="json")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None and key not in keep_none:
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    return out
