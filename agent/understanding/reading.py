"""The reading of one message: its jobs (classifier + the overrides kept on dev), how sure we are, and the
two best readings when we are not.

Each job's probability is re-centred on its tuned threshold (a job exactly at its threshold is a coin
toss). A message read as one job is as sure as that job's lead over the runner-up job; below `ASK_BELOW` (or
when no job cleared its threshold but one came close) the planner asks which of the two the user meant.
Several jobs found in one message are not asked about. When no job cleared its threshold, the likeliest one
is taken without asking if its re-centred probability reaches the model's `take_floor` (tuned on held-out
writers at training).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import numpy as np

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel, bundled_model, label_probs
from agent.understanding.combine import canonical, combine, regex_jobs
from agent.understanding.label_sets import SetPrior

# A reading less likely than this is asked about (see docs/understanding.md for how it was chosen on dev).
ASK_BELOW = 0.2


@dataclass(frozen=True)
class Reading:
    jobs: list[str]
    confidence: float
    probs: dict[str, float] = field(default_factory=dict)
    regex: list[str] = field(default_factory=list)
    alternative: list[str] | None = None  # the runner-up reading (asked about when unsure)
    best: list[str] | None = (
        None  # the best reading when unsure (== jobs, or the likeliest job if jobs is empty)
    )
    guessed: bool = False  # the job was taken under its threshold (the take floor), not read outright
    # Each job's probability re-centred on its threshold (0.5 = at it).
    centred: dict[str, float] = field(default_factory=dict)
    # The same on the whole message alone, and at its best over the message's parts (no part margin; all 0.0
    # when the message is not split): what the decision model reads (agent/understanding/decide.py).
    whole: dict[str, float] = field(default_factory=dict)
    part: dict[str, float] = field(default_factory=dict)
    n_parts: int = 0

    def likeliest(self, floor: float, skip: tuple[str, ...] = ()) -> str | None:
        """The likeliest job, when no job was read outright, if its re-centred probability reaches `floor` and
        it is not one of `skip`."""
        if self.jobs or not self.centred:
            return None
        top = min(self.centred, key=lambda lab: (-self.centred[lab], lab))  # ties as `read_with` ranks them
        return top if top not in skip and self.centred[top] >= floor else None

    @property
    def unsure(self) -> bool:
        return self.alternative is not None and (not self.jobs or self.confidence < ASK_BELOW)


def _centred(p: float, threshold: float) -> float:
    """`p` moved so that `threshold` maps to 0.5 (a logit shift)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


# Jobs that are one request seen from two sides: never asked about as alternatives.
_FAMILIES = {
    "find_facilities": "calendar",
    "check_availability": "calendar",
    "find_achievements": "achievements",
    "search_achievements": "achievements",
    "help": "chat",
    "thanks": "chat",
}


def _family(label: str) -> str:
    return _FAMILIES.get(label, label)


# With no job above its threshold, a likeliest job at least this probable (re-centred) is offered as a
# reading; below it the message is taken as out of scope (weather, "嗯") and gets the help answer.
OFFER_FLOOR = 0.2


_PRIORS: dict[int, tuple[object, SetPrior | None]] = {}


def set_prior(meta: dict[str, Any]) -> SetPrior | None:
    """The model's set prior (None when training found it did not help), built once per model."""
    raw = meta.get("label_sets")
    hit = _PRIORS.get(id(raw))
    if hit is not None and hit[0] is raw:
        return hit[1]
    prior = SetPrior.from_meta(raw) if isinstance(raw, dict) else None
    _PRIORS[id(raw)] = (raw, prior)
    return prior


def read_with(
    model: IntentModel, text: str, prev_jobs: Sequence[str] = (), has_context: bool = False
) -> Reading:
    z_whole, z_part, n_parts = model.logit_parts(text, list(prev_jobs), has_context or bool(prev_jobs))
    z = z_whole if z_part is None else np.maximum(z_whole, z_part - model.part_margin)
    probs = label_probs(model.labels, z)

    def centred_of(p: dict[str, float]) -> dict[str, float]:
        return {lab: _centred(v, model.threshold(lab)) for lab, v in p.items()}

    centred = centred_of(probs)
    whole = centred_of(label_probs(model.labels, z_whole))
    part = (
        {lab: 0.0 for lab in model.labels}
        if z_part is None
        else centred_of(label_probs(model.labels, z_part))
    )
    above = {lab for lab in INTENTS if centred[lab] >= 0.5}
    regex = regex_jobs(text)
    if {"hold_slot", "check_availability"} <= above:
        # The corpus never labels both (a hold checks the calendar itself): when both clear their thresholds
        # the model is torn between them. The user's own verb settles it where the rules read one ("check
        # FAC-0004 from March 2 for 5 days"), else the likelier reading wins.
        check = "check_availability" in regex and "hold_slot" not in regex
        if check or ("hold_slot" not in regex and centred["check_availability"] > centred["hold_slot"]):
            above.discard("hold_slot")
    if {"find_achievements", "search_achievements"} <= above:
        # Achievements for a need and achievements by keyword are two answers to one question; the corpus
        # labels both on 8 of ~3,150 such messages. The likelier reading wins (unseen W47-W58: +14 net of 4,800).
        both = ("find_achievements", "search_achievements")
        above.discard(min(both, key=lambda lab: centred[lab]))
    prior = set_prior(model.meta)
    if prior is not None and above:
        # The whole set of jobs, not each job alone (docs/understanding.md, "Set decoding").
        above = set(prior.decode(centred, above))
    model_jobs = canonical(above)
    jobs = combine(model_jobs, regex, dict(model.meta.get("combine", {})))
    ranked = sorted(centred, key=lambda lab: (-centred[lab], lab))
    top = ranked[0]
    # A hold the model reads is taken even where the trigger rules read only a calendar check ("锁两周",
    # "pencil me in"): downgrading it to a check cost 1.5 points on four unseen writers (W9-W12), and a
    # hold is a WRITE the user approves before anything is booked.
    if not jobs and regex == [top] and centred[top] >= OFFER_FLOOR:
        # Two weak readers agreeing on the same job make one clear reading.
        jobs = [top]
    agree = float(model.meta.get("agree_floor", 1.0))
    if jobs and agree < 1.0:
        # The same, inside a several-job message: a job the rules read that the model nearly reads too.
        # Only a second request joins, never a second view of one already read (the rules' keyword search
        # beside the model's need-based search, a facility search beside a calendar check, help beside
        # thanks): on unseen W47-W58, 16 fixed and 1 lost of 4,800.
        read = {_family(j) for j in jobs}
        jobs = canonical(
            [*jobs, *(lab for lab in regex if centred[lab] >= agree and _family(lab) not in read)]
        )
    # Every reading of this message carries the same probabilities and views; only the decision differs.
    reading = partial(
        Reading, probs=probs, regex=regex, centred=centred, whole=whole, part=part, n_parts=n_parts
    )
    take = float(model.meta.get("take_floor", 1.0))
    if not jobs and centred[top] >= take:
        # No job cleared its threshold, but the likeliest is close enough that acting on it is right more often
        # than asking (the floor is tuned on held-out writers; 1.0 = always ask).
        jobs = [top]
        return reading(jobs=jobs, confidence=centred[top], guessed=True)
    if len(jobs) > 1 or (jobs and jobs == regex):
        # Several jobs cleared their thresholds (the user asked for several things), or the model and the
        # trigger rules read the same job: nothing to ask.
        return reading(jobs=jobs, confidence=1.0)
    if not jobs and centred[top] < OFFER_FLOOR:
        return reading(jobs=[], confidence=1.0 - centred[top])
    # One job (or none, with one close): the reading is as sure as its lead over the runner-up job of
    # another kind (finding a facility vs checking its calendar is one chain, decided by the slots).
    first = jobs or [top]
    # Small talk next to a job the model read is not a rival reading: set decoding already drops it beside a
    # real job ("Hi, is the Huaqi lab free in Feb?", "你好！…会员规则在哪看"), so the lead is over other jobs.
    rivals = [
        lab
        for lab in ranked
        if lab != first[0] and _family(lab) != _family(first[0]) and not (jobs and _family(lab) == "chat")
    ]
    other = rivals[0]
    confidence = centred[first[0]] - centred[other]
    return reading(jobs=jobs, confidence=confidence, alternative=[other], best=first)


_model_in_use: list[IntentModel] = []  # set by `reading_with`; empty: the bundled model


@contextmanager
def reading_with(model: IntentModel) -> Iterator[None]:
    """Within the block every message is read by `model` instead of the bundled one. Training uses it to read
    the classifier's own writers with a classifier fitted without them (train_decide's cross-fitting)."""
    _read_cached.cache_clear()
    _model_in_use.append(model)
    try:
        yield
    finally:
        _model_in_use.pop()
        _read_cached.cache_clear()


@lru_cache(maxsize=512)
def _read_cached(text: str, prev_jobs: tuple[str, ...], has_context: bool) -> Reading | None:
    model = _model_in_use[-1] if _model_in_use else bundled_model()
    if model is None:
        return None
    return read_with(model, text, prev_jobs, has_context)


def read_message(text: str, prev_jobs: Sequence[str] = (), has_context: bool = False) -> Reading | None:
    """The reading of `text` by the bundled model (None when no model has been trained); memoised because
    the planner re-reads the same message before every step of a turn."""
    return _read_cached(text, tuple(prev_jobs), has_context)
