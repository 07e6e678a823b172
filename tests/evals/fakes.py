"""A scripted stand-in for `agent.runtime.Agent` and a small catalog, so the runner is tested alone.

The fake speaks the real event contract (plan / step / approval / message / done) and really
writes holds through the booking store, so state checks and isolation are exercised for real.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from agent.events import Decision, Event
from evals.runner import clock
from evals.validate import Catalog, ToolInfo
from knowledge.bookings import BookingStore
from knowledge.config import Settings

FAC = "FAC-EVAL-1"

CATALOG = Catalog(
    record_ids={"ACH-0001", "ORG-0002", "ORG-0003", "ORG-0004", FAC},
    policy_ids={"CN-LAW-PTSTA-2015-EN", "CN-LAW-PTSTA-2015-ZH"},
    tools={
        "find_partners": ToolInfo("READ", {"achievement_id", "need", "k"}),
        "check_availability": ToolInfo("READ", {"facility_id", "days", "earliest_start", "latest_end"}),
        "search_policies": ToolInfo("READ", {"query", "k"}),
        "hold_slot": ToolInfo("WRITE", {"facility_id", "start", "end", "holder"}),
    },
)


def catalog(_settings: Settings) -> Catalog:
    return CATALOG


def seed_only(settings: Settings, embedding_cache: object = None) -> None:
    """Template builder for tests: the booking store (with the sample calendar), no search index."""
    with BookingStore(settings):
        pass


def _ev(kind: str, **data: Any) -> Event:
    return Event(event=kind, data=data)  # type: ignore[arg-type]


class FakeAgent:
    """Keyword-driven: "partner" -> find_partners; "hold FAC a b" -> hold_slot (approval); "policy" -> cite."""

    instances = 0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pending: dict[str, dict[str, Any]] = {}
        self.n = 0
        FakeAgent.instances += 1

    def _sid(self) -> str:
        self.n += 1
        return f"s{self.n}"

    def stream(
        self,
        thread_id: str,
        text: str | None = None,
        *,
        decision: Decision | None = None,
        lang: str | None = None,
    ) -> Iterator[Event]:
        if decision is not None:
            yield from self._resume(thread_id, decision)
            return
        assert text is not None
        zh = bool(re.search(r"[\u4e00-\u9fff]", text))
        lang_ = "zh" if zh else "en"
        ach = re.search(r"ACH-\d+", text)
        if ("partner" in text or "合作" in text) and ach:
            sid = self._sid()
            args = {"achievement_id": ach.group(0), "k": 5}
            yield _ev(
                "plan", steps=[{"id": sid, "tool": "find_partners", "args": args, "summary": ""}], note=""
            )
            yield _ev("step", step_id=sid, tool="find_partners", status="started", summary="")
            result = {
                "ok": True,
                "matches": [{"org_id": "ORG-0002"}, {"org_id": "ORG-0003"}],
                "excluded": ["ORG-0004"],
            }
            yield _ev("step", step_id=sid, tool="find_partners", status="done", summary="", result=result)
            body = (
                f"{ach.group(0)} 的首选合作方是 ORG-0002，其次 ORG-0003；投资方 ORG-0004 因投资范围不符被排除。"
                if zh
                else f"Best partner for {ach.group(0)}: ORG-0002, then ORG-0003. Investor ORG-0004 was excluded."
            )
            yield _ev(
                "message", text=body, lang=lang_, citations=[{"id": ach.group(0), "title": ""}], artifacts=[]
            )
        elif m := re.search(r"hold (FAC-[\w-]+) (\d{4}-\d\d-\d\d) (\d{4}-\d\d-\d\d)", text):
            sid = self._sid()
            args = {"facility_id": m.group(1), "start": m.group(2), "end": m.group(3), "holder": "eval"}
            yield _ev("plan", steps=[{"id": sid, "tool": "hold_slot", "args": args, "summary": ""}], note="")
            yield _ev("approval", step_id=sid, action="hold_slot", args=args, summary="")
            self.pending[thread_id] = {"step_id": sid, "args": args, "lang": lang_}
            yield _ev("done", thread_id=thread_id, interrupted=True)
            return
        elif "policy" in text:
            yield _ev(
                "message",
                text="Under Article 45 the inventors get at least 50% of the net income.",
                lang="en",
                citations=[{"id": "CN-LAW-PTSTA-2015-EN", "title": "law", "ref": "Article 45"}],
                artifacts=[],
            )
        else:
            q = "请问您需要哪几天？" if zh else "Which dates do you need?"
            yield _ev("message", text=q, lang=lang_, citations=[], artifacts=[])
        yield _ev("done", thread_id=thread_id, interrupted=False)

    def _resume(self, thread_id: str, decision: Decision) -> Iterator[Event]:
        p = self.pending.pop(thread_id)
        sid, args = p["step_id"], dict(p["args"])
        if decision.action == "reject":
            yield _ev(
                "step",
                step_id=sid,
                tool="hold_slot",
                status="error",
                summary="",
                result={"ok": False, "code": "rejected"},
            )
            yield _ev("message", text="OK, nothing was booked.", lang="en", citations=[], artifacts=[])
        else:
            args.update(decision.args or {})
            yield _ev("step", step_id=sid, tool="hold_slot", status="started", summary="")
            today = self.settings.today or date(2026, 11, 22)
            with BookingStore(self.settings) as store:
                row = store.hold(
                    args["facility_id"],
                    date.fromisoformat(args["start"]),
                    date.fromisoformat(args["end"]),
                    args["holder"],
                    idempotency_key=f"{thread_id}:{sid}",
                    now=clock(today),
                )
            yield _ev(
                "step",
                step_id=sid,
                tool="hold_slot",
                status="done",
                summary="",
                result={"ok": True, "reference": row.reference},
            )
            yield _ev(
                "message",
                text=f"Held {row.facility_id} {row.start}..{row.end}, reference {row.reference}.",
                lang="en",
                citations=[],
                artifacts=[],
            )
        yield _ev("done", thread_id=thread_id, interrupted=False)


class CrashingAgent(FakeAgent):
    def stream(self, thread_id: str, text: str | None = None, **_: Any) -> Iterator[Event]:
        yield _ev("plan", steps=[], note="")
        raise RuntimeError("boom")
