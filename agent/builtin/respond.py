"""The builtin responder: the final answer, composed from this turn's tool results only.

Every fact shown carries its record id or policy citation; `citations` lists exactly the ids
and policy sections the text shows. Failed steps are explained in the user's language with
what to do next (the earliest later window, dates after today, a valid id).
"""

from __future__ import annotations

import re

from agent.builtin.jobs import BY_TOOL, RenderContext
from agent.builtin.planner import BuiltinPlanner, Understanding, understand
from agent.builtin.render import Out, _clip, _l
from agent.builtin.texts import (
    EXAMPLES,
    t,
)
from agent.planner import RespondInput, Response, StepResult

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


def _error(o: Out, r: StepResult, today: str) -> None:
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


def _help(o: Out, u: Understanding, not_understood: bool) -> None:
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
    """The final answer of a turn from this turn's results (and the plan's clarification)."""
    planner = planner or BuiltinPlanner()
    lang = inp.lang
    o = Out(lang)
    # `u`: the reading the plan was made from when another reader (the LLM planner) made it.
    u = u or understand(inp, planner.names, planner.links)
    jobs = [i for i in u.intents if i.name not in ("help", "thanks")]
    results = list(inp.results)
    if not results and not inp.clarification:
        if jobs:
            # The planner had jobs but nothing to run (e.g. nothing left to do after a rejection).
            o.add(_l(lang, "There was nothing to run for this request.", "此请求无需执行任何步骤。"))
        elif any(i.name == "thanks" for i in u.intents):
            o.add(_l(lang, "You're welcome. Anything else?", "不客气，还有什么可以帮您？"))
        else:
            _help(o, u, not_understood=not any(i.name == "help" for i in u.intents))
        return Response(text=o.text(), citations=o.citations, artifacts=o.artifacts)

    ctx = RenderContext(results=results, jobs=jobs, text=u.text)
    for r in results:
        if not r.ok:
            _error(o, r, inp.today)
            continue
        job = BY_TOOL.get(r.tool)
        if job is not None:
            job.render(o, r, ctx)
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


def _next_steps(o: Out, results: list[StepResult], wanted_hold: bool) -> None:
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
