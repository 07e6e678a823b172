"""Cross-fitting: the classifier's own writers read by a classifier fitted without them, so the decision model
can learn from the pool as well as from unseen writers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
import pytest

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel, bundled_model
from agent.understanding.corpus import CorpusItem
from agent.understanding.decide import N_FEATURES
from agent.understanding.reading import read_message, reading_with
from agent.understanding.train import Config, cross_fitted, train, writer
from agent.understanding.train_decide import Examples, held_out
from tests.agent.understanding.test_model import _fake_embed

L = len(INTENTS)


ROWS = [
    ("find partners for our battery", ["find_partners"]),
    ("who would license this electrolyte", ["find_partners"]),
    ("release my hold please", ["release_hold"]),
    ("cancel the booking hold", ["release_hold"]),
    ("what does article 45 say", ["policy"]),
    ("is licence income tax exempt", ["policy"]),
]


def _pool() -> list[CorpusItem]:
    """Four writers (W5-W8) and one of the project's own phrasings (S), which only ever trains."""
    items = [
        CorpusItem.model_validate({"id": f"W{w}-{i:04d}", "lang": "en", "text": t, "intents": labs})
        for w in range(5, 9)
        for i, (t, labs) in enumerate(ROWS)
    ]
    return [
        *items,
        CorpusItem.model_validate(
            {"id": "S-0001", "lang": "en", "text": "hold it", "intents": ["hold_slot"]}
        ),
    ]


def test_each_writer_group_is_read_by_a_classifier_fitted_without_it() -> None:
    pool = _pool()
    base = train(pool, embedder=_fake_embed, grid=[Config(4.0, 1.0, 1.0, False)], log=lambda _: None)
    groups = list(cross_fitted(pool, base, n_folds=2, embedder=_fake_embed))
    assert [len({writer(it) for it in held}) for held, _ in groups] == [2, 2]  # four writers in two groups
    held_writers: list[str] = []
    for held, model in groups:
        ws = {writer(it) for it in held}
        held_writers += sorted(ws)
        assert not ws & set(model.meta["writers"])  # never fitted on whom it reads
        assert "S" in model.meta["writers"] and all(writer(it) != "S" for it in held)
        assert np.array_equal(model.thresholds, base.thresholds)
        assert model.meta["config"] == base.meta["config"]
        # the set prior counts the writers it was fitted on: each set seen 6 times per fitted writer
        assert model.meta["label_sets"]["counts"]["policy"] == 2 * (len(model.meta["writers"]) - 1)
        assert model.meta["label_sets"]["weight"] == base.meta["label_sets"]["weight"]
    assert sorted(held_writers) == ["W5", "W6", "W7", "W8"]


def _everything_reads(job: str) -> IntentModel:
    base = bundled_model()
    assert base is not None
    bias = np.full(L, -30.0, dtype=np.float32)
    bias[INTENTS.index(job)] = 30.0
    return replace(base, bias=bias)


def test_reading_with_a_model_reads_by_it_and_then_by_the_bundled_one_again() -> None:
    text = "hold FAC-0003 for a week from March 2"
    before = read_message(text)
    assert before is not None and before.jobs == ["hold_slot"]
    with reading_with(_everything_reads("thanks")):
        inside = read_message(text)
        assert inside is not None and inside.jobs == ["thanks"]  # not the memoised reading of before
    after = read_message(text)
    assert after is not None and after.jobs == ["hold_slot"]


def test_reading_with_restores_the_bundled_model_after_an_error() -> None:
    text = "find partners for ACH-0001"
    with pytest.raises(RuntimeError), reading_with(_everything_reads("thanks")):
        raise RuntimeError("boom")
    r = read_message(text)
    assert r is not None and r.jobs == ["find_partners"]


def _synthetic(n: int, writers: Sequence[str], seed: int) -> Examples:
    """The pipeline reads every message as small talk; policy is asked for exactly when feature 120 is
    positive (as in test_decide's `fit` test)."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, N_FEATURES))
    x[:, 110:132] = rng.normal(size=(n, 22))
    x[:, INTENTS.index("help")] = 1.0
    gold = [["policy"] if v > 0 else ["help"] for v in x[:, 120]]
    return Examples([writers[i % len(writers)] for i in range(n)], [["help"]] * n, gold, x)


def test_the_pool_trains_every_group_and_is_never_scored() -> None:
    few = _synthetic(60, ["W50", "W51", "W52"], seed=1)  # too few to learn the rule from
    pool = _synthetic(3000, ["W5", "W6"], seed=2)
    alone = held_out(few, folds=3, members=2, hidden=16, alpha=1e-3)
    helped = held_out(few, folds=3, members=2, hidden=16, alpha=1e-3, extra=pool)
    assert alone["pipeline"] == helped["pipeline"]  # the same 60 messages scored
    assert helped["by_margin"]["0.0"] >= 0.9 > alone["by_margin"]["0.0"]


def test_examples_join_in_order() -> None:
    a = _synthetic(3, ["W50"], seed=1)
    b = _synthetic(2, ["W5"], seed=2)
    j = Examples.join([a, b])
    assert j.writers == ["W50"] * 3 + ["W5"] * 2
    assert j.gold == a.gold + b.gold and j.y.shape == (5, L)
    assert np.array_equal(j.x, np.concatenate([a.x, b.x]))
