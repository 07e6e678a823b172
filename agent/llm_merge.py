"""The model's reading turned into the builtin planner's `Understanding`, checked against the builtin reading.

Rules (why: the LLM path must never be worse than the builtin planner):
- The builtin reading is the base: its slots, spans, names, memory and follow-up handling stay.
- Jobs: when the model and the builtin agree, the builtin intents (with their clauses) stand. When they
  differ and the builtin layer is sure (its classifier and its rules agree, with high confidence), the
  model is contradicted and the turn falls back to the builtin reading. Otherwise the model's jobs win.
- Slots: the model only fills what the builtin extraction left empty. Record ids are taken only when the
  user wrote them or an earlier result showed them — a small model copies ids from examples.
"""

from __future__ import annotations

import re
from dataclasses import replace

from agent.builtin.dates import DateRange
from agent.builtin.intents import Intent
from agent.builtin.planner import Understanding
from agent.builtin.slots import Percent, PercentRole, Reference, Slots, TrlRange
from agent.llm_reading import ModelReading
from agent.understanding.combine import canonical

# A builtin reading at least this sure (classifier lead over the runner-up, rules agreeing) overrides a
# different model reading. On the dev split's 24 first messages, the 12 where rules and classifier agreed
# at >= 0.3 were all right (the rules alone: 58%), so there the model can only make things worse.
HIGH_CONFIDENCE = 0.3

_ID = re.compile(r"^(ACH|ORG|FAC)-\d{4}$")
_PERCENT_ROLES: dict[str, PercentRole] = {
    "royalty": "royalty",
    "inventor_share": "inventor_share",
    "equity": "equity",
    "incentive_total": "incentive_total",
    "incentive_person": "incentive_individual",
    "dividend_pool": "dividend_pool",
}


class Contradiction(Exception):
    """The builtin layer is sure of a different reading."""


def builtin_confidence(text: str, prev_jobs: list[str]) -> tuple[list[str], float] | None:
    """(jobs, confidence) of the trained classifier for `text`, or None when no model is bundled."""
    try:
        from agent.understanding.reading import read_message
    except ImportError:
        return None
    r = read_message(text, prev_jobs, bool(prev_jobs))
    if r is None:
        return None
    return list(r.jobs), float(r.confidence)


def _synthetic(name: str, text: str) -> Intent:
    # No clause or scope: the job then reads the merged slots of the whole message (see _Chain.clause_slots).
    return Intent(name=name, start=0, trigger="", clause="", clause_start=0, strong=False, scope="")


def merge_jobs(u: Understanding, reading: ModelReading, prev_jobs: list[str]) -> list[Intent]:
    """The intents for this turn; raises Contradiction when the builtin layer is sure of other jobs."""
    builtin = canonical(i.name for i in u.intents)
    model = canonical(reading.jobs)
    if model == builtin or not model:
        # Agreement, or the model found no job: the builtin intents (with clauses) and follow-up logic stand.
        return list(u.intents)
    if u.carried or u.follow_up:
        # The builtin layer read a follow-up from the typed frame; the model sees only the message.
        return list(u.intents)
    sure = builtin_confidence(u.text, prev_jobs)
    if builtin and sure is not None and canonical(sure[0]) == builtin and sure[1] >= HIGH_CONFIDENCE:
        raise Contradiction(f"builtin reads {builtin} (confidence {sure[1]:.2f}); model read {model}")
    by_name: dict[str, Intent] = {i.name: i for i in u.intents}
    return [by_name.get(j) or _synthetic(j, u.text) for j in model]


def _known_ids(u: Understanding) -> set[str]:
    m = u.memory
    return {*m.achievements, *m.organisations, *m.facilities, *m.names}


def merge_slots(u: Understanding, reading: ModelReading) -> Slots:
    """The builtin slots with the gaps the model filled (never overriding what the builtin extracted)."""
    s, r = u.slots, reading.slots
    upd: dict[str, object] = {}
    known = _known_ids(u)
    ids = [
        x.id.upper()
        for x in (*r.achievements, *r.organisations, *r.facilities)
        if x.id and _ID.match(x.id.upper()) and (x.id.upper() in u.text.upper() or x.id.upper() in known)
    ]
    new_ids = [i for i in dict.fromkeys(ids) if i not in s.record_ids]
    if new_ids:
        upd["record_ids"] = [*s.record_ids, *new_ids]
    no_dates = s.dates is None and s.reversed_range is None and s.invalid_date is None
    if no_dates and r.dates is not None and r.dates.start >= u.today and r.dates.end > r.dates.start:
        upd["dates"] = DateRange(start=r.dates.start, end=r.dates.end)
    if s.duration_days is None and r.duration_days and 0 < r.duration_days <= 366:
        upd["duration_days"] = int(r.duration_days)
    if not s.money and r.money:
        upd["money"] = [m.value for m in r.money if m.value > 0]
    if not s.percentages and r.percents:
        upd["percentages"] = [
            Percent(
                value=p.value, role=_PERCENT_ROLES.get(p.role, "other"), span=(0, 0), text=f"{p.value:g}%"
            )
            for p in r.percents
            if 0 < p.value <= 100
        ]
    if s.trl is None and (r.trl_min or r.trl_max):
        lo = int(r.trl_min) if r.trl_min else None
        hi = int(r.trl_max) if r.trl_max else None
        upd["trl"] = TrlRange(min=lo, max=hi)
    if s.term_years is None and r.term_years and 0 < r.term_years <= 50:
        upd["term_years"] = int(r.term_years)
    if not s.domains and r.domain:
        upd["domains"] = list(r.domain)
    if not s.regions and r.region:
        upd["regions"] = list(r.region)
    if s.deal_type is None and r.deal_type is not None:
        upd["deal_type"] = r.deal_type
    if s.enterprise_size is None and r.enterprise_size is not None:
        upd["enterprise_size"] = r.enterprise_size
    if not s.org_kinds and r.org_kind:
        upd["org_kinds"] = list(r.org_kind)
    if not s.references and r.reference is not None and (r.reference.ordinal or r.reference.kind):
        kind = "hold" if r.reference.kind == "booking" else r.reference.kind
        upd["references"] = [Reference(index=r.reference.ordinal, kind=kind)]
    if not s.hold_refs and r.booking_ref and r.booking_ref.upper() in u.text.upper():
        upd["hold_refs"] = [r.booking_ref.upper()]
    return s.model_copy(update=upd)


def merge(u: Understanding, reading: ModelReading, prev_jobs: list[str]) -> Understanding:
    """The understanding for the plan: the builtin one with the model's jobs and the slots it added."""
    intents = merge_jobs(u, reading, prev_jobs)
    # The builtin's "not understood" clauses are moot when the model read the message into other jobs.
    unread = u.not_understood if intents == u.intents else []
    # The builtin's "which of two did you mean?" is its own doubt; the model has chosen a reading.
    clarify = u.clarify if intents == u.intents else None
    return replace(u, intents=intents, slots=merge_slots(u, reading), not_understood=unread, clarify=clarify)
