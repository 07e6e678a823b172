"""The one event stream every surface consumes (CLI, SSE, evals).

An event is `{"event": kind, "data": {...}}`. Kinds and their data:

- plan:     {"steps": [{"id", "tool", "args", "summary"}], "note": str}
- step:     {"step_id", "tool", "status": "started"|"done"|"error"|"rejected"|"skipped", "summary": str, "result"?: dict}
            ("rejected": the user declined the approval — not a failure; "skipped": a planned step
            that never ran, sent when the turn ends so no placeholder stays listed as pending)
- approval: {"step_id", "action": tool name, "args": dict, "quote"?: dict, "summary": str}
- token:    {"text": str}                       (a chunk of the final answer)
- message:  {"text", "lang", "citations": [Citation], "artifacts": [Artifact]}
- error:    {"message": str, "code": str}
- done:     {"thread_id": str, "interrupted": bool}   (interrupted: waiting for an approval)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

EventKind = Literal["plan", "step", "approval", "token", "message", "error", "done"]


class Citation(BaseModel):
    """A source the answer relies on: a record id or a policy section."""

    id: str = Field(description="Record id (ACH-…, ORG-…, FAC-…) or policy document id.")
    title: str = ""
    ref: str | None = Field(None, description='Section reference for policies, e.g. "Article 45".')
    url: str | None = None


class Artifact(BaseModel):
    """A file the turn produced, e.g. a term sheet in Markdown and .docx."""

    kind: str = Field(description='e.g. "term_sheet_md", "term_sheet_docx".')
    name: str
    path: str


class Event(BaseModel):
    """One streamed event."""

    event: EventKind
    data: dict[str, Any] = Field(default_factory=dict)


class Decision(BaseModel):
    """The answer to an approval request."""

    action: Literal["approve", "reject", "edit"]
    args: dict[str, Any] | None = Field(
        None, description="With edit: replacement arguments, e.g. other dates."
    )
