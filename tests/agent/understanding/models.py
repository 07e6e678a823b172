"""Small hand-built intent models for tests: no training, only the weights a test needs."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.aliases import Entry, Kind
from agent.understanding.classifier import IntentModel
from agent.understanding.features import CONTEXT_DIM, RULE_DIM
from agent.understanding.linking import Hit, Search


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


def concept_encoder(concepts: Mapping[str, str]) -> Callable[[list[str]], object]:
    """A stand-in for the multilingual sentence encoder: one axis per concept (any of its words, in either
    language, in a text sets it), plus a constant axis so that unrelated texts are alike only a little."""
    axes = sorted(set(concepts.values()))

    def encode(texts: list[str]) -> object:
        out = np.zeros((len(texts), len(axes) + 1), dtype=np.float32)
        for row, text in enumerate(texts):
            low = text.lower()
            out[row, -1] = 0.3
            for word, concept in concepts.items():
                if word in low:
                    out[row, axes.index(concept)] = 1.0
        return out

    return encode


def concept_search(entries: list[Entry], concepts: Mapping[str, str]) -> Search:
    """A stand-in for the knowledge base's hybrid search: a record scores the share of its name's concepts the
    query has (dense), best first, ties by id."""

    def of(text: str) -> set[str]:
        low = text.lower()
        return {c for w, c in concepts.items() if w in low}

    def search(query: str, kind: Kind, k: int = 3) -> list[Hit]:
        q = of(query)
        scored = [
            (len(q & of(e.name)) / max(len(of(e.name)), 1) if q else 0.0, e)
            for e in entries
            if e.kind == kind
        ]
        scored.sort(key=lambda x: (-x[0], x[1].id))
        return [Hit(e.id, e.name, d, 0.0) for d, e in scored[:k]]

    return search
