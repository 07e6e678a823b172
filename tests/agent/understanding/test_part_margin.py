"""The part margin: how much less a part of a long message counts than the whole message, and the offline
switch that sets it on the bundled model without retraining (`train --part-margin X --why ...`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import load_model
from agent.understanding.train import with_part_margin
from tests.agent.understanding.models import hand_model

TEXT = "tell me the news, and draft a licence"  # two parts: the second alone leans to the draft


def _embed(texts: Sequence[str]) -> np.ndarray:
    # axis 0: "draft" is in the text; axis 1: constant. The whole message dilutes the cue, the part does not.
    return np.array([[1.0 if t.strip().startswith("draft") else 0.2, 1.0] for t in texts], dtype=np.float32)


def _model(margin: float) -> object:
    w = np.zeros((2, len(INTENTS)), dtype=np.float32)
    j = INTENTS.index("draft_term_sheet")
    w[0, j], w[1, j] = 9.0, -3.0  # whole message: 0.2*9-3 = -1.2 (p 0.23); the part alone: 9-3 = 6
    meta = {"config": {"pooled": True, "part_margin": margin}}
    return hand_model(np.zeros(len(INTENTS)), w_emb=w, meta=meta)


@pytest.mark.parametrize(("margin", "read"), [(2.0, True), (4.0, True), (7.0, False)])
def test_a_part_counts_its_logit_less_the_margin(margin: float, read: bool) -> None:
    p = _model(margin).probs(TEXT, embedder=_embed)  # type: ignore[attr-defined]
    assert (p["draft_term_sheet"] >= 0.5) is read
    # the part's logit (6.0) less the margin, never below the whole message's own (-1.2)
    assert p["draft_term_sheet"] == pytest.approx(1 / (1 + np.exp(-max(6.0 - margin, -1.2))), rel=1e-5)


def test_setting_the_margin_keeps_weights_and_thresholds_and_records_why(tmp_path: Path) -> None:
    model = hand_model(
        np.linspace(-1, 1, len(INTENTS)), meta={"config": {"pooled": True, "part_margin": 2.0}}
    )
    out = with_part_margin(model, 4.0, "unseen writers W59-W84")
    out.save(tmp_path / "m.npz")
    back = load_model(tmp_path / "m.npz")
    assert back.part_margin == 4.0 and back.pooled
    assert back.meta["part_margin_trained"] == 2.0
    assert back.meta["part_margin_why"] == "unseen writers W59-W84"
    assert np.array_equal(back.bias, model.bias) and np.array_equal(back.thresholds, model.thresholds)
    with pytest.raises(SystemExit, match="--why"):
        with_part_margin(model, 4.0, " ")
    with pytest.raises(SystemExit, match="0 or more"):
        with_part_margin(model, -1.0, "x")


def test_a_model_fitted_at_its_margin_is_not_given_another() -> None:
    model = hand_model(
        np.zeros(len(INTENTS)), meta={"config": {"pooled": True, "part_margin": 2.0, "mil": True}}
    )
    with pytest.raises(SystemExit, match="fitted at its margin"):
        with_part_margin(model, 4.0, "unseen writers")
