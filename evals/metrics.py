"""Metrics: pass^k for agent tasks (τ-bench), recall@k and MRR for retrieval."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from math import comb


def pass_hat_k(n: int, c: int, k: int) -> float:
    """Probability that k attempts drawn without replacement from n (c of them passing) all pass.

    C(c, k) / C(n, k); τ-bench's pass^k estimator for one task.
    """
    if not 0 <= c <= n:
        raise ValueError(f"need 0 <= c <= n, got n={n}, c={c}")
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n, got k={k}, n={n}")
    return comb(c, k) / comb(n, k)


def suite_pass_hat(counts: Iterable[tuple[int, int]], k: int) -> float:
    """Mean over tasks of pass^k; `counts` holds (n attempts, c passes) per task."""
    items = list(counts)
    if not items:
        return 0.0
    return sum(pass_hat_k(n, c, k) for n, c in items) / len(items)


def pass_hat_curve(counts: Iterable[tuple[int, int]]) -> dict[int, float]:
    """pass^1 .. pass^K where K is the smallest attempt count over tasks."""
    items = list(counts)
    if not items:
        return {}
    kmax = min(n for n, _ in items)
    return {k: suite_pass_hat(items, k) for k in range(1, kmax + 1)}


def recall_at_k(ranked: Sequence[str], relevant: Iterable[str], k: int) -> float:
    """Share of the relevant ids found in the top k."""
    rel = set(relevant)
    if not rel:
        return 0.0
    return len(rel & set(ranked[:k])) / len(rel)


def reciprocal_rank(ranked: Sequence[str], relevant: Iterable[str]) -> float:
    """1 / rank of the first relevant id (0 when none is retrieved)."""
    rel = set(relevant)
    for i, rid in enumerate(ranked, start=1):
        if rid in rel:
            return 1.0 / i
    return 0.0


def first_relevant_rank(ranked: Sequence[str], relevant: Iterable[str]) -> int | None:
    rel = set(relevant)
    return next((i for i, rid in enumerate(ranked, start=1) if rid in rel), None)
