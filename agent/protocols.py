"""What the surfaces (web, evals) need of an agent, so they can be driven by scripted fakes in tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from agent.events import Decision, Event


class AgentStream(Protocol):
    """The streaming half of `agent.runtime.Agent`: a user turn or an approval's resume."""

    def stream(
        self,
        thread_id: str,
        text: str | None = None,
        *,
        decision: Decision | None = None,
        lang: str | None = None,
    ) -> Iterator[Event]: ...


class ApprovingAgent(AgentStream, Protocol):
    """An agent whose pending approval can be read back (the web surface shows it after a reload)."""

    def pending_approval(self, thread_id: str) -> dict[str, Any] | None: ...
