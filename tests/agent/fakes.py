"""Fake tools and a scripted placeholder planner for agent tests (no knowledge base needed).

Tools are registered in the real `tools.base.REGISTRY` under `fake_*` names, so the graph
routes them exactly like real ones (READ at once, WRITE through approval).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from agent.plan import Plan, PlanStep
from agent.planner import PlannerInput, RespondInput, Response
from agent.planners import register_planner
from agent.results import gather_artifacts, gather_citations
from knowledge.config import Settings
from tools.base import REGISTRY, ToolContext, ToolError, ToolKind, ToolSpec, tool


class Crash(BaseException):
    """Simulates the process dying (not an Exception, so nothing catches it)."""


CRASH_AFTER_WRITE = {"on": False}
CALLS: dict[str, int] = {"fake_hold": 0}


class SearchIn(BaseModel):
    query: str
    n: int = 2


class SearchOut(BaseModel):
    ok: bool = True
    hits: list[dict[str, Any]]


@tool(ToolKind.READ, SearchIn)
def fake_search(args: SearchIn, ctx: ToolContext) -> BaseModel:
    """Search fake achievements. Args: query (text), n (how many, default 2)."""
    return SearchOut(
        hits=[
            {"id": f"ACH-{i:04d}", "title": f"{args.query} result {i}", "score": 1.0 / i}
            for i in range(1, args.n + 1)
        ]
    )


class AvailIn(BaseModel):
    facility_id: str
    days: int = 3


class AvailOut(BaseModel):
    ok: bool = True
    facility_id: str
    windows: list[dict[str, Any]]


@tool(ToolKind.READ, AvailIn)
def fake_availability(args: AvailIn, ctx: ToolContext) -> BaseModel:
    """Free windows of a fake facility with a quote."""
    return AvailOut(
        facility_id=args.facility_id,
        windows=[
            {
                "start": "2026-12-01",
                "end": "2026-12-04",
                "quote": {"days": args.days, "daily_rate_cny": 1000.0, "total_cny": 1000.0 * args.days},
            }
        ],
    )


class HoldIn(BaseModel):
    facility_id: str
    start: str
    end: str


class HoldOut(BaseModel):
    ok: bool = True
    reference: str
    facility_id: str
    start: str
    end: str


def _db(settings: Settings) -> sqlite3.Connection:
    settings.ensure_dirs()
    conn = sqlite3.connect(str(settings.data_dir / "fake_holds.db"))
    conn.execute(
        "CREATE TABLE IF NOT EXISTS holds (key TEXT PRIMARY KEY, reference TEXT, facility_id TEXT, start TEXT, end TEXT)"
    )
    return conn


def holds(settings: Settings) -> list[tuple[str, str, str, str, str]]:
    with _db(settings) as conn:
        return list(conn.execute("SELECT key, reference, facility_id, start, end FROM holds ORDER BY rowid"))


@tool(ToolKind.WRITE, HoldIn)
def fake_hold(args: HoldIn, ctx: ToolContext) -> BaseModel:
    """Hold a fake slot; idempotent per ctx.idempotency_key."""
    CALLS["fake_hold"] += 1
    conn = _db(ctx.settings)
    try:
        row = conn.execute(
            "SELECT reference, facility_id, start, end FROM holds WHERE key = ?", (ctx.idempotency_key,)
        ).fetchone()
        if row is None:
            ref = f"HOLD-{len(list(conn.execute('SELECT key FROM holds'))) + 1}"
            conn.execute(
                "INSERT INTO holds VALUES (?, ?, ?, ?, ?)",
                (ctx.idempotency_key, ref, args.facility_id, args.start, args.end),
            )
            conn.commit()
            row = (ref, args.facility_id, args.start, args.end)
    finally:
        conn.close()
    if CRASH_AFTER_WRITE["on"]:
        CRASH_AFTER_WRITE["on"] = False
        raise Crash("killed after the write, before the checkpoint")
    return HoldOut(reference=row[0], facility_id=row[1], start=row[2], end=row[3])


class FailIn(BaseModel):
    code: str = "unknown_id"


@tool(ToolKind.READ, FailIn)
def fake_fail(args: FailIn, ctx: ToolContext) -> BaseModel:
    """Always returns a ToolError."""
    return ToolError(code=args.code, message=f"fake failure {args.code}")


@tool(ToolKind.READ, FailIn)
def fake_boom(args: FailIn, ctx: ToolContext) -> BaseModel:
    """Always raises (a tool bug)."""
    raise RuntimeError("boom")


_DATES = re.compile(r"(\d{4}-\d{2}-\d{2})")


class ScriptedPlanner:
    """A deterministic stand-in for the builtin planner, driven by keywords in the last message.

    - "hold FAC-x D1 D2": availability then hold
    - "loop": a new search every time (to hit the step limit)
    - "fail": a failing tool, then answer
    - "boom": a tool that raises
    - "?": a clarification
    - anything else: one search
    """

    def __init__(self) -> None:
        self.plans: list[PlannerInput] = []
        self.responds: list[RespondInput] = []

    def _desired(self, inp: PlannerInput) -> list[tuple[str, dict[str, Any]]]:
        text = next((m.text for m in reversed(inp.messages) if m.role == "user"), "")
        low = text.lower()
        if "hold" in low or "预约" in text:
            fac = re.search(r"FAC-\w+", text)
            dates = _DATES.findall(text) or ["2026-12-01", "2026-12-04"]
            fid = fac.group(0) if fac else "FAC-0001"
            return [
                ("fake_availability", {"facility_id": fid}),
                ("fake_hold", {"facility_id": fid, "start": dates[0], "end": dates[1]}),
            ]
        if "loop" in low:
            return [("fake_search", {"query": f"q{i}"}) for i in range(100)]
        if "fail" in low:
            return [("fake_fail", {"code": "unknown_id"})]
        if "boom" in low:
            return [("fake_boom", {})]
        if "badargs" in low:
            return [("fake_search", {"nope": 1})]
        if "three" in low:
            return [
                ("fake_search", {"query": "a"}),
                ("fake_search", {"query": "b"}),
                ("fake_availability", {"facility_id": "FAC-1"}),
            ]
        return [("fake_search", {"query": text[:40]})]

    def plan(self, inp: PlannerInput) -> Plan:
        self.plans.append(inp)
        lang = inp.lang
        text = next((m.text for m in reversed(inp.messages) if m.role == "user"), "")
        if text.strip().endswith("?") and "clarify" in text:
            return Plan(clarification="Which facility?", lang=lang)
        desired = self._desired(inp)
        remaining = desired[len(inp.results) :]
        if not remaining or (
            inp.results and not inp.results[-1].ok and inp.results[-1].approval != "rejected"
        ):
            return Plan(answer_now=True, lang=lang, note="")
        return Plan(
            steps=[PlanStep(id="", tool=t, args=a, summary=f"{t}") for t, a in remaining],
            lang=lang,
            note="scripted",
        )

    def respond(self, inp: RespondInput) -> Response:
        self.responds.append(inp)
        if inp.clarification:
            return Response(text=inp.clarification)
        parts = [f"{r.tool}:{'ok' if r.ok else r.result.get('code')}" for r in inp.results]
        head = "结果" if inp.lang == "zh" else "Results"
        text = f"{head}: {', '.join(parts) or 'none'}."
        if inp.note:
            text += f" ({inp.note})"
        return Response(
            text=text, citations=gather_citations(inp.results), artifacts=gather_artifacts(inp.results)
        )


# The fake tools live in the real REGISTRY only while an agent test runs (see
# `registered_fakes`), so other packages' tests see exactly the real tools.
FAKE_SPECS: dict[str, ToolSpec] = {
    name: REGISTRY.pop(name) for name in list(REGISTRY) if name.startswith("fake_")
}


@contextmanager
def registered_fakes() -> Iterator[None]:
    """Register the fake tools for the duration of the block."""
    REGISTRY.update(FAKE_SPECS)
    try:
        yield
    finally:
        for name in FAKE_SPECS:
            REGISTRY.pop(name, None)


def install() -> None:
    """Register the fake tools and make model name "scripted" build a ScriptedPlanner (subprocess tests)."""
    REGISTRY.update(FAKE_SPECS)
    register_planner("scripted", lambda _name, _settings: ScriptedPlanner())
