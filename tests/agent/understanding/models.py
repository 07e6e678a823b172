"""Small hand-built intent models for tests: no training, only the weights a test needs."""

from __future__ import annotations

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel
from agent.understanding.features import CONTEXT_DIM, RULE_DIM


def hand_model(
    bias: np.ndarray, *, w_emb: np.ndarray | None = None, meta: dict[str, object] | None = None
) -> IntentModel:
    """A model with these biases (and encoder weights, if given), thresholds at 0.5 and no n-grams."""
    zeros = np.zeros((0, len(INTENTS)), dtype=np.float32)
    return IntentModel(
        labels=tuple(INTENTS),
        w_emb=zeros if w_emb is None else w_emb,
        w_ng=zeros,
        w_ctx=np.zeros((CONTEXT_DIM, len(INTENTS)), dtype=np.float32),
        w_rule=np.zeros((RULE_DIM, len(INTENTS)), dtype=np.float32),
        bias=bias.astype(np.float32),
        thresholds=np.full(len(INTENTS), 0.5, dtype=np.float32),
        vocab={},
        idf=np.zeros(0),
        meta=dict(meta or {}),
    )
