"""The builtin responder: the final answer, composed from this turn's tool results only.

Every fact shown carries its record id or policy citation; `citations` lists exactly the ids
and policy sections the text shows. Failed steps are explained in the user's language with
what to do next (the earliest later window, dates after today, a valid id).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from agent.builtin.planner import BuiltinPlanner, Understanding, is_loose_match, understand
from agent.builtin.texts import (
    EXAMPLES,
    STRENGTH_LABELS,
    booking_status_label,
    deal_label,
    kind_label,
    strength_label,
    t,
    transfer_mode_label,
)
from agent.events import Artifact, Citation
from agent.planner import RespondInput, Response, StepResult
from knowledge.domains import domain_label
from knowledge.regions import region_label
from tools.common import money as tool_money

_COMPONENT_LABELS = {
    "semantic": ("fit", "语义匹配"),
    "domain": ("domain", "领域"),
    "trl": ("TRL", "成熟度"),
    "investment": ("investment", "投资"),
    "region": ("region", "地区"),
}


def _l(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def money(amount: Any, lang: str) -> str:
    """RMB for people, as the tools write it ("RMB 1.05M" / "105万元"); "—" when not a number."""
    try:
        v = float(amount)
    except (TypeError, ValueError):
        return "—"
    return tool_money(v, lang)


def _score(m: dict[str, Any], lang: str) -> str:
    """ "strong match, score 0.62" / "强匹配，得分 0.62"; the bare score when the tool gave no label."""
    strength = str(m.get("strength"))
    if strength not in STRENGTH_LABELS:
        return _l(lang, f"score {_f(m.get('total'))}", f"得分 {_f(m.get('total'))}")
    label = strength_label(strength, lang)
    return _l(lang, f"{label}, score {_f(m.get('total'))}", f"{label}，得分 {_f(m.get('total'))}")


def _kind(kind: Any, lang: str) -> str:
    return kind_label(str(kind), lang)


def _clip(text: Any, n: int = 160) -> str:
    s = " ".join(str(text or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _f(x: Any, digits: int = 2) -> str:
    try:
        return f"{float(x):.{digits}f}"
    except (TypeError, ValueError):
        return "—"


class _Out:
    """The answer being written, with the citations of what it shows."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.lines: list[str] = []
        self.citations: list[Citation] = []
        self.artifacts: list[Artifact] = []
        self._seen: set[tuple[str, str | None]] = set()

    def cite(self, cid: Any, title: Any = "", ref: Any = None, url: Any = None) -> str:
        """Record a citation and return its inline form: [ACH-0001] or [doc id, section ref]."""
        cid = str(cid or "")
        if not cid:
            return ""
        r = str(ref) if ref else None
        if (cid, r) not in self._seen:
            self._seen.add((cid, r))
            self.citations.append(
                Citation(id=cid, title=str(title or ""), ref=r, url=str(url) if url else None)
            )
        return f"[{cid}, {r}]" if r else f"[{cid}]"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines).strip()


# --- per-tool sections ---------------------------------------------------------------------------


def _search_achievements(o: _Out, r: StepResult, resolved_for: str | None) -> None:
    hits = r.result.get("hits") or []
    lang = o.lang
    q = r.result.get("query") or r.args.get("query", "")
    if not hits:
        o.add(_l(lang, f"No achievement matched “{q}”.", f"没有找到与“{q}”匹配的成果。"))
        return
    if resolved_for == "":
        # The planner found nothing close enough and matched the description itself.
        o.add(
            _l(
                lang,
                f"No stored achievement is close to “{q}”, so the description itself was matched.",
                f"成果库中没有与“{q}”相近的成果，以下按您的描述直接匹配。",
            )
        )
        return
    if resolved_for:
        top = hits[0]
        o.add(
            _l(
                lang,
                f"I took “{q}” to be {o.cite(top.get('id'), top.get('title'))} {top.get('title', '')} "
                f"(best search match; give the id if that is not the one).",
                f"已将“{q}”理解为 {o.cite(top.get('id'), top.get('title'))} {top.get('title', '')}（检索最匹配项；如不是，请提供成果编号）。",
            )
        )
        return
    if isinstance(hits[0], dict) and is_loose_match(hits[0]):
        o.add(
            _l(
                lang,
                f"No stored achievement is close to “{q}”; the nearest ones:",
                f"成果库中没有与“{q}”相近的成果；最接近的是：",
            )
        )
    else:
        o.add(_l(lang, f"Achievements matching “{q}”:", f"与“{q}”相关的成果："))
    for i, h in enumerate(hits[:8], 1):
        bits = [domain_label(str(h.get("domain")), lang) if h.get("domain") else None]
        if h.get("trl") is not None:
            bits.append(f"TRL {h.get('trl')}")
        if h.get("region"):
            bits.append(region_label(str(h.get("region")), lang))
        meta = ", ".join(b for b in bits if b)
        o.add(f"{i}. {o.cite(h.get('id'), h.get('title'))} {h.get('title', '')} — {meta}")
        if h.get("snippet"):
            o.add(f"   {_clip(h['snippet'], 140)}")


def _components(comp: Any, lang: str) -> str:
    if not isinstance(comp, dict):
        return ""
    parts = []
    for k, (en, zh) in _COMPONENT_LABELS.items():
        if k in comp and comp[k] is not None:
            parts.append(f"{_l(lang, en, zh)} {_f(comp[k])}")
    return ", ".join(parts) if lang == "en" else "，".join(parts)


def _excluded(o: _Out, items: list[Any]) -> None:
    lang = o.lang
    if not items:
        return
    o.add(
        _l(
            lang,
            "Ruled out (strong on fit but excluded by a hard rule):",
            "已排除（匹配度高但不满足硬性条件）：",
        )
    )
    for e in items[:5]:
        if not isinstance(e, dict):
            continue
        o.add(
            _l(
                lang,
                f"- {o.cite(e.get('id'), e.get('name'))} {e.get('name', '')}: {e.get('reason', '')} (would have scored {_f(e.get('potential'))})",
                f"- {o.cite(e.get('id'), e.get('name'))} {e.get('name', '')}：{e.get('reason', '')}（否则得分 {_f(e.get('potential'))}）",
            )
        )


def _find_partners(o: _Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    matches = res.get("matches") or []
    ach = res.get("achievement_id")
    subject = (
        f"{o.cite(ach, res.get('query'))} {res.get('query', '')}" if ach else f"“{res.get('query', '')}”"
    )
    if not matches:
        o.add(_l(lang, f"No suitable partner found for {subject}.", f"没有为{subject}找到合适的合作方。"))
        _excluded(o, res.get("excluded") or [])
        return
    o.add(_l(lang, f"Partners for {subject}, best first:", f"{subject}的潜在合作方（按匹配度排序）："))
    for i, m in enumerate(matches, 1):
        if not isinstance(m, dict):
            continue
        kind = _kind(m.get("kind"), lang)
        region = region_label(str(m.get("region", "")), lang)
        o.add(
            _l(
                lang,
                f"{i}. {o.cite(m.get('org_id'), m.get('name'))} {m.get('name', '')} ({kind}, {region}) — {_score(m, lang)} ({_components(m.get('components'), lang)})",
                f"{i}. {o.cite(m.get('org_id'), m.get('name'))} {m.get('name', '')}（{kind}，{region}）— {_score(m, lang)}（{_components(m.get('components'), lang)}）",
            )
        )
        _reasons_and_evidence(o, m)
    _excluded(o, res.get("excluded") or [])


def _no_partner_in_region(o: _Out, r: StepResult) -> None:
    lang = o.lang
    region = region_label(str(r.args.get("region")), lang)
    o.add(
        _l(
            lang,
            f"No suitable partner in {region}; the best matches in any region follow.",
            f"{region}没有合适的合作方；以下是不限地区的最佳匹配。",
        )
    )


def _partner_chosen_for_draft(r: StepResult, results: list[StepResult]) -> dict[str, Any] | None:
    """The match a later term sheet took as its counterparty, when partners were ranked only to pick one."""
    later = results[results.index(r) + 1 :]
    licensees = {x.args.get("licensee") for x in later if x.tool == "draft_term_sheet"}
    for m in r.result.get("matches") or []:
        if isinstance(m, dict) and m.get("org_id") in licensees:
            return m
    return None


def _chosen_partner(o: _Out, r: StepResult, m: dict[str, Any]) -> None:
    """One line instead of the ranked list: the user asked for a draft, not for partners."""
    lang = o.lang
    org = f"{o.cite(m.get('org_id'), m.get('name'))} {m.get('name', '')}"
    n = len(r.result.get("matches") or [])
    ach = r.result.get("achievement_id") or ""
    o.add(
        _l(
            lang,
            f"No counterparty was named, so the term sheet uses the best-ranked partner: {org} (score {_f(m.get('total'))}, best of {n}). "
            f"Say “find partners for {ach}” for the full list, or name another organisation.",
            f"未指定交易对方，条款按匹配度最高的合作方起草：{org}（得分 {_f(m.get('total'))}，{n} 家中排名第一）。"
            f"如需完整名单请说“为{ach}找合作方”，或指定其他机构。",
        )
    )


def _reasons_and_evidence(o: _Out, m: dict[str, Any]) -> None:
    """The scorer's reasons, then the evidence sentence once (reasons often quote it in full)."""
    lang = o.lang
    evidence = str(m.get("evidence") or "")
    reasons = []
    for x in m.get("reasons") or []:
        r = str(x)
        if m.get("strength") and r.startswith(("Weak match overall", "整体匹配较弱")):
            continue  # the match line already says "weak match"
        if evidence:
            r = re.sub(r"[:：]?\s*[“\"]" + re.escape(evidence) + r"[”\"]", "", r).strip()
        if r:
            reasons.append(r)
    if reasons:
        o.add(_l(lang, "   Why: ", "   理由：") + ("; " if lang == "en" else "；").join(reasons))
    if evidence:
        o.add(_l(lang, f"   Evidence: “{_clip(evidence)}”", f"   依据：“{_clip(evidence)}”"))


def _find_achievements(o: _Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    matches = res.get("matches") or []
    needs = [str(n) for n in res.get("needs") or []]
    who = o.cite(res.get("org_id")) if res.get("org_id") else ""
    need = "; ".join(_clip(n, 80) for n in needs[:2])
    if not matches:
        o.add(
            _l(
                lang,
                f"No achievement answers the need{' ' + who if who else ''} “{need}”.",
                f"没有找到满足需求{who}“{need}”的成果。",
            )
        )
        return
    o.add(
        _l(
            lang,
            f"Achievements for the need{' ' + who if who else ''} “{need}”:",
            f"满足需求{who}“{need}”的成果：",
        )
    )
    for i, m in enumerate(matches, 1):
        if not isinstance(m, dict):
            continue
        price = m.get("asking_price_cny")
        price_s = _l(lang, f", asking {money(price, lang)}", f"，报价{money(price, lang)}") if price else ""
        o.add(
            _l(
                lang,
                f"{i}. {o.cite(m.get('achievement_id'), m.get('title'))} {m.get('title', '')} — {domain_label(str(m.get('domain')), lang)}, TRL {m.get('trl')}, "
                f"owner {o.cite(m.get('owner_id'))}{price_s}; {_score(m, lang)}",
                f"{i}. {o.cite(m.get('achievement_id'), m.get('title'))} {m.get('title', '')} — {domain_label(str(m.get('domain')), lang)}，TRL {m.get('trl')}，"
                f"权属方 {o.cite(m.get('owner_id'))}{price_s}；{_score(m, lang)}",
            )
        )
        # A free-text need is its own evidence; only an organisation's stated needs are worth quoting.
        _reasons_and_evidence(o, m if res.get("org_id") else {**m, "evidence": ""})
    _excluded(o, res.get("excluded") or [])


def _find_facilities(o: _Out, r: StepResult, *, relaxed: StepResult | None = None) -> None:
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
                    f"{i}. {o.cite(f.get('id'), f.get('name'))} {f.get('name', '')} — {_kind(f.get('kind'), lang)}, {region_label(str(f.get('region', '')), lang)}, "
                    f"{money(f.get('daily_rate_cny'), lang)}/day, min {f.get('min_days')} days, lead time {f.get('lead_time_days')} days",
                    f"{i}. {o.cite(f.get('id'), f.get('name'))} {f.get('name', '')} — {_kind(f.get('kind'), lang)}，{region_label(str(f.get('region', '')), lang)}，"
                    f"{money(f.get('daily_rate_cny'), lang)}/天，最短 {f.get('min_days')} 天，需提前 {f.get('lead_time_days')} 天",
                )
            )
    if r.result.get("note"):
        o.add(str(r.result["note"]))


def _when(ts: Any) -> str:
    """An ISO timestamp as "2026-11-29 12:00 UTC"."""
    s = str(ts or "")
    m = re.match(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]00:?00)?$", s)
    if not m:
        return s
    return f"{m[1]} {m[2]}" + (" UTC" if m[3] else "")


def _window(w: dict[str, Any], rate: Any, lang: str) -> str:
    days = w.get("days")
    quote = w.get("quote_cny")
    end_incl = w.get("end")
    q = _l(
        lang,
        f"quote {days} days × {money(rate, lang)} = {money(quote, lang)}",
        f"报价 {days} 天 × {money(rate, lang)} = {money(quote, lang)}",
    )
    return _l(
        lang,
        f"{w.get('start')} to {end_incl} (end exclusive; {q})",
        f"{w.get('start')} 至 {end_incl}（不含结束日；{q}）",
    )


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


def _dates_changed(o: _Out, r: StepResult, hold: StepResult) -> None:
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


def _check_availability(o: _Out, r: StepResult, *, continued: bool = False) -> None:
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
        head = f"{o.cite(fr.get('facility_id'), fr.get('name'))} {fr.get('name', '')}"
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


def _hold(o: _Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    fac = f"{o.cite(res.get('facility_id'), res.get('facility_name'))} {res.get('facility_name', '')}".strip()
    o.add(
        _l(
            lang,
            f"Held {fac} from {res.get('start')} to {res.get('end')} (end exclusive, {res.get('days')} days). "
            f"Reference {res.get('reference')}; the hold expires at {_when(res.get('expires_at'))} unless confirmed. "
            f"Quote: {money(res.get('quote_cny'), lang)}.",
            f"已暂留 {fac}：{res.get('start')} 至 {res.get('end')}（不含结束日，共 {res.get('days')} 天）。"
            f"预订编号 {res.get('reference')}；未确认的暂留将于 {_when(res.get('expires_at'))} 失效。报价：{money(res.get('quote_cny'), lang)}。",
        )
    )


def _booking_change(o: _Out, r: StepResult) -> None:
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


def _bookings(o: _Out, r: StepResult) -> None:
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


# Who is who in each deal type (en, zh): owner side, counterparty side.
_PARTY_LABELS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "exclusive_license": (("licensor", "许可方"), ("licensee", "被许可方")),
    "nonexclusive_license": (("licensor", "许可方"), ("licensee", "被许可方")),
    "assignment": (("assignor", "转让方"), ("assignee", "受让方")),
    "equity_investment": (("contributing owner", "出资方（成果权利人）"), ("investee company", "被投资企业")),
    "joint_development": (("owner", "成果权利人"), ("co-developer", "合作方")),
}


def _pct(x: Any) -> str:
    try:
        return f"{float(x):g}%"
    except (TypeError, ValueError):
        return "—"


def _term_sheet(o: _Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    terms = res.get("terms") or {}
    deal = str(res.get("deal_type", ""))
    licensee = res.get("licensee") or {}
    licensor = res.get("licensor") or {}
    ach = f"{o.cite(res.get('achievement_id'), res.get('achievement_title'))} {res.get('achievement_title', '')}"
    lic = f"{o.cite(licensee.get('id'), licensee.get('name')) + ' ' if licensee.get('id') else ''}{licensee.get('name', '')}"
    lor = f"{o.cite(licensor.get('id'), licensor.get('name')) + ' ' if licensor.get('id') else ''}{licensor.get('name', '')}"
    (own_en, own_zh), (cp_en, cp_zh) = _PARTY_LABELS.get(
        deal, (("owner", "权利人"), ("counterparty", "对方"))
    )
    o.add(
        _l(
            lang,
            f"Term sheet drafted — {deal_label(deal, lang)} of {ach}: {own_en} {lor}, {cp_en} {lic}.",
            f"已起草条款 — {deal_label(deal, lang)}：{ach}；{own_zh} {lor}，{cp_zh} {lic}。",
        )
    )
    econ: list[str] = []
    if terms.get("royalty_rate_pct"):
        econ.append(
            _l(
                lang,
                f"royalty {terms['royalty_rate_pct']:g}% of revenue",
                f"提成费率 {terms['royalty_rate_pct']:g}%",
            )
        )
    if terms.get("upfront_fee_cny"):
        fee = money(terms["upfront_fee_cny"], lang)
        # An assignment's one-off payment is its price, not a licence's entry fee.
        econ.append(
            _l(lang, f"price {fee}", f"转让价款 {fee}")
            if deal == "assignment"
            else _l(lang, f"upfront {fee}", f"入门费 {fee}")
        )
    if terms.get("appraised_value_cny"):
        econ.append(
            _l(
                lang,
                f"appraised value {money(terms['appraised_value_cny'], lang)}",
                f"作价 {money(terms['appraised_value_cny'], lang)}",
            )
        )
    if terms.get("equity_share_pct"):
        econ.append(
            _l(lang, f"equity {terms['equity_share_pct']:g}%", f"股权 {terms['equity_share_pct']:g}%")
        )
    if deal == "joint_development" and terms.get("profit_share_pct"):
        econ.append(
            _l(
                lang,
                f"owner's profit share {_pct(terms['profit_share_pct'])} of operating profit (margin {_pct(terms.get('operating_margin_pct'))})",
                f"权利人分享营业利润 {_pct(terms['profit_share_pct'])}（营业利润率 {_pct(terms.get('operating_margin_pct'))}）",
            )
        )
    one_off = "term_years" in terms and terms.get("term_years") is None
    if one_off:
        econ.append(_l(lang, "one-off transfer (no term)", "一次性转让（无期限）"))
    elif terms.get("term_years") and deal == "assignment":
        # An assignment has no term; its years are the instalments' payment period.
        econ.append(_l(lang, f"paid over {terms['term_years']} years", f"付款期限 {terms['term_years']} 年"))
    elif terms.get("term_years"):
        econ.append(_l(lang, f"term {terms['term_years']} years", f"期限 {terms['term_years']} 年"))
    if terms.get("inventor_share_pct") is not None:
        base_en, base_zh = {
            "equity_investment": ("of the equity obtained", "的所得股权"),
            "joint_development": ("of the operating profit each year", "的年度营业利润"),
        }.get(deal, ("of net income", "的净收入"))
        econ.append(
            _l(
                lang,
                f"inventor team share {terms['inventor_share_pct']:g}% {base_en}",
                f"完成人团队比例 {terms['inventor_share_pct']:g}%{base_zh}",
            )
        )
    if econ:
        o.add(
            _l(lang, "Terms: ", "主要条款：")
            + (", " if lang == "en" else "，").join(econ)
            + _l(lang, ".", "。")
        )
    equity = res.get("equity") or {}
    if isinstance(equity, dict) and equity.get("inventor_stake_pct") is not None:
        o.add(
            _l(
                lang,
                f"Equity split: inventor team {_pct(equity.get('inventor_stake_pct'))}, unit {_pct(equity.get('unit_stake_pct'))} of the company.",
                f"股权分配：完成人团队 {_pct(equity.get('inventor_stake_pct'))}，单位 {_pct(equity.get('unit_stake_pct'))}。",
            )
        )
    totals = res.get("totals") or {}
    if totals:
        income_en, income_zh = (
            ("dividend income", "分红收入") if deal == "equity_investment" else ("net income", "净收入")
        )
        o.add(
            _l(
                lang,
                f"Projected{'' if one_off else ' over the term'}: {own_en}'s {income_en} {money(totals.get('net_income'), lang)}, inventor team reward {money(totals.get('inventor_reward'), lang)}, tax {money(totals.get('tax'), lang)}.",
                f"{'' if one_off else '合同期内'}测算：{own_zh}{income_zh} {money(totals.get('net_income'), lang)}，完成人奖励 {money(totals.get('inventor_reward'), lang)}，税额 {money(totals.get('tax'), lang)}。",
            )
        )
        # The totals rest on an assumed revenue ramp: say so, or the figures look like facts.
        assumptions = [str(a) for a in res.get("assumptions") or [] if a]
        if assumptions:
            # The revenue ramp, plus the deal's own driver (dividend payout, profit margin) when there is one.
            shown = assumptions[:1] + (
                assumptions[-1:] if deal in ("equity_investment", "joint_development") else assumptions[1:2]
            )
            if deal == "assignment" and not terms.get("royalty_rate_pct"):
                shown = assumptions[1:2]  # a fixed price does not depend on the buyer's revenue
            o.add(
                _l(lang, "Assumptions: ", "测算假设：")
                + ("" if lang == "zh" else " ").join(dict.fromkeys(shown))
            )
    findings = [f for f in res.get("findings") or [] if isinstance(f, dict)]
    if findings:
        o.add(_l(lang, "Compliance:", "合规检查："))
        sev = {"error": ("ERROR", "错误"), "warning": ("warning", "提示"), "info": ("ok", "符合")}
        for f in findings:
            c = f.get("citation") or {}
            cite = (
                o.cite(c.get("doc_id"), c.get("title"), c.get("ref"))
                if isinstance(c, dict) and c.get("doc_id")
                else ""
            )
            en, zh = sev.get(str(f.get("severity")), (str(f.get("severity")), str(f.get("severity"))))
            o.add(f"- [{_l(lang, en, zh)}] {f.get('message', '')} {cite}".rstrip())
    for a in res.get("artifacts") or []:
        if isinstance(a, dict) and {"kind", "name", "path"} <= a.keys():
            o.artifacts.append(Artifact(kind=str(a["kind"]), name=str(a["name"]), path=str(a["path"])))
    if o.artifacts:
        o.add(_l(lang, "Files: ", "文件：") + ", ".join(a.path for a in o.artifacts))


_SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[A-Z(“\"])")


def _terms(text: str) -> set[str]:
    """Words (en, lower-case, >= 3 letters), Chinese bigrams and figures such as "3%": what overlaps a question."""
    low = text.lower()
    words = set(re.findall(r"[a-z]{3,}", low))
    figures = set(re.findall(r"\d+(?:\.\d+)?%", low))
    bigrams = {a + b for run in re.findall(r"[\u4e00-\u9fff]+", text) for a, b in itertools.pairwise(run)}
    return words | figures | bigrams


def excerpt(text: Any, query: str, budget: int) -> str:
    """The passage whole when it fits, else its sentences that best match `query`, in order, joined by "…".

    Clipping a passage at a fixed length cut caps and percentages off mid-sentence ("no single
    recipient may re…"); picking whole sentences keeps the figures the question is about.
    """
    s = " ".join(str(text or "").split())
    if len(s) <= budget:
        return s
    sentences = [x.strip() for x in _SENTENCE_END.split(s) if x and x.strip()]
    if len(sentences) <= 1:
        return _clip(s, budget)
    want = _terms(query)
    scored = sorted(
        range(len(sentences)),
        key=lambda i: (-len(_terms(sentences[i]) & want) - (2 if re.search(r"\d", sentences[i]) else 0), i),
    )
    chosen: list[int] = []
    used = 0
    for i in scored:
        n = len(sentences[i]) + 2
        if used + n > budget and chosen:
            continue
        chosen.append(i)
        used += n
    chosen.sort()
    parts: list[str] = []
    for j, i in enumerate(chosen):
        if i != (chosen[j - 1] + 1 if j else 0):
            parts.append("…")
        parts.append(_clip(sentences[i], budget))
    if chosen[-1] != len(sentences) - 1:
        parts.append("…")
    return " ".join(parts)


_ZH_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def _zh_number(s: str) -> int | None:
    """ "四十五" -> 45, "九十" -> 90, "一百零二" -> 102 (article numbers only need up to the hundreds)."""
    if s.isdigit():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _ZH_DIGITS:
            cur = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def _article_of(ref: str) -> int | None:
    m = re.search(r"\barticle\s+(\d+)\b|第([零一二三四五六七八九十百\d]+)条", ref, re.I)
    if not m:
        return None
    return int(m[1]) if m[1] else _zh_number(m[2])


def _asked_articles(question: str) -> set[int]:
    found = re.findall(r"\barticle\s+(\d+)\b|第([零一二三四五六七八九十百\d]+)条", question, re.I)
    out = {int(a) if a else _zh_number(b) for a, b in found}
    return {n for n in out if n is not None}


def _policies(o: _Out, r: StepResult, question: str = "") -> None:
    lang = o.lang
    passages = [p for p in r.result.get("passages") or [] if isinstance(p, dict)]
    if not passages:
        o.add(_l(lang, "I found no policy passage on that.", "没有找到相关的政策条文。"))
        return
    o.add(_l(lang, "What the policies say:", "相关政策规定："))
    asked = _asked_articles(question)
    if asked:
        # "What is Article 45?": the section asked for comes first, whatever the retriever's order.
        passages.sort(key=lambda p: _article_of(str(p.get("section_ref") or "")) not in asked)
    # The question plus the statute vocabulary the planner added decide which sentences to show.
    query = f"{question} {r.args.get('query', '')}"
    for n, p in enumerate(passages[:3]):
        cite = o.cite(p.get("doc_id"), p.get("title"), p.get("section_ref"), p.get("url"))
        title = p.get("title", "")
        src = _l(lang, f"{title}, {p.get('section_ref', '')}", f"《{title}》{p.get('section_ref', '')}")
        # The best passage in full (sections are short); the others by their most relevant sentences.
        body = excerpt(p.get("text"), query, 1000 if n == 0 else 420)
        o.add(f"- {src} {cite}: “{body}”" if lang == "en" else f"- {src} {cite}：“{body}”")


def _record(o: _Out, r: StepResult) -> None:
    lang = o.lang
    res = r.result
    rec = res.get("record") or {}
    kind = res.get("kind")
    head = f"{o.cite(res.get('id'), res.get('title'))} {res.get('title', '')}"
    if kind == "achievement":
        o.add(
            _l(
                lang,
                f"{head} — {domain_label(str(rec.get('domain')), lang)}, TRL {rec.get('trl')}, {region_label(str(rec.get('region', '')), lang)}; owner {o.cite(rec.get('owner_id'))}.",
                f"{head} — {domain_label(str(rec.get('domain')), lang)}，TRL {rec.get('trl')}，{region_label(str(rec.get('region', '')), lang)}；权属方 {o.cite(rec.get('owner_id'))}。",
            )
        )
        if rec.get("summary"):
            o.add(f"   {_clip(rec['summary'], 300)}")
        extra = []
        if rec.get("transfer_modes"):
            modes = [transfer_mode_label(str(m), lang) for m in rec["transfer_modes"]]
            extra.append(_l(lang, "transfer modes: ", "转化方式：") + _l(lang, ", ", "、").join(modes))
        if rec.get("asking_price_cny"):
            extra.append(_l(lang, "asking price ", "报价 ") + money(rec["asking_price_cny"], lang))
        if rec.get("ip"):
            extra.append(_l(lang, "IP: ", "知识产权：") + ", ".join(rec["ip"][:4]))
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
            o.add(_l(lang, f"   Needs: “{_clip(need)}”", f"   需求：“{_clip(need)}”"))
        if rec.get("capabilities"):
            o.add(
                _l(
                    lang,
                    f"   Capabilities: {_clip(rec['capabilities'])}",
                    f"   能力：{_clip(rec['capabilities'])}",
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
            o.add(_l(lang, "   Processes: ", "   工艺：") + ", ".join(rec["processes"][:6]))
        if rec.get("certifications"):
            o.add(_l(lang, "   Certifications: ", "   资质：") + ", ".join(rec["certifications"]))
        if rec.get("prerequisites"):
            o.add(_l(lang, "   Prerequisites: ", "   前置条件：") + "; ".join(rec["prerequisites"]))
    else:
        o.add(head)


# --- errors ---------------------------------------------------------------------------------------

_TOOL_LABELS = {
    "search_achievements": ("achievement search", "成果检索"),
    "find_partners": ("partner matching", "合作方匹配"),
    "find_achievements_for_need": ("achievement matching", "成果匹配"),
    "find_facilities": ("facility search", "设施查询"),
    "check_availability": ("availability check", "档期查询"),
    "hold_slot": ("hold", "预留"),
    "release_hold": ("release", "释放预留"),
    "confirm_booking": ("confirmation", "确认预订"),
    "list_bookings": ("booking list", "预订查询"),
    "draft_term_sheet": ("term sheet", "条款起草"),
    "search_policies": ("policy search", "政策检索"),
    "get_record": ("record lookup", "记录查询"),
}


def _error(o: _Out, r: StepResult, today: str) -> None:
    lang = o.lang
    res = r.result
    code = str(res.get("code") or "error")
    msg = str(res.get("message") or "")
    details = res.get("details") or {}
    en, zh = _TOOL_LABELS.get(r.tool, (r.tool, r.tool))
    what = _l(lang, en, zh)
    if code == "rejected" or r.approval == "rejected":
        if r.tool == "hold_slot":
            o.add(_l(lang, "Hold rejected — nothing was booked.", "您已拒绝预留 — 未预订任何档期。"))
        else:
            o.add(
                _l(
                    lang,
                    f"{what.capitalize()} rejected — nothing was changed.",
                    f"您已拒绝{what} — 未做任何更改。",
                )
            )
        return
    if code in ("unknown_id", "not_found"):
        rid = (
            details.get("id")
            or r.args.get("reference")
            or next(
                (v for v in r.args.values() if isinstance(v, str) and re.match(r"^(ACH|ORG|FAC)-", v)), ""
            )
        )
        # Several steps failing on the same unknown id (partners, then the draft) need one sentence, not one each.
        if ("unknown:" + str(rid), None) in o._seen:
            return
        o._seen.add(("unknown:" + str(rid), None))
        if str(rid).upper().startswith("BK-"):
            # A booking reference, not a record id: point at where references come from.
            o.add(
                _l(
                    lang,
                    f"{what.capitalize()}: there is no hold or booking {rid}. Check the reference (e.g. BK-3F9A1C2E, shown when the hold was placed; `chengguo bookings` lists them).",
                    f"{what}：不存在预订编号 {rid}。请核对编号（如 BK-3F9A1C2E，预留时会给出；可用 `chengguo bookings` 查看）。",
                )
            )
            return
        o.add(
            _l(
                lang,
                f"{what.capitalize()}: there is no record {rid}. Check the id (e.g. ACH-0001, ORG-0001, FAC-0001) or describe it instead.",
                f"{what}：不存在编号为 {rid} 的记录。请核对编号（如 ACH-0001、ORG-0001、FAC-0001），或直接描述。",
            )
        )
        return
    if code == "past_dates":
        o.add(
            _l(
                lang,
                f"{what.capitalize()}: those dates are in the past (today is {details.get('today') or today}). Please choose dates after today.",
                f"{what}：所选日期早于今天（今天是 {details.get('today') or today}），请选择今天之后的日期。",
            )
        )
        return
    if code == "conflict":
        nxt = details.get("next_window") or {}
        later = (
            _l(
                lang,
                f" The next free window is {nxt.get('start')} to {nxt.get('end')}.",
                f"下一个可用窗口为 {nxt.get('start')} 至 {nxt.get('end')}。",
            )
            if nxt
            else ""
        )
        a = r.args
        asked = (
            _l(
                lang,
                f" {a.get('facility_id')} from {a.get('start')}",
                f"{a.get('facility_id')}（{a.get('start')} 起）",
            )
            if a.get("facility_id") and a.get("start")
            else ""
        )
        o.add(
            _l(
                lang,
                f"Could not hold{asked}: the slot overlaps a live booking; nothing was booked.{later}",
                f"无法预留{asked}：该时段与已有预订冲突，未预订任何档期。{later}",
            )
        )
        return
    # These tools' messages are already in the user's language and say what to do instead.
    if code in (
        "lead_time",
        "min_days",
        "expired",
        "invalid_state",
        "invalid_dates",
        "no_window",
        "unknown_region",
    ):
        o.add(f"{what.capitalize() if lang == 'en' else what}: {msg}" if lang == "en" else f"{what}：{msg}")
        if r.tool == "hold_slot":
            o.add(_l(lang, "Nothing was booked.", "未预订任何档期。"))
        return
    o.add(_l(lang, f"The {what} step failed ({code}): {msg}", f"{what}步骤失败（{code}）：{msg}"))


# --- the answer ------------------------------------------------------------------------------------


def _help(o: _Out, u: Understanding, not_understood: bool) -> None:
    lang = o.lang
    if not_understood:
        shown = u.text.strip()
        o.add(
            _l(
                lang,
                f"Sorry, I did not understand “{_clip(shown, 80)}”.",
                f"抱歉，我没有理解“{_clip(shown, 80)}”。",
            )
        )
    o.add(
        _l(
            lang,
            "I can find partners for an achievement (or achievements for a need), check pilot-facility calendars and hold a slot "
            "(with your approval), draft a lawful term sheet, and answer policy questions with citations. For example:",
            "我可以为成果寻找合作方（或为需求匹配成果）、查询中试设施档期并在您批准后预留、起草合规的收益分配条款，并回答政策问题（附出处）。例如：",
        )
    )
    for ex in EXAMPLES["zh" if lang == "zh" else "en"]:
        o.add(f"- {ex}")


def respond(
    inp: RespondInput, planner: BuiltinPlanner | None = None, u: Understanding | None = None
) -> Response:
    """The final answer of a turn from this turn's results (and the plan's clarification); `u` is the
    reading the plan was made from when another reader (the LLM planner) made it."""
    planner = planner or BuiltinPlanner()
    lang = inp.lang
    o = _Out(lang)
    u = u or understand(inp, planner.names)
    jobs = [i for i in u.intents if i.name not in ("help", "thanks")]
    results = list(inp.results)
    if any(i.name == "list_bookings" for i in jobs) and not any(r.tool == "list_bookings" for r in results):
        # The planner lists this conversation's holds; it had none to look up.
        o.add(_l(lang, *_NO_BOOKINGS))
        if len(jobs) == 1 and not results:
            return Response(text=o.text(), citations=o.citations, artifacts=o.artifacts)
        o.add("")
    if not results and not inp.clarification:
        if jobs:
            # The planner had jobs but nothing to run (e.g. nothing left to do after a rejection).
            o.add(_l(lang, "There was nothing to run for this request.", "此请求无需执行任何步骤。"))
        elif any(i.name == "thanks" for i in u.intents):
            o.add(_l(lang, "You're welcome. Anything else?", "不客气，还有什么可以帮您？"))
        else:
            _help(o, u, not_understood=not any(i.name == "help" for i in u.intents))
        return Response(text=o.text(), citations=o.citations, artifacts=o.artifacts)

    resolved = _resolution_searches(results)
    for r in results:
        if not r.ok:
            _error(o, r, inp.today)
            continue
        if r.tool == "search_achievements":
            _search_achievements(o, r, resolved.get(r.step_id))
        elif r.tool == "find_partners":
            chosen = (
                _partner_chosen_for_draft(r, results)
                if "find_partners" not in {i.name for i in jobs}
                else None
            )
            later = [x for x in results[results.index(r) + 1 :] if x.tool == "find_partners"]
            if not (r.result.get("matches") or []) and r.args.get("region") and later:
                _no_partner_in_region(o, r)  # the planner's retry across all regions follows
            elif chosen is not None:
                _chosen_partner(o, r, chosen)
            else:
                _find_partners(o, r)
        elif r.tool == "find_achievements_for_need":
            _find_achievements(o, r)
        elif r.tool == "find_facilities":
            later = [x for x in results[results.index(r) + 1 :] if x.tool == "find_facilities"]
            empty = not (r.result.get("facilities") or [])
            _find_facilities(o, r, relaxed=later[0] if empty and later else None)
        elif r.tool == "check_availability":
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
        elif r.tool == "hold_slot":
            _hold(o, r)
        elif r.tool in ("release_hold", "confirm_booking"):
            _booking_change(o, r)
        elif r.tool == "list_bookings":
            _bookings(o, r)
        elif r.tool == "draft_term_sheet":
            _term_sheet(o, r)
        elif r.tool == "search_policies":
            _policies(o, r, u.text)
        elif r.tool == "get_record":
            _record(o, r)
        else:
            summary = r.result.get("summary") or r.result.get("message")
            if summary:
                o.add(str(summary))
        o.add("")
    _next_steps(o, results, wanted_hold=any(i.name == "hold_slot" for i in u.intents))
    extra = _extra_notes(inp, planner)
    if extra:
        o.add(extra)
    if u.not_understood:
        o.add(t("note.not_understood", lang, what=t("sep", lang).join(f"“{x}”" for x in u.not_understood)))
    if inp.clarification:
        o.add(inp.clarification)
    return Response(text=o.text(), citations=o.citations, artifacts=o.artifacts)


def _resolution_searches(results: list[StepResult]) -> dict[str, str]:
    """search_achievements steps that only resolved "my X" to an id used by a later step."""
    out: dict[str, str] = {}
    for i, r in enumerate(results):
        if r.tool != "search_achievements" or not r.ok:
            continue
        hits = r.result.get("hits") or []
        top = hits[0].get("id") if hits and isinstance(hits[0], dict) else None
        if top and any(top in (later.args.get("achievement_id"),) for later in results[i + 1 :]):
            out[r.step_id] = str(top)
        elif (
            hits
            and is_loose_match(hits[0])
            and any(later.args.get("need") == r.args.get("query") for later in results[i + 1 :])
        ):
            out[r.step_id] = ""  # looked up, nothing close: a later step matched the words instead
    return out


def _next_steps(o: _Out, results: list[StepResult], wanted_hold: bool) -> None:
    """One line on what the user can do next, from what happened."""
    lang = o.lang
    tools = [r.tool for r in results if r.ok]
    held = any(r.tool == "hold_slot" and r.ok for r in results)
    if "check_availability" in tools and not held and not any(r.tool == "hold_slot" for r in results):
        has_window = any(
            (r.result.get("first_available") is not None)
            for r in results
            if r.tool == "check_availability" and r.ok
        )
        if has_window:
            o.add(
                _l(
                    lang,
                    "Say “hold the first window” to place a tentative hold (you approve it first).",
                    "如需预留，请说“预留第一个窗口”（执行前需您批准）。",
                )
            )
        else:
            later = [
                (fr.get("facility_id"), fr["next_window"])
                for r in results
                if r.tool == "check_availability" and r.ok
                for fr in r.result.get("results") or []
                if isinstance(fr, dict) and isinstance(fr.get("next_window"), dict)
            ]
            if later:
                fid, w = min(later, key=lambda p: str(p[1].get("start")))
                if wanted_hold:
                    o.add(
                        _l(
                            lang,
                            "No window fits the dates asked, so nothing was held.",
                            "所选时间内没有合适的空档，因此未做任何预留。",
                        )
                    )
                o.add(
                    _l(
                        lang,
                        f"Say “hold the earliest window” to hold {fid} from {w.get('start')} to {w.get('end')} (you approve it first).",
                        f"如需预留 {fid} 在 {w.get('start')} 至 {w.get('end')} 的最早窗口，请说“预留最早的窗口”（执行前需您批准）。",
                    )
                )
    if held:
        o.add(
            _l(
                lang,
                "Say “confirm the hold” to turn it into a booking, or “release the hold” to free it.",
                "如需正式预订请说“确认预约”，如需释放请说“取消预约”。",
            )
        )


def _extra_notes(inp: RespondInput, planner: BuiltinPlanner) -> str:
    """Notes worth repeating in the answer: assumptions and anything the graph added (e.g. the step limit)."""
    if not inp.note:
        return ""
    keep_keys = ("note.assumed_deal", "note.no_days", "note.budget")
    wanted = [t(k, inp.lang) for k in keep_keys]
    own_plan = planner.plan(inp).note
    extra = inp.note.replace(own_plan, "") if own_plan else inp.note
    # Drop the planner's own bookkeeping sentences; keep what the graph added (e.g. the step limit).
    for key in (
        "note.understood",
        "note.context",
        "note.not_understood",
        "note.assumed_achievement",
        *keep_keys,
    ):
        prefix = t(key, inp.lang, what="", q="", id="", title="").split("{")[0][:6]
        extra = re.sub(rf"{re.escape(prefix)}[^.。]*[.。]", "", extra)
    found = [w for w in wanted if w in inp.note]
    extra = extra.strip()
    if extra:
        found.append(extra)
    return " ".join(dict.fromkeys(found))
