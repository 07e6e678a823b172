"""In-memory hybrid index: a dense matrix + BM25 over the same rows, with metadata masks.

Chroma is the persistent vector store, but a filtered Chroma query costs ~18 ms at 10,000
records while a numpy mat-vec over the cached (n, 512) matrix costs ~1 ms; search runs here
and Chroma is kept in step for persistence and for a remote server deployment. A snapshot is
immutable: writers build a new one and swap it in, so readers never see a half-updated index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from knowledge.bm25 import BM25Index
from knowledge.domains import DOMAINS
from knowledge.embeddings import DIM

KINDS: tuple[str, ...] = ("achievement", "organisation", "facility")
KIND_CODE = {k: i for i, k in enumerate(KINDS)}
DOMAIN_INDEX = {d: i for i, d in enumerate(DOMAINS)}

# Reciprocal rank fusion: score = sum_r w_r / (RRF_K + rank_r). Tuned on the labelled set's
# aggregate only (bench/retrieval.py); see docs/knowledge.md for the numbers.
# Grid searched: k in {10, 30, 60} x BM25 weight in {0.3, 0.5, 1} x coverage power in {0, 1, 2, 4};
# best aggregate recall@10 then MRR. Plain RRF (power 0, k 60, weight 1) scored recall 0.67.
RRF_K = 10
DENSE_WEIGHT = 1.0
BM25_WEIGHT = 0.5
# BM25's vote is scaled by (query-term coverage of the document) ** COVERAGE_POWER; 0 = plain RRF.
COVERAGE_POWER = 1.0
CANDIDATES = 100


@dataclass(frozen=True)
class RowMeta:
    """Filterable metadata of one record row."""

    kind: str
    domains: tuple[str, ...]
    trl_lo: int  # 0 = no TRL information
    trl_hi: int
    region: str
    owner: str = ""  # the owning organisation's id (achievements, facilities); "" for organisations


class HybridIndex:
    """Dense + BM25 over the same rows; rankers return (row, score) lists, best first."""

    def __init__(
        self, ids: Sequence[str], matrix: np.ndarray | None, tokens: Sequence[Sequence[str]]
    ) -> None:
        """`matrix` None: no dense side in this process (a Chroma server answers dense queries)."""
        self.ids = list(ids)
        self.pos = {rid: i for i, rid in enumerate(self.ids)}
        self.matrix = (
            None
            if matrix is None
            else np.ascontiguousarray(matrix, dtype=np.float32).reshape(len(self.ids), DIM)
        )
        self.bm25 = BM25Index(tokens)

    def __len__(self) -> int:
        return len(self.ids)

    def dense(self, qvec: np.ndarray, mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        if not self.ids:
            return []
        if self.matrix is None:
            raise RuntimeError("this index has no dense matrix; query the Chroma server instead")
        scores = self.matrix @ qvec.astype(np.float32)
        return _top(scores, mask, n, positive_only=False)

    def keyword(self, qtokens: Sequence[str], mask: np.ndarray | None, n: int) -> list[tuple[int, float]]:
        if not self.ids or not qtokens:
            return []
        return _top(self.bm25.scores(qtokens), mask, n, positive_only=True)

    def fuse(
        self,
        dense: list[tuple[int, float]],
        keyword: list[tuple[int, float]],
        qtokens: Sequence[str],
        *,
        k: int | None = None,
        dense_weight: float | None = None,
        bm25_weight: float | None = None,
        coverage_power: float | None = None,
    ) -> list[tuple[int, float, list[int | None]]]:
        """Coverage-weighted reciprocal rank fusion of the two rankings (module defaults)."""
        power = COVERAGE_POWER if coverage_power is None else coverage_power
        weights = None
        if power and keyword:
            cov = self.bm25.coverage(qtokens, [row for row, _ in keyword])
            weights = [float(c) ** power for c in cov]
        return rrf(
            [
                (dense, DENSE_WEIGHT if dense_weight is None else dense_weight),
                (keyword, BM25_WEIGHT if bm25_weight is None else bm25_weight),
            ],
            k=RRF_K if k is None else k,
            item_weights=[None, weights],
        )


def _top(
    scores: np.ndarray, mask: np.ndarray | None, n: int, *, positive_only: bool
) -> list[tuple[int, float]]:
    scores = scores.astype(np.float32, copy=True)
    if mask is not None:
        scores[~mask] = -np.inf
    if positive_only:
        scores[scores <= 0] = -np.inf
    n = min(n, scores.shape[0])
    if n <= 0:
        return []
    part = np.argpartition(-scores, n - 1)[:n] if n < scores.shape[0] else np.arange(scores.shape[0])
    order = part[np.argsort(-scores[part], kind="stable")]
    return [(int(i), float(scores[i])) for i in order if np.isfinite(scores[i])]


def rrf(
    rankings: Sequence[tuple[list[tuple[int, float]], float]],
    k: int = RRF_K,
    item_weights: Sequence[Sequence[float] | None] | None = None,
) -> list[tuple[int, float, list[int | None]]]:
    """Fuse rankings [(ranked rows, weight)] -> [(row, fused score, [rank per ranker or None])].

    `item_weights[r][i]`, when given, scales the vote of the i-th row of ranking r.
    """
    fused: dict[int, float] = {}
    ranks: dict[int, list[int | None]] = {}
    for r, (ranking, weight) in enumerate(rankings):
        per_item = item_weights[r] if item_weights is not None else None
        for rank, (row, _score) in enumerate(ranking, start=1):
            w = weight * (per_item[rank - 1] if per_item is not None else 1.0)
            fused[row] = fused.get(row, 0.0) + w / (k + rank)
            ranks.setdefault(row, [None] * len(rankings))[r] = rank
    order = sorted(fused, key=lambda row: (-fused[row], _best_rank(ranks[row])))
    return [(row, fused[row], ranks[row]) for row in order]


def _best_rank(ranks: list[int | None]) -> int:
    return min((r for r in ranks if r is not None), default=1 << 30)


class RecordFilters:
    """Vectorised metadata of record rows, for building filter masks."""

    def __init__(self, metas: Sequence[RowMeta]) -> None:
        n = len(metas)
        self.kinds = np.array([KIND_CODE[m.kind] for m in metas], dtype=np.int8)
        self.domains = np.zeros((n, len(DOMAINS)), dtype=bool)
        for i, m in enumerate(metas):
            for d in m.domains:
                j = DOMAIN_INDEX.get(d)
                if j is not None:
                    self.domains[i, j] = True
        self.trl_lo = np.array([m.trl_lo for m in metas], dtype=np.int8)
        self.trl_hi = np.array([m.trl_hi for m in metas], dtype=np.int8)
        self.regions = np.array([m.region for m in metas], dtype=object)
        self.owners = np.array([m.owner for m in metas], dtype=object)
        self.size = n

    def mask(
        self,
        *,
        kind: str | None = None,
        domain: str | None = None,
        trl_min: int | None = None,
        trl_max: int | None = None,
        region: str | None = None,
        owners: Sequence[str] = (),
    ) -> np.ndarray | None:
        """Rows passing every given filter (None when no filter is set)."""
        if (
            kind is None
            and domain is None
            and trl_min is None
            and trl_max is None
            and region is None
            and not owners
        ):
            return None
        m = np.ones(self.size, dtype=bool)
        if kind is not None:
            m &= self.kinds == KIND_CODE[kind]
        if domain is not None:
            m &= self.domains[:, DOMAIN_INDEX[domain]]
        if trl_min is not None or trl_max is not None:
            lo, hi = trl_min or 1, trl_max or 9
            # Achievements carry a TRL, organisations a preferred range (overlap counts);
            # rows without TRL information (facilities) cannot satisfy a TRL filter.
            m &= (self.trl_lo > 0) & (self.trl_lo <= hi) & (self.trl_hi >= lo)
        if region is not None:
            m &= self.regions == region
        if owners:
            m &= np.isin(self.owners, list(owners))
        return m
