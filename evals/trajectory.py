"""A finished conversation as the checks see it: the event list folded into tool actions and answers.

Actions are read from the event stream only (plan, approval, step events plus the decisions the
runner gave), so the same checks work for any surface that speaks the event contract.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

ActionState = Literal["proposed", "rejected", "started", "done", "error"]


class Action(BaseModel):
    """One tool call the agent made or proposed."""

    step_id: str
    tool: str
    args: dict[str, Any] = Field(default_factory=dict)
    status: ActionState
    result: dict[str, Any] | None = None
    turn: int = 0
    approval: Literal["approved", "rejected", "edited"] | None = None

    @property
    def proposed(self) -> bool:
        """An approval was requested for it (WRITE tools)."""
        return self.approval is not None or self.status == "proposed"

    @property
    def executed(self) -> bool:
        return self.status in {"done", "error"} and self.approval != "rejected"


class Answer(BaseModel):
    turn: int
    text: str
    lang: str | None = None
    citations: list[dict[str, Any]] = Field(default_factory=list)
    artifacts: list[dict[str, Any]] = Field(default_factory=list)


class Trajectory(BaseModel):
    """Events in order, each tagged with the script turn that produced it (`turn`)."""

    events: list[dict[str, Any]] = Field(default_factory=list)
    script_problems: list[str] = Field(default_factory=list, description="Where the agent left the script.")
    crashed: str | None = Field(None, description="An exception raised by the agent, if any.")

    def add(self, turn: int, event: dict[str, Any]) -> None:
        self.events.append({"turn": turn, **event})

    @property
    def actions(self) -> list[Action]:
        planned: dict[str, dict[str, Any]] = {}
        by_id: dict[str, Action] = {}
        order: list[str] = []
        for ev in self.events:
            kind, data, turn = ev.get("event"), ev.get("data") or {}, int(ev.get("turn", 0))
            if kind == "plan":
                for s in data.get("steps") or []:
                    if s.get("id"):
                        planned[s["id"]] = dict(s.get("args") or {})
            elif kind == "approval":
                sid = str(data.get("step_id"))
                by_id[sid] = Action(
                    step_id=sid,
                    tool=str(data.get("action")),
                    args=dict(data.get("args") or {}),
                    status="proposed",
                    turn=turn,
                )
                order.append(sid)
            elif kind == "decision":
                # Recorded by the runner: what it answered to the pending approval.
                sid = str(data.get("step_id"))
                if sid in by_id:
                    a = by_id[sid]
                    if data.get("action") == "reject":
                        a.approval, a.status = "rejected", "rejected"
                    elif data.get("action") == "edit":
                        a.approval = "edited"
                        a.args = {**a.args, **(data.get("args") or {})}
                    else:
                        a.approval = "approved"
            elif kind == "step":
                sid = str(data.get("step_id"))
                status = data.get("status")
                if status == "skipped":
                    continue  # a planned step that never ran (closed when the turn ended): no action
                found = by_id.get(sid)
                if found is None:
                    found = Action(
                        step_id=sid,
                        tool=str(data.get("tool")),
                        args=planned.get(sid, {}),
                        status="started",
                        turn=turn,
                    )
                    by_id[sid] = found
                    order.append(sid)
                a = found
                if a.approval == "rejected":
                    continue  # the graph reports a rejection as an error step; keep "rejected"
                if status in {"done", "error"}:
                    a.status = status
                    a.result = dict(data.get("result") or {})
                    if status == "error" and (a.result or {}).get("code") == "rejected":
                        a.approval, a.status = "rejected", "rejected"
                elif status == "rejected":  # the graph reports a user's "no" as its own status
                    a.approval, a.status = "rejected", "rejected"
                    a.result = dict(data.get("result") or {})
                elif status == "started" and a.status == "proposed":
                    a.status = "started"
        return [by_id[s] for s in order]

    @property
    def answers(self) -> list[Answer]:
        return [
            Answer(
                turn=int(ev.get("turn", 0)),
                text=str((ev.get("data") or {}).get("text") or ""),
                lang=(ev.get("data") or {}).get("lang"),
                citations=list((ev.get("data") or {}).get("citations") or []),
                artifacts=list((ev.get("data") or {}).get("artifacts") or []),
            )
            for ev in self.events
            if ev.get("event") == "message"
        ]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [dict(ev.get("data") or {}) for ev in self.events if ev.get("event") == "error"]
