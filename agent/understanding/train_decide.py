"""Train the decision model (agent/understanding/decide.py) on blind writers' messages as the pipeline reads them.

    python -m agent.understanding.train_decide                    # the pool, cross-fitted; writes decide.npz
    python -m agent.understanding.train_decide --writers W109-W112 --out /tmp/d.npz   # plus unseen writers
    python -m agent.understanding.train_decide --examples /tmp/ex.npz   # keep the reading for the next run

Its examples are read as a new writer's messages are read by the shipped pipeline:
- the classifier's own training pool, cross-fitted (`--pool-folds`): each group of its writers is read by a
  classifier fitted on the other writers with the bundled model's settings (`train.cross_fitted`), then by the
  planner as a live turn reads it (slots, the knowledge base's linker, the planner's rules: `read_turn`);
- optionally unseen writers (agent/understanding/corpus/unseen/, `--writers`), which the classifier never saw,
  read by the bundled pipeline itself.
Each message's features are paired with the writer's labels. Writers are held out in groups (the unseen ones if
given, with the pool in every group's training data; else the pool's) to report what the model adds and to
choose its `margin` (how sure it must be to change the pipeline's set). The shipped model is then fitted on all
of them. The test split is never read.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from agent.builtin.intents import INTENTS
from agent.builtin.planner import decision_input, read_turn
from agent.understanding.combine import canonical
from agent.understanding.corpus import CORPUS_DIR, CorpusItem, read_jsonl
from agent.understanding.decide import ARTIFACT, ASKED, N_FEATURES, DecisionModel
from agent.understanding.linking import LinkSource
from agent.understanding.turns import planner_input

UNSEEN_DIR = CORPUS_DIR / "unseen"
DEFAULT_WRITERS = ""  # every blind writer but the test split's is in the pool now
DEFAULT_POOL_FOLDS = 5
MARGIN_GRID = (0.0, 0.1, 0.2, 0.3, 0.4)
TOLERANCE = 0.001  # a tenth of a point of exact-set accuracy


@dataclass(frozen=True)
class Examples:
    writers: list[str]  # per message
    pipeline: list[list[str]]  # the pipeline's jobs (empty when it asked)
    gold: list[list[str]]
    x: np.ndarray  # (n, N_FEATURES)

    @property
    def y(self) -> np.ndarray:
        return np.array([[lab in g for lab in INTENTS] for g in self.gold], dtype=int).reshape(
            len(self.gold), len(INTENTS)
        )

    @classmethod
    def join(cls, parts: Sequence[Examples]) -> Examples:
        return cls(
            writers=[w for p in parts for w in p.writers],
            pipeline=[j for p in parts for j in p.pipeline],
            gold=[g for p in parts for g in p.gold],
            x=np.concatenate([p.x for p in parts]) if parts else np.zeros((0, N_FEATURES)),
        )


def writer_range(spec: str) -> list[str]:
    """ "W47-W84" or "W47,W50" -> writer prefixes; a clear error for anything else."""
    out: list[str] = []
    for part in spec.split(","):
        m = re.fullmatch(r"\s*W(\d+)(?:\s*-\s*W(\d+))?\s*", part)
        if not m:
            raise SystemExit(f"--writers: cannot read {part!r} (expected e.g. W47-W84 or W47,W50)")
        lo, hi = int(m[1]), int(m[2] or m[1])
        if hi < lo:
            raise SystemExit(f"--writers: {part!r} runs backwards")
        out += [f"W{i}" for i in range(lo, hi + 1)]
    return out


def load_writers(writers: Sequence[str], folder: Path = UNSEEN_DIR) -> list[CorpusItem]:
    items: list[CorpusItem] = []
    for w in writers:
        path = folder / f"{w}.jsonl"
        if not path.is_file():
            raise SystemExit(f"--writers: no file {path}")
        items += read_jsonl(path)[0]
    return items


def examples(items: Sequence[CorpusItem], links: LinkSource | None, progress: bool = True) -> Examples:
    """Read every message with the pipeline (no decision model) and pair its features with the labels."""
    xs: list[list[float]] = []
    pipe: list[list[str]] = []
    t0 = time.perf_counter()
    for k, it in enumerate(items, 1):
        inp = planner_input(it)
        jobs, x = decision_input(read_turn(inp, links=links), inp)
        xs.append(x)
        pipe.append(jobs)
        if progress and (k % 500 == 0 or k == len(items)):
            print(f"  read {k}/{len(items)} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    return Examples(
        writers=[it.id.split("-")[0] for it in items],
        pipeline=pipe,
        gold=[canonical(it.intents) for it in items],
        x=np.array(xs, dtype=np.float64).reshape(len(items), N_FEATURES),
    )


def pool_examples(links: LinkSource | None, n_folds: int, progress: bool = True) -> Examples:
    """The classifier's training pool read cross-fitted: each group of its writers by a classifier fitted on the
    others (`train.cross_fitted`), then by the planner as a live turn reads it."""
    from agent.understanding.classifier import bundled_model
    from agent.understanding.corpus import load_train_pool
    from agent.understanding.reading import reading_with
    from agent.understanding.train import cross_fitted

    base = bundled_model()
    if base is None:
        raise SystemExit(
            "--pool-folds: no trained classifier to cross-fit (python -m agent.understanding.train)"
        )
    parts: list[Examples] = []
    for k, (held, model) in enumerate(cross_fitted(load_train_pool(), base, n_folds), 1):
        if progress:
            print(f"pool group {k}/{n_folds}: {len(held)} messages", file=sys.stderr, flush=True)
        with reading_with(model):
            parts.append(examples(held, links, progress))
    return Examples.join(parts)


def _classifier_digest() -> str:
    from agent.understanding.classifier import ARTIFACT as CLASSIFIER

    return hashlib.sha256(CLASSIFIER.read_bytes()).hexdigest()[:16] if CLASSIFIER.is_file() else "none"


def unseen_key(writers: Sequence[str]) -> str:
    """What the unseen writers' examples depend on: their files, the classifier and the features."""
    return f"{digest(writers)}:{_classifier_digest()}:{N_FEATURES}"


def pool_key(n_folds: int) -> str:
    """What the pool's cross-fitted examples depend on: the pool's files, the bundled classifier (its settings
    are refitted), the number of groups and the features."""
    from agent.understanding.train import corpus_digest

    return f"pool:{corpus_digest()}:{_classifier_digest()}:{n_folds}:{N_FEATURES}"


def cached_examples(path: Path | None, key: str, read: Callable[[], Examples]) -> Examples:
    """The examples read before (`path`, written by an earlier run with the same `key`: the same files and
    classifier), else read now and kept at `path`. A cache for other files or another classifier is re-read."""
    if path is not None and path.is_file():
        with np.load(path, allow_pickle=False) as z:
            if str(z["key"]) == key:
                print(f"examples from {path}", file=sys.stderr)
                return Examples(
                    writers=[str(w) for w in z["writers"]],
                    pipeline=[json.loads(str(p)) for p in z["pipeline"]],
                    gold=[json.loads(str(g)) for g in z["gold"]],
                    x=z["x"],
                )
        print(f"{path} was read for other writers or another classifier: reading again", file=sys.stderr)
    ex = read()
    if path is not None:
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez_compressed(
            tmp,
            key=np.array(key),
            writers=np.array(ex.writers),
            pipeline=np.array([json.dumps(p) for p in ex.pipeline]),
            gold=np.array([json.dumps(g) for g in ex.gold]),
            x=ex.x,
        )
        tmp.replace(path)
    return ex


def fit(
    x: np.ndarray, y: np.ndarray, members: int, hidden: int, alpha: float, margin: float = 0.0
) -> DecisionModel:
    from sklearn.neural_network import MLPClassifier

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    nets = [
        MLPClassifier(
            hidden_layer_sizes=(hidden,), alpha=alpha, max_iter=300, early_stopping=True, random_state=seed
        ).fit(z, y)
        for seed in range(members)
    ]
    return DecisionModel(
        mean=mean,
        scale=scale,
        w1=np.stack([n.coefs_[0] for n in nets]),
        b1=np.stack([n.intercepts_[0] for n in nets]),
        w2=np.stack([n.coefs_[1] for n in nets]),
        b2=np.stack([n.intercepts_[1] for n in nets]),
        meta={"margin": margin},
    )


def _decide_all(model: DecisionModel, x: np.ndarray) -> list[list[str] | None]:
    return [model.decide(row) for row in x]


def accuracy(decided: Sequence[list[str] | None], ex: Examples, idx: np.ndarray) -> float:
    """Exact-set accuracy where None keeps the pipeline's set (its question counts as wrong)."""
    hits = [
        (ex.pipeline[i] if d is None else d) == ex.gold[i] and not (d is None and ex.x[i, ASKED] >= 0.5)
        for d, i in zip(decided, idx, strict=True)
    ]
    return float(np.mean(hits)) if hits else 0.0


def held_out(
    ex: Examples,
    folds: int,
    members: int,
    hidden: int,
    alpha: float,
    part_keep: float = 1.01,
    extra: Examples | None = None,
) -> dict[str, Any]:
    """Grouped k-fold by writer over `ex`: the pipeline's accuracy, the model's at each margin, and the margin
    chosen. `extra` (the pool's examples) joins every group's training data and is never scored."""
    order = sorted(set(ex.writers), key=lambda w: int(w[1:]))
    groups = [order[i::folds] for i in range(folds)]
    ws = np.array(ex.writers)
    y = ex.y
    more = extra if extra is not None else Examples.join([])
    more_y = more.y
    models: list[tuple[np.ndarray, DecisionModel]] = []
    for g in groups:
        te = np.isin(ws, g)
        x_fit, y_fit = np.concatenate([ex.x[~te], more.x]), np.concatenate([y[~te], more_y])
        models.append((np.flatnonzero(te), fit(x_fit, y_fit, members, hidden, alpha)))
    everyone = np.arange(len(ws))
    base = accuracy([None] * len(ws), ex, everyone)
    by_margin: dict[str, float] = {}
    for margin in MARGIN_GRID:
        decided: list[list[str] | None] = [None] * len(ws)
        for idx, m in models:
            mm = replace(m, meta={"margin": margin, "part_keep": part_keep})
            for i, d in zip(idx, _decide_all(mm, ex.x[idx]), strict=True):
                decided[i] = d
        by_margin[str(margin)] = accuracy(decided, ex, everyone)
    # Every change the model makes is one the rules did not; so the widest margin (fewest changes) is kept that
    # stays within TOLERANCE of the best held-out accuracy.
    top = max(by_margin.values())
    best = max(m for m in MARGIN_GRID if by_margin[str(m)] >= top - TOLERANCE)
    return {"pipeline": base, "by_margin": by_margin, "margin": best, "folds": folds, "part_keep": part_keep}


def digest(writers: Sequence[str], folder: Path = UNSEEN_DIR) -> str:
    h = hashlib.sha256()
    for w in writers:
        h.update((folder / f"{w}.jsonl").read_bytes())
    return h.hexdigest()[:16]


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description="Train the decision model on unseen blind writers (never the test split)."
    )
    ap.add_argument(
        "--writers",
        default=DEFAULT_WRITERS,
        help="unseen writers (corpus/unseen/) to learn from beside the pool, e.g. W109-W116; they are then the "
        "ones scored held out (default: none, the pool's writers are scored)",
    )
    ap.add_argument("--out", type=Path, default=ARTIFACT)
    ap.add_argument("--members", type=int, default=4, help="networks averaged (default 4)")
    ap.add_argument("--hidden", type=int, default=128, help="hidden units per network (default 128)")
    ap.add_argument("--alpha", type=float, default=0.05, help="L2 penalty (default 0.05)")
    ap.add_argument("--folds", type=int, default=5, help="writer groups held out in turn (default 5)")
    ap.add_argument(
        "--part-keep",
        type=float,
        default=0.99,
        help="never drop a job a part of the message reads at least this surely (default 0.99; 1.01: off)",
    )
    ap.add_argument(
        "--pool-folds",
        type=int,
        default=DEFAULT_POOL_FOLDS,
        help="also learn from the classifier's pool, read cross-fitted in this many writer groups "
        f"(default {DEFAULT_POOL_FOLDS}; 0: unseen writers only)",
    )
    ap.add_argument(
        "--examples",
        type=Path,
        help="keep the pipeline's reading here (the pool's next to it, as NAME.pool.npz) and reuse it on the "
        "next run (reading takes minutes)",
    )
    args = ap.parse_args(argv)
    if args.pool_folds == 1 or args.pool_folds < 0:
        raise SystemExit(f"--pool-folds: 0 (off) or 2 or more, got {args.pool_folds}")
    from agent.understanding.linking import kb_links
    from knowledge.config import Settings

    writers = writer_range(args.writers) if args.writers.strip() else []
    items = load_writers(writers)
    if not writers and not args.pool_folds:
        raise SystemExit("nothing to learn from: give --writers or --pool-folds")

    def read() -> Examples:
        print(f"reading {len(items)} messages of {len(writers)} writers with the pipeline…", file=sys.stderr)
        return examples(items, kb_links(Settings()))

    ex = cached_examples(args.examples, unseen_key(writers), read) if writers else None
    pool: Examples | None = None
    if args.pool_folds:
        pool_cache = args.examples.with_name(args.examples.stem + ".pool.npz") if args.examples else None

        def read_pool() -> Examples:
            print(f"reading the classifier's pool cross-fitted in {args.pool_folds} groups…", file=sys.stderr)
            return pool_examples(kb_links(Settings()), args.pool_folds)

        pool = cached_examples(pool_cache, pool_key(args.pool_folds), read_pool)
    # The unseen writers are scored held out with the pool in every group's training data; with none, the pool's
    # own writers are (each read cross-fitted, so still by a classifier that never saw them).
    scored, extra = (ex, pool) if ex is not None else (pool, None)
    assert scored is not None
    report = held_out(scored, args.folds, args.members, args.hidden, args.alpha, args.part_keep, extra)
    margin = float(report["margin"])
    print(
        f"held out by writer ({args.folds} groups): pipeline {report['pipeline']:.4f}; decision model "
        + ", ".join(f"margin {k}: {v:.4f}" for k, v in report["by_margin"].items())
        + f"; margin {margin}",
        file=sys.stderr,
    )
    every = Examples.join([e for e in (ex, pool) if e is not None])
    model = fit(every.x, every.y, args.members, args.hidden, args.alpha, margin)
    meta = {
        **model.meta,
        "part_keep": args.part_keep,
        "writers": args.writers.strip(),
        "messages": len(items),
        "pool_folds": args.pool_folds,
        "pool_messages": len(pool.gold) if pool is not None else 0,
        "corpus_digest": digest(writers),
        "held_out": report,
        "config": {"members": args.members, "hidden": args.hidden, "alpha": args.alpha},
    }
    tmp = args.out.with_name(args.out.name + ".tmp.npz")
    replace(model, meta=meta).save(tmp)
    tmp.replace(args.out)  # never a half-written artifact
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
