"""Release or confirm a hold, list bookings (`release_hold`, `confirm_booking`, `list_bookings`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

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


def list_bookings(self: Chain) -> None:
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


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    if intent.name == "list_bookings":
        list_bookings(chain)
    else:
        release_or_confirm(chain, intent.name)


# --- the answer ------------------------------------------------------------------


def _booking_change(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    fac = f"{o.cite(res.get('facility_id'), res.get('facility_name'))} {res.get('facility_name', '')}".strip()
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


def _bookings(o: Out, r: StepResult) -> None:
    """list_bookings: this conversation's holds, or a facility's upcoming bookings."""
    lang = o.lang
    rows = [b for b in r.result.get("bookings") or [] if isinstance(b, dict)]
    fac_id = r.args.get("facility_id")
    if fac_id:
        head = _l(lang, f"Upcoming bookings of {o.cite(fac_id)}:", f"{o.cite(fac_id)} 的预订：")
        empty = _l(lang, f"{o.cite(fac_id)} has no upcoming bookings.", f"{o.cite(fac_id)} 目前没有预订。")
    else:
        head = _l(lang, "Holds and bookings in this conversation:", "本次对话中的预留和预订：")
        empty = _l(lang, *_NO_BOOKINGS)
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
        name = f" {b['facility_name']}" if b.get("facility_name") else ""
        o.add(
            _l(
                lang,
                f"- {b.get('reference')}: {o.cite(b.get('facility_id'), b.get('facility_name'))}{name}, "
                f"{b.get('start')} to {b.get('end')} (end exclusive, {b.get('days')} days), {status}{until}; "
                f"quote {money(b.get('quote_cny'), lang)}",
                f"- {b.get('reference')}：{o.cite(b.get('facility_id'), b.get('facility_name'))}{name}，"
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
