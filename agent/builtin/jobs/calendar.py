"""The calendar chain: find facilities → check availability → hold a slot (one chain per message).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from agent.builtin.chain import PENDING, Chain, _Pending
from agent.builtin.dates import DateRange
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _kind, _l, _when, _window, money
from agent.builtin.slots import find_record_ids
from agent.builtin.texts import t
from agent.planner import StepResult
from knowledge.regions import region_label


def find_facilities_only(self: Chain, intent: Intent) -> None:
    if self.facilities is None:
        self.facilities = self.search_facilities(intent)


def availability(
    self: Chain, intent: Intent, *, hold: bool, explicit_search: bool
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
    carried = days is None and self.u.carried_days is not None and dates is not None
    if carried:
        # "What about May instead?" after a two-week check (or a hold of one): the same stay in May.
        days = self.u.carried_days
    if hold and dates is None and days is None:
        self.ask("ask.hold_dates")
        return None
    if hold and days is None:
        self.ask("ask.hold_days")
        return None
    if carried:
        self.notes.append(t("note.carried_days", self.lang, days=days))
    elif days is None:
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
    if isinstance(r, StepResult) and r.ok and not r.result.get("first_available") and self.more_facilities:
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


def hold(self: Chain, intent: Intent, *, explicit_search: bool) -> None:
    s, m = self.u.slots, self.u.memory
    check = availability(self, intent, hold=True, explicit_search=explicit_search)
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
    # "hold FAC-… for ORG-…": the organisation named in this turn is who the hold is for
    # (the tool checks it against the knowledge base).
    orgs = [r for r in s.record_ids if r.startswith("ORG-")]
    if orgs:
        args["holder_id"] = orgs[0]
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


# A question asking which facility, not about one: "which", "any", "is there", "looking for", "哪些", "找".
_WHICH = re.compile(
    r"\b(?:which|any|is there|are there|looking for|where|find|suggest|recommend)\b|哪些|哪家|哪个|哪里|找|推荐",
    re.I,
)


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    """Calendar jobs (facility search, availability, hold) form one chain, built once per message."""
    u = chain.u
    names = [i.name for i in jobs]
    calendar_words = bool(u.slots.dates or u.slots.duration_days)
    wants_hold = "hold_slot" in names
    wants_calendar = (
        wants_hold or "check_availability" in names or ("find_facilities" in names and calendar_words)
    )
    # "Which pilot lines can do silicon photonics packaging? and are any free mid-January?": the user asks
    # for the facilities, so the search runs (and is shown) even when the linker read a facility in the
    # words (or a name: "Is there a hydrogen refuelling station we could use…?" asks which, whatever the
    # words match); a facility id typed, or a name with no search question ("固态电池中试线三月有档期吗"),
    # makes it unnecessary.
    facs = u.slots.ids("FAC")
    typed = {rid for rid, _ in find_record_ids(u.text)}
    described = {lk.id for lk in u.links if lk.kind == "facility" and lk.how not in ("id", "name")}
    explicit = "find_facilities" in names and not (typed & set(facs))
    explicit = explicit and (all(f in described for f in facs) or bool(_WHICH.search(u.text)))
    explicit = explicit or u.facility_described
    if wants_hold:
        hold(chain, intent, explicit_search=explicit)
    elif wants_calendar:
        availability(chain, intent, hold=False, explicit_search=explicit)
    else:
        find_facilities_only(chain, intent)


# --- the answer ------------------------------------------------------------------


def _find_facilities(o: Out, r: StepResult, *, relaxed: StepResult | None = None) -> None:
    """`relaxed`: the planner's retry without kind and region after this search found nothing."""
    lang = o.lang
    fac = r.result.get("facilities") or []
    if relaxed is not None and relaxed.ok and relaxed.result.get("facilities"):
        # One sentence instead of "nothing matched" followed by a list that seems to contradict it.
        filters = [
            x
            for x in (
                _kind(r.args["kind"], lang) if r.args.get("kind") else None,
                region_label(str(r.args["region"]), lang) if r.args.get("region") else None,
            )
            if x
        ]
        what = (", " if lang == "en" else "，").join(filters)
        o.add(
            _l(
                lang,
                f"No facility matched every filter ({what}); the closest ones of any kind and region follow.",
                f"没有完全符合条件（{what}）的设施；以下是不限类型和地区的最接近设施。",
            )
        )
        return
    if not fac:
        o.add(_l(lang, "No facility matched.", "没有找到符合条件的设施。"))
    else:
        o.add(_l(lang, "Facilities:", "候选设施："))
        for i, f in enumerate(fac[:5], 1):
            if not isinstance(f, dict):
                continue
            o.add(
                _l(
                    lang,
                    f"{i}. {o.named(f.get('id'), f.get('name'))} — {_kind(f.get('kind'), lang)}, {region_label(str(f.get('region', '')), lang)}, "
                    f"{money(f.get('daily_rate_cny'), lang)}/day, min {f.get('min_days')} days, lead time {f.get('lead_time_days')} days",
                    f"{i}. {o.named(f.get('id'), f.get('name'))} — {_kind(f.get('kind'), lang)}，{region_label(str(f.get('region', '')), lang)}，"
                    f"{money(f.get('daily_rate_cny'), lang)}/天，最短 {f.get('min_days')} 天，需提前 {f.get('lead_time_days')} 天",
                )
            )
    if r.result.get("note"):
        o.add(str(r.result["note"]))


def _edited_hold_after(r: StepResult, results: list[StepResult]) -> StepResult | None:
    """A later hold on a checked facility whose dates the user changed at approval.

    The windows found before the edit no longer answer the question; repeating them next to the
    edited hold read as if the old dates still applied.
    """
    checked = {fr.get("facility_id") for fr in r.result.get("results") or [] if isinstance(fr, dict)}
    for x in results[results.index(r) + 1 :]:
        if x.tool == "hold_slot" and x.approval == "edited" and x.args.get("facility_id") in checked:
            return x
    return None


def _dates_changed(o: Out, r: StepResult, hold: StepResult) -> None:
    lang = o.lang
    a = hold.args
    o.add(
        _l(
            lang,
            f"You changed the dates at approval: {a.get('facility_id')} from {a.get('start')} for {a.get('days')} days "
            f"(instead of a window in {r.result.get('earliest_start')} – {r.result.get('latest_end')}).",
            f"您在批准时修改了日期：{a.get('facility_id')} 自 {a.get('start')} 起 {a.get('days')} 天"
            f"（原查询范围 {r.result.get('earliest_start')} 至 {r.result.get('latest_end')}）。",
        )
    )


def _check_availability(o: Out, r: StepResult, *, continued: bool = False) -> None:
    """`continued`: the planner's second check of facilities further down the search, after the
    best matches had no window in the range."""
    lang = o.lang
    res = r.result
    o.add(
        _l(
            lang,
            "Further down the list, same dates:"
            if continued
            else f"Availability {res.get('earliest_start')} – {res.get('latest_end')}:",
            "其他候选设施（同一时间范围）："
            if continued
            else f"档期查询（{res.get('earliest_start')} 至 {res.get('latest_end')}）：",
        )
    )
    for fr in res.get("results") or []:
        if not isinstance(fr, dict):
            continue
        head = o.named(fr.get("facility_id"), fr.get("name"))
        windows = [w for w in fr.get("windows") or [] if isinstance(w, dict)]
        if windows:
            o.add(
                _l(
                    lang,
                    f"- {head}: free windows of {fr.get('days')} days:",
                    f"- {head}：可用的连续 {fr.get('days')} 天窗口：",
                )
            )
            for w in windows:
                o.add(f"  • {_window(w, fr.get('daily_rate_cny'), lang)}")
        else:
            nxt = fr.get("next_window")
            if isinstance(nxt, dict):
                o.add(
                    _l(
                        lang,
                        f"- {head}: no free window of {fr.get('days')} days in that range; the earliest later window is {_window(nxt, fr.get('daily_rate_cny'), lang)}.",
                        f"- {head}：该时间范围内没有连续 {fr.get('days')} 天的空档；最早可用窗口为 {_window(nxt, fr.get('daily_rate_cny'), lang)}。",
                    )
                )
            else:
                o.add(_l(lang, f"- {head}: no free window found.", f"- {head}：没有找到空档。"))
        if fr.get("lead_time_days") and str(fr.get("earliest_allowed_start")) > str(
            res.get("earliest_start")
        ):
            # Only worth saying when the lead time moved the earliest start.
            o.add(
                _l(
                    lang,
                    f"  Lead time {fr.get('lead_time_days')} days (earliest start {fr.get('earliest_allowed_start')}).",
                    f"  需提前 {fr.get('lead_time_days')} 天预订（最早 {fr.get('earliest_allowed_start')} 开始）。",
                )
            )


def _hold(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    fac = o.named(res.get("facility_id"), res.get("facility_name"))
    # Who the hold is for, when the user named an organisation (the conversation is not a party).
    party = (
        f"{o.cite(res.get('holder_id'), res.get('holder'))} {res.get('holder', '')}".strip()
        if res.get("holder_id")
        else ""
    )
    o.add(
        _l(
            lang,
            f"Held {fac}{f' for {party}' if party else ''} from {res.get('start')} to {res.get('end')} "
            f"(end exclusive, {res.get('days')} days). "
            f"Reference {res.get('reference')}; the hold expires at {_when(res.get('expires_at'))} unless confirmed. "
            f"Quote: {money(res.get('quote_cny'), lang)}.",
            f"已{f'为 {party} ' if party else ''}暂留 {fac}：{res.get('start')} 至 {res.get('end')}（不含结束日，共 {res.get('days')} 天）。"
            f"预订编号 {res.get('reference')}；未确认的暂留将于 {_when(res.get('expires_at'))} 失效。报价：{money(res.get('quote_cny'), lang)}。",
        )
    )


def render_facilities(o: Out, r: StepResult, ctx: RenderContext) -> None:
    results = ctx.results
    later = [x for x in results[results.index(r) + 1 :] if x.tool == "find_facilities"]
    empty = not (r.result.get("facilities") or [])
    _find_facilities(o, r, relaxed=later[0] if empty and later else None)


def render_availability(o: Out, r: StepResult, ctx: RenderContext) -> None:
    results = ctx.results
    edited = _edited_hold_after(r, results)
    if edited is not None:
        _dates_changed(o, r, edited)
    else:
        i = results.index(r)
        prev = results[i - 1] if i else None
        same = ("earliest_start", "latest_end", "days")
        continued = bool(
            prev is not None
            and prev.tool == "check_availability"
            and prev.ok
            and all(prev.args.get(k) == r.args.get(k) for k in same)
        )
        _check_availability(o, r, continued=continued)


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    if r.tool == "find_facilities":
        render_facilities(o, r, ctx)
    elif r.tool == "check_availability":
        render_availability(o, r, ctx)
    else:
        _hold(o, r)


SPEC = JobSpec(
    name="calendar",
    intents=("find_facilities", "check_availability", "hold_slot"),
    tools=("find_facilities", "check_availability", "hold_slot"),
    required_slots=("facility", "dates", "duration_days", "window"),
    question_keys=(
        "ask.invalid_date",
        "ask.reversed_dates",
        "ask.zero_days",
        "ask.facility",
        "ask.hold_dates",
        "ask.hold_days",
        "ask.only_one_window",
        "ask.no_such_window",
    ),
    build=build,
    render=render,
    once=True,
    frame_calendar=True,
)
