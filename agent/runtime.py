"""The public agent runtime: the one API the CLI, the web server and the eval runner use.

    agent = Agent(settings, model="builtin")
    for ev in agent.stream("t1", "找储能方向的合作伙伴"):
        ...                                     # plan, step, approval, token, message, error, done
    agent.pending_approval("t1")                # {step_id, action, args, quote, summary} | None
    for ev in agent.stream("t1", decision=Decision(action="approve")):
        ...

Threads are durable: checkpoints live in `<data_dir>/checkpoints.db` (SQLite, WAL), or in
PostgreSQL when `CHENGGUO_DATABASE_URL` is set (`agent/checkpoints.py`), so a thread started in
one process (or server instance) resumes in another.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from agent.checkpoints import CHECKPOINTS_FILE, open_checkpoints
from agent.context import Context
from agent.events import Decision, Event
from agent.graph import build_graph, user_message
from agent.planner import Planner
from knowledge.config import Settings, get_settings

_MSG = {
    "approval_pending": {
        "en": "An approval is pending in this thread; approve or reject it first.",
        "zh": "本会话有待审批的操作，请先批准或拒绝。",
    },
    "no_pending_approval": {
        "en": "Nothing is waiting for approval in this thread.",
        "zh": "本会话没有待审批的操作。",
    },
    "invalid_request": {
        "en": "Give either a message or a decision.",
        "zh": "请提供消息或审批决定（二选一）。",
    },
    "empty_message": {"en": "The message is empty.", "zh": "消息为空。"},
}


def _msg(code: str, lang: str | None) -> str:
    return _MSG[code]["zh" if lang == "zh" else "en"]


KEEP_CHECKPOINTS = 2
"""Checkpoints kept per thread after each run (the latest and its parent)."""


class Agent:
    """A chengguo agent over a data dir: planner + tools + durable threads."""

    def __init__(
        self,
        settings: Settings | None = None,
        model: str | None = None,
        *,
        planner: Planner | None = None,
        today: date | None = None,
        max_steps: int | None = None,
        tool_extra: dict[str, Any] | None = None,
    ) -> None:
        """`planner` overrides the model's planner (tests, evals); `today` pins the date;
        `tool_extra` reaches every tool as `ToolContext.extra` (e.g. an injected knowledge base)."""
        self.settings = settings or get_settings()
        self.model = model or self.settings.model or "builtin"
        self._planner = planner
        self._today = today
        self._max_steps = max_steps
        self._tool_extra = dict(tool_extra or {})
        self.settings.ensure_dirs()
        self.checkpoint_path = self.settings.data_dir / CHECKPOINTS_FILE
        self._checkpoints = open_checkpoints(self.settings)
        self._saver = self._checkpoints.saver
        self._graph = build_graph().compile(checkpointer=self._saver)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()

    # --- lifecycle ---------------------------------------------------------------------

    def close(self) -> None:
        self._checkpoints.close()

    def __enter__(self) -> Agent:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- helpers ---------------------------------------------------------------------------

    @staticmethod
    def _config(thread_id: str) -> RunnableConfig:
        return {"configurable": {"thread_id": thread_id}}

    def _context(self, lang: str | None, model: str | None) -> Context:
        ctx = Context.from_settings(
            self.settings,
            model=model or self.model,
            lang=lang,
            max_steps=self._max_steps,
            today=self._today,
            planner=self._planner if model in (None, self.model) else None,
        )
        ctx.extra = dict(self._tool_extra)
        return ctx

    def _lock(self, thread_id: str) -> threading.Lock:
        # Two turns of one thread at once would fork its checkpoints; serialise them.
        with self._locks_guard:
            return self._locks.setdefault(thread_id, threading.Lock())

    def _run(self, graph_input: Any, thread_id: str, ctx: Context) -> Iterator[Event]:
        # durability="sync": each node's checkpoint is on disk before the next node starts, so an
        # approval is recorded before its write runs (the write itself is idempotent on top).
        for chunk in self._graph.stream(
            graph_input, self._config(thread_id), context=ctx, stream_mode="custom", durability="sync"
        ):
            if isinstance(chunk, dict) and "event" in chunk:
                yield Event.model_validate(chunk)

    def _prune(self, thread_id: str) -> None:
        """Drop the thread's checkpoints older than the last KEEP_CHECKPOINTS, and their writes.

        Every checkpoint stores the whole state, ~10 per turn, and nothing here reads old ones
        (no time travel): kept, they made a 1,500-turn load test leave a 900 MB file. The latest
        checkpoint (with its pending approval or stalled step) is all a resume needs.
        """
        self._checkpoints.prune(thread_id, KEEP_CHECKPOINTS)

    # --- public API ------------------------------------------------------------------------

    def stream(
        self,
        thread_id: str,
        text: str | None = None,
        *,
        decision: Decision | None = None,
        lang: str | None = None,
        model: str | None = None,
    ) -> Iterator[Event]:
        """Run a user turn (`text`) or resume a pending approval (`decision`); ends with `done`."""
        ctx = self._context(lang, model)
        with self._lock(thread_id):
            interrupted = False
            try:
                if (text is None) == (decision is None):
                    yield Event(
                        event="error",
                        data={"message": _msg("invalid_request", lang), "code": "invalid_request"},
                    )
                elif text is not None and not text.strip():
                    yield Event(
                        event="error", data={"message": _msg("empty_message", lang), "code": "empty_message"}
                    )
                else:
                    snap = self._graph.get_state(self._config(thread_id))
                    waiting = bool(snap.interrupts)
                    # A run that died mid-turn (e.g. between an approval and its write) has pending
                    # nodes but no interrupt; finishing it replays the write under its idempotency key.
                    stalled = bool(snap.next) and not waiting
                    if text is not None:
                        if waiting:
                            yield Event(
                                event="error",
                                data={"message": _msg("approval_pending", lang), "code": "approval_pending"},
                            )
                        else:
                            if stalled:
                                yield from self._run(None, thread_id, ctx)
                            yield from self._run({"messages": [user_message(text)]}, thread_id, ctx)
                    elif waiting:
                        assert decision is not None
                        yield from self._run(Command(resume=decision.model_dump(mode="json")), thread_id, ctx)
                    elif stalled:
                        yield from self._run(None, thread_id, ctx)
                    else:
                        yield Event(
                            event="error",
                            data={
                                "message": _msg("no_pending_approval", lang),
                                "code": "no_pending_approval",
                            },
                        )
                interrupted = bool(self._graph.get_state(self._config(thread_id)).interrupts)
                self._prune(thread_id)
            except Exception as exc:  # surfaces get an error event, never a traceback mid-stream
                yield Event(
                    event="error", data={"message": f"{type(exc).__name__}: {exc}", "code": "internal"}
                )
                try:
                    interrupted = bool(self._graph.get_state(self._config(thread_id)).interrupts)
                except Exception:
                    interrupted = False
            yield Event(event="done", data={"thread_id": thread_id, "interrupted": interrupted})

    async def astream(
        self,
        thread_id: str,
        text: str | None = None,
        *,
        decision: Decision | None = None,
        lang: str | None = None,
        model: str | None = None,
    ) -> AsyncIterator[Event]:
        """The async twin of `stream`: the graph runs in a worker thread, events cross via a queue.

        Planning and tools are synchronous (SQLite, numpy); a worker thread keeps the event loop
        free while sharing the one synchronous checkpointer.
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[Any] = asyncio.Queue()
        end = object()

        def put(item: Any) -> None:
            # RuntimeError: the loop closed (client went away); let the turn finish quietly.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.put_nowait, item)

        def work() -> None:
            try:
                for ev in self.stream(thread_id, text, decision=decision, lang=lang, model=model):
                    put(ev)
            except BaseException as exc:
                put(exc)
            finally:
                put(end)

        worker = threading.Thread(target=work, name=f"agent-{thread_id}", daemon=True)
        worker.start()
        while True:
            item = await queue.get()
            if item is end:
                break
            if isinstance(item, BaseException):
                raise item
            yield item

    def pending_approval(self, thread_id: str) -> dict[str, Any] | None:
        """The approval request the thread waits on: {step_id, action, args, quote, summary}."""
        snap = self._graph.get_state(self._config(thread_id))
        for it in snap.interrupts:
            if isinstance(it.value, dict):
                return dict(it.value)
        return None

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        """The thread's messages, oldest first: [{role, text, ts}]."""
        snap = self._graph.get_state(self._config(thread_id))
        return [dict(m) for m in (snap.values or {}).get("messages", [])]

    def state(self, thread_id: str) -> dict[str, Any]:
        """The raw state values of a thread (results, history, response …), for tools like evals."""
        return dict(self._graph.get_state(self._config(thread_id)).values or {})

    def threads(self) -> list[str]:
        """Thread ids with checkpoints, most recently active first."""
        return self._checkpoints.threads()
