"""The multiple-instance refit (train_mil.py): the loss is taken on the max over a message's readings, as the
run time reads a long message, and the refitted weights are stored so that the run time reproduces it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel
from agent.understanding.corpus import CorpusItem
from agent.understanding.features import segments
from agent.understanding.train import Config, MemoEmbedder, _fit_on
from agent.understanding.train_mil import bag_loss, instances
from tests.agent.understanding.test_model import _fake_embed

MARGIN = 1.0


@settings(max_examples=25, deadline=None)
@given(sizes=st.lists(st.integers(1, 3), min_size=1, max_size=5), seed=st.integers(0, 10_000))
def test_the_bag_gradient_is_the_loss_s_derivative(sizes: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    owner = np.repeat(np.arange(len(sizes)), sizes)
    z = rng.normal(0, 2, size=(len(owner), 3))
    y = rng.integers(0, 2, size=(len(sizes), 3)).astype(np.float64)
    _, grad = bag_loss(z, owner, y)
    eps = 1e-6
    for r in range(z.shape[0]):
        for j in range(z.shape[1]):
            up, down = z.copy(), z.copy()
            up[r, j] += eps
            down[r, j] -= eps
            numeric = (bag_loss(up, owner, y)[0] - bag_loss(down, owner, y)[0]) / (2 * eps)
            assert grad[r, j] == pytest.approx(numeric, abs=1e-4)
    # only each message's highest reading learns: one non-zero row per message and job at most
    for i in range(len(sizes)):
        assert (np.abs(grad[owner == i]) > 0).sum(axis=0).max() <= 1


def _item(n: int, text: str, jobs: list[str]) -> CorpusItem:
    return CorpusItem.model_validate({"id": f"W1-{n:04d}", "lang": "en", "text": text, "intents": jobs})


ONE = [
    ("find partners for the battery", ["find_partners"]),
    ("who would license the battery", ["find_partners"]),
    ("find partners for the membrane", ["find_partners"]),
    ("release my hold", ["release_hold"]),
    ("release the hold on the line", ["release_hold"]),
    ("please release that hold", ["release_hold"]),
    ("what does the policy say on shares", ["policy"]),
    ("which policy caps the incentive", ["policy"]),
]
TWO = [
    ("find partners for the battery, then release my hold", ["find_partners", "release_hold"]),
    ("who would license the membrane, and which policy caps the incentive", ["find_partners", "policy"]),
    ("release the hold on the line, then what does the policy say", ["policy", "release_hold"]),
]


def _pool() -> list[CorpusItem]:
    return [_item(n, t, j) for n, (t, j) in enumerate(ONE * 3 + TWO * 2)]


def _run_time_loss(model: IntentModel, items: list[CorpusItem]) -> float:
    """The log-loss of the run-time reading (whole message and parts, a part lowered by the margin)."""
    total = 0.0
    for it in items:
        whole, part, _ = model.logit_parts(it.text, it.prev_intents, bool(it.context), _fake_embed)
        z = whole if part is None else np.maximum(whole, part - MARGIN)
        y = np.array([lab in it.intents for lab in INTENTS], dtype=np.float64)
        total += float(np.logaddexp(0.0, -(2 * y - 1) * z).sum())
    return total


def test_instances_are_each_message_then_its_parts() -> None:
    items = [_item(0, TWO[0][0], TWO[0][1]), _item(1, ONE[0][0], ONE[0][1])]
    texts, owner, part = instances(items)
    assert texts == [TWO[0][0], *segments(TWO[0][0]), ONE[0][0]]
    assert owner.tolist() == [0, 0, 0, 1] and part.tolist() == [False, True, True, False]


@pytest.mark.parametrize("rule_weight", [0.0, 1.0])
def test_the_refit_lowers_the_run_time_loss_and_reads_both_jobs(rule_weight: float) -> None:
    pool = _pool()
    cfg = Config(4.0, 2.0, 1.0, False, True, rule_weight, MARGIN)
    memo = MemoEmbedder(_fake_embed)
    meta = {"config": {"pooled": True, "part_margin": MARGIN}}
    plain = replace(_fit_on(pool, cfg, memo), meta=meta)
    mil = replace(_fit_on(pool, replace(cfg, mil=True), memo), meta=meta)
    # Read by the run-time code, every block included (the rules' too when they are weighted): the folded
    # block weights reproduce what the refit optimised.
    assert _run_time_loss(mil, pool) < 0.9 * _run_time_loss(plain, pool)
    assert mil.vocab == plain.vocab and bool(mil.w_rule.any()) is bool(rule_weight)
    # Every block with features is refitted, the rules' too: none keeps the plain fit's weights while the others
    # move (the pool has no earlier turns, so the context block has none).
    for block in ("w_emb", "w_ng", *(("w_rule",) if rule_weight else ())):
        assert not np.allclose(getattr(mil, block), getattr(plain, block)), block
    for text, jobs in TWO:
        p = mil.probs(text, embedder=_fake_embed)
        assert sorted(j for j, v in p.items() if v >= 0.5) == jobs, text


def test_a_setting_fitted_this_way_says_so_and_is_kept() -> None:
    cfg = replace(Config(8.0, 3.0, 1.0, False, True, 0.0, 4.0), mil=True)
    assert Config(**cfg.__dict__) == cfg  # stored in the model's metadata and read back by --keep-settings
    assert Config().mil is False


def test_a_negative_margin_is_refused_before_anything_is_read() -> None:
    from agent.understanding.train import main

    with pytest.raises(SystemExit, match=r"--mil: the part margin must be 0 or more, got -1.0"):
        main(["--mil", "-1", "--out", "/nonexistent/never-written.npz"])
