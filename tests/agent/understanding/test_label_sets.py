"""Set decoding: the whole set of jobs is chosen, with a prior over the sets users ask for together."""

from __future__ import annotations

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel
from agent.understanding.label_sets import SetPrior
from agent.understanding.reading import read_with
from tests.agent.understanding.models import hand_model


def _q(**probs: float) -> dict[str, float]:
    return {lab: probs.get(lab, 0.02) for lab in INTENTS}


def _prior(weight: float, **counts: int) -> SetPrior:
    sets = [key.split("__") for key, n in counts.items() for _ in range(n)]
    return SetPrior.from_sets(sets, weight)


def test_a_common_pair_takes_a_second_job_just_under_its_threshold() -> None:
    q = _q(find_facilities=0.9, hold_slot=0.45)
    prior = _prior(1.0, find_facilities__hold_slot=200, find_facilities=50, hold_slot=50)
    assert prior.decode(q, {"find_facilities"}) == ["find_facilities", "hold_slot"]
    # Without the prior it is plain thresholding.
    assert SetPrior(prior.counts, 0.0).decode(q, {"find_facilities"}) == ["find_facilities"]


def test_a_rare_combination_loses_a_weak_second_job() -> None:
    q = _q(hold_slot=0.9, search_achievements=0.55)
    prior = _prior(1.0, hold_slot=300, search_achievements=300, find_facilities__hold_slot=50)
    assert prior.decode(q, {"hold_slot", "search_achievements"}) == ["hold_slot"]


def test_a_confident_thanks_does_not_count_against_a_real_job() -> None:
    # "thanks! and hold FAC-0003 for next week": the corpus labels the hold alone.
    q = _q(thanks=0.95, hold_slot=0.8)
    prior = _prior(1.0, hold_slot=100, thanks=100)
    assert prior.decode(q, {"thanks", "hold_slot"}) == ["hold_slot"]


def test_an_unseen_combination_the_model_is_sure_of_is_kept() -> None:
    q = _q(find_partners=0.99, policy=0.99)
    prior = _prior(0.5, find_partners=100, policy=100)
    assert prior.decode(q, {"find_partners", "policy"}) == ["find_partners", "policy"]


def test_the_prior_round_trips_through_the_model_meta_and_weight_zero_is_off() -> None:
    prior = _prior(0.25, find_partners__draft_term_sheet=3, policy=2)
    again = SetPrior.from_meta(prior.to_meta())
    assert again is not None
    assert dict(again.counts) == {"find_partners|draft_term_sheet": 3, "policy": 2}
    assert again.weight == 0.25
    assert SetPrior.from_meta(SetPrior(prior.counts, 0.0).to_meta()) is None
    assert SetPrior.from_meta(None) is None


def _bias_model(meta: dict[str, object], **probs: float) -> IntentModel:
    return hand_model(np.array([np.log(p / (1 - p)) for p in _q(**probs).values()]), meta=meta)


def test_the_reading_decodes_the_set_when_the_model_carries_a_prior() -> None:
    prior = _prior(1.0, find_facilities__hold_slot=200, find_facilities=50)
    text = "zzz qqq"
    plain = read_with(_bias_model({}, find_facilities=0.9, hold_slot=0.45), text)
    assert plain.jobs == ["find_facilities"]
    decoded = read_with(
        _bias_model({"label_sets": prior.to_meta()}, find_facilities=0.9, hold_slot=0.45), text
    )
    assert decoded.jobs == ["find_facilities", "hold_slot"]


def test_nothing_above_any_threshold_is_not_decoded_into_a_job() -> None:
    # An out-of-scope message ("write me a poem") stays unread: the prior never invents a job.
    prior = _prior(1.0, find_partners=500)
    r = read_with(_bias_model({"label_sets": prior.to_meta()}), "write me a poem")
    assert r.jobs == []
