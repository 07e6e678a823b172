"""Features of one message, computed the same way at training and at run time (plain Python + numpy, no
scikit-learn): the sentence encoder's vector, character n-grams (TF-IDF over a vocabulary fixed at training)
and a one-hot of the previous turn's jobs (so "what about just the ones in Jiangsu?" inherits the job)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np

from agent.builtin.intents import INTENTS

NGRAM_MIN, NGRAM_MAX = 1, 4
CONTEXT_DIM = len(INTENTS) + 1  # one per job, plus "there was an earlier turn"
_DIGITS = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, digits folded to 0 (ids and amounts are slots, not cues)."""
    s = unicodedata.normalize("NFKC", text).lower()
    s = _DIGITS.sub("0", s)
    return _SPACE.sub(" ", s).strip()


def char_ngrams(text: str) -> Counter[str]:
    s = f" {normalise(text)} "
    out: Counter[str] = Counter()
    for n in range(NGRAM_MIN, NGRAM_MAX + 1):
        for i in range(len(s) - n + 1):
            g = s[i : i + n]
            if g.strip():
                out[g] += 1
    return out


def ngram_vector(text: str, vocab: Mapping[str, int], idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(indices, values) of the L2-normalised sublinear TF-IDF vector of `text` over `vocab`."""
    counts = char_ngrams(text)
    idx = [vocab[g] for g in counts if g in vocab]
    if not idx:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    tf = np.array([1.0 + math.log(counts[g]) for g in counts if g in vocab], dtype=np.float64)
    ix = np.array(idx, dtype=np.int64)
    vals = tf * idf[ix]
    vals /= np.linalg.norm(vals) or 1.0
    return ix, vals.astype(np.float32)


def build_vocab(
    texts: Sequence[str], min_df: int = 2, max_size: int = 40_000
) -> tuple[dict[str, int], np.ndarray]:
    """Vocabulary (n-grams in >= min_df texts, the most frequent first, ties by the n-gram) and smooth idf."""
    df: Counter[str] = Counter()
    for t in texts:
        df.update(set(char_ngrams(t)))
    kept = sorted((g for g, c in df.items() if c >= min_df), key=lambda g: (-df[g], g))[:max_size]
    vocab = {g: i for i, g in enumerate(kept)}
    n = len(texts)
    idf = np.array([math.log((1 + n) / (1 + df[g])) + 1.0 for g in kept], dtype=np.float64)
    return vocab, idf


def context_vector(prev_jobs: Sequence[str], has_context: bool) -> np.ndarray:
    v = np.zeros(CONTEXT_DIM, dtype=np.float32)
    for j in prev_jobs:
        if j in INTENTS:
            v[INTENTS.index(j)] = 1.0
    v[-1] = 1.0 if has_context or prev_jobs else 0.0
    return v


def embed(texts: Sequence[str]) -> np.ndarray:
    """The bundled multilingual encoder's L2-normalised vectors (imported late: it loads weights)."""
    from knowledge.embeddings import encode

    return encode(list(texts))
