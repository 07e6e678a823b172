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
import logging
import threading
from collections.abc import AsyncIterator, Generator, Iterator
from datetime import date
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command

from agent.checkpoints import CHECKPOINTS_FILE, open_checkpoints
from agent.context import Context
from agent.errors import error_reference, internal_error, interrupted_message
from agent.events import Decision, Event
from agent.graph import build_graph, trim_history, user_message
from agent.journal import NullJournal, RunJournal, RunKind
from agent.planner import Planner
from knowledge.config import Settings, get_settings
from knowledge.integrity import ensure_healthy

log = logging.getLogger("chengguo.agent")

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


MAX_RECOVERY_ATTEMPTS = 1
"""A run whose recovery itself died is not tried again: it gets the "interrupted" marker."""

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
        if not self.settings.database_url:
            ensure_healthy(self.checkpoint_path)  # a damaged file is named, not met mid-turn
        self._checkpoints = open_checkpoints(self.settings)
        self._saver = self._checkpoints.saver
        self._graph = build_graph().compile(checkpointer=self._saver)
        # The run journal lives beside SQLite checkpoints; PostgreSQL deployments run without replay yet.
        self._journal: RunJournal | NullJournal = (
            RunJournal(self._saver) if isinstance(self._saver, SqliteSaver) else NullJournal()
        )
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
        """Run a user turn (`text`) or resume a pending approval (`decision`); ends with `done`.

        A run a crash cut short on this thread is repaired first (`recover`), its events
        streamed ahead of this request's.
        """
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
                    recovered = yield from self._recover(thread_id, ctx)
                    snap = self._graph.get_state(self._config(thread_id))
                    waiting = bool(snap.interrupts)
                    if text is not None:
                        if waiting:
                            yield Event(
                                event="error",
                                data={"message": _msg("approval_pending", lang), "code": "approval_pending"},
                            )
                        else:
                            yield from self._journaled(
                                thread_id,
                                "turn",
                                {"text": text},
                                lang,
                                {"messages": [user_message(text)]},
                                ctx,
                            )
                    elif waiting:
                        assert decision is not None
                        payload = decision.model_dump(mode="json")
                        yield from self._journaled(
                            thread_id, "decision", payload, lang, Command(resume=payload), ctx
                        )
                    elif recovered != "decision":  # a decision the crash recovery just applied is no error
                        yield Event(
                            event="error",
                            data={
                                "message": _msg("no_pending_approval", lang),
                                "code": "no_pending_approval",
                            },
                        )
                interrupted = bool(self._graph.get_state(self._config(thread_id)).interrupts)
                self._prune(thread_id)
            except Exception:  # surfaces get an error event, never a traceback mid-stream
                ref = error_reference()
                log.exception("run failed on thread %s (ref %s)", thread_id, ref)
                yield Event(event="error", data=internal_error(lang, ref))
                try:
                    interrupted = bool(self._graph.get_state(self._config(thread_id)).interrupts)
                except Exception:
                    interrupted = False
            yield Event(event="done", data={"thread_id": thread_id, "interrupted": interrupted})

    def _journaled(
        self,
        thread_id: str,
        kind: RunKind,
        payload: dict[str, Any],
        lang: str | None,
        graph_input: Any,
        ctx: Context,
    ) -> Iterator[Event]:
        """One run with its journal row: written before the graph moves, removed once it ended.

        A crash (the process dies) leaves the row for `recover`. A failure or a closed stream
        (client gone) during a turn leaves an "interrupted — resend?" marker instead of a turn
        without an answer; a decision's run is left journaled so it is finished, not lost.
        """
        self._journal.begin(thread_id, kind, payload, lang)
        try:
            yield from self._run(graph_input, thread_id, ctx)
        except GeneratorExit:
            if kind == "turn":
                self._mark_interrupted(thread_id, lang)
                self._journal.end(thread_id)
            raise
        except Exception:
            self._mark_interrupted(thread_id, lang)
            self._journal.end(thread_id)
            raise
        self._journal.end(thread_id)

    def _mark_interrupted(self, thread_id: str, lang: str | None) -> None:
        """End a cut-short turn with the marker, so history never shows a question without a reply.

        Written as if `respond` had run: the graph has nothing left to do and the next turn starts
        clean. Nothing is written while an approval waits (the turn is not over) or when the turn
        already has its answer.
        """
        config = self._config(thread_id)
        snap = self._graph.get_state(config)
        if snap.interrupts:
            return
        values = snap.values or {}
        messages = values.get("messages") or []
        if not snap.next and (not messages or messages[-1].get("role") != "user"):
            return
        reply_lang = lang or values.get("lang") or "en"
        self._graph.update_state(
            config,
            {
                "messages": [interrupted_message(reply_lang)],
                "plan": None,
                "pending": None,
                "approved": None,
                "results": [],
                "history": trim_history([*(values.get("history") or []), *(values.get("results") or [])]),
            },
            as_node="respond",
        )

    def needs_recovery(self, thread_id: str) -> bool:
        return self._journal.get(thread_id) is not None

    def unfinished(self) -> list[str]:
        """Threads whose last run a crash cut short, oldest first (what a starting server repairs)."""
        return [e.thread_id for e in self._journal.pending()]

    def recover(self, thread_id: str) -> Iterator[Event]:
        """Repair a run a crash cut short (no-op otherwise); streams what the repair does, ends with `done`."""
        with self._lock(thread_id):
            try:
                entry = self._journal.get(thread_id)
                yield from self._recover(thread_id, self._context(entry.lang if entry else None, None))
            except Exception:
                ref = error_reference()
                log.exception("recovering thread %s failed (ref %s)", thread_id, ref)
                yield Event(event="error", data=internal_error(None, ref))
            interrupted = bool(self._graph.get_state(self._config(thread_id)).interrupts)
            yield Event(event="done", data={"thread_id": thread_id, "interrupted": interrupted})

    def _recover(self, thread_id: str, ctx: Context) -> Generator[Event, None, RunKind | None]:
        """Finish what a crash cut short; returns the kind of run repaired (None: nothing was).

        - a decision: resumed with the recorded decision if the approval still waits, or the
          graph finished if the approval was taken but the run died (the WRITE replays under its
          idempotency key) — so the decision is applied exactly once;
        - a turn: finished once; if that dies too, or there is nothing to finish, the marker.
        """
        entry = self._journal.get(thread_id)
        snap = self._graph.get_state(self._config(thread_id))
        waiting = bool(snap.interrupts)
        stalled = bool(snap.next) and not waiting
        if entry is None:
            if stalled:  # checkpoints from before the journal existed
                yield from self._run(None, thread_id, ctx)
            return None
        self._journal.attempt(thread_id)
        log.warning(
            "recovering a %s run on thread %s (attempt %d)", entry.kind, thread_id, entry.attempts + 1
        )
        try:
            if entry.attempts >= MAX_RECOVERY_ATTEMPTS:
                self._mark_interrupted(thread_id, entry.lang)
            elif entry.kind == "decision" and waiting:
                yield from self._run(Command(resume=entry.payload), thread_id, ctx)
            elif stalled:
                yield from self._run(None, thread_id, ctx)
            elif entry.kind == "turn":
                self._mark_interrupted(thread_id, entry.lang)
        except Exception:
            self._mark_interrupted(thread_id, entry.lang)
            self._journal.end(thread_id)
            raise
        self._journal.end(thread_id)
        return entry.kind

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
