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

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from agent.builtin.chain import Chain as _Chain
from agent.builtin.describe import describe_possessive, names_a_thing
from agent.builtin.intents import Intent, detect_intents, split_clauses
from agent.builtin.memory import Kind, Memory, build_memory, listed_kind
from agent.builtin.named_spans import without_links
from agent.builtin.names import NameSource, find_names, kb_names
from agent.builtin.shifts import shifted
from agent.builtin.slots import Slots, _overlaps, extract_slots, find_record_ids, mask
from agent.builtin.spans import Span
from agent.builtin.texts import intent_label, t
from agent.frame import QUESTION_SLOTS, Frame, PendingQuestion, overlay
from agent.plan import Plan
from agent.planner import PlannerInput, RespondInput, Response
from agent.understanding.clarify import clarifying_question
from agent.understanding.combine import canonical
from agent.understanding.decide import bundled_decision, features
from agent.understanding.linking import Link, LinkSource, kb_links, kb_named
from agent.understanding.reading import Reading, read_message
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
    reading: Reading | None = None  # the classifier's reading of the message (None: no trained model)
    clarify: str | None = None  # the question naming the best two readings, when the reading is unsure
    links: list[Link] = field(default_factory=list)  # records named in words (not by id): note / question
    # The kind of list earlier results left for "the second one" / "it" to point into (memory.pointed).
    listed: Kind | None = None
    # A calendar job on a facility described in words nobody could link ("the battery abuse test lab"):
    # the calendar chain finds it with a facility search first. Not a job of its own: the user asked one thing.
    facility_described: bool = False
    # The stay length of the last calendar request ("Is FAC-0003 free for 2 weeks in April?"), for a calendar job
    # on this message that gives dates without a length ("What about May instead?"): the same stay, moved.
    carried_days: int | None = None
    # The decision model replaced the pipeline's jobs: they are taken as they are (no calendar check added).
    decided: bool = False


# The job each tool's result stands for, to give the classifier the previous turn's jobs from typed state.
_TOOL_JOB = {
    "find_partners": "find_partners",
    "find_achievements_for_need": "find_achievements",
    "search_achievements": "search_achievements",
    "find_facilities": "find_facilities",
    "check_availability": "check_availability",
    "hold_slot": "hold_slot",
    "release_hold": "release_hold",
    "confirm_booking": "confirm_booking",
    "list_bookings": "list_bookings",
    "draft_term_sheet": "draft_term_sheet",
    "search_policies": "policy",
    "get_record": "get_record",
}


def previous_user_text(inp: PlannerInput) -> str | None:
    users = [m.text for m in inp.messages if m.role == "user"]
    return users[-2] if len(users) >= 2 else None


def previous_jobs(inp: PlannerInput) -> list[str]:
    """The jobs of the previous request, from typed state: the dialogue frame's jobs, else the tools the last
    turn ran (never our rendered reply); with neither, the classifier reads the previous message itself."""
    framed = [j for j in inp.frame.jobs if j not in ("help", "thanks")]
    if framed:
        return canonical(framed)
    tools = [r.tool for r in inp.history if r.turn == inp.turn - 1]
    jobs = [_TOOL_JOB[t] for t in tools if t in _TOOL_JOB]
    if "search_achievements" in jobs and {"find_partners", "draft_term_sheet"} & set(jobs):
        jobs.remove("search_achievements")  # it resolved "my X" for the other job
    if jobs:
        return canonical(jobs)
    prev = previous_user_text(inp)
    if not prev:
        return []
    r = read_message(prev)
    return r.jobs if r is not None else [i.name for i in detect_intents(prev)]


def _aligned(jobs: list[str], regex: list[Intent], text: str) -> list[Intent]:
    """The classifier's jobs as intents: a job the rules also found keeps their clause and scope; one the
    rules missed gets the whole message. Ordered as written where a span is known."""
    by_name = {i.name: i for i in regex}
    spanned = sorted((by_name[j] for j in jobs if j in by_name), key=lambda i: i.start)
    out = list(spanned)
    for j in jobs:
        if j in by_name:
            continue
        # Without a span, a job goes before the first spanned job that comes after it in the labels' order
        # ("find partners" before "draft"; "find facilities" before the calendar).
        later = [k for k, i in enumerate(out) if i.name in by_name and _ORDER.index(i.name) > _ORDER.index(j)]
        out.insert(later[0] if later else len(out), _synthetic(j, text))
    return out


_WORDS = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def understand(
    inp: PlannerInput, names: NameSource | None = None, links: LinkSource | None = None
) -> Understanding:
    """Intents and slots of the latest user message, completed from the previous one when it is a follow-up;
    the jobs have the decision model's last word (agent/understanding/decide.py) when one is bundled."""
    u = read_turn(inp, names, links)
    decision = bundled_decision()
    if decision is not None:
        jobs, x = decision_input(u, inp)
        decided = decision.decide(x)
        if decided is not None and decided != jobs:
            regex = detect_intents(u.text)
            # The model's set passes the planner's own rules on what can be acted on: a lone lookup with
            # nothing to look up is chatter, a search beside a need match is its list, a figure of the draft
            # is a term not a policy question.
            intents = _aligned(decided, regex, u.text)
            if decided == ["get_record"] and _idle_lookup(u.text, u.slots, regex):
                intents = []
            intents = _drop_riders(intents, u.slots, earlier=bool(inp.history))
            # Our own bookings when no facility or stay is given ("what's on our calendar next month?"): the
            # model reads "calendar" as a facility's too. Neutral on W109-W124 (6,400 blind messages).
            intents = _drop_parameter_policy(_own_calendar(intents, u.slots))
            # `_deal_check` is not applied again here: a policy question the model keeps beside a concrete draft
            # ("draft it…; is 3% normal?") was asked, and dropping it cost 15 of 6,400 on W109-W124, none gained.
            u.intents = intents
            u.clarify = None
            u.decided = True
    return u


def _idle_lookup(text: str, slots: Slots, regex: list[Intent]) -> bool:
    """A lookup with no record named or pointed at, no lookup words ("tell me more") and nothing described
    that a lookup could find ("随便说点什么吧")."""
    return (
        not (slots.record_ids or slots.pointers())
        and not any(i.name == "get_record" for i in regex)
        and not names_a_thing(text)
    )


def decided_jobs(u: Understanding) -> list[str]:
    """The jobs a reading stands for, as the corpus labels them (the set the benches score): help and thanks
    only alone, a facility search with dates also a calendar check."""
    jobs = [i for i in u.intents if i.name not in ("help", "thanks")] or u.intents
    return canonical(_job_names(jobs, u)) if jobs else []


def decision_input(u: Understanding, inp: PlannerInput) -> tuple[list[str], list[float]]:
    """The pipeline's jobs for this turn and the decision model's features of it."""
    jobs = [] if u.clarify is not None else decided_jobs(u)
    prev = previous_jobs(inp)
    has_context = previous_user_text(inp) is not None or bool(prev)
    return jobs, features(u, jobs, u.clarify is not None, prev, has_context)


def read_turn(
    inp: PlannerInput, names: NameSource | None = None, links: LinkSource | None = None
) -> Understanding:
    """The pipeline's reading of the latest message: classifier, slots, linker and the rules after them."""
    today = date.fromisoformat(inp.today)
    text = last_user_text(inp)
    slots = extract_slots(text, today)
    if slots.shift is not None:
        # "往后推一周": the window of the last calendar request, moved.
        prev = (inp.frame.calendar or inp.frame.slots).dates or inp.frame.slots.dates
        if prev is not None:
            slots = slots.model_copy(update={"dates": shifted(prev, slots.shift)})
    regex = detect_intents(text)
    prev_jobs = previous_jobs(inp)
    has_context = previous_user_text(inp) is not None
    reading = read_message(text, prev_jobs, has_context=has_context)
    intents = regex if reading is None else _aligned(reading.jobs, regex, text)
    if (
        reading is not None
        and reading.jobs == ["get_record"]
        and not (slots.record_ids or slots.pointers())
        and (reading.guessed or reading.unsure or _idle_lookup(text, slots, regex))
    ):
        # A lookup with no record named or pointed at is chatter ("随便说点什么吧") when the model is unsure of it
        # (or guessed it under its threshold), or when only the model reads a lookup (no lookup words such as
        # "tell me more", which is asked "which record?") and the message describes nothing a lookup could find: the
        # help answer with examples serves it better than "which record?" or a search for "随便". Unseen W27-W36:
        # unsure as well as guessed, 3,459 -> 3,461 of 4,000, nothing broken; W47-W49 read by the W1-W46 model:
        # each of the five lone lookups naming no record describes one (a noun or a Latin term), none dropped.
        intents = []
    wordless = not prev_jobs and not _WORDS.search(text)
    if reading is not None and wordless:
        # "10", "？？" out of the blue: no words to read a job from (the model has only digits and the
        # punctuation); the help answer, not a guess or a question about two jobs.
        intents = []
    if reading is not None and prev_jobs and not regex and set(reading.jobs) <= set(prev_jobs):
        # The message has no job of its own and the model reads it as continuing the previous one ("what
        # about just the ones in Jiangsu?"): the follow-up path carries the previous request's details over.
        intents = []
    # Greetings and thanks never need the knowledge base (opening it may build the index).
    if (
        names is not None
        and links is None  # the linker reads names too (and says what it took)
        and text.strip()
        and not (intents and all(i.name in ("help", "thanks") for i in intents))
    ):
        slots = _with_names(text, slots, names)
    linked: list[Link] = []
    if (
        links is not None
        and text.strip()
        and not (intents and all(i.name in ("help", "thanks") for i in intents))
    ):
        slots, linked = _with_links(text, slots, links)
        if reading is not None and not reading.jobs and not intents and linked:
            # No job read, but a record named in words: read the message again as if its id had been typed
            # ("华东先进材料研究院碳纤维线几时有位" as "FAC-0011几时有位"). A long name or description fills most of
            # the message and drowns the few words that carry the job; the corpus has the same asks with ids.
            # Unseen writers: W59-W76 +9 net of 7,200, confirmed on W77-W84 (+4 of 3,200).
            typed = read_message(as_typed(text, linked), prev_jobs, has_context=has_context)
            if typed is not None and typed.jobs:
                reading = typed
                intents = _aligned(typed.jobs, regex, text)
    asked = _asked_policy(intents, text)
    intents = _drop_riders(intents, slots, earlier=bool(inp.history))
    intents = _own_calendar(intents, slots)
    facility_described = _described_facility(intents, regex, slots)
    if _calendar_change(reading, regex, slots, inp.frame, text):
        intents = []
    conditional = _conditional_hold(intents, text)
    if conditional is not None:
        intents = conditional
    intents = _drop_parameter_policy(intents)
    intents = _deal_check(intents, slots, text)
    if asked is not None and not any(i.name == "policy" for i in intents):
        # "…给个草案。另外国有资产作价入股要不要评估备案？": a question of its own next to the draft.
        intents = [*intents, asked]
    memory = build_memory([*inp.history, *inp.results])
    # What the results list, else what the previous request's jobs listed (the dialogue frame).
    listed = memory.last_list or listed_kind(prev_jobs, inp.frame.slots.record_ids)
    intents = _pointed_facility(intents, slots, listed)
    u = Understanding(
        text=text,
        lang=inp.lang,
        today=today,
        slots=slots,
        intents=intents,
        memory=memory,
        reading=reading,
        links=linked,
        listed=listed,
        facility_described=facility_described,
        carried_days=_last_stay(inp.frame),
    )
    _what_if_redraft(u, inp)
    jobs = [i for i in u.intents if i.name not in ("help", "thanks")]
    if not jobs:
        _follow_up(u, inp)
        if not u.intents and reading is not None and reading.jobs and set(reading.jobs) <= set(prev_jobs):
            # Nothing to carry over, but the model still reads the previous job: do it on this message.
            u.intents = _aligned(reading.jobs, [], text)
            u.carried = True
    decided = {i.name for i in u.intents} != set(reading.jobs) if reading is not None else True
    # "有空直接hold" / "if so lock it": the user said both, check and then hold; nothing to ask.
    decided = decided or conditional is not None
    # "check FAC-0001 from 2027-02-30": a check or a hold, the date that does not exist is asked about first
    # either way (calendar.availability); asking which of the two would only delay that question.
    bad_dates = u.slots.invalid_date is not None or u.slots.reversed_range is not None
    decided = decided or (
        bad_dates
        and reading is not None
        and set(reading.best or reading.jobs) | set(reading.alternative or []) <= set(_CALENDAR)
    )
    # ("thanks. oh and can u list what I have booked in Jan": small talk next to a job read outright is not
    # asked about; the reading itself does not count it as a rival, agent/understanding/reading.py.)
    if (
        reading is not None
        and reading.unsure
        and not (u.carried or u.follow_up or u.redraft or decided or wordless)
    ):
        # Asked only when the reading stands as the model left it: the follow-up, redraft and deal rules
        # above settle a message by its context or its figures.
        best = reading.best or reading.jobs
        u.clarify = clarifying_question(best, reading.alternative or [], inp.lang)
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
    if not (s.percentages or s.money or s.term_years or s.deal_type or s.licence):
        return
    if any(i.name not in ("policy", "draft_term_sheet", "help", "thanks") for i in u.intents):
        return
    base = dict(last[-1].args)
    if s.ids("ACH") and s.ids("ACH")[0] != base.get("achievement_id"):
        return  # another achievement: a new draft, not a variation
    u.redraft = base
    u.intents = [_synthetic("draft_term_sheet", u.text)]
    u.carried = True


def _drop_riders(intents: list[Intent], slots: Slots | None = None, *, earlier: bool = False) -> list[Intent]:
    """A catalogue search the model read from the whole message (no words of its own the rules recognise)
    next to a need match is that job's list, not a second job ("ORG-0002 needs LMFP; find achievements for
    it"); a search with words of its own (a trigger) stays.

    Every other job read next to another stays: a lookup, a policy question or a search riding along with
    another job is what the writers label ("…also how much is it per day", "what does Art. 45 say … and can
    you draft…"). Dropping those too lost on unseen writers: W27-W33 read with the model of W1-W26, 2,371 ->
    2,398 of 2,800 when only this rider is kept; W20-W26 with the model of W1-W19, 2,503 -> 2,509. Even a
    lookup with no record named or pointed at stays (dropping it: 2,398 -> 2,388): the record is described
    in words the linker did not resolve, and the lookup searches for it."""
    names = {i.name for i in intents}
    named = slots is None or bool(slots.record_ids or (earlier and slots.pointers()))
    return [
        i
        for i in intents
        if not (i.name == "search_achievements" and not i.trigger and "find_achievements" in names)
        # A policy question is about the law, not a record: a lookup read next to it with no record named or
        # pointed at has nothing to look up ("专利许可提成一般多少？").
        and not (i.name == "get_record" and not i.trigger and not named and "policy" in names)
    ]


def _own_calendar(intents: list[Intent], slots: Slots) -> list[Intent]:
    """ "What's on our calendar next month?" read as both "my bookings" and a facility's availability:
    with no facility named or pointed at and no length of stay, it is the user's own bookings."""
    names = {i.name for i in intents}
    if not {"list_bookings", "check_availability"} <= names or names & {"find_facilities", "hold_slot"}:
        return intents
    if slots.ids("FAC") or slots.duration_days is not None:
        return intents
    if any(r.kind == "facility" for r in slots.references):
        return intents
    return [i for i in intents if i.name != "check_availability"]


def _pointed_facility(intents: list[Intent], slots: Slots, listed: Kind | None) -> list[Intent]:
    """ "那家中试基地的详细信息", "tell me more about the second one" after a list of facilities: the facility is the
    one pointed at in that list, so looking it up needs no new facility search (a word like 中试基地 leans the
    reading towards one)."""
    names = {i.name for i in intents}
    if not {"find_facilities", "get_record"} <= names or listed not in ("facility", "window"):
        return intents
    if not slots.pointers() or slots.ids("FAC"):
        return intents
    return [i for i in intents if i.name != "find_facilities"]


def _calendar_change(
    reading: Reading | None, regex: list[Intent], slots: Slots, frame: Frame, text: str
) -> bool:
    """ "改成两周" after a detour, "What about May instead?" after a hold: a change of the last calendar request's
    dates or length (a change word, no record and no job words of its own) that the model reads as a calendar
    job. The follow-up path redoes that request with the change; a hold stays the user's call there. Neutral on
    unseen writers (W27-W36, and W37-W42 with the W1-W36 model: nothing fixed or broken, as their contexts
    hold one earlier turn); it keeps the dates of a request made before a detour."""
    if reading is None or regex or not reading.jobs or not set(reading.jobs) <= set(_CALENDAR):
        return False
    if frame.calendar is None or slots.record_ids or slots.pointers() or not _WHAT_IF.search(text):
        return False
    return bool(slots.dates or slots.duration_days)


def _last_stay(frame: Frame) -> int | None:
    """The length of the last calendar request: its stated length, else the length of its exact dates."""
    cal = frame.calendar
    if cal is None:
        return None
    if cal.duration_days is not None:
        return cal.duration_days if cal.duration_days >= 1 else None
    return cal.dates.days if cal.dates is not None and cal.dates.exact else None


def _described_facility(intents: list[Intent], regex: list[Intent], slots: Slots) -> bool:
    """ "ACH-0001的中试线明年5月两周有空吗", "is the Zhongli battery abuse test lab free next week?": a calendar job
    whose facility is described (the rules read facility words), not named, linked or pointed at, so the
    calendar chain finds it first. Writers label such a message with the calendar job alone (unseen W20-W26
    read by the old model: 2,493 -> 2,503 of 2,800 when the search is no longer a job of its own)."""
    names = {i.name for i in intents}
    if not names & {"check_availability", "hold_slot"} or "find_facilities" in names or slots.ids("FAC"):
        return False
    if any(r.kind == "facility" for r in slots.references):
        return False  # "that pilot line": the facility in focus
    return any(i.name == "find_facilities" for i in regex)


# A conditional clause followed closely by a hold verb: hold the window the check finds. Any "…的话" / "…嘅话"
# clause, "有空" / "得闲", and "if so", "if it is", "if there's a gap", "if free" ("有空直接hold", "空的话直接帮我占",
# "得嘅话帮我先占住", "if it is, just hold it"). Unseen W37-W46 (main's model): 3,593 -> 3,596 of 4,000 over the
# earlier list of phrases, nothing broken.
_CONDITIONAL_HOLD = re.compile(
    r"\bif\s+(?:so|yes|ok|possible|(?:it|that|this|they|one)(?:'s|\s+is|\s+are|\s+does|\s+works)?|free|open|available"
    r"|there(?:'s|\s+is|\s+are)\s+(?:an?\s+)?\w+)\b[^.?!]{0,30}?\b(?:hold|lock|book|reserve|pencil|grab)|"
    r"(?:有空|有位|有档期|得闲|(?:的|嘅)话)[^。？?！!]{0,8}?(?:hold|锁|预留|预约|占|订|book)",
    re.I,
)


_UNDECIDED = re.compile(r"考虑|再说|再定|再看|\b(?:consider|later|maybe|might)\b", re.I)


def _conditional_hold(intents: list[Intent], text: str) -> list[Intent] | None:
    """A calendar question with a hold on its answer ("星垣那个靶场1月份有空吗，要6天，有空直接hold"): the check,
    then the hold of the first free window (a WRITE the user approves). None when the message has no such hold."""
    names = {i.name for i in intents}
    if not names & {"check_availability", "hold_slot"} or not _CONDITIONAL_HOLD.search(text):
        return None
    if _UNDECIDED.search(text):
        return None  # "有空的话我再考虑预约": the hold is left for later
    if "hold_slot" in names:
        return intents
    at = next(k for k, i in enumerate(intents) if i.name == "check_availability")
    return [*intents[: at + 1], _synthetic("hold_slot", text), *intents[at + 1 :]]


_QUESTION = re.compile(
    r"[?？]|多少|什么|是否|能否|可否|吗|呢|怎么|如何|哪些|告诉|说明|解释|"
    r"\b(?:what|how|whether|which|tell\s+me|explain)\b|^\s*(?:is|are|does|do|can|could|may|must|should)\b",
    re.I,
)
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*%|百分之")


# A question sentence of its own: split at sentence ends, colons and dashes, the question mark kept.
_SENTENCE = re.compile(r"[^。.;；!！?？:：—\n]+[?？]?")
_RULE_WORDS = re.compile(
    r"\b(?:law|legal|lawful|rules?|regulations?|statut\w*|compliant|complian\w*|tax\w*|allowed|permitted)\b|"
    r"法|规定|合规|税|备案|评估|审批|允许",
    re.I,
)
_DRAFT_WORDS = re.compile(r"\bdraft|term sheet|起草|草案|条款|方案|拟", re.I)


def _asked_policy(intents: list[Intent], text: str) -> Intent | None:
    """The policy job the model read next to a draft, when the message asks a rule question in a sentence of
    its own ("Do we even need an appraisal at that size?", "问渠是事业单位，团队拿的奖励要交多少税？", "is 60%
    enough by law?"): kept whatever the rider and deal rules say. A bare "可以吗？" / "is that OK?" asks about
    the deal itself (the draft's findings answer it), and a sentence that drafts is not a question."""
    names = {i.name for i in intents}
    if not {"policy", "draft_term_sheet"} <= names:
        return None
    for m in _SENTENCE.finditer(text):
        sentence = m.group(0)
        if not _QUESTION.search(sentence) or _DRAFT_WORDS.search(sentence):
            continue
        if re.search(r"\d", sentence) and not _RULE_WORDS.search(sentence):
            continue  # "…占股20%，发明人团队拿40%，可以吗？": the deal's own terms, asked about
        words = re.findall(r"[\u4e00-\u9fff]|[A-Za-z]{2,}", sentence)
        if len(words) >= 4:
            return next(i for i in intents if i.name == "policy")
    return None


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
    concrete = bool(
        (slots.deal_type or slots.licence) and slots.ids("ACH") and (slots.percentages or slots.money)
    )
    if any(i.name == "draft_term_sheet" for i in intents):
        # The draft's findings answer "is this deal allowed?" with the articles; no separate policy search.
        # A policy clause of its own without the deal's figures ("…; what are the tax rules?") still searches;
        # a bare "可以吗？" / "is that OK?" asks about the deal itself.
        return [
            i
            for i in intents
            if not (
                concrete
                and i.name == "policy"
                and (not i.trigger or _FIGURE.search(i.clause) or len(re.findall(r"\w", i.clause)) <= 4)
            )
        ]
    if not concrete:
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


def as_typed(text: str, linked: list[Link]) -> str:
    """`text` with each record named in words replaced by its id, as if the user had typed it."""
    kept: list[tuple[Span, str]] = []
    # The longest mention wins where two overlap ("the carbon fibre line" over "carbon fibre").
    for lk in sorted(linked, key=lambda lk: -((lk.span[1] - lk.span[0]) if lk.span else 0)):
        if lk.span is not None and lk.how != "id" and not _overlaps(lk.span, [sp for sp, _ in kept]):
            kept.append((lk.span, lk.id))
    out = text
    for (a, b), rid in sorted(kept, reverse=True):
        out = f"{out[:a]}{rid}{out[b:]}"
    return out


def _with_links(text: str, slots: Slots, links: LinkSource) -> tuple[Slots, list[Link]]:
    """Slots with the records named in words added as if their ids had been typed (the best reading of
    an uncertain one too: the plan asks about it before any WRITE step and the note says what was taken)."""
    try:
        found = [lk for lk in links(text) if lk.how != "id"]
    except (
        Exception
    ):  # no knowledge base (e.g. a broken data dir): links are a convenience, not a requirement
        return slots, []
    typed = find_record_ids(text)
    have = {rid for rid, _ in typed} | set(slots.record_ids)
    found = [lk for lk in found if lk.id not in have]
    own = describe_possessive(text)
    if own:
        # "我们的硫化物固态电解质" / "my sulfide electrolyte" keeps its visible search step ("my X" → the best
        # hit, said in the answer), so the user sees which stored record their words were taken for.
        found = [lk for lk in found if not (lk.kind == "achievement" and lk.mention in own)]
    if not found:
        return slots, []
    end = len(text)
    ordered = sorted(
        [*[(rid, sp) for rid, sp in typed], *[(lk.id, lk.span or (end, end)) for lk in found]],
        key=lambda p: p[1],
    )
    ids = [*slots.record_ids, *(rid for rid, _ in ordered)]
    spans = [lk.span for lk in found if lk.span]
    slots = without_links(slots, text, found)
    return (
        slots.model_copy(
            update={
                "record_ids": list(dict.fromkeys(ids)),
                "consumed": sorted([*slots.consumed, *spans]),
                "details": sorted([*slots.details, *spans]),
            }
        ),
        found,
    )


def link_notes(u: Understanding) -> list[str]:
    """ "Taken as FAC-0001 华东先进材料研究院固态电池中试线." for each record named in words."""
    return [t("note.linked", u.lang, id=lk.id, name=lk.name) for lk in u.links]


def link_question(u: Understanding) -> str | None:
    """The uncertain link asked about, naming its best two readings."""
    for lk in u.links:
        if not lk.certain and lk.runner_up:
            return t(
                "ask.link",
                u.lang,
                mention=lk.mention,
                a=lk.id,
                an=lk.name,
                b=lk.runner_up,
                bn=lk.runner_up_name,
            )
    return None


# With a record named and no job read, the likeliest job is taken over the default lookup from this re-centred
# probability (0.5 = at its threshold); lookups, help and thanks are never "led" to.
NAMED_FLOOR = 0.1
_NOT_LED = ("get_record", "help", "thanks")


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
    has_slots = bool(
        s.dates or s.duration_days or s.record_ids or s.hold_refs or s.pointers() or s.deal_type or s.licence
    )
    prev_jobs = [j for j in frame.jobs if j not in ("help", "thanks")]
    # The model reads no job of its own (or only the previous one): a filter on the previous request
    # ("what about just the ones in Jiangsu?").
    model_follow = u.reading is not None and bool(prev_jobs) and set(u.reading.jobs) <= set(prev_jobs)
    filters = model_follow and bool(
        s.regions or s.org_kinds or s.trl or s.domains or s.money or s.percentages
    )
    has_slots = has_slots or filters
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
        and (not prev_turn_results or filters or ((s.dates or s.duration_days) and not s.record_ids))
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
            # Unless the model reads a hold in it ("make it 8 days", "再占一个，3月第一周"): the user's own verb.
            if not (u.reading is not None and "hold_slot" in u.reading.jobs):
                keep = [
                    _synthetic("check_availability", u.text) if i.name == "hold_slot" else i for i in keep
                ]
            if m.facilities or m.focus.get("facility"):
                # The facility is known now; do not search for it again.
                keep = [i for i in keep if i.name != "find_facilities"] or [
                    _synthetic("check_availability", u.text)
                ]
        u.intents = keep
        u.slots = overlay(base, s)
        u.carried = True
        return
    # "ok got it ty", "这个平台能干嘛": a pronoun in a message read as thanks or help points at nothing to look up.
    chat = u.reading is not None and bool(u.reading.jobs) and set(u.reading.jobs) <= {"help", "thanks"}
    if s.record_ids or (s.pointers() and not chat):
        u.follow_up = True
        if (
            s.pointers()
            and m.last_list == "window"
            and re.search(r"hold|book|reserve|预约|预留|订", u.text, re.I)
        ):
            u.intents = [_synthetic("hold_slot", u.text)]
        else:
            # A record named and no job read: a lookup of it, unless the model leans to another job at all
            # ("FAC-0062上我订了啥", "钢弹簧浮置板那个成果卖给谁合适"): a lookup is only the default, and the
            # job the words lean to is right far more often. Floor chosen on W59-W76 (+16 of 7,200, 3
            # lost), confirmed on W77-W84 (+9 of 3,200).
            lead = u.reading.likeliest(NAMED_FLOOR, skip=_NOT_LED) if u.reading is not None else None
            u.intents = [_synthetic(lead or "get_record", u.text)]
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


_ORDER: tuple[str, ...] = (
    "find_partners",
    "find_achievements",
    "search_achievements",
    "get_record",
    "find_facilities",
    "check_availability",
    "hold_slot",
    "release_hold",
    "confirm_booking",
    "list_bookings",
    "draft_term_sheet",
    "policy",
    "help",
    "thanks",
)


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
    if any(not i.trigger and i.scope == text for i in u.intents):
        return []  # a job the model read from the whole message: every clause is its detail
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


_WRITE_TOOLS = frozenset({"hold_slot", "release_hold", "confirm_booking"})


class BuiltinPlanner:
    """Rule-based bilingual planner and responder (the default; no model needed).

    With `settings`, organisation and facility names are looked up in that knowledge base so
    "draft a licence with 中砺动力电池有限公司" works like naming ORG-0002; `names` overrides the
    source (tests). Without either, only ids and references are understood.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        names: NameSource | None = None,
        links: LinkSource | None = None,
    ) -> None:
        self.names: NameSource | None = names or (kb_names(settings) if settings is not None else None)
        # Records named in words (near names, short forms, descriptions): the knowledge base's linker.
        self.links: LinkSource | None = links or (kb_links(settings) if settings is not None else None)
        # Records named exactly (ids, names, titles): not the user's words when deciding their language.
        self.named: Callable[[str], list[tuple[int, int]]] | None = (
            kb_named(settings) if settings is not None else None
        )
        if settings is not None:
            # The classifier encodes each message: load the encoder from the data dir's fast caches (0.1 s)
            # rather than parsing the wheel's files (1.1 s) when it runs before the knowledge base opens.
            from knowledge.embeddings import set_model_cache_dir

            set_model_cache_dir(settings.data_dir / "cache")

    def plan(self, inp: PlannerInput) -> Plan:
        return self.plan_from(inp, understand(inp, self.names, self.links))

    def named_spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` names a stored record exactly (its name, title or id)."""
        spans: list[tuple[int, int]] = []
        try:
            if self.names is not None:
                spans += [span for _, span in find_names(text, tuple(self.names()))]
            if self.named is not None:
                spans += self.named(text)
        except Exception:  # no knowledge base (e.g. a broken data dir): read the message as written
            logging.getLogger(__name__).debug(
                "record names unavailable for the message language", exc_info=True
            )
        return spans

    def understand(self, inp: PlannerInput) -> Understanding:
        """The builtin reading of the latest message (the LLM planner's fallback and cross-check)."""
        return understand(inp, self.names, self.links)

    def plan_from(self, inp: PlannerInput, u: Understanding) -> Plan:
        """The plan for a given reading: the job chains shared by the builtin and the LLM planner."""
        lang = inp.lang
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
        if u.clarify and not inp.results:
            # Unsure between two readings: ask which, naming both, before doing anything.
            return Plan(
                clarification=u.clarify, lang=lang, note=" ".join(notes), frame=_next_frame(inp, u, [], None)
            )
        if not jobs:
            return Plan(answer_now=True, lang=lang, note=" ".join(notes), frame=_next_frame(inp, u, [], None))
        _expand(chain, jobs, u)
        notes.extend(link_notes(u))
        notes.extend(chain.notes)
        note = " ".join(dict.fromkeys(notes))
        job_names: list[str] = list(dict.fromkeys(i.name for i in jobs))
        ask = link_question(u)
        if ask and any(s.tool in _WRITE_TOOLS for s in chain.steps):
            # An uncertain record is never booked or released on a guess: ask, naming both readings.
            pending = PendingQuestion(key="link", slot="record", jobs=job_names)
            return Plan(
                clarification=ask, lang=lang, note=note, frame=_next_frame(inp, u, job_names, pending)
            )
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
        not u.decided
        and "find_facilities" in names
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
