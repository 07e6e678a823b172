"""Which jobs users ask for together: a prior over whole sets of jobs, used to decode a message's reading.

The classifier scores each job on its own, so thresholding can produce sets nobody asks for ("hold a slot"
plus "search achievements" because one word leaned that way) or drop the second job of a common pair
("find a pilot line and hold it"). Decoding picks the set S that maximises

    sum over jobs j of log q_j (j in S) or log (1 - q_j) (j not in S)   +   weight * log prior(S)

over the sets seen in the training corpus and the thresholded set itself, where q_j is the job's probability
re-centred on its tuned threshold (so with weight 0 decoding is plain thresholding). Help and thanks are
marginalised out next to a real job: the corpus labels "thanks, and hold FAC-0003" as the hold alone, so a
confident "thanks" must not count against the hold. The prior is additive smoothing over the training sets;
its weight is tuned leave-one-writer-out with the prior counted without the held-out writer.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from agent.builtin.intents import INTENTS

CHAT = frozenset({"help", "thanks"})
_CHAT = np.array([lab in CHAT for lab in INTENTS])
# Pseudo-count of a set never seen in training (the thresholded set may be one).
ALPHA = 0.5


def _key(jobs: Iterable[str]) -> str:
    chosen = set(jobs)
    return "|".join(lab for lab in INTENTS if lab in chosen)


def _members(keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each set as a row of job memberships, and which jobs count in its score: next to a real job, help and
    thanks are not counted at all (marginalised)."""
    member = np.array([[lab in k.split("|") for lab in INTENTS] for k in keys], dtype=bool)
    member = member.reshape(len(keys), len(INTENTS))
    real = (member & ~_CHAT).any(axis=1)
    return member, np.where(real[:, None], ~_CHAT[None, :], True)


@dataclass(frozen=True)
class SetPrior:
    """How often each set of jobs was asked for in training, and how much that counts when decoding."""

    counts: Mapping[str, int]
    weight: float
    alpha: float = ALPHA
    _cand: tuple[list[str], Any, Any, Any] = field(init=False, repr=False, compare=False)

    @classmethod
    def from_sets(cls, sets: Iterable[Iterable[str]], weight: float) -> SetPrior:
        return cls(dict(Counter(_key(s) for s in sets)), weight)

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any] | None) -> SetPrior | None:
        if not meta or float(meta.get("weight", 0.0)) <= 0.0:
            return None
        return cls(dict(meta["counts"]), float(meta["weight"]), float(meta.get("alpha", ALPHA)))

    def to_meta(self) -> dict[str, Any]:
        return {"counts": dict(sorted(self.counts.items())), "weight": self.weight, "alpha": self.alpha}

    def log_prior(self, jobs: Iterable[str]) -> float:
        total = sum(self.counts.values()) + self.alpha * (len(self.counts) + 1)
        return math.log((self.counts.get(_key(jobs), 0) + self.alpha) / total)

    def __post_init__(self) -> None:
        # The candidate sets as a matrix, built once: decoding runs for every message the planner reads.
        keys = [k for k in self.counts if k]
        member, counted = _members(keys)
        prior = np.array([self.log_prior(k.split("|")) for k in keys])
        object.__setattr__(self, "_cand", (keys, member, counted, prior))

    def decode(self, centred: Mapping[str, float], above: Iterable[str]) -> list[str]:
        """The best set of jobs for these re-centred probabilities (the thresholded set `above` is always a
        candidate, so an unseen combination the model is sure of is still possible)."""
        q = np.clip(np.array([centred[lab] for lab in INTENTS]), 1e-6, 1 - 1e-6)
        yes, no = np.log(q), np.log1p(-q)

        def scores(member: np.ndarray, counted: np.ndarray, prior: np.ndarray) -> np.ndarray:
            return (np.where(member, yes, no) * counted).sum(axis=1) + self.weight * prior

        keys, member, counted, prior = self._cand
        thresholded = _key(above)
        own_score = -math.inf
        if thresholded:
            own = [thresholded]
            own_score = float(scores(*_members(own), np.array([self.log_prior(thresholded.split("|"))]))[0])
        if keys:
            ranked = scores(member, counted, prior)
            i = int(np.argmax(ranked))
            # Ties keep the thresholded reading (the model's own).
            if ranked[i] > own_score + 1e-12:
                return keys[i].split("|")
        return thresholded.split("|") if thresholded else []
