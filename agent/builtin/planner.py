"""The builtin planner: deterministic, rule-based, bilingual.

Every call re-plans from scratch: the latest user message gives the jobs (intents) and slots;
each job expands into a chain of tool steps whose arguments come from the slots, from earlier
results (references such as "the second one") and from the results of this turn. Walking the
chains, a step that already ran this turn is matched to its result (first unused result of the
same tool, so an approval edit with other dates still matches); the first step that has not
run is where the plan resumes. Steps after it whose arguments depend on a result not yet in
are still listed (with what is known) so the user sees the whole plan; the graph only ever runs
the first step and then asks again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from agent.builtin.chain import Chain as _Chain
from agent.builtin.intents import Intent, detect_intents, split_clauses
from agent.builtin.memory import Memory, build_memory
from agent.builtin.names import NameSource, find_names, kb_names
from agent.builtin.slots import Slots, extract_slots, find_record_ids, mask
from agent.builtin.texts import intent_label, t
from agent.frame import QUESTION_SLOTS, Frame, PendingQuestion, overlay
from agent.plan import Plan
from agent.planner import PlannerInput, RespondInput, Response
from knowledge.config import Settings

# Jobs that need the booking calendar.
_CALENDAR = ("check_availability", "hold_slot")


def last_user_text(inp: PlannerInput) -> str:
    return next((m.text for m in reversed(inp.messages) if m.role == "user"), "")


@dataclass
class Understanding:
    """What the planner made of the conversation for this turn (shared with the responder)."""

    text: str
    lang: str
    today: date
    slots: Slots
    intents: list[Intent]
    memory: Memory
    not_understood: list[str] = field(default_factory=list)
    carried: bool = False  # intents taken from the previous message (a follow-up like "what about April?")
    follow_up: bool = False  # intents inferred from context ("yes", "the second one")
    redraft: dict[str, Any] | None = None  # the last draft's arguments, when this message varies its terms


def understand(inp: PlannerInput, names: NameSource | None = None) -> Understanding:
    """Intents and slots of the latest user message, completed from the previous one when it is a follow-up."""
    today = date.fromisoformat(inp.today)
    text = last_user_text(inp)
    slots = extract_slots(text, today)
    intents = detect_intents(text)
    # Greetings and thanks never need the knowledge base (opening it may build the index).
    if (
        names is not None
        and text.strip()
        and not (intents and all(i.name in ("help", "thanks") for i in intents))
    ):
        slots = _with_names(text, slots, names)
    intents = _drop_referenced_searches(intents, slots)
    intents = _drop_parameter_policy(intents)
    intents = _deal_check(intents, slots, text)
    memory = build_memory([*inp.history, *inp.results])
    u = Understanding(text=text, lang=inp.lang, today=today, slots=slots, intents=intents, memory=memory)
    _what_if_redraft(u, inp)
    jobs = [i for i in u.intents if i.name not in ("help", "thanks")]
    if not jobs:
        _follow_up(u, inp)
    u.not_understood = _leftovers(text, u)
    return u


_DEAL_ECONOMICS = frozenset(
    {
        "royalty_rate_pct",
        "upfront_fee_cny",
        "equity_share_pct",
        "appraised_value_cny",
        "profit_share_pct",
        "funding_total_cny",
        "funding_years",
        "cash_investment_cny",
        "instalments",
        "instalment_count",
        "minimum_annual_royalty_cny",
        "ip_share_pct",
        "joint_return",
    }
)
# Deal types whose economics carry over when the user switches between them (both licences).
_DEAL_FAMILY = {"exclusive_license": "licence", "nonexclusive_license": "licence"}
_WHAT_IF = re.compile(
    r"\bwhat if\b|\binstead\b|\bchange\b|\bmake it\b|\bhow about\b|\bwhat about\b|\bwith\b.*\binstead\b|"
    r"如果|要是|假如|假设|改成|改为|换成|调整为|调整到|调到|变成|提高到|降到|降低到",
    re.I,
)


def _what_if_redraft(u: Understanding, inp: PlannerInput) -> None:
    """ "What if the royalty is 12%?" / "提成改成8%呢" right after a draft: redraft it with the
    changed terms (the answer shows the new figures and findings) instead of a policy search."""
    last = [r for r in inp.history if r.turn == inp.turn - 1 and r.tool == "draft_term_sheet" and r.ok]
    s = u.slots
    if not last or not _WHAT_IF.search(u.text):
        return
    if not (s.percentages or s.money or s.term_years or s.deal_type):
        return
    if any(i.name not in ("policy", "draft_term_sheet", "help", "thanks") for i in u.intents):
        return
    base = dict(last[-1].args)
    if s.ids("ACH") and s.ids("ACH")[0] != base.get("achievement_id"):
        return  # another achievement: a new draft, not a variation
    u.redraft = base
    u.intents = [_synthetic("draft_term_sheet", u.text)]
    u.carried = True


def _drop_referenced_searches(intents: list[Intent], slots: Slots) -> list[Intent]:
    """ "那家中试基地的详细信息" / "hold that pilot line": the facility (or partner) words name something
    already found, so they are not a new search; the other jobs resolve the reference."""
    spans = [r.span for r in slots.references if r.kind in ("facility", "organisation", None)]
    if not spans:
        return intents
    kept = [
        i
        for i in intents
        if not (i.name in ("find_facilities", "find_partners") and any(a <= i.start < b for a, b in spans))
    ]
    return kept


_QUESTION = re.compile(
    r"[?？]|多少|什么|是否|能否|可否|吗|呢|怎么|如何|哪些|告诉|说明|解释|"
    r"\b(?:what|how|whether|which|tell\s+me|explain)\b|^\s*(?:is|are|does|do|can|could|may|must|should)\b",
    re.I,
)
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*%|百分之")


def _drop_parameter_policy(intents: list[Intent]) -> list[Intent]:
    """ "起草…技术入股协议，国有大型企业，股权激励总额8%": the incentive words there are a term of the draft
    (checked by the term sheet against the caps), not a policy question; a clause that asks still counts."""
    if not any(i.name == "draft_term_sheet" for i in intents):
        return intents
    return [
        i
        for i in intents
        if not (i.name == "policy" and _FIGURE.search(i.clause) and not _QUESTION.search(i.clause))
    ]


def _deal_check(intents: list[Intent], slots: Slots, text: str) -> list[Intent]:
    """ "ACH-0005作价1000万元入股ORG-0010，占股20%，发明人团队拿40%，可以吗？": a concrete deal on a
    named achievement with its figures is checked by drafting it (the findings cite the articles),
    not answered with general policy passages."""
    if any(i.name == "draft_term_sheet" for i in intents):
        return intents
    if not (slots.deal_type and slots.ids("ACH") and (slots.percentages or slots.money)):
        return intents
    if any(i.name not in ("policy", "get_record", "help", "thanks") for i in intents):
        return intents
    return [_synthetic("draft_term_sheet", text)]


def _with_names(text: str, slots: Slots, names: NameSource) -> Slots:
    """Slots with named organisations and facilities added as if their ids had been typed."""
    try:
        pairs = tuple(names())
    except (
        Exception
    ):  # no knowledge base (e.g. a broken data dir): names are a convenience, not a requirement
        return slots
    found = find_names(text, pairs)
    if not found:
        return slots
    typed = find_record_ids(text)
    ids = [rid for rid, _ in sorted([*typed, *found], key=lambda p: p[1])]
    spans = [sp for _, sp in found]
    return slots.model_copy(
        update={
            "record_ids": list(dict.fromkeys(ids)),
            "consumed": sorted([*slots.consumed, *spans]),
            "details": sorted([*slots.details, *spans]),
        }
    )


def _follow_up(u: Understanding, inp: PlannerInput) -> None:
    """A message without a job of its own: an answer to our question, or a variation of the last request.

    Everything about earlier turns comes from the typed dialogue frame (`inp.frame`) and the typed
    step history, never from re-reading earlier messages or our own replies."""
    s, m, frame = u.slots, u.memory, inp.frame
    prev_turn_results = [r for r in inp.history if r.turn == inp.turn - 1]
    bare = re.fullmatch(r"\s*(\d{1,3})\s*", u.text)
    if bare and frame.pending is not None and frame.pending.slot == "duration_days":
        # "10" in answer to "how many days?" is the length, not a message we failed to read.
        s = u.slots = s.model_copy(update={"duration_days": int(bare[1]), "consumed": [bare.span(1)]})
    has_slots = bool(s.dates or s.duration_days or s.record_ids or s.hold_refs or s.references or s.deal_type)
    prev_jobs = [j for j in frame.jobs if j not in ("help", "thanks")]
    calendar_change = bool(s.dates or s.duration_days) and not s.record_ids
    if (
        calendar_change
        and frame.calendar is not None
        and not set(prev_jobs) & {*_CALENDAR, "find_facilities"}
    ):
        # "改成两周" after a detour ("那家中试基地的详细信息"): the change is to the last calendar request.
        prev_jobs = frame.calendar_jobs
    if (
        prev_jobs
        and has_slots
        and (not prev_turn_results or ((s.dates or s.duration_days) and not s.record_ids))
    ):
        # Answering our clarifying question, or "what about April?": redo the previous jobs that the new
        # details change, with the previous slots overlaid by the new ones.
        base = frame.slots
        if prev_turn_results and (s.dates or s.duration_days) and not (base.dates or base.duration_days):
            base = frame.calendar or base
        keep = [_synthetic(j, u.text) for j in prev_jobs]
        if prev_turn_results and (s.dates or s.duration_days):
            keep = [i for i in keep if i.name in (*_CALENDAR, "find_facilities")] or keep
            # "What about May instead?" after a hold: look at May again; a new hold is the user's call.
            keep = [_synthetic("check_availability", u.text) if i.name == "hold_slot" else i for i in keep]
            if m.facilities or m.focus.get("facility"):
                # The facility is known now; do not search for it again.
                keep = [i for i in keep if i.name != "find_facilities"] or [
                    _synthetic("check_availability", u.text)
                ]
        u.intents = keep
        u.slots = overlay(base, s)
        u.carried = True
        return
    if s.record_ids or s.references:
        u.follow_up = True
        if (
            s.references
            and m.last_list == "window"
            and re.search(r"hold|book|reserve|预约|预留|订", u.text, re.I)
        ):
            u.intents = [_synthetic("hold_slot", u.text)]
        else:
            u.intents = [_synthetic("get_record", u.text)]
        return
    agreed = re.fullmatch(
        r"\s*(?:yes|yes please|ok|okay|sure|go ahead|do it|please do|好的?|可以|行|是的?|嗯|确定|没问题)[.!。！ ]*",
        u.text,
        re.I,
    )
    if agreed and m.windows and not m.holds:
        # "yes" right after a calendar answer that offered to hold the first window.
        u.follow_up = True
        u.intents = [_synthetic("hold_slot", u.text)]


def _synthetic(name: str, text: str) -> Intent:
    return Intent(name=name, start=0, trigger="", clause=text, clause_start=0, strong=False, scope=text)


_FILLER = re.compile(
    r"^(?:please|pls|can you|could you|and|also|then|so|ok|okay|请|麻烦|帮我|谢谢|好的|然后|再|还有|另外|并且|的|了|吧|呢|吗)$",
    re.I,
)


def _leftovers(text: str, u: Understanding) -> list[str]:
    """Clauses with neither a job nor a detail we could use: what to tell the user we did not understand."""
    masked = mask(text, u.slots.consumed)
    out: list[str] = []
    intent_clauses = {i.clause_start for i in u.intents}
    # A policy question is free text: all of its clauses go into the search query, so none is "not understood".
    span = _policy_span(u)
    policy_spans = [span] if span else []
    for start, clause in split_clauses(masked):
        if start in intent_clauses or u.carried or u.follow_up:
            continue
        if any(a <= start < b for a, b in policy_spans):
            continue
        original = text[start : start + len(clause)].strip()
        if detect_intents(original) or extract_slots(original, u.today).consumed:
            continue
        words = re.findall(r"[A-Za-z]{3,}|[\u4e00-\u9fff]{2,}", clause)
        if not words or all(_FILLER.match(w) for w in words):
            continue
        out.append(original)
    return out


def _policy_span(u: Understanding) -> tuple[int, int] | None:
    """Where the policy question is in the message: from its first cue clause (or the message start, when
    no other job comes first) to the next clause with another job. "Under the SOE measures, how much can one
    person receive, and how large can the dividend pool be?" is one question over several clauses."""
    first = next((i for i in u.intents if i.name == "policy"), None)
    if first is None or u.carried or u.follow_up or not first.scope:
        return None
    others = [i.clause_start for i in u.intents if i.name != "policy"]
    start = first.clause_start if any(c < first.clause_start for c in others) else 0
    end = min((c for c in others if c > first.clause_start), default=len(u.text))
    return start, end


class BuiltinPlanner:
    """Rule-based bilingual planner and responder (the default; no model needed).

    With `settings`, organisation and facility names are looked up in that knowledge base so
    "draft a licence with 中砺动力电池有限公司" works like naming ORG-0002; `names` overrides the
    source (tests). Without either, only ids and references are understood.
    """

    def __init__(self, settings: Settings | None = None, names: NameSource | None = None) -> None:
        self.names: NameSource | None = names or (kb_names(settings) if settings is not None else None)

    def plan(self, inp: PlannerInput) -> Plan:
        lang = inp.lang
        u = understand(inp, self.names)
        chain = _Chain(inp, u)
        jobs = [i for i in u.intents if i.name not in ("help", "thanks")]
        notes: list[str] = []
        if jobs:
            names = _job_names(jobs, u)
            notes.append(t("note.understood", lang, what=" → ".join(intent_label(n, lang) for n in names)))
        if u.carried:
            notes.append(t("note.context", lang))
        if u.not_understood:
            notes.append(
                t("note.not_understood", lang, what=t("sep", lang).join(f"“{x}”" for x in u.not_understood))
            )
        if not jobs:
            return Plan(answer_now=True, lang=lang, note=" ".join(notes), frame=_next_frame(inp, u, [], None))
        _expand(chain, jobs, u)
        notes.extend(chain.notes)
        note = " ".join(dict.fromkeys(notes))
        job_names: list[str] = list(dict.fromkeys(i.name for i in jobs))
        if chain.questions and (not chain.steps or not inp.results):
            # Ask before acting: the answer would repeat this turn's steps anyway.
            key = chain.question_keys[0]
            pending = PendingQuestion(key=key, slot=QUESTION_SLOTS.get(key, "record"), jobs=job_names)
            return Plan(
                clarification=" ".join(chain.questions),
                lang=lang,
                note=note,
                frame=_next_frame(inp, u, job_names, pending),
            )
        frame = _next_frame(inp, u, job_names, None)
        if inp.steps_left <= 0 or not chain.steps:
            if inp.steps_left <= 0 and chain.steps:
                note = " ".join(x for x in (note, t("note.budget", lang)) if x)
            return Plan(answer_now=True, lang=lang, note=note, frame=frame)
        return Plan(steps=chain.steps[: inp.steps_left], lang=lang, note=note, frame=frame)

    def respond(self, inp: RespondInput) -> Response:
        from agent.builtin.respond import respond

        return respond(inp, self)


def _next_frame(
    inp: PlannerInput, u: Understanding, jobs: list[str], pending: PendingQuestion | None
) -> Frame:
    """The dialogue frame this turn leaves: its jobs and slots (follow-ups already overlaid)."""
    from agent.builtin.jobs import BY_INTENT

    calendar = any(BY_INTENT[j].frame_calendar for j in jobs if j in BY_INTENT)
    return inp.frame.advance(inp.turn, jobs, u.slots, calendar=calendar, pending=pending)


def _job_names(jobs: list[Intent], u: Understanding) -> list[str]:
    names: list[str] = [i.name for i in jobs]
    calendar_words = bool(u.slots.dates or u.slots.duration_days)
    if (
        "find_facilities" in names
        and calendar_words
        and "check_availability" not in names
        and "hold_slot" not in names
    ):
        names.insert(names.index("find_facilities") + 1, "check_availability")
    return names


def _expand(chain: _Chain, jobs: list[Intent], u: Understanding) -> None:
    """Walk the jobs in the user's order, each built by its job module (agent/builtin/jobs/); a job
    marked `once` (the calendar chain: facility search, availability, hold; the policy question) is
    built once per message."""
    from agent.builtin.jobs import BY_INTENT

    done: set[str] = set()
    for intent in jobs:
        spec = BY_INTENT.get(intent.name)
        if spec is None:
            continue
        if spec.once:
            if spec.name in done:
                continue
            done.add(spec.name)
        spec.build(chain, intent, jobs)
