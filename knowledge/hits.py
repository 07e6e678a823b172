"""Typed search results returned by `KnowledgeBase.search` / `search_policies`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SearchMode = Literal["hybrid", "dense", "bm25"]
SearchKind = Literal["achievement", "organisation", "facility"]


class SearchHit(BaseModel):
    """One record found by search, with the score of the chosen mode and each ranker's view."""

    id: str
    kind: SearchKind
    title: str
    score: float = Field(
        description="Fused RRF score (hybrid), cosine similarity (dense) or BM25 score (bm25)."
    )
    snippet: str
    domain: str | None = Field(
        None, description="The achievement's domain, or an organisation's / facility's first domain."
    )
    domains: list[str] = Field(default_factory=list)
    region: str
    trl: int | None = Field(None, description="Achievements only.")
    owner_id: str | None = None
    dense_rank: int | None = None
    bm25_rank: int | None = None
    dense_score: float | None = None
    bm25_score: float | None = None


class PolicyHit(BaseModel):
    """One policy passage (a section of a document), citable as `doc_id` + `section_ref`."""

    doc_id: str
    title: str
    section_ref: str
    heading: str
    issuer: str
    year: int
    jurisdiction: str
    url: str | None
    lang: str
    text: str
    score: float
    dense_rank: int | None = None
    bm25_rank: int | None = None

    @property
    def citation(self) -> str:
        return f"{self.doc_id} {self.section_ref}"
