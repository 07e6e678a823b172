"""Multiple-instance refit of the classifier's weights (training only; needs scipy).

At run time a long message is read whole and part by part, and a job's logit is the highest of the whole
message's and each part's lowered by the part margin (`IntentModel.probs`). The plain fit learns from whole
messages only, so a part is read by weights that never saw a part: a stray part adds a job, and the second
job of "find partners for …, then check the line in March" is often too weak in its own part. This refit
takes the logistic loss on that same max, so the weights learn what a part must say to add a job and what it
must not. It starts from the plain fit (the loss is not convex, the plain fit is a good start) and keeps its
regularisation: minimise 0.5·|W|² + C · Σ log-loss(max over the message's readings), as scikit-learn's C.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel
from agent.understanding.corpus import CorpusItem
from agent.understanding.features import context_vector, segments

MAX_ITER = 300  # L-BFGS steps: the held-out gain was reached by then (see docs/understanding.md)


def instances(items: Sequence[CorpusItem]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Every reading of each message, as the run time makes them: the whole message, then its parts. Returns
    the texts, the index of the message each comes from and whether it is a part."""
    texts: list[str] = []
    owner: list[int] = []
    part: list[bool] = []
    for i, it in enumerate(items):
        for k, t in enumerate([it.text, *segments(it.text)]):
            texts.append(t)
            owner.append(i)
            part.append(k > 0)
    return texts, np.array(owner, dtype=np.int64), np.array(part, dtype=bool)


def bag_loss(z: np.ndarray, owner: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Summed log-loss of each message's highest reading per job, and its gradient with respect to `z` (one row
    per reading, the part margin already subtracted): only the highest reading of a message learns."""
    starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    top = np.maximum.reduceat(z, starts, axis=0)
    sign = 2.0 * y - 1.0
    loss = float(np.logaddexp(0.0, -sign * top).sum())
    d_top = 1.0 / (1.0 + np.exp(-top)) - y
    # Ties (a part identical to the whole message) share the gradient: rare, and harmless either way.
    grad = (z == top[owner]) * d_top[owner]
    return loss, grad


def refine(
    model: IntentModel,
    items: Sequence[CorpusItem],
    c: float,
    margin: float,
    ngram_weight: float,
    context_weight: float,
    embedder: Callable[[Sequence[str]], np.ndarray],
    ngram_matrix: Callable[[Sequence[str], dict[str, int], np.ndarray], Any],
    max_iter: int = MAX_ITER,
) -> IntentModel:
    """`model` (a plain fit on `items`) refitted on the max over each message's readings. The rule block is
    not used by the settings this is run with and stays as it is."""
    from scipy.optimize import minimize

    texts, owner, part = instances(items)
    if not texts:
        return model
    emb = np.asarray(embedder(texts), dtype=np.float64)
    y = np.array([[lab in it.intents for lab in INTENTS] for it in items], dtype=np.float64)
    ngrams = (ngram_matrix(texts, model.vocab, model.idf) * ngram_weight).tocsr()
    ngrams_t = ngrams.T.tocsr()
    ctx = (
        np.stack([context_vector(items[i].prev_intents, bool(items[i].context)) for i in owner]).astype(
            np.float64
        )
        * context_weight
    )
    lowered = margin * part.astype(np.float64)[:, None]
    d, v, k, n_lab = emb.shape[1], ngrams.shape[1], ctx.shape[1], len(INTENTS)
    cuts = np.cumsum([d * n_lab, v * n_lab, k * n_lab])

    def unpack(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        we, wn, wc, b = np.split(w, cuts)
        return we.reshape(d, n_lab), wn.reshape(v, n_lab), wc.reshape(k, n_lab), b

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        we, wn, wc, b = unpack(w)
        z = emb @ we + ngrams @ wn + ctx @ wc + b - lowered
        loss, g = bag_loss(z, owner, y)
        reg = 0.5 * float((we**2).sum() + (wn**2).sum() + (wc**2).sum())
        grad = np.concatenate(
            [
                (c * (emb.T @ g) + we).ravel(),
                (c * (ngrams_t @ g) + wn).ravel(),
                (c * (ctx.T @ g) + wc).ravel(),
                c * g.sum(axis=0),
            ]
        )
        return c * loss + reg, grad

    # The stored weights have the block weights folded in; the optimisation runs on the unscaled ones.
    start = np.concatenate(
        [
            model.w_emb.astype(np.float64).ravel(),
            # A block weighted 0 has all-zero features and zero weights: 1.0 only avoids dividing by 0.
            (model.w_ng.astype(np.float64) / (ngram_weight or 1.0)).ravel(),
            (model.w_ctx.astype(np.float64) / (context_weight or 1.0)).ravel(),
            model.bias.astype(np.float64),
        ]
    )
    result = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    we, wn, wc, b = unpack(result.x)
    return replace(
        model,
        w_emb=we.astype(np.float32),
        w_ng=(wn * ngram_weight).astype(np.float32),
        w_ctx=(wc * context_weight).astype(np.float32),
        bias=b.astype(np.float32),
    )
