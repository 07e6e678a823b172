"""Driving the agent's synchronous event generator from the async server.

Each run gets one worker thread that iterates `Agent.stream(...)` and hands events to the event
loop through an asyncio queue, so a slow tool or planner never blocks other streams. When the
client goes away the async side sets `stop`; the worker notices at the next event, stops
iterating and closes the generator in its own thread (closing a generator from another thread
while it runs is an error). LangGraph checkpoints after every super-step, so a stopped run leaves
the thread at its last checkpoint and the next turn continues from there.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol

from agent.events import Decision, Event
from agent.protocols import ApprovingAgent


class AgentLike(ApprovingAgent, Protocol):
    """The part of `agent.runtime.Agent` the web surface uses (tests pass scripted fakes)."""

    def history(self, thread_id: str) -> list[dict[str, Any]]: ...


_END = object()
logger = logging.getLogger("chengguo.web")


def _kind(ev: object) -> object:
    return ev.event if isinstance(ev, Event) else ev.get("event") if isinstance(ev, dict) else None


class AgentRun:
    """One run of the agent on a worker thread; iterate `events()` on the event loop."""

    def __init__(
        self,
        agent: AgentLike,
        executor: ThreadPoolExecutor,
        thread_id: str,
        *,
        text: str | None = None,
        decision: Decision | None = None,
        lang: str | None = None,
        on_finished: Callable[[], None] | None = None,
    ) -> None:
        self._agent = agent
        self._executor = executor
        self._thread_id = thread_id
        self._text = text
        self._decision = decision
        self._lang = lang
        self._on_finished = on_finished
        self.stop = threading.Event()
        self.closed = threading.Event()  # set once the agent's generator is closed
        self.future: Future[None] | None = None

    def _work(self, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[object]) -> None:
        def put(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop is gone (server shutting down): nobody is listening
                self.stop.set()

        gen: Iterator[Event] | None = None
        # `done` is held back until the generator is closed and the lease released, so a client
        # that sends its next message the moment it sees `done` never meets a 409.
        held: list[object] = []
        try:
            if self.stop.is_set():  # the client left while this run waited for a worker thread
                return
            gen = self._agent.stream(self._thread_id, self._text, decision=self._decision, lang=self._lang)
            for ev in gen:
                if self.stop.is_set():
                    # A decision is carried through even when its client left: the user decided,
                    # and the hold (and the answer in history) must not depend on the connection.
                    # A plain turn stops; the runtime closes it with the "interrupted" marker.
                    if self._decision is None:
                        break
                    continue
                if _kind(ev) == "done":
                    held.append(ev)
                else:
                    put(ev)
        except BaseException as exc:
            held.append(exc)
        finally:
            try:
                close = getattr(gen, "close", None)
                if close is not None:
                    close()
            except Exception as exc:
                held.append(exc)
            finally:
                self.closed.set()
                try:
                    if self._on_finished is not None:
                        self._on_finished()
                except Exception:  # the client must still get `done` and the stream must end
                    logger.exception("finishing the run on thread %s failed", self._thread_id)
                for item in held:
                    put(item)
                put(_END)

    async def events(self) -> AsyncIterator[Event]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        self.future = self._executor.submit(self._work, loop, queue)
        try:
            while True:
                item = await queue.get()
                if item is _END:
                    return
                if isinstance(item, BaseException):
                    raise item
                yield item if isinstance(item, Event) else Event.model_validate(item)
        finally:
            # Normal end, error or the client disconnecting (CancelledError here): stop the worker.
            self.stop.set()
