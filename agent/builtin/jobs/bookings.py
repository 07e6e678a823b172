"""Release or confirm a hold, list bookings (`release_hold`, `confirm_booking`, `list_bookings`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

import re
from typing import Any

from agent.builtin.chain import Chain
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.render import Out, _l, _when, money
from agent.builtin.texts import booking_status_label, t
from agent.planner import StepResult


def release_or_confirm(self: Chain, tool: str) -> None:
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


# The states a message names ("confirmed ones", "已过期的"). A bare "holds" / "预留" is the
# general word for bookings, a state only beside another one ("holds and confirmed slots").
_STATUS_WORDS: tuple[tuple[str, str], ...] = (
    ("confirmed", r"\bconfirmed\b|已确认|已经确认|确认(?:了|过)?的"),
    ("expired", r"\bexpired\b|\blapsed\b|过期|失效"),
    ("cancelled", r"\bcancel+ed\b|\breleased\b|已取消|取消(?:了|掉)?的|已释放|释放(?:了|掉)?的"),
    ("held", r"\bheld\b|\bon\s+hold\b|\bpending\b|暂留中|已暂留|还在暂留"),
)
_HOLD_NOUN = r"(?<![a-z])holds?(?![a-z])|暂留|预留"
_ADDITIVE = r"\b(?:also|too|as well|includ\w*|plus|even)\b|顺便|也|包括|连同|还有|一并|一起"


def booking_filters(text: str, live_default: bool) -> dict[str, Any]:
    """The status filter a message about bookings names: {"statuses": [...]} or {} for none.

    `live_default`: the list shows held and confirmed bookings unless asked (a facility's);
    otherwise every state. "Also the expired ones" adds to the default instead of replacing it.
    """
    named = [st for st, rx in _STATUS_WORDS if re.search(rx, text, re.I)]
    if named and "held" not in named and re.search(_HOLD_NOUN, text, re.I):
        named.append("held")
    if not named:
        return {}
    if re.search(_ADDITIVE, text, re.I) and set(named) <= {"expired", "cancelled"}:
        if not live_default:
            return {}
        return {"statuses": ["held", "confirmed", *named], "include_past": True}
    return {"statuses": [st for st, _ in _STATUS_WORDS if st in named]}


def list_bookings(self: Chain) -> None:
    """A facility's upcoming bookings when one is named, else this conversation's bookings.

    Always a call, also when this conversation placed nothing: the tool is what knows. The
    states and dates the message names are the call's filters."""
    s = self.u.slots
    facilities = s.ids("FAC")
    filters = booking_filters(self.u.text, live_default=bool(facilities))
    if s.dates is not None:
        filters["start"] = s.dates.start.isoformat()
        if s.dates.end is not None:
            filters["end"] = s.dates.end.isoformat()
    if facilities:
        fac = facilities[0]
        self.step(
            "list_bookings",
            {"facility_id": fac, **filters},
            t("sum.list_bookings_facility", self.lang, facility=fac),
        )
        return
    refs = list(s.hold_refs)
    for r in [*self.inp.history, *self.inp.results]:
        ref = r.result.get("reference") if r.ok else None
        if r.tool in ("hold_slot", "release_hold", "confirm_booking") and isinstance(ref, str):
            refs.append(ref)
    # The references this conversation knows; with none, the tool lists what it placed.
    selector: dict[str, Any] = {"references": list(dict.fromkeys(refs))} if refs else {}
    self.step("list_bookings", {**selector, **filters}, t("sum.list_bookings", self.lang))


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    if intent.name == "list_bookings":
        list_bookings(chain)
    else:
        release_or_confirm(chain, intent.name)


# --- the answer ------------------------------------------------------------------


def _booking_change(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    fac = o.named(res.get("facility_id"), res.get("facility_name"))
    if r.tool == "release_hold":
        o.add(
            _l(
                lang,
                f"Released hold {res.get('reference')} on {fac} ({res.get('start')} to {res.get('end')}).",
                f"已释放 {fac} 的暂留 {res.get('reference')}（{res.get('start')} 至 {res.get('end')}）。",
            )
        )
    else:
        o.add(
            _l(
                lang,
                f"Confirmed booking {res.get('reference')} at {fac}: {res.get('start')} to {res.get('end')} (end exclusive), quote {money(res.get('quote_cny'), lang)}.",
                f"已确认预订 {res.get('reference')}：{fac}，{res.get('start')} 至 {res.get('end')}（不含结束日），报价{money(res.get('quote_cny'), lang)}。",
            )
        )


_NO_BOOKINGS = (
    "No holds or bookings in this conversation yet (`chengguo bookings list` shows every booking).",
    "本次对话中还没有预留或预订（`chengguo bookings list` 可查看全部预订）。",
)


def _filter_note(args: dict[str, Any], lang: str) -> str:
    """The filters a list ran with, for its heading: " (confirmed; 2027-01-01 to 2027-02-01)"."""
    parts: list[str] = []
    statuses = [str(x) for x in args.get("statuses") or []]
    if statuses:
        parts.append(_l(lang, " or ", "或").join(booking_status_label(x, lang) for x in statuses))
    start, end = args.get("start"), args.get("end")
    if start and end:
        parts.append(_l(lang, f"{start} to {end}", f"{start} 至 {end}"))
    elif start:
        parts.append(_l(lang, f"from {start}", f"{start} 起"))
    elif end:
        parts.append(_l(lang, f"before {end}", f"{end} 前"))
    if not parts:
        return ""
    return _l(lang, f" ({'; '.join(parts)})", f"（{'；'.join(parts)}）")


def _bookings(o: Out, r: StepResult) -> None:
    """list_bookings: this conversation's holds, or a facility's upcoming bookings."""
    lang = o.lang
    rows = [b for b in r.result.get("bookings") or [] if isinstance(b, dict)]
    fac_id = r.args.get("facility_id")
    only = _filter_note(r.args, lang)
    if fac_id:
        head = _l(lang, f"Upcoming bookings of {o.cite(fac_id)}{only}:", f"{o.cite(fac_id)} 的预订{only}：")
        empty = _l(
            lang,
            f"{o.cite(fac_id)} has no upcoming bookings{only}.",
            f"{o.cite(fac_id)} 目前没有预订{only}。",
        )
    else:
        head = _l(lang, f"Holds and bookings in this conversation{only}:", f"本次对话中的预留和预订{only}：")
        empty = (
            _l(
                lang,
                f"No holds or bookings in this conversation{only} (`chengguo bookings list` shows every booking).",
                f"本次对话中没有预留或预订{only}（`chengguo bookings list` 可查看全部预订）。",
            )
            if only
            else _l(lang, *_NO_BOOKINGS)
        )
    if not rows:
        o.add(empty)
        return
    o.add(head)
    for b in rows:
        status = booking_status_label(str(b.get("status")), lang)
        until = ""
        if b.get("status") == "held" and b.get("expires_at"):
            when = _when(b["expires_at"])
            until = _l(lang, f", until {when}", f"，{when} 前有效")
        o.add(
            _l(
                lang,
                f"- {b.get('reference')}: {o.named(b.get('facility_id'), b.get('facility_name'))}, "
                f"{b.get('start')} to {b.get('end')} (end exclusive, {b.get('days')} days), {status}{until}; "
                f"quote {money(b.get('quote_cny'), lang)}",
                f"- {b.get('reference')}：{o.named(b.get('facility_id'), b.get('facility_name'))}，"
                f"{b.get('start')} 至 {b.get('end')}（不含结束日，{b.get('days')} 天），{status}{until}；"
                f"报价 {money(b.get('quote_cny'), lang)}",
            )
        )
    missing = [str(x) for x in r.result.get("missing") or []]
    if missing:
        o.add(_l(lang, f"Not found: {', '.join(missing)}.", f"未找到：{'、'.join(missing)}。"))


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    if r.tool == "list_bookings":
        _bookings(o, r)
    else:
        _booking_change(o, r)


SPEC = JobSpec(
    name="bookings",
    intents=("release_hold", "confirm_booking", "list_bookings"),
    tools=("release_hold", "confirm_booking", "list_bookings"),
    required_slots=("booking_ref",),
    question_keys=("ask.hold_ref",),
    build=build,
    render=render,
)
