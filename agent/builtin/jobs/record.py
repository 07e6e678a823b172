"""Look up a record by id or reference (`get_record`).

Built on `Chain` (agent/builtin/chain.py); the plan-building functions take the chain as
`self` so their bodies read as the `_Chain` methods they were.
"""

from __future__ import annotations

from typing import Any

from agent.builtin.chain import PENDING, Chain, _Pending
from agent.builtin.intents import Intent
from agent.builtin.jobs.spec import JobSpec, RenderContext
from agent.builtin.memory import Kind, pointed
from agent.builtin.render import Out, _clip, _kind, _l, money, record_text
from agent.builtin.texts import t, transfer_mode_label
from agent.planner import StepResult
from knowledge.domains import domain_label
from knowledge.regions import region_label


def get_record(self: Chain, intent: Intent) -> None:
    s, m = self.u.slots, self.u.memory
    ids = list(s.record_ids)
    # Partners found for an achievement: "tell me more about it" is that achievement (memory.pointed).
    about: Kind | None = (
        "achievement" if m.last_list == "organisation" and m.focus.get("achievement") else None
    )
    for ref in pointed(s.references, self.u.listed, about):
        kind = ref.kind
        if kind == "window":
            w = m.resolve(ref.model_copy(update={"kind": "window"}), "window")
            if w is not None:
                ids.append(w.facility_id)
            continue
        if kind in ("achievement", "organisation", "facility"):
            v = m.resolve(ref.model_copy(update={"kind": kind}), kind)
            if isinstance(v, str):
                ids.append(v)
    if not ids and not pointed(s.pointers(), self.u.listed):
        # "tell me more about the sepsis microfluidic POC thing": the record described, found by a visible
        # search (a facility search when the words name a kind of facility) and taken when close.
        found = _described_record(self, intent)
        if isinstance(found, _Pending):
            return
        if found:
            ids.append(found)
    if not ids:
        self.ask("ask.record")
        return
    for rid in list(dict.fromkeys(ids))[:3]:
        self.step("get_record", {"record_id": rid}, t("sum.get_record", self.lang, id=rid))


def _described_record(self: Chain, intent: Intent) -> str | _Pending | None:
    text = self._masked_text()
    if self.facility_kind(text):
        found = self.resolve_facilities(intent, explicit_search=True)
        if isinstance(found, _Pending):
            return PENDING
        return found[0] if found else None
    return self.resolve_described(text)


def build(chain: Chain, intent: Intent, jobs: list[Intent]) -> None:
    s = chain.u.slots
    if s.hold_refs and not s.record_ids:
        # "查一下 BK-2027-0021 现在是什么状态": a booking is looked up by listing it, not as a record.
        if not any(j.name == "list_bookings" for j in jobs):
            from agent.builtin.jobs.bookings import list_bookings

            list_bookings(chain)
        return
    get_record(chain, intent)


# --- the answer ------------------------------------------------------------------


def _listed(items: list[Any], lang: str, en_sep: str = ", ", zh_sep: str = "、") -> str:
    """A record's list (processes, certifications), each item quoted when in the other language."""
    return _l(lang, en_sep, zh_sep).join(record_text(x, lang) for x in items)


def _record(o: Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    rec = res.get("record") or {}
    kind = res.get("kind")
    head = o.named(res.get("id"), res.get("title"))
    if kind == "achievement":
        o.add(
            _l(
                lang,
                f"{head} — {domain_label(str(rec.get('domain')), lang)}, TRL {rec.get('trl')}, {region_label(str(rec.get('region', '')), lang)}; owner {o.cite(rec.get('owner_id'))}.",
                f"{head} — {domain_label(str(rec.get('domain')), lang)}，TRL {rec.get('trl')}，{region_label(str(rec.get('region', '')), lang)}；权属方 {o.cite(rec.get('owner_id'))}。",
            )
        )
        if rec.get("summary"):
            o.add(f"   {record_text(rec['summary'], lang, 300)}")
        extra = []
        if rec.get("transfer_modes"):
            modes = [transfer_mode_label(str(m), lang) for m in rec["transfer_modes"]]
            extra.append(_l(lang, "transfer modes: ", "转化方式：") + _l(lang, ", ", "、").join(modes))
        if rec.get("asking_price_cny"):
            extra.append(_l(lang, "asking price ", "报价 ") + money(rec["asking_price_cny"], lang))
        if rec.get("ip"):
            extra.append(_l(lang, "IP: ", "知识产权：") + _l(lang, ", ", "、").join(rec["ip"][:4]))
        if extra:
            o.add("   " + _l(lang, "; ", "；").join(extra))
    elif kind == "organisation":
        o.add(
            _l(
                lang,
                f"{head} — {_kind(rec.get('kind'), lang)}, {region_label(str(rec.get('region', '')), lang)}; domains: {', '.join(domain_label(d, lang) for d in rec.get('domains') or [])}.",
                f"{head} — {_kind(rec.get('kind'), lang)}，{region_label(str(rec.get('region', '')), lang)}；领域：{'、'.join(domain_label(d, lang) for d in rec.get('domains') or [])}。",
            )
        )
        for need in (rec.get("needs") or [])[:3]:
            o.add(
                _l(lang, f"   Needs: “{_clip(need)}”", f"   需求：“{_clip(need)}”")
            )  # always the org's words
        if rec.get("capabilities"):
            o.add(
                _l(
                    lang,
                    f"   Capabilities: {record_text(rec['capabilities'], lang, 160)}",
                    f"   能力：{record_text(rec['capabilities'], lang, 160)}",
                )
            )
        if rec.get("investment_min_cny") or rec.get("investment_max_cny"):
            o.add(
                _l(
                    lang,
                    f"   Ticket: {money(rec.get('investment_min_cny'), lang)} – {money(rec.get('investment_max_cny'), lang)}",
                    f"   投资额度：{money(rec.get('investment_min_cny'), lang)} – {money(rec.get('investment_max_cny'), lang)}",
                )
            )
    elif kind == "facility":
        o.add(
            _l(
                lang,
                f"{head} — {_kind(rec.get('kind'), lang)}, {region_label(str(rec.get('region', '')), lang)}; {money(rec.get('daily_rate_cny'), lang)}/day, "
                f"min {rec.get('min_days')} days, lead time {rec.get('lead_time_days')} days; owner {o.cite(rec.get('owner_id'))}.",
                f"{head} — {_kind(rec.get('kind'), lang)}，{region_label(str(rec.get('region', '')), lang)}；{money(rec.get('daily_rate_cny'), lang)}/天，"
                f"最短 {rec.get('min_days')} 天，需提前 {rec.get('lead_time_days')} 天；所属机构 {o.cite(rec.get('owner_id'))}。",
            )
        )
        if rec.get("processes"):
            o.add(_l(lang, "   Processes: ", "   工艺：") + _listed(rec["processes"][:6], lang))
        if rec.get("certifications"):
            o.add(_l(lang, "   Certifications: ", "   资质：") + _listed(rec["certifications"], lang))
        if rec.get("prerequisites"):
            o.add(
                _l(lang, "   Prerequisites: ", "   前置条件：")
                + _listed(rec["prerequisites"], lang, "; ", "；")
            )
    else:
        o.add(head)


def render(o: Out, r: StepResult, ctx: RenderContext) -> None:
    _record(o, r)


SPEC = JobSpec(
    name="record",
    intents=("get_record",),
    tools=("get_record",),
    required_slots=("record",),
    question_keys=("ask.record",),
    build=build,
    render=render,
)
