"""The reading of one message: its jobs (classifier + the overrides kept on dev), how sure we are, and the
two best readings when we are not.

Each job's probability is re-centred on its tuned threshold (a job exactly at its threshold is a coin
toss). A message read as one job is as sure as that job's lead over the runner-up job; below `ASK_BELOW` (or
when no job cleared its threshold but one came close) the planner asks which of the two the user meant.
Several jobs found in one message are not asked about.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from agent.builtin.intents import INTENTS
from agent.understanding.classifier import IntentModel, bundled_model
from agent.understanding.combine import canonical, combine, regex_jobs

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

    @property
    def unsure(self) -> bool:
        return self.alternative is not None and (not self.jobs or self.confidence < ASK_BELOW)


def _centred(p: float, threshold: float) -> float:
    """`p` moved so that `threshold` maps to 0.5 (a logit shift)."""
    p = min(max(p, 1e-6), 1 - 1e-6)
    t = min(max(threshold, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) - math.log(t / (1 - t))
    return 1.0 / (1.0 + math.exp(-z))


# With no job above its threshold, a likeliest job at least this probable (re-centred) is offered as a
# reading; below it the message is taken as out of scope (weather, "嗯") and gets the help answer.
OFFER_FLOOR = 0.2


def read_with(
    model: IntentModel, text: str, prev_jobs: Sequence[str] = (), has_context: bool = False
) -> Reading:
    probs = model.probs(text, list(prev_jobs), has_context or bool(prev_jobs))
    centred = {lab: _centred(p, model.threshold(lab)) for lab, p in probs.items()}
    model_jobs = canonical(lab for lab in INTENTS if centred[lab] >= 0.5)
    regex = regex_jobs(text)
    jobs = combine(model_jobs, regex, dict(model.meta.get("combine", {})))
    ranked = sorted(centred, key=lambda lab: (-centred[lab], lab))
    top, runner = ranked[0], ranked[1]
    if len(jobs) > 1:
        # Several jobs cleared their thresholds: the user asked for several things; no either/or to ask.
        return Reading(jobs=jobs, confidence=1.0, probs=probs, regex=regex)
    if not jobs and centred[top] < OFFER_FLOOR:
        return Reading(jobs=[], confidence=1.0 - centred[top], probs=probs, regex=regex)
    # One job (or none, with one close): the reading is as sure as its lead over the runner-up job.
    first = jobs or [top]
    other = runner if first[0] == top else top
    confidence = centred[first[0]] - centred[other]
    return Reading(
        jobs=jobs,
        confidence=confidence,
        probs=probs,
        regex=regex,
        alternative=[other],
        best=first,
    )


@lru_cache(maxsize=512)
def _read_cached(text: str, prev_jobs: tuple[str, ...], has_context: bool) -> Reading | None:
    model = bundled_model()
    if model is None:
        return None
    return read_with(model, text, prev_jobs, has_context)


def read_message(text: str, prev_jobs: Sequence[str] = (), has_context: bool = False) -> Reading | None:
    """The reading of `text` by the bundled model (None when no model has been trained); memoised because
    the planner re-reads the same message before every step of a turn."""
    return _read_cached(text, tuple(prev_jobs), has_context)
