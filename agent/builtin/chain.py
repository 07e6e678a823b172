"""The chain of tool steps a plan is built from, and what the jobs resolve along it.

`Chain` walks the jobs' steps: a step that already ran this turn is matched to its result
(first unused result of the same tool), else it is scheduled and its value is PENDING. The
resolution helpers (achievement, facilities, partner, booking reference) are shared by the jobs
in `agent/builtin/jobs/`, which build their steps on it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from agent.builtin.describe import describe, describe_possessive
from agent.builtin.intents import Intent
from agent.builtin.slots import Reference, Slots, extract_slots, find_record_ids, mask
from agent.builtin.texts import kind_label, t
from agent.plan import PlanStep
from agent.planner import PlannerInput, StepResult
from knowledge.domains import domain_label
from knowledge.regions import region_label

if TYPE_CHECKING:
    from agent.builtin.planner import Understanding


class _Pending:
    """A value that depends on a step that has not run yet."""

    def __repr__(self) -> str:
        return "PENDING"


PENDING = _Pending()


_FACILITY_KIND_WORDS: list[tuple[str, str]] = [
    ("pilot_line", r"pilot[-\s]?(?:line|plant|production)|中试线|中试产线|中试生产线|中试基地|中试平台|中试"),
    (
        "testbed",
        r"test[-\s]?bed|testing (?:facility|site|centre|center)|测试平台|试验平台|测试基地|试验场|测试中心",
    ),
    ("demonstration_site", r"demonstration|示范"),
    ("lab", r"\blab(?:orator(?:y|ies))?s?\b|实验室"),
]


class Chain:
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
        if focus and not self._own_lookup(focus):
            self.achievement = focus
            self.achievement_domain = m.domains.get(focus)
            return focus
        return None

    def _own_lookup(self, rid: str) -> bool:
        """Whether `rid` is in focus only because this turn's own lookup ("Find the achievement X refers to")
        listed it first: whether to take that hit is `resolve_described`'s call, not the focus's. A listing the
        user asked for in this message ("suggest some, then draft with the best") still puts its top in focus."""
        if asks_for_achievements(self.u.intents):
            return False
        for r in self.results:
            hits = r.result.get("hits") if r.ok and r.tool == "search_achievements" else None
            if hits and isinstance(hits[0], dict) and hits[0].get("id") == rid:
                return True
        return False

    def resolve_described(self, text: str, *, for_write: bool = False) -> str | _Pending | None:
        """An achievement described in words, not named ("the sepsis microfluidic POC thing", "标的是硫化物电解质那个
        成果"): a visible search, and its top hit when it is close to the words (else None: asked about). For a
        document drafted on it (`for_write`) the words must also be found in the record (`is_worded_match`)."""
        query = describe(text)
        if not query:
            return None
        r = self.step(
            "search_achievements", {"query": query, "k": 5}, t("sum.resolve_achievement", self.lang, q=query)
        )
        if isinstance(r, _Pending):
            return PENDING
        hits = (r.result.get("hits") or []) if r.ok else []
        if not hits or not isinstance(hits[0], dict) or is_loose_match(hits[0]):
            return None
        top = hits[0]
        if for_write and not is_worded_match(top):
            return None
        rid = str(top.get("id"))
        self.notes.append(
            t("note.assumed_achievement", self.lang, q=query, id=rid, title=str(top.get("title") or ""))
        )
        return rid

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
        listed = self._listed_by_words()
        if listed is not None:
            self.facilities = [listed]
            return self.facilities
        if ids:
            if explicit_search:
                # The search the user asked for is shown; the facility they named in words is checked.
                self.search_facilities(intent)
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
        # A field named or implied by the topic words ("a perovskite coating line") is worth a search.
        if cs.domains or cs.domain_hints or self.u.slots.domains or self.achievement is not None:
            self.facilities = self.search_facilities(intent)
            return self.facilities
        return None

    def _listed_by_words(self) -> str | None:
        """ "吉林那个…能排上吗", "Haitang's: free for 10 days?", "朔方那个监测井…": a facility of the list an earlier turn
        showed, picked by its owner (an organisation the message names) or its region, before any facility
        the words alone would link to. None without such a list or such words, or with a facility id typed."""
        s = self.u.slots
        if find_record_ids(self.u.text) or not self.inp.history:
            return None
        owners = set(s.ids("ORG"))
        regions = set(s.regions) | set(s.region_hints)
        if not owners and not regions:
            return None
        turns = [r.turn for r in self.inp.history if r.tool == "find_facilities" and r.ok]
        if not turns:
            return None
        items = [
            it
            for r in self.inp.history
            if r.tool == "find_facilities" and r.ok and r.turn == max(turns)
            for it in r.result.get("facilities") or []
            if isinstance(it, dict) and isinstance(it.get("id"), str)
        ]
        for key, wanted in (("owner_id", owners), ("region", regions)):
            hits = [str(it["id"]) for it in items if it.get(key) in wanted]
            if hits:
                return hits[0]
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
        # A region naming the facility ("the Gansu test field", "国澄浙江的MEMS线") still narrows its search.
        region = _first(cs.regions or s.regions or cs.region_hints or s.region_hints)
        regions = list(dict.fromkeys(cs.regions or s.regions))
        if len(regions) > 1:
            # "陕西或者吉林", "Shaanxi or Zhejiang": one search over all regions, the asked ones first.
            region = None
        what_text = (
            describe_possessive(self._masked_text())
            or self.achievement_title
            or _facility_need(self._masked_text())
        )
        args: dict[str, Any] = {
            "domain": domain,
            "kind": kind,
            "region": region,
            "text": what_text,
            "k": 10 if len(regions) > 1 else 5,
        }
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
        items = r.result.get("facilities") if r.ok else None
        if len(regions) > 1 and isinstance(items, list):
            region_of = {str(it.get("id")): it.get("region") for it in items if isinstance(it, dict)}
            found = [f for f in found if region_of.get(f) in regions] or found
        owners = set(s.ids("ORG"))
        owned = [
            str(it.get("id"))
            for it in items or []
            if isinstance(it, dict) and it.get("owner_id") in owners and str(it.get("id")) in found
        ]
        if owned:
            # "澄湖理工的中试线", "Chenghu's perovskite line": the named owner's own facilities come first.
            found = [*owned, *(f for f in found if f not in owned)]
            top = owned[:3]
        else:
            top = _close_to_top(items, found)[:3]
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

    def listing_pending(self, *tools: str) -> bool:
        """Whether a step of one of `tools` is scheduled in this message and has not run yet: a later job
        that takes its top result ("suggest achievements, then draft with the best match") waits for it."""
        return any(v is PENDING and k.startswith(tools) for k, v in self.cache.items())

    def ran(self, tool: str) -> StepResult | None:
        """The next unused result of `tool` from this turn, without using it."""
        return next((r for i, r in enumerate(self.results) if i not in self.used and r.tool == tool), None)

    def find_partners(self, intent: Intent) -> None:
        """Rank partners (the partners job), e.g. to pick a term sheet's counterparty."""
        from agent.builtin.jobs.partners import find_partners

        find_partners(self, intent)


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


def asks_for_achievements(jobs: list[Intent]) -> bool:
    """Whether the message asks for a list of achievements itself. Otherwise an achievement search this turn ran
    is the planner's own lookup of a described record (`Chain._own_lookup`, and how `jobs/search.py` shows it)."""
    return any(j.name in ("search_achievements", "find_achievements") for j in jobs)


KEYWORD_TOP = 3
"""A described achievement a term sheet is drafted on must be among the keyword ranker's best few as well as
close in meaning. On the training pool's one-job drafts that name no record the linker finds (82 messages), taking
the top hit on meaning alone drafted on the wrong record or on stray words ("morning! can you draft term sheets?")
31 times and on the right one 18; with this gate 10 and 13, the rest asked which achievement."""


def is_worded_match(hit: Any) -> bool:
    """Whether the keyword ranker also found a search hit among its best few (the user's words are in it)."""
    rank = hit.get("keyword_rank") if isinstance(hit, dict) else None
    return isinstance(rank, int) and rank <= KEYWORD_TOP


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
