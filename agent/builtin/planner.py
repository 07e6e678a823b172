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

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from agent.builtin.dates import DateRange
from agent.builtin.describe import describe, describe_possessive
from agent.builtin.intents import Intent, detect_intents, split_clauses
from agent.builtin.memory import Memory, build_memory
from agent.builtin.names import NameSource, find_names, kb_names
from agent.builtin.policy_topics import expand_policy_query
from agent.builtin.slots import Reference, Slots, extract_slots, find_record_ids, mask
from agent.builtin.texts import deal_label, intent_label, kind_label, t
from agent.frame import QUESTION_SLOTS, Frame, PendingQuestion, overlay
from agent.plan import Plan, PlanStep
from agent.planner import PlannerInput, RespondInput, Response, StepResult
from knowledge.config import Settings
from knowledge.domains import domain_label
from knowledge.regions import region_label


class _Pending:
    """A value that depends on a step that has not run yet."""

    def __repr__(self) -> str:
        return "PENDING"


PENDING = _Pending()

# Jobs that need the booking calendar.
_CALENDAR = ("check_availability", "hold_slot")
_FACILITY_KIND_WORDS: list[tuple[str, str]] = [
    ("pilot_line", r"pilot[-\s]?(?:line|plant|production)|中试线|中试产线|中试生产线|中试基地|中试平台|中试"),
    (
        "testbed",
        r"test[-\s]?bed|testing (?:facility|site|centre|center)|测试平台|试验平台|测试基地|试验场|测试中心",
    ),
    ("demonstration_site", r"demonstration|示范"),
    ("lab", r"\blab(?:orator(?:y|ies))?s?\b|实验室"),
]


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
    {"royalty_rate_pct", "upfront_fee_cny", "equity_share_pct", "appraised_value_cny", "profit_share_pct"}
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


# --- chain building ----------------------------------------------------------------------------


class _Chain:
    """Walks the jobs' steps, matching results of this turn and collecting the steps still to run."""

    def __init__(self, inp: PlannerInput, u: Understanding) -> None:
        self.inp = inp
        self.u = u
        self.lang = u.lang
        self.results = list(inp.results)
        self.used: set[int] = set()
        self.steps: list[PlanStep] = []
        self.cache: dict[str, StepResult | _Pending] = {}
        self.questions: list[str] = []
        self.question_keys: list[str] = []
        self.notes: list[str] = []
        # Values resolved along the way and shared between jobs.
        self.achievement: str | _Pending | None = None
        self.achievement_domain: str | _Pending | None = None
        self.achievement_title: str | None = None
        self.loose_description: str | None = None  # "my X" that matched no stored achievement closely
        self.partners: list[str] | _Pending | None = None
        self.facilities: list[str] | _Pending | None = None
        self.more_facilities: list[str] = []
        """Facilities the search found below the close-to-top ones: checked when those have no
        window in the range asked (instead of offering only a much later date)."""
        self.hold_ref: str | _Pending | None = None

    # -- steps --

    def step(
        self, tool: str, args: dict[str, Any], summary: str, *, says_pending: bool = False
    ) -> StepResult | _Pending:
        """The result of this step if it ran this turn; else schedule it and return PENDING.

        `says_pending`: the summary already says it waits for an earlier step ("hold the first
        free window"), so no "(after the previous step)" suffix is added.
        """
        key = tool + json.dumps(args, sort_keys=True, default=repr, ensure_ascii=False)
        if key in self.cache:
            return self.cache[key]
        for i, r in enumerate(self.results):
            if i not in self.used and r.tool == tool:
                self.used.add(i)
                self.cache[key] = r
                return r
        clean = {k: v for k, v in args.items() if v is not None and v is not PENDING and v != []}
        n = len(self.inp.results) + len(self.steps) + 1
        summary_text = (
            summary
            if says_pending or not any(v is PENDING for v in args.values())
            else f"{summary} {t('later', self.lang)}"
        )
        self.steps.append(PlanStep(id=f"t{self.inp.turn}-s{n}", tool=tool, args=clean, summary=summary_text))
        self.cache[key] = PENDING
        return PENDING

    def ask(self, key: str, **kw: object) -> None:
        q = t(key, self.lang, **kw)
        if q not in self.questions:
            self.questions.append(q)
            self.question_keys.append(key)

    # -- resolution helpers --

    def clause_slots(self, intent: Intent) -> Slots:
        """Slots of the job's own part of the message (its clause and the detail clauses after it)."""
        scope = intent.scope or intent.clause
        return extract_slots(scope, self.u.today) if scope else self.u.slots

    def refs(self, kind: str, primary: bool) -> list[Reference]:
        """References that may point at `kind`: typed ones of that kind, untyped ones when `kind` is the job's main object."""
        return [r for r in self.u.slots.references if r.kind == kind or (r.kind is None and primary)]

    def resolve_achievement(self, primary: bool) -> str | _Pending | None:
        if self.achievement is not None:
            return self.achievement
        s, m = self.u.slots, self.u.memory
        ids = s.ids("ACH")
        if ids:
            self.achievement = ids[0]
            self.achievement_domain = m.domains.get(ids[0])
            if self.achievement_domain is not None:
                self.achievement_title = m.names.get(ids[0])  # describes it to the facility search
            return self.achievement
        for ref in self.refs("achievement", primary):
            v = m.resolve(ref, "achievement")
            if isinstance(v, str):
                self.achievement = v
                self.achievement_domain = m.domains.get(v)
                return v
        own = describe_possessive(self._masked_text())
        if own:
            r = self.step(
                "search_achievements", {"query": own, "k": 5}, t("sum.resolve_achievement", self.lang, q=own)
            )
            if isinstance(r, _Pending):
                self.achievement = self.achievement_domain = PENDING
                return PENDING
            hits = (r.result.get("hits") or []) if r.ok else []
            if hits and is_loose_match(hits[0]):
                # Nothing stored is that technology: match the description itself rather than
                # stand in someone else's record (the answer says so).
                self.loose_description = own
                return None
            if hits:
                top = hits[0]
                self.achievement = str(top.get("id"))
                self.achievement_domain = top.get("domain")
                self.achievement_title = str(top.get("title") or "")
                self.notes.append(
                    t(
                        "note.assumed_achievement",
                        self.lang,
                        q=own,
                        id=self.achievement,
                        title=self.achievement_title,
                    )
                )
                return self.achievement
            return None
        focus = m.focus.get("achievement")
        if focus:
            self.achievement = focus
            self.achievement_domain = m.domains.get(focus)
            return focus
        return None

    def achievement_domain_from_tools(self, ach: str) -> str | _Pending | None:
        """The domain of a named achievement whose domain no result has shown yet.

        Pilot lines are searched by domain: without it "为ACH-0002（CCUS）查中试线" listed battery
        lines. The partner search of this turn reports the domain, so the facility search waits
        for it; without one, the record is looked up.
        """
        if any(st.tool == "find_partners" and st.args.get("achievement_id") == ach for st in self.steps):
            return PENDING
        r = self.step("get_record", {"record_id": ach}, t("sum.get_record", self.lang, id=ach))
        if isinstance(r, _Pending):
            return PENDING
        rec = r.result.get("record") if r.ok else None
        if isinstance(rec, dict):
            if not self.achievement_title and isinstance(rec.get("title"), str):
                self.achievement_title = rec["title"]
            if isinstance(rec.get("domain"), str):
                self.achievement_domain = rec["domain"]
                return self.achievement_domain
        return None

    def _masked_text(self) -> str:
        return mask(self.u.text, self.u.slots.details)

    def facility_kind(self, text: str) -> str | None:
        for kind, pat in _FACILITY_KIND_WORDS:
            if re.search(pat, text, re.I):
                return kind
        return None

    def resolve_facilities(self, intent: Intent, *, explicit_search: bool) -> list[str] | _Pending | None:
        """Facility ids for a calendar job: named, referred to, searched for, or the one in focus."""
        if self.facilities is not None:
            return self.facilities
        s, m = self.u.slots, self.u.memory
        ids = s.ids("FAC")
        if ids:
            self.facilities = ids
            return ids
        for ref in self.refs("facility", primary=True):
            v = m.resolve(ref, "facility")
            if isinstance(v, str):
                self.facilities = [v]
                return self.facilities
        for ref in [r for r in s.references if r.kind == "window"]:
            w = m.resolve(ref, "window")
            if w is not None:
                self.facilities = [w.facility_id]
                return self.facilities
        if explicit_search:
            self.facilities = self.search_facilities(intent)
            return self.facilities
        focus = m.focus.get("facility")
        if focus:
            self.facilities = [focus]
            return self.facilities
        cs = self.clause_slots(intent)
        if cs.domains or self.u.slots.domains or self.achievement is not None:
            self.facilities = self.search_facilities(intent)
            return self.facilities
        return None

    def search_facilities(self, intent: Intent) -> list[str] | _Pending | None:
        cs = self.clause_slots(intent)
        s = self.u.slots
        domain: str | _Pending | None = _first(cs.domains or s.domains)
        if domain is None and self.achievement is None:
            m = self.u.memory
            refers = any(
                isinstance(m.resolve(ref, "achievement"), str)
                for ref in self.refs("achievement", primary=True)
            )
            if s.ids("ACH") or refers:
                # "为ACH-0002查中试线" / "查一下它的中试档期": lines for that achievement's domain.
                self.resolve_achievement(primary=True)
        if domain is None and self.achievement is not None:
            domain = self.achievement_domain
            if domain is None and isinstance(self.achievement, str):
                domain = self.achievement_domain_from_tools(self.achievement)
        kind = self.facility_kind(intent.clause) or self.facility_kind(self.u.text)
        region = _first(cs.regions or s.regions)
        what_text = (
            describe_possessive(self._masked_text())
            or self.achievement_title
            or _facility_need(self._masked_text())
        )
        args: dict[str, Any] = {"domain": domain, "kind": kind, "region": region, "text": what_text, "k": 5}
        what = ", ".join(
            x
            for x in (
                domain_label(domain, self.lang) if isinstance(domain, str) else None,
                kind_label(kind, self.lang) if kind else None,
                region_label(region, self.lang) if isinstance(region, str) else None,
            )
            if x
        )
        summary = t("sum.find_facilities", self.lang, what=f" ({what})" if what else "")
        r = self.step("find_facilities", args, summary)
        if isinstance(r, _Pending):
            return PENDING
        found = _ids(r.result.get("facilities"), "id") if r.ok else []
        if not found and r.ok and (kind or region):
            # Nothing with every filter: drop the facility kind and region, keep the domain.
            relaxed = {**args, "kind": None, "region": None}
            r2 = self.step("find_facilities", relaxed, t("sum.find_facilities", self.lang, what=""))
            if isinstance(r2, _Pending):
                return PENDING
            found = _ids(r2.result.get("facilities"), "id") if r2.ok else []
            r = r2
        top = _close_to_top(r.result.get("facilities") if r.ok else None, found)[:3]
        self.more_facilities = [f for f in found if f not in top][:3]
        return top or None

    def resolve_partner(self, intent: Intent) -> str | _Pending | None:
        s, m = self.u.slots, self.u.memory
        orgs = s.ids("ORG")
        if orgs:
            return orgs[0]
        for ref in self.refs("organisation", primary=True):
            v = m.resolve(ref, "organisation")
            if isinstance(v, str):
                return v
        if self.partners is not None:
            return (
                self.partners[0]
                if isinstance(self.partners, list) and self.partners
                else (PENDING if isinstance(self.partners, _Pending) else None)
            )
        achs = s.ids("ACH")
        if m.focus.get("organisation") and (not achs or achs[0] == m.focus.get("achievement")):
            # The organisation in focus belongs to the deal in focus: a draft for another named
            # achievement ranks its own partners instead of reusing the last counterparty.
            return m.focus["organisation"]
        # Nobody named: rank partners first and take the top match.
        self.find_partners(intent)
        if isinstance(self.partners, _Pending):
            return PENDING
        return self.partners[0] if self.partners else None

    # -- jobs --

    def find_partners(self, intent: Intent) -> None:
        if self.partners is not None:
            return
        cs = self.clause_slots(intent)
        s = self.u.slots
        own = self._own_tech_with_figures(cs)
        ach = None if own else self.resolve_achievement(primary=True)
        args: dict[str, Any] = {
            "kinds": list(cs.org_kinds or s.org_kinds) or None,
            "region": _first(cs.regions),
            "k": 5,
            "lang": self.lang,
        }
        trl = cs.trl or s.trl
        if ach is None:
            need = (
                self.loose_description
                or (describe_possessive(self._masked_text()) if own else "")
                or describe(mask(intent.clause, cs.details))
                or describe(self._masked_text())
            )
            if not need:
                self.ask("ask.achievement")
                return
            args.update(
                need=need,
                domain=_first(cs.domains or s.domains),
                trl=trl.min if trl else None,
                asking_price_cny=_first_money(cs, s),
            )
            subject = f"“{need}”"
        else:
            args["achievement_id"] = ach
            subject = ach if isinstance(ach, str) else ""
        summary = (
            t("sum.find_partners", self.lang, subject=subject)
            if subject
            else t("sum.find_partners_pending", self.lang)
        )
        r = self.step("find_partners", args, summary, says_pending=not subject)
        if isinstance(r, _Pending):
            self.partners = PENDING
            return
        if r.ok and not r.result.get("matches") and args.get("region"):
            # Nobody in that region: rank across all regions (the answer says the region was dropped).
            relaxed = {**args, "region": None}
            r2 = self.step(
                "find_partners", relaxed, t("sum.find_partners_any_region", self.lang, subject=subject)
            )
            if isinstance(r2, _Pending):
                self.partners = PENDING
                return
            r = r2
        self.partners = _ids(r.result.get("matches"), "org_id") if r.ok else []
        if r.ok and isinstance(r.result.get("achievement_id"), str):
            self.achievement = self.achievement or r.result["achievement_id"]

    def _own_tech_with_figures(self, cs: Slots) -> bool:
        """The user describes their own technology and states its TRL or price ("我们有一项…，
        TRL 6，报价800万元") without naming a record: match that description with those figures.
        Resolving it to the closest stored achievement would rank partners on someone else's
        TRL and price."""
        s, m = self.u.slots, self.u.memory
        if self.achievement is not None or s.ids("ACH"):
            return False
        # "…at TRL 6. Who would license it?": "it" is the technology just described unless it
        # points at an achievement of an earlier answer.
        if any(isinstance(m.resolve(r, "achievement"), str) for r in self.refs("achievement", primary=True)):
            return False
        if (cs.trl or s.trl) is None and _first_money(cs, s) is None:
            return False
        return bool(describe_possessive(self._masked_text()))

    def find_achievements(self, intent: Intent) -> None:
        cs = self.clause_slots(intent)
        orgs = cs.ids("ORG")
        if not orgs and not (cs.domains or cs.trl or cs.money):
            # "ORG-0002想要什么样的技术？帮我找几个成果": the organisation is named in another clause.
            orgs = self.u.slots.ids("ORG")
        args: dict[str, Any] = {
            "domains": cs.domains or None,
            "trl_min": cs.trl.min if cs.trl else None,
            "trl_max": cs.trl.max if cs.trl else None,
            "budget_cny": cs.money[0] if cs.money else None,
            "region": _first(cs.regions),
            "k": 5,
            "lang": self.lang,
        }
        if orgs:
            args["org_id"] = orgs[0]
            q = orgs[0]
        else:
            need = _need_text(intent.clause, cs) or _need_text(self.u.text, self.u.slots)
            if not need:
                self.ask("ask.need")
                return
            args["need"] = need
            q = need
        self.step("find_achievements_for_need", args, t("sum.find_achievements", self.lang, q=_short(q)))

    def search_achievements(self, intent: Intent) -> None:
        cs = self.clause_slots(intent)
        masked = mask(intent.clause, cs.details)
        query = (
            describe(masked)
            or " ".join(domain_label(d, self.lang) for d in cs.domains)
            or intent.clause.strip()
        )
        args: dict[str, Any] = {
            "query": query,
            "domain": cs.domains[0] if len(cs.domains) == 1 else None,
            "trl_min": cs.trl.min if cs.trl else None,
            "trl_max": cs.trl.max if cs.trl else None,
            "region": _first(cs.regions),
            "k": 10,
        }
        self.step("search_achievements", args, t("sum.search_achievements", self.lang, q=_short(query)))

    def find_facilities_only(self, intent: Intent) -> None:
        if self.facilities is None:
            self.facilities = self.search_facilities(intent)

    def availability(
        self, intent: Intent, *, hold: bool, explicit_search: bool
    ) -> StepResult | _Pending | None:
        s, m = self.u.slots, self.u.memory
        if s.invalid_date is not None:
            # "2027年2月30日": never check or hold some other date instead.
            self.ask("ask.invalid_date", text=s.invalid_date)
            return None
        if s.reversed_range is not None:
            # "from March 10 to March 5": point the mistake out instead of guessing either date.
            self.ask(
                "ask.reversed_dates",
                start=s.reversed_range.start.isoformat(),
                end=s.reversed_range.end.isoformat(),
            )
            return None
        if s.duration_days is not None and s.duration_days < 1:
            # "0 days" is a typo, not a request for the facility's minimum: ask instead of guessing.
            self.ask("ask.zero_days")
            return None
        # "hold the second window" / "book it" right after a calendar answer: no need to check again.
        if hold and not s.dates and not s.duration_days and m.windows:
            return None
        facilities = self.resolve_facilities(intent, explicit_search=explicit_search)
        if facilities is None:
            self.ask("ask.facility")
            return None
        dates: DateRange | None = s.dates
        days = s.duration_days
        if days is None and dates is not None and dates.exact:
            days = dates.days
        if hold and dates is None and days is None:
            self.ask("ask.hold_dates")
            return None
        if hold and days is None:
            self.ask("ask.hold_days")
            return None
        if days is None:
            self.notes.append(t("note.no_days", self.lang))
        args: dict[str, Any] = {"days": days or 1}
        if isinstance(facilities, list):
            if len(facilities) == 1:
                args["facility_id"] = facilities[0]
            else:
                args["facility_ids"] = facilities
        else:
            args["facility_id"] = PENDING
        if dates is not None:
            args["earliest_start"] = dates.start.isoformat()
            end = dates.end or (dates.start + timedelta(days=days) if days else None)
            if end is not None:
                args["latest_end"] = end.isoformat()
        label = ", ".join(facilities) if isinstance(facilities, list) else "…"
        rng = f" {dates.start}–{dates.last_day or ''}" if dates else ""
        rng_zh = f"{dates.start}至{dates.last_day or ''}" if dates else "近期"
        summary = t(
            "sum.check_availability" if isinstance(facilities, list) else "sum.check_availability_pending",
            self.lang,
            facilities=label,
            days=days or 1,
            range=rng if self.lang == "en" else rng_zh,
        )
        r = self.step("check_availability", args, summary, says_pending=not isinstance(facilities, list))
        if (
            isinstance(r, StepResult)
            and r.ok
            and not r.result.get("first_available")
            and self.more_facilities
        ):
            # The best matches are booked in that range: look further down the search before
            # offering only their earliest later window.
            more, self.more_facilities = self.more_facilities, []
            wider = {k: v for k, v in args.items() if k not in ("facility_id", "facility_ids")}
            wider["facility_ids"] = more
            r2 = self.step(
                "check_availability",
                wider,
                t(
                    "sum.check_availability",
                    self.lang,
                    facilities=", ".join(more),
                    days=days or 1,
                    range=rng if self.lang == "en" else rng_zh,
                ),
            )
            if isinstance(r2, _Pending) or (r2.ok and r2.result.get("first_available")):
                return r2
        return r

    def hold(self, intent: Intent, *, explicit_search: bool) -> None:
        s, m = self.u.slots, self.u.memory
        check = self.availability(intent, hold=True, explicit_search=explicit_search)
        if self.questions:
            return
        window: dict[str, Any] | None = None
        facility: str | _Pending | None = None
        if isinstance(check, _Pending):
            facility = PENDING
        elif isinstance(check, StepResult):
            if not check.ok:
                return
            first = check.result.get("first_available")
            if isinstance(first, dict):
                window = first
                facility = check.result.get("first_available_facility") or check.args.get("facility_id")
            else:
                return  # no free window: the answer offers the earliest later one instead of holding
        else:
            # Hold a window from an earlier calendar answer: the one referred to, else the first.
            chosen = None
            for ref in [
                *self.refs("window", primary=True),
                *[r for r in s.references if r.kind == "facility"],
            ]:
                w = m.resolve(ref, "window") if ref.kind != "facility" else None
                if w is not None:
                    chosen = w
                    break
            ordinal = [r for r in self.refs("window", primary=True) if r.index is not None]
            if chosen is None and ordinal and m.windows:
                # "hold the second window" when the last answer offered one: never hold another.
                w0 = m.windows[0]
                if len(m.windows) == 1:
                    self.ask("ask.only_one_window", facility=w0.facility_id, first=w0.start.isoformat())
                else:
                    self.ask("ask.no_such_window", n=len(m.windows), first=w0.start.isoformat())
                return
            chosen = chosen or (m.windows[0] if m.windows else None)
            if chosen is None:
                self.ask("ask.hold_dates")
                return
            window = {"start": chosen.start.isoformat(), "days": chosen.days}
            facility = chosen.facility_id
        args: dict[str, Any] = {
            "facility_id": facility,
            "start": str(window["start"]) if window else PENDING,
            "days": int(window["days"]) if window else PENDING,
        }
        summary = (
            t("sum.hold_slot", self.lang, facility=facility, start=args["start"], days=args["days"])
            if window and isinstance(facility, str)
            else t("sum.hold_slot_pending", self.lang)
        )
        r = self.step("hold_slot", args, summary, says_pending=not (window and isinstance(facility, str)))
        if isinstance(r, _Pending):
            self.hold_ref = PENDING
        elif r.ok and isinstance(r.result.get("reference"), str):
            self.hold_ref = r.result["reference"]

    def booking_ref(self) -> str | _Pending | None:
        s, m = self.u.slots, self.u.memory
        if s.hold_refs:
            return s.hold_refs[0]
        if self.hold_ref is not None:
            return self.hold_ref
        for ref in [r for r in s.references if r.kind in ("hold", None)]:
            v = m.resolve(ref.model_copy(update={"kind": "hold"}), "hold")
            if isinstance(v, str):
                return v
        return m.holds[-1] if m.holds else None

    def ran(self, tool: str) -> StepResult | None:
        """The next unused result of `tool` from this turn, without using it."""
        return next((r for i, r in enumerate(self.results) if i not in self.used and r.tool == tool), None)

    def release_or_confirm(self, tool: str) -> None:
        done = self.ran(tool)
        # Once released, the hold is gone from memory: keep the reference the step ran with.
        ref = done.args.get("reference") if done is not None else self.booking_ref()
        if ref is None:
            self.ask("ask.hold_ref")
            return
        key = "sum.release_hold" if tool == "release_hold" else "sum.confirm_booking"
        if not isinstance(ref, str):
            key += "_pending"
        self.step(tool, {"reference": ref}, t(key, self.lang, ref=ref), says_pending=key.endswith("_pending"))

    def list_bookings(self) -> None:
        """A facility's upcoming bookings when one is named, else this conversation's holds."""
        s = self.u.slots
        facilities = s.ids("FAC")
        if facilities:
            fac = facilities[0]
            self.step(
                "list_bookings",
                {"facility_id": fac},
                t("sum.list_bookings_facility", self.lang, facility=fac),
            )
            return
        refs = list(s.hold_refs)
        for r in [*self.inp.history, *self.inp.results]:
            ref = r.result.get("reference") if r.ok else None
            if r.tool in ("hold_slot", "release_hold", "confirm_booking") and isinstance(ref, str):
                refs.append(ref)
        if refs:  # none yet: the answer says so without a tool call
            self.step(
                "list_bookings",
                {"references": list(dict.fromkeys(refs))},
                t("sum.list_bookings", self.lang),
            )

    def draft(self, intent: Intent) -> None:
        s = self.u.slots
        base = self.u.redraft or {}
        ach = base.get("achievement_id") or self.resolve_achievement(primary=False)
        if ach is None:
            self.ask("ask.achievement")
            return
        orgs = s.ids("ORG")
        partner = orgs[0] if orgs else (base.get("licensee") or self.resolve_partner(intent))
        deal = s.deal_type or base.get("deal_type")
        if deal is None:
            deal = "nonexclusive_license"
            self.notes.append(t("note.assumed_deal", self.lang))
        royalty = s.percent("royalty")
        others = [p.value for p in s.percentages if p.role == "other"]
        if royalty is None and deal in ("exclusive_license", "nonexclusive_license") and others:
            royalty = others[0]
        money = s.money[0] if s.money else None
        args: dict[str, Any] = {
            "deal_type": deal,
            "achievement_id": ach,
            "licensee": partner,
            "royalty_rate_pct": royalty,
            "inventor_share_pct": s.percent("inventor_share"),
            "term_years": s.term_years,
            "lang": self.lang,
        }
        if deal == "equity_investment":
            args["equity_share_pct"] = s.percent("equity")
            args["appraised_value_cny"] = money
        elif deal == "joint_development":
            args["profit_share_pct"] = s.percent("equity") or (others[0] if others else None)
        else:
            args["upfront_fee_cny"] = money
        if s.unit_rule:
            # "Our university's rule gives inventors 20%": the unit's rule (Art. 44), not the statutory default.
            args["inventor_rule"] = "unit_rule"
            if re.search(r"\bpublish(?:ed)?\b|已公开|已经公开|公开发布|已公示", self.u.text, re.I):
                args["unit_rule_published"] = True
        # SOE incentives granted alongside the deal, checked against the 财资〔2016〕4号 caps.
        args["soe_enterprise_size"] = s.enterprise_size
        args["equity_incentive_total_pct"] = s.percent("incentive_total")
        args["equity_incentive_max_individual_pct"] = s.percent("incentive_individual")
        args["dividend_pool_pct"] = s.percent("dividend_pool")
        if base:
            # A variation of the last draft: its terms stand unless this message changes them (a
            # new deal type drops the old type's economics).
            before = str(base.get("deal_type"))
            new_deal = _DEAL_FAMILY.get(str(deal), str(deal)) != _DEAL_FAMILY.get(before, before)
            kept = {k: v for k, v in base.items() if not (new_deal and k in _DEAL_ECONOMICS)}
            args = {**kept, **{k: v for k, v in args.items() if v is not None}}
        partner_label = partner if isinstance(partner, str) else "—"
        if not isinstance(ach, str):
            key = "sum.draft_pending_ach"
        elif partner is PENDING:
            key = "sum.draft_pending_partner"
        else:
            key = "sum.draft_term_sheet"
        summary = t(key, self.lang, deal=deal_label(deal, self.lang), ach=ach, partner=partner_label)
        self.step("draft_term_sheet", args, summary, says_pending=key != "sum.draft_term_sheet")

    def policy(self, intents: list[Intent]) -> None:
        clauses = [(i.scope or i.clause).strip() for i in intents if i.name == "policy"]
        span = _policy_span(self.u)
        if span is not None:
            clauses = [self.u.text[span[0] : span[1]].strip()]
        question = " ".join(clauses)
        if len(question) < 6:
            question = self.u.text.strip()
        query = expand_policy_query(question, self.lang)
        self.step(
            "search_policies",
            {"query": query, "k": 3, "lang": self.lang},
            t("sum.search_policies", self.lang, q=_short(question)),
        )

    def get_record(self) -> None:
        s, m = self.u.slots, self.u.memory
        ids = list(s.record_ids)
        for ref in s.references:
            kind = ref.kind or m.last_list
            if kind == "window":
                w = m.resolve(ref.model_copy(update={"kind": "window"}), "window")
                if w is not None:
                    ids.append(w.facility_id)
                continue
            if kind in ("achievement", "organisation", "facility"):
                v = m.resolve(ref.model_copy(update={"kind": kind}), kind)
                if isinstance(v, str):
                    ids.append(v)
        if not ids:
            self.ask("ask.record")
            return
        for rid in list(dict.fromkeys(ids))[:3]:
            self.step("get_record", {"record_id": rid}, t("sum.get_record", self.lang, id=rid))


_FACILITY_WORDS = re.compile(
    r"中试线|中试基地|中试平台|中试|试验线|试验平台|测试平台|示范基地|示范线|实验室|平台|基地|产线|生产线|设施|档期|空档|空闲|连续|"
    r"有空|做|进行|开展|可以|能|用|的|一个|一家|然后|再|在|给|它|预留|预约|预订|暂留|查|一下|看看|有没有|帮我|哪些|有|"
    r"pilot|lines?|testbeds?|test|beds?|labs?|laborator(?:y|ies)|facilit(?:y|ies)|"
    r"demonstration|sites?|free|windows?|slots?|calendar|schedule|days?|weeks?|months?|certified|find|need|"
    r"hold|book|reserve|then|it|there|any|available|next|this|that|[,.;:!?，。；：！？]+",
    re.I,
)


def _facility_need(text: str) -> str | None:
    """What the facility should be able to do, from the request ("做涂布的中试线" -> "涂布"), for
    ranking by similarity; None when only facility and calendar words remain."""
    d = describe(text)
    if not d:
        return None
    from knowledge.bm25 import words  # jieba: whole words, so "性能测试" does not lose "能"

    # Single Chinese characters left over (月, 天 around masked dates) carry no meaning here.
    rest = " ".join(
        w for w in words(d) if not _FACILITY_WORDS.fullmatch(w) and not re.fullmatch(r"[\u4e00-\u9fff]", w)
    )
    latin = re.findall(r"[A-Za-z]{3,}", rest)
    cjk = re.findall(r"[\u4e00-\u9fff]", rest)
    return rest if len(cjk) >= 2 or latin else None


LOOSE_SIMILARITY = 0.28
"""Below this cosine the best search hit is not the technology the user described: on the sample
corpus the same technology scores 0.30-0.60 ("PEM electrolyser stack" 0.35, "固态电池" 0.35),
unrelated ones 0.20-0.26 ("perovskite module process" -> a subsea control module, 0.26)."""


def is_loose_match(hit: Any) -> bool:
    """Whether a search hit is too far from the query to stand for what the user described."""
    sim = hit.get("similarity") if isinstance(hit, dict) else None
    return isinstance(sim, int | float) and sim < LOOSE_SIMILARITY


def _close_to_top(items: Any, ids: list[str], ratio: float = 0.8) -> list[str]:
    """Facilities scoring near the best one: checking a weak match's calendar only adds noise."""
    scores = {str(it.get("id")): float(it.get("score") or 0.0) for it in items or [] if isinstance(it, dict)}
    top = max((scores.get(i, 0.0) for i in ids), default=0.0)
    if top <= 0:
        return ids
    return [i for i in ids if scores.get(i, 0.0) >= ratio * top]


def _first_money(*slots: Slots) -> float | None:
    for sl in slots:
        if sl.money:
            return sl.money[0]
    return None


def _first(*lists: list[str]) -> str | None:
    """The first item of the first non-empty list."""
    for xs in lists:
        if xs:
            return xs[0]
    return None


def _ids(items: Any, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(it[key]) for it in items if isinstance(it, dict) and isinstance(it.get(key), str)]


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


_NEED_FILLER = re.compile(
    r"^(?:\s*(?:hi|hello|please|we are|we're|i am|i'm|we|i|are|am|looking for|need|want|require|seek|find|me|us|"
    r"请|帮我|我们|我方|我司|本公司|公司|单位|企业|我厂|现在|目前|急需|需要|寻找|找|想要|希望|求购|征集|一种|一项|一个|一些|能|可以)\s*)+",
    re.I,
)


def _need_text(clause: str, s: Slots) -> str | None:
    """The need, nearly as written (embeddings like full sentences): fillers off the front, ids out."""
    text = mask(
        clause,
        [sp for sp in s.consumed if clause[sp[0] : sp[1]].upper().startswith(("ACH-", "ORG-", "FAC-"))],
    )
    text = _NEED_FILLER.sub("", text).strip(" ，。,.;；?？!！")
    return text if len(text) >= 2 else None


class BuiltinPlanner:
    """Rule-based bilingual planner and responder (the default; no model needed).

    With `settings`, organisation and facility names are looked up in that knowledge base so
    "draft a licence with 中砺动力电池有限公司" works like naming ORG-0002; `names` overrides the
    source (tests). Without either, only ids and references are understood.
    """

    def __init__(self, settings: Settings | None = None, names: NameSource | None = None) -> None:
        self.names: NameSource | None = names or (kb_names(settings) if settings is not None else None)

    def plan(self, inp: PlannerInput) -> Plan:
        return self.plan_from(inp, understand(inp, self.names))

    def understand(self, inp: PlannerInput) -> Understanding:
        """The builtin reading of the latest message (the LLM planner's fallback and cross-check)."""
        return understand(inp, self.names)

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
    calendar = bool(set(jobs) & {"find_facilities", "check_availability", "hold_slot"})
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
    """Walk the jobs in the user's order; calendar jobs (facility search, availability, hold) form one chain."""
    names = [i.name for i in jobs]
    calendar_words = bool(u.slots.dates or u.slots.duration_days)
    wants_hold = "hold_slot" in names
    wants_calendar = (
        wants_hold or "check_availability" in names or ("find_facilities" in names and calendar_words)
    )
    calendar_done = False
    policy_done = False
    for intent in jobs:
        n = intent.name
        if n in ("find_facilities", "check_availability", "hold_slot"):
            if calendar_done:
                continue
            calendar_done = True
            explicit = "find_facilities" in names and not u.slots.ids("FAC")
            if wants_hold:
                chain.hold(intent, explicit_search=explicit)
            elif wants_calendar:
                chain.availability(intent, hold=False, explicit_search=explicit)
            else:
                chain.find_facilities_only(intent)
        elif n == "find_partners":
            chain.find_partners(intent)
        elif n == "find_achievements":
            chain.find_achievements(intent)
        elif n == "search_achievements":
            chain.search_achievements(intent)
        elif n == "draft_term_sheet":
            chain.draft(intent)
        elif n in ("release_hold", "confirm_booking"):
            chain.release_or_confirm(n)
        elif n == "list_bookings":
            chain.list_bookings()
        elif n == "policy":
            if not policy_done:
                policy_done = True
                chain.policy(jobs)
        elif n == "get_record":
            chain.get_record()
