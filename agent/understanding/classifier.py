"""The intent classifier at run time: plain numpy over the trained weights (`model.npz`), no scikit-learn,
so a cold `chengguo ask` only pays for loading a few MB of arrays.

One logistic unit per job over [encoder vector, character n-gram TF-IDF, previous turn's jobs]; the block
weights chosen at training are folded into the stored weights. Each job has its own threshold (tuned on dev).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from agent.understanding.features import context_vector, embed, ngram_vector, rule_vector, segments

ARTIFACT = Path(__file__).parent / "model.npz"


@dataclass(frozen=True)
class IntentModel:
    labels: tuple[str, ...]
    w_emb: np.ndarray  # (512, L)
    w_ng: np.ndarray  # (V, L)
    w_ctx: np.ndarray  # (CONTEXT_DIM, L)
    w_rule: np.ndarray  # (RULE_DIM, L); zeros when the rules did not help on dev
    bias: np.ndarray  # (L,)
    thresholds: np.ndarray  # (L,)
    vocab: dict[str, int]
    idf: np.ndarray  # (V,)
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(
        self, vec: np.ndarray | None, text: str, prev_jobs: list[str], has_context: bool
    ) -> np.ndarray:
        z = self.bias.astype(np.float64).copy()
        if vec is not None and self.w_emb.size:
            z += vec.astype(np.float64) @ self.w_emb
        if self.vocab:
            ix, vals = ngram_vector(text, self.vocab, self.idf)
            if ix.size:
                z += vals.astype(np.float64) @ self.w_ng[ix]
        z += context_vector(prev_jobs, has_context).astype(np.float64) @ self.w_ctx
        if self.w_rule.any():
            z += rule_vector(text).astype(np.float64) @ self.w_rule
        return z

    @property
    def pooled(self) -> bool:
        """Whether each part of a long message is read too (chosen on dev at training)."""
        return bool(self.meta.get("config", {}).get("pooled", False))

    @property
    def part_margin(self) -> float:
        """How much less a part's logit counts than the whole message's (tuned at training; 0: plain max)."""
        return float(self.meta.get("config", {}).get("part_margin", 0.0))

    def probs(
        self,
        text: str,
        prev_jobs: list[str] | None = None,
        has_context: bool = False,
        embedder: Callable[[Sequence[str]], np.ndarray] = embed,
    ) -> dict[str, float]:
        """Probability of each job for `text`, given the previous turn's jobs. With pooling, a job's
        probability is its highest over the whole message and each of its parts, a part's logit lowered by the
        tuned `part_margin` ("find partners…, check the line in March, and draft…" has three jobs, each clear
        in its own part)."""
        whole, part, _ = self.logit_parts(text, prev_jobs, has_context, embedder)
        z = whole if part is None else np.maximum(whole, part - self.part_margin)
        return label_probs(self.labels, z)

    def logit_parts(
        self,
        text: str,
        prev_jobs: list[str] | None = None,
        has_context: bool = False,
        embedder: Callable[[Sequence[str]], np.ndarray] = embed,
    ) -> tuple[np.ndarray, np.ndarray | None, int]:
        """Each job's logit on the whole message, its highest over the message's parts (None when the message
        is not split) and the number of parts."""
        parts = [text, *(segments(text) if self.pooled else [])]
        vecs = embedder(parts) if self.w_emb.size else [None] * len(parts)
        prev = list(prev_jobs or [])
        zs = [self.logits(v, t, prev, has_context) for v, t in zip(vecs, parts, strict=True)]
        return zs[0], (np.max(zs[1:], axis=0) if len(zs) > 1 else None), len(zs) - 1

    def threshold(self, label: str) -> float:
        return float(self.thresholds[self.labels.index(label)])

    def save(self, path: Path) -> None:
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(
            path,
            labels=np.array(self.labels),
            w_emb=self.w_emb.astype(np.float32),
            w_ng=self.w_ng.astype(np.float32),
            w_ctx=self.w_ctx.astype(np.float32),
            w_rule=self.w_rule.astype(np.float32),
            bias=self.bias.astype(np.float32),
            thresholds=self.thresholds.astype(np.float32),
            vocab=np.array(words, dtype=np.str_),
            idf=self.idf.astype(np.float32),
            meta=np.array(json.dumps(self.meta, ensure_ascii=False, sort_keys=True)),
        )


def load_model(path: Path) -> IntentModel:
    with np.load(path, allow_pickle=False) as z:
        words = [str(w) for w in z["vocab"]]
        return IntentModel(
            labels=tuple(str(x) for x in z["labels"]),
            w_emb=z["w_emb"],
            w_ng=z["w_ng"],
            w_ctx=z["w_ctx"],
            w_rule=z["w_rule"],
            bias=z["bias"],
            thresholds=z["thresholds"],
            vocab={w: i for i, w in enumerate(words)},
            idf=z["idf"].astype(np.float64),
            meta=json.loads(str(z["meta"])),
        )


def label_probs(labels: Sequence[str], z: np.ndarray) -> dict[str, float]:
    """Each label's probability for logits `z`."""
    p = 1.0 / (1.0 + np.exp(-z))
    return {lab: float(p[i]) for i, lab in enumerate(labels)}


@lru_cache(maxsize=1)
def bundled_model() -> IntentModel | None:
    """The committed artifact, loaded once per process (None when it has not been trained yet)."""
    return load_model(ARTIFACT) if ARTIFACT.is_file() else None
