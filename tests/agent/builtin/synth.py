"""Synthetic tool results in the real output shapes (built through the tools' own output models).

Building them through `tools.*` output models keeps the planner tests honest about field names
without needing the knowledge base.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from agent.builtin import BuiltinPlanner
from agent.frame import Frame
from agent.plan import Plan
from agent.planner import Message, PlannerInput, RespondInput, Response, StepResult
from tools.booking import BookingView
from tools.facilities import (
    CheckAvailabilityOutput,
    FacilityAvailability,
    FacilityHit,
    FindFacilitiesOutput,
    QuotedWindow,
)
from tools.matching import Components
from tools.partners import FindPartnersOutput, PartnerMatch
from tools.search import (
    AchievementHit,
    GetRecordOutput,
    PolicyPassage,
    SearchAchievementsOutput,
    SearchPoliciesOutput,
)

TODAY = "2026-11-22"


def comps(total: float = 0.7) -> Components:
    return Components(semantic=total, domain=1.0, trl=1.0, investment=0.5, region=0.0)


def search_hits(*ids: str, domain: str = "new_energy", query: str = "q") -> dict[str, Any]:
    return SearchAchievementsOutput(
        query=query,
        hits=[
            AchievementHit(
                id=i,
                title=f"Title of {i}",
                score=1.0 - n / 10,
                snippet="snippet",
                domain=domain,
                region="Jiangsu",
                trl=6,
            )
            for n, i in enumerate(ids)
        ],
    ).model_dump(mode="json")


def partners(*orgs: str, ach: str | None = "ACH-0001") -> dict[str, Any]:
    return FindPartnersOutput(
        achievement_id=ach,
        query="Sulfide solid electrolyte",
        matches=[
            PartnerMatch(
                org_id=o,
                name=f"Org {o}",
                kind="soe",
                region="Jiangsu",
                total=0.9 - n / 10,
                components=comps(0.9 - n / 10),
                evidence=f"We need solid electrolytes ({o})",
                reasons=[f"reason for {o}"],
            )
            for n, o in enumerate(orgs)
        ],
    ).model_dump(mode="json")


def facilities(*ids: str) -> dict[str, Any]:
    return FindFacilitiesOutput(
        facilities=[
            FacilityHit(
                id=i,
                name=f"Facility {i}",
                kind="pilot_line",
                owner_id="ORG-0100",
                region="Jiangsu",
                domains=["new_energy"],
                processes=["coating"],
                certifications=[],
                capacity="",
                daily_rate_cny=50_000,
                min_days=5,
                lead_time_days=14,
                prerequisites=[],
                score=0.8,
            )
            for i in ids
        ]
    ).model_dump(mode="json")


def window(start: str, days: int, rate: float = 50_000) -> QuotedWindow:
    s = date.fromisoformat(start)
    return QuotedWindow(
        start=s, end=s + timedelta(days=days), days=days, latest_start=s, quote_cny=days * rate
    )


def availability(
    fac_windows: dict[str, list[str]],
    days: int = 21,
    start: str = "2027-03-01",
    end: str = "2027-04-01",
    next_window: str | None = None,
) -> dict[str, Any]:
    results = []
    for fid, starts in fac_windows.items():
        ws = [window(s, days) for s in starts]
        results.append(
            FacilityAvailability(
                facility_id=fid,
                name=f"Facility {fid}",
                daily_rate_cny=50_000,
                min_days=5,
                lead_time_days=14,
                days=days,
                earliest_allowed_start=date.fromisoformat(start),
                quote_cny=days * 50_000,
                windows=ws,
                next_window=window(next_window, days) if next_window and not ws else None,
            )
        )
    first = min(
        ((r.windows[0], r.facility_id) for r in results if r.windows), key=lambda p: p[0].start, default=None
    )
    return CheckAvailabilityOutput(
        earliest_start=date.fromisoformat(start),
        latest_end=date.fromisoformat(end),
        results=results,
        first_available=first[0] if first else None,
        first_available_facility=first[1] if first else None,
    ).model_dump(mode="json")


def hold(fid: str, start: str, days: int, ref: str = "BK-0000TEST") -> dict[str, Any]:
    s = date.fromisoformat(start)
    return BookingView(
        reference=ref,
        facility_id=fid,
        facility_name=f"Facility {fid}",
        start=s,
        end=s + timedelta(days=days),
        days=days,
        status="held",
        holder="t",
        expires_at=datetime(2026, 11, 29, 12, 0),
        quote_cny=days * 50_000.0,
    ).model_dump(mode="json")


def policies(*refs: tuple[str, str]) -> dict[str, Any]:
    return SearchPoliciesOutput(
        query="q",
        passages=[
            PolicyPassage(
                doc_id=d,
                title=f"Doc {d}",
                section_ref=ref,
                text=f"Text of {ref}",
                citation=f"Doc {d}, {ref} [{d}]",
            )
            for d, ref in refs
        ],
    ).model_dump(mode="json")


def record(rid: str) -> dict[str, Any]:
    kind = {"ACH": "achievement", "ORG": "organisation", "FAC": "facility"}[rid[:3]]
    return GetRecordOutput(id=rid, kind=kind, title=f"Title of {rid}", record={"id": rid}).model_dump(
        mode="json"
    )


def error(code: str, message: str = "failed", **details: Any) -> dict[str, Any]:
    return {"ok": False, "code": code, "message": message, "details": details}


def inp(
    text: str | list[str],
    *,
    results: list[StepResult] | None = None,
    history: list[StepResult] | None = None,
    lang: str = "en",
    turn: int = 1,
    steps_left: int = 8,
) -> PlannerInput:
    texts = [text] if isinstance(text, str) else text
    msgs: list[Message] = []
    history = history or []
    frame = Frame()
    for i, t in enumerate(texts):
        msgs.append(Message(role="user", text=t))
        if i < len(texts) - 1:
            # Earlier turns leave their dialogue frame the way the graph keeps it: the frame of the
            # turn's last plan call (with that turn's results), carried into the next turn.
            prev_turn = turn - (len(texts) - 1 - i)
            earlier = PlannerInput(
                messages=list(msgs),
                results=[r for r in history if r.turn == prev_turn],
                history=[r for r in history if r.turn < prev_turn],
                lang=lang,
                turn=prev_turn,
                today=TODAY,
                frame=frame,
            )
            frame = BuiltinPlanner().plan(earlier).frame or frame
            msgs.append(Message(role="assistant", text="(answer)"))
    return PlannerInput(
        messages=msgs,
        results=results or [],
        history=history,
        lang=lang,
        turn=turn,
        steps_left=steps_left,
        today=TODAY,
        frame=frame,
    )


Responder = Any


def drive(
    text: str | list[str],
    answer: Responder,
    *,
    lang: str = "en",
    history: list[StepResult] | None = None,
    turn: int = 1,
    max_steps: int = 8,
) -> tuple[list[StepResult], Plan, Response]:
    """Run the planner like the graph does: plan, run the first step with `answer(step)`, re-plan.

    `answer(step)` returns (ok, result) or (ok, result, approval).
    """
    planner = BuiltinPlanner()
    results: list[StepResult] = []
    plan = planner.plan(inp(text, lang=lang, history=history, turn=turn))
    for _ in range(max_steps):
        if plan.answer_now or plan.clarification or not plan.steps:
            break
        step = plan.steps[0]
        out = answer(step)
        ok, result = out[0], out[1]
        approval = out[2] if len(out) > 2 else None
        results.append(
            StepResult(
                step_id=step.id,
                tool=step.tool,
                args=step.args,
                ok=ok,
                result=result,
                turn=turn,
                approval=approval,
            )
        )
        plan = planner.plan(
            inp(
                text,
                lang=lang,
                history=history,
                turn=turn,
                results=results,
                steps_left=max_steps - len(results),
            )
        )
    base = inp(text, lang=lang, history=history, turn=turn, results=results)
    response = planner.respond(
        RespondInput(**base.model_dump(), note=plan.note, clarification=plan.clarification)
    )
    return results, plan, response
