"""Scores of predicted job sets against the corpus labels: exact-set accuracy and per-label precision/recall."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agent.builtin.intents import INTENTS


@dataclass(frozen=True)
class LabelScore:
    label: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def exact_set_accuracy(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> float:
    """Share of messages whose predicted set of jobs is exactly the labelled set (order ignored)."""
    if not gold:
        return 0.0
    return sum(set(g) == set(p) for g, p in zip(gold, pred, strict=True)) / len(gold)


def per_label(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> list[LabelScore]:
    out = []
    for lab in INTENTS:
        tp = fp = fn = 0
        for g, p in zip(gold, pred, strict=True):
            gi, pi = lab in g, lab in p
            tp += gi and pi
            fp += pi and not gi
            fn += gi and not pi
        out.append(LabelScore(lab, tp, fp, fn))
    return out
