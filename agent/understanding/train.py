"""Train the intent classifier offline: `python -m agent.understanding.train` writes `model.npz`.

Everything is chosen on the dev split (a stratified 15% of the training pool): the regularisation, the
weight of each feature block, the per-job thresholds and which regex rules stay as overrides. The test split
is never opened here. scikit-learn is needed only for this script (`pip install chengguo[train]`).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import ARTIFACT, IntentModel
from agent.understanding.combine import MODES, combine, regex_jobs
from agent.understanding.corpus import TRAIN_DIR, CorpusItem, load_train_pool, split_pool
from agent.understanding.features import CONTEXT_DIM, build_vocab, context_vector, embed
from agent.understanding.metrics import exact_set_accuracy

Embedder = Callable[[Sequence[str]], np.ndarray]
THRESHOLD_GRID = tuple(round(x, 2) for x in np.arange(0.1, 0.91, 0.05))


@dataclass(frozen=True)
class Config:
    c: float = 4.0
    ngram_weight: float = 1.0
    context_weight: float = 1.0
    balanced: bool = False


GRID = [
    Config(c, ng, ctx, bal)
    for c, ng, ctx, bal in itertools.product((1.0, 4.0, 16.0), (0.0, 0.5, 1.0), (0.0, 1.0), (False, True))
]


def _ngram_matrix(texts: Sequence[str], vocab: dict[str, int], idf: np.ndarray) -> object:
    from scipy.sparse import csr_matrix

    from agent.understanding.features import ngram_vector

    rows, cols, vals = [], [], []
    for r, t in enumerate(texts):
        ix, v = ngram_vector(t, vocab, idf)
        rows.extend([r] * len(ix))
        cols.extend(ix.tolist())
        vals.extend(v.tolist())
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(vocab)), dtype=np.float64)


@dataclass
class Data:
    items: list[CorpusItem]
    emb: np.ndarray
    ngrams: object  # scipy csr
    ctx: np.ndarray
    y: np.ndarray  # (n, L) 0/1


def _data(items: list[CorpusItem], emb: np.ndarray, vocab: dict[str, int], idf: np.ndarray) -> Data:
    ctx = (
        np.stack([context_vector(it.prev_intents, bool(it.context)) for it in items])
        if items
        else np.zeros((0, CONTEXT_DIM))
    )
    y = np.array([[lab in it.intents for lab in INTENTS] for it in items], dtype=np.int64).reshape(
        len(items), len(INTENTS)
    )
    return Data(items, emb, _ngram_matrix([it.text for it in items], vocab, idf), ctx, y)


def _design(d: Data, cfg: Config) -> object:
    from scipy.sparse import csr_matrix, hstack

    return hstack(
        [csr_matrix(d.emb), d.ngrams * cfg.ngram_weight, csr_matrix(d.ctx * cfg.context_weight)]
    ).tocsr()


def fit(train: Data, cfg: Config, vocab: dict[str, int], idf: np.ndarray, dim: int) -> IntentModel:
    """One logistic unit per job; block weights folded into the weights so run time needs no config."""
    from sklearn.linear_model import LogisticRegression

    x = _design(train, cfg)
    n_feat = x.shape[1]  # type: ignore[attr-defined]
    coef = np.zeros((n_feat, len(INTENTS)))
    bias = np.zeros(len(INTENTS))
    for j in range(len(INTENTS)):
        yj = train.y[:, j]
        if yj.min() == yj.max():  # a job never (or always) seen: a constant, not a model
            bias[j] = 8.0 if yj.max() else -8.0
            continue
        lr = LogisticRegression(
            C=cfg.c, class_weight="balanced" if cfg.balanced else None, max_iter=3000, solver="lbfgs"
        )
        lr.fit(x, yj)
        coef[:, j] = lr.coef_[0]
        bias[j] = lr.intercept_[0]
    v = len(vocab)
    return IntentModel(
        labels=tuple(INTENTS),
        w_emb=coef[:dim].astype(np.float32),
        w_ng=(coef[dim : dim + v] * cfg.ngram_weight).astype(np.float32),
        w_ctx=(coef[dim + v :] * cfg.context_weight).astype(np.float32),
        bias=bias.astype(np.float32),
        thresholds=np.full(len(INTENTS), 0.5, dtype=np.float32),
        vocab=vocab,
        idf=idf,
    )


def predict_probs(model: IntentModel, d: Data) -> np.ndarray:
    """(n, L) probabilities, the same arithmetic as run time but batched."""
    out = np.zeros((len(d.items), len(model.labels)))
    for r, it in enumerate(d.items):
        p = model.probs(it.text, it.prev_intents, bool(it.context), vec=d.emb[r])
        out[r] = [p[lab] for lab in model.labels]
    return out


def sets_from(probs: np.ndarray, thresholds: np.ndarray) -> list[list[str]]:
    from agent.understanding.combine import canonical

    return [canonical([INTENTS[j] for j in np.flatnonzero(row >= thresholds)]) for row in probs]


def tune_thresholds(probs: np.ndarray, gold: list[list[str]], rounds: int = 3) -> np.ndarray:
    """Per-job thresholds by coordinate ascent on dev exact-set accuracy (ties keep the earlier value)."""
    th = np.full(probs.shape[1], 0.5)
    best = exact_set_accuracy(gold, sets_from(probs, th))
    for _ in range(rounds):
        changed = False
        for j in range(probs.shape[1]):
            for t in THRESHOLD_GRID:
                trial = th.copy()
                trial[j] = t
                acc = exact_set_accuracy(gold, sets_from(probs, trial))
                if acc > best + 1e-9:
                    best, th, changed = acc, trial, True
        if not changed:
            break
    return th


def tune_combination(
    model_sets: list[list[str]], regex_sets: list[list[str]], gold: list[list[str]]
) -> dict[str, str]:
    """Which regex rules stay: per job, the model alone, or model OR / AND regex, whichever is measurably
    better on dev (greedy, one job at a time; a tie keeps the model alone)."""
    modes = {lab: "model" for lab in INTENTS}
    best = exact_set_accuracy(
        gold, [combine(m, r, modes) for m, r in zip(model_sets, regex_sets, strict=True)]
    )
    for _ in range(2):
        for lab in INTENTS:
            for mode in MODES:
                trial = {**modes, lab: mode}
                acc = exact_set_accuracy(
                    gold, [combine(m, r, trial) for m, r in zip(model_sets, regex_sets, strict=True)]
                )
                if acc > best + 1e-9:
                    best, modes = acc, trial
    return modes


def corpus_digest(folder: Path = TRAIN_DIR) -> str:
    h = hashlib.sha1()
    for p in sorted(folder.glob("*.jsonl")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def train(
    pool: list[CorpusItem],
    *,
    embedder: Embedder = embed,
    grid: Sequence[Config] = GRID,
    log: Callable[[str], None] = print,
) -> IntentModel:
    """Fit on the train split, choose everything on dev, return the model (thresholds and overrides in)."""
    train_items, dev_items = split_pool(pool)
    texts = [it.text for it in train_items + dev_items]
    emb = np.asarray(embedder(texts), dtype=np.float32)
    dim = emb.shape[1]
    vocab, idf = build_vocab([it.text for it in train_items])
    tr = _data(train_items, emb[: len(train_items)], vocab, idf)
    dv = _data(dev_items, emb[len(train_items) :], vocab, idf)
    gold = [list(it.intents) for it in dev_items]
    best: tuple[float, Config, IntentModel, np.ndarray] | None = None
    for cfg in grid:
        m = fit(tr, cfg, vocab, idf, dim)
        probs = predict_probs(m, dv)
        th = tune_thresholds(probs, gold) if dev_items else m.thresholds
        acc = exact_set_accuracy(gold, sets_from(probs, th)) if dev_items else 0.0
        log(f"  {cfg}: dev exact-set {acc:.3f}")
        if best is None or acc > best[0] + 1e-9:
            best = (acc, cfg, m, th)
    assert best is not None
    acc, cfg, model, th = best
    probs = predict_probs(model, dv)
    model_sets = sets_from(probs, th)
    regex_sets = [regex_jobs(it.text) for it in dev_items]
    modes = tune_combination(model_sets, regex_sets, gold)
    final = [combine(m, r, modes) for m, r in zip(model_sets, regex_sets, strict=True)]
    meta = {
        "config": cfg.__dict__,
        "train_items": len(train_items),
        "dev_items": len(dev_items),
        "vocab": len(vocab),
        "combine": {k: v for k, v in modes.items() if v != "model"},
        "dev": {
            "regex": exact_set_accuracy(gold, regex_sets),
            "model": acc,
            "final": exact_set_accuracy(gold, final),
        },
        "corpus": corpus_digest(),
    }
    log(f"best {cfg}: dev model {acc:.3f}; final {meta['dev']['final']:.3f}; overrides {meta['combine']}")
    return IntentModel(
        labels=model.labels,
        w_emb=model.w_emb,
        w_ng=model.w_ng,
        w_ctx=model.w_ctx,
        bias=model.bias,
        thresholds=th.astype(np.float32),
        vocab=model.vocab,
        idf=model.idf,
        meta=meta,
    )


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description="Train the intent classifier on the training pool (dev for tuning)."
    )
    ap.add_argument("--out", type=Path, default=ARTIFACT)
    ap.add_argument("--quick", action="store_true", help="a small grid (for a fast check)")
    args = ap.parse_args(argv)
    pool = load_train_pool()
    grid = [Config(4.0, 1.0, 1.0, False), Config(16.0, 1.0, 1.0, False)] if args.quick else GRID
    model = train(pool, grid=grid)
    model.save(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
