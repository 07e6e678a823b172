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

from collections.abc import Sequence
from typing import Any

import numpy as np

from agent.understanding.corpus import CorpusItem
from agent.understanding.features import segments

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
    dense: np.ndarray,
    sparse: Any,
    owner: np.ndarray,
    part: np.ndarray,
    y: np.ndarray,
    w_dense: np.ndarray,
    w_sparse: np.ndarray,
    bias: np.ndarray,
    c: float,
    margin: float,
    max_iter: int = MAX_ITER,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights (dense block, sparse block, biases) minimising 0.5·|W|² + c · Σ log-loss of each message's highest
    reading, from the given ones. `dense` and `sparse` (csr) are the design rows of every reading (`instances`),
    `y` one row per message."""
    from scipy.optimize import minimize

    sparse_t = sparse.T.tocsr()
    lowered = margin * part.astype(np.float64)[:, None]
    n_dense, n_sparse, n_lab = w_dense.shape[0], w_sparse.shape[0], w_dense.shape[1]
    cuts = np.cumsum([n_dense * n_lab, n_sparse * n_lab])

    def unpack(w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        wd, ws, b = np.split(w, cuts)
        return wd.reshape(n_dense, n_lab), ws.reshape(n_sparse, n_lab), b

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        wd, ws, b = unpack(w)
        loss, g = bag_loss(dense @ wd + sparse @ ws + b - lowered, owner, y)
        grad = np.concatenate(
            [(c * (dense.T @ g) + wd).ravel(), (c * (sparse_t @ g) + ws).ravel(), c * g.sum(axis=0)]
        )
        return c * loss + 0.5 * float((wd**2).sum() + (ws**2).sum()), grad

    start = np.concatenate([w_dense.ravel(), w_sparse.ravel(), bias])
    result = minimize(objective, start, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return unpack(result.x)
