"""An in-memory knowledge base and a small hand-made corpus for the tool tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import numpy as np

from knowledge.embeddings import encode
from knowledge.models import Achievement, Facility, Organisation, PolicyDocument

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class MemoryKB:
    """Enough of knowledge.kb.KnowledgeBase for the tools: records by id, embeddings, no search index."""

    def __init__(
        self,
        records: Sequence[Achievement | Organisation | Facility],
        policies: Sequence[PolicyDocument] = (),
    ) -> None:
        self._records = {r.id: r for r in records}
        self._policies = list(policies)

    def get(self, record_id: str) -> Any:
        return self._records.get(record_id)

    def records(self, kind: str) -> list[Any]:
        cls = {"achievement": Achievement, "organisation": Organisation, "facility": Facility}[kind]
        return sorted((r for r in self._records.values() if isinstance(r, cls)), key=lambda r: r.id)

    def policies(self) -> list[PolicyDocument]:
        return list(self._policies)

    def policy(self, doc_id: str) -> PolicyDocument | None:
        return next((d for d in self._policies if d.id == doc_id), None)

    def search(self, query: str, **kwargs: Any) -> list[Any]:
        return []

    def search_policies(self, query: str, **kwargs: Any) -> list[Any]:
        return []

    def embed(self, texts: list[str]) -> np.ndarray:
        return encode(texts)


def org(
    id: str, name: str, kind: str, domains: list[str], region: str, needs: list[str], **kw: Any
) -> Organisation:
    return Organisation(id=id, name=name, kind=kind, domains=domains, region=region, needs=needs, **kw)  # type: ignore[arg-type]


def small_corpus() -> list[Achievement | Organisation | Facility]:
    """Hand-made cases: one obviously right partner per achievement, plus decoys and a picky investor."""
    return [
        org(
            "ORG-U1",
            "East Lake University",
            "university",
            ["new_materials", "new_energy"],
            "Hubei",
            [],
            capabilities="materials science research",
        ),
        org(
            "ORG-B1",
            "Huaneng Battery Works",
            "soe",
            ["new_energy", "grid_storage"],
            "Jiangsu",
            [
                "We need sulfide solid electrolytes with high ionic conductivity for all-solid-state battery cells",
                "Dry electrode coating for lithium battery production",
            ],
            capabilities="battery cell manufacturing at scale",
            trl_min=4,
            trl_max=8,
        ),
        org(
            "ORG-H1",
            "Blue Sea Hydrogen Co",
            "private",
            ["hydrogen"],
            "Guangdong",
            ["Low-cost PEM electrolyser membranes for green hydrogen", "Hydrogen storage tanks"],
            capabilities="hydrogen refuelling stations",
        ),
        org(
            "ORG-C1",
            "Coastal Chip Foundry",
            "soe",
            ["integrated_circuits"],
            "Shanghai",
            ["Advanced photoresist for 28nm lithography", "Wafer inspection with machine vision"],
            capabilities="300mm wafer fab",
        ),
        org(
            "ORG-V1",
            "Late Stage Capital",
            "investor",
            ["new_energy", "new_materials"],
            "Beijing",
            ["Solid-state battery materials companies ready to scale", "Battery electrolyte start-ups"],
            investment_min_cny=20_000_000,
            investment_max_cny=200_000_000,
            trl_min=7,
        ),
        org(
            "ORG-V2",
            "Seed Angels",
            "investor",
            ["hydrogen"],
            "Guangdong",
            ["Early hydrogen membrane technology"],
            investment_min_cny=1_000_000,
            investment_max_cny=10_000_000,
            trl_min=3,
            trl_max=6,
        ),
        org(
            "ORG-M1",
            "固态电池材料有限公司",
            "private",
            ["new_energy"],
            "Zhejiang",
            ["需要高离子电导率的硫化物固态电解质，用于全固态电池", "锂金属负极界面改性"],
            capabilities="电池材料中试生产",
        ),
        Achievement(
            id="ACH-T1",
            title="Sulfide solid electrolyte with high ionic conductivity",
            summary="A Li6PS5Cl argyrodite sulfide solid electrolyte reaching 10 mS/cm for all-solid-state lithium batteries.",
            domain="new_energy",
            keywords=["solid-state battery", "sulfide electrolyte"],
            trl=5,
            owner_id="ORG-U1",
            transfer_modes=["license", "assignment"],
            asking_price_cny=30_000_000,
            region="Hubei",
        ),
        Achievement(
            id="ACH-T2",
            title="Low-cost PEM electrolyser membrane",
            summary="A reinforced proton exchange membrane that cuts electrolyser cost for green hydrogen production.",
            domain="hydrogen",
            keywords=["PEM", "electrolysis"],
            trl=4,
            owner_id="ORG-U1",
            transfer_modes=["license"],
            asking_price_cny=5_000_000,
            region="Hubei",
        ),
        Achievement(
            id="ACH-T3",
            title="用于28纳米光刻的化学放大光刻胶",
            summary="一种适用于28纳米节点光刻工艺的高分辨率化学放大光刻胶。",
            domain="integrated_circuits",
            keywords=["光刻胶"],
            trl=6,
            owner_id="ORG-U1",
            transfer_modes=["license"],
            asking_price_cny=15_000_000,
            region="Hubei",
        ),
        Facility(
            id="FAC-T1",
            name="Solid-state battery pilot line",
            owner_id="ORG-B1",
            kind="pilot_line",
            domains=["new_energy"],
            processes=["electrode coating", "cell assembly"],
            certifications=["CNAS", "ISO 9001"],
            region="Jiangsu",
            daily_rate_cny=20_000,
            min_days=3,
            lead_time_days=7,
        ),
        Facility(
            id="FAC-T2",
            name="Hydrogen electrolyser testbed",
            owner_id="ORG-H1",
            kind="testbed",
            domains=["hydrogen"],
            processes=["electrolyser durability testing"],
            certifications=["CMA"],
            region="Guangdong",
            daily_rate_cny=8_000,
            min_days=1,
            lead_time_days=0,
        ),
    ]
